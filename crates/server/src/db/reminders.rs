//! What the reminders read and record: the deadlines coming, and the reminders already sent.

use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use time::OffsetDateTime;

/// The drivers holding a card whose current code 95 expiry (the latest of their cards' and of
/// their certificates', since a training moves it) falls after `after` and on or before `until`
/// (`aaaa-mm-jj`, compared as text): (driver id, expiry).
pub async fn code95_deadlines(conn: &mut Conn, after: &str, until: &str) -> DbResult<Vec<(String, String)>> {
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
    rows.iter().map(|row| Ok((row.value("driver_id")?, row.value("expiry")?))).collect()
}

/// A certificate whose window closes soon and that no application uses yet.
pub struct ClosingCertificate {
    pub id: String,
    pub driver_id: String,
    /// The window's last day, `aaaa-mm-jj`.
    pub valid_until: String,
}

/// The certificates whose window ends after `after` and on or before `until` (`aaaa-mm-jj`)
/// and that no application uses: their driver has no application among `open_statuses`, and no
/// card carrying the certificate's code 95 expiry or a later one.
pub async fn closing_certificates(
    conn: &mut Conn,
    after: &str,
    until: &str,
    open_statuses: &[&str],
) -> DbResult<Vec<ClosingCertificate>> {
    let sql = format!(
        "SELECT c.id, c.driver_id, c.valid_until FROM certificates c \
         WHERE c.valid_until > {} AND c.valid_until <= {} \
         AND NOT EXISTS (SELECT 1 FROM cards k WHERE k.driver_id = c.driver_id AND k.code95_expiry >= c.card_expiry) \
         AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.driver_id = c.driver_id AND a.status IN ({})) \
         ORDER BY c.valid_until, c.id",
        super::params(conn, 1, 1),
        super::params(conn, 2, 1),
        super::params(conn, 3, open_statuses.len())
    );
    let mut query = sqlx::query(&sql).bind(after).bind(until);
    for status in open_statuses {
        query = query.bind(*status);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(ClosingCertificate {
                id: row.value("id")?,
                driver_id: row.value("driver_id")?,
                valid_until: row.value("valid_until")?,
            })
        })
        .collect()
}

/// The thresholds (months before) already reminded of for `subject`.
pub async fn sent(conn: &mut Conn, subject: &str) -> DbResult<Vec<u32>> {
    let rows = sqlx::query("SELECT months_before FROM reminders_sent WHERE subject = $1")
        .bind(subject)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| Ok(row.value::<i64>("months_before")? as u32)).collect()
}

/// Records the reminder; false when it was recorded already (by another round).
pub async fn record(conn: &mut Conn, subject: &str, months_before: u32, now: OffsetDateTime) -> DbResult<bool> {
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
