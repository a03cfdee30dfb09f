//! Every failure of a handler becomes one `AppError`: an HTTP status and the JSON body the
//! client shows, worded in French here, in one place.

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use cqc_domain::account::{AccountTransitionError, Role, REASON_MAX};
use cqc_domain::application::{ApplicationTransitionError, DocumentKind, NotEligible};
use cqc_domain::billing::{BankCardErrors, BankCardField};
use cqc_domain::card::{CardStatus, CardTransitionError};
use cqc_domain::fees::{FeeErrors, FeeField, MAX_FEE, MAX_VAT_BASIS_POINTS};
use cqc_domain::form::FieldError;
use cqc_domain::password::PasswordError;
use cqc_domain::registration::FieldErrors;
use cqc_domain::replacement::{ReplacementGap, ReplacementStatus, ReplacementTransitionError, DEFECT_DESCRIPTION_MAX};
use cqc_domain::upload::FileProblem;
use cqc_sync::api::{ApiError, ErrorCode, Reason};

#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    /// Boxed: every `Result` of the server carries an `AppError`, and most are `Ok`.
    body: Box<ApiError>,
    /// What went wrong inside, for the logs only: it travels with the response and is logged
    /// once, in the request's span, by [`log_internal_causes`]; never shown to the user.
    cause: Option<Box<str>>,
}

impl AppError {
    /// What the client is told went wrong.
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }
}

/// The cause of a 500, carried by the response to the middleware that logs it.
#[derive(Clone)]
struct InternalCause(Box<str>);

/// Logs the cause of every internal error, inside the request's span (method, path).
pub async fn log_internal_causes(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
        tracing::error!(%cause, "internal error");
    }
    response
}

fn minutes_to_wait(retry_after_seconds: i64) -> i64 {
    (retry_after_seconds + 59) / 60
}

impl AppError {
    fn new(status: StatusCode, code: ErrorCode, message: &str) -> Self {
        Self { status, body: Box::new(ApiError::new(code, message)), cause: None }
    }

