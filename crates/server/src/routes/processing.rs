//! The agent's side of card applications: the queue with counts and ages, a file with its
//! documents, approval (which makes the card), refusal, the correction request, and the card's
//! production steps, one card or a batch. Every action is audited.

use crate::applications::{any_application, card_views, document_bytes};
use crate::auth::Agent;
use crate::clock::rfc3339;
use crate::db::applications as store;
use crate::db::cards as stored_cards;
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::workflows;
use crate::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use cqc_domain::application::{files_in_waiting_order, ApplicationDocument, ApplicationStatus};
use cqc_sync::api::ApiError;
use cqc_sync::applications::{
    ApplicationCorrectionRequest, ApplicationFile, ApplicationQueue, ApplicationQueueEntry, CardStepRequest, CardView,
    RefusalRequest,
};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/agent/applications", responses((status = 200, body = ApplicationQueue), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<ApplicationQueue>> {
    let now = state.clock.now();
    let rows = store::processing_queue(&mut *state.db.writer().await?).await?;
    let sent = |application: &store::StoredApplication| application.submitted_at.unwrap_or(application.created_at);
    let waiting_order = files_in_waiting_order(rows.iter().map(|(a, _)| (a.id.as_str(), sent(a), &a.state)))
        .into_iter()
        .map(str::to_owned)
        .collect();
    let entries: Vec<ApplicationQueueEntry> = rows
        .into_iter()
        .map(|(application, driver_name)| {
            let submitted = sent(&application);
            ApplicationQueueEntry {
                application_id: application.id,
                driver_name,
                state: application.state,
                submitted_at: rfc3339(submitted),
                age_hours: (now - submitted).whole_hours(),
            }
        })
        .collect();
    let count = |f: &dyn Fn(&ApplicationQueueEntry) -> bool| entries.iter().filter(|e| f(e)).count() as u32;
    Ok(ApiJson(ApplicationQueue {
        to_process: count(&|e| e.state.status == ApplicationStatus::Submitted),
        in_processing: count(&|e| e.state.status == ApplicationStatus::InProcessing && e.state.awaits_agent()),
        waiting_for_driver: count(&|e| e.state.correction.is_some()),
        waiting_order,
        entries,
    }))
}

/// Opens a file; a file just sent is taken into processing by the agent who opens it.
#[utoipa::path(get, path = "/api/v1/agent/applications/{id}", params(("id" = String, Path)), responses((status = 200, body = ApplicationFile), (status = 404, body = ApiError)))]
pub async fn open(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ApplicationFile>> {
    Ok(ApiJson(workflows::processing::open(&state, &agent, &id.to_string()).await?))
}

#[utoipa::path(get, path = "/api/v1/agent/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn document(
    State(state): State<AppState>,
    _agent: Agent,
    ApiPath((id, document)): ApiPath<(Uuid, ApplicationDocument)>,
) -> AppResult<impl IntoResponse> {
    let kind = document.kind();
    let id = id.to_string();
    let mut conn = state.db.writer().await?;
    let application = any_application(&mut conn, &id).await?;
    if application.state.status == ApplicationStatus::Draft {
        return Err(AppError::not_found());
    }
    Ok(super::download::attachment(kind.as_str(), document_bytes(&state, &mut conn, &id, kind).await?))
}

/// Approval: the card is made (number, holder, photo, qualifications, code 95 expiry) and goes
/// into production.
#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/approve", params(("id" = String, Path)), responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError)))]
pub async fn approve(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ApplicationFile>> {
    Ok(ApiJson(workflows::processing::approve(&state, &agent, &id.to_string()).await?))
}

#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/refuse", params(("id" = String, Path)), request_body = RefusalRequest, responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError)))]
pub async fn refuse(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<RefusalRequest>,
) -> AppResult<ApiJson<ApplicationFile>> {
    Ok(ApiJson(workflows::processing::refuse(&state, &agent, &id.to_string(), &request.reason).await?))
}

/// Items to provide again, each with its reason: email, SMS and a notification with « en savoir
/// plus » tell the driver.
#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/request-correction", params(("id" = String, Path)), request_body = ApplicationCorrectionRequest, responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn request_correction(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<ApplicationCorrectionRequest>,
) -> AppResult<ApiJson<ApplicationFile>> {
    Ok(ApiJson(workflows::processing::request_correction(&state, &agent, &id.to_string(), &request.items).await?))
}

#[utoipa::path(get, path = "/api/v1/agent/cards", responses((status = 200, body = Vec<CardView>), (status = 403, body = ApiError)))]
pub async fn cards(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<Vec<CardView>>> {
    let mut conn = state.db.writer().await?;
    let cards = stored_cards::cards_in_progress(&mut conn).await?;
    Ok(ApiJson(card_views(&mut conn, cards).await?))
}

/// Printed, shipped, delivered or returned: one card or a batch, all of them or none.
#[utoipa::path(post, path = "/api/v1/agent/cards/step", request_body = CardStepRequest, responses((status = 200, body = Vec<CardView>), (status = 409, body = ApiError)))]
pub async fn card_step(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiJson(request): ApiJson<CardStepRequest>,
) -> AppResult<ApiJson<Vec<CardView>>> {
    Ok(ApiJson(workflows::processing::card_step(&state, &agent, request.event, &request.card_ids).await?))
}
