//! The processing agent's side of the account analysis: the queue against the 24-hour promise,
//! a request's file, acceptance, and the request for corrections; the identity checks of
//! trainings. The use cases are in `crate::workflows::accounts`.

use crate::auth::Agent;
use crate::clock::rfc3339;
use crate::db;
use crate::error::{ApiJson, ApiPath, AppResult};
use crate::workflows::accounts::{self as workflow, driver_account, registration_file};
use crate::{trainings, AppState};
use axum::extract::State;
use cqc_domain::account::analysis_clock;
use cqc_sync::api::ApiError;
use cqc_sync::api::{
    CorrectionRequest, IdentityCheckView, IdentityDecision, QueueEntry, RegistrationFile, RegistrationQueue,
};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/agent/registrations", responses((status = 200, body = RegistrationQueue), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<RegistrationQueue>> {
    let now = state.clock.now();
    let pending = db::pending_analysis(&mut *state.db.writer().await?).await?;
    let entries: Vec<QueueEntry> = pending
        .into_iter()
        .map(|a| QueueEntry {
            clock: analysis_clock(a.submitted_at, now),
            submitted_at: rfc3339(a.submitted_at),
            request_id: a.id,
            display_name: a.display_name,
            email: a.email,
            resubmitted: a.resubmitted,
        })
        .collect();
    Ok(ApiJson(RegistrationQueue {
        count: entries.len() as u32,
        overdue: entries.iter().filter(|e| e.clock.overdue).count() as u32,
        entries,
    }))
}

#[utoipa::path(get, path = "/api/v1/agent/registrations/{id}", params(("id" = String, Path)), responses((status = 200, body = RegistrationFile), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    _agent: Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<RegistrationFile>> {
    let mut conn = state.db.writer().await?;
    let account = driver_account(&mut conn, &id.to_string()).await?;
    Ok(ApiJson(registration_file(&mut conn, &state, account).await?))
}

#[utoipa::path(post, path = "/api/v1/agent/registrations/{id}/accept", params(("id" = String, Path)), responses((status = 200, body = RegistrationFile), (status = 409, body = ApiError)))]
pub async fn accept(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<RegistrationFile>> {
    Ok(ApiJson(workflow::accept(&state, &agent, &id.to_string()).await?))
}

#[utoipa::path(post, path = "/api/v1/agent/registrations/{id}/request-correction", params(("id" = String, Path)), request_body = CorrectionRequest, responses((status = 200, body = RegistrationFile), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn request_correction(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<CorrectionRequest>,
) -> AppResult<ApiJson<RegistrationFile>> {
    Ok(ApiJson(workflow::request_correction(&state, &agent, &id.to_string(), &request.items).await?))
}

/// The trainings waiting for an identity check, oldest first, each beside the account it names.
#[utoipa::path(get, path = "/api/v1/agent/identity-checks", responses((status = 200, body = Vec<IdentityCheckView>)))]
pub async fn identity_checks(
    State(state): State<AppState>,
    _agent: Agent,
) -> AppResult<ApiJson<Vec<IdentityCheckView>>> {
    let mut conn = state.db.writer().await?;
    let pending: Vec<trainings::Stored> = crate::db::trainings::pending_identity_checks(&mut conn).await?;
    let mut views = Vec::new();
    for training in pending {
        let record = &training.record;
        let licence = cqc_domain::licence::normalize(&record.licence_number);
        let holder = crate::db::trainings::driver_with_licence(&mut conn, &licence).await?;
        let centre = crate::db::trainings::find_centre(&mut conn, &training.centre_id).await?;
        let Some(holder) = holder else { continue };
        let registered = holder.registration.as_ref();
        views.push(IdentityCheckView {
            training_id: training.id.clone(),
            centre_name: centre.name,
            centre_approval_number: centre.approval_number,
            trainee: format!("{} {}", record.first_names.trim(), record.last_name.trim()),
            birth_date: record.birth_date.trim().to_owned(),
            licence_number: licence,
            training: format!(
                "{} du {} au {}",
                record.kind.map_or("Formation", |k| k.title_fr()),
                record.start_date.trim(),
                record.end_date.trim()
            ),
            holder: registered.map_or(holder.display_name.clone(), |r| {
                let usage =
                    if r.usage_name.trim().is_empty() { String::new() } else { format!(" (usage : {})", r.usage_name) };
                format!("{} {}{usage}", r.first_names, r.last_name)
            }),
            holder_email: holder.email,
        });
    }
    Ok(ApiJson(views))
}

#[utoipa::path(post, path = "/api/v1/agent/identity-checks/{id}", params(("id" = String, Path)), request_body = IdentityDecision, responses((status = 204), (status = 404, body = ApiError)))]
pub async fn decide_identity_check(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<String>,
    ApiJson(decision): ApiJson<IdentityDecision>,
) -> AppResult<axum::http::StatusCode> {
    workflow::decide_identity_check(&state, &agent, &id, decision.same_person).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
