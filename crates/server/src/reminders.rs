//! Reminders before the code 95 expiry of a driver's card (`cqc_domain::reminders`): at each
//! threshold (`CQC_CODE95_REMINDER_MONTHS`, by default 6, 3 and 1 months before), an email and a
//! notification, once. Run in the upkeep's round, on the instance that holds its lease; a
//! reminder is recorded in the transaction that queues it, so two rounds never send it twice.

use crate::db::{find_account, reminders};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::registration::parse_iso_date;
use cqc_domain::reminders::{reminder_due, reminder_horizon};

/// Sends the reminders due today; answers how many.
pub async fn round(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let today = french_day(now);
    let months = &state.code95_reminder_months;
    let horizon = reminder_horizon(today, months);
    let deadlines = {
        let mut conn = state.db.readers.acquire().await?;
        reminders::code95_deadlines(&mut conn, &today.to_string(), &horizon.to_string()).await?
    };
    let mut sent = 0;
    for (driver_id, expiry) in deadlines {
        let Some(expiry_day) = parse_iso_date(&expiry) else { continue };
        let subject = format!("code95:{driver_id}:{expiry}");
        let mut work = UnitOfWork::begin(state, None).await?;
        let conn = work.conn().await?;
        let already = reminders::sent(conn, &subject).await?;
        let Some(months_before) = reminder_due(today, expiry_day, months, &already) else { continue };
        if !reminders::record(conn, &subject, months_before, now).await? {
            continue;
        }
        let driver = find_account(conn, &driver_id).await?.ok_or_else(AppError::not_found)?;
        let on = cqc_documents::french_date(&expiry);
        work.email(templates::code95_expiry_reminder(&driver.email, &driver.display_name, &on));
        work.notify(
            &driver.id,
            "Votre code 95 expire bientôt",
            &format!(
                "La qualification (code 95) de votre carte expire le {on} : suivez une formation continue \
                 (FCO) avant cette date pour la prolonger."
            ),
            None,
        );
        work.audit(
            AuditAction::Reminded,
            &driver.id,
            format!("Rappel : code 95 expirant le {on} ({months_before} mois avant)"),
        );
        work.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
