//! The card application on the server: who may start one, what the driver and the agent see of
//! it, and the card made from it. Routes call these inside their transaction.

use crate::clock::rfc3339;
use crate::db::applications::{self as store, StoredApplication};
use crate::db::cards as stored_cards;
use crate::db::cards::StoredCard;
use crate::db::trainings::{driver_documents, DriverDocument};
use crate::db::Conn;
use crate::db::{self, Account};
use crate::error::{AppError, AppResult};
use cqc_domain::application::{eligibility, CertificateSummary, Entitlement, NotEligible};
use cqc_domain::calendar::french_day;
use cqc_domain::card::{CardFace, CardNumber, CardStatus};
use cqc_domain::contact::AddressInput;
use cqc_domain::Date;
use cqc_sync::applications::{ApplicationView, CardHolder, CardView, DocumentInfo, TimelineEntry};
use cqc_sync::protocol::Certificate;
use std::collections::HashMap;
use time::OffsetDateTime;

/// « Commencer »: the driver's certificates valid today, and no application already open.
pub async fn eligibility_of(
    conn: &mut Conn,
    driver_id: &str,
    today: Date,
) -> AppResult<Result<Entitlement, NotEligible>> {
    let certificates: Vec<(i64, Certificate)> =
        driver_documents(conn, DriverDocument::Certificate, driver_id, 0, i64::MAX).await?;
    let summaries: Vec<CertificateSummary> = certificates.iter().filter_map(|(_, c)| c.claims.summary()).collect();
    let open = store::applications_of(conn, driver_id).await?.iter().any(|a| a.state.status.is_open());
    Ok(eligibility(&summaries, open, today))
}

/// A driver's own application; another's is "not found", so that its existence does not leak.
pub async fn own_application(conn: &mut Conn, driver_id: &str, id: &str) -> AppResult<StoredApplication> {
    Ok(crate::db::find_owned(conn, driver_id, id).await?)
}

pub async fn own_view(conn: &mut Conn, driver_id: &str, id: &str) -> AppResult<ApplicationView> {
    let application = own_application(conn, driver_id, id).await?;
    view_of(conn, application).await
}

pub async fn any_application(conn: &mut Conn, id: &str) -> AppResult<StoredApplication> {
    Ok(store::find_application(conn, id).await?)
}

/// The timelines of applications or cards (their audit entries, without who did them), in one
/// query.
pub async fn timelines(conn: &mut Conn, subject_ids: &[String]) -> AppResult<HashMap<String, Vec<TimelineEntry>>> {
    Ok(db::audit_of_many(conn, subject_ids)
        .await?
        .into_iter()
        .map(|(subject, rows)| {
            let entries = rows
                .into_iter()
                .map(|row| TimelineEntry { at: rfc3339(row.at), action: row.action, detail: row.detail })
                .collect();
            (subject, entries)
        })
        .collect())
}

pub async fn view_of(conn: &mut Conn, application: StoredApplication) -> AppResult<ApplicationView> {
    application_views(conn, vec![application]).await?.pop().ok_or_else(AppError::not_found)
}

/// The views of a list of applications, read in a fixed number of queries whatever its length.
pub async fn application_views(
    conn: &mut Conn,
    applications: Vec<StoredApplication>,
) -> AppResult<Vec<ApplicationView>> {
    let ids: Vec<String> = applications.iter().map(|a| a.id.clone()).collect();
    let mut documents = store::documents_of_many(conn, &ids).await?;
    let mut cards = stored_cards::first_cards_of(conn, &ids).await?;
    let mut timelines = timelines(conn, &ids).await?;
    Ok(applications
        .into_iter()
        .map(|application| ApplicationView {
            documents: documents
                .remove(&application.id)
                .unwrap_or_default()
                .into_iter()
                .map(|d| DocumentInfo {
                    kind: d.kind,
                    format: d.format,
                    size: d.size,
                    sha256: d.sha256,
                    uploaded_at: rfc3339(d.uploaded_at),
                })
                .collect(),
            card_id: cards.remove(&application.id).map(|c| c.id),
            timeline: timelines.remove(&application.id).unwrap_or_default(),
            id: application.id,
            state: application.state,
            delivery_address: application.delivery_address,
            qualifications: application.entitlement.qualifications,
            card_expiry: application.entitlement.card_expiry.to_string(),
            refusal_reason: application.refusal_reason,
            created_at: rfc3339(application.created_at),
            submitted_at: application.submitted_at.map(rfc3339),
        })
        .collect())
}

