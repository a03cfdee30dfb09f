//! The server's answers kept on this computer, shown when the server cannot be reached.

use crate::core::{local_error, AppCore, CommandResult};
use cqc_sync::api::ErrorCode;
use cqc_sync::applications::{ApplicationView, Eligibility};
use serde::Serialize;
use ts_rs::TS;

/// The name of the kept copy of « Mes demandes ».
pub const APPLICATIONS_COPY: &str = "applications";

/// « Mes demandes »: whether « Commencer » is open, and the applications (from this machine's
/// copy when the server cannot be reached).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ApplicationsOverview {
    pub online: bool,
    pub eligibility: Option<Eligibility>,
    pub applications: Vec<ApplicationView>,
}

pub async fn applications_overview(core: &AppCore) -> CommandResult<ApplicationsOverview> {
    let client = core.authed()?;
    match (client.eligibility().await, client.applications().await) {
        (Ok(eligibility), Ok(applications)) => {
            core.store().save_server_copy(APPLICATIONS_COPY, &applications).map_err(local_error)?;
            Ok(ApplicationsOverview { online: true, eligibility: Some(eligibility), applications })
        }
        (Err(error), _) | (_, Err(error)) => {
            let error = core.remote_error(error);
            if error.code != ErrorCode::Unreachable {
                return Err(error);
            }
            let applications = core.store().server_copy(APPLICATIONS_COPY).map_err(local_error)?.unwrap_or_default();
            Ok(ApplicationsOverview { online: false, eligibility: None, applications })
        }
    }
}

/// The name of the kept copy of « Mes cartes ».
const CARDS_COPY: &str = "cards";

/// « Mes cartes », from the server or this machine's copy.
pub async fn my_cards(core: &AppCore) -> CommandResult<Vec<cqc_sync::applications::CardView>> {
    let fetched = core.authed()?.my_cards().await;
    core.fetched_or_copy(CARDS_COPY, fetched)
}

/// What the driver's home screen says to do next, from what this computer knows (the server's
/// answers when it is reachable, the copies kept otherwise) and the French day.
pub async fn next_step(core: &AppCore) -> CommandResult<cqc_domain::next_step::NextStep> {
    use cqc_domain::application::CertificateSummary;
    use cqc_domain::next_step::{next_step, HeldCard};

    let day = cqc_domain::registration::parse_iso_date;
    let certificates: Vec<CertificateSummary> =
        core.store().certificates().map_err(local_error)?.iter().filter_map(|c| c.claims.summary()).collect();
    let applications: Vec<_> =
        applications_overview(core).await?.applications.into_iter().map(|a| (a.id, a.state)).collect();
    let cards: Vec<HeldCard> = my_cards(core)
        .await?
        .into_iter()
        .filter_map(|c| Some(HeldCard { id: c.id, status: c.status, code95_expiry: day(&c.face.code95_expiry)? }))
        .collect();
    let today = cqc_domain::calendar::french_day(cqc_domain::OffsetDateTime::now_utc());
    Ok(next_step(&certificates, &applications, &cards, today))
}
