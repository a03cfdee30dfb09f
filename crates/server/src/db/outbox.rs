//! The outboxes (emails, text messages) and the leases of periodic jobs: the rows several
//! instances share. A queued row is claimed by one instance until its lease runs out; the
//! statements below are the whole of that protocol.

use super::{Columns, Conn, Db, DbResult};
use crate::clock::to_millis;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use time::OffsetDateTime;

/// Rows claimed at a time: few enough to be sent well within a lease.
pub const CLAIM_BATCH: usize = 20;

/// Who claims and until when.
#[derive(Clone, Copy)]
pub struct Claim<'a> {
    pub holder: &'a str,
    pub until: OffsetDateTime,
    pub now: OffsetDateTime,
}

/// The statement that claims up to [`CLAIM_BATCH`] rows of `table` that are `pending` and not
/// under a live claim, oldest first, and returns their `columns`. Its parameters: `$1` the
/// holder, `$2` the claim's end, `$3` now, then those of `pending` from `$4`.
fn claim_statement(db: &Db, table: &str, pending: &str, columns: &str) -> String {
    format!(
        "UPDATE {table} SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
           SELECT id FROM {table} WHERE {pending} AND (claimed_until IS NULL OR claimed_until <= $3) \
           ORDER BY created_at, id LIMIT {CLAIM_BATCH}{lock}) \
         RETURNING {columns}",
        lock = db.backend.skip_locked()
    )
}

/// An email to queue: its attachment stored with it, or drawn at sending from the certificate
/// it names.
pub struct NewEmail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment_name: Option<&'a str>,
    pub attachment_base64: Option<&'a str>,
    pub certificate_id: Option<&'a str>,
    /// The link whose token takes the place of `LINK_TOKEN_PLACE` in the body at sending.
    pub link_key: Option<&'a str>,
}

pub async fn insert_email(conn: &mut Conn, email: &NewEmail<'_>, now: OffsetDateTime) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO outgoing_emails (id, recipient, subject, body, created_at, attachment_name, attachment_base64, \
         certificate_id, link_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(email.to)
    .bind(email.subject)
    .bind(email.body)
    .bind(to_millis(now))
    .bind(email.attachment_name)
    .bind(email.attachment_base64)
    .bind(email.certificate_id)
    .bind(email.link_key)
    .execute(conn)
    .await?;
    Ok(())
}

/// A queued email as claimed for sending.
pub struct QueuedEmail {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: Option<String>,
    pub attachment_base64: Option<String>,
    pub certificate_id: Option<String>,
    pub link_key: Option<String>,
}

impl FromRow<'_, AnyRow> for QueuedEmail {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            created_at: row.instant("created_at")?,
            recipient: row.value("recipient")?,
            subject: row.value("subject")?,
            body: row.value("body")?,
            attachment_name: row.value("attachment_name")?,
            attachment_base64: row.value("attachment_base64")?,
            certificate_id: row.value("certificate_id")?,
            link_key: row.value("link_key")?,
        })
    }
}

/// Claims unsent emails tried fewer than `max_attempts` times, oldest first.
pub async fn claim_emails(db: &Db, claim: Claim<'_>, max_attempts: i64) -> DbResult<Vec<QueuedEmail>> {
    let mut emails: Vec<QueuedEmail> = sqlx::query_as(&claim_statement(
        db,
        "outgoing_emails",
        "sent_at IS NULL AND attempts < $4",
        "id, created_at, recipient, subject, body, attachment_name, attachment_base64, certificate_id, link_key",
    ))
    .bind(claim.holder)
    .bind(to_millis(claim.until))
    .bind(to_millis(claim.now))
    .bind(max_attempts)
    .fetch_all(&db.pool)
    .await?;
    // `RETURNING` keeps no order.
    emails.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(emails)
}

