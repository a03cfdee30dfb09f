//! What the administration space reads: centres with their staff, staff accounts, the journal.

use super::{Columns as _, Conn, DbResult};
use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::audit::AuditAction;
use time::OffsetDateTime;

pub struct CentreRow {
    pub id: String,
    pub name: String,
    pub approval_number: String,
    pub address: String,
    pub staff: i64,
    pub approved_at: OffsetDateTime,
}

/// Every centre, by name, with its staff accounts that are not deactivated.
pub async fn centres(conn: &mut Conn) -> DbResult<Vec<CentreRow>> {
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.approval_number, c.address, c.created_at, \
           (SELECT COUNT(*) FROM accounts a WHERE a.centre_id = c.id AND a.status <> 'deactivated') AS staff \
         FROM centres c ORDER BY c.name, c.approval_number",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CentreRow {
                id: row.value("id")?,
                name: row.value("name")?,
                approval_number: row.value("approval_number")?,
                address: row.value("address")?,
                staff: row.value("staff")?,
                approved_at: row.instant("created_at")?,
            })
        })
        .collect()
}

pub struct StaffRow {
    pub id: String,
    pub role: Role,
    pub status: AccountStatus,
    pub email: String,
    pub display_name: String,
    pub centre: Option<String>,
    pub created_at: OffsetDateTime,
}

const STAFF: &str = "SELECT a.id, a.role, a.status, a.email, a.display_name, a.created_at, c.approval_number \
     FROM accounts a LEFT JOIN centres c ON c.id = a.centre_id WHERE a.role <> 'driver'";

fn staff_row(row: &sqlx::any::AnyRow) -> Result<StaffRow, sqlx::Error> {
    Ok(StaffRow {
        id: row.value("id")?,
        role: row.code("role")?,
        status: row.code("status")?,
        email: row.value("email")?,
        display_name: row.value("display_name")?,
        centre: row.value("approval_number")?,
        created_at: row.instant("created_at")?,
    })
}

/// Every account that is not a driver's: agents, centre staff, administrators.
pub async fn staff(conn: &mut Conn) -> DbResult<Vec<StaffRow>> {
    let rows = sqlx::query(&format!("{STAFF} ORDER BY a.role, a.display_name, a.email")).fetch_all(conn).await?;
    Ok(rows.iter().map(staff_row).collect::<Result<_, _>>()?)
}

pub async fn staff_member(conn: &mut Conn, id: &str) -> DbResult<Option<StaffRow>> {
    let row = sqlx::query(&format!("{STAFF} AND a.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(staff_row).transpose()?)
}

pub struct JournalRow {
    pub id: String,
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: String,
}

pub struct JournalFilter<'a> {
    pub action: Option<AuditAction>,
    pub actor: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub before: Option<JournalPosition<'a>>,
    pub limit: i64,
}

/// Where a page of the journal starts: before line `seq` or, given its id, before that line among
/// those sharing its number.
#[derive(Debug, Clone, Copy)]
pub struct JournalPosition<'a> {
    pub seq: i64,
    pub id: Option<&'a str>,
}

/// The journal's lines that match, newest first (by their order of writing).
pub async fn journal(conn: &mut Conn, filter: &JournalFilter<'_>) -> DbResult<Vec<JournalRow>> {
    // Only the filters given become clauses: PostgreSQL cannot type a parameter that is only NULL.
    let actor = filter.actor.map(|a| format!("%{}%", a.trim().to_lowercase().replace(['%', '_'], "")));
    let mut clauses = Vec::new();
    let mut texts = Vec::new();
    for (column, value) in [
        ("l.action = ", filter.action.map(|a| a.code().to_owned())),
        ("a.email LIKE ", actor),
        ("l.subject_id = ", filter.subject.map(str::to_owned)),
    ] {
        if let Some(value) = value {
            texts.push(value);
            clauses.push(format!("{column}${}", texts.len()));
        }
    }
    match filter.before {
        Some(JournalPosition { id: Some(_), .. }) => {
            let (seq, id) = (texts.len() + 1, texts.len() + 2);
            clauses.push(format!("(l.seq < ${seq} OR (l.seq = ${seq} AND l.id < ${id}))"));
        }
        Some(JournalPosition { id: None, .. }) => clauses.push(format!("l.seq < ${}", texts.len() + 1)),
        None => {}
    }
    let wanted = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    let sql = format!(
        "SELECT l.id, l.seq, l.at, a.email AS actor, l.action, l.subject_id, l.detail FROM audit_log l \
         LEFT JOIN accounts a ON a.id = l.actor_id {wanted} ORDER BY l.seq DESC, l.id DESC LIMIT {}",
        filter.limit
    );
    let mut query = sqlx::query(&sql);
    for text in texts {
        query = query.bind(text);
    }
    if let Some(before) = filter.before {
        query = query.bind(before.seq);
        if let Some(id) = before.id {
            query = query.bind(id);
        }
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let code: String = row.value("action")?;
            Ok(JournalRow {
                id: row.value("id")?,
                seq: row.value("seq")?,
                at: row.instant("at")?,
                actor: row.value("actor")?,
                action: AuditAction::parse(&code).ok_or_else(|| sqlx::Error::Decode(code.into()))?,
                subject_id: row.value("subject_id")?,
                detail: row.value("detail")?,
            })
        })
        .collect()
}
