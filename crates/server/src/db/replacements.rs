//! Replacement requests, payment attempts and invoices.

use super::{encode, json};
use super::{Columns, Conn, DbResult};
use crate::clock::{from_millis, to_millis};
use cqc_domain::billing::{Cents, DeclineReason, Fault, Invoice, PaymentAttempt, Price};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{Replacement, ReplacementDeclaration, ReplacementStatus};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;
use std::collections::HashMap;
use time::OffsetDateTime;

pub struct StoredReplacement {
    pub id: String,
    pub driver_id: String,
    pub card_id: String,
    pub replacement: Replacement,
    pub declaration: ReplacementDeclaration,
    pub delivery_address: Option<AddressInput>,
    pub billing_address: Option<AddressInput>,
    pub theft_declaration_key: Option<String>,
    pub fault: Option<Fault>,
    pub analysis_note: Option<String>,
    pub driver_fix: Option<String>,
    pub new_card_id: Option<String>,
    pub created_at: OffsetDateTime,
}

const REPLACEMENT_COLUMNS: &str = "id, driver_id, card_id, reason, status, declaration_json, delivery_address_json, \
     billing_address_json, theft_declaration_key, fault, analysis_note, driver_fix, new_card_id, created_at";

impl FromRow<'_, AnyRow> for StoredReplacement {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            driver_id: row.value("driver_id")?,
            card_id: row.value("card_id")?,
            replacement: Replacement { reason: row.code("reason")?, status: row.code("status")? },
            declaration: row.json("declaration_json")?,
            delivery_address: row.json_or_null("delivery_address_json")?,
            billing_address: row.json_or_null("billing_address_json")?,
            theft_declaration_key: row.value("theft_declaration_key")?,
            fault: row.code_or_null("fault")?,
            analysis_note: row.value("analysis_note")?,
            driver_fix: row.value("driver_fix")?,
            new_card_id: row.value("new_card_id")?,
            created_at: row.instant("created_at")?,
        })
    }
}

pub async fn insert_replacement(conn: &mut Conn, replacement: &StoredReplacement, now: OffsetDateTime) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO replacements (id, driver_id, card_id, reason, status, declaration_json, delivery_address_json, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&replacement.id)
    .bind(&replacement.driver_id)
    .bind(&replacement.card_id)
    .bind(encode(&replacement.replacement.reason))
    .bind(encode(&replacement.replacement.status))
    .bind(json(&replacement.declaration))
    .bind(replacement.delivery_address.as_ref().map(json))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_replacement(conn: &mut Conn, id: &str) -> DbResult<StoredReplacement> {
    super::find(conn, id).await
}

impl super::Table for StoredReplacement {
    const TABLE: &'static str = "replacements";
    const COLUMNS: &'static str = REPLACEMENT_COLUMNS;
}

impl super::Owned for StoredReplacement {
    fn owner(&self) -> &str {
        &self.driver_id
    }
}

pub async fn replacements_of(conn: &mut Conn, driver_id: &str) -> DbResult<Vec<StoredReplacement>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPLACEMENT_COLUMNS} FROM replacements WHERE driver_id = $1 ORDER BY created_at DESC"
    ))
    .bind(driver_id)
    .fetch_all(conn)
    .await?)
}

pub async fn replacements_of_card(conn: &mut Conn, card_id: &str) -> DbResult<Vec<StoredReplacement>> {
    Ok(sqlx::query_as(&format!("SELECT {REPLACEMENT_COLUMNS} FROM replacements WHERE card_id = $1"))
        .bind(card_id)
        .fetch_all(conn)
        .await?)
}

/// Quality replacements the agent acts on: waiting for the card, or under analysis.
pub async fn replacements_for_agent(conn: &mut Conn) -> DbResult<Vec<StoredReplacement>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPLACEMENT_COLUMNS} FROM replacements WHERE status <> $1 AND status <> $2 ORDER BY created_at"
    ))
    .bind(encode(&ReplacementStatus::Draft))
    .bind(encode(&ReplacementStatus::Cancelled))
    .fetch_all(conn)
    .await?)
}

/// Every replacement still a draft (or only the one named), with its last change and reminder.
pub async fn draft_replacements(conn: &mut Conn, only: Option<&str>) -> DbResult<Vec<super::applications::IdleDraft>> {
    let sql = format!(
        "SELECT id, driver_id, updated_at, reminded_at FROM replacements WHERE status = $1{}",
        if only.is_some() { " AND id = $2" } else { "" }
    );
    let mut query = sqlx::query(&sql).bind(encode(&ReplacementStatus::Draft));
    if let Some(id) = only {
        query = query.bind(id);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(super::applications::IdleDraft {
                id: row.value("id")?,
                driver_id: row.value("driver_id")?,
                last_change: row.instant("updated_at")?,
                reminded_at: row.try_get::<Option<i64>, _>("reminded_at")?.map(from_millis),
            })
        })
        .collect()
}

