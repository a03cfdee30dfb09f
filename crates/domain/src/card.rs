//! The card after approval (guide step 12): its number and its life until the driver activates it.
//!
//! ```text
//! in_production ─print─▶ printed ─ship─▶ shipped ─deliver─▶ delivered ─activate─▶ activated
//!                                         ▲   │
//!                                   ship  │   └─return_undelivered─▶ returned
//!                                         │                             │ resend (the driver confirms
//!                                    to_resend ◀────────────────────────┘  the address or pays)
//!
//! any card not yet void ─invalidate─▶ void (lost, stolen, or sent back as defective)
//! ```

use crate::application::Entitlement;
use crate::training::Qualification;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

/// The most cards one production step (printed, shipped…) moves at once.
pub const CARD_BATCH_MAX: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CardStatus {
    InProduction,
    Printed,
    Shipped,
    Delivered,
    Activated,
    /// « Pli non distribué »: the post brought it back.
    Returned,
    /// The driver confirmed the address (or paid for a new one): the agent sends it again.
    ToResend,
    /// Replaced after a loss, a theft or a defect: no longer valid.
    Void,
}

/// What moves a card on: the agent's production steps, the post, the driver's activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CardEvent {
    Print,
    Ship,
    Deliver,
    ReturnUndelivered,
    Activate,
    /// The driver's answer to a returned card.
    Resend,
    Invalidate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[error("a card {from:?} cannot take the step {event:?}")]
#[ts(export)]
pub struct CardTransitionError {
    pub from: CardStatus,
    pub event: CardEvent,
}

impl CardStatus {
    pub const ALL: [Self; 8] = [
        Self::InProduction,
        Self::Printed,
        Self::Shipped,
        Self::Delivered,
        Self::Activated,
        Self::Returned,
        Self::ToResend,
        Self::Void,
    ];

