//! A card's life on the driver's side (guide step 12 and special cases 01–02): activation on
//! receipt, the answer to a card that came back undelivered, and the steps a replacement takes
//! a card through (void, a new identical card, sent again).

use crate::applications::{card_view, mint_card, CardOrder};
use crate::auth::Caller;
use crate::db::cards as stored_cards;
use crate::db::cards::StoredCard;
use crate::db::replacements::{live_payment, StoredReplacement};
use crate::error::{AppError, AppResult};
use crate::replacements::{address_lines, own_card};
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::audit::AuditAction;
use cqc_domain::card::{CardEvent, CardStatus};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::ReplacementReason;
use cqc_sync::applications::CardView;
use cqc_sync::replacements::PaymentPurpose;
use tracing::instrument;

/// On receipt, once the driver has checked it.
#[instrument(skip_all, fields(driver = %driver.account_id, card = id))]
pub async fn activate(state: &AppState, driver: &Caller, id: &str) -> AppResult<CardView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let card = own_card(conn, &driver.account_id, id).await?;
    let status = card.status.apply(CardEvent::Activate).map_err(AppError::card_step)?;
    stored_cards::set_card_status(conn, id, status, now).await?;
    work.audit(AuditAction::card(status), id, "Carte activée par son titulaire");
    answer(work, &driver.account_id, id).await
}

/// « Pli non distribué »: the address is right → the card is sent again; a new address waits
/// for the re-shipping fee.
#[instrument(skip_all, fields(driver = %driver.account_id, card = id))]
pub async fn answer_returned(
    state: &AppState,
    driver: &Caller,
    id: &str,
    new_address: Option<AddressInput>,
) -> AppResult<CardView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let card = own_card(conn, &driver.account_id, id).await?;
    if card.status != CardStatus::Returned {
        return Err(AppError::conflict("Cette carte n'est pas revenue en pli non distribué."));
    }
    let purpose = PaymentPurpose::Reshipping { card_id: id.to_owned() }.key();
    if live_payment(conn, &purpose).await?.is_some() {
        return Err(AppError::payment_in_progress());
    }
    match &new_address {
        None => resend(&mut work, &card, None).await?,
        Some(address) => {
            stored_cards::set_card_addresses(conn, id, None, Some(address), now).await?;
            work.audit(AuditAction::NewAddress, id, "Nouvelle adresse indiquée : frais de réexpédition à régler");
        }
    }
    answer(work, &driver.account_id, id).await
}

async fn answer(mut work: UnitOfWork, driver_id: &str, id: &str) -> AppResult<CardView> {
    let conn = work.conn().await?;
    let card = own_card(conn, driver_id, id).await?;
    let view = card_view(conn, card).await?;
    work.commit().await?;
    Ok(view)
}

/// A returned card goes back to the agent's « à renvoyer » list, to `new_address` if given.
pub async fn resend(work: &mut UnitOfWork, card: &StoredCard, new_address: Option<&AddressInput>) -> AppResult<()> {
    let now = work.now;
    let conn = work.conn().await?;
    let status = card.status.apply(CardEvent::Resend).map_err(AppError::card_step)?;
    stored_cards::set_card_status(conn, &card.id, status, now).await?;
    stored_cards::set_card_addresses(conn, &card.id, new_address, None, now).await?;
    let detail = match new_address {
        Some(address) => format!("Carte à renvoyer à la nouvelle adresse : {}", address_lines(address).join(", ")),
        None => "Adresse confirmée : carte à renvoyer".to_owned(),
    };
    work.audit(AuditAction::card(status), &card.id, detail);
    Ok(())
}

/// A card declared lost or stolen, or returned as defective, is void from now on.
pub async fn invalidate(work: &mut UnitOfWork, card: &StoredCard, reason: ReplacementReason) -> AppResult<()> {
    let now = work.now;
    let status = card.status.apply(CardEvent::Invalidate).map_err(AppError::card_step)?;
    stored_cards::set_card_status(work.conn().await?, &card.id, status, now).await?;
    let why = match reason {
        ReplacementReason::Loss => "déclarée perdue",
        ReplacementReason::Theft => "déclarée volée",
        ReplacementReason::Quality => "retournée pour défaut",
    };
    work.audit(AuditAction::card(status), &card.id, format!("Carte annulée : {why}"));
    Ok(())
}

/// The identical card that replaces `stored`'s: same holder, photo, qualifications and code 95
/// expiry, a new number. A lost or stolen card becomes void now; a defective one became void
/// when it came back.
pub async fn produce_replacement(work: &mut UnitOfWork, stored: &mut StoredReplacement) -> AppResult<()> {
    let now = work.now;
    let conn = work.conn().await?;
    let old = stored_cards::find_card(conn, &stored.card_id).await?;
    let order = CardOrder {
        application_id: old.application_id.clone(),
        driver_id: old.driver_id.clone(),
        photo_key: old.photo_key.clone(),
        replaces_card_id: Some(old.id.clone()),
        delivery_address: stored.delivery_address.clone().or(old.delivery_address.clone()),
    };
    let card = mint_card(conn, order, |number, day| old.face.replacement(number, day), now).await?;
    work.audit(
        AuditAction::InProduction,
        &card.id,
        format!("Carte {} en fabrication, en remplacement de la carte {}", card.face.card_number, old.face.card_number),
    );
    if old.status != CardStatus::Void {
        invalidate(work, &old, stored.replacement.reason).await?;
    }
    stored.new_card_id = Some(card.id);
    Ok(())
}
