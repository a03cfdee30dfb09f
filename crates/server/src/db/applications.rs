//! Applications, their documents and unfinished uploads.

use super::json;
use super::{Columns, Conn, DbResult};
use crate::clock::{from_millis, to_millis};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cqc_domain::application::{ApplicationState, ApplicationStatus, DocumentKind, Entitlement};
use cqc_domain::contact::AddressInput;
use cqc_domain::upload::FileFormat;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;
use std::collections::HashMap;
use time::OffsetDateTime;

pub struct StoredApplication {
    pub id: String,
    pub driver_id: String,
    pub state: ApplicationState,
    pub delivery_address: Option<AddressInput>,
    pub entitlement: Entitlement,
    pub refusal_reason: Option<String>,
    pub created_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
}

const APPLICATION_COLUMNS: &str =
    "id, driver_id, status, correction_json, delivery_address_json, qualifications_json, \
     card_expiry, refusal_reason, created_at, submitted_at";

impl FromRow<'_, AnyRow> for StoredApplication {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            driver_id: row.value("driver_id")?,
            state: ApplicationState {
                status: row.parsed("status", ApplicationStatus::parse)?,
                correction: row.json_or_null("correction_json")?,
            },
            delivery_address: row.json_or_null("delivery_address_json")?,
            entitlement: Entitlement {
                qualifications: row.json("qualifications_json")?,
                card_expiry: row.parsed("card_expiry", |text| {
                    time::Date::parse(text, &time::format_description::well_known::Iso8601::DATE).ok()
                })?,
            },
            refusal_reason: row.value("refusal_reason")?,
            created_at: row.instant("created_at")?,
            submitted_at: row.instant_or_null("submitted_at")?,
        })
    }
}

pub async fn insert_application(
    conn: &mut Conn,
    id: &str,
    driver_id: &str,
    entitlement: &Entitlement,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO applications (id, driver_id, status, qualifications_json, card_expiry, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(driver_id)
    .bind(ApplicationStatus::Draft.as_str())
    .bind(json(&entitlement.qualifications))
    .bind(entitlement.card_expiry.to_string())
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_application(conn: &mut Conn, id: &str) -> DbResult<StoredApplication> {
    super::find(conn, id).await
}

impl super::Table for StoredApplication {
    const TABLE: &'static str = "applications";
    const COLUMNS: &'static str = APPLICATION_COLUMNS;
}

impl super::Owned for StoredApplication {
    fn owner(&self) -> &str {
        &self.driver_id
    }
}

/// A driver's applications, newest first; cancelled ones are gone from their view.
pub async fn applications_of(conn: &mut Conn, driver_id: &str) -> DbResult<Vec<StoredApplication>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications WHERE driver_id = $1 AND status <> $2 ORDER BY created_at DESC"
    ))
    .bind(driver_id)
    .bind(ApplicationStatus::Cancelled.as_str())
    .fetch_all(conn)
    .await?)
}

