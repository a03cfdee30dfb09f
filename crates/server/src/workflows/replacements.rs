//! « Remplacement, Echange » (special case 01): the driver's wizard (reason, declaration, theft
//! declaration, addresses, summary), « Annuler », the correction after an analysis; the agent's
//! receipt and analysis of a returned card.

use crate::applications::delete_stored;
use crate::auth::Caller;
use crate::db::cards::find_card;
use crate::db::find_account;
use crate::db::replacements::{self as store, StoredReplacement};
use crate::db::Conn;
use crate::db::Optional;
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::replacements::{own_card, own_replacement, purpose_of, replacement_view};
use crate::workflow::UnitOfWork;
use crate::workflows::cards::{invalidate, produce_replacement};
use crate::AppState;
use cqc_domain::application::DocumentKind;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::Fault;
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{
    Replacement, ReplacementDeclaration, ReplacementReason, ReplacementStatus, CASE_NOTE_MAX, DEFECTIVE_ELEMENTS_MAX,
    DEFECT_DESCRIPTION_MAX,
};
use cqc_sync::replacements::{AddressRole, AnalysisRequest, DeclarationRequest, ReplacementView};
use tracing::instrument;

/// The reason chosen: a draft for a card the driver received. Sent again with the same id (a
/// retry after a cut), it answers the same draft.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn start(
    state: &AppState,
    driver: &Caller,
    id: &str,
    card_id: &str,
    reason: ReplacementReason,
) -> AppResult<ReplacementView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    if store::find_replacement(conn, id).await.optional()?.is_some() {
        return view(conn, driver, id).await;
    }
    let card = own_card(conn, &driver.account_id, card_id).await?;
    let replacement = Replacement::start(reason, card.status).map_err(AppError::replacement)?;
    if store::replacements_of_card(conn, &card.id).await?.iter().any(|r| r.replacement.is_open()) {
        return Err(AppError::conflict(
            "Une demande de remplacement de cette carte est déjà en cours : reprenez-la depuis « Mes demandes en cours ».",
        ));
    }
    let delivery_address = card.delivery_address.clone();
    let stored = StoredReplacement {
        id: id.to_owned(),
        driver_id: driver.account_id.clone(),
        card_id: card.id.clone(),
        replacement,
        declaration: ReplacementDeclaration {
            has_delivery_address: delivery_address.is_some(),
            ..ReplacementDeclaration::default()
        },
        delivery_address,
        billing_address: None,
        theft_declaration_key: None,
        fault: None,
        analysis_note: None,
        driver_fix: None,
        new_card_id: None,
        created_at: now,
    };
    store::insert_replacement(conn, &stored, now).await?;
    let reason = match reason {
        ReplacementReason::Loss => "perte",
        ReplacementReason::Theft => "vol",
        ReplacementReason::Quality => "qualité",
    };
    work.audit(AuditAction::Draft, id, format!("Demande de remplacement commencée (motif : {reason})"));
    answer(work, driver, id).await
}

/// The driver's own request as they see it.
pub async fn view(conn: &mut Conn, driver: &Caller, id: &str) -> AppResult<ReplacementView> {
    let stored = own_replacement(conn, &driver.account_id, id).await?;
    replacement_view(conn, stored).await
}

/// The view the driver gets back, read in the unit of work, which is then committed.
async fn answer(mut work: UnitOfWork, driver: &Caller, id: &str) -> AppResult<ReplacementView> {
    let answer = view(work.conn().await?, driver, id).await?;
    work.commit().await?;
    Ok(answer)
}

/// The agent's view of a request, committed with the unit of work.
async fn answer_agent(mut work: UnitOfWork, stored: StoredReplacement) -> AppResult<ReplacementView> {
    let answer = replacement_view(work.conn().await?, stored).await?;
    work.commit().await?;
    Ok(answer)
}

/// Runs `change` on the driver's draft and saves it: every wizard step goes through here.
async fn edit_draft(
    state: &AppState,
    driver: &Caller,
    id: &str,
    change: impl FnOnce(&mut StoredReplacement),
) -> AppResult<ReplacementView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let mut stored = own_replacement(conn, &driver.account_id, id).await?;
    stored.replacement.may_edit().map_err(AppError::replacement)?;
    change(&mut stored);
    store::save_replacement(conn, &stored, now).await?;
    answer(work, driver, id).await
}

