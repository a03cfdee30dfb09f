//! Guide step 03: logging in and out, and what a logged-in user reads about themself.

use crate::auth::{Caller, Driver};
use crate::clock::rfc3339;
use crate::db;
use crate::db::Optional;
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::throttle::{self, ClientAddress};
use crate::workflows;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cqc_domain::account::Role;
use cqc_domain::throttle::Action;
use cqc_sync::api::ApiError;
use cqc_sync::api::{AccountClosureRequest, Health, LoginRequest, Notification, Profile, Session};

#[utoipa::path(get, path = "/api/v1/health", responses((status = 200, body = Health)))]
pub async fn health() -> ApiJson<Health> {
    ApiJson(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest, responses((status = 200, body = Session), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 415, body = ApiError), (status = 429, body = ApiError), (status = 503, body = ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<LoginRequest>,
) -> AppResult<ApiJson<Session>> {
    // The address is throttled first, so that one client cannot lock account after account.
    throttle::count_address(&state, Action::LoginFromAddress, address).await?;
    let (token, expires_at, account) = workflows::sessions::log_in(&state, &request.email, request.password).await?;
    Ok(ApiJson(Session { token, expires_at: rfc3339(expires_at), profile: Profile::from(account) }))
}

#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> AppResult<StatusCode> {
    db::delete_session(&mut *state.db.writer().await?, &caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Profile), (status = 401, body = ApiError)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> AppResult<ApiJson<Profile>> {
    let account = db::find_account(&mut *state.db.reader().await?, &caller.account_id)
        .await
        .optional()?
        .ok_or_else(AppError::unauthenticated)?;
    Ok(ApiJson(Profile::from(account)))
}

/// A driver reads only their own account; an agent any. Another's id answers « introuvable ».
#[utoipa::path(get, path = "/api/v1/accounts/{id}", params(("id" = String, Path)), responses((status = 200, body = Profile), (status = 404, body = ApiError)))]
pub async fn account(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> AppResult<ApiJson<Profile>> {
    if caller.role != Role::Agent && caller.account_id != id {
        return Err(AppError::not_found());
    }
    let account = db::find_account(&mut *state.db.reader().await?, &id).await?;
    Ok(ApiJson(Profile::from(account)))
}

/// « Mes données »: everything the service holds about the driver, in one archive.
#[utoipa::path(get, path = "/api/v1/me/data", responses((status = 200, content_type = "application/zip"), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 429, body = ApiError)))]
pub async fn my_data(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<Response> {
    // Each archive gathers every file the driver sent: a few an hour are plenty.
    throttle::count(&state, Action::PersonalDataByAccount, &driver.account_id).await?;
    let archive = crate::personal_data::archive(&state, &driver.account_id).await?;
    Ok(super::download::attachment_as("application/zip", "mes-donnees-cqc.zip", archive))
}

/// « Clôturer mon compte » (driver): see `workflows::accounts::close_account`.
#[utoipa::path(post, path = "/api/v1/me/closure", request_body = AccountClosureRequest, responses((status = 204), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn close_account(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<AccountClosureRequest>,
) -> AppResult<StatusCode> {
    crate::workflows::accounts::close_account(&state, &driver.account_id, request.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = Vec<Notification>), (status = 401, body = ApiError)))]
pub async fn notifications(State(state): State<AppState>, caller: Caller) -> AppResult<ApiJson<Vec<Notification>>> {
    let stored = db::notifications(&mut *state.db.reader().await?, &caller.account_id).await?;
    Ok(ApiJson(stored.into_iter().map(Notification::from).collect()))
}

/// The account has seen its notifications: none counts as unread any more, on any computer.
#[utoipa::path(post, path = "/api/v1/notifications/read", responses((status = 204), (status = 401, body = ApiError)))]
pub async fn mark_notifications_read(State(state): State<AppState>, caller: Caller) -> AppResult<StatusCode> {
    db::mark_notifications_read(&mut *state.db.writer().await?, &caller.account_id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