    pub fn invalid_fields(fields: FieldErrors) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidFields,
            "Certains champs sont à corriger : voir le message sous chacun d'eux.",
        );
        error.body.fields = fields;
        error
    }

    pub fn password(error: PasswordError) -> Self {
        match error {
            PasswordError::Policy { unmet } => {
                let mut e = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::PasswordPolicy,
                    "Le mot de passe doit comporter au moins 12 caractères dont 1 majuscule, 1 minuscule et 1 caractère spécial.",
                );
                e.body.unmet_password_rules = unmet;
                e
            }
            PasswordError::Mismatch => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::PasswordMismatch,
                "La confirmation ne correspond pas au mot de passe saisi.",
            ),
        }
    }

    pub fn bad_request(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message)
    }

    pub fn link_invalid() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::LinkInvalid,
            "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.",
        )
    }

    pub fn link_expired() -> Self {
        Self::new(
            StatusCode::GONE,
            ErrorCode::LinkExpired,
            "Ce lien a expiré. Demandez-en un nouveau avec « Mot de passe oublié ».",
        )
    }

    pub fn link_used() -> Self {
        Self::new(
            StatusCode::GONE,
            ErrorCode::LinkUsed,
            "Ce lien a déjà servi. Chaque lien ne peut être utilisé qu'une fois.",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "Adresse de messagerie ou mot de passe incorrect.",
        )
    }

    /// Five wrong passwords in a row for this email, known or not: the same answer either way.
    pub fn locked(retry_after_seconds: i64) -> Self {
        let minutes = minutes_to_wait(retry_after_seconds);
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::AccountLocked,
            &format!("Trop de tentatives : le compte est bloqué pendant {minutes} min. Le lien « Mot de passe oublié » le débloque aussitôt."),
        );
        e.body.retry_after_seconds = Some(retry_after_seconds);
        e
    }

    pub fn too_many_requests(retry_after_seconds: i64) -> Self {
        let minutes = minutes_to_wait(retry_after_seconds);
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            &format!("Trop de demandes en peu de temps : réessayez dans {minutes} min."),
        );
        e.body.retry_after_seconds = Some(retry_after_seconds);
        e
    }

    /// Every password-hashing thread is busy: the client retries in a moment.
    pub fn busy() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ServiceBusy,
            "Le service est très sollicité : réessayez dans quelques secondes.",
        );
        e.body.retry_after_seconds = Some(1);
        e
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "Votre session a expiré. Reconnectez-vous.")
    }

    /// An action of another role than the caller's, said as such.
    pub fn reserved_to(role: Role) -> Self {
        let message = match role {
            Role::Agent => "Cette action est réservée aux agents de traitement.",
            Role::CentreStaff => "Cette action est réservée au personnel d'un centre de formation agréé.",
            Role::Driver => "Cette action est réservée au conducteur titulaire.",
            Role::Admin => "Cette action est réservée aux administrateurs du service.",
        };
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// A device's outbox belongs to the centre it first synced for.
    pub fn device_of_another_centre() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Cet ordinateur envoie déjà les formations d'un autre centre : celles de votre centre ne peuvent pas \
             partir d'ici.",
        )
    }

    /// Also what a user gets for another user's data: whether it exists is not revealed.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "Élément introuvable.")
    }

    pub fn transition(error: AccountTransitionError) -> Self {
        use AccountTransitionError::*;
        let message = match error {
            NotPendingAnalysis => "Cette demande a déjà été analysée.",
            NotAwaitingCorrection => "Cette demande n'attend pas de correction.",
            NoItemToCorrect => "Indiquez au moins un élément à corriger.",
            InvalidReason => {
                &format!("Chaque élément à corriger doit avoir un motif ({REASON_MAX} caractères au plus).")
            }
            NotReviewable => "Ce champ ne peut pas être signalé.",
            NotAccepted => "Le compte n'a pas encore été validé.",
        };
        let status = match error {
            NoItemToCorrect | InvalidReason | NotReviewable => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::CONFLICT,
        };
        Self::new(status, ErrorCode::Conflict, message)
    }

    /// « Clôturer mon compte » refused: something is under way, or the password is wrong.
    pub fn closure(refused: Option<cqc_domain::closure::ClosureRefused>) -> Self {
        use cqc_domain::closure::ClosureRefused::*;
        match refused {
            None => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidCredentials,
                "Mot de passe incorrect : votre compte n'a pas été clôturé.",
            ),
            Some(ApplicationUnderWay) => Self::conflict(
                "Votre demande de carte est en cours de traitement : vous pourrez clôturer votre compte une fois la décision rendue.",
            ),
            Some(CardUnderWay) => Self::conflict(
                "Votre carte est en cours de fabrication ou d'acheminement : vous pourrez clôturer votre compte une fois la carte reçue.",
            ),
            Some(ReplacementUnderWay) => Self::conflict(
                "Une demande de remplacement est en cours : terminez-la ou annulez-la avant de clôturer votre compte.",
            ),
        }
    }

    pub fn conflict(message: &str) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, message)
    }

    pub fn drivers_only() -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, "Cette action est réservée aux conducteurs.")
    }

    pub fn application(error: ApplicationTransitionError) -> Self {
        use ApplicationTransitionError::*;
        let missing;
        let message = match error {
            NotADraft => "Cette demande est déjà envoyée : elle ne peut plus être modifiée ni annulée.",
            Incomplete { missing: Some(kind) } => {
                missing = format!("Il manque un élément à la demande : {}.", document_label(kind));
                &missing
            }
            Incomplete { missing: None } => "Indiquez l'adresse de livraison de la carte.",
            NotSubmitted => "Cette demande n'attend pas d'être prise en charge.",
            NotInProcessing => "Cette demande n'est pas en cours de traitement.",
            CorrectionAlreadyOpen => "Une demande d'informations complémentaires est déjà en cours.",
            CorrectionOpen => "Une demande d'informations complémentaires attend la réponse du conducteur.",
            NoCorrectionOpen => "Aucune information complémentaire n'est demandée pour cette demande.",
            NoItemToCorrect => "Indiquez au moins un élément à corriger.",
            InvalidReason => {
                missing = format!("Indiquez un motif ({REASON_MAX} caractères au plus).");
                &missing
            }
            ItemNotReplaced { item } => {
                missing = format!("Fournissez de nouveau : {}.", item.title_fr());
                &missing
            }
            NotRequested => "Seuls les éléments demandés peuvent être fournis de nouveau.",
        };
        let status = match error {
            NoItemToCorrect | InvalidReason => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::CONFLICT,
        };
        Self::new(status, ErrorCode::Conflict, message)
    }

    pub fn file(problem: FileProblem) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidFile,
            &cqc_sync::applications::file_problem_message(problem),
        )
    }

    pub fn upload_mismatch() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::InvalidFile,
            "L'envoi du fichier est incomplet ou altéré : il va reprendre depuis le début.",
        )
    }

    /// The screen words the reason; the message is for clients without the app.
    pub fn not_eligible(why: NotEligible) -> Self {
        let mut error = Self::new(StatusCode::CONFLICT, ErrorCode::NotEligible, &why.to_string());
        error.body.reason = Some(Box::new(Reason::NotEligible { why }));
        error
    }

    pub fn card_step(error: CardTransitionError) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            &format!("Cette étape ne suit pas l'état actuel de la carte ({}).", card_status_label(error.from)),
        )
    }

    pub fn replacement(error: ReplacementTransitionError) -> Self {
        use ReplacementTransitionError::*;
        let message = match &error {
            Incomplete { gaps } => format!(
                "La demande est incomplète : {}",
                gaps.iter().map(|gap| replacement_gap_label(*gap)).collect::<Vec<_>>().join(" ")
            ),
            WrongState { status } => format!(
                "Cette étape ne suit pas l'état de la demande de remplacement ({}).",
                replacement_status_label(*status)
            ),
            NotAQualityReplacement => {
                "Seule une demande pour défaut de qualité passe par le retour de la carte.".into()
            }
            CardNotReplaceable { card_status } => {
                format!("Cette carte ne peut pas être remplacée : elle est {}.", card_status_label(*card_status))
            }
        };
        let status = match error {
            Incomplete { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::CONFLICT,
        };
        Self::new(status, ErrorCode::Conflict, &message)
    }

    /// The bank card form, checked again here: the app shows each error under its field.
    pub fn bank_card(errors: &BankCardErrors) -> Self {
        let fields: Vec<&str> = errors
            .keys()
            .map(|field| match field {
                BankCardField::Holder => "titulaire",
                BankCardField::Number => "numéro de carte",
                BankCardField::Expiry => "date d'expiration",
                BankCardField::SecurityCode => "cryptogramme",
            })
            .collect();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidFields,
            &format!("Vérifiez la carte bancaire : {}. Aucun montant n'a été débité.", fields.join(", ")),
        )
    }

    /// « Programmer un tarif »: each field's problem in a sentence (the app checks the form first).
    pub fn fees(errors: &FeeErrors) -> Self {
        let sentences: Vec<String> = errors
            .iter()
            .map(|(field, error)| {
                let fee = match field {
                    FeeField::StartsOn => {
                        return match error {
                            FieldError::Required => "La date d'effet est obligatoire.".to_owned(),
                            FieldError::NotAfterToday => {
                                "Un tarif prend effet demain au plus tôt : les prix d'aujourd'hui ne changent pas."
                                    .to_owned()
                            }
                            FieldError::TooFarAhead { max_years } => {
                                format!("Un tarif se programme {max_years} ans à l'avance au plus.")
                            }
                            _ => "La date d'effet n'est pas une date valide.".to_owned(),
                        }
                    }
                    FeeField::VatBasisPoints => {
                        return format!("Le taux de TVA est de {} % au plus.", MAX_VAT_BASIS_POINTS / 100)
                    }
                    FeeField::ReplacementCard => "duplicata (perte ou vol)",
                    FeeField::QualityReplacementCard => "remplacement (défaut)",
                    FeeField::Reshipping => "réexpédition",
                };
                format!("Le tarif « {fee} » est compris entre 0,00 € et {} hors taxes.", MAX_FEE.french())
            })
            .collect();
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidFields, &sentences.join(" "))
    }

    pub fn payment_in_progress() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            "Un paiement est déjà en cours ou effectué pour cette demande : rien n'a été débité une seconde fois.",
        )
    }

    pub fn nothing_to_pay() -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, "Aucun paiement n'est attendu pour cette demande.")
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut error = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Une erreur est survenue de notre côté ; rien n'a été enregistré. Réessayez dans un instant.",
        );
        error.cause = Some(cause.to_string().into());
        error
    }
}

