//! Drafts left alone: each round reminds the drivers of drafts idle for a month (email and
//! notification) and purges, with their documents, the drafts still untouched a month after
//! their reminder (`cqc_domain::draft`); stale rate-limit counters go too. A round runs every hour,
//! on one instance: the one that takes the round's lease (`jobs`); the others look again later.
//! The same round sends the reminders before the code 95 expiry (`reminders`).

use crate::applications::{any_application, delete_stored};
use crate::db::applications::{self as applications, DraftTable, IdleDraft};
use crate::db::find_account;
use crate::db::replacements;
use crate::error::AppResult;
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::workflows::{applications::discard_draft, replacements::discard};
use crate::AppState;
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::draft::{draft_upkeep, DraftUpkeep};
use std::time::Duration;
use time::OffsetDateTime;

const ROUND_EVERY: Duration = Duration::from_secs(3600);
/// How often an instance looks whether the round's lease is free.
const LOOK_EVERY: Duration = Duration::from_secs(300);
const LEASE: &str = "draft-upkeep";

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub reminded: usize,
    pub purged: usize,
}

pub async fn run(state: AppState) {
    loop {
        let now = state.clock.now();
        match state.worker.take_lease(&state.db, LEASE, now, now + ROUND_EVERY).await {
            Ok(true) => {
                if let Err(error) = round(&state).await {
                    tracing::warn!(?error, "draft upkeep round failed");
                }
                if let Err(error) = crate::reminders::round(&state).await {
                    tracing::warn!(?error, "code 95 reminder round failed");
                }
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "the draft upkeep's lease could not be read"),
        }
        tokio::time::sleep(LOOK_EVERY).await;
    }
}

pub async fn round(state: &AppState) -> AppResult<Round> {
    let mut done = Round::default();
    for table in [DraftTable::Applications, DraftTable::Replacements] {
        let drafts = {
            let mut conn = state.db.writer().await?;
            match table {
                DraftTable::Applications => applications::draft_applications(&mut conn, None).await?,
                DraftTable::Replacements => replacements::draft_replacements(&mut conn, None).await?,
            }
        };
        for draft in drafts {
            let now = state.clock.now();
            match draft_upkeep(draft.last_change, draft.reminded_at, now) {
                DraftUpkeep::Keep => {}
                DraftUpkeep::Remind { purge_on } => {
                    if remind(state, table, &draft, purge_on, now).await? {
                        done.reminded += 1;
                    }
                }
                DraftUpkeep::Purge => {
                    if purge(state, table, &draft, now).await? {
                        done.purged += 1;
                    }
                }
            }
        }
    }
    // Rate-limit counters and login series nobody has touched for a day.
    crate::db::guards::purge_stale(&mut *state.db.writer().await?, state.clock.now()).await?;
    Ok(done)
}

fn target(table: DraftTable, id: &str) -> String {
    match table {
        DraftTable::Applications => format!("application:{id}"),
        DraftTable::Replacements => format!("replacement:{id}"),
    }
}

/// Reminds the driver of an idle draft, unless it was reminded since it was read (by another
/// instance, say). Answers whether this call did.
async fn remind(
    state: &AppState,
    table: DraftTable,
    draft: &IdleDraft,
    purge_on: OffsetDateTime,
    now: OffsetDateTime,
) -> AppResult<bool> {
    let what = match table {
        DraftTable::Applications => "demande de carte de qualification",
        DraftTable::Replacements => "demande de remplacement de carte",
    };
    let purge_on = cqc_documents::french_date(&french_day(purge_on).to_string());
    let mut work = UnitOfWork::begin(state, None).await?;
    let conn = work.conn().await?;
    let driver = find_account(conn, &draft.driver_id).await?;
    if !applications::set_reminded(conn, table, draft, now).await? {
        return Ok(false);
    }
    work.email(templates::draft_reminder(&driver.email, &driver.display_name, what, &purge_on));
    work.notify(
        &driver.id,
        "Demande non terminée",
        &format!("Votre {what} attend depuis un mois : reprenez-la avant le {purge_on}, sinon elle sera supprimée."),
        Some(target(table, &draft.id)),
    );
    work.audit(AuditAction::Reminded, &draft.id, "Rappel : brouillon sans modification depuis un mois");
    work.commit().await?;
    Ok(true)
}

/// Purges a draft if it is still one and still untouched (the driver may have come back since
/// the list was read). Answers whether it did.
async fn purge(state: &AppState, table: DraftTable, draft: &IdleDraft, now: OffsetDateTime) -> AppResult<bool> {
    const DETAIL: &str = "Brouillon supprimé, avec ses documents, faute de modification après le rappel";
    let mut work = UnitOfWork::begin(state, None).await?;
    let conn = work.conn().await?;
    let fresh = match table {
        DraftTable::Applications => applications::draft_applications(conn, Some(&draft.id)).await?,
        DraftTable::Replacements => replacements::draft_replacements(conn, Some(&draft.id)).await?,
    };
    let still_idle = fresh.iter().any(|d| draft_upkeep(d.last_change, d.reminded_at, now) == DraftUpkeep::Purge);
    if !still_idle {
        return Ok(false);
    }
    let keys = match table {
        DraftTable::Applications => {
            let application = any_application(conn, &draft.id).await?;
            discard_draft(&mut work, &application, DETAIL).await?
        }
        DraftTable::Replacements => {
            let mut stored = replacements::find_replacement(conn, &draft.id).await?;
            discard(&mut work, &mut stored, DETAIL).await?.into_iter().collect()
        }
    };
    work.notify(
        &draft.driver_id,
        "Demande non terminée supprimée",
        "Votre demande non validée a été supprimée avec ses documents, un mois après le rappel. Vous pouvez en \
         commencer une nouvelle à tout moment.",
        None,
    );
    work.commit().await?;
    state.db.forget_deleted().await?;
    delete_stored(&state.documents, keys).await;
    Ok(true)
}
