//! What closing a driver's account reads and deletes. Kept: cards (with the photo printed on
//! them), replacements past their draft, payments and invoices, trainings, recaps, certificates,
//! the audit journal. Deleted: contact data, password, sessions, links, notifications, drafts,
//! the scans sent with applications and the emails and text messages to the driver.

use super::{Conn, DbResult};
use crate::clock::to_millis;
use time::OffsetDateTime;

/// The statuses of the driver's applications, cards and replacements, as stored.
pub async fn statuses(conn: &mut Conn, driver_id: &str) -> DbResult<(Vec<String>, Vec<String>, Vec<String>)> {
    let mut all = Vec::new();
    for table in ["applications", "cards", "replacements"] {
        let statuses: Vec<String> = sqlx::query_scalar(&format!("SELECT status FROM {table} WHERE driver_id = $1"))
            .bind(driver_id)
            .fetch_all(&mut *conn)
            .await?;
        all.push(statuses);
    }
    let replacements = all.pop().unwrap_or_default();
    let cards = all.pop().unwrap_or_default();
    Ok((all.pop().unwrap_or_default(), cards, replacements))
}

/// Deletes what the closure deletes and marks the account closed, its email replaced by
/// `closed_email`; answers the stored files to delete once this is committed.
pub async fn close(
    conn: &mut Conn,
    driver_id: &str,
    email: &str,
    closed_email: &str,
    now: OffsetDateTime,
) -> DbResult<Vec<String>> {
    // Applications and replacements store their status with the same code for a draft.
    let draft = super::encode(&cqc_domain::replacement::ReplacementStatus::Draft);
    debug_assert_eq!(draft, cqc_domain::application::ApplicationStatus::Draft.as_str());
    let mine = "SELECT id FROM applications WHERE driver_id = $1";
    // The scans and files sent, but not the photo a card was printed with (the card's record).
    let mut files: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT object_key FROM application_documents WHERE application_id IN ({mine}) \
         AND object_key NOT IN (SELECT photo_key FROM cards WHERE driver_id = $1)"
    ))
    .bind(driver_id)
    .fetch_all(&mut *conn)
    .await?;
    let theft_declarations: Vec<Option<String>> =
        sqlx::query_scalar("SELECT theft_declaration_key FROM replacements WHERE driver_id = $1 AND status = $2")
            .bind(driver_id)
            .bind(&draft)
            .fetch_all(&mut *conn)
            .await?;
    files.extend(theft_declarations.into_iter().flatten());

    let by_driver = [
        format!("DELETE FROM application_documents WHERE application_id IN ({mine})"),
        format!("DELETE FROM upload_parts WHERE application_id IN ({mine})"),
        "UPDATE applications SET delivery_address_json = NULL, correction_json = NULL WHERE driver_id = $1".to_owned(),
        "DELETE FROM sessions WHERE account_id = $1".to_owned(),
        "DELETE FROM links WHERE account_id = $1".to_owned(),
        "DELETE FROM review_items WHERE account_id = $1".to_owned(),
        "DELETE FROM notifications WHERE account_id = $1".to_owned(),
        "DELETE FROM outgoing_sms WHERE account_id = $1".to_owned(),
        "DELETE FROM reminders_sent WHERE subject = $1".to_owned(),
    ];
    for statement in by_driver {
        sqlx::query(&statement).bind(driver_id).execute(&mut *conn).await?;
    }
    for table in ["applications", "replacements"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE driver_id = $1 AND status = $2"))
            .bind(driver_id)
            .bind(&draft)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM outgoing_emails WHERE recipient = $1").bind(email).execute(&mut *conn).await?;
    sqlx::query(
        "UPDATE accounts SET status = $2, email = $3, licence_number = NULL, registration_json = NULL, \
         password_hash = NULL, updated_at = $4 WHERE id = $1",
    )
    .bind(driver_id)
    .bind(super::encode(&cqc_domain::account::AccountStatus::Closed))
    .bind(closed_email)
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(files)
}