/// Writes every field the wizard and the processing change.
pub async fn save_replacement(conn: &mut Conn, replacement: &StoredReplacement, now: OffsetDateTime) -> DbResult<()> {
    let submitted = (replacement.replacement.status != ReplacementStatus::Draft).then(|| to_millis(now));
    sqlx::query(
        "UPDATE replacements SET status = $2, declaration_json = $3, delivery_address_json = $4, \
         billing_address_json = $5, theft_declaration_key = $6, fault = $7, analysis_note = $8, driver_fix = $9, \
         new_card_id = $10, submitted_at = COALESCE(submitted_at, $11), updated_at = $12 WHERE id = $1",
    )
    .bind(&replacement.id)
    .bind(encode(&replacement.replacement.status))
    .bind(json(&replacement.declaration))
    .bind(replacement.delivery_address.as_ref().map(json))
    .bind(replacement.billing_address.as_ref().map(json))
    .bind(replacement.theft_declaration_key.as_deref())
    .bind(replacement.fault.as_ref().map(encode))
    .bind(replacement.analysis_note.as_deref())
    .bind(replacement.driver_fix.as_deref())
    .bind(replacement.new_card_id.as_deref())
    .bind(submitted)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// How an attempt's state is stored (its decline reason has a column of its own).
fn attempt_code(attempt: PaymentAttempt) -> &'static str {
    match attempt {
        PaymentAttempt::Pending => "pending",
        PaymentAttempt::Challenge => "challenge",
        PaymentAttempt::Confirming => "confirming",
        PaymentAttempt::Approved => "approved",
        PaymentAttempt::Declined(_) => "declined",
        PaymentAttempt::TimedOut => "timed_out",
    }
}

pub struct StoredPayment {
    pub id: String,
    pub driver_id: String,
    pub idempotency_key: String,
    pub purpose: String,
    pub price: Price,
    /// The VAT rate of the fees it was priced at, for its invoice.
    pub vat_basis_points: u32,
    pub status: PaymentAttempt,
    pub provider_reference: Option<String>,
    pub card_last_four: String,
    pub billing_address: AddressInput,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const PAYMENT_COLUMNS: &str = "id, driver_id, idempotency_key, purpose, item, net_cents, vat_cents, gross_cents, \
     vat_basis_points, status, decline_reason, provider_reference, card_last_four, billing_address_json, created_at, updated_at";

impl FromRow<'_, AnyRow> for StoredPayment {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let status = match row.value::<String>("status")?.as_str() {
            "pending" => PaymentAttempt::Pending,
            "challenge" => PaymentAttempt::Challenge,
            "confirming" => PaymentAttempt::Confirming,
            "approved" => PaymentAttempt::Approved,
            "declined" => {
                PaymentAttempt::Declined(row.code_or_null("decline_reason")?.unwrap_or(DeclineReason::Refused))
            }
            "timed_out" => PaymentAttempt::TimedOut,
            other => return Err(sqlx::Error::Decode(format!("payment status {other}").into())),
        };
        Ok(Self {
            id: row.value("id")?,
            driver_id: row.value("driver_id")?,
            idempotency_key: row.value("idempotency_key")?,
            purpose: row.value("purpose")?,
            price: Price {
                item: row.code("item")?,
                net: Cents(row.value("net_cents")?),
                vat: Cents(row.value("vat_cents")?),
                gross: Cents(row.value("gross_cents")?),
            },
            vat_basis_points: row.value::<i64>("vat_basis_points")?.clamp(0, 10_000) as u32,
            status,
            provider_reference: row.value("provider_reference")?,
            card_last_four: row.value("card_last_four")?,
            billing_address: row.json("billing_address_json")?,
            created_at: row.instant("created_at")?,
            updated_at: row.instant("updated_at")?,
        })
    }
}

/// A new attempt. Fails on a unique index when the key was used already, or when the purpose
/// already has an attempt in flight or paid.
pub async fn insert_payment(conn: &mut Conn, payment: &StoredPayment) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO payments (id, driver_id, idempotency_key, purpose, item, net_cents, vat_cents, gross_cents, \
         status, card_last_four, billing_address_json, created_at, updated_at, attempt, vat_basis_points) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, \
         (SELECT COUNT(*) + 1 FROM payments WHERE purpose = $4), $13)",
    )
    .bind(&payment.id)
    .bind(&payment.driver_id)
    .bind(&payment.idempotency_key)
    .bind(&payment.purpose)
    .bind(encode(&payment.price.item))
    .bind(payment.price.net.0)
    .bind(payment.price.vat.0)
    .bind(payment.price.gross.0)
    .bind(attempt_code(payment.status))
    .bind(&payment.card_last_four)
    .bind(json(&payment.billing_address))
    .bind(to_millis(payment.created_at))
    .bind(i64::from(payment.vat_basis_points))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_payment(conn: &mut Conn, id: &str) -> DbResult<StoredPayment> {
    super::find(conn, id).await
}