#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn declare(
    state: &AppState,
    driver: &Caller,
    id: &str,
    request: DeclarationRequest,
) -> AppResult<ReplacementView> {
    if request.defect_description.chars().count() > DEFECT_DESCRIPTION_MAX
        || request.defective_elements > DEFECTIVE_ELEMENTS_MAX
    {
        return Err(AppError::bad_request(&format!(
            "La description du défaut compte {DEFECT_DESCRIPTION_MAX} caractères au plus, et le nombre d'éléments \
             en défaut est au plus {DEFECTIVE_ELEMENTS_MAX}."
        )));
    }
    edit_draft(state, driver, id, |stored| {
        stored.declaration.commits_to_return = request.commits_to_return;
        stored.declaration.defect_description = request.defect_description.trim().to_owned();
        stored.declaration.defective_elements = request.defective_elements;
    })
    .await
}

/// A checked address (`crate::replacements::cleaned_address`) for delivery or billing.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn set_address(
    state: &AppState,
    driver: &Caller,
    id: &str,
    role: AddressRole,
    address: AddressInput,
) -> AppResult<ReplacementView> {
    edit_draft(state, driver, id, |stored| match role {
        AddressRole::Delivery => {
            stored.delivery_address = Some(address);
            stored.declaration.has_delivery_address = true;
        }
        AddressRole::Billing => {
            stored.billing_address = Some(address);
            stored.declaration.has_billing_address = true;
        }
    })
    .await
}

/// The theft declaration, in one request; checked by its content like every document, with no
/// transaction open meanwhile.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn attach_theft_declaration(
    state: &AppState,
    driver: &Caller,
    id: &str,
    body: Vec<u8>,
) -> AppResult<ReplacementView> {
    {
        let mut conn = state.db.writer().await?;
        let stored = own_replacement(&mut conn, &driver.account_id, id).await?;
        stored.replacement.may_edit().map_err(AppError::replacement)?;
        if stored.replacement.reason != ReplacementReason::Theft {
            return Err(AppError::conflict("Une déclaration de vol n'accompagne qu'une demande pour vol."));
        }
    }
    let turn = crate::files::turn(&driver.account_id).await?;
    let checked = crate::files::check_document(turn, DocumentKind::TheftDeclaration, body).await?;
    let key = format!("replacements/{id}/theft-declaration-{}", uuid::Uuid::new_v4());
    let stored = state.documents.put_uncommitted(&key, checked.bytes).await?;
    let mut previous = None;
    let answer = edit_draft(state, driver, id, |stored| {
        previous = stored.theft_declaration_key.replace(key.clone());
        stored.declaration.theft_declaration_uploaded = true;
    })
    .await?;
    stored.keep();
    // The file no longer named by the request is dropped.
    delete_stored(&state.documents, previous.into_iter().collect()).await;
    Ok(answer)
}

/// « Valider » the summary: loss and theft wait for payment, a defective card for its return.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn submit(state: &AppState, driver: &Caller, id: &str) -> AppResult<ReplacementView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let mut stored = own_replacement(conn, &driver.account_id, id).await?;
    if stored.replacement.status != ReplacementStatus::Draft {
        // A retried « Valider » after a cut: already done.
        return replacement_view(conn, stored).await;
    }
    stored.replacement = stored.replacement.submit(&stored.declaration).map_err(AppError::replacement)?;
    store::save_replacement(conn, &stored, now).await?;
    let detail = match stored.replacement.status {
        ReplacementStatus::AwaitingCard => "Demande validée : envoyez la carte avec le coupon de retour",
        _ => "Demande validée : en attente du paiement",
    };
    work.audit(AuditAction::Submitted, id, detail);
    answer(work, driver, id).await
}

/// « Annuler », before money is taken or the card is posted back; never with a payment in flight.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn cancel(state: &AppState, driver: &Caller, id: &str) -> AppResult<ReplacementView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let mut stored = own_replacement(work.conn().await?, &driver.account_id, id).await?;
    let theft_declaration = discard(&mut work, &mut stored, "Demande de remplacement annulée").await?;
    let answer = answer(work, driver, id).await?;
    delete_stored(&state.documents, theft_declaration.into_iter().collect()).await;
    Ok(answer)
}

/// Cancels a replacement before payment or the card's return, audited. Answers its theft
/// declaration's stored file, to delete once the unit of work is committed.
pub async fn discard(work: &mut UnitOfWork, stored: &mut StoredReplacement, detail: &str) -> AppResult<Option<String>> {
    let now = work.now;
    let conn = work.conn().await?;
    let purpose = purpose_of(stored).key();
    if store::live_payment(conn, &purpose).await?.is_some() {
        return Err(AppError::payment_in_progress());
    }
    stored.replacement = stored.replacement.cancel().map_err(AppError::replacement)?;
    let theft_declaration = stored.theft_declaration_key.take();
    stored.declaration.theft_declaration_uploaded = false;
    store::save_replacement(conn, stored, now).await?;
    work.audit(AuditAction::Cancelled, &stored.id, detail);
    Ok(theft_declaration)
}

