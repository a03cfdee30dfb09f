//! The audit trail: who did what to which subject, and when.

use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::audit::AuditAction;
use std::collections::HashMap;
use time::OffsetDateTime;

/// A new line's id, time-ordered (UUID v7): each line lands at the end of the id index instead
/// of in a random page of it, which a push of a thousand trainings' lines felt.
fn line_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub async fn audit(
    conn: &mut Conn,
    actor_id: Option<&str>,
    action: AuditAction,
    subject_id: &str,
    detail: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
    let seq = next_lines(conn, 1).await?;
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(line_id())
    .bind(actor_id)
    .bind(action.code())
    .bind(subject_id)
    .bind(detail)
    .bind(to_millis(now))
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(())
}

/// The first of `n` new line numbers of the journal, one after the other. The counter's row stays
/// locked until the transaction ends, so no two lines share a number.
async fn next_lines(conn: &mut Conn, n: usize) -> DbResult<i64> {
    let last: i64 = sqlx::query_scalar("UPDATE audit_counter SET value = value + $1 WHERE id = 1 RETURNING value")
        .bind(n as i64)
        .fetch_one(&mut *conn)
        .await?;
    Ok(last - n as i64 + 1)
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
pub async fn audit_many(conn: &mut Conn, entries: &[PendingAudit]) -> DbResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let first = next_lines(conn, entries.len()).await?;
    let sql = format!(
        "INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at, seq) VALUES {}",
        super::value_rows(conn, entries.len(), 7)
    );
    let mut query = sqlx::query(&sql);
    for (i, entry) in entries.iter().enumerate() {
        query = query
            .bind(line_id())
            .bind(entry.actor_id.as_deref())
            .bind(entry.action.code())
            .bind(entry.subject_id.as_str())
            .bind(entry.detail.as_str())
            .bind(to_millis(entry.at))
            .bind(first + i as i64);
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

pub async fn audit_of(conn: &mut Conn, subject_id: &str) -> DbResult<Vec<AuditRow>> {
    let mut of = audit_of_many(conn, &[subject_id.to_owned()]).await?;
    Ok(of.remove(subject_id).unwrap_or_default())
}

/// The trails of many subjects in one query (a list view), each in the order it happened.
pub async fn audit_of_many(conn: &mut Conn, subject_ids: &[String]) -> DbResult<HashMap<String, Vec<AuditRow>>> {
    let mut trails: HashMap<String, Vec<AuditRow>> = HashMap::new();
    if subject_ids.is_empty() {
        return Ok(trails);
    }
    let sql = format!(
        "SELECT l.subject_id, l.at, a.email AS actor, l.action, l.detail FROM audit_log l \
         LEFT JOIN accounts a ON a.id = l.actor_id WHERE l.subject_id IN ({}) ORDER BY l.at, l.seq",
        super::params(conn, 1, subject_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in subject_ids {
        query = query.bind(id.as_str());
    }
    for row in query.fetch_all(conn).await? {
        let code: String = row.value("action")?;
        let entry = AuditRow {
            at: row.instant("at")?,
            actor: row.value("actor")?,
            action: AuditAction::parse(&code).ok_or_else(|| sqlx::Error::Decode(code.into()))?,
            detail: row.value("detail")?,
        };
        trails.entry(row.value("subject_id")?).or_default().push(entry);
    }
    Ok(trails)
}
