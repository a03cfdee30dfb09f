//! What a driver pays, and the invoice it produces (special cases 01–03): amounts in cents, the
//! fee table, VAT, invoice numbers without gaps, and a card payment's life.

use crate::form::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// An amount in euro cents; never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export, type = "number")]
pub struct Cents(pub i64);

impl Cents {
    /// `25,00 €`, as French invoices write amounts.
    pub fn french(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i) % 3 == 0 {
                grouped.push('\u{202f}');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped},{:02} €", abs % 100)
    }
}

/// What can be charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BillableItem {
    /// An identical card after a loss or a theft.
    ReplacementCard,
    /// A new card after a defect that is the driver's fault.
    QualityReplacementCard,
    /// Sending a returned card again to a new address.
    Reshipping,
}

impl BillableItem {
    pub fn title_fr(self) -> &'static str {
        match self {
            Self::ReplacementCard => "Carte de qualification de conducteur — duplicata (perte ou vol)",
            Self::QualityReplacementCard => "Carte de qualification de conducteur — remplacement (défaut)",
            Self::Reshipping => "Réexpédition de la carte à une nouvelle adresse",
        }
    }
}

/// The fees, before tax, and the VAT rate in basis points (2000 = 20 %): a configuration, not code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct FeeTable {
    pub replacement_card: Cents,
    pub quality_replacement_card: Cents,
    pub reshipping: Cents,
    pub vat_basis_points: u32,
}

impl Default for FeeTable {
    fn default() -> Self {
        Self {
            replacement_card: Cents(2500),
            quality_replacement_card: Cents(2500),
            reshipping: Cents(600),
            vat_basis_points: 2000,
        }
    }
}

/// Who caused a defect, as the issuer's analysis of the returned card finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Fault {
    Issuer,
    Driver,
}

/// One line of an invoice: before tax, VAT, total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Price {
    pub item: BillableItem,
    pub net: Cents,
    pub vat: Cents,
    pub gross: Cents,
}

impl FeeTable {
    /// The price of an item; the issuer's own fault costs the driver nothing (`None`).
    pub fn price(&self, item: BillableItem, fault: Option<Fault>) -> Option<Price> {
        if fault == Some(Fault::Issuer) {
            return None;
        }
        let net = match item {
            BillableItem::ReplacementCard => self.replacement_card,
            BillableItem::QualityReplacementCard => self.quality_replacement_card,
            BillableItem::Reshipping => self.reshipping,
        };
        // VAT rounded half up to the cent, as the tax administration accepts per line.
        let vat = Cents((net.0 * i64::from(self.vat_basis_points) + 5_000) / 10_000);
        Some(Price { item, net, vat, gross: Cents(net.0 + vat.0) })
    }
}

/// `FAC-2026-000042`: the year of issue and a number that follows the previous invoice's with
/// no gap and no repeat (the server takes it under a lock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export, type = "string")]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    pub fn new(year: i32, sequence: u32) -> Self {
        Self(format!("FAC-{year}-{sequence:06}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A seller or a buyer as an invoice names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Party {
    pub name: String,
    pub address_lines: Vec<String>,
    /// The seller's SIRET and VAT number; none for a private buyer.
    pub identifiers: Vec<String>,
}

/// An invoice: what French law asks of one (number, date, seller, buyer, each line before tax,
/// VAT, total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Invoice {
    pub number: InvoiceNumber,
    /// ISO date.
    pub issued_on: String,
    pub seller: Party,
    pub buyer: Party,
    pub lines: Vec<Price>,
    pub vat_basis_points: u32,
    /// The payment it acknowledges (the processor's reference).
    pub payment_reference: String,
}

impl Invoice {
    /// (before tax, VAT, total) of all lines.
    pub fn totals(&self) -> (Cents, Cents, Cents) {
        self.lines.iter().fold((Cents(0), Cents(0), Cents(0)), |(n, v, g), line| {
            (Cents(n.0 + line.net.0), Cents(v.0 + line.vat.0), Cents(g.0 + line.gross.0))
        })
    }
}

