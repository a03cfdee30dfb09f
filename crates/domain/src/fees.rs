//! « Tarifs »: the fee tables an administrator schedules, each from the day it takes effect. A
//! payment costs what was in force on the day its request began, whatever changed since: a driver
//! never pays more than the price shown when they started, and never less.

use crate::billing::{Cents, FeeTable};
use crate::form::FieldError;
use crate::registration::parse_iso_date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use ts_rs::TS;

/// One fee table and the first day it applies (a French civil day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledFees {
    pub starts_on: Date,
    pub fees: FeeTable,
}

/// Where a scheduled table stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FeePeriod {
    /// Replaced by a later table.
    Past,
    InForce,
    /// Still to come: it can be cancelled.
    Upcoming,
}

/// Every table ever scheduled, in date order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeSchedule(Vec<ScheduledFees>);

impl FeeSchedule {
    pub fn new(mut tables: Vec<ScheduledFees>) -> Self {
        tables.sort_by_key(|t| t.starts_on);
        Self(tables)
    }

    /// The table in force on `day`: the latest that started on or before it. Before the first
    /// (a service with no table yet), the defaults.
    pub fn in_force_on(&self, day: Date) -> FeeTable {
        self.0.iter().rev().find(|t| t.starts_on <= day).map_or_else(FeeTable::default, |t| t.fees)
    }

    /// Each table with where it stands on `today`, the latest first.
    pub fn periods(&self, today: Date) -> Vec<(ScheduledFees, FeePeriod)> {
        let in_force = self.0.iter().rev().find(|t| t.starts_on <= today).map(|t| t.starts_on);
        self.0
            .iter()
            .rev()
            .map(|t| {
                let period = match in_force {
                    _ if t.starts_on > today => FeePeriod::Upcoming,
                    Some(day) if day == t.starts_on => FeePeriod::InForce,
                    _ => FeePeriod::Past,
                };
                (*t, period)
            })
            .collect()
    }
}

/// The most a fee can be, before tax: 1 000,00 € (a typo of a zero or two is caught).
pub const MAX_FEE: Cents = Cents(100_000);
/// The highest VAT rate accepted, in basis points (France's standard rate is 20 %).
pub const MAX_VAT_BASIS_POINTS: u32 = 5_000;
/// How far ahead a table can be scheduled.
pub const MAX_YEARS_AHEAD: i32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FeeField {
    StartsOn,
    ReplacementCard,
    QualityReplacementCard,
    Reshipping,
    VatBasisPoints,
}

pub type FeeErrors = BTreeMap<FeeField, FieldError>;

/// A new table an administrator schedules: from tomorrow at the earliest, so that no price in
/// force today changes under a driver who is paying; amounts within reason.
pub fn check_new_fees(starts_on: &str, fees: &FeeTable, today: Date) -> Result<ScheduledFees, FeeErrors> {
    let mut errors = FeeErrors::new();
    let day = if starts_on.trim().is_empty() { Err(FieldError::Required) } else { start_day(starts_on, today) };
    if let Err(error) = &day {
        errors.insert(FeeField::StartsOn, error.clone());
    }
    for (field, fee) in [
        (FeeField::ReplacementCard, fees.replacement_card),
        (FeeField::QualityReplacementCard, fees.quality_replacement_card),
        (FeeField::Reshipping, fees.reshipping),
    ] {
        if !(Cents(0)..=MAX_FEE).contains(&fee) {
            errors.insert(field, FieldError::AmountOutOfRange { max_cents: MAX_FEE.0 as u32 });
        }
    }
    if fees.vat_basis_points > MAX_VAT_BASIS_POINTS {
        errors.insert(FeeField::VatBasisPoints, FieldError::RateOutOfRange { max_basis_points: MAX_VAT_BASIS_POINTS });
    }
    match day {
        Ok(starts_on) if errors.is_empty() => Ok(ScheduledFees { starts_on, fees: *fees }),
        _ => Err(errors),
    }
}