/// What « Valider » still needs, as the wizard says it.
pub fn replacement_gap_label(gap: ReplacementGap) -> String {
    let label = match gap {
        ReplacementGap::CommitmentToReturn => "cochez l'engagement à restituer la carte si vous la retrouvez.",
        ReplacementGap::TheftDeclaration => "versez la déclaration de vol établie par une autorité compétente.",
        ReplacementGap::DefectDescription => {
            return format!("décrivez le défaut constaté ({DEFECT_DESCRIPTION_MAX} caractères au plus).")
        }
        ReplacementGap::DefectiveElements => "indiquez le nombre d'éléments en défaut.",
        ReplacementGap::DeliveryAddress => "vérifiez l'adresse de livraison.",
        ReplacementGap::BillingAddress => "précisez l'adresse de facturation.",
    };
    label.to_owned()
}

pub fn replacement_status_label(status: ReplacementStatus) -> &'static str {
    match status {
        ReplacementStatus::Draft => "brouillon",
        ReplacementStatus::AwaitingPayment => "en attente de paiement",
        ReplacementStatus::AwaitingCard => "en attente de la carte retournée",
        ReplacementStatus::UnderAnalysis => "carte en cours d'analyse",
        ReplacementStatus::AwaitingDriverFix => "correction attendue",
        ReplacementStatus::InProduction => "nouvelle carte en fabrication",
        ReplacementStatus::Cancelled => "annulée",
    }
}

