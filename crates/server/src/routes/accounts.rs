//! Guide steps 01 and 02: the registration, its correction, and the password links.

use crate::clock::rfc3339;
use crate::db::{self, guards, Account, Link, NewAccount};
use crate::error::{ApiJson, AppError, AppResult};
use crate::mail::{self, templates};
use crate::secrets::{hash_password, new_token, token_hash};
use crate::throttle::{self, ClientAddress};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cqc_domain::account::{AccountStatus, LinkPurpose, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::contact::Email;
use cqc_domain::password::NewPassword;
use cqc_domain::registration::{validate, FieldError, FieldErrors, Registration, RegistrationField, RegistrationInput};
use cqc_domain::throttle::Action;
use cqc_sync::api::ApiError;
use cqc_sync::api::{CorrectionView, ForgotPasswordRequest, LinkInfo, RegistrationReceipt, SetPasswordRequest};
use sqlx::AnyConnection;

#[utoipa::path(post, path = "/api/v1/registrations", request_body = RegistrationInput, responses((status = 201, body = RegistrationReceipt), (status = 422, body = ApiError), (status = 400, body = ApiError)))]
pub async fn register(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> AppResult<(StatusCode, ApiJson<RegistrationReceipt>)> {
    throttle::count_address(&state, Action::RegistrationFromAddress, address).await?;
    let now = state.clock.now();
    let registration = validate(&input, french_day(now)).map_err(AppError::invalid_fields)?;
    let mut tx = state.db.pool.begin().await?;
    ensure_unique(&mut tx, &registration, "").await?;
    let id = db::insert_account(
        &mut tx,
        &NewAccount {
            role: Role::Driver,
            status: AccountStatus::PendingAnalysis,
            email: registration.email.as_str(),
            licence_number: Some(registration.licence.as_str()),
            display_name: &registration.display_name(),
            registration: Some(&registration.to_input()),
            password_hash: None,
        },
        now,
    )
    .await
    .map_err(|e| unique_violation_as_field_error(e, RegistrationField::Email))?;
    db::audit(
        &mut tx,
        None,
        AuditAction::RegistrationSubmitted,
        &id,
        "Demande de création de compte envoyée pour analyse",
        now,
    )
    .await?;
    mail::enqueue(
        &mut tx,
        &templates::registration_received(registration.email.as_str(), &registration.display_name()),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail.wake();
    let receipt = RegistrationReceipt {
        request_id: id,
        email: registration.email.to_string(),
        status: AccountStatus::PendingAnalysis,
    };
    Ok((StatusCode::CREATED, ApiJson(receipt)))
}

/// What a pasted link is for, so the app opens the right screen.
#[utoipa::path(get, path = "/api/v1/links/{token}", params(("token" = String, Path)), responses((status = 200, body = LinkInfo), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn link_info(
    State(state): State<AppState>,
    address: ClientAddress,
    Path(token): Path<String>,
) -> AppResult<ApiJson<LinkInfo>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let mut conn = state.db.pool.acquire().await?;
    let link = live_link(
        &mut conn,
        &state,
        &token,
        &[LinkPurpose::SetPassword, LinkPurpose::ResetPassword, LinkPurpose::CorrectRegistration],
    )
    .await?;
    let account = db::find_account(&mut conn, &link.account_id).await?.ok_or_else(AppError::link_invalid)?;
    Ok(ApiJson(LinkInfo { purpose: link.purpose, email: account.email, expires_at: rfc3339(link.expires_at) }))
}

#[utoipa::path(post, path = "/api/v1/password", request_body = SetPasswordRequest, responses((status = 204), (status = 422, body = ApiError), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn set_password(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<SetPasswordRequest>,
) -> AppResult<StatusCode> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let password = NewPassword::parse(&request.password, &request.confirmation).map_err(AppError::password)?;
    let password_purposes = [LinkPurpose::SetPassword, LinkPurpose::ResetPassword];
    // Checked before the costly hashing, and again in the transaction that uses it.
    live_link(&mut *state.db.pool.acquire().await?, &state, &request.token, &password_purposes).await?;
    let hash = hash_password(password.expose().to_owned()).await?;

    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let link = live_link(&mut tx, &state, &request.token, &password_purposes).await?;
    let account = db::find_account(&mut tx, &link.account_id).await?.ok_or_else(AppError::link_invalid)?;
    let status = account.status.set_password().map_err(AppError::transition)?;
    if !db::use_link(&mut tx, &token_hash(&request.token), now).await? {
        return Err(AppError::link_used());
    }
    db::set_password(&mut tx, &account.id, &hash, status, now).await?;
    // A new password set through the emailed link also ends a login lock.
    guards::clear_login_guard(&mut tx, &super::session::login_guard_key(&account.email)).await?;
    // A new password closes every session opened with the old one.
    db::delete_sessions_of(&mut tx, &account.id).await?;
    db::audit(&mut tx, Some(&account.id), AuditAction::PasswordSet, &account.id, "Mot de passe enregistré", now)
        .await?;
    db::insert_notification(
        &mut tx,
        &account.id,
        "Mot de passe enregistré",
        "Votre mot de passe a été enregistré.",
        now,
    )
    .await?;
    mail::enqueue(&mut tx, &templates::password_changed(&account.email), now).await?;
    tx.commit().await?;
    state.mail.wake();
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
    let account = db::find_account_by_email(&mut *state.db.pool.acquire().await?, email.as_str()).await?;
    if let Some(account) = account {
        send_password_email(&state, &account, PasswordEmail::Requested).await?;
    }
    Ok(StatusCode::ACCEPTED)
}

