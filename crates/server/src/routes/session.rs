//! Guide step 03: logging in and out, and what a logged-in user reads about themself.

use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::db::guards;
use crate::db::{self, Account};
use crate::error::{ApiJson, AppError, AppResult};
use crate::secrets::{new_token, verify_password};
use crate::throttle::{self, ClientAddress};
use crate::workflows::accounts::{login_guard_key, send_password_email, PasswordEmail};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cqc_domain::account::{AccountStatus, Locked, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::contact::Email;
use cqc_domain::password::MAX_LENGTH;
use cqc_domain::throttle::Action;
use cqc_sync::api::ApiError;
use cqc_sync::api::{Health, LoginRequest, Notification, Profile, Session};
use time::OffsetDateTime;

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
    let now = state.clock.now();
    let email = Email::parse(&request.email).ok();
    // Known or not, the email's series is counted (atomically, before the costly hash) and
    // answered the same way: nobody learns from the answers whether an account exists.
    let guard_key = login_guard_key(&request.email);
    let attempt = guards::reserve_login_attempt(&mut *state.db.pool.acquire().await?, &guard_key, now).await?;
    if let Err(locked) = attempt.before_check(now) {
        return Err(lock(&state, &guard_key, email.as_ref(), locked, now).await?);
    }
    let account = match &email {
        Some(email) => db::find_account_by_email(&mut *state.db.pool.acquire().await?, email.as_str()).await?,
        None => None,
    };
    // A password longer than any allowed one is wrong without spending a hash on it.
    let plausible = request.password.chars().count() <= MAX_LENGTH;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = plausible && verify_password(stored, request.password).await?;
    let account = match account {
        Some(account) if matches && account.status.can_log_in() => account,
        account => {
            if let Some(account) = &account {
                let mut conn = state.db.pool.acquire().await?;
                db::audit(&mut conn, None, AuditAction::LoginFailed, &account.id, "Mot de passe incorrect", now)
                    .await?;
            }
            return Err(match attempt.after_failure(now) {
                Err(locked) => lock(&state, &guard_key, email.as_ref(), locked, now).await?,
                Ok(()) => AppError::invalid_credentials(),
            });
        }
    };
    let mut tx = state.db.pool.begin().await?;
    guards::clear_login_guard(&mut tx, &guard_key).await?;
    let (token, hash) = new_token();
    let expires_at = now + account.role.session_lifetime();
    db::insert_session(&mut tx, &hash, &account.id, expires_at, now).await?;
    tx.commit().await?;
    Ok(ApiJson(Session { token, expires_at: rfc3339(expires_at), profile: profile_of(account) }))
}

/// Records a lock that starts now and tells the account's owner, with a link that unlocks it
/// (a new password); answers the lock.
async fn lock(
    state: &AppState,
    guard_key: &str,
    email: Option<&Email>,
    locked: Locked,
    now: OffsetDateTime,
) -> AppResult<AppError> {
    let answer = AppError::locked((locked.until - now).whole_seconds().max(1));
    if !locked.starts_now {
        return Ok(answer);
    }
    let mut tx = state.db.pool.begin().await?;
    let started = guards::lock_logins(&mut tx, guard_key, locked.until).await?;
    let account = match email {
        Some(email) if started => db::find_account_by_email(&mut tx, email.as_str()).await?,
        _ => None,
    };
    if let Some(account) = account.filter(|a| a.status == AccountStatus::Active) {
        db::audit(&mut tx, None, AuditAction::LoginLocked, &account.id, "Compte bloqué 15 minutes après 5 essais", now)
            .await?;
        tx.commit().await?;
        send_password_email(state, &account, PasswordEmail::LockWarning).await?;
        return Ok(answer);
    }
    tx.commit().await?;
    Ok(answer)
}

#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> AppResult<StatusCode> {
    db::delete_session(&mut *state.db.pool.acquire().await?, &caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Profile), (status = 401, body = ApiError)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> AppResult<ApiJson<Profile>> {
    let account = db::find_account(&mut *state.db.pool.acquire().await?, &caller.account_id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    Ok(ApiJson(profile_of(account)))
}

/// A driver reads only their own account; an agent any. Another's id answers « introuvable ».
#[utoipa::path(get, path = "/api/v1/accounts/{id}", params(("id" = String, Path)), responses((status = 200, body = Profile), (status = 404, body = ApiError)))]
pub async fn account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<ApiJson<Profile>> {
    if caller.role != Role::Agent && caller.account_id != id {
        return Err(AppError::not_found());
    }
    let account = db::find_account(&mut *state.db.pool.acquire().await?, &id).await?.ok_or_else(AppError::not_found)?;
    Ok(ApiJson(profile_of(account)))
}

#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = Vec<Notification>), (status = 401, body = ApiError)))]
pub async fn notifications(State(state): State<AppState>, caller: Caller) -> AppResult<ApiJson<Vec<Notification>>> {
    let stored = db::notifications(&mut *state.db.pool.acquire().await?, &caller.account_id).await?;
    Ok(ApiJson(
        stored
            .into_iter()
            .map(|n| Notification {
                id: n.id,
                title: n.title,
                body: n.body,
                target: n.target,
                created_at: rfc3339(n.created_at),
            })
            .collect(),
    ))
}

fn profile_of(account: Account) -> Profile {
    Profile {
        account_id: account.id,
        role: account.role,
        status: account.status,
        email: account.email,
        display_name: account.display_name,
        registration: account.registration,
    }
}
