//! Reminders before a deadline (issue 14): the code 95 expiry printed on a driver's card, and the
//! end of a qualification certificate's window to apply for the card. The driver is told at each
//! threshold (by default 6, 3 and 1 months before the expiry, 1 month before the window's end),
//! counted as French law counts periods (`calendar::add_months`), once each; a driver who acted
//! (a training that moves the expiry, an application) is not reminded.

use crate::calendar::add_months;
use time::Date;

/// Months before the code 95 expiry at which its holder is reminded, unless set otherwise.
pub const CODE95_REMINDER_MONTHS: [u32; 3] = [6, 3, 1];

/// Months before the end of a certificate's window (4 months to apply for the card) at which its
/// holder is reminded when no application uses it, unless set otherwise.
pub const CERTIFICATE_REMINDER_MONTHS: [u32; 1] = [1];

/// The reminder due on `today` for a deadline on `deadline`, with reminders at `months_before`
/// and those already `sent`: the nearest threshold reached, unless it was sent. Only the nearest:
/// a driver whose card came two months before its expiry is told once, not three times. None on
/// or after the deadline.
pub fn reminder_due(today: Date, deadline: Date, months_before: &[u32], sent: &[u32]) -> Option<u32> {
    if today >= deadline {
        return None;
    }
    let reached =
        months_before.iter().copied().filter(|&months| today >= add_months(deadline, -(months as i32))).min()?;
    (!sent.contains(&reached)).then_some(reached)
}

/// The furthest of the thresholds: the deadlines worth reading on `today` end before this day.
pub fn reminder_horizon(today: Date, months_before: &[u32]) -> Date {
    add_months(today, months_before.iter().copied().max().unwrap_or(0) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const EXPIRY: Date = date!(2031 - 11 - 20);

    #[test]
    fn a_driver_is_reminded_six_three_and_one_months_before_the_code95_expiry() {
        let due = |today, sent: &[u32]| reminder_due(today, EXPIRY, &CODE95_REMINDER_MONTHS, sent);
        assert_eq!(due(date!(2031 - 05 - 19), &[]), None, "the day before six months");
        assert_eq!(due(date!(2031 - 05 - 20), &[]), Some(6));
        assert_eq!(due(date!(2031 - 06 - 01), &[6]), None, "once");
        assert_eq!(due(date!(2031 - 08 - 20), &[6]), Some(3));
        assert_eq!(due(date!(2031 - 10 - 20), &[6, 3]), Some(1));
        assert_eq!(due(date!(2031 - 11 - 19), &[6, 3, 1]), None);
        assert_eq!(due(date!(2031 - 11 - 20), &[]), None, "not on or after the expiry");
    }

    #[test]
    fn a_driver_told_late_is_told_the_nearest_threshold_only() {
        let due = reminder_due(date!(2031 - 09 - 01), EXPIRY, &CODE95_REMINDER_MONTHS, &[]);
        assert_eq!(due, Some(3), "the six-month reminder is not sent late, the three-month one is");
    }

    #[test]
    fn thresholds_follow_the_french_rule_for_months() {
        // 31 May minus 3 months is 28 February (no 31 February).
        let due = |today| reminder_due(today, date!(2031 - 05 - 31), &[3], &[]);
        assert_eq!(due(date!(2031 - 02 - 27)), None);
        assert_eq!(due(date!(2031 - 02 - 28)), Some(3));
    }

    #[test]
    fn the_horizon_is_the_furthest_threshold() {
        assert_eq!(reminder_horizon(date!(2026 - 11 - 27), &CODE95_REMINDER_MONTHS), date!(2027 - 05 - 27));
        assert_eq!(reminder_horizon(date!(2026 - 11 - 27), &[]), date!(2026 - 11 - 27));
    }
}
