//! The agent's decisions on a card application (guide step 12): opening a file takes it into
//! processing; approval makes the card; refusal and the correction request tell the driver by
//! email, SMS and notification; the card's production steps, one card or a batch.

use crate::applications::{any_application, card_views, holder_of, mint_card, view_of, CardOrder};
use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::db::applications as store;
use crate::db::cards as stored_cards;
use crate::db::Conn;
use crate::db::{self, find_account, Account};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::application::{ApplicationStatus, ApplicationTransitionError, CorrectionItem, DocumentKind};
use cqc_domain::audit::AuditAction;
use cqc_domain::card::{CardEvent, CardFace, CARD_BATCH_MAX};
use cqc_sync::api::AuditEntry;
use cqc_sync::applications::{ApplicationFile, CardView};
use tracing::instrument;

pub async fn file_of(conn: &mut Conn, id: &str) -> AppResult<ApplicationFile> {
    let application = any_application(conn, id).await?;
    let driver = find_account(conn, &application.driver_id).await?;
    let history = db::audit_of(conn, id)
        .await?
        .into_iter()
        .map(|row| AuditEntry { at: rfc3339(row.at), actor: row.actor, action: row.action, detail: row.detail })
        .collect();
    Ok(ApplicationFile { application: view_of(conn, application).await?, driver: holder_of(&driver), history })
}

/// Opens a file; a file just sent is taken into processing by the agent who opens it.
#[instrument(skip_all, fields(agent = %agent.account_id, application = id))]
pub async fn open(state: &AppState, agent: &Caller, id: &str) -> AppResult<ApplicationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let application = any_application(work.conn().await?, id).await?;
    if matches!(application.state.status, ApplicationStatus::Draft | ApplicationStatus::Cancelled) {
        // A driver's unsent draft is theirs alone.
        return Err(AppError::not_found());
    }
    if let Ok(taken) = application.state.take() {
        store::save_state(work.conn().await?, id, &taken, now).await?;
        work.audit(AuditAction::InProcessing, id, "Demande en cours de traitement");
    }
    let file = file_of(work.conn().await?, id).await?;
    work.commit().await?;
    Ok(file)
}

/// Approval: the card is made (number, holder, photo, qualifications, code 95 expiry) and goes
/// into production.
#[instrument(skip_all, fields(agent = %agent.account_id, application = id))]
pub async fn approve(state: &AppState, agent: &Caller, id: &str) -> AppResult<ApplicationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = any_application(conn, id).await?;
    let approved = application.state.approve().map_err(AppError::application)?;
    let driver = driver_of(conn, &application.driver_id).await?;
    let photo = store::documents(conn, id)
        .await?
        .into_iter()
        .find(|d| d.kind == DocumentKind::Photo)
        .ok_or(ApplicationTransitionError::Incomplete { missing: Some(DocumentKind::Photo) })
        .map_err(AppError::application)?;
    let order = CardOrder {
        application_id: id.to_owned(),
        driver_id: driver.id.clone(),
        photo_key: photo.object_key,
        replaces_card_id: None,
        delivery_address: application.delivery_address.clone(),
    };
    let holder = holder_of(&driver);
    let card =
        mint_card(conn, order, |number, day| CardFace::new(holder, &application.entitlement, number, day), now).await?;
    store::save_state(conn, id, &approved, now).await?;
    work.audit(AuditAction::Approved, id, "Demande acceptée : carte en fabrication");
    work.audit(AuditAction::InProduction, &card.id, format!("Carte {} en fabrication", card.face.card_number));
    work.email(templates::application_decided(&driver.email, &driver.display_name, true, None));
    work.notify(
        &driver.id,
        "Demande de carte acceptée",
        "Votre carte est en fabrication. Vous pourrez l'activer dès sa réception.",
        Some(format!("card:{}", card.id)),
    );
    let file = file_of(work.conn().await?, id).await?;
    work.commit().await?;
    Ok(file)
}