/// Why a password email goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PasswordEmail {
    /// « Mot de passe oublié ».
    Requested,
    /// The account was just locked: the owner may unlock it with a new password.
    LockWarning,
}

/// Sends the account a link to set its password (retiring its older ones), at most one such
/// email every few minutes whoever asks: a mailbox cannot be flooded. Accounts that cannot have
/// a password yet get nothing.
pub(crate) async fn send_password_email(state: &AppState, account: &Account, why: PasswordEmail) -> AppResult<()> {
    // An accepted account still waiting for its password gets a new « Créer mon mot de passe ».
    let purpose = match account.status {
        AccountStatus::Active => LinkPurpose::ResetPassword,
        AccountStatus::AwaitingPassword => LinkPurpose::SetPassword,
        AccountStatus::PendingAnalysis | AccountStatus::CorrectionRequested => return Ok(()),
    };
    if throttle::count(state, Action::PasswordEmailToAccount, &account.id).await.is_err() {
        return Ok(());
    }
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let link = issue_link(&mut tx, state, &account.id, purpose, now).await?;
    let email = match (purpose, why) {
        (LinkPurpose::SetPassword, _) => templates::set_password(&account.email, &account.display_name, &link),
        (_, PasswordEmail::LockWarning) => templates::account_locked(&account.email, &link),
        (_, PasswordEmail::Requested) => templates::reset_password(&account.email, &link),
    };
    mail::enqueue(&mut tx, &email, now).await?;
    db::audit(&mut tx, None, AuditAction::PasswordLinkRequested, &account.id, "Lien de mot de passe envoyé", now)
        .await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/registration-corrections/{token}", params(("token" = String, Path)), responses((status = 200, body = CorrectionView), (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn correction(
    State(state): State<AppState>,
    address: ClientAddress,
    Path(token): Path<String>,
) -> AppResult<ApiJson<CorrectionView>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let mut conn = state.db.pool.acquire().await?;
    let link = live_link(&mut conn, &state, &token, &[LinkPurpose::CorrectRegistration]).await?;
    let account = db::find_account(&mut conn, &link.account_id).await?.ok_or_else(AppError::link_invalid)?;
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
    Path(token): Path<String>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> AppResult<ApiJson<RegistrationReceipt>> {
    throttle::count_address(&state, Action::LinkFromAddress, address).await?;
    let now = state.clock.now();
    let registration = validate(&input, french_day(now)).map_err(AppError::invalid_fields)?;
    let mut tx = state.db.pool.begin().await?;
    let link = live_link(&mut tx, &state, &token, &[LinkPurpose::CorrectRegistration]).await?;
    let account = db::find_account(&mut tx, &link.account_id).await?.ok_or_else(AppError::link_invalid)?;
    account.status.resubmit().map_err(AppError::transition)?;
    ensure_unique(&mut tx, &registration, &account.id).await?;
    if !db::use_link(&mut tx, &token_hash(&token), now).await? {
        return Err(AppError::link_used());
    }
    db::resubmit_registration(
        &mut tx,
        &account.id,
        &registration.to_input(),
        registration.email.as_str(),
        registration.licence.as_str(),
        &registration.display_name(),
        now,
    )
    .await
    .map_err(|e| unique_violation_as_field_error(e, RegistrationField::Email))?;
    db::audit(
        &mut tx,
        Some(&account.id),
        AuditAction::RegistrationCorrected,
        &account.id,
        "Informations corrigées, nouvelle analyse",
        now,
    )
    .await?;
    mail::enqueue(
        &mut tx,
        &templates::registration_received(registration.email.as_str(), &registration.display_name()),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(RegistrationReceipt {
        request_id: account.id,
        email: registration.email.to_string(),
        status: AccountStatus::PendingAnalysis,
    }))
}

