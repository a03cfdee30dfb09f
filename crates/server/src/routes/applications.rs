//! The driver's card application (guide steps 05–07): « Commencer », the documents uploaded in
//! resumable chunks and checked by their content, the delivery address, « Valider », « Annuler »,
//! and « Répondre » to a correction request.

use crate::applications::{
    delete_stored, discard_draft, eligibility_of, object_key, own_application, own_view, view_of,
};
use crate::auth::Driver;
use crate::db::applications::{self as store, StoredDocument};
use crate::db::{self, find_account};
use crate::error::{document_label, ApiBytes, ApiJson, ApiQuery, AppError, AppResult};
use crate::mail::{self, templates};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use cqc_domain::application::{ApplicationState, DocumentKind};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::upload::{FileProblem, MAX_FILE_BYTES};
use cqc_sync::api::ApiError;
use cqc_sync::applications::{
    ApplicationView, CompleteUpload, DeliveryAddressRequest, Eligibility, NewApplication, UploadProgress,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[utoipa::path(get, path = "/api/v1/applications/eligibility", responses((status = 200, body = Eligibility)))]
pub async fn eligibility(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Eligibility>> {
    let mut conn = state.db.pool.acquire().await?;
    let result = eligibility_of(&mut conn, &driver.account_id, french_day(state.clock.now())).await?;
    Ok(ApiJson(Eligibility { not_eligible: result.as_ref().err().copied(), entitlement: result.ok() }))
}

#[utoipa::path(get, path = "/api/v1/applications", responses((status = 200, body = Vec<ApplicationView>)))]
pub async fn list(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<ApplicationView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let mut views = Vec::new();
    for application in store::applications_of(&mut conn, &driver.account_id).await? {
        views.push(view_of(&mut conn, application).await?);
    }
    Ok(ApiJson(views))
}

/// « Commencer ». Sent again with the same id (a retry after a cut), it answers the same draft.
#[utoipa::path(post, path = "/api/v1/applications", request_body = NewApplication, responses((status = 200, body = ApplicationView), (status = 409, body = ApiError)))]
pub async fn start(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<NewApplication>,
) -> AppResult<ApiJson<ApplicationView>> {
    let id = uuid::Uuid::parse_str(&request.id)
        .map_err(|_| AppError::bad_request("L'identifiant de la demande n'est pas valide."))?
        .to_string();
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    if let Some(existing) = store::find_application(&mut tx, &id).await? {
        if existing.driver_id != driver.account_id {
            return Err(AppError::not_found());
        }
        return Ok(ApiJson(view_of(&mut tx, existing).await?));
    }
    let entitlement =
        eligibility_of(&mut tx, &driver.account_id, french_day(now)).await?.map_err(AppError::not_eligible)?;
    store::insert_application(&mut tx, &id, &driver.account_id, &entitlement, now).await?;
    db::audit(&mut tx, Some(&driver.account_id), AuditAction::Draft, &id, "Demande commencée", now).await?;
    let view = own_view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ApplicationView>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(own_view(&mut conn, &driver.account_id, &id).await?))
}

/// « Annuler »: only a draft; its documents, photo, signature and address are deleted.
#[utoipa::path(delete, path = "/api/v1/applications/{id}", params(("id" = String, Path)), responses((status = 204), (status = 409, body = ApiError)))]
pub async fn cancel(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    let keys =
        discard_draft(&mut tx, &application, Some(&driver.account_id), "Demande annulée, documents supprimés", now)
            .await?;
    tx.commit().await?;
    delete_stored(&state.documents, keys).await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/applications/{id}/delivery-address", params(("id" = String, Path)), request_body = DeliveryAddressRequest, responses((status = 200, body = ApplicationView), (status = 422, body = ApiError)))]
pub async fn delivery_address(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DeliveryAddressRequest>,
) -> AppResult<ApiJson<ApplicationView>> {
    let cleaned = crate::replacements::cleaned_address(&request.address)?;
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    if application.state != ApplicationState::draft() {
        return Err(AppError::application(cqc_domain::application::ApplicationTransitionError::NotADraft));
    }
    store::set_delivery_address(&mut tx, &id, Some(&cleaned), now).await?;
    let view = own_view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}

fn document_kind(kind: &str) -> AppResult<DocumentKind> {
    DocumentKind::parse(kind).ok_or_else(AppError::not_found)
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{kind}/upload", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, body = UploadProgress)))]
pub async fn upload_progress(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path((id, kind)): Path<(String, String)>,
) -> AppResult<ApiJson<UploadProgress>> {
    let kind = document_kind(&kind)?;
    let mut conn = state.db.pool.acquire().await?;
    own_application(&mut conn, &driver.account_id, &id).await?;
    Ok(ApiJson(UploadProgress { received: store::upload_received(&mut conn, &id, kind).await? }))
}

#[derive(Deserialize)]
pub struct ChunkQuery {
    offset: u64,
}

/// One chunk of a file, at `offset`. A chunk that is already there (a retry) is accepted again
/// without being stored twice; a gap is refused with what the server holds.
#[utoipa::path(put, path = "/api/v1/applications/{id}/documents/{kind}/upload", params(("id" = String, Path), ("kind" = String, Path), ("offset" = u64, Query)), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, body = UploadProgress), (status = 409, body = ApiError)))]
pub async fn upload_chunk(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path((id, kind)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<ChunkQuery>,
    ApiBytes(chunk): ApiBytes,
) -> AppResult<ApiJson<UploadProgress>> {
    let kind = document_kind(&kind)?;
    let mut tx = state.db.pool.begin().await?;
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    application.state.may_replace(kind).map_err(AppError::application)?;
    let received = store::upload_received(&mut tx, &id, kind).await?;
    // The offset is the client's number: an absurd one is a mismatch, never an overflow.
    let end = query.offset.checked_add(chunk.len() as u64).ok_or_else(AppError::upload_mismatch)?;
    if end <= received {
        return Ok(ApiJson(UploadProgress { received }));
    }
    if query.offset != received {
        return Err(AppError::upload_mismatch());
    }
    if end > MAX_FILE_BYTES as u64 {
        store::discard_upload(&mut tx, &id, kind).await?;
        tx.commit().await?;
        return Err(AppError::file(FileProblem::TooLarge { max_bytes: MAX_FILE_BYTES as u64 }));
    }
    store::append_part(&mut tx, &id, kind, received, &chunk).await?;
    tx.commit().await?;
    Ok(ApiJson(UploadProgress { received: received + chunk.len() as u64 }))
}

/// The end of an upload: the file is whole, it is what it claims, it is stored. The file is
/// checked with no database connection held, and stored so that a request cut half-way leaves
/// no file behind.
#[utoipa::path(post, path = "/api/v1/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), request_body = CompleteUpload, responses((status = 200, body = ApplicationView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn complete_upload(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path((id, kind)): Path<(String, String)>,
    ApiJson(request): ApiJson<CompleteUpload>,
) -> AppResult<ApiJson<ApplicationView>> {
    let kind = document_kind(&kind)?;
    let bytes = {
        let mut conn = state.db.pool.acquire().await?;
        let application = own_application(&mut conn, &driver.account_id, &id).await?;
        application.state.may_replace(kind).map_err(AppError::application)?;
        store::read_upload(&mut conn, &id, kind).await?
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    let checked = if bytes.len() as u64 != request.size || sha256 != request.sha256.to_lowercase() {
        Err(AppError::upload_mismatch())
    } else {
        crate::files::check_document(kind, bytes).await
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            // The refused file is dropped; the driver sends another.
            store::discard_upload(&mut *state.db.pool.acquire().await?, &id, kind).await?;
            return Err(refused);
        }
    };
    let now = state.clock.now();
    let document = StoredDocument {
        kind,
        object_key: object_key(&id, kind),
        format: checked.format,
        size: checked.bytes.len() as u64,
        sha256: hex(&Sha256::digest(&checked.bytes)),
        replaced_for_correction: false,
        uploaded_at: now,
    };
    let stored = state.documents.put_uncommitted(&document.object_key, checked.bytes).await?;
    let mut tx = state.db.pool.begin().await?;
    // Checked again: the application may have moved on while the file was being checked.
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    application.state.may_replace(kind).map_err(AppError::application)?;
    let document = StoredDocument { replaced_for_correction: application.state.correction.is_some(), ..document };
    let previous = store::documents(&mut tx, &id).await?.into_iter().find(|d| d.kind == kind);
    store::discard_upload(&mut tx, &id, kind).await?;
    store::save_document(&mut tx, &id, &document).await?;
    db::audit(
        &mut tx,
        Some(&driver.account_id),
        AuditAction::Document,
        &id,
        &format!("Ajout : {}", document_label(kind)),
        now,
    )
    .await?;
    let view = own_view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    stored.keep();
    if let Some(previous) = previous {
        let _ = state.documents.delete(&previous.object_key).await;
    }
    Ok(ApiJson(view))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A document of one's own application, as it was stored (re-encoded, without metadata).
#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path((id, kind)): Path<(String, String)>,
) -> AppResult<impl IntoResponse> {
    let kind = document_kind(&kind)?;
    let mut conn = state.db.pool.acquire().await?;
    own_application(&mut conn, &driver.account_id, &id).await?;
    document_response(&state, &mut conn, &id, kind).await
}

pub async fn document_response(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    id: &str,
    kind: DocumentKind,
) -> AppResult<impl IntoResponse> {
    let document =
        store::documents(conn, id).await?.into_iter().find(|d| d.kind == kind).ok_or_else(AppError::not_found)?;
    let bytes = state.documents.get(&document.object_key).await?;
    Ok(super::download::attachment(kind.as_str(), bytes))
}

/// « Valider »: the file goes to processing.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 409, body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ApplicationView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    let provided: Vec<DocumentKind> = store::documents(&mut tx, &id).await?.iter().map(|d| d.kind).collect();
    let submitted =
        application.state.submit(&provided, application.delivery_address.is_some()).map_err(AppError::application)?;
    store::save_state(&mut tx, &id, &submitted, now).await?;
    db::audit(
        &mut tx,
        Some(&driver.account_id),
        AuditAction::Submitted,
        &id,
        "Demande envoyée au service de traitement",
        now,
    )
    .await?;
    let account = find_account(&mut tx, &driver.account_id).await?.ok_or_else(AppError::not_found)?;
    mail::enqueue(&mut tx, &templates::application_received(&account.email, &account.display_name), now).await?;
    let view = own_view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(view))
}

/// « Envoyer » after « Répondre »: every item asked for was provided again.
#[utoipa::path(post, path = "/api/v1/applications/{id}/answer", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 409, body = ApiError)))]
pub async fn answer(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ApplicationView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = own_application(&mut tx, &driver.account_id, &id).await?;
    let replaced: Vec<DocumentKind> =
        store::documents(&mut tx, &id).await?.iter().filter(|d| d.replaced_for_correction).map(|d| d.kind).collect();
    let answered = application.state.answer(&replaced).map_err(AppError::application)?;
    store::save_state(&mut tx, &id, &answered, now).await?;
    store::reset_replaced(&mut tx, &id).await?;
    db::audit(
        &mut tx,
        Some(&driver.account_id),
        AuditAction::Answered,
        &id,
        "Réponse envoyée : retour en traitement",
        now,
    )
    .await?;
    let view = own_view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}
