//! The counters behind the login lock and the rate limits: each counted with one atomic upsert,
//! so that concurrent requests (on one instance or several) each count.

use super::{Columns as _, Conn, DbResult};
use crate::clock::{from_millis, to_millis};
use cqc_domain::account::LoginAttempt;
use cqc_domain::throttle::{Hits, Limit};
use time::OffsetDateTime;

/// Counts a login attempt for `key` before its password is checked. A series whose lock has
/// ended starts again at one.
pub async fn reserve_login_attempt(conn: &mut Conn, key: &str, now: OffsetDateTime) -> DbResult<LoginAttempt> {
    let row = sqlx::query(
        "INSERT INTO login_guards (id, attempts, locked_until, updated_at) VALUES ($1, 1, NULL, $2) \
         ON CONFLICT (id) DO UPDATE SET \
           attempts = CASE WHEN login_guards.locked_until <= $2 THEN 1 ELSE login_guards.attempts + 1 END, \
           locked_until = CASE WHEN login_guards.locked_until <= $2 THEN NULL ELSE login_guards.locked_until END, \
           updated_at = $2 \
         RETURNING attempts, locked_until",
    )
    .bind(key)
    .bind(to_millis(now))
    .fetch_one(conn)
    .await?;
    let attempts: i64 = row.value("attempts")?;
    let locked_until: Option<i64> = row.value("locked_until")?;
    Ok(LoginAttempt {
        number: u32::try_from(attempts).unwrap_or(u32::MAX),
        locked_until: locked_until.map(from_millis),
    })
}

/// Locks the series of `key` until `until`; false when another attempt locked it first.
pub async fn lock_logins(conn: &mut Conn, key: &str, until: OffsetDateTime) -> DbResult<bool> {
    let done = sqlx::query("UPDATE login_guards SET locked_until = $2 WHERE id = $1 AND locked_until IS NULL")
        .bind(key)
        .bind(to_millis(until))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A right password, or a new one set through an emailed link, ends the series and its lock.
pub async fn clear_login_guard(conn: &mut Conn, key: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM login_guards WHERE id = $1").bind(key).execute(conn).await?;
    Ok(())
}

/// Counts one hit for `key` in the current window of `limit`, and returns the count.
pub async fn hit(conn: &mut Conn, key: &str, limit: Limit, now: OffsetDateTime) -> DbResult<Hits> {
    let row = sqlx::query(
        "INSERT INTO rate_limits (id, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (id) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
         RETURNING hits, window_start",
    )
    .bind(key)
    .bind(to_millis(now))
    .bind(to_millis(limit.window_reset_before(now)))
    .fetch_one(conn)
    .await?;
    let hits: i64 = row.value("hits")?;
    Ok(Hits { count: u32::try_from(hits).unwrap_or(u32::MAX), window_start: row.instant("window_start")? })
}

/// The hits counted for `key` in the current window of `limit` (none once the window is over).
pub async fn hits(conn: &mut Conn, key: &str, limit: Limit, now: OffsetDateTime) -> DbResult<Hits> {
    let row = sqlx::query("SELECT hits, window_start FROM rate_limits WHERE id = $1 AND window_start > $2")
        .bind(key)
        .bind(to_millis(limit.window_reset_before(now)))
        .fetch_optional(conn)
        .await?;
    match row {
        Some(row) => Ok(Hits {
            count: u32::try_from(row.value::<i64>("hits")?).unwrap_or(u32::MAX),
            window_start: row.instant("window_start")?,
        }),
        None => Ok(Hits { count: 0, window_start: now }),
    }
}

/// Forgets counters nobody has touched for a day (run by the hourly upkeep).
pub async fn purge_stale(conn: &mut Conn, now: OffsetDateTime) -> DbResult<()> {
    let day_ago = to_millis(now - time::Duration::days(1));
    sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(day_ago).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM login_guards WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $1)")
        .bind(day_ago)
        .execute(conn)
        .await?;
    Ok(())
}
