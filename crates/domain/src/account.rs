//! An account's life (guide steps 01–03): analysis within 24 hours, correction, password, login.
//!
//! ```text
//! pending_analysis ──accept──▶ awaiting_password ──set_password──▶ active
//!        ▲  │
//!        │  └──request_correction──▶ correction_requested
//!        └────────resubmit─────────────────┘
//! ```

use crate::contact::has_hidden_characters;
use crate::registration::RegistrationField;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use ts_rs::TS;

/// The promise of the guide: an answer within 24 hours.
pub const ANALYSIS_PROMISE: Duration = Duration::hours(24);
/// How long an opened session lasts before the user must log in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
/// Centre staff work offline for days: their session outlives a week-long cut.
pub const CENTRE_SESSION_LIFETIME: Duration = Duration::days(14);
/// Wrong passwords in a row that lock the account...
pub const MAX_FAILED_LOGINS: u32 = 5;
/// ...and for how long.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// The longest reason an agent can give for a wrong item.
pub const REASON_MAX: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    Driver,
    Agent,
    /// Staff of an approved training centre.
    CentreStaff,
    /// Approves centres, opens and closes staff accounts, reads the journal.
    Admin,
}

impl Role {
    pub fn session_lifetime(self) -> Duration {
        match self {
            Self::CentreStaff => CENTRE_SESSION_LIFETIME,
            Self::Driver | Self::Agent | Self::Admin => SESSION_LIFETIME,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AccountStatus {
    PendingAnalysis,
    CorrectionRequested,
    AwaitingPassword,
    Active,
    /// Closed at the driver's request: what the law keeps is kept, the rest is deleted.
    Closed,
    /// A staff account an administrator closed: no login; its history stays.
    Deactivated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum AccountTransitionError {
    #[error("this request is not waiting for an analysis")]
    NotPendingAnalysis,
    #[error("this request is not waiting for a correction")]
    NotAwaitingCorrection,
    #[error("a correction request needs at least one item")]
    NoItemToCorrect,
    #[error("the reason of an item is missing or too long")]
    InvalidReason,
    #[error("this field cannot be reviewed")]
    NotReviewable,
    #[error("the password can be set only once the account is accepted")]
    NotAccepted,
}

/// One wrong item of an analysis, with the reason the driver will read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ReviewItem {
    pub field: RegistrationField,
    pub reason: String,
}

impl AccountStatus {
    pub fn accept(self) -> Result<Self, AccountTransitionError> {
        match self {
            Self::PendingAnalysis => Ok(Self::AwaitingPassword),
            _ => Err(AccountTransitionError::NotPendingAnalysis),
        }
    }

    /// Returns the cleaned items with the new status.
    pub fn request_correction(self, items: &[ReviewItem]) -> Result<(Self, Vec<ReviewItem>), AccountTransitionError> {
        if self != Self::PendingAnalysis {
            return Err(AccountTransitionError::NotPendingAnalysis);
        }
        if items.is_empty() {
            return Err(AccountTransitionError::NoItemToCorrect);
        }
        let mut cleaned = Vec::with_capacity(items.len());
        for item in items {
            if !RegistrationField::REVIEWABLE.contains(&item.field) {
                return Err(AccountTransitionError::NotReviewable);
            }
            let reason = item.reason.trim();
            if reason.is_empty() || reason.chars().count() > REASON_MAX || has_hidden_characters(reason) {
                return Err(AccountTransitionError::InvalidReason);
            }
            if !cleaned.iter().any(|c: &ReviewItem| c.field == item.field) {
                cleaned.push(ReviewItem { field: item.field, reason: reason.to_owned() });
            }
        }
        Ok((Self::CorrectionRequested, cleaned))
    }

    pub fn resubmit(self) -> Result<Self, AccountTransitionError> {
        match self {
            Self::CorrectionRequested => Ok(Self::PendingAnalysis),
            _ => Err(AccountTransitionError::NotAwaitingCorrection),
        }
    }

    /// Setting the password activates an accepted account; an active one may reset it.
    pub fn set_password(self) -> Result<Self, AccountTransitionError> {
        match self {
            Self::AwaitingPassword | Self::Active => Ok(Self::Active),
            _ => Err(AccountTransitionError::NotAccepted),
        }
    }

    pub fn can_log_in(self) -> bool {
        self == Self::Active
    }
}

/// What an emailed link lets its holder do, each with its own lifetime. Every link is single-use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LinkPurpose {
    /// « Créer mon mot de passe », after an accepted analysis.
    SetPassword,
    /// « Mot de passe oublié ».
    ResetPassword,
    /// Correct a registration after an analysis found wrong items.
    CorrectRegistration,
}

impl LinkPurpose {
    pub fn lifetime(self) -> Duration {
        match self {
            Self::SetPassword => Duration::days(7),
            Self::ResetPassword => Duration::hours(1),
            Self::CorrectRegistration => Duration::days(30),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SetPassword => "set_password",
            Self::ResetPassword => "reset_password",
            Self::CorrectRegistration => "correct_registration",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::SetPassword, Self::ResetPassword, Self::CorrectRegistration].into_iter().find(|p| p.as_str() == value)
    }
}

/// A login attempt as the store counted it before any password is checked: its number in the
/// current series of failures (counted atomically, so that concurrent guesses each count) and the
/// lock the series is under, if any. Unknown emails are counted the same way, so that the answers
/// never tell whether an account exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginAttempt {
    pub number: u32,
    pub locked_until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("account locked until {until}")]
pub struct Locked {
    pub until: OffsetDateTime,
    /// This attempt starts the lock (the store must record it; the owner is told).
    pub starts_now: bool,
}

impl LoginAttempt {
    /// Before the password is checked: a locked series, or an attempt past the fifth (guesses sent
    /// all at once), is refused without spending a hash on it.
    pub fn before_check(&self, now: OffsetDateTime) -> Result<(), Locked> {
        match self.locked_until {
            Some(until) if until > now => Err(Locked { until, starts_now: false }),
            _ if self.number > MAX_FAILED_LOGINS => Err(Locked { until: now + LOCKOUT, starts_now: true }),
            _ => Ok(()),
        }
    }

