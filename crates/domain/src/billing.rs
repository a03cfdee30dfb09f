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

/// The sums of an invoice's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub net: Cents,
    pub vat: Cents,
    pub gross: Cents,
}

impl Invoice {
    pub fn totals(&self) -> Totals {
        self.lines.iter().fold(Totals { net: Cents(0), vat: Cents(0), gross: Cents(0) }, |sum, line| Totals {
            net: Cents(sum.net.0 + line.net.0),
            vat: Cents(sum.vat.0 + line.vat.0),
            gross: Cents(sum.gross.0 + line.gross.0),
        })
    }

    /// Whether its duplicate can still be downloaded on `today`: through the issue day's date
    /// 10 years on (art. 641). An unreadable date keeps it.
    pub fn is_kept_on(&self, today: time::Date) -> bool {
        crate::registration::parse_iso_date(&self.issued_on)
            .is_none_or(|issued| today <= crate::calendar::add_years(issued, INVOICE_RETENTION_YEARS))
    }
}

/// Invoice duplicates stay downloadable this many years.
pub const INVOICE_RETENTION_YEARS: i32 = 10;

/// A card payment as the driver sees it (its life is [`PaymentAttempt`]). After `declined` or
/// `timed_out` a new attempt may follow and the replacement stays intact.
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

