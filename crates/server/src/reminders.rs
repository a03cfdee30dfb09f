//! Reminders before a deadline (`cqc_domain::reminders`), by email and notification, once each:
//! the code 95 expiry of a driver's card (`CQC_CODE95_REMINDER_MONTHS`, by default 6, 3 and 1
//! months before) and the end of a certificate's window when no application uses it
//! (`CQC_CERTIFICATE_REMINDER_MONTHS`, by default 1 month before). Run in the upkeep's round, on
//! the instance that holds its lease; a reminder is recorded in the transaction that queues it,
//! so two rounds never send it twice.

use crate::db::applications::applications_of;
use crate::db::{find_account, reminders};
use crate::error::AppResult;
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::application::ApplicationStatus;
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::registration::parse_iso_date;
use cqc_domain::reminders::{reminder_due, reminder_horizon};
use time::Date;

/// What a driver is reminded of.
enum Deadline {
    Code95Expiry { driver_id: String, expiry: String },
    CertificateWindow { certificate_id: String, driver_id: String, last_day: String },
}

impl Deadline {
    /// What `reminders_sent` knows it by: a later expiry or another certificate is another.
    fn subject(&self) -> String {
        match self {
            Self::Code95Expiry { driver_id, expiry } => format!("code95:{driver_id}:{expiry}"),
            Self::CertificateWindow { certificate_id, .. } => format!("certificate:{certificate_id}"),
        }
    }

    fn driver_id(&self) -> &str {
        match self {
            Self::Code95Expiry { driver_id, .. } | Self::CertificateWindow { driver_id, .. } => driver_id,
        }
    }

    fn day(&self) -> &str {
        match self {
            Self::Code95Expiry { expiry, .. } => expiry,
            Self::CertificateWindow { last_day, .. } => last_day,
        }
    }
}

/// Sends the reminders due today; answers how many.
pub async fn round(state: &AppState) -> AppResult<usize> {
    let today = french_day(state.clock.now());
    let open: Vec<&str> = ApplicationStatus::ALL.into_iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    let (expiries, windows) = {
        let mut conn = state.db.reader().await?;
        let until = reminder_horizon(today, &state.code95_reminder_months).to_string();
        let expiries = reminders::code95_deadlines(&mut conn, &today.to_string(), &until).await?;
        let until = reminder_horizon(today, &state.certificate_reminder_months).to_string();
        let windows = reminders::closing_certificates(&mut conn, &today.to_string(), &until, &open).await?;
        (expiries, windows)
    };
    let mut sent = 0;
    for (driver_id, expiry) in expiries {
        let deadline = Deadline::Code95Expiry { driver_id, expiry };
        sent += usize::from(remind(state, &deadline, &state.code95_reminder_months, today).await?);
    }
    for certificate in windows {
        let deadline = Deadline::CertificateWindow {
            certificate_id: certificate.id,
            driver_id: certificate.driver_id,
            last_day: certificate.valid_until,
        };
        sent += usize::from(remind(state, &deadline, &state.certificate_reminder_months, today).await?);
    }
    Ok(sent)
}

/// Reminds the driver of `deadline` if a threshold of `months` is reached and was not reminded
/// of; answers whether this call did.
async fn remind(state: &AppState, deadline: &Deadline, months: &[u32], today: Date) -> AppResult<bool> {
    let Some(day) = parse_iso_date(deadline.day()) else { return Ok(false) };
    let subject = deadline.subject();
    let mut work = UnitOfWork::begin(state, None).await?;
    let conn = work.conn().await?;
    let already = reminders::sent(conn, &subject).await?;
    let Some(months_before) = reminder_due(today, day, months, &already) else { return Ok(false) };
    if let Deadline::CertificateWindow { driver_id, .. } = deadline {
        // Started an application since the list was read: the driver acted.
        if applications_of(conn, driver_id).await?.iter().any(|a| a.state.status.is_open()) {
            return Ok(false);
        }
    }
    if !reminders::record(conn, &subject, months_before, state.clock.now()).await? {
        return Ok(false);
    }
    let driver = find_account(conn, deadline.driver_id()).await?;
    let on = cqc_documents::french_date(deadline.day());
    let (email, title, body, detail) = match deadline {
        Deadline::Code95Expiry { .. } => (
            templates::code95_expiry_reminder(&driver.email, &driver.display_name, &on),
            "Votre code 95 expire bientôt".to_owned(),
            format!(
                "La qualification (code 95) de votre carte expire le {on} : suivez une formation continue \
                 (FCO) avant cette date pour la prolonger."
            ),
            format!("Rappel : code 95 expirant le {on} ({months_before} mois avant)"),
        ),
        Deadline::CertificateWindow { certificate_id, .. } => (
            templates::certificate_window_reminder(&driver.email, &driver.display_name, &on),
            format!("Demandez votre carte avant le {on}"),
            format!(
                "Votre attestation de qualification permet de demander la carte jusqu'au {on} inclus : \
                 « Mes certificats », « Commencer »."
            ),
            format!("Rappel : attestation {certificate_id} utilisable jusqu'au {on}, aucune demande commencée"),
        ),
    };
    work.email(email);
    work.notify(&driver.id, &title, &body, None);
    work.audit(AuditAction::Reminded, &driver.id, detail);
    work.commit().await?;
    Ok(true)
}
