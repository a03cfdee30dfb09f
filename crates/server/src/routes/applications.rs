//! The driver's card application (guide steps 05–07): « Commencer », the documents uploaded in
//! resumable chunks and checked by their content, the delivery address, « Valider », « Annuler »,
//! and « Répondre » to a correction request.

use crate::applications::{application_views, document_bytes, eligibility_of, own_application, own_view};
use crate::auth::Driver;
use crate::db::applications as store;
use crate::error::{ApiBytes, ApiJson, ApiPath, ApiQuery, AppError, AppResult};
use crate::replacements::cleaned_address;
use crate::workflows::applications as workflow;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use cqc_domain::application::ApplicationDocument;
use cqc_domain::calendar::french_day;
use cqc_sync::api::ApiError;
use cqc_sync::applications::{
    ApplicationView, CompleteUpload, DeliveryAddressRequest, Eligibility, NewApplication, UploadProgress,
};
use serde::Deserialize;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/applications/eligibility", responses((status = 200, body = Eligibility)))]
pub async fn eligibility(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Eligibility>> {
    let mut conn = state.db.writer().await?;
    let result = eligibility_of(&mut conn, &driver.account_id, french_day(state.clock.now())).await?;
    Ok(ApiJson(Eligibility { not_eligible: result.as_ref().err().copied(), entitlement: result.ok() }))
}

#[utoipa::path(get, path = "/api/v1/applications", responses((status = 200, body = Vec<ApplicationView>)))]
pub async fn list(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<ApplicationView>>> {
    let mut conn = state.db.writer().await?;
    let applications = store::applications_of(&mut conn, &driver.account_id).await?;
    Ok(ApiJson(application_views(&mut conn, applications).await?))
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
    Ok(ApiJson(workflow::start(&state, &driver, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ApplicationView>> {
    Ok(ApiJson(own_view(&mut *state.db.writer().await?, &driver.account_id, &id.to_string()).await?))
}

/// « Annuler »: only a draft; its documents, photo, signature and address are deleted.
#[utoipa::path(delete, path = "/api/v1/applications/{id}", params(("id" = String, Path)), responses((status = 204), (status = 409, body = ApiError)))]
pub async fn cancel(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<StatusCode> {
    workflow::cancel(&state, &driver, &id.to_string()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/applications/{id}/delivery-address", params(("id" = String, Path)), request_body = DeliveryAddressRequest, responses((status = 200, body = ApplicationView), (status = 422, body = ApiError)))]
pub async fn delivery_address(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<DeliveryAddressRequest>,
) -> AppResult<ApiJson<ApplicationView>> {
    let cleaned = cleaned_address(&request.address)?;
    Ok(ApiJson(workflow::set_delivery_address(&state, &driver, &id.to_string(), &cleaned).await?))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{kind}/upload", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, body = UploadProgress)))]
pub async fn upload_progress(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath((id, document)): ApiPath<(Uuid, ApplicationDocument)>,
) -> AppResult<ApiJson<UploadProgress>> {
    let kind = document.kind();
    let id = id.to_string();
    let mut conn = state.db.writer().await?;
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
    ApiPath((id, document)): ApiPath<(Uuid, ApplicationDocument)>,
    ApiQuery(query): ApiQuery<ChunkQuery>,
    ApiBytes(chunk): ApiBytes,
) -> AppResult<ApiJson<UploadProgress>> {
    let kind = document.kind();
    let received = workflow::receive_chunk(&state, &driver, &id.to_string(), kind, query.offset, &chunk).await?;
    Ok(ApiJson(UploadProgress { received }))
}

/// The end of an upload: the file is whole, it is what it claims, it is stored. The file is
/// checked with no database connection held, and stored so that a request cut half-way leaves
/// no file behind.
#[utoipa::path(post, path = "/api/v1/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), request_body = CompleteUpload, responses((status = 200, body = ApplicationView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn complete_upload(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath((id, document)): ApiPath<(Uuid, ApplicationDocument)>,
    ApiJson(request): ApiJson<CompleteUpload>,
) -> AppResult<ApiJson<ApplicationView>> {
    let kind = document.kind();
    let view = workflow::complete_upload(&state, &driver, &id.to_string(), kind, request.size, &request.sha256).await?;
    Ok(ApiJson(view))
}

/// A document of one's own application, as it was stored (re-encoded, without metadata).
#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath((id, document)): ApiPath<(Uuid, ApplicationDocument)>,
) -> AppResult<impl IntoResponse> {
    let kind = document.kind();
    let id = id.to_string();
    let mut conn = state.db.writer().await?;
    own_application(&mut conn, &driver.account_id, &id).await?;
    Ok(super::download::attachment(kind.as_str(), document_bytes(&state, &mut conn, &id, kind).await?))
}

/// « Valider »: the file goes to processing.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 409, body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ApplicationView>> {
    Ok(ApiJson(workflow::submit(&state, &driver, &id.to_string()).await?))
}

/// « Envoyer » after « Répondre »: every item asked for was provided again.
#[utoipa::path(post, path = "/api/v1/applications/{id}/answer", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 409, body = ApiError)))]
pub async fn answer(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ApplicationView>> {
    Ok(ApiJson(workflow::answer_correction(&state, &driver, &id.to_string()).await?))
}