/// Invoice duplicates stay downloadable this many years.
pub const INVOICE_RETENTION_YEARS: i32 = 10;

/// A card payment's life at the processor.
///
/// ```text
/// pending ──▶ approved
///    │  └──▶ declined (reason)        ┐ a new attempt may follow,
///    ├──▶ timed_out                    ┘ the replacement stays intact
///    └──▶ challenge ──▶ approved | declined | timed_out
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentStatus {
    Pending,
    /// 3-D Secure: the cardholder must confirm with their bank.
    Challenge,
    Approved,
    Declined {
        reason: DeclineReason,
    },
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeclineReason {
    InsufficientFunds,
    CardExpired,
    ChallengeFailed,
    Refused,
}

impl DeclineReason {
    pub fn french(self) -> &'static str {
        match self {
            Self::InsufficientFunds => "Paiement refusé : provision insuffisante. Aucun montant n'a été débité.",
            Self::CardExpired => "Paiement refusé : la carte bancaire a expiré. Aucun montant n'a été débité.",
            Self::ChallengeFailed => {
                "Paiement refusé : la confirmation auprès de votre banque a échoué. Aucun montant n'a été débité."
            }
            Self::Refused => "Paiement refusé par votre banque. Aucun montant n'a été débité.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this payment is already settled")]
pub struct PaymentSettled;

impl PaymentStatus {
    /// The processor's answer moves a pending or challenged payment; a settled one never moves.
    pub fn settle(&self, answer: PaymentStatus) -> Result<PaymentStatus, PaymentSettled> {
        match (self, &answer) {
            (Self::Pending, _) | (Self::Challenge, Self::Approved | Self::Declined { .. } | Self::TimedOut) => {
                Ok(answer)
            }
            _ => Err(PaymentSettled),
        }
    }

    /// Money was taken: an invoice follows.
    pub fn is_paid(&self) -> bool {
        *self == Self::Approved
    }

    /// Over without money taken: the driver may try again.
    pub fn may_retry(&self) -> bool {
        matches!(self, Self::Declined { .. } | Self::TimedOut)
    }

    /// Why a payment failed, in French, and that nothing was charged.
    pub fn failure_fr(&self) -> Option<&'static str> {
        match self {
            Self::Declined { reason } => Some(reason.french()),
            Self::TimedOut => Some(
                "Le paiement n'a pas abouti : la banque n'a pas répondu à temps. Aucun montant n'a été débité ; \
                 vous pouvez réessayer.",
            ),
            _ => None,
        }
    }
}

/// The bank card form, as typed. Never stored anywhere: it goes to the payment processor and is
/// forgotten; only its last four digits are kept.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct BankCardInput {
    pub holder: String,
    pub number: String,
    /// `MM/AA`.
    pub expiry: String,
    pub security_code: String,
}

/// Written by hand so that a card number never reaches a log.
impl std::fmt::Debug for BankCardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankCardInput").field("holder", &self.holder).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BankCardField {
    Holder,
    Number,
    Expiry,
    SecurityCode,
}

pub type BankCardErrors = BTreeMap<BankCardField, FieldError>;

/// A bank card whose form was checked: digits only, a future expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct BankCard {
    pub holder: String,
    pub number: String,
    pub expiry_month: u8,
    pub expiry_year: i32,
    pub security_code: String,
}

impl std::fmt::Debug for BankCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BankCard(…{})", self.last_four())
    }
}

impl BankCard {
    /// What is kept of the card: its last four digits, to show on the payment and invoice.
    pub fn last_four(&self) -> String {
        self.number[self.number.len() - 4..].to_owned()
    }
}

