//! « Remplacement, Echange » (special case 01): a lost, stolen or defective card replaced.
//!
//! ```text
//! loss, theft:  draft ─submit─▶ awaiting_payment ─paid─▶ in_production
//! quality:      draft ─submit─▶ awaiting_card ─card_received─▶ under_analysis
//!                 ─issuer's fault─▶ in_production (free)
//!                 ─driver's fault─▶ awaiting_driver_fix ─fixed─▶ awaiting_payment ─paid─▶ in_production
//! ```
//! Until « Valider », every step of the wizard may be revisited: the draft holds them all. Until
//! money is taken, the driver may cancel.

use crate::billing::{BillableItem, Fault, FeeTable, Price};
use crate::card::CardStatus;
use crate::contact::has_hidden_characters;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplacementReason {
    Loss,
    Theft,
    Quality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplacementStatus {
    Draft,
    AwaitingPayment,
    /// Quality: the card must be posted back with the return coupon.
    AwaitingCard,
    UnderAnalysis,
    /// Quality, the driver's fault: the error to fix before paying.
    AwaitingDriverFix,
    InProduction,
    Cancelled,
}

/// What the wizard gathered, as the summary shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ReplacementDeclaration {
    /// Loss and theft: « je m'engage à restituer la carte si je la retrouve ».
    pub commits_to_return: bool,
    /// Theft: the declaration made to the police or gendarmerie was uploaded.
    pub theft_declaration_uploaded: bool,
    /// Quality: what is wrong with the card.
    pub defect_description: String,
    /// Quality: how many elements of the card are defective.
    pub defective_elements: u32,
    pub has_delivery_address: bool,
    pub has_billing_address: bool,
}

/// The longest defect description.
pub const DEFECT_DESCRIPTION_MAX: usize = 1000;
/// The longest note on a replacement: the driver's « ce que j'ai corrigé », the agent's analysis.
pub const CASE_NOTE_MAX: usize = 1000;
/// The most defective elements a card can show (each printed field, the photo, the chip…).
pub const DEFECTIVE_ELEMENTS_MAX: u32 = 20;

/// What is missing before « Valider », each named so the wizard can go back to its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplacementGap {
    CommitmentToReturn,
    TheftDeclaration,
    DefectDescription,
    DefectiveElements,
    DeliveryAddress,
    BillingAddress,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum ReplacementTransitionError {
    #[error("the declaration is incomplete")]
    Incomplete { gaps: Vec<ReplacementGap> },
    #[error("this step does not follow the replacement's state")]
    WrongState { status: ReplacementStatus },
    #[error("only a quality replacement has its card returned and analysed")]
    NotAQualityReplacement,
    #[error("this card cannot be replaced")]
    CardNotReplaceable { card_status: CardStatus },
}

/// The coupon posted with a defective card (a PDF the app produces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ReturnCoupon {
    pub replacement_id: String,
    pub card_number: String,
    pub holder: String,
    pub defect_description: String,
    pub defective_elements: u32,
    /// Where to post the card.
    pub return_address_lines: Vec<String>,
    /// ISO date.
    pub declared_on: String,
}

/// A replacement's reason and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Replacement {
    pub reason: ReplacementReason,
    pub status: ReplacementStatus,
}

type Step = Result<Replacement, ReplacementTransitionError>;

impl Replacement {
    /// A card the driver received may be replaced; one still on its way, returned, or already
    /// replaced may not.
    pub fn start(reason: ReplacementReason, card_status: CardStatus) -> Step {
        match card_status {
            CardStatus::Delivered | CardStatus::Activated => Ok(Self::draft(reason)),
            card_status => Err(ReplacementTransitionError::CardNotReplaceable { card_status }),
        }
    }

    pub fn draft(reason: ReplacementReason) -> Self {
        Self { reason, status: ReplacementStatus::Draft }
    }

    /// Still open: it holds its card, and no other replacement of that card may start.
    pub fn is_open(&self) -> bool {
        !matches!(self.status, ReplacementStatus::InProduction | ReplacementStatus::Cancelled)
    }

