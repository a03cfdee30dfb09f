//! The dates that follow a training: how long its recap stays available, how long the
//! qualification certificate is valid, and the code 95 expiry of the card it leads to.

use crate::calendar::{add_months, add_years};
use crate::registration::age_in_years;
use crate::training::TrainingKind;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

/// A qualification certificate is valid this many months from issue.
pub const CERTIFICATE_VALIDITY_MONTHS: i32 = 4;
/// A card, and the code 95 mention, are valid this many years.
pub const CARD_VALIDITY_YEARS: i32 = 5;
/// Continuing-training recaps stay available this many years after issue.
pub const CONTINUING_RECAP_RETENTION_YEARS: i32 = 6;
/// The age from which a certificate can be used.
pub const ADULT_AGE: i32 = 18;

/// The days on which a certificate can be shown, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CertificateValidity {
    #[ts(type = "string")]
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    #[ts(type = "string")]
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
}

impl CertificateValidity {
    pub fn covers(&self, day: Date) -> bool {
        self.valid_from <= day && day <= self.valid_until
    }

    /// Past its last day, on the French calendar `day`.
    pub fn has_expired(&self, day: Date) -> bool {
        day > self.valid_until
    }
}

/// Valid 4 months from issue, counted as French law counts periods (the last day is the issue
/// day's number 4 months later); for a trainee still a minor on that day, 4 months from their
/// 18th birthday.
pub fn certificate_validity(issued_on: Date, birth_date: Date) -> CertificateValidity {
    let valid_from =
        if age_in_years(birth_date, issued_on) < ADULT_AGE { add_years(birth_date, ADULT_AGE) } else { issued_on };
    let valid_until = add_months(valid_from, CERTIFICATE_VALIDITY_MONTHS);
    CertificateValidity { valid_from, valid_until }
}

/// The code 95 expiry a training leads to. An FCO that ends within the year before the current
/// expiry extends from that expiry; any other training counts from its end.
pub fn card_expiry(kind: TrainingKind, training_end: Date, current_expiry: Option<Date>) -> Date {
    match current_expiry {
        Some(current)
            if kind == TrainingKind::Fco && add_years(current, -1) <= training_end && training_end <= current =>
        {
            add_years(current, CARD_VALIDITY_YEARS)
        }
        _ => add_years(training_end, CARD_VALIDITY_YEARS),
    }
}

/// The last day a recap can be seen: the issue day's date 6 years on for continuing training,
/// never for the initial qualification (`None`).
pub fn recap_available_until(kind: TrainingKind, issued_on: Date) -> Option<Date> {
    kind.is_continuing().then(|| add_years(issued_on, CONTINUING_RECAP_RETENTION_YEARS))
}