#[instrument(skip_all, fields(agent = %agent.account_id, application = id))]
pub async fn refuse(state: &AppState, agent: &Caller, id: &str, reason: &str) -> AppResult<ApplicationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = any_application(conn, id).await?;
    let refused = application.state.refuse(reason).map_err(AppError::application)?;
    let reason = reason.trim();
    let driver = driver_of(conn, &application.driver_id).await?;
    store::save_state(conn, id, &refused, now).await?;
    store::set_refusal_reason(conn, id, reason).await?;
    work.audit(AuditAction::Refused, id, format!("Demande refusée : {reason}"));
    work.email(templates::application_decided(&driver.email, &driver.display_name, false, Some(reason)));
    work.notify(&driver.id, "Demande de carte refusée", reason, Some(format!("application:{id}")));
    let file = file_of(work.conn().await?, id).await?;
    work.commit().await?;
    Ok(file)
}

/// Items to provide again, each with its reason: email, SMS and a notification with « en savoir
/// plus » tell the driver.
#[instrument(skip_all, fields(agent = %agent.account_id, application = id))]
pub async fn request_correction(
    state: &AppState,
    agent: &Caller,
    id: &str,
    items: &[CorrectionItem],
) -> AppResult<ApplicationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = any_application(conn, id).await?;
    let requested = application.state.request_correction(items).map_err(AppError::application)?;
    let items = requested.correction.clone().unwrap_or_default();
    let driver = driver_of(conn, &application.driver_id).await?;
    store::save_state(conn, id, &requested, now).await?;
    store::reset_replaced(conn, id).await?;
    let listed: String = items.iter().map(|i| format!("- {} : {}\n", i.item.title_fr(), i.reason)).collect();
    let titles = items.iter().map(|i| i.item.title_fr()).collect::<Vec<_>>().join(", ");
    work.audit(AuditAction::CorrectionRequested, id, format!("Informations complémentaires demandées : {titles}"));
    work.email(templates::application_correction_requested(&driver.email, &driver.display_name, &listed));
    if let Some(phone) = driver.registration.as_ref().map(|r| r.mobile_phone.clone()).filter(|p| !p.is_empty()) {
        work.sms(
            &driver.id,
            &phone,
            format!(
                "CQC : des informations complémentaires sont demandées pour votre demande de carte ({titles}). \
                 Ouvrez l'application, « Mes demandes en cours »."
            ),
        );
    }
    work.notify(
        &driver.id,
        "Informations complémentaires demandées",
        &format!("Votre demande de carte est à compléter : {titles}."),
        Some(format!("application:{id}")),
    );
    let file = file_of(work.conn().await?, id).await?;
    work.commit().await?;
    Ok(file)
}

/// Printed, shipped, delivered or returned: one card or a batch, all of them or none.
#[instrument(skip_all, fields(agent = %agent.account_id, event = ?event, cards = card_ids.len()))]
pub async fn card_step(
    state: &AppState,
    agent: &Caller,
    event: CardEvent,
    card_ids: &[String],
) -> AppResult<Vec<CardView>> {
    if !event.is_the_agents() {
        // Activation is the holder's.
        return Err(AppError::reserved_to(cqc_domain::account::Role::Driver));
    }
    if card_ids.is_empty() || card_ids.len() > CARD_BATCH_MAX {
        return Err(AppError::bad_request(&format!("Choisissez entre 1 et {CARD_BATCH_MAX} cartes.")));
    }
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    for id in card_ids {
        let conn = work.conn().await?;
        let card = stored_cards::find_card(conn, id).await?;
        let status = card.status.apply(event).map_err(AppError::card_step)?;
        stored_cards::set_card_status(conn, id, status, now).await?;
        work.audit(AuditAction::card(status), id, format!("Carte {}", crate::error::card_status_label(status)));
        let told = match event {
            CardEvent::Ship => Some((
                "Carte expédiée",
                "Votre carte est expédiée. À sa réception, vérifiez-la puis activez-la dans « Mes cartes ».",
            )),
            CardEvent::ReturnUndelivered => Some((
                "Pli non distribué",
                "Votre carte nous a été retournée. Ouvrez « Mes cartes » pour la recevoir de nouveau.",
            )),
            _ => None,
        };
        if let Some((title, body)) = told {
            work.notify(&card.driver_id, title, body, Some(format!("card:{id}")));
        }
    }
    let conn = work.conn().await?;
    let cards = stored_cards::cards_by_ids(conn, card_ids).await?;
    let views = card_views(conn, cards).await?;
    work.commit().await?;
    Ok(views)
}

async fn driver_of(conn: &mut Conn, driver_id: &str) -> AppResult<Account> {
    Ok(find_account(conn, driver_id).await?)
}
