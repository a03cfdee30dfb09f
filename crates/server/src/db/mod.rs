//! The central database: SQLite by default, PostgreSQL in production, through sqlx's `Any`
//! driver. The queries and the migrations are written in the SQL both share, so one code path
//! serves both and the same contract tests prove it on each.

use crate::clock::{from_millis, to_millis};
use cqc_domain::account::{AccountStatus, LinkPurpose, ReviewItem, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::registration::RegistrationInput;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Row};
use std::str::FromStr;
use time::OffsetDateTime;

pub mod applications;
pub mod guards;
pub mod repairs;
pub mod replacements;
pub mod trainings;

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
}

impl Db {
    /// Connects (creating an SQLite file if needed) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_owned()
        };
        let options = AnyConnectOptions::from_str(&url)?;
        // One writer at a time is what SQLite does anyway; a single connection avoids its
        // "database is locked" errors between concurrent transactions.
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 1 } else { 10 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets readers work during a write; a 64 MB page cache keeps the
                        // tables of a busy day in memory instead of re-reading them from disk.
                        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        repairs::run(&pool, OffsetDateTime::now_utc()).await?;
        Ok(Self { pool })
    }
}

pub(crate) fn encode<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn decode<T: DeserializeOwned>(text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// A value kept as a JSON document in a TEXT column.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialisable")
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(e.into()))
}

#[derive(Clone)]
pub struct Account {
    pub id: String,
    pub role: Role,
    pub status: AccountStatus,
    pub email: String,
    pub display_name: String,
    pub registration: Option<RegistrationInput>,
    pub password_hash: Option<String>,
    pub submitted_at: OffsetDateTime,
    pub resubmitted: bool,
}

pub struct NewAccount<'a> {
    pub role: Role,
    pub status: AccountStatus,
    pub email: &'a str,
    pub licence_number: Option<&'a str>,
    pub display_name: &'a str,
    pub registration: Option<&'a RegistrationInput>,
    pub password_hash: Option<&'a str>,
}

const ACCOUNT_COLUMNS: &str =
    "id, role, status, email, display_name, registration_json, password_hash, submitted_at, resubmitted";

fn account_from_row(row: &sqlx::any::AnyRow) -> Result<Account, sqlx::Error> {
    let registration: Option<String> = row.try_get("registration_json")?;
    Ok(Account {
        id: row.try_get("id")?,
        role: decode(&row.try_get::<String, _>("role")?)?,
        status: decode(&row.try_get::<String, _>("status")?)?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        registration: registration
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| sqlx::Error::Decode(e.into()))?,
        password_hash: row.try_get("password_hash")?,
        submitted_at: from_millis(row.try_get("submitted_at")?),
        resubmitted: row.try_get::<i64, _>("resubmitted")? != 0,
    })
}

pub async fn insert_account(
    conn: &mut AnyConnection,
    account: &NewAccount<'_>,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let registration = account.registration.map(|r| serde_json::to_string(r).expect("serialisable"));
    sqlx::query(
        "INSERT INTO accounts (id, role, status, email, licence_number, display_name, registration_json, password_hash, \
         submitted_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9)",
    )
    .bind(&id)
    .bind(encode(&account.role))
    .bind(encode(&account.status))
    .bind(account.email)
    .bind(account.licence_number)
    .bind(account.display_name)
    .bind(registration)
    .bind(account.password_hash)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn find_account(conn: &mut AnyConnection, id: &str) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(account_from_row).transpose()
}

pub async fn find_account_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(account_from_row).transpose()
}

