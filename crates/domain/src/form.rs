//! What a form field can be wrong with, shared by every form (registration, trainee, training):
//! each error is a stable `code` the edges turn into a French or English sentence.

use crate::contact::NameError;
use crate::licence::LicenceNumberError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum FieldError {
    Required,
    TooLong {
        max: u32,
    },
    InvalidCharacters,
    /// Control or text-direction characters in a free-text field (address, holder, reason).
    HiddenCharacters,
    InvalidDate,
    BirthDateInFuture,
    TooYoung {
        min_years: u32,
    },
    TooOld,
    InvalidEmail,
    InvalidPhone,
    InvalidFrenchPostcode,
    Licence {
        error: LicenceNumberError,
    },
    ConsentRequired,
    /// Another account already uses this value (checked by the server).
    AlreadyUsed,
    /// A number of hours that is not a whole number.
    InvalidNumber,
    /// A value that is not one of the listed ones (a CSV cell).
    UnknownValue,
    DateInFuture,
    EndBeforeStart,
    TooFewHours {
        min: u32,
    },
    TooManyHours {
        max: u32,
    },
    /// FIMO: 140 hours over 4 consecutive weeks at most.
    LongerThanFourWeeks,
    /// FCO without sequences: 5 consecutive days, first to last.
    NotFiveConsecutiveDays,
    /// FCO in sequences: each sequence lasts at least 7 hours.
    SequenceTooShort {
        min_hours: u32,
    },
    /// Sequences are in date order, one a day, the first on the start date, the last on the end.
    SequencesOutsideDates,
    /// The sequences' hours add up to the training's hours.
    SequencesDoNotAddUp,
    SequencesOnlyForFco,
    /// A passerelle's target category belongs to the qualification it leads to.
    CategoryNotOfQualification,
    CategoryOnlyForPasserelle,
    /// A bank card number that is not `min_digits` to `max_digits` digits with a valid check digit.
    InvalidBankCardNumber {
        min_digits: u32,
        max_digits: u32,
    },
    /// A bank card expiry not written MM/AA.
    InvalidExpiry,
    BankCardExpired,
    /// The digits on the back of a bank card.
    InvalidSecurityCode {
        min_digits: u32,
        max_digits: u32,
    },
    /// An amount below zero or above `max_cents`.
    AmountOutOfRange {
        max_cents: u32,
    },
    /// A rate in basis points (2000 = 20 %) above `max_basis_points`.
    RateOutOfRange {
        max_basis_points: u32,
    },
    /// A date that must come after today (a fee's start).
    NotAfterToday,
    TooFarAhead {
        max_years: u32,
    },
}

pub(crate) fn name_error(error: NameError) -> FieldError {
    match error {
        NameError::Missing => FieldError::Required,
        NameError::TooLong => FieldError::TooLong { max: crate::contact::NAME_MAX as u32 },
        NameError::InvalidCharacters => FieldError::InvalidCharacters,
    }
}
