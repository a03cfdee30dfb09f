//! Centres, the sync bookkeeping, trainings, recaps and certificates.

use super::{json, Columns, Conn, DbResult};
use crate::clock::to_millis;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct Centre {
    pub id: String,
    pub name: String,
    pub approval_number: String,
    pub address: String,
}

impl FromRow<'_, AnyRow> for Centre {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            name: row.value("name")?,
            approval_number: row.value("approval_number")?,
            address: row.value("address")?,
        })
    }
}

pub async fn insert_centre(
    conn: &mut Conn,
    name: &str,
    approval_number: &str,
    address: &str,
    now: OffsetDateTime,
) -> DbResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO centres (id, name, approval_number, address, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(name)
        .bind(approval_number)
        .bind(address)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn find_centre_by_approval(conn: &mut Conn, approval_number: &str) -> DbResult<Option<Centre>> {
    Ok(sqlx::query_as("SELECT id, name, approval_number, address FROM centres WHERE approval_number = $1")
        .bind(approval_number)
        .fetch_optional(conn)
        .await?)
}

pub async fn find_centre(conn: &mut Conn, id: &str) -> DbResult<Centre> {
    super::find(conn, id).await
}

impl super::Table for Centre {
    const TABLE: &'static str = "centres";
    const COLUMNS: &'static str = "id, name, approval_number, address";
}

/// The centre a staff account works for.
pub async fn centre_of(conn: &mut Conn, account_id: &str) -> DbResult<Option<Centre>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.name, c.approval_number, c.address FROM centres c JOIN accounts a ON a.centre_id = c.id \
         WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn assign_centre(conn: &mut Conn, account_id: &str, centre_id: &str) -> DbResult<()> {
    sqlx::query("UPDATE accounts SET centre_id = $2 WHERE id = $1")
        .bind(account_id)
        .bind(centre_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The next change version; holds the counter's row lock until the transaction ends.
pub async fn next_version(conn: &mut Conn) -> DbResult<i64> {
    Ok(sqlx::query("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
        .fetch_one(conn)
        .await?
        .try_get("value")?)
}

/// `n` change versions in a row, for one push; holds the counter's row lock until the
/// transaction ends.
pub async fn reserve_versions(conn: &mut Conn, n: usize) -> DbResult<std::ops::Range<i64>> {
    let last: i64 = sqlx::query("UPDATE change_counter SET value = value + $1 WHERE id = 1 RETURNING value")
        .bind(n as i64)
        .fetch_one(conn)
        .await?
        .try_get("value")?;
    Ok(last - n as i64 + 1..last + 1)
}

/// A device's sync state, created at its first push. `None` when the device belongs to another
/// centre.
pub async fn lock_client(
    conn: &mut Conn,
    client_id: &str,
    centre_id: &str,
    now: OffsetDateTime,
) -> DbResult<Option<i64>> {
    // The update takes the row lock (PostgreSQL) before the read, so two pushes of one device
    // apply one after the other.
    sqlx::query("UPDATE sync_clients SET updated_at = $2 WHERE client_id = $1")
        .bind(client_id)
        .bind(to_millis(now))
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT centre_id, last_seq FROM sync_clients WHERE client_id = $1")
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => {
            let owner: String = row.value("centre_id")?;
            Ok((owner == centre_id).then_some(row.value("last_seq")?))
        }
        None => {
            sqlx::query("INSERT INTO sync_clients (client_id, centre_id, last_seq, updated_at) VALUES ($1, $2, 0, $3)")
                .bind(client_id)
                .bind(centre_id)
                .bind(to_millis(now))
                .execute(conn)
                .await?;
            Ok(Some(0))
        }
    }
}

pub async fn set_last_seq(conn: &mut Conn, client_id: &str, last_seq: i64) -> DbResult<()> {
    sqlx::query("UPDATE sync_clients SET last_seq = $2 WHERE client_id = $1")
        .bind(client_id)
        .bind(last_seq)
        .execute(conn)
        .await?;
    Ok(())
}

/// The answers of a push's applied mutations, (seq, mutation id, outcome), in one statement.
pub async fn save_mutation_results<T: Serialize>(
    conn: &mut Conn,
    client_id: &str,
    results: &[(i64, String, T)],
) -> DbResult<()> {
    if results.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO mutation_results (client_id, seq, mutation_id, outcome_json) VALUES {}",
        super::value_rows(conn, results.len(), 4)
    );
    let mut query = sqlx::query(&sql);
    for (seq, mutation_id, outcome) in results {
        query = query.bind(client_id).bind(*seq).bind(mutation_id.as_str()).bind(json(outcome));
    }
    query.execute(conn).await?;
    Ok(())
}

/// The answer given when mutation `seq` was applied, with its id.
pub async fn mutation_result<T: DeserializeOwned>(
    conn: &mut Conn,
    client_id: &str,
    seq: i64,
) -> DbResult<Option<(String, T)>> {
    let row = sqlx::query("SELECT mutation_id, outcome_json FROM mutation_results WHERE client_id = $1 AND seq = $2")
        .bind(client_id)
        .bind(seq)
        .fetch_optional(conn)
        .await?;
    row.map(|row| Ok((row.value("mutation_id")?, row.json("outcome_json")?))).transpose()
}

pub struct StoredTraining<R, O> {
    pub id: String,
    pub centre_id: String,
    pub accepted: bool,
    pub record: R,
    pub outcome: O,
    pub driver_id: Option<String>,
    pub version: i64,
}

const TRAINING_COLUMNS: &str = "id, centre_id, accepted, record_json, outcome_json, driver_id, version";

impl<R: DeserializeOwned, O: DeserializeOwned> FromRow<'_, AnyRow> for StoredTraining<R, O> {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            centre_id: row.value("centre_id")?,
            accepted: row.flag("accepted")?,
            record: row.json("record_json")?,
            outcome: row.json("outcome_json")?,
            driver_id: row.value("driver_id")?,
            version: row.value("version")?,
        })
    }
}