pub fn recap_is_available(kind: TrainingKind, issued_on: Date, today: Date) -> bool {
    recap_available_until(kind, issued_on).is_none_or(|last| today <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_expires_the_day_after_its_last_day() {
        let validity = CertificateValidity { valid_from: date!(2026 - 08 - 01), valid_until: date!(2026 - 12 - 01) };
        assert!(!validity.has_expired(date!(2026 - 12 - 01)), "its last day counts");
        assert!(validity.has_expired(date!(2026 - 12 - 02)));
    }
    use time::macros::date;
    use TrainingKind::*;

    #[test]
    fn a_certificate_is_valid_four_months_from_issue() {
        // (issued, last valid day)
        let table = [
            (date!(2026 - 11 - 25), date!(2027 - 03 - 25)),
            (date!(2026 - 11 - 02), date!(2027 - 03 - 02)),
            (date!(2026 - 01 - 01), date!(2026 - 05 - 01)),
            // 31 October + 4 months: February has no 31st, so its last day.
            (date!(2026 - 10 - 31), date!(2027 - 02 - 28)),
            (date!(2027 - 10 - 31), date!(2028 - 02 - 29)),
        ];
        for (issued, until) in table {
            let validity = certificate_validity(issued, date!(1985 - 03 - 14));
            assert_eq!(validity, CertificateValidity { valid_from: issued, valid_until: until }, "{issued}");
            assert!(validity.covers(issued) && validity.covers(until));
            assert!(!validity.covers(until + time::Duration::days(1)));
        }
    }

    #[test]
    fn a_minor_certificate_is_valid_from_the_eighteenth_birthday() {
        let birth = date!(2009 - 02 - 10);
        let validity = certificate_validity(date!(2026 - 11 - 25), birth);
        assert_eq!(validity.valid_from, date!(2027 - 02 - 10));
        assert_eq!(validity.valid_until, date!(2027 - 06 - 10));
        assert!(!validity.covers(date!(2026 - 11 - 25)));
        // Eighteen on the day of issue: from the issue.
        let validity = certificate_validity(date!(2027 - 02 - 10), birth);
        assert_eq!(validity.valid_from, date!(2027 - 02 - 10));
        // Born on 29 February: eighteen on 28 February of a common year.
        let leap = certificate_validity(date!(2025 - 06 - 01), date!(2008 - 02 - 29));
        assert_eq!(leap.valid_from, date!(2026 - 02 - 28));
    }

    #[test]
    fn card_expiry_follows_the_rule_with_its_boundary_days() {
        let current = date!(2027 - 06 - 15);
        // (kind, training end, current expiry, new expiry)
        let table = [
            // No card yet: five years from the training's end.
            (Fco, date!(2026 - 11 - 20), None, date!(2031 - 11 - 20)),
            (Fimo, date!(2026 - 11 - 20), None, date!(2031 - 11 - 20)),
            // FCO ending within the year before the expiry: extends from the expiry.
            (Fco, date!(2026 - 06 - 15), Some(current), date!(2032 - 06 - 15)),
            (Fco, date!(2026 - 11 - 20), Some(current), date!(2032 - 06 - 15)),
            (Fco, date!(2027 - 06 - 15), Some(current), date!(2032 - 06 - 15)),
            // One day too early: from the training's end, not from the expiry.
            (Fco, date!(2026 - 06 - 14), Some(current), date!(2031 - 06 - 14)),
            // After the expiry: from the training's end.
            (Fco, date!(2027 - 06 - 16), Some(current), date!(2032 - 06 - 16)),
            // Only an FCO extends; a new initial qualification counts from its end.
            (Fimo, date!(2026 - 11 - 20), Some(current), date!(2031 - 11 - 20)),
            (Passerelle, date!(2026 - 11 - 20), Some(current), date!(2031 - 11 - 20)),
            (LongInitial, date!(2026 - 11 - 20), Some(current), date!(2031 - 11 - 20)),
            // 29 February: 28 February five years on.
            (Fco, date!(2028 - 02 - 29), None, date!(2033 - 02 - 28)),
            (Fco, date!(2027 - 03 - 01), Some(date!(2028 - 02 - 29)), date!(2033 - 02 - 28)),
        ];
        for (kind, end, current, expected) in table {
            assert_eq!(card_expiry(kind, end, current), expected, "{kind:?} ending {end}, current {current:?}");
        }
    }

    #[test]
    fn continuing_training_recaps_disappear_six_years_after_issue() {
        let issued = date!(2026 - 11 - 25);
        assert_eq!(recap_available_until(Fco, issued), Some(date!(2032 - 11 - 25)));
        assert!(recap_is_available(Fco, issued, date!(2032 - 11 - 25)));
        assert!(!recap_is_available(Fco, issued, date!(2032 - 11 - 26)));
    }

    #[test]
    fn initial_training_recaps_never_disappear() {
        for kind in [LongInitial, Fimo, Passerelle] {
            assert_eq!(recap_available_until(kind, date!(2026 - 11 - 25)), None);
            assert!(recap_is_available(kind, date!(2026 - 11 - 25), date!(2090 - 01 - 01)));
        }
    }
}