    /// After a wrong password: the fifth in a row locks for fifteen minutes.
    pub fn after_failure(&self, now: OffsetDateTime) -> Result<(), Locked> {
        if self.number >= MAX_FAILED_LOGINS {
            Err(Locked { until: now + LOCKOUT, starts_now: true })
        } else {
            Ok(())
        }
    }
}

/// Where a request stands against the 24-hour promise, for the agent's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct AnalysisClock {
    #[ts(type = "number")]
    pub age_minutes: i64,
    /// Negative once the promise is broken.
    #[ts(type = "number")]
    pub minutes_left: i64,
    pub overdue: bool,
}

pub fn analysis_clock(submitted_at: OffsetDateTime, now: OffsetDateTime) -> AnalysisClock {
    let age = now - submitted_at;
    let left = ANALYSIS_PROMISE - age;
    AnalysisClock { age_minutes: age.whole_minutes(), minutes_left: left.whole_minutes(), overdue: left.is_negative() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 10:00 UTC);

    fn item(field: RegistrationField, reason: &str) -> ReviewItem {
        ReviewItem { field, reason: reason.into() }
    }

    #[test]
    fn an_accepted_analysis_waits_for_the_password_then_the_account_is_active() {
        let status = AccountStatus::PendingAnalysis.accept().unwrap();
        assert_eq!(status, AccountStatus::AwaitingPassword);
        assert!(!status.can_log_in());
        let status = status.set_password().unwrap();
        assert_eq!(status, AccountStatus::Active);
        assert!(status.can_log_in());
    }

    #[test]
    fn a_wrong_item_sends_the_request_back_to_the_driver_then_to_a_new_analysis() {
        let (status, items) = AccountStatus::PendingAnalysis
            .request_correction(&[item(RegistrationField::LicenceNumber, "  Numéro illisible ")])
            .unwrap();
        assert_eq!(status, AccountStatus::CorrectionRequested);
        assert_eq!(items, vec![item(RegistrationField::LicenceNumber, "Numéro illisible")]);
        assert_eq!(status.resubmit().unwrap(), AccountStatus::PendingAnalysis);
    }

    #[test]
    fn forbidden_transitions_are_refused() {
        use AccountStatus::*;
        for status in [CorrectionRequested, AwaitingPassword, Active] {
            assert_eq!(status.accept(), Err(AccountTransitionError::NotPendingAnalysis));
            assert_eq!(
                status.request_correction(&[item(RegistrationField::Email, "x")]).unwrap_err(),
                AccountTransitionError::NotPendingAnalysis
            );
        }
        for status in [PendingAnalysis, AwaitingPassword, Active] {
            assert_eq!(status.resubmit(), Err(AccountTransitionError::NotAwaitingCorrection));
        }
        for status in [PendingAnalysis, CorrectionRequested] {
            assert_eq!(status.set_password(), Err(AccountTransitionError::NotAccepted));
            assert!(!status.can_log_in());
        }
    }

    #[test]
    fn a_correction_request_needs_items_with_reasons_on_data_fields() {
        let pending = AccountStatus::PendingAnalysis;
        assert_eq!(pending.request_correction(&[]).unwrap_err(), AccountTransitionError::NoItemToCorrect);
        assert_eq!(
            pending.request_correction(&[item(RegistrationField::Email, "   ")]).unwrap_err(),
            AccountTransitionError::InvalidReason
        );
        assert_eq!(
            pending.request_correction(&[item(RegistrationField::Email, &"x".repeat(501))]).unwrap_err(),
            AccountTransitionError::InvalidReason
        );
        assert_eq!(
            pending.request_correction(&[item(RegistrationField::ConsentTermsOfUse, "non")]).unwrap_err(),
            AccountTransitionError::NotReviewable
        );
        let (_, items) = pending
            .request_correction(&[item(RegistrationField::Email, "a"), item(RegistrationField::Email, "b")])
            .unwrap();
        assert_eq!(items.len(), 1, "one item per field");
    }

    #[test]
    fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
        for number in 1..MAX_FAILED_LOGINS {
            let attempt = LoginAttempt { number, locked_until: None };
            assert!(attempt.before_check(NOW).is_ok());
            assert!(attempt.after_failure(NOW).is_ok());
        }
        let fifth = LoginAttempt { number: MAX_FAILED_LOGINS, locked_until: None };
        assert!(fifth.before_check(NOW).is_ok(), "the fifth guess is still checked");
        assert_eq!(fifth.after_failure(NOW), Err(Locked { until: NOW + LOCKOUT, starts_now: true }));
        let locked = LoginAttempt { number: 1, locked_until: Some(NOW + LOCKOUT) };
        let later = NOW + Duration::minutes(14);
        assert_eq!(locked.before_check(later), Err(Locked { until: NOW + LOCKOUT, starts_now: false }));
        assert!(locked.before_check(NOW + LOCKOUT).is_ok(), "the lock ends after fifteen minutes");
    }

    #[test]
    fn guesses_sent_all_at_once_past_the_fifth_are_refused_unchecked() {
        let sixth = LoginAttempt { number: MAX_FAILED_LOGINS + 1, locked_until: None };
        assert_eq!(sixth.before_check(NOW), Err(Locked { until: NOW + LOCKOUT, starts_now: true }));
        let fiftieth = LoginAttempt { number: 50, locked_until: None };
        assert!(fiftieth.before_check(NOW).is_err());
    }

    #[test]
    fn the_queue_shows_how_far_each_request_is_from_the_24_hour_promise() {
        let clock = analysis_clock(NOW - Duration::hours(23), NOW);
        assert_eq!(clock, AnalysisClock { age_minutes: 23 * 60, minutes_left: 60, overdue: false });
        let late = analysis_clock(NOW - Duration::hours(25), NOW);
        assert!(late.overdue);
        assert_eq!(late.minutes_left, -60);
    }

    #[test]
    fn link_purposes_round_trip_and_a_reset_link_is_short_lived() {
        for p in [LinkPurpose::SetPassword, LinkPurpose::ResetPassword, LinkPurpose::CorrectRegistration] {
            assert_eq!(LinkPurpose::parse(p.as_str()), Some(p));
        }
        assert!(LinkPurpose::ResetPassword.lifetime() <= Duration::hours(1));
    }
}
