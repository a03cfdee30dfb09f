//! What the driver's home screen says to do next: the one thing that matters most today, among
//! answering a correction, activating a card received, applying for the card before the
//! certificate's window closes, and training before the code 95 expires.

use crate::application::{ApplicationState, ApplicationStatus, CertificateSummary};
use crate::card::CardStatus;
use serde::Serialize;
use time::Date;
use ts_rs::TS;

/// How long before the code 95 expires the home screen says to train (the first reminder's six
/// months).
pub const CODE95_WARNING_DAYS: i64 = 183;

/// A card the driver holds or waits for, as the home screen needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCard {
    pub id: String,
    pub status: CardStatus,
    pub code95_expiry: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "step", rename_all = "snake_case")]
#[ts(export)]
pub enum NextStep {
    /// The processing service asked for a correction.
    AnswerCorrection {
        application_id: String,
    },
    /// A card was delivered: activate it.
    ActivateCard {
        card_id: String,
    },
    /// A certificate valid today that no card carries yet, and no application: apply before its
    /// last day.
    ApplyBefore {
        /// ISO day.
        last_day: String,
        #[ts(type = "number")]
        days_left: i64,
    },
    /// The same, with the application started but not sent.
    FinishApplication {
        application_id: String,
        /// ISO day.
        last_day: String,
        #[ts(type = "number")]
        days_left: i64,
    },
    /// The application is with the processing service, or the card on its way: nothing to do.
    ApplicationUnderWay,
    /// The code 95 of the card expires within six months and no new training moved it.
    TrainBefore {
        /// ISO day.
        code95_expiry: String,
        #[ts(type = "number")]
        days_left: i64,
    },
    UpToDate,
}

