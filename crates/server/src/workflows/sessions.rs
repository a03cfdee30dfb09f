//! Guide step 03: logging in. Known or not, an email's failed attempts are counted and answered
//! alike; five in a row lock the logins of that email for 15 minutes and tell its owner.

use crate::db::guards;
use crate::db::{self, Account};
use crate::error::{AppError, AppResult};
use crate::secrets::{new_token, verify_password};
use crate::workflow::UnitOfWork;
use crate::workflows::accounts::{login_guard_key, send_password_email, PasswordEmail};
use crate::AppState;
use cqc_domain::account::{AccountStatus, Locked};
use cqc_domain::audit::AuditAction;
use cqc_domain::contact::Email;
use cqc_domain::password::MAX_LENGTH;
use time::OffsetDateTime;
use tracing::instrument;

/// A new session for the account of `typed_email`: its token, when it ends, and the account.
#[instrument(skip_all)]
pub async fn log_in(
    state: &AppState,
    typed_email: &str,
    password: String,
) -> AppResult<(String, OffsetDateTime, Account)> {
    let checked = check_password(state, typed_email, password).await?;
    open_session(state, checked).await
}

/// A login whose password was right when it was checked; the account may have changed since
/// (the check waits its turn for the hashing threads, which anyone can keep busy).
pub struct CheckedLogin {
    account: Account,
    checked_hash: String,
    guard_key: String,
}

/// The first half of a login: the email's series counted, the password checked against the
/// account as it was read.
pub async fn check_password(state: &AppState, typed_email: &str, password: String) -> AppResult<CheckedLogin> {
    let now = state.clock.now();
    let email = Email::parse(typed_email).ok();
    // Known or not, the email's series is counted (atomically, before the costly hash) and
    // answered the same way: nobody learns from the answers whether an account exists.
    let guard_key = login_guard_key(typed_email);
    let attempt = guards::reserve_login_attempt(&mut *state.db.writer().await?, &guard_key, now).await?;
    if let Err(locked) = attempt.before_check(now) {
        return Err(lock(state, &guard_key, email.as_ref(), locked, now).await?);
    }
    let account = match &email {
        Some(email) => db::find_account_by_email(&mut *state.db.writer().await?, email.as_str()).await?,
        None => None,
    };
    // A password longer than any allowed one is wrong without spending a hash on it.
    let plausible = password.chars().count() <= MAX_LENGTH;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = plausible && verify_password(stored.clone(), password).await?;
    let (account, checked_hash) = match (account, stored) {
        (Some(account), Some(hash)) if matches && account.status.can_log_in() => (account, hash),
        (account, _) => {
            if let Some(account) = &account {
                let mut work = UnitOfWork::begin(state, None).await?;
                work.audit(AuditAction::LoginFailed, &account.id, "Mot de passe incorrect");
                work.commit().await?;
            }
            return Err(match attempt.after_failure(now) {
                Err(locked) => lock(state, &guard_key, email.as_ref(), locked, now).await?,
                Ok(()) => AppError::invalid_credentials(),
            });
        }
    };
    Ok(CheckedLogin { account, checked_hash, guard_key })
}

/// The second half: a session, if the account is still as the check found it.
pub async fn open_session(state: &AppState, checked: CheckedLogin) -> AppResult<(String, OffsetDateTime, Account)> {
    let CheckedLogin { account, checked_hash, guard_key } = checked;
    let mut work = UnitOfWork::begin(state, Some(&account.id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    guards::clear_login_guard(conn, &guard_key).await?;
    let (token, hash) = new_token();
    let expires_at = now + account.role.session_lifetime();
    // The account as it is now, not as it was before the hash: deactivated, closed or given a
    // new password meanwhile, it gets no session.
    if !db::insert_session(conn, &hash, &account.id, &checked_hash, expires_at, now).await? {
        return Err(AppError::invalid_credentials());
    }
    work.commit().await?;
    Ok((token, expires_at, account))
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
    let mut work = UnitOfWork::begin(state, None).await?;
    let conn = work.conn().await?;
    let started = guards::lock_logins(conn, guard_key, locked.until).await?;
    let account = match email {
        Some(email) if started => db::find_account_by_email(conn, email.as_str()).await?,
        _ => None,
    };
    let warned = account.filter(|a| a.status == AccountStatus::Active);
    if let Some(account) = &warned {
        work.audit(AuditAction::LoginLocked, &account.id, "Compte bloqué 15 minutes après 5 essais");
    }
    work.commit().await?;
    if let Some(account) = warned {
        send_password_email(state, &account, PasswordEmail::LockWarning).await?;
    }
    Ok(answer)
}
