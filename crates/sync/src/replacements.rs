//! Replacement, payment, invoices and returned cards on the wire (the guide's special cases
//! 01–03): what the driver and the agent send and read.

use crate::api::Timestamp;
use crate::applications::TimelineEntry;
use cqc_domain::billing::{BankCardInput, Fault, InvoiceNumber, PaymentStatus, Price};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{ReplacementDeclaration, ReplacementGap, ReplacementReason, ReplacementStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// « Remplacement, Echange »: the desktop names the request, so that a retried call makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct NewReplacement {
    pub id: String,
    pub card_id: String,
    pub reason: ReplacementReason,
}

/// The declaration step of the wizard (what applies to the reason).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct DeclarationRequest {
    pub commits_to_return: bool,
    pub defect_description: String,
    pub defective_elements: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AddressRole {
    Delivery,
    Billing,
}

impl AddressRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delivery => "delivery",
            Self::Billing => "billing",
        }
    }
}

/// A replacement request as the wizard, « Mes demandes en cours » and the agent see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ReplacementView {
    pub id: String,
    pub card_id: String,
    pub card_number: String,
    pub holder: String,
    pub reason: ReplacementReason,
    pub status: ReplacementStatus,
    pub declaration: ReplacementDeclaration,
    pub delivery_address: Option<AddressInput>,
    pub billing_address: Option<AddressInput>,
    /// What « Valider » still needs.
    pub gaps: Vec<ReplacementGap>,
    /// What the driver pays when payment is due; none when it costs nothing.
    pub price: Option<Price>,
    pub fault: Option<Fault>,
    /// The analysis of a returned card: what the driver must correct.
    pub analysis_note: Option<String>,
    pub driver_fix: Option<String>,
    /// The card produced to replace it.
    pub new_card_id: Option<String>,
    /// The latest payment attempt, if any.
    pub last_payment: Option<PaymentView>,
    pub created_at: Timestamp,
    pub timeline: Vec<TimelineEntry>,
}

/// The driver's answer to a defect found to be theirs: what they corrected, and where the
/// invoice goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct DriverFixRequest {
    pub correction: String,
    pub billing_address: AddressInput,
}

/// What is paid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentPurpose {
    Replacement {
        replacement_id: String,
    },
    /// A returned card sent again to the new address the driver gave.
    Reshipping {
        card_id: String,
    },
}

impl PaymentPurpose {
    /// How the server files it: `replacement:<id>`, `reshipping:<card id>`.
    pub fn key(&self) -> String {
        match self {
            Self::Replacement { replacement_id } => format!("replacement:{replacement_id}"),
            Self::Reshipping { card_id } => format!("reshipping:{card_id}"),
        }
    }
}

/// « Payer »: the app makes one key per attempt and sends it again on a retry, so that a double
/// click or a retry after a cut charges once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PaymentRequest {
    pub idempotency_key: String,
    pub purpose: PaymentPurpose,
    pub card: BankCardInput,
}

/// The 3-D Secure step: the code the bank sent the cardholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ChallengeAnswer {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PaymentView {
    pub id: String,
    pub purpose: PaymentPurpose,
    pub status: PaymentStatus,
    /// Why it failed, in French, and that nothing was charged.
    pub message: Option<String>,
    pub price: Price,
    pub card_last_four: String,
    pub invoice_number: Option<InvoiceNumber>,
    pub created_at: Timestamp,
}

/// One line of « Mes factures ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct InvoiceSummary {
    pub number: InvoiceNumber,
    /// ISO date.
    pub issued_on: String,
    pub title: String,
    pub total: cqc_domain::billing::Cents,
}

/// The agent's analysis of a card posted back as defective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct AnalysisRequest {
    pub fault: Fault,
    /// What the driver must correct (required when the fault is theirs).
    pub note: String,
}

/// « Pli non distribué »: `None` confirms the address the card went to; a new address costs
/// the re-shipping fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ReturnedCardAnswer {
    pub new_address: Option<AddressInput>,
}
