//! The administration space on the wire: centres, staff accounts, fees, the audit journal.

use crate::api::Timestamp;
use cqc_domain::account::AccountStatus;
use cqc_domain::administration::StaffRole;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::FeeTable;
use cqc_domain::fees::FeePeriod;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CentreView {
    pub id: String,
    pub name: String,
    pub approval_number: String,
    pub address: String,
    /// Staff accounts of the centre that can still log in or set their password.
    pub staff: u32,
    pub approved_at: Timestamp,
}

/// « Agréer un centre ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct NewCentre {
    pub name: String,
    pub approval_number: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct StaffView {
    pub account_id: String,
    pub role: StaffRole,
    pub email: String,
    pub display_name: String,
    pub status: AccountStatus,
    /// The approval number of the centre of centre staff.
    pub centre: Option<String>,
    pub created_at: Timestamp,
}

/// « Créer un compte »: the person gets an email link to set their password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct NewStaff {
    pub role: StaffRole,
    pub email: String,
    pub display_name: String,
    /// The centre's approval number, for centre staff only.
    pub centre: Option<String>,
}

/// The journal's filters (all optional), and the page before the line `before`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[ts(export)]
pub struct JournalQuery {
    pub action: Option<AuditAction>,
    /// Part of the email of who acted.
    pub actor: Option<String>,
    /// The id of the account, request, card… the line is about.
    pub subject: Option<String>,
    #[ts(type = "number | null")]
    #[param(minimum = 1, maximum = 9007199254740991.0)]
    pub before: Option<i64>,
    /// With `before`, the id of that line (`next_before_id`): lines that share a number (written
    /// at once before their numbers were made unique) then each come on one page exactly.
    #[serde(default)]
    #[param(max_length = 64)]
    pub before_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct JournalEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: Timestamp,
    /// The email of who acted; none for the service itself or a driver not logged in.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct JournalPage {
    pub entries: Vec<JournalEntry>,
    /// Give it as `before` for the older lines; none when there are no more.
    #[ts(type = "number | null")]
    pub next_before: Option<i64>,
    /// Give it as `before_id` with `next_before`.
    pub next_before_id: Option<String>,
}

/// « Tarifs »: a fee table and where it stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ScheduledFeesView {
    /// ISO date of its first day.
    pub starts_on: String,
    pub fees: FeeTable,
    pub period: FeePeriod,
    /// The email of who scheduled it; none for the service's first table.
    pub scheduled_by: Option<String>,
}

/// « Programmer un tarif »: amounts before tax in cents, VAT in basis points (2000 = 20 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct NewFees {
    /// ISO date, tomorrow at the earliest.
    pub starts_on: String,
    pub fees: FeeTable,
}