/// The trainings of these ids that exist.
pub async fn find_trainings<R: DeserializeOwned + Send + Unpin, O: DeserializeOwned + Send + Unpin>(
    conn: &mut Conn,
    ids: &[&str],
) -> DbResult<Vec<StoredTraining<R, O>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {TRAINING_COLUMNS} FROM trainings WHERE id IN ({})", super::params(conn, 1, ids.len()));
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// The centre's accepted trainings of these licence numbers: (id, licence number, record).
pub async fn accepted_records_of_licences<R: DeserializeOwned>(
    conn: &mut Conn,
    centre_id: &str,
    licence_numbers: &[&str],
) -> DbResult<Vec<(String, String, R)>> {
    if licence_numbers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, licence_number, record_json FROM trainings WHERE centre_id = {} AND accepted = 1 \
         AND licence_number IN ({})",
        super::params(conn, 1, 1),
        super::params(conn, 2, licence_numbers.len())
    );
    let mut query = sqlx::query(&sql).bind(centre_id);
    for licence in licence_numbers {
        query = query.bind(*licence);
    }
    query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| Ok((row.value("id")?, row.value("licence_number")?, row.json("record_json")?)))
        .collect()
}

/// A training as first recorded, or as corrected after a rejection, at `version`.
pub struct TrainingRow<R, O> {
    pub id: String,
    pub centre_id: String,
    pub accepted: bool,
    pub record: R,
    pub outcome: O,
    pub licence_number: String,
    pub birth_date: String,
    pub recorded_by: String,
    pub version: i64,
    /// The device whose push wrote the row (its version is then `pushed_version` too).
    pub pushed_by_device: String,
}

/// Rows a multi-row insert carries at most (12 parameters each: well under both databases' limits).
const TRAININGS_PER_STATEMENT: usize = 500;