/// The card holder as registered (the registration was checked by an agent).
pub fn holder_of(account: &Account) -> CardHolder {
    let registration = account.registration.clone().unwrap_or_default();
    let birth_place = match registration.birth_country.trim() {
        "" | "France" => registration.birth_city.clone(),
        country => format!("{} ({country})", registration.birth_city),
    };
    CardHolder {
        last_name: registration.last_name.to_uppercase(),
        usage_name: registration.usage_name.to_uppercase(),
        first_names: registration.first_names,
        birth_date: registration.birth_date,
        birth_place,
        licence_number: registration.licence_number.to_uppercase(),
    }
}

/// What a new card is made for; its number and face are given on the day it is made.
pub struct CardOrder {
    pub application_id: String,
    pub driver_id: String,
    pub photo_key: String,
    pub replaces_card_id: Option<String>,
    pub delivery_address: Option<AddressInput>,
}

/// Puts a card into production: the year's next number on the French day of `now`, the face
/// drawn by `face` (a first card's or a replacement's).
pub async fn mint_card(
    conn: &mut Conn,
    order: CardOrder,
    face: impl FnOnce(&CardNumber, Date) -> CardFace,
    now: OffsetDateTime,
) -> AppResult<StoredCard> {
    let issued_on = french_day(now);
    let serial = stored_cards::next_card_serial(conn, issued_on.year()).await?;
    let number = CardNumber::new(issued_on.year(), serial).map_err(AppError::internal)?;
    let card = StoredCard {
        id: uuid::Uuid::new_v4().to_string(),
        application_id: order.application_id,
        driver_id: order.driver_id,
        status: CardStatus::InProduction,
        face: face(&number, issued_on),
        photo_key: order.photo_key,
        replaces_card_id: order.replaces_card_id,
        delivery_address: order.delivery_address,
        pending_address: None,
    };
    stored_cards::insert_card(conn, &card, now).await?;
    Ok(card)
}

pub async fn card_view(conn: &mut Conn, card: StoredCard) -> AppResult<CardView> {
    card_views(conn, vec![card]).await?.pop().ok_or_else(AppError::not_found)
}

/// The views of a list of cards, their timelines read in one query.
pub async fn card_views(conn: &mut Conn, cards: Vec<StoredCard>) -> AppResult<Vec<CardView>> {
    let mut timelines = timelines(conn, &cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).await?;
    Ok(cards
        .into_iter()
        .map(|card| CardView {
            timeline: timelines.remove(&card.id).unwrap_or_default(),
            id: card.id,
            application_id: card.application_id,
            status: card.status,
            face: card.face,
            delivery_address: card.delivery_address,
            pending_address: card.pending_address,
        })
        .collect())
}

/// Where a document's bytes are kept: opaque, never derived from anything the user typed.
pub fn object_key(application_id: &str, kind: cqc_domain::application::DocumentKind) -> String {
    format!("applications/{application_id}/{}-{}", kind.as_str(), uuid::Uuid::new_v4())
}

/// Deletes stored files after the change that dropped them was committed.
pub async fn delete_stored(documents: &crate::storage::Documents, keys: Vec<String>) {
    for key in keys {
        if let Err(error) = documents.delete(&key).await {
            tracing::warn!(%error, key, "a dropped document was left in storage");
        }
    }
}

/// The stored bytes of one of an application's documents.
pub async fn document_bytes(
    state: &crate::AppState,
    conn: &mut Conn,
    id: &str,
    kind: cqc_domain::application::DocumentKind,
) -> AppResult<Vec<u8>> {
    let document =
        store::documents(conn, id).await?.into_iter().find(|d| d.kind == kind).ok_or_else(AppError::not_found)?;
    Ok(state.documents.get(&document.object_key).await?)
}
