//! The administration space: centres, staff accounts, fees, the audit journal. Administrators only;
//! the use cases are in `crate::workflows::administration`.

use crate::auth::Admin;
use crate::clock::rfc3339;
use crate::db::admin::{self as store, JournalFilter, JournalPosition};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError, AppResult};
use crate::workflows::administration as workflow;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use cqc_domain::calendar::french_day;
use cqc_sync::admin::{
    CentreView, JournalEntry, JournalPage, JournalQuery, NewCentre, NewFees, NewStaff, ScheduledFeesView, StaffView,
};
use cqc_sync::api::ApiError;
use uuid::Uuid;

/// Lines of the journal per page.
const JOURNAL_PAGE: i64 = 100;
/// The largest line number every JSON reader holds exactly (2⁵³ − 1).
const MAX_LINE: i64 = (1 << 53) - 1;

#[utoipa::path(get, path = "/api/v1/admin/centres", responses((status = 200, body = Vec<CentreView>), (status = 403, body = ApiError)))]
pub async fn centres(State(state): State<AppState>, _admin: Admin) -> AppResult<ApiJson<Vec<CentreView>>> {
    let rows = store::centres(&mut *state.db.reader().await?).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|c| CentreView {
                id: c.id,
                name: c.name,
                approval_number: c.approval_number,
                address: c.address,
                staff: u32::try_from(c.staff).unwrap_or(u32::MAX),
                approved_at: rfc3339(c.approved_at),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/centres", request_body = NewCentre, responses((status = 201, body = CentreView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn approve_centre(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(input): ApiJson<NewCentre>,
) -> AppResult<(StatusCode, ApiJson<CentreView>)> {
    Ok((StatusCode::CREATED, ApiJson(workflow::approve_centre(&state, &admin, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/admin/staff", responses((status = 200, body = Vec<StaffView>), (status = 403, body = ApiError)))]
pub async fn staff(State(state): State<AppState>, _admin: Admin) -> AppResult<ApiJson<Vec<StaffView>>> {
    let rows = store::staff(&mut *state.db.reader().await?).await?;
    Ok(ApiJson(rows.into_iter().map(workflow::to_view).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/staff", request_body = NewStaff, responses((status = 201, body = StaffView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn invite_staff(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(input): ApiJson<NewStaff>,
) -> AppResult<(StatusCode, ApiJson<StaffView>)> {
    Ok((StatusCode::CREATED, ApiJson(workflow::invite_staff(&state, &admin, &input).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/deactivate", params(("id" = String, Path)), responses((status = 200, body = StaffView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn deactivate_staff(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<StaffView>> {
    Ok(ApiJson(workflow::deactivate_staff(&state, &admin, &id.to_string()).await?))
}

#[utoipa::path(get, path = "/api/v1/admin/fees", responses((status = 200, body = Vec<ScheduledFeesView>), (status = 403, body = ApiError)))]
pub async fn fees(State(state): State<AppState>, _admin: Admin) -> AppResult<ApiJson<Vec<ScheduledFeesView>>> {
    let today = french_day(state.clock.now());
    Ok(ApiJson(workflow::fee_schedule(&mut *state.db.reader().await?, today).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/fees", request_body = NewFees, responses((status = 201, body = ScheduledFeesView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn schedule_fees(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(input): ApiJson<NewFees>,
) -> AppResult<(StatusCode, ApiJson<ScheduledFeesView>)> {
    Ok((StatusCode::CREATED, ApiJson(workflow::schedule_fees(&state, &admin, &input).await?)))
}

#[utoipa::path(delete, path = "/api/v1/admin/fees/{starts_on}", params(("starts_on" = String, Path, description = "ISO date")), responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel_fees(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(starts_on): ApiPath<String>,
) -> AppResult<StatusCode> {
    workflow::cancel_fees(&state, &admin, &starts_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/admin/journal", params(JournalQuery), responses((status = 200, body = JournalPage), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub async fn journal(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<JournalQuery>,
) -> AppResult<ApiJson<JournalPage>> {
    // A line number the journal gave is in [1, 2⁵³): any other is none of its pages.
    if query.before.is_some_and(|before| !(1..=MAX_LINE).contains(&before)) {
        return Err(AppError::bad_request("Cette page du journal n'existe pas."));
    }
    if query.before_id.as_ref().is_some_and(|id| query.before.is_none() || id.len() > 64) {
        return Err(AppError::bad_request("Cette page du journal n'existe pas."));
    }
    let filter = JournalFilter {
        action: query.action,
        actor: query.actor.as_deref().filter(|a| !a.trim().is_empty()),
        subject: query.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()),
        before: query.before.map(|seq| JournalPosition { seq, id: query.before_id.as_deref() }),
        limit: JOURNAL_PAGE + 1,
    };
    let mut rows = store::journal(&mut *state.db.reader().await?, &filter).await?;
    let more = rows.len() as i64 > JOURNAL_PAGE;
    rows.truncate(JOURNAL_PAGE as usize);
    let next = if more { rows.last() } else { None };
    let (next_before, next_before_id) = (next.map(|r| r.seq), next.map(|r| r.id.clone()));
    let entries = rows
        .into_iter()
        .map(|r| JournalEntry {
            seq: r.seq,
            at: rfc3339(r.at),
            actor: r.actor,
            action: r.action,
            subject_id: r.subject_id,
            detail: r.detail,
        })
        .collect();
    Ok(ApiJson(JournalPage { entries, next_before, next_before_id }))
}
