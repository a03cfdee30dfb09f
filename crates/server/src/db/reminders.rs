//! What the reminders read and record: the deadlines coming, and the reminders already sent.

use crate::clock::to_millis;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

/// The drivers holding a card whose current code 95 expiry (the latest of their cards' and of
/// their certificates', since a training moves it) falls after `after` and on or before `until`
/// (`aaaa-mm-jj`, compared as text): (driver id, expiry).
pub async fn code95_deadlines(
    conn: &mut AnyConnection,
    after: &str,
    until: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.driver_id, MAX(e.expiry) AS expiry FROM ( \
             SELECT driver_id, code95_expiry AS expiry FROM cards \
             UNION ALL SELECT driver_id, card_expiry AS expiry FROM certificates) e \
         WHERE e.driver_id IN (SELECT driver_id FROM cards) \
         GROUP BY e.driver_id HAVING MAX(e.expiry) > $1 AND MAX(e.expiry) <= $2 ORDER BY e.driver_id",
    )
    .bind(after)
    .bind(until)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("driver_id")?, row.try_get("expiry")?))).collect()
}

/// The thresholds (months before) already reminded of for `subject`.
pub async fn sent(conn: &mut AnyConnection, subject: &str) -> Result<Vec<u32>, sqlx::Error> {
    let rows = sqlx::query("SELECT months_before FROM reminders_sent WHERE subject = $1")
        .bind(subject)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| Ok(row.try_get::<i64, _>("months_before")? as u32)).collect()
}

/// Records the reminder; false when it was recorded already (by another round).
pub async fn record(
    conn: &mut AnyConnection,
    subject: &str,
    months_before: u32,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (subject, months_before, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (subject, months_before) DO NOTHING",
    )
    .bind(subject)
    .bind(i64::from(months_before))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
