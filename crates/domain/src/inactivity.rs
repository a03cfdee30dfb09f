//! The app locks itself after a while without use. Agents and centre staff see other people's
//! personal data, often on shared office computers: theirs always locks. A driver chooses.

use crate::account::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Agents and centre staff: locked after 10 minutes without use.
pub const STAFF_LOCK_MINUTES: u32 = 10;
/// What a driver may choose, besides never.
pub const DRIVER_LOCK_CHOICES: [u32; 3] = [5, 15, 30];
/// Wrong passwords in a row on the lock screen before the app signs out (unsent work kept).
pub const MAX_UNLOCK_ATTEMPTS: u32 = 5;

/// When the app locks, and whether the user may change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockPolicy {
    /// Minutes without use before the lock; `None`: never.
    pub after_minutes: Option<u32>,
    pub user_chooses: bool,
}

pub fn lock_policy(role: Role, driver_choice: Option<u32>) -> LockPolicy {
    match role {
        Role::Agent | Role::CentreStaff | Role::Admin => {
            LockPolicy { after_minutes: Some(STAFF_LOCK_MINUTES), user_chooses: false }
        }
        Role::Driver => LockPolicy { after_minutes: driver_choice, user_chooses: true },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LockChoiceError {
    #[error("only a driver chooses when the app locks")]
    NotYours,
    #[error("not one of the durations offered")]
    NotOffered,
}

/// A driver's choice, checked: one of the durations offered, or never.
pub fn choose_lock(role: Role, minutes: Option<u32>) -> Result<Option<u32>, LockChoiceError> {
    if role != Role::Driver {
        return Err(LockChoiceError::NotYours);
    }
    match minutes {
        Some(m) if !DRIVER_LOCK_CHOICES.contains(&m) => Err(LockChoiceError::NotOffered),
        chosen => Ok(chosen),
    }
}

/// After a wrong password on the lock screen: whether the app now signs out.
pub fn signs_out_after(failed_attempts: u32) -> bool {
    failed_attempts >= MAX_UNLOCK_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_and_centre_staff_are_always_locked_after_ten_minutes_without_use() {
        for role in [Role::Agent, Role::CentreStaff] {
            assert_eq!(lock_policy(role, None), LockPolicy { after_minutes: Some(10), user_chooses: false });
            assert_eq!(lock_policy(role, Some(30)).after_minutes, Some(10), "their choice does not apply");
            assert_eq!(choose_lock(role, Some(30)), Err(LockChoiceError::NotYours));
        }
    }

    #[test]
    fn a_driver_chooses_among_the_durations_offered_or_never() {
        assert_eq!(lock_policy(Role::Driver, None).after_minutes, None, "never, until the driver chooses");
        assert_eq!(choose_lock(Role::Driver, Some(15)), Ok(Some(15)));
        assert_eq!(choose_lock(Role::Driver, None), Ok(None));
        assert_eq!(choose_lock(Role::Driver, Some(0)), Err(LockChoiceError::NotOffered));
        assert_eq!(choose_lock(Role::Driver, Some(7)), Err(LockChoiceError::NotOffered));
        assert_eq!(lock_policy(Role::Driver, Some(5)), LockPolicy { after_minutes: Some(5), user_chooses: true });
    }

    #[test]
    fn five_wrong_passwords_on_the_lock_screen_sign_out() {
        assert!(!signs_out_after(4));
        assert!(signs_out_after(5));
    }
}
