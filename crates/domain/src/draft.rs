//! Drafts left alone (« A draft idle for long is reminded, then purged »): an unsent card
//! application or replacement request is reminded to its driver after a month without a change,
//! and purged a month after the reminder if nothing changed meanwhile. Never purged unreminded.

use time::{Duration, OffsetDateTime};

/// Days without a change before the reminder.
pub const REMINDER_AFTER_DAYS: i64 = 30;
/// Days after the reminder before the purge.
pub const PURGE_AFTER_REMINDER_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftUpkeep {
    Keep,
    /// Tell the driver; the draft will be purged on `purge_on` if nothing changes.
    Remind {
        purge_on: OffsetDateTime,
    },
    Purge,
}

/// What to do with a draft last changed at `last_change`, reminded at `reminded_at` (a reminder
/// older than the last change no longer counts: the driver came back).
pub fn draft_upkeep(
    last_change: OffsetDateTime,
    reminded_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> DraftUpkeep {
    match reminded_at.filter(|reminded| *reminded >= last_change) {
        Some(reminded) if now - reminded >= Duration::days(PURGE_AFTER_REMINDER_DAYS) => DraftUpkeep::Purge,
        Some(_) => DraftUpkeep::Keep,
        None if now - last_change >= Duration::days(REMINDER_AFTER_DAYS) => {
            DraftUpkeep::Remind { purge_on: now + Duration::days(PURGE_AFTER_REMINDER_DAYS) }
        }
        None => DraftUpkeep::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-11-25 10:00 UTC);

    fn days(n: i64) -> OffsetDateTime {
        START + Duration::days(n)
    }

    #[test]
    fn a_draft_idle_for_a_month_is_reminded_then_purged_a_month_later() {
        assert_eq!(draft_upkeep(START, None, days(29)), DraftUpkeep::Keep);
        assert_eq!(draft_upkeep(START, None, days(30)), DraftUpkeep::Remind { purge_on: days(60) });
        assert_eq!(draft_upkeep(START, Some(days(30)), days(59)), DraftUpkeep::Keep);
        assert_eq!(draft_upkeep(START, Some(days(30)), days(60)), DraftUpkeep::Purge);
    }

    #[test]
    fn a_draft_is_never_purged_without_a_reminder_first() {
        // The server was off for months: the reminder comes first, the purge a month later.
        assert_eq!(draft_upkeep(START, None, days(400)), DraftUpkeep::Remind { purge_on: days(430) });
    }

    #[test]
    fn a_driver_who_came_back_after_the_reminder_starts_a_new_month() {
        assert_eq!(draft_upkeep(days(40), Some(days(30)), days(65)), DraftUpkeep::Keep);
        assert_eq!(draft_upkeep(days(40), Some(days(30)), days(70)), DraftUpkeep::Remind { purge_on: days(100) });
    }
}