/// The files agents work on: sent or in processing, oldest first.
pub async fn processing_queue(conn: &mut Conn) -> DbResult<Vec<(StoredApplication, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT {}, a.display_name FROM applications p JOIN accounts a ON a.id = p.driver_id \
         WHERE p.status IN ($1, $2) ORDER BY p.submitted_at",
        APPLICATION_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    ))
    .bind(ApplicationStatus::Submitted.as_str())
    .bind(ApplicationStatus::InProcessing.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Ok((StoredApplication::from_row(row)?, row.value("display_name")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

pub async fn save_state(conn: &mut Conn, id: &str, state: &ApplicationState, now: OffsetDateTime) -> DbResult<()> {
    let submitted = (state.status == ApplicationStatus::Submitted).then(|| to_millis(now));
    sqlx::query(
        "UPDATE applications SET status = $2, correction_json = $3, submitted_at = COALESCE($4, submitted_at), \
         updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(state.status.as_str())
    .bind(state.correction.as_ref().map(json))
    .bind(submitted)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_delivery_address(
    conn: &mut Conn,
    id: &str,
    address: Option<&AddressInput>,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query("UPDATE applications SET delivery_address_json = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(address.map(json))
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// An unsent draft: who it belongs to, when it last changed, when its driver was reminded.
pub struct IdleDraft {
    pub id: String,
    pub driver_id: String,
    pub last_change: OffsetDateTime,
    pub reminded_at: Option<OffsetDateTime>,
}

/// Every draft application (or only the one named), its last change being its own or its
/// latest document's.
pub async fn draft_applications(conn: &mut Conn, only: Option<&str>) -> DbResult<Vec<IdleDraft>> {
    let sql = format!(
        "SELECT a.id, a.driver_id, a.reminded_at, a.updated_at, \
         (SELECT MAX(d.uploaded_at) FROM application_documents d WHERE d.application_id = a.id) AS last_document \
         FROM applications a WHERE a.status = $1{}",
        if only.is_some() { " AND a.id = $2" } else { "" }
    );
    let mut query = sqlx::query(&sql).bind(ApplicationStatus::Draft.as_str());
    if let Some(id) = only {
        query = query.bind(id);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let updated: i64 = row.value("updated_at")?;
            let document: Option<i64> = row.value("last_document")?;
            Ok(IdleDraft {
                id: row.value("id")?,
                driver_id: row.value("driver_id")?,
                last_change: from_millis(updated.max(document.unwrap_or(0))),
                reminded_at: row.try_get::<Option<i64>, _>("reminded_at")?.map(from_millis),
            })
        })
        .collect()
}

/// Records the reminder of a draft, in `table` (`applications` or `replacements`).
/// Records the reminder of a draft still as `seen` (not reminded since): answers false when
/// someone else reminded it meanwhile, so that the driver is reminded once.
pub async fn set_reminded(conn: &mut Conn, table: DraftTable, seen: &IdleDraft, now: OffsetDateTime) -> DbResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET reminded_at = $2 WHERE id = $1 AND (reminded_at IS NULL OR reminded_at = $3)",
        table.name()
    ))
    .bind(&seen.id)
    .bind(to_millis(now))
    .bind(seen.reminded_at.map(to_millis).unwrap_or(-1))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The tables whose drafts are reminded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftTable {
    Applications,
    Replacements,
}

impl DraftTable {
    fn name(self) -> &'static str {
        match self {
            Self::Applications => "applications",
            Self::Replacements => "replacements",
        }
    }
}

pub async fn set_refusal_reason(conn: &mut Conn, id: &str, reason: &str) -> DbResult<()> {
    sqlx::query("UPDATE applications SET refusal_reason = $2 WHERE id = $1")
        .bind(id)
        .bind(reason)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct StoredDocument {
    pub kind: DocumentKind,
    pub object_key: String,
    pub format: FileFormat,
    pub size: u64,
    pub sha256: String,
    pub replaced_for_correction: bool,
    pub uploaded_at: OffsetDateTime,
}

pub async fn documents(conn: &mut Conn, application_id: &str) -> DbResult<Vec<StoredDocument>> {
    let mut of = documents_of_many(conn, &[application_id.to_owned()]).await?;
    Ok(of.remove(application_id).unwrap_or_default())
}

/// The documents of many applications, in one query.
pub async fn documents_of_many(
    conn: &mut Conn,
    application_ids: &[String],
) -> DbResult<HashMap<String, Vec<StoredDocument>>> {
    let mut of: HashMap<String, Vec<StoredDocument>> = HashMap::new();
    if application_ids.is_empty() {
        return Ok(of);
    }
    let sql = format!(
        "SELECT application_id, kind, object_key, format, size, sha256, replaced_for_correction, uploaded_at \
         FROM application_documents WHERE application_id IN ({}) ORDER BY kind",
        super::params(conn, 1, application_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in application_ids {
        query = query.bind(id.as_str());
    }
    for row in query.fetch_all(conn).await? {
        let kind: String = row.value("kind")?;
        let document = StoredDocument {
            kind: DocumentKind::parse(&kind).ok_or_else(|| sqlx::Error::Decode(kind.into()))?,
            object_key: row.value("object_key")?,
            format: row.json("format")?,
            size: row.value::<i64>("size")? as u64,
            sha256: row.value("sha256")?,
            replaced_for_correction: row.value::<i64>("replaced_for_correction")? != 0,
            uploaded_at: row.instant("uploaded_at")?,
        };
        of.entry(row.value("application_id")?).or_default().push(document);
    }
    Ok(of)
}

pub async fn save_document(conn: &mut Conn, application_id: &str, document: &StoredDocument) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO application_documents (application_id, kind, object_key, format, size, sha256, \
         replaced_for_correction, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (application_id, kind) DO UPDATE SET object_key = $3, format = $4, size = $5, sha256 = $6, \
         replaced_for_correction = $7, uploaded_at = $8",
    )
    .bind(application_id)
    .bind(document.kind.as_str())
    .bind(&document.object_key)
    .bind(json(&document.format))
    .bind(document.size as i64)
    .bind(&document.sha256)
    .bind(i64::from(document.replaced_for_correction))
    .bind(to_millis(document.uploaded_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// A new correction round starts: nothing counts as replaced yet.
pub async fn reset_replaced(conn: &mut Conn, application_id: &str) -> DbResult<()> {
    sqlx::query("UPDATE application_documents SET replaced_for_correction = 0 WHERE application_id = $1")
        .bind(application_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes an application's documents and unfinished uploads (their files are the caller's).
pub async fn delete_documents(conn: &mut Conn, application_id: &str) -> DbResult<()> {
    for table in ["application_documents", "upload_parts"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE application_id = $1"))
            .bind(application_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The bytes received so far of an upload: the end of its last chunk (chunks follow each other
/// from 0, see `append_part`'s callers).
pub async fn upload_received(conn: &mut Conn, application_id: &str, kind: DocumentKind) -> DbResult<u64> {
    let end: Option<i64> = sqlx::query_scalar(
        "SELECT start_offset + size FROM upload_parts WHERE application_id = $1 AND kind = $2 \
         ORDER BY start_offset DESC LIMIT 1",
    )
    .bind(application_id)
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(end.unwrap_or(0) as u64)
}

pub async fn append_part(
    conn: &mut Conn,
    application_id: &str,
    kind: DocumentKind,
    offset: u64,
    bytes: &[u8],
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO upload_parts (application_id, kind, start_offset, bytes_base64, size) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(application_id)
    .bind(kind.as_str())
    .bind(offset as i64)
    .bind(STANDARD.encode(bytes))
    .bind(bytes.len() as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// The whole upload, as received so far: one chunk in memory at a time besides the file.
pub async fn read_upload(conn: &mut Conn, application_id: &str, kind: DocumentKind) -> DbResult<Vec<u8>> {
    use futures::TryStreamExt;
    let mut bytes = Vec::with_capacity(upload_received(&mut *conn, application_id, kind).await? as usize);
    let mut parts = sqlx::query_scalar::<_, String>(
        "SELECT bytes_base64 FROM upload_parts WHERE application_id = $1 AND kind = $2 ORDER BY start_offset",
    )
    .bind(application_id)
    .bind(kind.as_str())
    .fetch(&mut *conn);
    while let Some(part) = parts.try_next().await? {
        STANDARD.decode_vec(part, &mut bytes).map_err(|e| sqlx::Error::Decode(e.into()))?;
    }
    Ok(bytes)
}

pub async fn discard_upload(conn: &mut Conn, application_id: &str, kind: DocumentKind) -> DbResult<()> {
    sqlx::query("DELETE FROM upload_parts WHERE application_id = $1 AND kind = $2")
        .bind(application_id)
        .bind(kind.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