/// Handed to the transport: the claim ends.
pub async fn email_sent(db: &Db, id: &str, at: OffsetDateTime) -> DbResult<()> {
    sqlx::query(
        "UPDATE outgoing_emails SET sent_at = $2, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1",
    )
    .bind(id)
    .bind(to_millis(at))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Not delivered: given back for a later round.
pub async fn email_failed(db: &Db, id: &str, error: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE outgoing_emails SET attempts = attempts + 1, last_error = $2, claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn insert_sms(
    conn: &mut Conn,
    account_id: &str,
    phone: &str,
    body: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
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

/// A text message, queued or sent.
pub struct StoredSms {
    pub id: String,
    pub phone: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

impl FromRow<'_, AnyRow> for StoredSms {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            phone: row.value("phone")?,
            body: row.value("body")?,
            created_at: row.instant("created_at")?,
        })
    }
}

/// Claims unsent text messages, oldest first.
pub async fn claim_sms(db: &Db, claim: Claim<'_>) -> DbResult<Vec<StoredSms>> {
    let mut messages: Vec<StoredSms> =
        sqlx::query_as(&claim_statement(db, "outgoing_sms", "sent_at IS NULL", "id, created_at, phone, body"))
            .bind(claim.holder)
            .bind(to_millis(claim.until))
            .bind(to_millis(claim.now))
            .fetch_all(&db.pool)
            .await?;
    messages.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(messages)
}

/// The claim ends: sent at `sent_at`, or (`None`) given back for the next round.
pub async fn sms_done(db: &Db, id: &str, sent_at: Option<OffsetDateTime>) -> DbResult<()> {
    sqlx::query("UPDATE outgoing_sms SET sent_at = $2, claimed_by = NULL, claimed_until = NULL WHERE id = $1")
        .bind(id)
        .bind(sent_at.map(to_millis))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The messages sent to one account, newest first.
pub async fn sms_sent_to(conn: &mut Conn, account_id: &str) -> DbResult<Vec<StoredSms>> {
    Ok(sqlx::query_as(
        "SELECT id, phone, body, created_at FROM outgoing_sms WHERE account_id = $1 \
         ORDER BY created_at DESC, id LIMIT 50",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?)
}

/// What `holder` claimed and did not send goes back to the queues, and its job leases end: a
/// stopping instance hands its work over at once instead of when its leases run out.
pub async fn give_back(db: &Db, holder: &str) -> DbResult<()> {
    for table in ["outgoing_emails", "outgoing_sms"] {
        sqlx::query(&format!(
            "UPDATE {table} SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND sent_at IS NULL"
        ))
        .bind(holder)
        .execute(&db.pool)
        .await?;
    }
    sqlx::query("DELETE FROM job_leases WHERE holder = $1").bind(holder).execute(&db.pool).await?;
    Ok(())
}

/// Takes the lease of the periodic job `job` for `claim.holder` until `claim.until`, if nobody
/// holds it at `claim.now`. Answers whether the holder has it.
pub async fn take_lease(db: &Db, job: &str, claim: Claim<'_>) -> DbResult<bool> {
    let taken = sqlx::query(
        "INSERT INTO job_leases (name, holder, held_until) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until \
         WHERE job_leases.held_until <= $4",
    )
    .bind(job)
    .bind(claim.holder)
    .bind(to_millis(claim.until))
    .bind(to_millis(claim.now))
    .execute(&db.pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// The kinds of message waiting to go out.
#[derive(Clone, Copy)]
pub enum Outbox {
    Emails,
    Sms,
}

/// How many messages of a kind wait, and since when the oldest.
pub async fn backlog(db: &Db, outbox: Outbox) -> DbResult<(i64, Option<OffsetDateTime>)> {
    let table = match outbox {
        Outbox::Emails => "outgoing_emails",
        Outbox::Sms => "outgoing_sms",
    };
    let (pending, oldest): (i64, Option<i64>) =
        sqlx::query_as(&format!("SELECT COUNT(*), MIN(created_at) FROM {table} WHERE sent_at IS NULL"))
            .fetch_one(&db.pool)
            .await?;
    Ok((pending, oldest.map(crate::clock::from_millis)))
}
