//! Guide steps 01 and 02: the registration, its correction, and the password links. Each
//! request is counted against its address first (`throttle`); the use cases are in
//! `crate::workflows::accounts`.

use crate::clock::rfc3339;
use crate::db;
use crate::db::Optional;
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::throttle::{self, ClientAddress};
use crate::workflows::accounts::{self as workflow, live_link, PasswordEmail};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use cqc_domain::account::{AccountStatus, LinkPurpose};
use cqc_domain::contact::Email;
use cqc_domain::registration::RegistrationInput;
use cqc_domain::throttle::Action;
use cqc_sync::api::ApiError;
use cqc_sync::api::{CorrectionView, ForgotPasswordRequest, LinkInfo, RegistrationReceipt, SetPasswordRequest};

#[utoipa::path(post, path = "/api/v1/registrations", request_body = RegistrationInput, responses((status = 201, body = RegistrationReceipt), (status = 422, body = ApiError), (status = 400, body = ApiError)))]
pub async fn register(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> AppResult<(StatusCode, ApiJson<RegistrationReceipt>)> {
    throttle::count_address(&state, Action::RegistrationFromAddress, address).await?;
    Ok((StatusCode::CREATED, ApiJson(workflow::register(&state, &input).await?)))
}

/// What a pasted link is for, so the app opens the right screen.
#[utoipa::path(get, path = "/api/v1/links/{token}", params(("token" = String, Path)), responses((status = 200, body = LinkInfo), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn link_info(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiPath(token): ApiPath<String>,
) -> AppResult<ApiJson<LinkInfo>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let mut conn = state.db.writer().await?;
    let link = live_link(
        &mut conn,
        &state,
        &token,
        &[LinkPurpose::SetPassword, LinkPurpose::ResetPassword, LinkPurpose::CorrectRegistration],
    )
    .await?;
    let account = db::find_account(&mut conn, &link.account_id).await.optional()?.ok_or_else(AppError::link_invalid)?;
    Ok(ApiJson(LinkInfo { purpose: link.purpose, email: account.email, expires_at: rfc3339(link.expires_at) }))
}

#[utoipa::path(post, path = "/api/v1/password", request_body = SetPasswordRequest, responses((status = 204), (status = 422, body = ApiError), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn set_password(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<SetPasswordRequest>,
) -> AppResult<StatusCode> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    workflow::set_password(&state, &request.token, &request.password, &request.confirmation).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Always the same answer, so that nobody learns whether an email has an account.
#[utoipa::path(post, path = "/api/v1/password/forgot", request_body = ForgotPasswordRequest, responses((status = 202), (status = 400, body = ApiError), (status = 415, body = ApiError), (status = 429, body = ApiError)))]
pub async fn forgot_password(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<ForgotPasswordRequest>,
) -> AppResult<StatusCode> {
    throttle::count_address(&state, Action::PasswordHelpFromAddress, address).await?;
    let Ok(email) = Email::parse(&request.email) else {
        return Ok(StatusCode::ACCEPTED);
    };
    let account = db::find_account_by_email(&mut *state.db.writer().await?, email.as_str()).await?;
    if let Some(account) = account {
        workflow::send_password_email(&state, &account, PasswordEmail::Requested).await?;
    }
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(get, path = "/api/v1/registration-corrections/{token}", params(("token" = String, Path)), responses((status = 200, body = CorrectionView), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn correction(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiPath(token): ApiPath<String>,
) -> AppResult<ApiJson<CorrectionView>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let mut conn = state.db.writer().await?;
    let link = live_link(&mut conn, &state, &token, &[LinkPurpose::CorrectRegistration]).await?;
    let account = db::find_account(&mut conn, &link.account_id).await.optional()?.ok_or_else(AppError::link_invalid)?;
    if account.status != AccountStatus::CorrectionRequested {
        return Err(AppError::link_used());
    }
    let items = db::review_items(&mut conn, &account.id).await?;
    Ok(ApiJson(CorrectionView { registration: account.registration.unwrap_or_default(), items }))
}

#[utoipa::path(put, path = "/api/v1/registration-corrections/{token}", params(("token" = String, Path)), request_body = RegistrationInput, responses((status = 200, body = RegistrationReceipt), (status = 422, body = ApiError), (status = 410, body = ApiError)))]
pub async fn submit_correction(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiPath(token): ApiPath<String>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> AppResult<ApiJson<RegistrationReceipt>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    Ok(ApiJson(workflow::correct_registration(&state, &token, &input).await?))
}
