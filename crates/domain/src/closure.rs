//! « Clôturer mon compte » (GDPR erasure): a driver closes their account; what the law makes the
//! service keep stays, the rest is deleted. Not while something of theirs is under way: an
//! application being processed, a card not yet received, a replacement not finished.

use crate::application::ApplicationStatus;
use crate::card::CardStatus;
use crate::replacement::ReplacementStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClosureRefused {
    #[error("an application is being processed")]
    ApplicationUnderWay,
    #[error("a card is on its way")]
    CardUnderWay,
    #[error("a replacement is under way")]
    ReplacementUnderWay,
}

/// What survives a closure, and why: said to the driver before and in the confirmation email.
pub const KEPT_ON_CLOSURE: [&str; 3] = [
    "vos cartes (numéro, titulaire, photo imprimée, dates) : le registre des cartes de qualification",
    "vos factures et paiements : 10 ans, comme le Code de commerce l'impose (art. L123-22)",
    "vos formations, récapitulatifs et attestations : les registres des centres agréés",
];

/// Whether a driver with these applications, cards and replacements may close their account now.
/// Drafts never stop it: they are deleted with the rest.
pub fn may_close(
    applications: &[ApplicationStatus],
    cards: &[CardStatus],
    replacements: &[ReplacementStatus],
) -> Result<(), ClosureRefused> {
    if applications.iter().any(|s| matches!(s, ApplicationStatus::Submitted | ApplicationStatus::InProcessing)) {
        return Err(ClosureRefused::ApplicationUnderWay);
    }
    let on_its_way = |s: &&CardStatus| {
        matches!(
            s,
            CardStatus::InProduction
                | CardStatus::Printed
                | CardStatus::Shipped
                | CardStatus::Returned
                | CardStatus::ToResend
        )
    };
    if cards.iter().any(|s| on_its_way(&s)) {
        return Err(ClosureRefused::CardUnderWay);
    }
    if replacements.iter().any(|s| {
        !matches!(s, ReplacementStatus::Draft | ReplacementStatus::Cancelled | ReplacementStatus::InProduction)
    }) {
        return Err(ClosureRefused::ReplacementUnderWay);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_driver_with_nothing_under_way_closes_their_account_drafts_included() {
        assert_eq!(may_close(&[], &[], &[]), Ok(()));
        assert_eq!(
            may_close(
                &[
                    ApplicationStatus::Draft,
                    ApplicationStatus::Approved,
                    ApplicationStatus::Refused,
                    ApplicationStatus::Cancelled
                ],
                &[CardStatus::Activated, CardStatus::Delivered, CardStatus::Void],
                &[ReplacementStatus::Draft, ReplacementStatus::Cancelled, ReplacementStatus::InProduction],
            ),
            Ok(())
        );
    }

    #[test]
    fn an_application_being_processed_stops_the_closure() {
        for status in [ApplicationStatus::Submitted, ApplicationStatus::InProcessing] {
            assert_eq!(may_close(&[status], &[], &[]), Err(ClosureRefused::ApplicationUnderWay));
        }
    }

    #[test]
    fn a_card_not_yet_received_stops_the_closure() {
        for status in [
            CardStatus::InProduction,
            CardStatus::Printed,
            CardStatus::Shipped,
            CardStatus::Returned,
            CardStatus::ToResend,
        ] {
            assert_eq!(may_close(&[], &[status], &[]), Err(ClosureRefused::CardUnderWay), "{status:?}");
        }
    }

    #[test]
    fn a_replacement_waiting_for_payment_card_or_analysis_stops_the_closure() {
        for status in [
            ReplacementStatus::AwaitingPayment,
            ReplacementStatus::AwaitingCard,
            ReplacementStatus::UnderAnalysis,
            ReplacementStatus::AwaitingDriverFix,
        ] {
            assert_eq!(may_close(&[], &[], &[status]), Err(ClosureRefused::ReplacementUnderWay), "{status:?}");
        }
    }
}
