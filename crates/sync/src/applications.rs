//! The card application and the card on the wire (guide steps 05–07 and 12): what the driver
//! and the agent send and read.

use crate::api::{AuditEntry, Timestamp};
use cqc_domain::application::{ApplicationState, CorrectionItem, DocumentKind, Entitlement, NotEligible};
use cqc_domain::audit::AuditAction;
use cqc_domain::card::{CardEvent, CardStatus};
pub use cqc_domain::card::{CardFace, CardHolder};
use cqc_domain::contact::AddressInput;
use cqc_domain::training::Qualification;
use cqc_domain::upload::FileFormat;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether « Commencer » is open, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Eligibility {
    pub entitlement: Option<Entitlement>,
    pub not_eligible: Option<NotEligible>,
}

/// « Commencer »: the desktop names the application, so that a retried request creates one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct NewApplication {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub format: FileFormat,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    pub uploaded_at: Timestamp,
}

/// One line of « Mes demandes en cours »'s unfolded timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub action: AuditAction,
    /// The French sentence written at the time (kept for the archive; screens word `action`).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationView {
    pub id: String,
    pub state: ApplicationState,
    pub documents: Vec<DocumentInfo>,
    pub delivery_address: Option<AddressInput>,
    pub qualifications: Vec<Qualification>,
    /// ISO date: the code 95 expiry the card will carry.
    pub card_expiry: String,
    pub refusal_reason: Option<String>,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub timeline: Vec<TimelineEntry>,
    /// The card made from it, once approved.
    pub card_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct DeliveryAddressRequest {
    pub address: AddressInput,
}

/// How much of an upload the server holds: the next chunk starts there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct UploadProgress {
    #[ts(type = "number")]
    pub received: u64,
}

/// The end of an upload: the whole file's size and SHA-256, checked against what arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CompleteUpload {
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationQueueEntry {
    pub application_id: String,
    pub driver_name: String,
    pub state: ApplicationState,
    pub submitted_at: Timestamp,
    /// Hours since it was sent.
    #[ts(type = "number")]
    pub age_hours: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationQueue {
    /// Sent, not yet opened by an agent.
    pub to_process: u32,
    pub in_processing: u32,
    /// A correction request is waiting for the driver.
    pub waiting_for_driver: u32,
    pub entries: Vec<ApplicationQueueEntry>,
    /// The files waiting for an agent, the one sent longest ago first: « Dossier suivant » opens
    /// the first that is not on screen.
    pub waiting_order: Vec<String>,
}

/// What an agent sees of an application: the file, who the driver is, and every action taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationFile {
    pub application: ApplicationView,
    pub driver: CardHolder,
    pub history: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct RefusalRequest {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationCorrectionRequest {
    pub items: Vec<CorrectionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CardView {
    pub id: String,
    pub application_id: String,
    pub status: CardStatus,
    pub face: CardFace,
    /// Where the card is (or was last) sent.
    pub delivery_address: Option<AddressInput>,
    /// A new address given after a returned mail, waiting for the re-shipping fee.
    pub pending_address: Option<AddressInput>,
    pub timeline: Vec<TimelineEntry>,
}

/// The agent moves one card or a batch one step; all of them, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CardStepRequest {
    pub card_ids: Vec<String>,
    pub event: CardEvent,
}

/// A text message as the SMS outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct SmsMessage {
    pub phone: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// What the driver reads when a file is refused, on the desktop before upload and from the
/// server after it.
pub fn file_problem_message(problem: cqc_domain::upload::FileProblem) -> String {
    use cqc_domain::upload::FileProblem;
    match problem {
        FileProblem::Empty => "Le fichier est vide.".to_owned(),
        FileProblem::TooLarge { max_bytes } => {
            format!("Le fichier dépasse {} Mo : réduisez-le ou scannez-le de nouveau.", max_bytes / (1024 * 1024))
        }
        FileProblem::NotAnImageOrPdf => "Ce fichier n'est ni une photo (JPEG, PNG) ni un PDF.".to_owned(),
        FileProblem::PdfNotAccepted => "Cet élément doit être une image (JPEG ou PNG).".to_owned(),
        FileProblem::Unreadable => "Ce fichier est illisible ou n'est pas du type annoncé.".to_owned(),
        FileProblem::ResolutionTooLow { min_width, min_height } => {
            format!("L'image est trop petite pour être lue (au moins {min_width} × {min_height} pixels).")
        }
        FileProblem::ResolutionTooHigh { max_side } => {
            format!("L'image est trop grande : {max_side} pixels au plus de chaque côté. Réduisez-la ou scannez-la à 300 dpi.")
        }
        FileProblem::PdfTooHeavy { max_inflated_bytes } => format!(
            "Ce PDF se décompresse en plus de {} Mo : enregistrez-le de nouveau (« Imprimer » → PDF) ou envoyez une photo du document.",
            max_inflated_bytes / (1024 * 1024)
        ),
        FileProblem::PdfActiveContent => "Ce PDF contient des éléments actifs (script, action automatique, fichier joint) : \
             enregistrez-le de nouveau (« Imprimer » → PDF) ou envoyez une photo du document."
            .to_owned(),
    }
}
