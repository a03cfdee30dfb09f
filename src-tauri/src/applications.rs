//! The commands of the card application (guide steps 05–07 and 12): every document is checked
//! and kept on this machine first, then sent in resumable chunks; the camera's preview and
//! capture; the signature pad; « Mes demandes », « Mes cartes »; the agent's processing.

use crate::camera::CameraService;
use crate::events::WindowEvents;
use cqc_app::documents::{data_url, draft_of, keep_document, refreshed, send_pending, ApplicationDraft};
use cqc_app::offline::{self, ApplicationsOverview};
use cqc_app::{local_error, AppCore, CommandResult};
use cqc_capture::{CameraChoice, CaptureError, Stroke};
use cqc_domain::application::{CorrectionItem, DocumentKind};
use cqc_domain::card::CardEvent;
use cqc_domain::contact::AddressInput;
use cqc_domain::photo::{FrameMeasures, PhotoProblem};
use cqc_domain::registration::FieldErrors;
use cqc_domain::upload::FileFormat;
use cqc_sync::api::{ApiError, ErrorCode, Reason};
use cqc_sync::applications::{
    ApplicationCorrectionRequest, ApplicationFile, ApplicationQueue, CardStepRequest, CardView, SmsMessage,
};
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

/// A preview frame, with what the checks say of it right now.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CameraPreview {
    /// What « Prendre la photo » names to keep this frame.
    pub frame: u32,
    /// The native camera's frame, as a small JPEG; none for the web view's camera, whose live
    /// picture the screen shows itself.
    pub image: Option<String>,
    pub measures: FrameMeasures,
    pub problems: Vec<PhotoProblem>,
}

fn camera_error(error: CaptureError) -> ApiError {
    let message = match error {
        CaptureError::NoCamera => {
            "Aucune caméra n'est détectée sur cet ordinateur. Branchez-en une, ou choisissez un fichier photo."
                .to_owned()
        }
        CaptureError::Camera(detail) => {
            format!("La caméra ne répond pas ({detail}). Fermez les autres logiciels qui l'utilisent, puis réessayez.")
        }
        CaptureError::Recorded(detail) => format!("Les images enregistrées sont illisibles ({detail})."),
        CaptureError::WebViewFrame { .. } => "L'image de la caméra est illisible. Réessayez.".to_owned(),
    };
    ApiError::new(ErrorCode::Unreachable, message)
}

#[tauri::command]
pub async fn applications_overview(core: State<'_, AppCore>) -> CommandResult<ApplicationsOverview> {
    offline::applications_overview(&core).await
}

/// « Commencer »: the server checks eligibility and opens the draft.
#[tauri::command]
pub async fn start_application(core: State<'_, AppCore>) -> CommandResult<ApplicationDraft> {
    let id = uuid::Uuid::new_v4().to_string();
    let application = core.remote(async |api| api.start_application(&id).await).await?;
    draft_of(&core, application, None)
}

/// « Reprendre », « Afficher », « Répondre »: the application with its documents.
#[tauri::command]
pub async fn application_draft(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
) -> CommandResult<ApplicationDraft> {
    refreshed(&core, &WindowEvents(app), &id).await
}

/// A document chosen as a file: checked and cleaned here, kept, then sent. The file's bytes come
/// as the raw body of the call (a 10 MB scan as JSON numbers would be ~40 MB of text); the
/// application and the kind of document as headers.
#[tauri::command]
pub async fn add_document(
    app: AppHandle,
    core: State<'_, AppCore>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<ApplicationDraft> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (Some(id), Some(kind)) = (header("x-application"), header("x-kind").as_deref().and_then(DocumentKind::parse))
    else {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "Le document envoyé n'est pas identifié."));
    };
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "Le fichier n'a pas été transmis."));
    };
    keep_document(&core, &WindowEvents(app), &id, kind, bytes).await
}

#[tauri::command]
pub fn cameras(camera: State<'_, CameraService>) -> CommandResult<Vec<CameraChoice>> {
    camera.cameras().map_err(camera_error)
}

