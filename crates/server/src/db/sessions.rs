//! The emailed single-use links (set a password, correct a registration) and login sessions.

use super::decode;
use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::account::{LinkPurpose, Role};
use sqlx::Row;
use time::OffsetDateTime;

pub struct Link {
    pub account_id: String,
    pub purpose: LinkPurpose,
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

pub async fn insert_link(
    conn: &mut Conn,
    token_hash: &str,
    account_id: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO links (token_hash, account_id, purpose, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose.as_str())
    .bind(to_millis(now + purpose.lifetime()))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_link(conn: &mut Conn, token_hash: &str) -> DbResult<Option<Link>> {
    let row = sqlx::query("SELECT account_id, purpose, expires_at, used_at FROM links WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let purpose: String = row.value("purpose")?;
        Ok(Link {
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

pub async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    account_id: &str,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query("INSERT INTO sessions (token_hash, account_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(account_id)
        .bind(to_millis(expires_at))
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// The account and role behind a live session.
pub async fn session_account(
    conn: &mut Conn,
    token_hash: &str,
    now: OffsetDateTime,
) -> DbResult<Option<(String, Role)>> {
    let row = sqlx::query(
        "SELECT a.id, a.role FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_millis(now))
    .fetch_optional(conn)
    .await?;
    row.map(|row| Ok((row.value("id")?, decode(&row.value::<String>("role")?)?))).transpose()
}

pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

pub async fn delete_sessions_of(conn: &mut Conn, account_id: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(conn).await?;
    Ok(())
}
