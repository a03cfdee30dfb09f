//! The card application (guide steps 05–07): who may start one, the documents it needs, and its
//! life in processing.
//!
//! ```text
//! draft ──submit──▶ submitted ──take──▶ in_processing ──approve──▶ approved
//!   │                                     │    ▲   └──refuse──▶ refused
//!   └──cancel──▶ cancelled                │    │
//!                      request_correction └────┘ answer   (the overlay: one open at a time,
//!                                                           it blocks approval)
//! ```

use crate::account::REASON_MAX;
use crate::contact::has_hidden_characters;
use crate::qualification::CertificateValidity;
use crate::training::Qualification;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplicationStatus {
    Draft,
    Submitted,
    InProcessing,
    Approved,
    Refused,
    Cancelled,
}

impl ApplicationStatus {
    pub const ALL: [Self; 6] =
        [Self::Draft, Self::Submitted, Self::InProcessing, Self::Approved, Self::Refused, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::InProcessing => "in_processing",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Still open: a driver has at most one open application.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted | Self::InProcessing)
    }
}

/// The pieces of an application a driver provides, each one replaceable on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentKind {
    IdentityFront,
    IdentityBack,
    DrivingLicence,
    Photo,
    Signature,
    /// Not part of an application: the declaration of a theft made to the police or the
    /// gendarmerie, sent with a replacement request.
    TheftDeclaration,
}

impl DocumentKind {
    /// The documents of a card application.
    pub const ALL: [Self; 5] =
        [Self::IdentityFront, Self::IdentityBack, Self::DrivingLicence, Self::Photo, Self::Signature];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdentityFront => "identity_front",
            Self::IdentityBack => "identity_back",
            Self::DrivingLicence => "driving_licence",
            Self::Photo => "photo",
            Self::Signature => "signature",
            Self::TheftDeclaration => "theft_declaration",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The camera photo and the signature are images the app produced; the others may be PDFs.
    pub fn accepts_pdf(self) -> bool {
        matches!(self, Self::IdentityFront | Self::IdentityBack | Self::DrivingLicence | Self::TheftDeclaration)
    }

    /// The item an agent reviews this document under; none outside an application.
    pub fn item(self) -> Option<ReviewedItem> {
        match self {
            Self::IdentityFront | Self::IdentityBack => Some(ReviewedItem::IdentityCard),
            Self::DrivingLicence => Some(ReviewedItem::DrivingLicence),
            Self::Photo => Some(ReviewedItem::Photo),
            Self::Signature => Some(ReviewedItem::Signature),
            Self::TheftDeclaration => None,
        }
    }
}

/// What an agent can ask the driver to provide again (the guide's step 07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewedItem {
    IdentityCard,
    DrivingLicence,
    Photo,
    Signature,
}

impl ReviewedItem {
    pub fn documents(self) -> &'static [DocumentKind] {
        match self {
            Self::IdentityCard => &[DocumentKind::IdentityFront, DocumentKind::IdentityBack],
            Self::DrivingLicence => &[DocumentKind::DrivingLicence],
            Self::Photo => &[DocumentKind::Photo],
            Self::Signature => &[DocumentKind::Signature],
        }
    }

    pub fn title_fr(self) -> &'static str {
        match self {
            Self::IdentityCard => "Carte d'identité",
            Self::DrivingLicence => "Permis de conduire",
            Self::Photo => "Photo d'identité",
            Self::Signature => "Signature",
        }
    }
}

/// A document of a card application: one of [`DocumentKind::ALL`], never a replacement's theft
/// declaration. What an application's addresses name, so that no other kind reaches its uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "DocumentKind")]
pub struct ApplicationDocument(DocumentKind);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a document of a card application")]
pub struct NotAnApplicationDocument(DocumentKind);

impl TryFrom<DocumentKind> for ApplicationDocument {
    type Error = NotAnApplicationDocument;
    fn try_from(kind: DocumentKind) -> Result<Self, Self::Error> {
        if DocumentKind::ALL.contains(&kind) {
            Ok(Self(kind))
        } else {
            Err(NotAnApplicationDocument(kind))
        }
    }
}