    pub fn apply(self, event: CardEvent) -> Result<Self, CardTransitionError> {
        use CardEvent::*;
        match (self, event) {
            (Self::InProduction, Print) => Ok(Self::Printed),
            (Self::Printed | Self::ToResend, Ship) => Ok(Self::Shipped),
            (Self::Shipped, Deliver) => Ok(Self::Delivered),
            (Self::Shipped, ReturnUndelivered) => Ok(Self::Returned),
            (Self::Returned, Resend) => Ok(Self::ToResend),
            (Self::Delivered, Activate) => Ok(Self::Activated),
            (from, Invalidate) if from != Self::Void => Ok(Self::Void),
            (from, event) => Err(CardTransitionError { from, event }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProduction => "in_production",
            Self::Printed => "printed",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Activated => "activated",
            Self::Returned => "returned",
            Self::ToResend => "to_resend",
            Self::Void => "void",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Made, or on its way to the driver: not yet in their hands.
    pub fn is_on_its_way(self) -> bool {
        matches!(self, Self::InProduction | Self::Printed | Self::Shipped | Self::Returned | Self::ToResend)
    }
}

impl CardEvent {
    pub const ALL: [Self; 7] = [
        Self::Print,
        Self::Ship,
        Self::Deliver,
        Self::ReturnUndelivered,
        Self::Activate,
        Self::Resend,
        Self::Invalidate,
    ];

    /// The production and postal steps an agent records; the others follow the driver's actions.
    pub fn is_the_agents(self) -> bool {
        matches!(self, Self::Print | Self::Ship | Self::Deliver | Self::ReturnUndelivered)
    }
}

/// A card number: `FR`, the two digits of the year of issue, a 7-digit serial and a Luhn check
/// digit, so that a mistyped number is caught before any lookup.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[ts(export, type = "string")]
pub struct CardNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a card number")]
pub struct InvalidCardNumber;

/// The serials of one year run out at this number.
pub const MAX_SERIAL: u32 = 9_999_999;

impl CardNumber {
    pub fn new(year: i32, serial: u32) -> Result<Self, InvalidCardNumber> {
        if !(1..=MAX_SERIAL).contains(&serial) {
            return Err(InvalidCardNumber);
        }
        let digits = format!("{:02}{serial:07}", year.rem_euclid(100));
        let check = luhn_check_digit(&digits);
        Ok(Self(format!("FR{digits}{check}")))
    }

    pub fn parse(input: &str) -> Result<Self, InvalidCardNumber> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let digits = compact.strip_prefix("FR").ok_or(InvalidCardNumber)?;
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidCardNumber);
        }
        let (body, check) = digits.split_at(9);
        if luhn_check_digit(body).to_string() != check {
            return Err(InvalidCardNumber);
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CardNumber {
    type Error = InvalidCardNumber;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CardNumber> for String {
    fn from(value: CardNumber) -> Self {
        value.0
    }
}

pub(crate) fn luhn_check_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Who the card is for, as printed on its face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CardHolder {
    pub last_name: String,
    pub usage_name: String,
    pub first_names: String,
    pub birth_date: String,
    pub birth_place: String,
    pub licence_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CardFace {
    pub holder: CardHolder,
    pub qualifications: Vec<Qualification>,
    /// ISO date of the code 95 mention's end.
    pub code95_expiry: String,
    pub card_number: String,
    /// ISO date.
    pub issued_on: String,
}

impl CardFace {
    /// The face of the card an approved application makes: its holder, qualifications and
    /// code 95 expiry, under the number given on the day of issue.
    pub fn new(holder: CardHolder, entitlement: &Entitlement, number: &CardNumber, issued_on: Date) -> Self {
        Self {
            holder,
            qualifications: entitlement.qualifications.clone(),
            code95_expiry: entitlement.card_expiry.to_string(),
            card_number: number.as_str().to_owned(),
            issued_on: issued_on.to_string(),
        }
    }

    /// The identical card that replaces this one: same holder, qualifications and code 95
    /// expiry; a new number and day of issue.
    pub fn replacement(&self, number: &CardNumber, issued_on: Date) -> Self {
        Self { card_number: number.as_str().to_owned(), issued_on: issued_on.to_string(), ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CardEvent::*;
    use CardStatus::*;

    #[test]
    fn a_replacement_card_is_identical_but_for_its_number_and_day_of_issue() {
        let holder = CardHolder {
            last_name: "DUPONT".into(),
            usage_name: String::new(),
            first_names: "Jean".into(),
            birth_date: "1985-03-14".into(),
            birth_place: "Lyon".into(),
            licence_number: "13AA00002".into(),
        };
        let entitlement = Entitlement {
            qualifications: vec![Qualification::Goods],
            card_expiry: time::macros::date!(2031 - 07 - 20),
        };
        let first = CardFace::new(
            holder,
            &entitlement,
            &CardNumber::new(2026, 1).unwrap(),
            time::macros::date!(2026 - 11 - 27),
        );
        assert_eq!(first.code95_expiry, "2031-07-20");
        assert_eq!(first.issued_on, "2026-11-27");
        let second = first.replacement(&CardNumber::new(2027, 8).unwrap(), time::macros::date!(2027 - 01 - 05));
        assert_ne!(second.card_number, first.card_number);
        assert_eq!(second.issued_on, "2027-01-05");
        assert_eq!(
            CardFace { card_number: first.card_number.clone(), issued_on: first.issued_on.clone(), ..second },
            first
        );
    }

    #[test]
    fn a_card_goes_from_production_to_activation() {
        let mut status = InProduction;
        for event in [Print, Ship, Deliver, Activate] {
            status = status.apply(event).unwrap();
        }
        assert_eq!(status, Activated);
    }

    #[test]
    fn a_returned_card_is_shipped_again_once_the_driver_answers() {
        let returned = Shipped.apply(ReturnUndelivered).unwrap();
        assert_eq!(returned, Returned);
        assert!(returned.apply(Ship).is_err(), "not before the driver confirms the address");
        assert_eq!(returned.apply(Resend).and_then(|s| s.apply(Ship)), Ok(Shipped));
    }

    #[test]
    fn a_replaced_card_becomes_void_once() {
        for status in CardStatus::ALL.into_iter().filter(|s| *s != Void) {
            assert_eq!(status.apply(Invalidate), Ok(Void));
        }
        assert!(Void.apply(Invalidate).is_err());
    }

    #[test]
    fn every_other_step_is_refused() {
        let allowed = [
            (InProduction, Print),
            (Printed, Ship),
            (ToResend, Ship),
            (Shipped, Deliver),
            (Shipped, ReturnUndelivered),
            (Returned, Resend),
            (Delivered, Activate),
        ];
        for from in CardStatus::ALL {
            for event in CardEvent::ALL.into_iter().filter(|e| *e != Invalidate) {
                let result = from.apply(event);
                assert_eq!(result.is_ok(), allowed.contains(&(from, event)), "{from:?} {event:?}");
                if let Err(error) = result {
                    assert_eq!(error, CardTransitionError { from, event });
                }
            }
        }
    }

    #[test]
    fn the_agent_records_production_and_the_post_only() {
        let agents: Vec<_> = CardEvent::ALL.into_iter().filter(|e| e.is_the_agents()).collect();
        assert_eq!(agents, vec![Print, Ship, Deliver, ReturnUndelivered]);
    }

    #[test]
    fn card_numbers_carry_a_check_digit() {
        let number = CardNumber::new(2026, 42).unwrap();
        assert_eq!(number.as_str().len(), 12);
        assert!(number.as_str().starts_with("FR260000042"));
        assert_eq!(CardNumber::parse(&format!(" {} ", number.as_str().to_lowercase())), Ok(number.clone()));
        let mut typo = number.as_str().to_owned();
        typo.replace_range(5..6, "9");
        assert_eq!(CardNumber::parse(&typo), Err(InvalidCardNumber));
        assert_eq!(CardNumber::parse("FR12345"), Err(InvalidCardNumber));
        assert_eq!(CardNumber::new(2026, 0), Err(InvalidCardNumber));
        assert_eq!(CardNumber::new(2026, MAX_SERIAL + 1), Err(InvalidCardNumber));
    }

    #[test]
    fn statuses_read_back_from_their_names() {
        for status in CardStatus::ALL {
            assert_eq!(CardStatus::parse(status.as_str()), Some(status));
        }
    }
}
