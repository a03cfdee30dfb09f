//! The administration space: the centres an administrator approves and the staff accounts
//! (agents, centre staff, other administrators) they open and close. Drivers create their own
//! accounts; nobody creates one for them here.

use crate::account::{AccountStatus, Role};
use crate::contact::has_hidden_characters;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A centre's approval number as the prefecture writes it (`AGR-75-2024-001`, `FCO/69/12`).
/// Printed in every certificate's code, so short and plain: capitals, digits, `-`, `/`, `.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalNumberError {
    #[error("the approval number is missing")]
    Missing,
    #[error("the approval number is longer than {max} characters", max = ApprovalNumber::MAX_CHARS)]
    TooLong,
    #[error("the approval number holds other characters than letters, digits, - / .")]
    InvalidCharacters,
    #[error("the approval number holds no digit")]
    NoDigit,
}

impl ApprovalNumber {
    pub const MAX_CHARS: usize = 32;

    /// Spaces around are dropped and letters put in capitals: « agr-75-001 » is `AGR-75-001`.
    pub fn parse(typed: &str) -> Result<Self, ApprovalNumberError> {
        let number = typed.trim().to_uppercase();
        if number.is_empty() {
            return Err(ApprovalNumberError::Missing);
        }
        if number.chars().count() > Self::MAX_CHARS {
            return Err(ApprovalNumberError::TooLong);
        }
        if !number.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '/' | '.')) {
            return Err(ApprovalNumberError::InvalidCharacters);
        }
        if !number.chars().any(|c| c.is_ascii_digit()) {
            return Err(ApprovalNumberError::NoDigit);
        }
        Ok(Self(number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest centre name or address kept: both are printed on recaps and certificates.
pub const CENTRE_TEXT_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CentreTextError {
    #[error("missing")]
    Missing,
    #[error("longer than {CENTRE_TEXT_MAX} characters")]
    TooLong,
    #[error("holds a control or invisible character")]
    HiddenCharacters,
}

/// A centre's name or address: one line, spaces folded, nothing invisible (`AFTRAL Lyon 7`).
pub fn centre_text(input: &str) -> Result<String, CentreTextError> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(CentreTextError::Missing);
    }
    if text.chars().count() > CENTRE_TEXT_MAX {
        return Err(CentreTextError::TooLong);
    }
    if has_hidden_characters(&text) || text.chars().any(char::is_control) {
        return Err(CentreTextError::HiddenCharacters);
    }
    Ok(text)
}

/// The accounts an administrator opens: never a driver's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StaffRole {
    Agent,
    CentreStaff,
    Admin,
}

impl StaffRole {
    pub fn role(self) -> Role {
        match self {
            Self::Agent => Role::Agent,
            Self::CentreStaff => Role::CentreStaff,
            Self::Admin => Role::Admin,
        }
    }

    pub fn of(role: Role) -> Option<Self> {
        match role {
            Role::Agent => Some(Self::Agent),
            Role::CentreStaff => Some(Self::CentreStaff),
            Role::Admin => Some(Self::Admin),
            Role::Driver => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeactivationError {
    #[error("a driver's account is closed by the driver, not deactivated")]
    NotStaff,
    #[error("an administrator cannot deactivate their own account")]
    OwnAccount,
    #[error("this account is already deactivated")]
    AlreadyDeactivated,
}

/// Deactivating a staff account: it can no longer log in, its sessions end, its history stays.
/// An administrator never locks themselves out (another one must do it).
pub fn deactivate(
    target_role: Role,
    target_status: AccountStatus,
    target_is_self: bool,
) -> Result<AccountStatus, DeactivationError> {
    if StaffRole::of(target_role).is_none() {
        return Err(DeactivationError::NotStaff);
    }
    if target_is_self {
        return Err(DeactivationError::OwnAccount);
    }
    if target_status == AccountStatus::Deactivated {
        return Err(DeactivationError::AlreadyDeactivated);
    }
    Ok(AccountStatus::Deactivated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approval_number_is_kept_in_capitals_without_the_spaces_around() {
        assert_eq!(ApprovalNumber::parse("  agr-75-2024-001 ").unwrap().as_str(), "AGR-75-2024-001");
        assert_eq!(ApprovalNumber::parse("FCO/69/12").unwrap().as_str(), "FCO/69/12");
    }

    #[test]
    fn an_approval_number_that_a_certificate_could_not_print_is_refused() {
        assert_eq!(ApprovalNumber::parse(" "), Err(ApprovalNumberError::Missing));
        assert_eq!(ApprovalNumber::parse(&"7".repeat(33)), Err(ApprovalNumberError::TooLong));
        assert_eq!(ApprovalNumber::parse("AGR 75 001"), Err(ApprovalNumberError::InvalidCharacters));
        assert_eq!(ApprovalNumber::parse("AGRÉÉ-75"), Err(ApprovalNumberError::InvalidCharacters));
        assert_eq!(ApprovalNumber::parse("AGR;DROP"), Err(ApprovalNumberError::InvalidCharacters));
        assert_eq!(ApprovalNumber::parse("AGR-XX"), Err(ApprovalNumberError::NoDigit));
    }

    #[test]
    fn a_centre_name_keeps_its_digits_on_one_line_and_nothing_invisible() {
        assert_eq!(centre_text("  AFTRAL   Lyon 7 ").unwrap(), "AFTRAL Lyon 7");
        assert_eq!(centre_text("\t"), Err(CentreTextError::Missing));
        assert_eq!(centre_text(&"a".repeat(201)), Err(CentreTextError::TooLong));
        assert_eq!(centre_text("Centre \u{202E}LIVE"), Err(CentreTextError::HiddenCharacters));
    }

    #[test]
    fn an_administrator_opens_staff_accounts_only() {
        assert_eq!(StaffRole::of(Role::Driver), None);
        for staff in [StaffRole::Agent, StaffRole::CentreStaff, StaffRole::Admin] {
            assert_eq!(StaffRole::of(staff.role()), Some(staff));
        }
    }

    #[test]
    fn staff_are_deactivated_by_another_administrator_and_once() {
        assert_eq!(deactivate(Role::Agent, AccountStatus::Active, false), Ok(AccountStatus::Deactivated));
        assert_eq!(
            deactivate(Role::CentreStaff, AccountStatus::AwaitingPassword, false),
            Ok(AccountStatus::Deactivated)
        );
        assert_eq!(deactivate(Role::Driver, AccountStatus::Active, false), Err(DeactivationError::NotStaff));
        assert_eq!(deactivate(Role::Admin, AccountStatus::Active, true), Err(DeactivationError::OwnAccount));
        assert_eq!(
            deactivate(Role::Agent, AccountStatus::Deactivated, false),
            Err(DeactivationError::AlreadyDeactivated)
        );
    }
}