impl ApplicationDocument {
    pub fn kind(self) -> DocumentKind {
        self.0
    }
}

/// One item to correct, with the reason the driver reads in « Détail ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CorrectionItem {
    pub item: ReviewedItem,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum ApplicationTransitionError {
    #[error("only a draft can be changed, sent or cancelled")]
    NotADraft,
    #[error("the application is missing documents or the delivery address")]
    Incomplete { missing: Option<DocumentKind> },
    #[error("the application is not waiting for an agent")]
    NotSubmitted,
    #[error("the application is not in processing")]
    NotInProcessing,
    #[error("a correction request is already open")]
    CorrectionAlreadyOpen,
    #[error("a correction request is open: it must be answered first")]
    CorrectionOpen,
    #[error("no correction request is open")]
    NoCorrectionOpen,
    #[error("a correction request needs at least one item")]
    NoItemToCorrect,
    #[error("the reason is missing or too long")]
    InvalidReason,
    #[error("an item asked for was not provided again")]
    ItemNotReplaced { item: ReviewedItem },
    #[error("this document was not asked for")]
    NotRequested,
}

/// The application's status with its overlay: the open correction request, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct ApplicationState {
    pub status: ApplicationStatus,
    pub correction: Option<Vec<CorrectionItem>>,
}

type Transition = Result<ApplicationState, ApplicationTransitionError>;

impl ApplicationState {
    pub fn draft() -> Self {
        Self { status: ApplicationStatus::Draft, correction: None }
    }

    fn to(status: ApplicationStatus) -> Self {
        Self { status, correction: None }
    }

    /// Whether the file waits for an agent: sent, or taken up with no question open to the driver.
    pub fn awaits_agent(&self) -> bool {
        match self.status {
            ApplicationStatus::Submitted => true,
            ApplicationStatus::InProcessing => self.correction.is_none(),
            _ => false,
        }
    }

    /// « Valider »: every document and the delivery address are there.
    pub fn submit(&self, provided: &[DocumentKind], has_delivery_address: bool) -> Transition {
        if self.status != ApplicationStatus::Draft {
            return Err(ApplicationTransitionError::NotADraft);
        }
        if let Some(missing) = DocumentKind::ALL.into_iter().find(|kind| !provided.contains(kind)) {
            return Err(ApplicationTransitionError::Incomplete { missing: Some(missing) });
        }
        if !has_delivery_address {
            return Err(ApplicationTransitionError::Incomplete { missing: None });
        }
        Ok(Self::to(ApplicationStatus::Submitted))
    }

    /// « Annuler »: only a draft; its documents go with it.
    pub fn cancel(&self) -> Transition {
        match self.status {
            ApplicationStatus::Draft => Ok(Self::to(ApplicationStatus::Cancelled)),
            _ => Err(ApplicationTransitionError::NotADraft),
        }
    }

    /// A driver may change a document of a draft, or one that a correction request asks for.
    pub fn may_replace(&self, kind: DocumentKind) -> Result<(), ApplicationTransitionError> {
        match (&self.status, &self.correction) {
            (ApplicationStatus::Draft, _) => Ok(()),
            (ApplicationStatus::InProcessing, Some(items)) if items.iter().any(|i| Some(i.item) == kind.item()) => {
                Ok(())
            }
            (ApplicationStatus::InProcessing, Some(_)) => Err(ApplicationTransitionError::NotRequested),
            _ => Err(ApplicationTransitionError::NotADraft),
        }
    }

    /// An agent opens a submitted file.
    pub fn take(&self) -> Transition {
        match self.status {
            ApplicationStatus::Submitted => Ok(Self::to(ApplicationStatus::InProcessing)),
            _ => Err(ApplicationTransitionError::NotSubmitted),
        }
    }

    fn in_processing_without_correction(&self) -> Result<(), ApplicationTransitionError> {
        if self.status != ApplicationStatus::InProcessing {
            return Err(ApplicationTransitionError::NotInProcessing);
        }
        if self.correction.is_some() {
            return Err(ApplicationTransitionError::CorrectionOpen);
        }
        Ok(())
    }