/// The driver corrected the error the analysis found: the replacement now waits for payment.
#[instrument(skip_all, fields(driver = %driver.account_id, replacement = id))]
pub async fn fix(
    state: &AppState,
    driver: &Caller,
    id: &str,
    correction: &str,
    billing_address: AddressInput,
) -> AppResult<ReplacementView> {
    let correction = correction.trim();
    if correction.is_empty() || correction.chars().count() > CASE_NOTE_MAX {
        return Err(AppError::bad_request(&format!(
            "Indiquez ce que vous avez corrigé ({CASE_NOTE_MAX} caractères au plus)."
        )));
    }
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let mut stored = own_replacement(conn, &driver.account_id, id).await?;
    stored.replacement = stored.replacement.driver_fixed().map_err(AppError::replacement)?;
    stored.billing_address = Some(billing_address);
    stored.declaration.has_billing_address = true;
    stored.driver_fix = Some(correction.to_owned());
    store::save_replacement(conn, &stored, now).await?;
    work.audit(AuditAction::Fixed, id, format!("Correction : {correction}"));
    answer(work, driver, id).await
}

/// A request past its draft, as the agent sees it.
pub async fn any_replacement(conn: &mut Conn, id: &str) -> AppResult<StoredReplacement> {
    store::find_replacement(conn, id)
        .await
        .optional()?
        .filter(|r| r.replacement.status != ReplacementStatus::Draft)
        .ok_or_else(AppError::not_found)
}

/// The defective card arrived with its coupon: it is void from now on, and analysed.
#[instrument(skip_all, fields(agent = %agent.account_id, replacement = id))]
pub async fn card_received(state: &AppState, agent: &Caller, id: &str) -> AppResult<ReplacementView> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let mut stored = any_replacement(conn, id).await?;
    stored.replacement = stored.replacement.card_received().map_err(AppError::replacement)?;
    let card = find_card(conn, &stored.card_id).await?;
    invalidate(&mut work, &card, ReplacementReason::Quality).await?;
    store::save_replacement(work.conn().await?, &stored, now).await?;
    work.audit(AuditAction::CardReceived, id, "Carte reçue : analyse en cours");
    answer_agent(work, stored).await
}

/// The analysis: the issuer's fault → a free card now; the driver's → the driver is told what
/// to correct, then pays.
#[instrument(skip_all, fields(agent = %agent.account_id, replacement = id))]
pub async fn analyse(
    state: &AppState,
    agent: &Caller,
    id: &str,
    request: &AnalysisRequest,
) -> AppResult<ReplacementView> {
    let note = request.note.trim();
    if note.chars().count() > CASE_NOTE_MAX || (request.fault == Fault::Driver && note.is_empty()) {
        return Err(AppError::bad_request(&format!(
            "Indiquez l'erreur que le conducteur doit corriger ({CASE_NOTE_MAX} caractères au plus)."
        )));
    }
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let mut stored = any_replacement(work.conn().await?, id).await?;
    stored.replacement = stored.replacement.analysed(request.fault).map_err(AppError::replacement)?;
    stored.fault = Some(request.fault);
    stored.analysis_note = (!note.is_empty()).then(|| note.to_owned());
    let issuers = request.fault == Fault::Issuer;
    if issuers {
        produce_replacement(&mut work, &mut stored).await?;
    }
    let conn = work.conn().await?;
    store::save_replacement(conn, &stored, now).await?;
    let driver = find_account(conn, &stored.driver_id).await?;
    let (detail, title, body) = if issuers {
        (
            "Analyse : défaut de fabrication, nouvelle carte en fabrication sans frais".to_owned(),
            "Carte remplacée sans frais",
            "L'analyse a montré un défaut de fabrication : votre nouvelle carte est en fabrication.".to_owned(),
        )
    } else {
        (
            format!("Analyse : erreur imputée au conducteur — {note}"),
            "Remplacement : une correction est attendue",
            format!("Corrigez l'erreur puis réglez le remplacement : {note}"),
        )
    };
    work.audit(AuditAction::Analysed, id, detail);
    work.email(templates::replacement_analysed(&driver.email, &driver.display_name, issuers, note));
    work.notify(&driver.id, title, &body, Some(format!("replacement:{id}")));
    answer_agent(work, stored).await
}