/// Creates a single-use link of `purpose` (retiring the account's older ones) and returns its URL.
pub(super) async fn issue_link(
    conn: &mut AnyConnection,
    state: &AppState,
    account_id: &str,
    purpose: LinkPurpose,
    now: time::OffsetDateTime,
) -> AppResult<String> {
    let (token, hash) = new_token();
    db::retire_links(conn, account_id, purpose, now).await?;
    db::insert_link(conn, &hash, account_id, purpose, now).await?;
    let page = match purpose {
        LinkPurpose::CorrectRegistration => "correction",
        LinkPurpose::SetPassword | LinkPurpose::ResetPassword => "mot-de-passe",
    };
    Ok(format!("{}/{page}?jeton={token}", state.public_url))
}

/// The link behind `token` if it is one of `purposes`, unused and not expired.
async fn live_link(
    conn: &mut AnyConnection,
    state: &AppState,
    token: &str,
    purposes: &[LinkPurpose],
) -> AppResult<Link> {
    let link = db::find_link(conn, &token_hash(token))
        .await?
        .filter(|l| purposes.contains(&l.purpose))
        .ok_or_else(AppError::link_invalid)?;
    if link.used {
        return Err(AppError::link_used());
    }
    if link.expires_at <= state.clock.now() {
        return Err(AppError::link_expired());
    }
    Ok(link)
}

async fn ensure_unique(conn: &mut AnyConnection, registration: &Registration, except_id: &str) -> AppResult<()> {
    let (email_taken, licence_taken) =
        db::taken_by_other(conn, registration.email.as_str(), registration.licence.as_str(), except_id).await?;
    let mut fields = FieldErrors::new();
    if email_taken {
        fields.insert(RegistrationField::Email, FieldError::AlreadyUsed);
    }
    if licence_taken {
        fields.insert(RegistrationField::LicenceNumber, FieldError::AlreadyUsed);
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(fields))
    }
}

/// Two identical registrations at the same instant: the database's unique index decides.
fn unique_violation_as_field_error(error: sqlx::Error, field: RegistrationField) -> AppError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            AppError::invalid_fields(FieldErrors::from([(field, FieldError::AlreadyUsed)]))
        }
        _ => error.into(),
    }
}