    /// The wizard's steps may be revisited until « Valider ».
    pub fn may_edit(&self) -> Result<(), ReplacementTransitionError> {
        self.expect(ReplacementStatus::Draft)
    }

    /// Before any money is taken and before the card is posted back.
    pub fn cancel(&self) -> Step {
        match self.status {
            ReplacementStatus::Draft | ReplacementStatus::AwaitingPayment | ReplacementStatus::AwaitingCard => {
                Ok(self.to(ReplacementStatus::Cancelled))
            }
            status => Err(ReplacementTransitionError::WrongState { status }),
        }
    }

    fn expect(&self, status: ReplacementStatus) -> Result<(), ReplacementTransitionError> {
        if self.status == status {
            Ok(())
        } else {
            Err(ReplacementTransitionError::WrongState { status: self.status })
        }
    }

    fn to(self, status: ReplacementStatus) -> Replacement {
        Replacement { status, ..self }
    }

    /// What « Valider » still needs: every gap at once.
    pub fn gaps(&self, declaration: &ReplacementDeclaration) -> Vec<ReplacementGap> {
        let mut gaps = Vec::new();
        match self.reason {
            ReplacementReason::Loss | ReplacementReason::Theft => {
                if !declaration.commits_to_return {
                    gaps.push(ReplacementGap::CommitmentToReturn);
                }
                if self.reason == ReplacementReason::Theft && !declaration.theft_declaration_uploaded {
                    gaps.push(ReplacementGap::TheftDeclaration);
                }
            }
            ReplacementReason::Quality => {
                let description = declaration.defect_description.trim();
                if description.is_empty()
                    || description.chars().count() > DEFECT_DESCRIPTION_MAX
                    || has_hidden_characters(description)
                {
                    gaps.push(ReplacementGap::DefectDescription);
                }
                if declaration.defective_elements == 0 {
                    gaps.push(ReplacementGap::DefectiveElements);
                }
            }
        }
        if !declaration.has_delivery_address {
            gaps.push(ReplacementGap::DeliveryAddress);
        }
        // A quality replacement may cost nothing; the billing address is asked only when paying.
        if self.reason != ReplacementReason::Quality && !declaration.has_billing_address {
            gaps.push(ReplacementGap::BillingAddress);
        }
        gaps
    }

    /// « Valider »: loss and theft go to payment; a defective card is waited for.
    pub fn submit(&self, declaration: &ReplacementDeclaration) -> Step {
        self.expect(ReplacementStatus::Draft)?;
        let gaps = self.gaps(declaration);
        if !gaps.is_empty() {
            return Err(ReplacementTransitionError::Incomplete { gaps });
        }
        Ok(self.to(match self.reason {
            ReplacementReason::Loss | ReplacementReason::Theft => ReplacementStatus::AwaitingPayment,
            ReplacementReason::Quality => ReplacementStatus::AwaitingCard,
        }))
    }

    fn quality_only(&self) -> Result<(), ReplacementTransitionError> {
        match self.reason {
            ReplacementReason::Quality => Ok(()),
            _ => Err(ReplacementTransitionError::NotAQualityReplacement),
        }
    }

    /// The agent records the returned card's arrival.
    pub fn card_received(&self) -> Step {
        self.quality_only()?;
        self.expect(ReplacementStatus::AwaitingCard)?;
        Ok(self.to(ReplacementStatus::UnderAnalysis))
    }

    /// The analysis: the issuer's fault is replaced at once and free; the driver's waits for the
    /// driver to fix the error and pay.
    pub fn analysed(&self, fault: Fault) -> Step {
        self.quality_only()?;
        self.expect(ReplacementStatus::UnderAnalysis)?;
        Ok(self.to(match fault {
            Fault::Issuer => ReplacementStatus::InProduction,
            Fault::Driver => ReplacementStatus::AwaitingDriverFix,
        }))
    }