/// The name of a document as the driver sees it.
pub fn document_label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::IdentityFront => "carte d'identité (recto)",
        DocumentKind::IdentityBack => "carte d'identité (verso)",
        DocumentKind::DrivingLicence => "permis de conduire",
        DocumentKind::Photo => "photo d'identité",
        DocumentKind::Signature => "signature",
        DocumentKind::TheftDeclaration => "déclaration de vol",
    }
}

pub fn card_status_label(status: CardStatus) -> &'static str {
    match status {
        CardStatus::InProduction => "en fabrication",
        CardStatus::Printed => "imprimée",
        CardStatus::Shipped => "expédiée",
        CardStatus::Delivered => "distribuée",
        CardStatus::Activated => "activée",
        CardStatus::Returned => "pli non distribué",
        CardStatus::ToResend => "à renvoyer",
        CardStatus::Void => "annulée (remplacée)",
    }
}

impl From<crate::storage::StorageError> for AppError {
    fn from(error: crate::storage::StorageError) -> Self {
        Self::internal(error)
    }
}

/// A row that is not there is « introuvable »; a unique rule that refused a row and a database
/// that failed are internal unless the use case gave them a meaning first (an email already
/// taken, a payment already started).
impl From<crate::db::DbError> for AppError {
    fn from(error: crate::db::DbError) -> Self {
        match error {
            crate::db::DbError::NotFound => Self::not_found(),
            other => Self::internal(other),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::BodyTooLarge,
                "La requête est trop volumineuse.",
            );
        }
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
            "Requête mal formée : les données envoyées ne sont pas lisibles.",
        );
        // Only the kind of failure: the detail quotes the values sent (a card number, say).
        tracing::debug!(status = %rejection.status(), "rejected body");
        // Unreadable JSON and JSON of the wrong shape are both the client's malformed request.
        if rejection.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            e.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        }
        e
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        tracing::debug!(status = %rejection.status(), "rejected query string");
        Self::bad_request("Requête mal formée : les paramètres de l'adresse ne sont pas lisibles.")
    }
}

impl From<BytesRejection> for AppError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BodyTooLarge, "La requête est trop volumineuse.")
        } else {
            Self::bad_request("Requête mal formée : le contenu n'a pas pu être lu en entier.")
        }
    }
}

impl AppError {
    /// An address the API does not have.
    pub fn no_such_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "Cette adresse n'existe pas dans l'API.")
    }

    /// An address the API has, with another method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::InvalidRequest,
            "Cette méthode n'est pas acceptée à cette adresse.",
        )
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        Self::not_found()
    }
}

impl From<crate::secrets::HashingBusy> for AppError {
    fn from(_: crate::secrets::HashingBusy) -> Self {
        Self::busy()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let retry_after = self.body.retry_after_seconds;
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(cause) = self.cause {
            response.extensions_mut().insert(InternalCause(cause));
        }
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.max(1).into());
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// `Path` whose rejections (an id that is not one, an unknown document kind) answer « not
/// found », as an unknown id does.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// `Query` whose rejections are `AppError`s.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// A raw body whose rejections (too large, cut) are `AppError`s.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ApiBytes {
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(axum::body::Bytes::from_request(request, state).await?))
    }
}

/// `Json` whose rejections are `AppError`s, so a malformed body gets our JSON answer.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_tells_the_user_nothing_of_its_cause_and_hands_it_to_the_logs() {
        let response = AppError::internal("disk full at /var/lib/cqc").into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let cause = response.extensions().get::<InternalCause>().map(|c| c.0.to_string());
        assert_eq!(cause.as_deref(), Some("disk full at /var/lib/cqc"));
        let body = axum::body::to_bytes(response.into_body(), 10_000).await.unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("de notre côté") && !body.contains("disk"), "{body}");
    }
}