/// Which of the unique values another account already holds.
pub async fn taken_by_other(
    conn: &mut AnyConnection,
    email: &str,
    licence_number: &str,
    except_id: &str,
) -> Result<(bool, bool), sqlx::Error> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM accounts WHERE email = $1 AND id <> $3) AS emails, \
           (SELECT COUNT(*) FROM accounts WHERE licence_number = $2 AND id <> $3) AS licences",
    )
    .bind(email)
    .bind(licence_number)
    .bind(except_id)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get::<i64, _>("emails")? > 0, row.try_get::<i64, _>("licences")? > 0))
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    status: AccountStatus,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(encode(&status))
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// A corrected registration goes back to the analysis queue, at the back.
pub async fn resubmit_registration(
    conn: &mut AnyConnection,
    id: &str,
    input: &RegistrationInput,
    email: &str,
    licence_number: &str,
    display_name: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET status = $2, email = $3, licence_number = $4, display_name = $5, registration_json = $6, \
         submitted_at = $7, resubmitted = 1, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(encode(&AccountStatus::PendingAnalysis))
    .bind(email)
    .bind(licence_number)
    .bind(display_name)
    .bind(serde_json::to_string(input).expect("serialisable"))
    .bind(to_millis(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM review_items WHERE account_id = $1").bind(id).execute(conn).await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
    status: AccountStatus,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $2, status = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(encode(&status))
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn pending_analysis(conn: &mut AnyConnection) -> Result<Vec<Account>, sqlx::Error> {
    let rows =
        sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE status = $1 ORDER BY submitted_at, id"))
            .bind(encode(&AccountStatus::PendingAnalysis))
            .fetch_all(conn)
            .await?;
    rows.iter().map(account_from_row).collect()
}

pub async fn replace_review_items(
    conn: &mut AnyConnection,
    account_id: &str,
    items: &[ReviewItem],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM review_items WHERE account_id = $1").bind(account_id).execute(&mut *conn).await?;
    for item in items {
        sqlx::query("INSERT INTO review_items (account_id, field, reason) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(encode(&item.field))
            .bind(&item.reason)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn review_items(conn: &mut AnyConnection, account_id: &str) -> Result<Vec<ReviewItem>, sqlx::Error> {
    let rows = sqlx::query("SELECT field, reason FROM review_items WHERE account_id = $1 ORDER BY field")
        .bind(account_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ReviewItem { field: decode(&row.try_get::<String, _>("field")?)?, reason: row.try_get("reason")? })
        })
        .collect()
}

pub struct Link {
    pub account_id: String,
    pub purpose: LinkPurpose,
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

pub async fn insert_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
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

pub async fn find_link(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Link>, sqlx::Error> {
    let row = sqlx::query("SELECT account_id, purpose, expires_at, used_at FROM links WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let purpose: String = row.try_get("purpose")?;
        Ok(Link {
            account_id: row.try_get("account_id")?,
            purpose: LinkPurpose::parse(&purpose)
                .ok_or_else(|| sqlx::Error::Decode(format!("link purpose {purpose}").into()))?,
            expires_at: from_millis(row.try_get("expires_at")?),
            used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        })
    })
    .transpose()
}

/// Marks a link used; false when another request used it first.
pub async fn use_link(conn: &mut AnyConnection, token_hash: &str, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Older links of the same purpose stop working when a new one is sent.
pub async fn retire_links(
    conn: &mut AnyConnection,
    account_id: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE links SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: &str,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
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
    conn: &mut AnyConnection,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<(String, Role)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.id, a.role FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_millis(now))
    .fetch_optional(conn)
    .await?;
    row.map(|row| Ok((row.try_get("id")?, decode(&row.try_get::<String, _>("role")?)?))).transpose()
}

pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

pub async fn delete_sessions_of(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(conn).await?;
    Ok(())
}

pub async fn insert_notification(
    conn: &mut AnyConnection,
    account_id: &str,
    title: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    insert_notification_about(conn, account_id, title, body, None, now).await
}

/// A notification whose « en savoir plus » opens `target` (e.g. `application:<id>`).
pub async fn insert_notification_about(
    conn: &mut AnyConnection,
    account_id: &str,
    title: &str,
    body: &str,
    target: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
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
}

pub async fn notifications(conn: &mut AnyConnection, account_id: &str) -> Result<Vec<StoredNotification>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, title, body, target, created_at FROM notifications WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 50")
        .bind(account_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredNotification {
                id: row.try_get("id")?,
                title: row.try_get("title")?,
                body: row.try_get("body")?,
                target: row.try_get("target")?,
                created_at: from_millis(row.try_get("created_at")?),
            })
        })
        .collect()
}

pub async fn audit(
    conn: &mut AnyConnection,
    actor_id: Option<&str>,
    action: AuditAction,
    subject_id: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log))",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(actor_id)
    .bind(action.code())
    .bind(subject_id)
    .bind(detail)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// An audit entry written later with others (`audit_many`).
pub struct PendingAudit {
    pub actor_id: Option<String>,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: String,
    pub at: OffsetDateTime,
}

/// Audit entries in one statement, in the order given.
pub async fn audit_many(conn: &mut AnyConnection, entries: &[PendingAudit]) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let last: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS last FROM audit_log")
        .fetch_one(&mut *conn)
        .await?
        .try_get("last")?;
    let rows: Vec<String> = (0..entries.len())
        .map(|i| {
            let p = 1 + 7 * i;
            format!("(${}, ${}, ${}, ${}, ${}, ${}, ${})", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6)
        })
        .collect();
    let sql =
        format!("INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at, seq) VALUES {}", rows.join(", "));
    let mut query = sqlx::query(&sql);
    for (i, entry) in entries.iter().enumerate() {
        query = query
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(entry.actor_id.as_deref())
            .bind(entry.action.code())
            .bind(entry.subject_id.as_str())
            .bind(entry.detail.as_str())
            .bind(to_millis(entry.at))
            .bind(last + 1 + i as i64);
    }
    query.execute(conn).await?;
    Ok(())
}

pub struct AuditRow {
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: AuditAction,
    pub detail: String,
}

pub async fn audit_of(conn: &mut AnyConnection, subject_id: &str) -> Result<Vec<AuditRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.at, a.email AS actor, l.action, l.detail FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id \
         WHERE l.subject_id = $1 ORDER BY l.at, l.seq",
    )
    .bind(subject_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditRow {
                at: from_millis(row.try_get("at")?),
                actor: row.try_get("actor")?,
                action: {
                    let code: String = row.try_get("action")?;
                    AuditAction::parse(&code).ok_or_else(|| sqlx::Error::Decode(code.into()))?
                },
                detail: row.try_get("detail")?,
            })
        })
        .collect()
}