/// Writes trainings, new or corrected (at most one row per id), a few hundred per statement.
pub async fn save_trainings<R: Serialize, O: Serialize>(
    conn: &mut Conn,
    trainings: &[TrainingRow<R, O>],
    now: OffsetDateTime,
) -> DbResult<()> {
    for chunk in trainings.chunks(TRAININGS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO trainings (id, centre_id, accepted, record_json, outcome_json, licence_number, birth_date, \
             recorded_by, version, created_at, updated_at, pushed_by_device, pushed_version) VALUES {} \
             ON CONFLICT (id) DO UPDATE SET accepted = excluded.accepted, record_json = excluded.record_json, \
             outcome_json = excluded.outcome_json, licence_number = excluded.licence_number, \
             birth_date = excluded.birth_date, recorded_by = excluded.recorded_by, version = excluded.version, \
             updated_at = excluded.updated_at, identity_check = NULL, \
             pushed_by_device = excluded.pushed_by_device, pushed_version = excluded.pushed_version",
            super::value_rows(conn, chunk.len(), 13)
        );
        let mut query = sqlx::query(&sql);
        for training in chunk {
            query = query
                .bind(training.id.as_str())
                .bind(training.centre_id.as_str())
                .bind(i64::from(training.accepted))
                .bind(json(&training.record))
                .bind(json(&training.outcome))
                .bind(training.licence_number.as_str())
                .bind(training.birth_date.as_str())
                .bind(training.recorded_by.as_str())
                .bind(training.version)
                .bind(to_millis(now))
                .bind(to_millis(now))
                .bind(training.pushed_by_device.as_str())
                .bind(training.version);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Accepted trainings of a licence number that no account claimed yet.
pub async fn waiting_trainings<R: DeserializeOwned + Send + Unpin, O: DeserializeOwned + Send + Unpin>(
    conn: &mut Conn,
    licence_number: &str,
) -> DbResult<Vec<StoredTraining<R, O>>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRAINING_COLUMNS} FROM trainings WHERE licence_number = $1 AND driver_id IS NULL AND accepted = 1 \
         AND identity_check IS NULL ORDER BY created_at, id"
    ))
    .bind(licence_number)
    .fetch_all(conn)
    .await?)
}

/// Where an agent's check of the trainee's identity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityCheck {
    Pending,
    Refused,
}

impl IdentityCheck {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Refused => "refused",
        }
    }
}

/// Sets (or with `None` clears) a training's identity check.
pub async fn set_identity_check(conn: &mut Conn, training_id: &str, check: Option<IdentityCheck>) -> DbResult<()> {
    sqlx::query("UPDATE trainings SET identity_check = $2 WHERE id = $1")
        .bind(training_id)
        .bind(check.map(IdentityCheck::as_str))
        .execute(conn)
        .await?;
    Ok(())
}

/// The trainings waiting for an agent's identity check, oldest first.
pub async fn pending_identity_checks<R: DeserializeOwned + Send + Unpin, O: DeserializeOwned + Send + Unpin>(
    conn: &mut Conn,
) -> DbResult<Vec<StoredTraining<R, O>>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRAINING_COLUMNS} FROM trainings WHERE identity_check = $1 AND driver_id IS NULL ORDER BY created_at, id"
    ))
    .bind(IdentityCheck::Pending.as_str())
    .fetch_all(conn)
    .await?)
}

