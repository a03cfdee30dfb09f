//! In-app notifications.

use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use time::OffsetDateTime;

pub async fn insert_notification(
    conn: &mut Conn,
    account_id: &str,
    title: &str,
    body: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
    insert_notification_about(conn, account_id, title, body, None, now).await
}

/// A notification whose « en savoir plus » opens `target` (e.g. `application:<id>`).
pub async fn insert_notification_about(
    conn: &mut Conn,
    account_id: &str,
    title: &str,
    body: &str,
    target: Option<&str>,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO notifications (id, account_id, title, body, target, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(account_id)
    .bind(title)
    .bind(body)
    .bind(target)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub struct StoredNotification {
    pub id: String,
    pub title: String,
    pub body: String,
    pub target: Option<String>,
    pub created_at: OffsetDateTime,
    pub read: bool,
}

impl From<StoredNotification> for cqc_sync::api::Notification {
    fn from(n: StoredNotification) -> Self {
        Self {
            id: n.id,
            title: n.title,
            body: n.body,
            target: n.target,
            created_at: crate::clock::rfc3339(n.created_at),
            read: n.read,
        }
    }
}

pub async fn notifications(conn: &mut Conn, account_id: &str) -> DbResult<Vec<StoredNotification>> {
    let rows = sqlx::query("SELECT id, title, body, target, created_at, read_at FROM notifications WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 50")
        .bind(account_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredNotification {
                id: row.value("id")?,
                title: row.value("title")?,
                body: row.value("body")?,
                target: row.value("target")?,
                created_at: row.instant("created_at")?,
                read: row.instant_or_null("read_at")?.is_some(),
            })
        })
        .collect()
}

/// Marks every notification of the account read; answers how many were unread.
pub async fn mark_notifications_read(conn: &mut Conn, account_id: &str, now: OffsetDateTime) -> DbResult<u64> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
        .bind(to_millis(now))
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