/// A frame of the live preview, with the checks' verdict; it becomes the frame « Prendre la
/// photo » freezes.
#[tauri::command]
pub async fn camera_preview(
    core: State<'_, AppCore>,
    camera: State<'_, CameraService>,
    index: u32,
) -> CommandResult<CameraPreview> {
    let frame = camera.frame(index).map_err(camera_error)?;
    let small = image::imageops::thumbnail(&frame, 640, 640 * frame.height() / frame.width().max(1));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 75)
        .encode_image(&small)
        .map_err(|e| camera_error(CaptureError::Camera(e.to_string())))?;
    Ok(judged(&core, frame, Some(data_url(FileFormat::Jpeg, &jpeg))))
}

/// A frame of the web view's camera (`getUserMedia`, where nokhwa finds none or cannot open one):
/// its RGBA pixels as the raw body of the call, its size as headers. The same checks as the
/// native camera's, and « Prendre la photo » keeps it the same way.
#[tauri::command]
pub async fn web_camera_frame(
    core: State<'_, AppCore>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<CameraPreview> {
    let size = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let tauri::ipc::InvokeBody::Raw(rgba) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "L'image de la caméra n'a pas été transmise."));
    };
    let (width, height) = (size("x-width").unwrap_or(0), size("x-height").unwrap_or(0));
    let frame = cqc_capture::web_view_frame(width, height, rgba).map_err(camera_error)?;
    Ok(judged(&core, frame, None))
}

/// The checks' verdict on a frame, kept for « Prendre la photo ».
fn judged(core: &AppCore, frame: image::RgbImage, image: Option<String>) -> CameraPreview {
    let measures = cqc_capture::measure(&frame);
    let problems = cqc_domain::photo::judge_frame(&measures);
    let frame = core.recent_frames.lock().expect("frame lock").keep(frame);
    CameraPreview { frame, image, measures, problems }
}

#[tauri::command]
pub fn stop_camera(camera: State<'_, CameraService>) {
    camera.stop();
}

/// « Prendre la photo »: the frame on screen, if the checks accept it, cut to 35×45 and kept.
#[tauri::command]
pub async fn capture_photo(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
    frame: u32,
) -> CommandResult<ApplicationDraft> {
    let frame = core.recent_frames.lock().expect("frame lock").get(frame).cloned();
    let frame = frame.ok_or_else(|| ApiError::new(ErrorCode::InvalidRequest, "Attendez l'image de la caméra."))?;
    let photo = cqc_capture::id_photo(&frame).map_err(|problems| {
        let message = format!("the photo fails its checks: {problems:?}");
        ApiError::because(ErrorCode::InvalidFile, Reason::PhotoRefused { problems }, message)
    })?;
    core.store().save_application_file(&id, DocumentKind::Photo, FileFormat::Jpeg, &photo.jpeg).map_err(local_error)?;
    refreshed(&core, &WindowEvents(app), &id).await
}

/// The signature drawn on the pad, as an image.
#[tauri::command]
pub async fn save_signature(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
    strokes: Vec<Vec<(f32, f32)>>,
) -> CommandResult<ApplicationDraft> {
    let strokes: Vec<Stroke> = strokes.into_iter().map(Stroke).collect();
    let png = cqc_capture::render_signature(&strokes).map_err(|problem| {
        ApiError::because(ErrorCode::InvalidFields, Reason::SignatureRefused { problem }, problem.to_string())
    })?;
    core.store().save_application_file(&id, DocumentKind::Signature, FileFormat::Png, &png).map_err(local_error)?;
    refreshed(&core, &WindowEvents(app), &id).await
}

/// The delivery address's field errors, as the server would find them.
#[tauri::command]
pub fn check_address(address: AddressInput) -> FieldErrors {
    cqc_domain::registration::check_address(&address).err().unwrap_or_default()
}

/// The same checks as the server's, before anything is sent; `message` says which address.
pub fn checked_address(address: &AddressInput, message: &str) -> CommandResult<()> {
    match cqc_domain::registration::check_address(address) {
        Ok(_) => Ok(()),
        Err(fields) => {
            let mut error = ApiError::new(ErrorCode::InvalidFields, message);
            error.fields = fields;
            Err(error)
        }
    }
}

#[tauri::command]
pub async fn set_delivery_address(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
    address: AddressInput,
) -> CommandResult<ApplicationDraft> {
    checked_address(&address, "L'adresse de livraison est à compléter.")?;
    core.remote(async |api| api.set_delivery_address(&id, &address).await).await?;
    refreshed(&core, &WindowEvents(app), &id).await
}

