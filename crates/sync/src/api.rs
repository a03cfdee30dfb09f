//! The API's request and response bodies. Every type here has a TypeScript twin (ts-rs), so the
//! UI never re-declares them.

use cqc_domain::account::{AccountStatus, AnalysisClock, ReviewItem, Role};
use cqc_domain::application::NotEligible;
use cqc_domain::audit::AuditAction;
use cqc_domain::password::PasswordRule;
use cqc_domain::photo::PhotoProblem;
use cqc_domain::registration::{FieldErrors, RegistrationInput};
use cqc_domain::signature::SignatureProblem;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const API_PREFIX: &str = "/api/v1";

/// The header that carries a request's id: the app makes one per request and writes it in its
/// log beside any failure; the server keeps it in the span of each log line and sends it back.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Timestamps travel as RFC 3339 strings.
pub type Timestamp = String;

/// Every failure the API answers with: a stable code for programs, a French sentence for people,
/// and the details the form needs to put each message next to its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema, thiserror::Error)]
#[error("{code:?}: {message}")]
#[ts(export)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    #[ts(optional, as = "Option<FieldErrors>")]
    pub fields: FieldErrors,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<PasswordRule>>")]
    pub unmet_password_rules: Vec<PasswordRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after_seconds: Option<i64>,
    /// The domain's reason, which the screen words in the person's language (boxed: most
    /// errors have none, and every `Result` of the server carries this type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<Reason>")]
    pub reason: Option<Box<Reason>>,
}

