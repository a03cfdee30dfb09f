//! How often a client may knock: the limits on logins, registrations, password emails, link
//! openings and payments. The store counts hits in fixed windows (atomically, in the shared
//! database, so the limits hold across server instances); these rules say when a count is too many
//! and how long the client waits.

use time::{Duration, OffsetDateTime};

/// At most `max` hits per `window` for one key (a client address, an account, an email).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

/// What a client may do, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Login attempts from one client address, right or wrong: checked before the account's own
    /// lock, so that one address cannot lock account after account.
    LoginFromAddress,
    /// New registrations from one client address: each sends an email to the address typed.
    RegistrationFromAddress,
    /// « Mot de passe oublié » from one client address.
    PasswordHelpFromAddress,
    /// Password emails (reset, or the lock warning) to one account.
    PasswordEmailToAccount,
    /// Emailed links opened or used from one client address.
    LinkFromAddress,
    /// Card payments (or 3-D Secure codes) refused for one account: card testing.
    RefusedPaymentByAccount,
    /// Archives of « Mes données » for one account: each gathers every file the driver sent.
    PersonalDataByAccount,
    /// « Clôturer mon compte » asked for one account: each costs a password hash, and a wrong
    /// password must not be guessed at leisure from a session left open.
    ClosureByAccount,
}

impl Action {
    pub fn limit(self) -> Limit {
        let (max, window) = match self {
            // A centre's office behind one address: its whole staff logs in, with typos.
            Self::LoginFromAddress => (30, Duration::minutes(10)),
            Self::RegistrationFromAddress => (20, Duration::hours(1)),
            Self::PasswordHelpFromAddress => (10, Duration::minutes(15)),
            Self::PasswordEmailToAccount => (1, Duration::minutes(5)),
            Self::LinkFromAddress => (60, Duration::minutes(10)),
            Self::RefusedPaymentByAccount => (10, Duration::hours(1)),
            Self::PersonalDataByAccount => (10, Duration::hours(1)),
            Self::ClosureByAccount => (5, Duration::hours(1)),
        };
        Limit { max, window }
    }

    /// The key's prefix in the store, so that the counters of two actions never mix.
    pub fn key_prefix(self) -> &'static str {
        match self {
            Self::LoginFromAddress => "login-address",
            Self::RegistrationFromAddress => "registration-address",
            Self::PasswordHelpFromAddress => "password-help-address",
            Self::PasswordEmailToAccount => "password-email-account",
            Self::LinkFromAddress => "link-address",
            Self::RefusedPaymentByAccount => "refused-payment-account",
            Self::PersonalDataByAccount => "personal-data-account",
            Self::ClosureByAccount => "closure-account",
        }
    }
}

/// A count of hits in the window that started at `window_start`, this hit included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    pub count: u32,
    pub window_start: OffsetDateTime,
}

/// Too many hits: try again in `retry_after` (at least one second).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many requests; retry in {retry_after}")]
pub struct TooMany {
    pub retry_after: Duration,
}

impl Limit {
    /// Whether this hit is within the limit; when not, how long until the window ends.
    pub fn check(&self, hits: Hits, now: OffsetDateTime) -> Result<(), TooMany> {
        if hits.count <= self.max {
            return Ok(());
        }
        let left = hits.window_start + self.window - now;
        Err(TooMany { retry_after: left.max(Duration::SECOND) })
    }

    /// The hits counted from this instant on belong to a new window when the last one began
    /// before this.
    pub fn window_reset_before(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 09:00 UTC);

    #[test]
    fn hits_up_to_the_limit_pass_and_the_next_waits_for_the_window_to_end() {
        let limit = Action::PasswordHelpFromAddress.limit();
        let start = NOW - Duration::minutes(5);
        for count in 1..=limit.max {
            assert!(limit.check(Hits { count, window_start: start }, NOW).is_ok());
        }
        let refused = limit.check(Hits { count: limit.max + 1, window_start: start }, NOW).unwrap_err();
        assert_eq!(refused.retry_after, Duration::minutes(10));
    }

    #[test]
    fn one_password_email_per_account_every_five_minutes() {
        let limit = Action::PasswordEmailToAccount.limit();
        assert!(limit.check(Hits { count: 1, window_start: NOW }, NOW).is_ok());
        let second = limit.check(Hits { count: 2, window_start: NOW }, NOW + Duration::minutes(1));
        assert_eq!(second.unwrap_err().retry_after, Duration::minutes(4));
    }

    #[test]
    fn a_client_always_waits_at_least_a_second() {
        let limit = Action::LoginFromAddress.limit();
        let over = Hits { count: limit.max + 1, window_start: NOW - limit.window };
        assert_eq!(limit.check(over, NOW).unwrap_err().retry_after, Duration::SECOND);
    }

    #[test]
    fn each_action_has_its_own_counter() {
        let actions = [
            Action::LoginFromAddress,
            Action::RegistrationFromAddress,
            Action::PasswordHelpFromAddress,
            Action::PasswordEmailToAccount,
            Action::LinkFromAddress,
            Action::RefusedPaymentByAccount,
            Action::PersonalDataByAccount,
            Action::ClosureByAccount,
        ];
        let prefixes: std::collections::HashSet<_> = actions.iter().map(|a| a.key_prefix()).collect();
        assert_eq!(prefixes.len(), actions.len());
    }
}