/// A refused check: the training no longer counts as accepted, and the centre sees why at its
/// next pull.
pub async fn refuse_training<O: Serialize>(conn: &mut Conn, training_id: &str, outcome: &O) -> DbResult<()> {
    let version = next_version(&mut *conn).await?;
    sqlx::query(
        "UPDATE trainings SET accepted = 0, outcome_json = $2, version = $3, identity_check = $4 WHERE id = $1",
    )
    .bind(training_id)
    .bind(json(outcome))
    .bind(version)
    .bind(IdentityCheck::Refused.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn attach_driver(conn: &mut Conn, training_id: &str, driver_id: &str) -> DbResult<()> {
    let version = next_version(&mut *conn).await?;
    sqlx::query("UPDATE trainings SET driver_id = $2, version = $3 WHERE id = $1")
        .bind(training_id)
        .bind(driver_id)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_recap<B: Serialize>(
    conn: &mut Conn,
    training_id: &str,
    driver_id: &str,
    body: &B,
    available_until: Option<&str>,
) -> DbResult<()> {
    let version = next_version(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO recaps (training_id, driver_id, body_json, available_until, version) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(training_id)
    .bind(driver_id)
    .bind(json(body))
    .bind(available_until)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct NewCertificate<'a, B> {
    pub id: &'a str,
    pub training_id: &'a str,
    pub driver_id: &'a str,
    pub qualification: &'a str,
    pub card_expiry: &'a str,
    pub valid_until: &'a str,
    pub body: &'a B,
}

pub async fn insert_certificate<B: Serialize>(conn: &mut Conn, certificate: &NewCertificate<'_, B>) -> DbResult<()> {
    let version = next_version(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO certificates (id, training_id, driver_id, qualification, card_expiry, valid_until, body_json, \
         version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(certificate.id)
    .bind(certificate.training_id)
    .bind(certificate.driver_id)
    .bind(certificate.qualification)
    .bind(certificate.card_expiry)
    .bind(certificate.valid_until)
    .bind(json(certificate.body))
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

/// A certificate as issued, if it was not withdrawn since.
pub async fn certificate<B: DeserializeOwned>(conn: &mut Conn, id: &str) -> DbResult<Option<B>> {
    let row = sqlx::query("SELECT body_json FROM certificates WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(row.map(|row| row.json("body_json")).transpose()?)
}

/// Up to `limit` changed rows after `cursor`, with their versions; for a device that holds what
/// it pushed (`holder`), without the rows its pushes wrote and nothing changed since.
pub async fn centre_changes<R: DeserializeOwned + Send + Unpin, O: DeserializeOwned + Send + Unpin>(
    conn: &mut Conn,
    centre_id: &str,
    cursor: i64,
    holder: Option<&str>,
    limit: i64,
) -> DbResult<Vec<StoredTraining<R, O>>> {
    let not_held = match holder {
        Some(_) => "AND (pushed_by_device IS NULL OR pushed_by_device <> $4 OR pushed_version <> version)",
        None => "",
    };
    let sql = format!(
        "SELECT {TRAINING_COLUMNS} FROM trainings WHERE centre_id = $1 AND version > $2 {not_held} \
         ORDER BY version LIMIT $3"
    );
    let mut query = sqlx::query_as(&sql).bind(centre_id).bind(cursor).bind(limit);
    if let Some(device) = holder {
        query = query.bind(device);
    }
    Ok(query.fetch_all(conn).await?)
}

/// The version of a centre's latest changed training (0 for none): where a pull ends when the
/// rows it left out were the last.
pub async fn centre_latest_version(conn: &mut Conn, centre_id: &str) -> DbResult<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS latest FROM trainings WHERE centre_id = $1")
        .bind(centre_id)
        .fetch_one(conn)
        .await?;
    Ok(row.value("latest")?)
}

/// A driver's recaps (`table = recaps`) or certificates changed after `cursor`: (version, body).
pub async fn driver_documents<B: DeserializeOwned>(
    conn: &mut Conn,
    table: DriverDocument,
    driver_id: &str,
    cursor: i64,
    limit: i64,
) -> DbResult<Vec<(i64, B)>> {
    let table = match table {
        DriverDocument::Recap => "recaps",
        DriverDocument::Certificate => "certificates",
    };
    let rows = sqlx::query(&format!(
        "SELECT version, body_json FROM {table} WHERE driver_id = $1 AND version > $2 ORDER BY version LIMIT $3"
    ))
    .bind(driver_id)
    .bind(cursor)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|row| Ok((row.value("version")?, row.json("body_json")?))).collect()
}

#[derive(Debug, Clone, Copy)]
pub enum DriverDocument {
    Recap,
    Certificate,
}

/// The accounts holding these licence numbers, with the number each holds.
pub async fn drivers_with_licences(
    conn: &mut Conn,
    licence_numbers: &[&str],
) -> DbResult<Vec<(String, super::Account)>> {
    if licence_numbers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT licence_number, {} FROM accounts WHERE licence_number IN ({})",
        super::accounts::ACCOUNT_COLUMNS,
        super::params(conn, 1, licence_numbers.len())
    );
    let mut query = sqlx::query(&sql);
    for licence in licence_numbers {
        query = query.bind(*licence);
    }
    Ok(query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| Ok((row.value("licence_number")?, super::Account::from_row(row)?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

/// The driver accounts that hold a licence number (at most one: the column is unique).
pub async fn driver_with_licence(conn: &mut Conn, licence_number: &str) -> DbResult<Option<super::Account>> {
    Ok(sqlx::query_as(&format!("SELECT {} FROM accounts WHERE licence_number = $1", super::accounts::ACCOUNT_COLUMNS))
        .bind(licence_number)
        .fetch_optional(conn)
        .await?)
}