pub fn next_step(
    certificates: &[CertificateSummary],
    applications: &[(String, ApplicationState)],
    cards: &[HeldCard],
    today: Date,
) -> NextStep {
    if let Some((id, _)) = applications.iter().find(|(_, state)| state.correction.is_some()) {
        return NextStep::AnswerCorrection { application_id: id.clone() };
    }
    if let Some(card) = cards.iter().find(|card| card.status == CardStatus::Delivered) {
        return NextStep::ActivateCard { card_id: card.id.clone() };
    }
    // A card replaced after a loss or a defect carried the expiry too: its replacement follows.
    let carried = cards.iter().map(|card| card.code95_expiry).max();
    let open = applications.iter().find(|(_, state)| {
        matches!(
            state.status,
            ApplicationStatus::Draft | ApplicationStatus::Submitted | ApplicationStatus::InProcessing
        )
    });
    let unused = certificates
        .iter()
        .filter(|c| c.validity.covers(today) && carried.is_none_or(|expiry| c.card_expiry > expiry))
        .max_by_key(|c| c.validity.valid_until);
    if let Some(certificate) = unused {
        let last_day = certificate.validity.valid_until;
        let days_left = (last_day - today).whole_days();
        return match open {
            None => NextStep::ApplyBefore { last_day: last_day.to_string(), days_left },
            Some((id, state)) if state.status == ApplicationStatus::Draft => {
                NextStep::FinishApplication { application_id: id.clone(), last_day: last_day.to_string(), days_left }
            }
            Some(_) => NextStep::ApplicationUnderWay,
        };
    }
    if open.is_some() || cards.iter().any(|card| card.status.is_on_its_way()) {
        return NextStep::ApplicationUnderWay;
    }
    let activated =
        cards.iter().filter(|card| card.status == CardStatus::Activated).map(|card| card.code95_expiry).max();
    let training_ahead = certificates.iter().any(|c| c.validity.valid_until >= today);
    match activated {
        Some(expiry) if !training_ahead && (expiry - today).whole_days() <= CODE95_WARNING_DAYS => {
            NextStep::TrainBefore { code95_expiry: expiry.to_string(), days_left: (expiry - today).whole_days() }
        }
        _ => NextStep::UpToDate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qualification::CertificateValidity;
    use crate::training::Qualification;
    use time::macros::date;

    const TODAY: Date = date!(2027 - 02 - 20);

    fn certificate(valid_until: Date, card_expiry: Date) -> CertificateSummary {
        CertificateSummary {
            qualification: Qualification::Goods,
            validity: CertificateValidity { valid_from: date!(2026 - 11 - 25), valid_until },
            card_expiry,
        }
    }

    fn application(status: ApplicationStatus) -> (String, ApplicationState) {
        ("a-1".into(), ApplicationState { status, correction: None })
    }

    fn card(status: CardStatus, code95_expiry: Date) -> HeldCard {
        HeldCard { id: "c-1".into(), status, code95_expiry }
    }

    #[test]
    fn a_driver_with_a_certificate_and_no_application_is_told_the_days_left_to_apply() {
        let certificates = [certificate(date!(2027 - 03 - 24), date!(2031 - 11 - 20))];
        assert_eq!(
            next_step(&certificates, &[], &[], TODAY),
            NextStep::ApplyBefore { last_day: "2027-03-24".into(), days_left: 32 }
        );
        assert_eq!(
            next_step(&certificates, &[application(ApplicationStatus::Draft)], &[], TODAY),
            NextStep::FinishApplication { application_id: "a-1".into(), last_day: "2027-03-24".into(), days_left: 32 }
        );
        assert_eq!(
            next_step(&certificates, &[application(ApplicationStatus::Submitted)], &[], TODAY),
            NextStep::ApplicationUnderWay
        );
    }

    #[test]
    fn a_certificate_already_carried_by_a_card_asks_nothing() {
        let certificates = [certificate(date!(2027 - 03 - 24), date!(2031 - 11 - 20))];
        let cards = [card(CardStatus::Activated, date!(2031 - 11 - 20))];
        assert_eq!(
            next_step(&certificates, &[application(ApplicationStatus::Approved)], &cards, TODAY),
            NextStep::UpToDate
        );
    }

    #[test]
    fn a_certificate_used_by_a_card_being_replaced_asks_nothing() {
        let certificates = [certificate(date!(2027 - 03 - 24), date!(2031 - 11 - 20))];
        let replaced = [card(CardStatus::Void, date!(2031 - 11 - 20))];
        assert_eq!(next_step(&certificates, &[], &replaced, TODAY), NextStep::UpToDate);
    }

    #[test]
    fn a_correction_asked_comes_first_then_a_card_to_activate() {
        let certificates = [certificate(date!(2027 - 03 - 24), date!(2031 - 11 - 20))];
        let mut asked = application(ApplicationStatus::InProcessing);
        asked.1.correction = Some(Vec::new());
        let delivered = [card(CardStatus::Delivered, date!(2031 - 11 - 20))];
        assert_eq!(
            next_step(&certificates, &[asked], &delivered, TODAY),
            NextStep::AnswerCorrection { application_id: "a-1".into() }
        );
        assert_eq!(next_step(&certificates, &[], &delivered, TODAY), NextStep::ActivateCard { card_id: "c-1".into() });
        assert_eq!(
            next_step(&[], &[], &[card(CardStatus::Shipped, date!(2031 - 11 - 20))], TODAY),
            NextStep::ApplicationUnderWay
        );
    }

    #[test]
    fn a_code_95_expiring_within_six_months_asks_for_a_training_unless_one_is_done() {
        let expiring = [card(CardStatus::Activated, date!(2027 - 06 - 30))];
        assert_eq!(
            next_step(&[], &[], &expiring, TODAY),
            NextStep::TrainBefore { code95_expiry: "2027-06-30".into(), days_left: 130 }
        );
        let far = [card(CardStatus::Activated, date!(2029 - 06 - 30))];
        assert_eq!(next_step(&[], &[], &far, TODAY), NextStep::UpToDate);
        let trained = [certificate(date!(2027 - 05 - 01), date!(2032 - 06 - 30))];
        assert_eq!(
            next_step(&trained, &[], &expiring, TODAY),
            NextStep::ApplyBefore { last_day: "2027-05-01".into(), days_left: 70 }
        );
        assert_eq!(next_step(&[], &[], &[], TODAY), NextStep::UpToDate);
    }
}
