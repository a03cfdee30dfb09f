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