impl super::Table for StoredPayment {
    const TABLE: &'static str = "payments";
    const COLUMNS: &'static str = PAYMENT_COLUMNS;
}

impl super::Owned for StoredPayment {
    fn owner(&self) -> &str {
        &self.driver_id
    }
}

pub async fn payment_by_key(conn: &mut Conn, key: &str) -> DbResult<Option<StoredPayment>> {
    Ok(sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE idempotency_key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

/// The attempt in flight or paid for a purpose, if any.
pub async fn live_payment(conn: &mut Conn, purpose: &str) -> DbResult<Option<StoredPayment>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE purpose = $1 \
         AND status IN ('pending', 'challenge', 'confirming', 'approved')"
    ))
    .bind(purpose)
    .fetch_optional(conn)
    .await?)
}

pub async fn latest_payment(conn: &mut Conn, purpose: &str) -> DbResult<Option<StoredPayment>> {
    let mut latest = latest_payments(conn, &[purpose.to_owned()]).await?;
    Ok(latest.remove(purpose))
}

/// The latest attempt of each purpose, in one query.
pub async fn latest_payments(conn: &mut Conn, purposes: &[String]) -> DbResult<HashMap<String, StoredPayment>> {
    let mut latest = HashMap::new();
    if purposes.is_empty() {
        return Ok(latest);
    }
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE purpose IN ({}) ORDER BY attempt",
        super::params(conn, 1, purposes.len())
    );
    let mut query = sqlx::query(&sql);
    for purpose in purposes {
        query = query.bind(purpose.as_str());
    }
    for row in query.fetch_all(conn).await? {
        // In attempt order: the last one read is the latest.
        let payment = StoredPayment::from_row(&row)?;
        latest.insert(payment.purpose.clone(), payment);
    }
    Ok(latest)
}

/// Moves an attempt from `from` to `to` (a move the domain allowed); false when another request
/// moved it first.
pub async fn move_payment(
    conn: &mut Conn,
    id: &str,
    from: PaymentAttempt,
    to: PaymentAttempt,
    reference: Option<&str>,
    now: OffsetDateTime,
) -> DbResult<bool> {
    let reason = match to {
        PaymentAttempt::Declined(reason) => Some(encode(&reason)),
        _ => None,
    };
    let done = sqlx::query(
        "UPDATE payments SET status = $3, decline_reason = $4, provider_reference = COALESCE($5, provider_reference), \
         updated_at = $6 WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(attempt_code(from))
    .bind(attempt_code(to))
    .bind(reason)
    .bind(reference)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The next invoice number of the year (gap-free: see [`super::next_of_year`]).
pub async fn next_invoice_sequence(conn: &mut Conn, year: i32) -> DbResult<u32> {
    super::next_of_year(conn, super::YearlyCounter::InvoiceSequences, year).await
}

pub async fn insert_invoice(
    conn: &mut Conn,
    invoice: &Invoice,
    year: i32,
    sequence: u32,
    payment_id: &str,
    driver_id: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO invoices (number, year, sequence, payment_id, driver_id, invoice_json, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(invoice.number.as_str())
    .bind(i64::from(year))
    .bind(i64::from(sequence))
    .bind(payment_id)
    .bind(driver_id)
    .bind(json(invoice))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The driver's invoices, newest first (a driver has a handful: the retention rule filters them).
pub async fn invoices_of(conn: &mut Conn, driver_id: &str) -> DbResult<Vec<Invoice>> {
    let rows = sqlx::query("SELECT invoice_json FROM invoices WHERE driver_id = $1 ORDER BY year DESC, sequence DESC")
        .bind(driver_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|row| row.json("invoice_json")).collect::<Result<_, _>>()?)
}

pub async fn invoice_of_payment(conn: &mut Conn, payment_id: &str) -> DbResult<Option<Invoice>> {
    let mut invoices = invoices_of_payments(conn, &[payment_id.to_owned()]).await?;
    Ok(invoices.remove(payment_id))
}

/// The invoice of each paid attempt among `payment_ids`, in one query.
pub async fn invoices_of_payments(conn: &mut Conn, payment_ids: &[String]) -> DbResult<HashMap<String, Invoice>> {
    if payment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT payment_id, invoice_json FROM invoices WHERE payment_id IN ({})",
        super::params(conn, 1, payment_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in payment_ids {
        query = query.bind(id.as_str());
    }
    query.fetch_all(conn).await?.iter().map(|row| Ok((row.value("payment_id")?, row.json("invoice_json")?))).collect()
}

/// One of the driver's invoices.
pub async fn find_invoice(conn: &mut Conn, driver_id: &str, number: &str) -> DbResult<Option<Invoice>> {
    let row = sqlx::query("SELECT invoice_json FROM invoices WHERE number = $1 AND driver_id = $2")
        .bind(number)
        .bind(driver_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|row| row.json("invoice_json")).transpose()?)
}
