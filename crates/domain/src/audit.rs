//! What the audit log records: one typed action per step of the guide. The history a driver or
//! an agent reads is worded from these codes on the screen, in the reader's language.

use crate::card::CardStatus;
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};
use ts_rs::TS;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum AuditAction {
    // Accounts.
    RegistrationSubmitted,
    RegistrationAccepted,
    RegistrationCorrectionRequested,
    RegistrationCorrected,
    /// A registration tried to take this account's email or licence number; its holder was told.
    RegistrationAttemptOnTakenValue,
    PasswordLinkRequested,
    PasswordSet,
    LoginFailed,
    LoginLocked,
    AccountClosed,
    StaffCreated,
    StaffDeactivated,
    CentreApproved,
    FeesScheduled,
    FeesCancelled,
    Reminded,
    // Trainings.
    TrainingRecorded,
    CertificateIssued,
    IdentityCheckNeeded,
    IdentityCheckDecided,
    // Applications and replacements.
    Draft,
    Document,
    Submitted,
    InProcessing,
    CorrectionRequested,
    Answered,
    Approved,
    Refused,
    Cancelled,
    Analysed,
    Fixed,
    // Cards: each step of their life.
    InProduction,
    Printed,
    Shipped,
    Delivered,
    Activated,
    Returned,
    ToResend,
    Void,
    CardReceived,
    NewAddress,
    // Payments.
    Payment,
    Paid,
    Invoice,
}

impl AuditAction {
    /// The step a card's new status records.
    pub fn card(status: CardStatus) -> Self {
        match status {
            CardStatus::InProduction => Self::InProduction,
            CardStatus::Printed => Self::Printed,
            CardStatus::Shipped => Self::Shipped,
            CardStatus::Delivered => Self::Delivered,
            CardStatus::Activated => Self::Activated,
            CardStatus::Returned => Self::Returned,
            CardStatus::ToResend => Self::ToResend,
            CardStatus::Void => Self::Void,
        }
    }

    /// The code stored in the log (the same as on the wire).
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_is_stored_under_its_wire_code() {
        for status in CardStatus::ALL {
            let action = AuditAction::card(status);
            assert_eq!(action.code(), status.as_str());
            assert_eq!(serde_json::to_value(action).unwrap(), action.code());
            assert_eq!(AuditAction::parse(action.code()), Some(action));
        }
        assert_eq!(AuditAction::RegistrationCorrectionRequested.code(), "registration_correction_requested");
        assert_eq!(AuditAction::parse("not_an_action"), None);
    }
}