/// A payment attempt as the service records it: what the driver sees ([`PaymentStatus`]), plus
/// the moment its 3-D Secure code is with the processor.
///
/// ```text
/// pending ──▶ approved | declined | timed_out | challenge
/// challenge ──▶ confirming (code sent) | declined (abandoned, expired)
/// confirming ──▶ approved | declined | timed_out | challenge (no answer: the code may be given again)
/// approved, declined, timed_out: settled, never move
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentAttempt {
    Pending,
    Challenge,
    Confirming,
    Approved,
    Declined(DeclineReason),
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a payment attempt cannot go from {from:?} to {to:?}")]
pub struct PaymentMoveRefused {
    pub from: PaymentAttempt,
    pub to: PaymentAttempt,
}

impl PaymentAttempt {
    /// A 3-D Secure step given up or left unanswered: nothing was charged.
    pub const ABANDONED: Self = Self::Declined(DeclineReason::ChallengeFailed);

    /// A 3-D Secure step left unanswered this long has expired at the bank too: the attempt is
    /// abandoned, so that the driver can pay again.
    pub const CHALLENGE_EXPIRY: time::Duration = time::Duration::minutes(15);

    /// The next state, if the machine allows it.
    pub fn move_to(self, to: PaymentAttempt) -> Result<PaymentAttempt, PaymentMoveRefused> {
        use PaymentAttempt::*;
        let allowed = match self {
            Pending => matches!(to, Approved | Declined(_) | TimedOut | Challenge),
            Challenge => matches!(to, Confirming | Declined(_)),
            Confirming => matches!(to, Approved | Declined(_) | TimedOut | Challenge),
            Approved | Declined(_) | TimedOut => false,
        };
        if allowed {
            Ok(to)
        } else {
            Err(PaymentMoveRefused { from: self, to })
        }
    }

    /// Waiting for the processor: its outcome may have to be looked up.
    pub fn is_in_flight(self) -> bool {
        matches!(self, Self::Pending | Self::Confirming)
    }

    /// Money was taken: the purpose is paid and an invoice follows.
    pub fn is_paid(self) -> bool {
        self == Self::Approved
    }

    /// A card or a code the bank refused: it counts against the account's refusals.
    pub fn is_refusal(self) -> bool {
        matches!(self, Self::Declined(_))
    }

    /// What the driver is shown: a code being checked is still « en cours ».
    pub fn status(self) -> PaymentStatus {
        match self {
            Self::Pending | Self::Confirming => PaymentStatus::Pending,
            Self::Challenge => PaymentStatus::Challenge,
            Self::Approved => PaymentStatus::Approved,
            Self::Declined(reason) => PaymentStatus::Declined { reason },
            Self::TimedOut => PaymentStatus::TimedOut,
        }
    }
}

impl PaymentStatus {
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

/// The longest card holder's name.
pub const CARD_HOLDER_MAX: u32 = 60;
/// A bank card number has 13 to 19 digits (ISO/IEC 7812).
pub const CARD_NUMBER_DIGITS: (u32, u32) = (13, 19);
/// The security code on the back: 3 digits, 4 on some networks.
pub const SECURITY_CODE_DIGITS: (u32, u32) = (3, 4);

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

// ts-rs exports types, not aliases: this names the map for TypeScript (the commands' contract).
/// The errors of a bank card's details, by field.
#[derive(TS)]
#[ts(export, rename = "BankCardErrors")]
#[allow(dead_code)]
struct BankCardErrorsExport(BankCardErrors);

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
        } else if holder.chars().count() > CARD_HOLDER_MAX as usize {
            errors.insert(BankCardField::Holder, FieldError::TooLong { max: CARD_HOLDER_MAX });
        } else if crate::contact::has_hidden_characters(holder) {
            errors.insert(BankCardField::Holder, FieldError::HiddenCharacters);
        }
        let number: String = self.number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits_only = number.bytes().all(|b| b.is_ascii_digit());
        if number.is_empty() {
            errors.insert(BankCardField::Number, FieldError::Required);
        } else if !digits_only || !within(number.len(), CARD_NUMBER_DIGITS) || !luhn_valid(&number) {
            let (min_digits, max_digits) = CARD_NUMBER_DIGITS;
            errors.insert(BankCardField::Number, FieldError::InvalidBankCardNumber { min_digits, max_digits });
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
        } else if !within(code.len(), SECURITY_CODE_DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
            let (min_digits, max_digits) = SECURITY_CODE_DIGITS;
            errors.insert(BankCardField::SecurityCode, FieldError::InvalidSecurityCode { min_digits, max_digits });
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

fn within(length: usize, (min, max): (u32, u32)) -> bool {
    (min as usize..=max as usize).contains(&length)
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
        assert_eq!(invoice.totals(), Totals { net: Cents(3100), vat: Cents(620), gross: Cents(3720) });
    }

    #[test]
    fn an_invoice_duplicate_is_kept_through_the_same_day_ten_years_on() {
        let invoice = |issued_on: &str| Invoice {
            number: InvoiceNumber::new(2028, 1),
            issued_on: issued_on.into(),
            seller: Party { name: "Service CQC".into(), address_lines: vec![], identifiers: vec![] },
            buyer: Party { name: "Jean Dupont".into(), address_lines: vec![], identifiers: vec![] },
            lines: vec![],
            vat_basis_points: 2000,
            payment_reference: "pay_1".into(),
        };
        assert!(invoice("2026-11-25").is_kept_on(time::macros::date!(2036 - 11 - 25)));
        assert!(!invoice("2026-11-25").is_kept_on(time::macros::date!(2036 - 11 - 26)));
        // Issued on 29 February: kept through 28 February ten years on.
        assert!(invoice("2028-02-29").is_kept_on(time::macros::date!(2038 - 02 - 28)));
        assert!(!invoice("2028-02-29").is_kept_on(time::macros::date!(2038 - 03 - 01)));
    }

    #[test]
    fn invoice_numbers_follow_each_other() {
        assert_eq!(InvoiceNumber::new(2026, 1).as_str(), "FAC-2026-000001");
        assert_eq!(InvoiceNumber::new(2026, 42).as_str(), "FAC-2026-000042");
    }

    #[test]
    fn a_settled_payment_never_moves() {
        use PaymentAttempt::*;
        let declined = Declined(DeclineReason::InsufficientFunds);
        for settled in [Approved, declined, TimedOut] {
            for to in [Pending, Challenge, Confirming, Approved, declined, TimedOut] {
                assert_eq!(settled.move_to(to), Err(PaymentMoveRefused { from: settled, to }), "{settled:?} → {to:?}");
            }
        }
    }

    #[test]
    fn a_challenge_is_confirmed_through_the_processor_or_abandoned() {
        use PaymentAttempt::*;
        assert_eq!(Pending.move_to(Challenge), Ok(Challenge));
        assert_eq!(Challenge.move_to(Confirming), Ok(Confirming));
        assert_eq!(Challenge.move_to(PaymentAttempt::ABANDONED), Ok(PaymentAttempt::ABANDONED));
        // The code must go to the processor first: a challenge is never approved directly.
        assert!(Challenge.move_to(Approved).is_err());
        // No answer to the code: it may be given again.
        assert_eq!(Confirming.move_to(Challenge), Ok(Challenge));
        assert_eq!(Confirming.move_to(Approved), Ok(Approved));
        assert!(Pending.move_to(Confirming).is_err());
    }

    #[test]
    fn the_driver_sees_a_code_being_checked_as_pending_and_why_a_payment_failed() {
        use PaymentAttempt::*;
        assert_eq!(Confirming.status(), PaymentStatus::Pending);
        assert!(Pending.is_in_flight() && Confirming.is_in_flight() && !Challenge.is_in_flight());
        assert!(Approved.is_paid() && !Confirming.is_paid());
        let declined = Declined(DeclineReason::InsufficientFunds);
        assert!(declined.is_refusal() && !TimedOut.is_refusal());
        assert!(declined.status().failure_fr().unwrap().contains("provision insuffisante"));
        assert!(TimedOut.status().failure_fr().unwrap().contains("Aucun montant n'a été débité"));
        assert_eq!(Approved.status().failure_fr(), None);
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
        assert_eq!(
            errors.get(&BankCardField::Number),
            Some(&FieldError::InvalidBankCardNumber { min_digits: 13, max_digits: 19 })
        );
        assert_eq!(errors.get(&BankCardField::Expiry), Some(&FieldError::BankCardExpired));
        assert_eq!(
            errors.get(&BankCardField::SecurityCode),
            Some(&FieldError::InvalidSecurityCode { min_digits: 3, max_digits: 4 })
        );
        let errors = BankCardInput { expiry: "13/27".into(), ..BankCardInput::default() }.check(today).unwrap_err();
        assert_eq!(errors.get(&BankCardField::Holder), Some(&FieldError::Required));
        assert_eq!(errors.get(&BankCardField::Number), Some(&FieldError::Required));
        assert_eq!(errors.get(&BankCardField::Expiry), Some(&FieldError::InvalidExpiry));
        assert!(card("4242424242424242", "01/2031", "1234").check(today).is_ok());
    }
}