impl BankCardInput {
    /// Every field's error at once. A card is valid through the last day of its expiry month.
    pub fn check(&self, today: time::Date) -> Result<BankCard, BankCardErrors> {
        let mut errors = BankCardErrors::new();
        let holder = self.holder.trim();
        if holder.is_empty() {
            errors.insert(BankCardField::Holder, FieldError::Required);
        } else if holder.chars().count() > 60 {
            errors.insert(BankCardField::Holder, FieldError::TooLong { max: 60 });
        } else if crate::contact::has_hidden_characters(holder) {
            errors.insert(BankCardField::Holder, FieldError::HiddenCharacters);
        }
        let number: String = self.number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits_only = number.bytes().all(|b| b.is_ascii_digit());
        if number.is_empty() {
            errors.insert(BankCardField::Number, FieldError::Required);
        } else if !digits_only || !(13..=19).contains(&number.len()) || !luhn_valid(&number) {
            errors.insert(BankCardField::Number, FieldError::InvalidBankCardNumber);
        }
        let expiry = parse_expiry(&self.expiry);
        match expiry {
            _ if self.expiry.trim().is_empty() => {
                errors.insert(BankCardField::Expiry, FieldError::Required);
            }
            None => {
                errors.insert(BankCardField::Expiry, FieldError::InvalidExpiry);
            }
            Some((month, year)) if (year, month) < (today.year(), today.month() as u8) => {
                errors.insert(BankCardField::Expiry, FieldError::BankCardExpired);
            }
            Some(_) => {}
        }
        let code = self.security_code.trim();
        if code.is_empty() {
            errors.insert(BankCardField::SecurityCode, FieldError::Required);
        } else if !(3..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            errors.insert(BankCardField::SecurityCode, FieldError::InvalidSecurityCode);
        }
        match (errors.is_empty(), expiry) {
            (true, Some((expiry_month, expiry_year))) => Ok(BankCard {
                holder: holder.to_owned(),
                number,
                expiry_month,
                expiry_year,
                security_code: code.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

fn luhn_valid(digits: &str) -> bool {
    let (body, check) = digits.split_at(digits.len() - 1);
    crate::card::luhn_check_digit(body).to_string() == check
}

/// `MM/AA` (or `MM/AAAA`) → (month, full year).
fn parse_expiry(text: &str) -> Option<(u8, i32)> {
    let (month, year) = text.trim().split_once('/')?;
    let month: u8 = month.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
    let year = year.trim();
    let year: i32 = match year.len() {
        2 => 2000 + year.parse::<i32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Some((month, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(Cents(2500).french(), "25,00 €");
        assert_eq!(Cents(5).french(), "0,05 €");
        assert_eq!(Cents(12_345_678).french(), "123\u{202f}456,78 €");
        assert_eq!(Cents(-600).french(), "-6,00 €");
    }

    #[test]
    fn a_price_is_net_plus_vat_rounded_half_up() {
        let table = FeeTable::default();
        let price = table.price(BillableItem::ReplacementCard, None).unwrap();
        assert_eq!((price.net, price.vat, price.gross), (Cents(2500), Cents(500), Cents(3000)));
        let odd = FeeTable { reshipping: Cents(333), ..table };
        // 333 × 20 % = 66.6 cents → 67.
        assert_eq!(odd.price(BillableItem::Reshipping, None).unwrap().vat, Cents(67));
        let quarter = FeeTable { reshipping: Cents(1), vat_basis_points: 5000, ..table };
        // 0.5 cent → 1 cent.
        assert_eq!(quarter.price(BillableItem::Reshipping, None).unwrap().vat, Cents(1));
    }

    #[test]
    fn the_issuers_fault_costs_nothing_and_the_drivers_is_charged() {
        let table = FeeTable::default();
        assert_eq!(table.price(BillableItem::QualityReplacementCard, Some(Fault::Issuer)), None);
        assert_eq!(table.price(BillableItem::QualityReplacementCard, Some(Fault::Driver)).unwrap().gross, Cents(3000));
    }

    #[test]
    fn an_invoice_adds_up_its_lines() {
        let table = FeeTable::default();
        let invoice = Invoice {
            number: InvoiceNumber::new(2026, 1),
            issued_on: "2026-11-25".into(),
            seller: Party { name: "Service CQC".into(), address_lines: vec![], identifiers: vec![] },
            buyer: Party { name: "Jean Dupont".into(), address_lines: vec![], identifiers: vec![] },
            lines: vec![
                table.price(BillableItem::ReplacementCard, None).unwrap(),
                table.price(BillableItem::Reshipping, None).unwrap(),
            ],
            vat_basis_points: table.vat_basis_points,
            payment_reference: "pay_1".into(),
        };
        assert_eq!(invoice.totals(), (Cents(3100), Cents(620), Cents(3720)));
    }

    #[test]
    fn invoice_numbers_follow_each_other() {
        assert_eq!(InvoiceNumber::new(2026, 1).as_str(), "FAC-2026-000001");
        assert_eq!(InvoiceNumber::new(2026, 42).as_str(), "FAC-2026-000042");
    }

    #[test]
    fn a_settled_payment_never_moves_and_a_failed_one_may_be_retried() {
        use PaymentStatus::*;
        let declined = Declined { reason: DeclineReason::InsufficientFunds };
        assert_eq!(Pending.settle(Challenge), Ok(Challenge));
        assert_eq!(Challenge.settle(Approved), Ok(Approved));
        assert_eq!(Challenge.settle(Challenge), Err(PaymentSettled));
        for settled in [Approved, declined.clone(), TimedOut] {
            assert_eq!(settled.settle(Approved), Err(PaymentSettled), "{settled:?}");
        }
        assert!(Approved.is_paid() && !Approved.may_retry());
        assert!(declined.may_retry() && TimedOut.may_retry() && !Pending.may_retry());
        assert!(declined.failure_fr().unwrap().contains("provision insuffisante"));
        assert!(TimedOut.failure_fr().unwrap().contains("Aucun montant n'a été débité"));
        assert_eq!(Approved.failure_fr(), None);
    }

    fn card(number: &str, expiry: &str, code: &str) -> BankCardInput {
        BankCardInput {
            holder: "Jean Dupont".into(),
            number: number.into(),
            expiry: expiry.into(),
            security_code: code.into(),
        }
    }

    #[test]
    fn a_bank_card_form_is_checked_before_anything_is_sent() {
        let today = time::macros::date!(2026 - 11 - 25);
        let good = card("4242 4242 4242 4242", "11/26", "123").check(today).unwrap();
        assert_eq!((good.number.as_str(), good.expiry_month, good.expiry_year), ("4242424242424242", 11, 2026));
        assert_eq!(good.last_four(), "4242");
        assert!(!format!("{good:?}{:?}", card("4242424242424242", "", "")).contains("42424242"), "never logged");
        let errors = card("4242 4242 4242 4241", "10/26", "12").check(today).unwrap_err();
        assert_eq!(errors.get(&BankCardField::Number), Some(&FieldError::InvalidBankCardNumber));
        assert_eq!(errors.get(&BankCardField::Expiry), Some(&FieldError::BankCardExpired));
        assert_eq!(errors.get(&BankCardField::SecurityCode), Some(&FieldError::InvalidSecurityCode));
        let errors = BankCardInput { expiry: "13/27".into(), ..BankCardInput::default() }.check(today).unwrap_err();
        assert_eq!(errors.get(&BankCardField::Holder), Some(&FieldError::Required));
        assert_eq!(errors.get(&BankCardField::Number), Some(&FieldError::Required));
        assert_eq!(errors.get(&BankCardField::Expiry), Some(&FieldError::InvalidExpiry));
        assert!(card("4242424242424242", "01/2031", "1234").check(today).is_ok());
    }
}