    /// The driver corrected what was theirs to correct (and gave a billing address).
    pub fn driver_fixed(&self) -> Step {
        self.quality_only()?;
        self.expect(ReplacementStatus::AwaitingDriverFix)?;
        Ok(self.to(ReplacementStatus::AwaitingPayment))
    }

    /// An approved payment sends the card to production; a declined one changes nothing.
    pub fn paid(&self) -> Step {
        self.expect(ReplacementStatus::AwaitingPayment)?;
        Ok(self.to(ReplacementStatus::InProduction))
    }

    /// What the driver pays: a loss or a theft always; a defect only once the analysis found it
    /// to be the driver's fault (before that nothing is due, and the issuer's fault is free).
    pub fn price(&self, fault: Option<Fault>, fees: &FeeTable) -> Option<Price> {
        match (self.reason, fault) {
            (ReplacementReason::Quality, Some(Fault::Driver))
            | (ReplacementReason::Loss | ReplacementReason::Theft, _) => fees.price(self.billable_item(), fault),
            (ReplacementReason::Quality, _) => None,
        }
    }

    /// What the payment of this replacement is for.
    pub fn billable_item(&self) -> BillableItem {
        match self.reason {
            ReplacementReason::Loss | ReplacementReason::Theft => BillableItem::ReplacementCard,
            ReplacementReason::Quality => BillableItem::QualityReplacementCard,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReplacementReason::*;
    use ReplacementStatus::*;

    fn complete() -> ReplacementDeclaration {
        ReplacementDeclaration {
            commits_to_return: true,
            theft_declaration_uploaded: true,
            defect_description: "Date de naissance erronée".into(),
            defective_elements: 1,
            has_delivery_address: true,
            has_billing_address: true,
        }
    }

    fn at(reason: ReplacementReason, status: ReplacementStatus) -> Replacement {
        Replacement { reason, status }
    }

    #[test]
    fn a_loss_is_paid_then_produced() {
        let sent = Replacement::draft(Loss).submit(&complete()).unwrap();
        assert_eq!(sent, at(Loss, AwaitingPayment));
        assert_eq!(sent.paid().unwrap(), at(Loss, InProduction));
        assert_eq!(sent.billable_item(), BillableItem::ReplacementCard);
    }

    #[test]
    fn a_loss_needs_the_commitment_and_both_addresses() {
        let empty = ReplacementDeclaration::default();
        assert_eq!(
            Replacement::draft(Loss).submit(&empty),
            Err(ReplacementTransitionError::Incomplete {
                gaps: vec![
                    ReplacementGap::CommitmentToReturn,
                    ReplacementGap::DeliveryAddress,
                    ReplacementGap::BillingAddress
                ]
            })
        );
    }

    #[test]
    fn a_theft_also_needs_the_declaration_to_the_authorities() {
        let without = ReplacementDeclaration { theft_declaration_uploaded: false, ..complete() };
        assert_eq!(
            Replacement::draft(Theft).submit(&without),
            Err(ReplacementTransitionError::Incomplete { gaps: vec![ReplacementGap::TheftDeclaration] })
        );
        assert_eq!(Replacement::draft(Theft).submit(&complete()).unwrap().status, AwaitingPayment);
    }

    #[test]
    fn a_defect_that_is_the_issuers_fault_is_replaced_free() {
        let sent = Replacement::draft(Quality).submit(&complete()).unwrap();
        assert_eq!(sent.status, AwaitingCard);
        let analysed = sent.card_received().unwrap().analysed(Fault::Issuer).unwrap();
        assert_eq!(analysed.status, InProduction);
        assert!(analysed.paid().is_err(), "nothing to pay");
    }

    #[test]
    fn a_defect_that_is_the_drivers_fault_is_fixed_and_paid() {
        let analysed = at(Quality, UnderAnalysis).analysed(Fault::Driver).unwrap();
        assert_eq!(analysed.status, AwaitingDriverFix);
        assert_eq!(analysed.paid(), Err(ReplacementTransitionError::WrongState { status: AwaitingDriverFix }));
        let fixed = analysed.driver_fixed().unwrap();
        assert_eq!(fixed.paid().unwrap().status, InProduction);
    }

    #[test]
    fn a_quality_declaration_names_the_defect_and_counts_its_elements() {
        let vague = ReplacementDeclaration { defect_description: "  ".into(), defective_elements: 0, ..complete() };
        assert_eq!(
            Replacement::draft(Quality).gaps(&vague),
            vec![ReplacementGap::DefectDescription, ReplacementGap::DefectiveElements]
        );
        let no_billing = ReplacementDeclaration { has_billing_address: false, ..complete() };
        assert!(Replacement::draft(Quality).gaps(&no_billing).is_empty(), "billing only when paying");
    }

    #[test]
    fn every_other_step_is_refused() {
        type NamedStep = (&'static str, fn(&Replacement) -> Step);
        let steps: [NamedStep; 4] = [
            ("card_received", Replacement::card_received),
            ("driver_fixed", Replacement::driver_fixed),
            ("paid", Replacement::paid),
            ("issuer", |r| r.analysed(Fault::Issuer)),
        ];
        let allowed = [
            ("card_received", Quality, AwaitingCard),
            ("driver_fixed", Quality, AwaitingDriverFix),
            ("paid", Loss, AwaitingPayment),
            ("paid", Theft, AwaitingPayment),
            ("paid", Quality, AwaitingPayment),
            ("issuer", Quality, UnderAnalysis),
        ];
        let statuses =
            [Draft, AwaitingPayment, AwaitingCard, UnderAnalysis, AwaitingDriverFix, InProduction, Cancelled];
        for (name, step) in steps {
            for reason in [Loss, Theft, Quality] {
                for status in statuses {
                    let ok = step(&at(reason, status)).is_ok();
                    assert_eq!(ok, allowed.contains(&(name, reason, status)), "{name} {reason:?} {status:?}");
                }
            }
        }
        assert!(at(Loss, AwaitingPayment).submit(&complete()).is_err(), "submitted once");
    }

    #[test]
    fn a_defect_costs_nothing_until_the_analysis_finds_it_is_the_drivers() {
        let fees = FeeTable::default();
        assert_eq!(Replacement::draft(Loss).price(None, &fees).unwrap().gross.0, 3000);
        assert_eq!(Replacement::draft(Theft).price(None, &fees).unwrap().item, BillableItem::ReplacementCard);
        assert_eq!(Replacement::draft(Quality).price(None, &fees), None);
        assert_eq!(Replacement::draft(Quality).price(Some(Fault::Issuer), &fees), None);
        let drivers = Replacement::draft(Quality).price(Some(Fault::Driver), &fees).unwrap();
        assert_eq!((drivers.item, drivers.gross.0), (BillableItem::QualityReplacementCard, 3000));
    }

    #[test]
    fn only_a_received_card_may_be_replaced() {
        for status in CardStatus::ALL {
            let allowed = matches!(status, CardStatus::Delivered | CardStatus::Activated);
            assert_eq!(Replacement::start(Loss, status).is_ok(), allowed, "{status:?}");
        }
    }

    #[test]
    fn a_replacement_is_cancelled_only_before_money_or_the_card_changes_hands() {
        for status in [Draft, AwaitingPayment, AwaitingCard] {
            assert_eq!(at(Loss, status).cancel().unwrap().status, Cancelled);
        }
        for status in [UnderAnalysis, AwaitingDriverFix, InProduction, Cancelled] {
            assert!(at(Quality, status).cancel().is_err(), "{status:?}");
        }
        assert!(at(Loss, Draft).may_edit().is_ok() && at(Loss, AwaitingPayment).may_edit().is_err());
        assert!(at(Loss, AwaitingPayment).is_open() && !at(Loss, Cancelled).is_open());
    }
}
