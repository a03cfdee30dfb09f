//! The sandbox card processor's ledger (`sandbox_ledger`): a table of the service's database, so
//! that every instance talks to the same processor and an attempt is still known after a restart.

use super::{encode, Columns as _, Db, DbResult};
use cqc_domain::billing::{Cents, DeclineReason};

/// What the processor answered an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerAnswer {
    Approved,
    Challenge,
    Declined,
}

/// An attempt as the ledger keeps it.
pub struct LedgerEntry {
    pub reference: String,
    pub answer: LedgerAnswer,
    pub decline_reason: Option<DeclineReason>,
}

/// How an attempt is found.
pub enum LedgerKey<'a> {
    IdempotencyKey(&'a str),
    Reference(&'a str),
}

/// How many charges were really taken, and their sum.
pub async fn charged(db: &Db) -> DbResult<(usize, Cents)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS charges, CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS total \
         FROM sandbox_ledger WHERE charged = 1",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok((row.value::<i64>("charges")? as usize, Cents(row.value("total")?)))
}

/// Records the first answer to `key`; a key already known keeps its answer.
pub async fn record_first(
    db: &Db,
    key: &str,
    amount: Cents,
    answer: LedgerAnswer,
    decline_reason: Option<DeclineReason>,
    charged: bool,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sandbox_ledger (idempotency_key, reference, amount_cents, answer, decline_reason, charged) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(key)
    .bind(format!("sbx_{}", uuid::Uuid::new_v4().simple()))
    .bind(amount.0)
    .bind(encode(&answer))
    .bind(decline_reason.map(|reason| encode(&reason)))
    .bind(i64::from(charged))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Settles a challenge still waiting; a challenge already settled keeps its answer.
pub async fn settle_waiting_challenge(
    db: &Db,
    reference: &str,
    answer: LedgerAnswer,
    decline_reason: Option<DeclineReason>,
    charged: bool,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE sandbox_ledger SET answer = $2, decline_reason = $3, charged = $4 \
         WHERE reference = $1 AND answer = $5",
    )
    .bind(reference)
    .bind(encode(&answer))
    .bind(decline_reason.map(|reason| encode(&reason)))
    .bind(i64::from(charged))
    .bind(encode(&LedgerAnswer::Challenge))
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn find(db: &Db, key: LedgerKey<'_>) -> DbResult<Option<LedgerEntry>> {
    let (column, value) = match key {
        LedgerKey::IdempotencyKey(value) => ("idempotency_key", value),
        LedgerKey::Reference(value) => ("reference", value),
    };
    let Some(row) =
        sqlx::query(&format!("SELECT reference, answer, decline_reason FROM sandbox_ledger WHERE {column} = $1"))
            .bind(value)
            .fetch_optional(&db.pool)
            .await?
    else {
        return Ok(None);
    };
    Ok(Some(LedgerEntry {
        reference: row.value("reference")?,
        answer: row.code("answer")?,
        decline_reason: row.code_or_null("decline_reason")?,
    }))
}