    pub fn approve(&self) -> Transition {
        self.in_processing_without_correction()?;
        Ok(Self::to(ApplicationStatus::Approved))
    }

    /// A refusal ends the file; a driver may then apply again.
    pub fn refuse(&self, reason: &str) -> Transition {
        if self.status != ApplicationStatus::InProcessing {
            return Err(ApplicationTransitionError::NotInProcessing);
        }
        clean_reason(reason)?;
        Ok(Self::to(ApplicationStatus::Refused))
    }

    /// Items to provide again, each with its reason (cleaned, one per item).
    pub fn request_correction(&self, items: &[CorrectionItem]) -> Transition {
        if self.status != ApplicationStatus::InProcessing {
            return Err(ApplicationTransitionError::NotInProcessing);
        }
        if self.correction.is_some() {
            return Err(ApplicationTransitionError::CorrectionAlreadyOpen);
        }
        if items.is_empty() {
            return Err(ApplicationTransitionError::NoItemToCorrect);
        }
        let mut cleaned: Vec<CorrectionItem> = Vec::with_capacity(items.len());
        for item in items {
            let reason = clean_reason(&item.reason)?;
            if !cleaned.iter().any(|c| c.item == item.item) {
                cleaned.push(CorrectionItem { item: item.item, reason });
            }
        }
        Ok(Self { status: ApplicationStatus::InProcessing, correction: Some(cleaned) })
    }

    /// « Envoyer »: every item asked for was provided again; back to processing.
    pub fn answer(&self, replaced: &[DocumentKind]) -> Transition {
        let Some(items) = (self.status == ApplicationStatus::InProcessing).then_some(()).and(self.correction.as_ref())
        else {
            return Err(ApplicationTransitionError::NoCorrectionOpen);
        };
        for item in items {
            if !item.item.documents().iter().all(|d| replaced.contains(d)) {
                return Err(ApplicationTransitionError::ItemNotReplaced { item: item.item });
            }
        }
        Ok(Self::to(ApplicationStatus::InProcessing))
    }
}

fn clean_reason(reason: &str) -> Result<String, ApplicationTransitionError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX || has_hidden_characters(reason) {
        return Err(ApplicationTransitionError::InvalidReason);
    }
    Ok(reason.to_owned())
}

/// A qualification certificate as eligibility sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateSummary {
    pub qualification: Qualification,
    pub validity: CertificateValidity,
    pub card_expiry: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum NotEligible {
    /// No training that entitles to a new card was recorded for this driver.
    #[error("no recent training entitles to a new card")]
    NoEntitlingTraining,
    /// The latest certificate ran out: a new training is needed.
    #[error("the qualification certificate expired")]
    CertificateExpired {
        #[ts(type = "string")]
        #[schema(value_type = String, format = Date)]
        #[serde(with = "crate::calendar::iso_day")]
        on: Date,
    },
    /// A minor's certificate counts from their 18th birthday.
    #[error("the qualification certificate is not valid yet")]
    CertificateNotYetValid {
        #[ts(type = "string")]
        #[schema(value_type = String, format = Date)]
        #[serde(with = "crate::calendar::iso_day")]
        from: Date,
    },
    #[error("an application is already open")]
    ApplicationAlreadyOpen,
}

/// What a new card will carry: the qualifications with a certificate valid today, and the code 95
/// expiry (the latest of theirs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Entitlement {
    pub qualifications: Vec<Qualification>,
    #[ts(type = "string")]
    #[schema(value_type = String, format = Date)]
    #[serde(with = "crate::calendar::iso_day")]
    pub card_expiry: Date,
}

