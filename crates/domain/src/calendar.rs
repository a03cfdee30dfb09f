//! The calendar every rule counts in: the French civil day (Europe/Paris, summer time included),
//! and periods in months or years counted as French law counts time limits.

use std::sync::LazyLock;
use time::{Date, Month, OffsetDateTime, UtcOffset};

static PARIS: LazyLock<jiff::tz::TimeZone> =
    LazyLock::new(|| jiff::tz::TimeZone::get("Europe/Paris").expect("Europe/Paris is in the bundled database"));

// A day on the wire as the screens read it, `2027-03-28` (time's own serde form is a tuple).
time::serde::format_description!(pub iso_day, Date, "[year]-[month]-[day]");

/// The day it is in metropolitan France at `instant`: the day a certificate is issued, an
/// invoice dated, eligibility and every deadline checked.
pub fn french_day(instant: OffsetDateTime) -> Date {
    instant.to_offset(french_offset(instant)).date()
}

/// The offset of French civil time at `instant`: UTC+1 in winter, UTC+2 in summer.
pub fn french_offset(instant: OffsetDateTime) -> UtcOffset {
    let timestamp = jiff::Timestamp::from_second(instant.unix_timestamp()).expect("an instant within jiff's range");
    UtcOffset::from_whole_seconds(PARIS.to_offset(timestamp).seconds()).expect("a valid offset")
}

/// The end of a period of `months` starting on `start` (code de procédure civile, art. 641): the
/// day with the same number `months` later, or that month's last day when it has none.
/// 2 November + 4 months = 2 March; 31 October + 4 months = 28 (or 29) February.
pub fn add_months(start: Date, months: i32) -> Date {
    let index = start.month() as i32 - 1 + months;
    let year = start.year() + index.div_euclid(12);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("1 to 12");
    let day = start.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).expect("a day that exists in that month")
}

/// The end of a period of `years` (art. 641): the same day, or 28 February for a 29 February
/// landing in a common year.
pub fn add_years(start: Date, years: i32) -> Date {
    add_months(start, 12 * years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_french_day_changes_at_midnight_paris_time_in_winter_and_in_summer() {
        // Winter, UTC+1: 23:00 UTC is already tomorrow in Paris.
        assert_eq!(french_day(datetime!(2026-12-31 22:59:59 UTC)), date!(2026 - 12 - 31));
        assert_eq!(french_day(datetime!(2026-12-31 23:00:00 UTC)), date!(2027 - 01 - 01));
        // Summer, UTC+2: 22:00 UTC is already tomorrow.
        assert_eq!(french_day(datetime!(2027-07-13 21:59:59 UTC)), date!(2027 - 07 - 13));
        assert_eq!(french_day(datetime!(2027-07-13 22:00:00 UTC)), date!(2027 - 07 - 14));
    }

    #[test]
    fn the_french_day_follows_the_two_summer_time_changes() {
        // Summer time starts on the last Sunday of March at 01:00 UTC (2027: 28 March).
        assert_eq!(french_offset(datetime!(2027-03-28 00:59:59 UTC)).whole_hours(), 1);
        assert_eq!(french_offset(datetime!(2027-03-28 01:00:00 UTC)).whole_hours(), 2);
        // The evening before the change is still winter: 22:30 UTC is 23:30 on Saturday 27 March.
        assert_eq!(french_day(datetime!(2027-03-27 22:30:00 UTC)), date!(2027 - 03 - 27));
        // The evening after: 22:30 UTC on Sunday is 00:30 on Monday 29 March.
        assert_eq!(french_day(datetime!(2027-03-28 22:30:00 UTC)), date!(2027 - 03 - 29));
        // It ends on the last Sunday of October at 01:00 UTC (2027: 31 October).
        assert_eq!(french_offset(datetime!(2027-10-31 00:59:59 UTC)).whole_hours(), 2);
        assert_eq!(french_offset(datetime!(2027-10-31 01:00:00 UTC)).whole_hours(), 1);
        // 22:30 UTC on Saturday 30 October is 00:30 on Sunday; on Sunday 31 it is 23:30 Sunday.
        assert_eq!(french_day(datetime!(2027-10-30 22:30:00 UTC)), date!(2027 - 10 - 31));
        assert_eq!(french_day(datetime!(2027-10-31 22:30:00 UTC)), date!(2027 - 10 - 31));
    }

    #[test]
    fn a_period_in_months_ends_on_the_same_day_number_or_the_month_end() {
        // (start, months, end)
        let table = [
            (date!(2026 - 11 - 02), 4, date!(2027 - 03 - 02)),
            (date!(2026 - 10 - 31), 4, date!(2027 - 02 - 28)),
            (date!(2027 - 10 - 31), 4, date!(2028 - 02 - 29)),
            (date!(2026 - 11 - 30), 3, date!(2027 - 02 - 28)),
            (date!(2026 - 12 - 15), 1, date!(2027 - 01 - 15)),
            (date!(2027 - 01 - 31), 1, date!(2027 - 02 - 28)),
            (date!(2027 - 03 - 31), -1, date!(2027 - 02 - 28)),
        ];
        for (start, months, end) in table {
            assert_eq!(add_months(start, months), end, "{start} + {months} months");
        }
    }

    #[test]
    fn a_period_in_years_keeps_the_day_and_29_february_becomes_28() {
        assert_eq!(add_years(date!(2024 - 02 - 29), 4), date!(2028 - 02 - 29));
        assert_eq!(add_years(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 28));
        assert_eq!(add_years(date!(2026 - 11 - 25), -10), date!(2016 - 11 - 25));
    }
}
