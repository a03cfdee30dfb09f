//! Text messages to drivers' mobile phones. On one machine the outbox table is the provider:
//! every message is kept there, in the same transaction as the event it announces, and the app
//! shows the driver's own (`GET /sms`). A production provider reads the same outbox.

use crate::clock::{from_millis, to_millis};
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

pub async fn enqueue(
    conn: &mut AnyConnection,
    account_id: &str,
    phone: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO outgoing_sms (id, account_id, phone, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(account_id)
        .bind(phone)
        .bind(body)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub struct StoredSms {
    pub phone: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// The messages sent to one account, newest first.
pub async fn sent_to(conn: &mut AnyConnection, account_id: &str) -> Result<Vec<StoredSms>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT phone, body, created_at FROM outgoing_sms WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 50",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredSms {
                phone: row.try_get("phone")?,
                body: row.try_get("body")?,
                created_at: from_millis(row.try_get("created_at")?),
            })
        })
        .collect()
}