/// Who may press « Commencer »: a driver with a certificate valid today and no open application.
pub fn eligibility(
    certificates: &[CertificateSummary],
    has_open_application: bool,
    today: Date,
) -> Result<Entitlement, NotEligible> {
    if has_open_application {
        return Err(NotEligible::ApplicationAlreadyOpen);
    }
    let valid: Vec<&CertificateSummary> = certificates.iter().filter(|c| c.validity.covers(today)).collect();
    if valid.is_empty() {
        let upcoming =
            certificates.iter().filter(|c| c.validity.valid_from > today).map(|c| c.validity.valid_from).min();
        let expired = certificates.iter().map(|c| c.validity.valid_until).max();
        return Err(match (upcoming, expired) {
            (Some(from), _) => NotEligible::CertificateNotYetValid { from },
            (None, Some(on)) => NotEligible::CertificateExpired { on },
            (None, None) => NotEligible::NoEntitlingTraining,
        });
    }
    let mut qualifications: Vec<Qualification> = valid.iter().map(|c| c.qualification).collect();
    qualifications.sort();
    qualifications.dedup();
    let card_expiry = valid.iter().map(|c| c.card_expiry).max().expect("at least one valid certificate");
    Ok(Entitlement { qualifications, card_expiry })
}

/// « Dossier suivant »: the files waiting for an agent, the one sent longest ago first (the agent
/// opens the first that is not already on screen). Files sent at the same instant keep their order.
pub fn files_in_waiting_order<'a, At: Ord>(
    files: impl IntoIterator<Item = (&'a str, At, &'a ApplicationState)>,
) -> Vec<&'a str> {
    let mut waiting: Vec<(At, &str)> =
        files.into_iter().filter(|(_, _, state)| state.awaits_agent()).map(|(id, sent, _)| (sent, id)).collect();
    waiting.sort_by(|a, b| a.0.cmp(&b.0));
    waiting.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qualification::certificate_validity;
    use time::macros::date;
    use ApplicationStatus::*;
    use ApplicationTransitionError as E;

    fn state(status: ApplicationStatus) -> ApplicationState {
        ApplicationState { status, correction: None }
    }

    fn ask(item: ReviewedItem) -> CorrectionItem {
        CorrectionItem { item, reason: "Photo floue, reprenez-la".into() }
    }

    fn correction_open(items: &[ReviewedItem]) -> ApplicationState {
        let items: Vec<_> = items.iter().map(|i| ask(*i)).collect();
        state(InProcessing).request_correction(&items).unwrap()
    }

    #[test]
    fn days_travel_as_the_screens_read_them() {
        let expired = NotEligible::CertificateExpired { on: date!(2027 - 03 - 28) };
        let json = serde_json::to_string(&expired).unwrap();
        assert_eq!(json, r#"{"code":"certificate_expired","on":"2027-03-28"}"#);
        assert_eq!(serde_json::from_str::<NotEligible>(&json).unwrap(), expired);
        let entitlement =
            Entitlement { qualifications: vec![Qualification::Goods], card_expiry: date!(2031 - 11 - 20) };
        assert!(serde_json::to_string(&entitlement).unwrap().contains(r#""card_expiry":"2031-11-20""#));
    }

    #[test]
    fn a_complete_draft_is_sent_for_processing() {
        assert_eq!(ApplicationState::draft().submit(&DocumentKind::ALL, true), Ok(state(Submitted)));
    }

    #[test]
    fn a_draft_without_every_document_and_the_address_cannot_be_sent() {
        let without_photo: Vec<_> = DocumentKind::ALL.into_iter().filter(|k| *k != DocumentKind::Photo).collect();
        assert_eq!(
            ApplicationState::draft().submit(&without_photo, true),
            Err(E::Incomplete { missing: Some(DocumentKind::Photo) })
        );
        assert_eq!(ApplicationState::draft().submit(&DocumentKind::ALL, false), Err(E::Incomplete { missing: None }));
    }

    #[test]
    fn only_a_draft_is_sent_or_cancelled() {
        for status in ApplicationStatus::ALL {
            let sent = state(status).submit(&DocumentKind::ALL, true);
            let cancelled = state(status).cancel();
            if status == Draft {
                assert_eq!(cancelled, Ok(state(Cancelled)));
                assert!(sent.is_ok());
            } else {
                assert_eq!(sent, Err(E::NotADraft), "{status:?}");
                assert_eq!(cancelled, Err(E::NotADraft), "{status:?}");
            }
        }
    }

    #[test]
    fn an_agent_takes_only_a_submitted_file() {
        for status in ApplicationStatus::ALL {
            let taken = state(status).take();
            if status == Submitted {
                assert_eq!(taken, Ok(state(InProcessing)));
            } else {
                assert_eq!(taken, Err(E::NotSubmitted), "{status:?}");
            }
        }
    }

    #[test]
    fn approval_and_refusal_happen_in_processing_only() {
        for status in ApplicationStatus::ALL {
            let (approved, refused) = (state(status).approve(), state(status).refuse("Dossier incomplet"));
            if status == InProcessing {
                assert_eq!(approved, Ok(state(Approved)));
                assert_eq!(refused, Ok(state(Refused)));
            } else {
                assert_eq!(approved, Err(E::NotInProcessing), "{status:?}");
                assert_eq!(refused, Err(E::NotInProcessing), "{status:?}");
            }
        }
        assert_eq!(state(InProcessing).refuse("  "), Err(E::InvalidReason));
    }

    #[test]
    fn an_open_correction_request_blocks_approval_and_a_second_request() {
        let open = correction_open(&[ReviewedItem::Photo]);
        assert_eq!(open.approve(), Err(E::CorrectionOpen));
        assert_eq!(open.request_correction(&[ask(ReviewedItem::Signature)]), Err(E::CorrectionAlreadyOpen));
    }

    #[test]
    fn a_correction_request_needs_items_with_reasons_and_keeps_one_per_item() {
        let processing = state(InProcessing);
        assert_eq!(processing.request_correction(&[]), Err(E::NoItemToCorrect));
        let no_reason = CorrectionItem { item: ReviewedItem::Photo, reason: " ".into() };
        assert_eq!(processing.request_correction(&[no_reason]), Err(E::InvalidReason));
        let too_long = CorrectionItem { item: ReviewedItem::Photo, reason: "x".repeat(REASON_MAX + 1) };
        assert_eq!(processing.request_correction(&[too_long]), Err(E::InvalidReason));
        let twice = processing.request_correction(&[ask(ReviewedItem::Photo), ask(ReviewedItem::Photo)]).unwrap();
        assert_eq!(twice.correction.unwrap().len(), 1);
        assert_eq!(state(Submitted).request_correction(&[ask(ReviewedItem::Photo)]), Err(E::NotInProcessing));
    }

    #[test]
    fn answering_needs_every_item_asked_for_and_returns_the_file_to_processing() {
        let open = correction_open(&[ReviewedItem::IdentityCard, ReviewedItem::Photo]);
        assert_eq!(
            open.answer(&[DocumentKind::Photo, DocumentKind::IdentityFront]),
            Err(E::ItemNotReplaced { item: ReviewedItem::IdentityCard })
        );
        let answered = open.answer(&[DocumentKind::Photo, DocumentKind::IdentityFront, DocumentKind::IdentityBack]);
        assert_eq!(answered, Ok(state(InProcessing)));
        assert_eq!(answered.unwrap().approve(), Ok(state(Approved)));
        assert_eq!(state(InProcessing).answer(&DocumentKind::ALL), Err(E::NoCorrectionOpen));
    }

    #[test]
    fn a_correction_reopens_only_the_items_asked_for() {
        let open = correction_open(&[ReviewedItem::Photo]);
        assert_eq!(open.may_replace(DocumentKind::Photo), Ok(()));
        assert_eq!(open.may_replace(DocumentKind::Signature), Err(E::NotRequested));
        assert_eq!(state(InProcessing).may_replace(DocumentKind::Photo), Err(E::NotADraft));
        assert_eq!(state(Submitted).may_replace(DocumentKind::Photo), Err(E::NotADraft));
        assert_eq!(ApplicationState::draft().may_replace(DocumentKind::Signature), Ok(()));
    }

    #[test]
    fn statuses_and_document_kinds_read_back_from_their_names() {
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
            assert!(kind.item().unwrap().documents().contains(&kind));
        }
        assert_eq!(DocumentKind::parse("selfie"), None);
    }

    fn certificate(issued: Date, birth: Date, qualification: Qualification, expiry: Date) -> CertificateSummary {
        CertificateSummary { qualification, validity: certificate_validity(issued, birth), card_expiry: expiry }
    }

    const ADULT: Date = date!(1990 - 05 - 14);

    #[test]
    fn driver_without_recent_training_cannot_start_an_application() {
        assert_eq!(eligibility(&[], false, date!(2026 - 11 - 25)), Err(NotEligible::NoEntitlingTraining));
    }

    #[test]
    fn a_certificate_is_usable_for_four_months_then_a_new_training_is_needed() {
        let issued = date!(2026 - 07 - 25);
        let certificates = [certificate(issued, ADULT, Qualification::Goods, date!(2031 - 07 - 20))];
        let last_day = date!(2026 - 11 - 25);
        assert_eq!(
            eligibility(&certificates, false, last_day),
            Ok(Entitlement { qualifications: vec![Qualification::Goods], card_expiry: date!(2031 - 07 - 20) })
        );
        assert_eq!(
            eligibility(&certificates, false, last_day.next_day().unwrap()),
            Err(NotEligible::CertificateExpired { on: last_day })
        );
    }

    #[test]
    fn a_minor_applies_from_their_eighteenth_birthday() {
        let birth = date!(2009 - 01 - 10);
        let certificates = [certificate(date!(2026 - 11 - 20), birth, Qualification::Goods, date!(2031 - 11 - 20))];
        assert_eq!(
            eligibility(&certificates, false, date!(2026 - 11 - 25)),
            Err(NotEligible::CertificateNotYetValid { from: date!(2027 - 01 - 10) })
        );
        assert!(eligibility(&certificates, false, date!(2027 - 01 - 10)).is_ok());
    }

    #[test]
    fn a_driver_with_an_open_application_cannot_start_another() {
        let certificates = [certificate(date!(2026 - 11 - 20), ADULT, Qualification::Goods, date!(2031 - 11 - 20))];
        assert_eq!(eligibility(&certificates, true, date!(2026 - 11 - 25)), Err(NotEligible::ApplicationAlreadyOpen));
    }

    #[test]
    fn the_card_carries_every_qualification_with_a_valid_certificate_and_the_latest_expiry() {
        let today = date!(2026 - 11 - 25);
        let certificates = [
            certificate(date!(2026 - 10 - 01), ADULT, Qualification::Passengers, date!(2031 - 09 - 30)),
            certificate(date!(2026 - 11 - 20), ADULT, Qualification::Goods, date!(2031 - 11 - 20)),
            certificate(date!(2026 - 11 - 21), ADULT, Qualification::Goods, date!(2031 - 11 - 19)),
            certificate(date!(2020 - 01 - 01), ADULT, Qualification::Goods, date!(2025 - 01 - 01)),
        ];
        assert_eq!(
            eligibility(&certificates, false, today),
            Ok(Entitlement {
                qualifications: vec![Qualification::Goods, Qualification::Passengers],
                card_expiry: date!(2031 - 11 - 20)
            })
        );
    }

    #[test]
    fn the_next_file_is_the_one_sent_longest_ago_that_waits_for_an_agent() {
        let sent = ApplicationState::to(ApplicationStatus::Submitted);
        let taken = ApplicationState::to(ApplicationStatus::InProcessing);
        let asked = ApplicationState { correction: Some(vec![ask(ReviewedItem::Photo)]), ..taken.clone() };
        let approved = ApplicationState::to(ApplicationStatus::Approved);
        let files = [
            ("recent", 30, &sent),
            ("asked", 1, &asked),
            ("oldest", 5, &sent),
            ("taken", 20, &taken),
            ("done", 2, &approved),
        ];
        assert_eq!(files_in_waiting_order(files), ["oldest", "taken", "recent"]);
        assert!(!asked.awaits_agent() && !approved.awaits_agent() && taken.awaits_agent());
    }
}