fn start_day(typed: &str, today: Date) -> Result<Date, FieldError> {
    let day = parse_iso_date(typed).ok_or(FieldError::InvalidDate)?;
    if day <= today {
        return Err(FieldError::NotAfterToday);
    }
    if day > crate::calendar::add_years(today, MAX_YEARS_AHEAD) {
        return Err(FieldError::TooFarAhead { max_years: MAX_YEARS_AHEAD as u32 });
    }
    Ok(day)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CancelFeesError {
    #[error("a table in force or past is part of what drivers paid: schedule a new one instead")]
    AlreadyStarted,
}

/// Only a table still to come can be cancelled; the others priced real payments.
pub fn cancel(table: &ScheduledFees, today: Date) -> Result<(), CancelFeesError> {
    if table.starts_on > today {
        Ok(())
    } else {
        Err(CancelFeesError::AlreadyStarted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn table(replacement: i64) -> FeeTable {
        FeeTable { replacement_card: Cents(replacement), ..FeeTable::default() }
    }

    fn schedule() -> FeeSchedule {
        FeeSchedule::new(vec![
            ScheduledFees { starts_on: date!(2027 - 01 - 01), fees: table(2800) },
            ScheduledFees { starts_on: date!(2000 - 01 - 01), fees: table(2500) },
        ])
    }

    #[test]
    fn a_payment_costs_the_fee_in_force_on_the_day_its_request_began() {
        let fees = schedule();
        assert_eq!(fees.in_force_on(date!(2026 - 12 - 31)).replacement_card, Cents(2500));
        assert_eq!(fees.in_force_on(date!(2027 - 01 - 01)).replacement_card, Cents(2800));
        assert_eq!(fees.in_force_on(date!(2030 - 06 - 15)).replacement_card, Cents(2800));
    }

    #[test]
    fn a_service_without_any_table_charges_the_default_fees() {
        assert_eq!(FeeSchedule::default().in_force_on(date!(2026 - 12 - 06)), FeeTable::default());
    }

    #[test]
    fn the_tables_are_listed_latest_first_with_the_one_in_force_marked() {
        let periods: Vec<FeePeriod> = schedule().periods(date!(2026 - 12 - 06)).into_iter().map(|(_, p)| p).collect();
        assert_eq!(periods, [FeePeriod::Upcoming, FeePeriod::InForce]);
        let periods: Vec<FeePeriod> = schedule().periods(date!(2027 - 01 - 01)).into_iter().map(|(_, p)| p).collect();
        assert_eq!(periods, [FeePeriod::InForce, FeePeriod::Past]);
    }

    #[test]
    fn a_new_table_starts_tomorrow_at_the_earliest_and_five_years_ahead_at_most() {
        let today = date!(2026 - 12 - 06);
        let fees = FeeTable::default();
        assert_eq!(check_new_fees("2026-12-07", &fees, today).unwrap().starts_on, date!(2026 - 12 - 07));
        let starts_on = |typed: &str| check_new_fees(typed, &fees, today).unwrap_err()[&FeeField::StartsOn].clone();
        assert_eq!(starts_on("2026-12-06"), FieldError::NotAfterToday);
        assert_eq!(starts_on("2020-01-01"), FieldError::NotAfterToday);
        assert_eq!(starts_on("2031-12-07"), FieldError::TooFarAhead { max_years: 5 });
        assert_eq!(starts_on("2027-02-30"), FieldError::InvalidDate);
        assert_eq!(starts_on(" "), FieldError::Required);
    }

    #[test]
    fn negative_fees_or_a_typo_of_a_zero_or_a_vat_above_half_are_refused_each_beside_its_field() {
        let today = date!(2026 - 12 - 06);
        let wrong = FeeTable {
            replacement_card: Cents(-1),
            quality_replacement_card: Cents(100_001),
            reshipping: Cents(100_000),
            vat_basis_points: 5_001,
        };
        let errors = check_new_fees("2027-01-01", &wrong, today).unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            [FeeField::ReplacementCard, FeeField::QualityReplacementCard, FeeField::VatBasisPoints]
        );
        let free = FeeTable { replacement_card: Cents(0), vat_basis_points: 0, ..FeeTable::default() };
        assert!(check_new_fees("2027-01-01", &free, today).is_ok());
    }

    #[test]
    fn only_a_table_still_to_come_can_be_cancelled() {
        let upcoming = ScheduledFees { starts_on: date!(2027 - 01 - 01), fees: FeeTable::default() };
        assert_eq!(cancel(&upcoming, date!(2026 - 12 - 31)), Ok(()));
        assert_eq!(cancel(&upcoming, date!(2027 - 01 - 01)), Err(CancelFeesError::AlreadyStarted));
    }
}
