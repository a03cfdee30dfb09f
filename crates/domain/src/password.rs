//! The password policy of the guide (step 02): at least 12 characters, with at least one
//! uppercase letter, one lowercase letter and one special character (?, !, *, #, -, ...),
//! typed twice.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const MIN_LENGTH: usize = 12;
/// Bounds the work of hashing a hostile input; no passphrase a person types is longer.
pub const MAX_LENGTH: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    Uppercase,
    Lowercase,
    Special,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum PasswordError {
    #[error("the password does not follow the policy: {unmet:?}")]
    Policy { unmet: Vec<PasswordRule> },
    #[error("the two passwords differ")]
    Mismatch,
}

/// A password that follows the policy and was confirmed. Never printed.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

impl NewPassword {
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, PasswordError> {
        let unmet = unmet_rules(password);
        if !unmet.is_empty() {
            return Err(PasswordError::Policy { unmet });
        }
        if password != confirmation {
            return Err(PasswordError::Mismatch);
        }
        Ok(Self(password.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The rules the password does not meet yet, in the order the form lists them.
pub fn unmet_rules(password: &str) -> Vec<PasswordRule> {
    let length = password.chars().count();
    let checks = [
        (PasswordRule::MinLength, length >= MIN_LENGTH),
        (PasswordRule::MaxLength, length <= MAX_LENGTH),
        (PasswordRule::Uppercase, password.chars().any(char::is_uppercase)),
        (PasswordRule::Lowercase, password.chars().any(char::is_lowercase)),
        (PasswordRule::Special, password.chars().any(is_special)),
    ];
    checks.into_iter().filter(|(_, met)| !met).map(|(rule, _)| rule).collect()
}

/// Any visible character that is neither a letter nor a digit: ?, !, *, #, -, @, €, ...
fn is_special(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_password_following_the_guide_is_accepted() {
        assert!(NewPassword::parse("Camion-Rouge2024", "Camion-Rouge2024").is_ok());
        assert!(NewPassword::parse("éléphantÉTÉ?!", "éléphantÉTÉ?!").is_ok());
    }

    #[test]
    fn each_unmet_rule_is_reported() {
        assert_eq!(unmet_rules("abc"), vec![PasswordRule::MinLength, PasswordRule::Uppercase, PasswordRule::Special]);
        assert_eq!(unmet_rules("ABCDEFGHIJKL!"), vec![PasswordRule::Lowercase]);
        assert_eq!(unmet_rules("abcdefghijkL1"), vec![PasswordRule::Special]);
        assert_eq!(unmet_rules("Abcdefghij!"), vec![PasswordRule::MinLength]);
        assert!(unmet_rules(&format!("Aa!{}", "x".repeat(126))).contains(&PasswordRule::MaxLength));
    }

    #[test]
    fn spaces_do_not_count_as_special_characters() {
        assert_eq!(unmet_rules("Abcdefgh ijkl"), vec![PasswordRule::Special]);
    }

    #[test]
    fn twelve_characters_are_counted_as_characters_not_bytes() {
        // 11 characters but 14 bytes.
        assert_eq!(unmet_rules("Ééééééééé#a"), vec![PasswordRule::MinLength]);
    }

    #[test]
    fn the_confirmation_must_match() {
        assert_eq!(NewPassword::parse("Camion-Rouge2024", "Camion-Rouge2025").unwrap_err(), PasswordError::Mismatch);
    }

    #[test]
    fn a_password_is_never_printed() {
        let p = NewPassword::parse("Camion-Rouge2024", "Camion-Rouge2024").unwrap();
        assert!(!format!("{p:?}").contains("Camion"));
    }

    proptest! {
        #[test]
        fn the_policy_is_exactly_its_four_rules(password in "\\PC{0,40}") {
            let unmet = unmet_rules(&password);
            let n = password.chars().count();
            prop_assert_eq!(unmet.contains(&PasswordRule::MinLength), n < MIN_LENGTH);
            prop_assert_eq!(unmet.contains(&PasswordRule::Uppercase), !password.chars().any(char::is_uppercase));
            prop_assert_eq!(unmet.contains(&PasswordRule::Lowercase), !password.chars().any(char::is_lowercase));
            prop_assert_eq!(unmet.contains(&PasswordRule::Special), !password.chars().any(is_special));
            prop_assert_eq!(NewPassword::parse(&password, &password).is_ok(), unmet.is_empty());
        }

        #[test]
        fn any_password_with_the_four_kinds_and_twelve_characters_is_accepted(
            upper in "[A-Z]{1,4}", lower in "[a-z]{1,4}", special in "[?!*#@%+=-]{1,4}", filler in "[a-z0-9]{9,20}"
        ) {
            let password = format!("{filler}{upper}{special}{lower}");
            prop_assert!(NewPassword::parse(&password, &password).is_ok());
        }
    }
}
