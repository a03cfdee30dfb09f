//! Text messages to drivers' mobile phones. Each is written to the outbox table in the same
//! transaction as the event it announces (the app shows the driver's own, `GET /sms`); a worker
//! hands them to the provider. On one machine the provider is a folder (`sms-outbox/`, one text
//! file per message); an operator's HTTP gateway implements the same trait.

use crate::clock::{from_millis, to_millis, Clock};
use crate::db::Db;
use sqlx::{AnyConnection, Row};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Whoever carries a text message to a phone.
pub trait SmsProvider: Send + Sync + 'static {
    fn send<'a>(
        &'a self,
        id: &'a str,
        phone: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// The one-machine provider: each message becomes `<id>.txt` in a folder, as emails become
/// `.eml` files.
pub struct FolderOutbox(pub PathBuf);

impl SmsProvider for FolderOutbox {
    fn send<'a>(
        &'a self,
        id: &'a str,
        phone: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            tokio::fs::create_dir_all(&self.0).await.map_err(|e| e.to_string())?;
            tokio::fs::write(self.0.join(format!("{id}.txt")), format!("À : {phone}\n\n{body}\n"))
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// Hands queued messages to the provider until the process ends; a failure waits for the next
/// round.
pub async fn run_delivery(db: Db, provider: Arc<dyn SmsProvider>, clock: Arc<dyn Clock>) {
    loop {
        if let Err(error) = deliver_pending(&db, provider.as_ref(), clock.as_ref()).await {
            tracing::warn!(%error, "SMS delivery round failed");
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn deliver_pending(db: &Db, provider: &dyn SmsProvider, clock: &dyn Clock) -> Result<(), sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, phone, body FROM outgoing_sms WHERE sent_at IS NULL ORDER BY created_at LIMIT 50")
            .fetch_all(&db.pool)
            .await?;
    for row in rows {
        let (id, phone, body): (String, String, String) =
            (row.try_get("id")?, row.try_get("phone")?, row.try_get("body")?);
        match provider.send(&id, &phone, &body).await {
            Ok(()) => {
                sqlx::query("UPDATE outgoing_sms SET sent_at = $2 WHERE id = $1")
                    .bind(&id)
                    .bind(to_millis(clock.now()))
                    .execute(&db.pool)
                    .await?;
            }
            Err(error) => tracing::warn!(%error, "SMS not delivered, will retry"),
        }
    }
    Ok(())
}

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
