//! The documents of a card application: each is checked and cleaned here, kept on this computer,
//! then sent in resumable chunks; one sender at a time; what could not be sent stays and goes at
//! the next round.

use crate::core::{local_error, AppCore, CommandResult};
use crate::offline::APPLICATIONS_COPY;
use crate::Events;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cqc_domain::application::DocumentKind;
use cqc_domain::upload::{FileFormat, FileProblem};
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::applications::ApplicationView;
use serde::Serialize;
use ts_rs::TS;

/// A document of the application as this machine holds it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LocalDocument {
    pub kind: DocumentKind,
    pub format: FileFormat,
    /// The server holds it.
    pub uploaded: bool,
    /// An image to show (`data:` URL); none for PDFs.
    pub preview: Option<String>,
}

/// One application as the wizard shows it: the server's view, the documents kept here, and
/// why the last sending failed, if it did (everything stays here and is sent again).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ApplicationDraft {
    pub application: ApplicationView,
    pub documents: Vec<LocalDocument>,
    pub upload_error: Option<ApiError>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UploadEvent {
    pub kind: DocumentKind,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub total: u64,
}

pub fn data_url(format: FileFormat, bytes: &[u8]) -> String {
    format!("data:{};base64,{}", format.media_type(), STANDARD.encode(bytes))
}

pub fn file_error(problem: FileProblem) -> ApiError {
    ApiError::new(ErrorCode::InvalidFile, cqc_sync::applications::file_problem_message(problem))
}

/// A document chosen as a file: checked and cleaned here, kept, then sent with what else waits.
pub async fn keep_document(
    core: &AppCore,
    events: &dyn Events,
    id: &str,
    kind: DocumentKind,
    bytes: &[u8],
) -> CommandResult<ApplicationDraft> {
    let checked = cqc_capture::check_document(kind, bytes).map_err(file_error)?;
    core.store().save_application_file(id, kind, checked.format, &checked.bytes).map_err(local_error)?;
    refreshed(core, events, id).await
}

/// The wizard's view of an application: the server's, with the documents kept here.
pub fn draft_of(
    core: &AppCore,
    application: ApplicationView,
    upload_error: Option<ApiError>,
) -> CommandResult<ApplicationDraft> {
    let files = core.store().application_files(&application.id).map_err(local_error)?;
    let mut documents: Vec<LocalDocument> = files
        .into_iter()
        .map(|f| LocalDocument {
            kind: f.kind,
            format: f.format,
            uploaded: f.uploaded,
            preview: (f.format != FileFormat::Pdf).then(|| data_url(f.format, &f.bytes)),
        })
        .collect();
    // Documents sent from another computer are there too.
    for sent in &application.documents {
        if !documents.iter().any(|d| d.kind == sent.kind) {
            documents.push(LocalDocument { kind: sent.kind, format: sent.format, uploaded: true, preview: None });
        }
    }
    Ok(ApplicationDraft { application, documents, upload_error })
}

/// Sends every document of application `id` kept here that the server does not have yet, with
/// progress events; answers the server's last view.
pub async fn send_pending(core: &AppCore, events: &dyn Events, id: &str) -> Result<Option<ApplicationView>, ApiError> {
    let _one_sender = core.upload_lock.lock().await;
    let client = core.authed()?;
    let pending: Vec<_> =
        core.store().application_files(id).map_err(local_error)?.into_iter().filter(|f| !f.uploaded).collect();
    let mut last = None;
    for file in pending {
        let kind = file.kind;
        let view = client
            .upload_document(id, kind, &file.bytes, |sent, total| {
                events.upload_progress(UploadEvent { kind, sent, total });
            })
            .await
            .map_err(|e| core.remote_error(e))?;
        core.store().mark_uploaded(id, kind).map_err(local_error)?;
        last = Some(view);
    }
    Ok(last)
}

/// Sends every document that waits on this computer, for every application: the background
/// round does it when the network comes back.
pub async fn send_all_pending(core: &AppCore, events: &dyn Events) -> Result<(), ApiError> {
    let ids = core.store().applications_with_unsent_files().map_err(local_error)?;
    for id in ids {
        send_pending(core, events, &id).await?;
    }
    Ok(())
}

/// The draft now: sends what waits, then reads the server's view (or this machine's copy).
pub async fn refreshed(core: &AppCore, events: &dyn Events, id: &str) -> CommandResult<ApplicationDraft> {
    let (view, upload_error) = match send_pending(core, events, id).await {
        Ok(view) => (view, None),
        Err(error) => (None, Some(error)),
    };
    let view = match view {
        Some(view) => view,
        None => match core.authed()?.application(id).await {
            Ok(view) => view,
            Err(error) => {
                let error = core.remote_error(error);
                let copy: Vec<ApplicationView> =
                    core.store().server_copy(APPLICATIONS_COPY).map_err(local_error)?.unwrap_or_default();
                let Some(view) = copy.into_iter().find(|a| a.id == id) else { return Err(error) };
                return draft_of(core, view, Some(upload_error.unwrap_or(error)));
            }
        },
    };
    draft_of(core, view, upload_error)
}
