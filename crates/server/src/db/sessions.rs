//! The emailed single-use links (set a password, correct a registration) and login sessions.

use super::decode;
use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::account::{AccountStatus, LinkPurpose, Role};
use sqlx::Row;
use time::OffsetDateTime;

pub struct Link {
    /// What the link's token is derived from; none for the links made before keys (migration 0021).
    pub key: Option<String>,
    pub account_id: String,
    pub purpose: LinkPurpose,
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

pub async fn insert_link(
    conn: &mut Conn,
    token_hash: &str,
    key: &str,
    account_id: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO links (token_hash, link_key, account_id, purpose, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(key)
    .bind(account_id)
    .bind(purpose.as_str())
    .bind(to_millis(now + purpose.lifetime()))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_link(conn: &mut Conn, token_hash: &str) -> DbResult<Option<Link>> {
    let row = sqlx::query("SELECT link_key, account_id, purpose, expires_at, used_at FROM links WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let purpose: String = row.value("purpose")?;
        Ok(Link {
            key: row.value("link_key")?,
            account_id: row.value("account_id")?,
            purpose: LinkPurpose::parse(&purpose)
                .ok_or_else(|| sqlx::Error::Decode(format!("link purpose {purpose}").into()))?,
            expires_at: row.instant("expires_at")?,
            used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        })
    })
    .transpose()
}

/// Marks a link used; false when another request used it first.
pub async fn use_link(conn: &mut Conn, token_hash: &str, now: OffsetDateTime) -> DbResult<bool> {
    let done = sqlx::query("UPDATE links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Older links of the same purpose stop working when a new one is sent.
pub async fn retire_links(
    conn: &mut Conn,
    account_id: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query("UPDATE links SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// A new session for the account, if it is still active with the password hash the login
/// checked: a deactivation, a closure or a new password committed while the hash was being
/// checked wins over the login. False when it did.
pub async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    account_id: &str,
    checked_password_hash: &str,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> DbResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, expires_at, created_at) \
         SELECT $1, id, $3, $4 FROM accounts WHERE id = $2 AND status = $5 AND password_hash = $6",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(to_millis(expires_at))
    .bind(to_millis(now))
    .bind(super::encode(&AccountStatus::Active))
    .bind(checked_password_hash)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The account and role behind a live session of an active account: a session that outlived
/// its account's deactivation or closure opens nothing.
pub async fn session_account(
    conn: &mut Conn,
    token_hash: &str,
    now: OffsetDateTime,
) -> DbResult<Option<(String, Role)>> {
    let row = sqlx::query(
        "SELECT a.id, a.role FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.status = $3",
    )
    .bind(token_hash)
    .bind(to_millis(now))
    .bind(super::encode(&AccountStatus::Active))
    .fetch_optional(conn)
    .await?;
    row.map(|row| Ok((row.value("id")?, decode(&row.value::<String>("role")?)?))).transpose()
}

/// Locks these accounts' rows until the transaction ends, in the order of their ids: two
/// transactions locking the same accounts wait for each other instead of deadlocking. SQLite has
/// one writer at a time: its transactions already wait for each other whole.
pub async fn lock_accounts(conn: &mut Conn, ids: &[&str], backend: super::Backend) -> DbResult<()> {
    if backend == super::Backend::Sqlite {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *conn).await?;
    }
    Ok(())
}

pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

pub async fn delete_sessions_of(conn: &mut Conn, account_id: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(conn).await?;
    Ok(())
}