/// « Valider »: what waits is sent first, then the file goes to processing.
#[tauri::command]
pub async fn submit_application(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
) -> CommandResult<ApplicationDraft> {
    send_pending(&core, &WindowEvents(app), &id).await?;
    let view = core.remote(async |api| api.submit_application(&id).await).await?;
    draft_of(&core, view, None)
}

/// « Envoyer » after « Répondre ».
#[tauri::command]
pub async fn answer_correction(
    app: AppHandle,
    core: State<'_, AppCore>,
    id: String,
) -> CommandResult<ApplicationDraft> {
    send_pending(&core, &WindowEvents(app), &id).await?;
    let view = core.remote(async |api| api.answer_correction(&id).await).await?;
    draft_of(&core, view, None)
}

/// « Annuler »: on the server, then on this machine.
#[tauri::command]
pub async fn cancel_application(core: State<'_, AppCore>, id: String) -> CommandResult<()> {
    core.remote(async |api| api.cancel_application(&id).await).await?;
    core.store().forget_application_files(&id).map_err(local_error)
}

#[tauri::command]
pub async fn my_cards(core: State<'_, AppCore>) -> CommandResult<Vec<CardView>> {
    cqc_app::offline::my_cards(&core).await
}

/// What the driver's home screen says to do next.
#[tauri::command]
pub async fn next_step(core: State<'_, AppCore>) -> CommandResult<cqc_domain::next_step::NextStep> {
    cqc_app::offline::next_step(&core).await
}

#[tauri::command]
pub async fn card_photo(core: State<'_, AppCore>, card_id: String) -> CommandResult<String> {
    let name = format!("card-photo-{card_id}");
    if let Some(url) = core.store().server_copy::<String>(&name).map_err(local_error)? {
        return Ok(url);
    }
    let bytes = core.remote(async |api| api.card_photo(&card_id).await).await?;
    let url = data_url(FileFormat::Jpeg, &bytes);
    core.store().save_server_copy(&name, &url).map_err(local_error)?;
    Ok(url)
}

#[tauri::command]
pub async fn activate_card(core: State<'_, AppCore>, card_id: String) -> CommandResult<CardView> {
    core.remote(async |api| api.activate_card(&card_id).await).await
}

#[tauri::command]
pub async fn sms_outbox(core: State<'_, AppCore>) -> CommandResult<Vec<SmsMessage>> {
    core.remote(async |api| api.sms_outbox().await).await
}

#[tauri::command]
pub async fn agent_applications(core: State<'_, AppCore>) -> CommandResult<ApplicationQueue> {
    core.remote(async |api| api.application_queue().await).await
}

#[tauri::command]
pub async fn agent_open_application(core: State<'_, AppCore>, id: String) -> CommandResult<ApplicationFile> {
    core.remote(async |api| api.open_application(&id).await).await
}

#[tauri::command]
pub async fn agent_application_document(
    core: State<'_, AppCore>,
    id: String,
    kind: DocumentKind,
) -> CommandResult<String> {
    let bytes = core.remote(async |api| api.agent_document(&id, kind).await).await?;
    let format = FileFormat::sniff(&bytes).unwrap_or(FileFormat::Pdf);
    Ok(data_url(format, &bytes))
}

#[tauri::command]
pub async fn agent_approve(core: State<'_, AppCore>, id: String) -> CommandResult<ApplicationFile> {
    core.remote(async |api| api.approve_application(&id).await).await
}

#[tauri::command]
pub async fn agent_refuse(core: State<'_, AppCore>, id: String, reason: String) -> CommandResult<ApplicationFile> {
    core.remote(async |api| api.refuse_application(&id, &reason).await).await
}

#[tauri::command]
pub async fn agent_request_application_correction(
    core: State<'_, AppCore>,
    id: String,
    items: Vec<CorrectionItem>,
) -> CommandResult<ApplicationFile> {
    let request = ApplicationCorrectionRequest { items };
    core.remote(async |api| api.request_application_correction(&id, &request).await).await
}

#[tauri::command]
pub async fn agent_cards(core: State<'_, AppCore>) -> CommandResult<Vec<CardView>> {
    core.remote(async |api| api.cards_in_progress().await).await
}

#[tauri::command]
pub async fn agent_card_step(
    core: State<'_, AppCore>,
    card_ids: Vec<String>,
    event: CardEvent,
) -> CommandResult<Vec<CardView>> {
    core.remote(async |api| api.card_step(&CardStepRequest { card_ids, event }).await).await
}
