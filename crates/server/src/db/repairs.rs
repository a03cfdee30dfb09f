//! Repairs of stored data that need the domain's rules, run once each at start, after the
//! migrations. A repair claims its row in `data_repairs` in the transaction that repairs, so
//! that of several instances starting at once exactly one does it.

use super::trainings as store;
use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::training::TrainingRecordInput;
use cqc_sync::protocol::{Certificate, Outcome};
use sqlx::AnyPool;
use std::collections::HashSet;
use time::OffsetDateTime;

pub async fn run(pool: &AnyPool, now: OffsetDateTime) -> DbResult<()> {
    let mut tx = pool.begin().await?;
    if claim(&mut tx, "licence-numbers-normalised", now).await? {
        let normalised = normalise_training_licences(&mut tx).await?;
        let merged = merge_duplicate_trainings(&mut tx).await?;
        tracing::info!(normalised, merged, "licence numbers of stored trainings repaired");
    }
    if claim(&mut tx, "link-tokens-out-of-stored-emails", now).await? {
        let redacted = redact_stored_link_tokens(&mut tx).await?;
        tracing::info!(redacted, "live link tokens taken out of the emails stored before link keys");
    }
    if claim(&mut tx, "certificate-valid-until", now).await? {
        let filled = fill_certificate_windows(&mut tx).await?;
        tracing::info!(filled, "the windows of issued certificates filled in");
    }
    Ok(tx.commit().await?)
}

/// Certificates issued before migration 0013 kept the last day of their window only in their
/// body: it gets its column, which the reminders search.
async fn fill_certificate_windows(conn: &mut Conn) -> DbResult<usize> {
    let rows =
        sqlx::query("SELECT id, body_json FROM certificates WHERE valid_until IS NULL").fetch_all(&mut *conn).await?;
    for row in &rows {
        let body: Certificate = row.json("body_json")?;
        sqlx::query("UPDATE certificates SET valid_until = $2 WHERE id = $1")
            .bind(row.value::<String>("id")?)
            .bind(&body.claims.valid_until)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows.len())
}

/// Emails queued before migration 0021 held their link's token in their body (rewritten once
/// sent, but kept by the database's log): their tokens go. One still waiting then goes out
/// without a working link; its reader asks for a new one.
async fn redact_stored_link_tokens(conn: &mut Conn) -> DbResult<usize> {
    let rows = sqlx::query("SELECT id, body FROM outgoing_emails WHERE link_key IS NULL AND body LIKE '%jeton=%'")
        .fetch_all(&mut *conn)
        .await?;
    let mut redacted = 0;
    for row in rows {
        let (id, body): (String, String) = (row.value("id")?, row.value("body")?);
        let kept = without_link_tokens(&body);
        if kept != body {
            sqlx::query("UPDATE outgoing_emails SET body = $2 WHERE id = $1")
                .bind(&id)
                .bind(&kept)
                .execute(&mut *conn)
                .await?;
            redacted += 1;
        }
    }
    Ok(redacted)
}

/// The text with the token of each emailed link (`jeton=…`) replaced.
fn without_link_tokens(body: &str) -> String {
    const MARK: &str = "jeton=";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len()]);
        rest = &rest[at + MARK.len()..];
        let token_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        if token_end > 0 {
            out.push_str("[retiré]");
        }
        rest = &rest[token_end..];
    }
    out.push_str(rest);
    out
}

async fn claim(conn: &mut Conn, name: &str, now: OffsetDateTime) -> DbResult<bool> {
    let claimed = sqlx::query("INSERT INTO data_repairs (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Trainings pushed before issue 10 kept their licence number as typed (`13-AA-00002`): they
/// never met the account that registered it. Each takes the domain's one spelling.
async fn normalise_training_licences(conn: &mut Conn) -> DbResult<usize> {
    let rows = sqlx::query("SELECT id, licence_number FROM trainings").fetch_all(&mut *conn).await?;
    let mut repaired = 0;
    for row in rows {
        let (id, typed): (String, String) = (row.value("id")?, row.value("licence_number")?);
        let normal = cqc_domain::licence::normalize(&typed);
        if normal != typed {
            sqlx::query("UPDATE trainings SET licence_number = $2 WHERE id = $1")
                .bind(&id)
                .bind(&normal)
                .execute(&mut *conn)
                .await?;
            repaired += 1;
        }
    }
    Ok(repaired)
}

/// The same training accepted twice under two spellings: the first recorded stays; the others
/// become refused duplicates (the centre sees why at its next pull) and lose the recap and the
/// certificate they wrongly gave.
async fn merge_duplicate_trainings(conn: &mut Conn) -> DbResult<usize> {
    let rows = sqlx::query(
        "SELECT id, centre_id, licence_number, record_json FROM trainings WHERE accepted = 1 ORDER BY created_at, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut duplicates = Vec::new();
    for row in rows {
        let id: String = row.value("id")?;
        let Ok(record) = serde_json::from_str::<TrainingRecordInput>(&row.value::<String>("record_json")?) else {
            continue;
        };
        let same = format!(
            "{:?}|{:?}|{}|{}",
            record.kind,
            record.qualification,
            record.start_date.trim(),
            record.end_date.trim()
        );
        let key = (row.value("centre_id")?, row.value("licence_number")?, same);
        // The rows come oldest first: the first of each training stays.
        if !seen.insert(key) {
            duplicates.push(id);
        }
    }
    let outcome = serde_json::to_string(&Outcome::Rejected {
        reason:
            "Cette formation était enregistrée deux fois pour ce stagiaire, aux mêmes dates : le doublon est retiré."
                .into(),
        fields: Default::default(),
    })
    .expect("serialisable");
    for id in &duplicates {
        let version = store::next_version(&mut *conn).await?;
        sqlx::query("DELETE FROM certificates WHERE training_id = $1").bind(id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM recaps WHERE training_id = $1").bind(id).execute(&mut *conn).await?;
        sqlx::query(
            "UPDATE trainings SET accepted = 0, driver_id = NULL, outcome_json = $2, version = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(&outcome)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    }
    Ok(duplicates.len())
}

#[cfg(test)]
mod tests {
    use super::without_link_tokens;

    #[test]
    fn a_stored_email_of_before_link_keys_keeps_no_live_link() {
        let body =
            "Créer mon mot de passe : http://x/mot-de-passe?jeton=AbC-12_z9\nOu : http://x/correction?jeton=Q.\nFin";
        assert_eq!(
            without_link_tokens(body),
            "Créer mon mot de passe : http://x/mot-de-passe?jeton=[retiré]\nOu : http://x/correction?jeton=[retiré].\nFin"
        );
        assert_eq!(without_link_tokens("Bonjour, rien à retirer."), "Bonjour, rien à retirer.");
    }
}