/// Why something was refused, as the domain says it: the screen words it (French or English,
/// in the feature's own words), `message` is for clients without the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Reason {
    /// The camera's frame fails the ID photo's checks, in the order to fix them.
    PhotoRefused { problems: Vec<PhotoProblem> },
    /// What was drawn on the pad is not a signature.
    SignatureRefused { problem: SignatureProblem },
    /// The driver cannot start an application now.
    NotEligible { why: NotEligible },
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: FieldErrors::new(),
            unmet_password_rules: Vec::new(),
            retry_after_seconds: None,
            reason: None,
        }
    }

    /// A refusal with the domain's reason.
    pub fn because(code: ErrorCode, reason: Reason, message: impl Into<String>) -> Self {
        Self { reason: Some(Box::new(reason)), ..Self::new(code, message) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The body is not the JSON the call expects.
    InvalidRequest,
    BodyTooLarge,
    /// One or more fields are wrong: see `fields`.
    InvalidFields,
    PasswordPolicy,
    PasswordMismatch,
    LinkInvalid,
    LinkExpired,
    LinkUsed,
    InvalidCredentials,
    /// Five wrong passwords in a row: wait `retry_after_seconds`, or use « Mot de passe oublié ».
    AccountLocked,
    /// Too many requests of this kind from this address or account: wait `retry_after_seconds`.
    RateLimited,
    /// The server is saturated for a moment (password hashing): retry after `retry_after_seconds`.
    ServiceBusy,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The action does not fit the current state (e.g. accepting twice).
    Conflict,
    /// A document file is refused: not what it claims, too large, unreadable, too small.
    InvalidFile,
    /// No application can be started: see the message for why and what to do.
    NotEligible,
    Internal,
    /// Client side only: the server could not be reached.
    Unreachable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct RegistrationReceipt {
    pub request_id: String,
    pub email: String,
    pub status: AccountStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
    pub profile: Profile,
}

/// Who is logged in, and for a driver the data of their registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Profile {
    pub account_id: String,
    pub role: Role,
    pub status: AccountStatus,
    pub email: String,
    pub display_name: String,
    pub registration: Option<RegistrationInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct SetPasswordRequest {
    pub token: String,
    /// At least 12 characters with an uppercase and a lowercase letter and a special character.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// The password typed again.
    #[schema(min_length = 12, max_length = 128)]
    pub confirmation: String,
}

/// What an emailed link is for, asked before showing its screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct LinkInfo {
    pub purpose: cqc_domain::account::LinkPurpose,
    pub email: String,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CorrectionView {
    pub registration: RegistrationInput,
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CorrectionRequest {
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct QueueEntry {
    pub request_id: String,
    pub display_name: String,
    pub email: String,
    pub submitted_at: Timestamp,
    pub clock: AnalysisClock,
    /// Sent again after a correction.
    pub resubmitted: bool,
}

/// A training whose trainee has an account's licence number and birth date but other names: the
/// agent says whether it is the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct IdentityCheckView {
    pub training_id: String,
    pub centre_name: String,
    pub centre_approval_number: String,
    /// The trainee as the centre recorded them.
    pub trainee: String,
    pub birth_date: String,
    pub licence_number: String,
    /// The training's kind and dates, as a sentence.
    pub training: String,
    /// The account holding the licence number, as registered.
    pub holder: String,
    pub holder_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct IdentityDecision {
    pub same_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct RegistrationQueue {
    pub count: u32,
    pub overdue: u32,
    pub entries: Vec<QueueEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct RegistrationFile {
    pub request_id: String,
    pub status: AccountStatus,
    pub submitted_at: Timestamp,
    pub clock: AnalysisClock,
    pub registration: RegistrationInput,
    pub history: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: Option<String>,
    pub action: AuditAction,
    /// The French sentence written at the time (kept for the archive; screens word `action`).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Notification {
    pub id: String,
    pub title: String,
    pub body: String,
    /// What « en savoir plus » opens, e.g. `application:<id>`.
    pub target: Option<String>,
    pub created_at: Timestamp,
    /// Read by the account (on any computer); a copy kept by an older app version says unread.
    #[serde(default)]
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// « Clôturer mon compte », confirmed with the account's password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountClosureRequest {
    pub password: String,
}

/// A certificate's code to check, as scanned or pasted by someone without the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CertificateCheckRequest {
    pub code: String,
}

/// What a certificate's code vouches for, or why it vouches for nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum CertificateVerdict {
    Authentic { claims: crate::certificate_code::CertificateClaims },
    NotAuthentic { message: String },
}

/// A newer version of the desktop app for the asking app's kind of package, in the form the
/// Tauri updater reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UpdateOffer {
    pub version: String,
    /// In French, shown in the app before it installs.
    pub notes: String,
    /// RFC 3339.
    pub pub_date: String,
    /// Where the package is downloaded.
    pub url: String,
    /// The package's minisign signature (base64), checked by the app against the key it carries.
    pub signature: String,
}

/// Finds the one-time token in what the user pasted: the whole emailed link, or the token alone.
/// The scheme of the links that open the desktop app (registered by its installers).
pub const APP_LINK_SCHEME: &str = "cqc";

pub fn token_from_link(pasted: &str) -> Option<String> {
    let pasted = pasted.trim();
    let token = match pasted.split_once("jeton=") {
        Some((_, rest)) => rest.split(['&', '#', ' ']).next().unwrap_or_default(),
        None => pasted,
    };
    let plausible =
        (20..=100).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plausible.then(|| token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "Yk3pQ9s_LmT2vX8rNc5wHa7dEf1gJ0uB";

    #[test]
    fn a_pasted_link_or_a_bare_token_gives_the_token() {
        assert_eq!(
            token_from_link(&format!("http://127.0.0.1:8737/mot-de-passe?jeton={TOKEN}")).as_deref(),
            Some(TOKEN)
        );
        assert_eq!(token_from_link(&format!("  {TOKEN}\n")).as_deref(), Some(TOKEN));
        assert_eq!(token_from_link(&format!("https://x/correction?jeton={TOKEN}&utm=1")).as_deref(), Some(TOKEN));
    }

    #[test]
    fn anything_else_is_not_a_link() {
        assert_eq!(token_from_link(""), None);
        assert_eq!(token_from_link("http://127.0.0.1:8737/mot-de-passe"), None);
        assert_eq!(token_from_link("bonjour tout le monde"), None);
    }
}
