//! « Tarifs »: the fee tables and the day each takes effect (`fee_schedule`).

use super::{Columns as _, Conn, DbResult};
use cqc_domain::billing::{Cents, FeeTable};
use cqc_domain::fees::{FeeSchedule, ScheduledFees};
use cqc_domain::registration::parse_iso_date;
use time::{Date, OffsetDateTime};

pub struct FeesRow {
    pub table: ScheduledFees,
    /// The email of the administrator who scheduled it.
    pub scheduled_by: Option<String>,
}

/// Every table, with who scheduled it.
pub async fn rows(conn: &mut Conn) -> DbResult<Vec<FeesRow>> {
    let rows = sqlx::query(
        "SELECT f.starts_on, f.replacement_card, f.quality_replacement_card, f.reshipping, f.vat_basis_points, \
           a.email FROM fee_schedule f LEFT JOIN accounts a ON a.id = f.scheduled_by",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let fees = FeeTable {
                replacement_card: Cents(row.value("replacement_card")?),
                quality_replacement_card: Cents(row.value("quality_replacement_card")?),
                reshipping: Cents(row.value("reshipping")?),
                vat_basis_points: row.value::<i64>("vat_basis_points")?.clamp(0, 10_000) as u32,
            };
            let starts_on = row.parsed("starts_on", parse_iso_date)?;
            Ok(FeesRow { table: ScheduledFees { starts_on, fees }, scheduled_by: row.value("email")? })
        })
        .collect()
}

pub async fn schedule(conn: &mut Conn) -> DbResult<FeeSchedule> {
    Ok(FeeSchedule::new(rows(conn).await?.into_iter().map(|row| row.table).collect()))
}

/// The table in force on `day`.
pub async fn in_force_on(conn: &mut Conn, day: Date) -> DbResult<FeeTable> {
    Ok(schedule(conn).await?.in_force_on(day))
}

/// A new table; false when one already starts that day.
pub async fn insert(conn: &mut Conn, table: &ScheduledFees, by: &str, now: OffsetDateTime) -> DbResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO fee_schedule (starts_on, replacement_card, quality_replacement_card, reshipping, \
         vat_basis_points, scheduled_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (starts_on) DO NOTHING",
    )
    .bind(table.starts_on.to_string())
    .bind(table.fees.replacement_card.0)
    .bind(table.fees.quality_replacement_card.0)
    .bind(table.fees.reshipping.0)
    .bind(i64::from(table.fees.vat_basis_points))
    .bind(by)
    .bind(crate::clock::to_millis(now))
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

pub async fn delete(conn: &mut Conn, starts_on: Date) -> DbResult<()> {
    sqlx::query("DELETE FROM fee_schedule WHERE starts_on = $1").bind(starts_on.to_string()).execute(conn).await?;
    Ok(())
}
