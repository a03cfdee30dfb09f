//! Accounts: drivers, centre staff and agents, their registrations and the analysis's review items.

use super::{encode, Columns, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::account::{AccountStatus, ReviewItem, Role};
use cqc_domain::registration::RegistrationInput;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use time::OffsetDateTime;

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

/// What the account's holder sees of it.
impl From<Account> for cqc_sync::api::Profile {
    fn from(account: Account) -> Self {
        Self {
            account_id: account.id,
            role: account.role,
            status: account.status,
            email: account.email,
            display_name: account.display_name,
            registration: account.registration,
        }
    }
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

pub(super) const ACCOUNT_COLUMNS: &str =
    "id, role, status, email, display_name, registration_json, password_hash, submitted_at, resubmitted";

impl FromRow<'_, AnyRow> for Account {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            role: row.code("role")?,
            status: row.code("status")?,
            email: row.value("email")?,
            display_name: row.value("display_name")?,
            registration: row.json_or_null("registration_json")?,
            password_hash: row.value("password_hash")?,
            submitted_at: row.instant("submitted_at")?,
            resubmitted: row.flag("resubmitted")?,
        })
    }
}

pub async fn insert_account(conn: &mut Conn, account: &NewAccount<'_>, now: OffsetDateTime) -> DbResult<String> {
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

pub async fn find_account(conn: &mut Conn, id: &str) -> DbResult<Account> {
    super::find(conn, id).await
}

impl super::Table for Account {
    const TABLE: &'static str = "accounts";
    const COLUMNS: &'static str = ACCOUNT_COLUMNS;
}

pub async fn find_account_by_email(conn: &mut Conn, email: &str) -> DbResult<Option<Account>> {
    Ok(sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await?)
}

/// An account as far as a registration's unique values go.
pub struct Holder {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub licence_number: Option<String>,
}

/// The accounts that already hold this email and this licence number, if any: (the email's,
/// the licence number's).
pub async fn holders(conn: &mut Conn, email: &str, licence_number: &str) -> DbResult<(Option<Holder>, Option<Holder>)> {
    let rows = sqlx::query(
        "SELECT id, email, display_name, licence_number FROM accounts WHERE email = $1 OR licence_number = $2",
    )
    .bind(email)
    .bind(licence_number)
    .fetch_all(conn)
    .await?;
    let mut holders = Vec::new();
    for row in rows {
        holders.push(Holder {
            id: row.value("id")?,
            email: row.value("email")?,
            display_name: row.value("display_name")?,
            licence_number: row.value("licence_number")?,
        });
    }
    let by_email = holders.iter().position(|h| h.email == email).map(|i| holders.remove(i));
    let by_licence = holders.into_iter().find(|h| h.licence_number.as_deref() == Some(licence_number));
    Ok((by_email, by_licence))
}

/// Which of the unique values another account already holds.
pub async fn taken_by_other(
    conn: &mut Conn,
    email: &str,
    licence_number: &str,
    except_id: &str,
) -> DbResult<(bool, bool)> {
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
    Ok((row.value::<i64>("emails")? > 0, row.value::<i64>("licences")? > 0))
}

pub async fn set_status(conn: &mut Conn, id: &str, status: AccountStatus, now: OffsetDateTime) -> DbResult<()> {
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
    conn: &mut Conn,
    id: &str,
    input: &RegistrationInput,
    email: &str,
    licence_number: &str,
    display_name: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
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
    conn: &mut Conn,
    id: &str,
    hash: &str,
    status: AccountStatus,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query("UPDATE accounts SET password_hash = $2, status = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(encode(&status))
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn pending_analysis(conn: &mut Conn) -> DbResult<Vec<Account>> {
    Ok(sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE status = $1 ORDER BY submitted_at, id"))
        .bind(encode(&AccountStatus::PendingAnalysis))
        .fetch_all(conn)
        .await?)
}

pub async fn replace_review_items(conn: &mut Conn, account_id: &str, items: &[ReviewItem]) -> DbResult<()> {
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

pub async fn review_items(conn: &mut Conn, account_id: &str) -> DbResult<Vec<ReviewItem>> {
    let rows = sqlx::query("SELECT field, reason FROM review_items WHERE account_id = $1 ORDER BY field")
        .bind(account_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(|row| Ok(ReviewItem { field: row.code("field")?, reason: row.value("reason")? }))
        .collect::<Result<_, sqlx::Error>>()?)
}
