//! « Remplacement, Echange » (special case 01): the driver's wizard (reason, declaration, theft
//! declaration, addresses, summary), the return coupon of a defective card, the correction after
//! an analysis; the agent's receipt and analysis of a returned card.

use crate::applications::delete_stored;
use crate::auth::{Agent, Driver};
use crate::db::applications as cards;
use crate::db::replacements::{self as store, StoredReplacement};
use crate::db::{self, find_account};
use crate::error::{ApiBytes, ApiJson, AppError, AppResult};
use crate::mail::{self, templates};
use crate::replacements::{
    cleaned_address, discard_replacement, invalidate_card, own_card, own_replacement, produce_replacement_card,
    replacement_view,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use cqc_domain::application::DocumentKind;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::Fault;
use cqc_domain::calendar::french_day;
use cqc_domain::replacement::{
    Replacement, ReplacementDeclaration, ReplacementReason, ReplacementStatus, ReturnCoupon, CASE_NOTE_MAX,
    DEFECTIVE_ELEMENTS_MAX, DEFECT_DESCRIPTION_MAX,
};
use cqc_sync::api::ApiError;
use cqc_sync::applications::DeliveryAddressRequest;
use cqc_sync::replacements::{
    AddressRole, AnalysisRequest, DeclarationRequest, DriverFixRequest, NewReplacement, ReplacementView,
};
use sqlx::AnyConnection;

/// Where defective cards are posted back.
const RETURN_ADDRESS: [&str; 4] = ["Service CQC — Retour des cartes", "Analyse qualité", "TSA 12345", "45000 Orléans"];

async fn view(conn: &mut AnyConnection, driver_id: &str, id: &str) -> AppResult<ApiJson<ReplacementView>> {
    let stored = own_replacement(conn, driver_id, id).await?;
    Ok(ApiJson(replacement_view(conn, stored).await?))
}

#[utoipa::path(get, path = "/api/v1/replacements", responses((status = 200, body = Vec<ReplacementView>)))]
pub async fn list(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<ReplacementView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let mut views = Vec::new();
    for stored in store::replacements_of(&mut conn, &driver.account_id).await? {
        views.push(replacement_view(&mut conn, stored).await?);
    }
    Ok(ApiJson(views))
}

/// The reason chosen: a draft for a card the driver received. Sent again with the same id (a
/// retry after a cut), it answers the same draft.
#[utoipa::path(post, path = "/api/v1/replacements", request_body = NewReplacement, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn start(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<NewReplacement>,
) -> AppResult<ApiJson<ReplacementView>> {
    let id = uuid::Uuid::parse_str(&request.id)
        .map_err(|_| AppError::bad_request("L'identifiant de la demande n'est pas valide."))?
        .to_string();
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    if store::find_replacement(&mut tx, &id).await?.is_some() {
        return view(&mut tx, &driver.account_id, &id).await;
    }
    let card = own_card(&mut tx, &driver.account_id, &request.card_id).await?;
    let replacement = Replacement::start(request.reason, card.status).map_err(AppError::replacement)?;
    if store::replacements_of_card(&mut tx, &card.id).await?.iter().any(|r| r.replacement.is_open()) {
        return Err(AppError::conflict(
            "Une demande de remplacement de cette carte est déjà en cours : reprenez-la depuis « Mes demandes en cours ».",
        ));
    }
    let delivery_address = card.delivery_address.clone();
    let stored = StoredReplacement {
        id: id.clone(),
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
    store::insert_replacement(&mut tx, &stored, now).await?;
    let reason = match request.reason {
        ReplacementReason::Loss => "perte",
        ReplacementReason::Theft => "vol",
        ReplacementReason::Quality => "qualité",
    };
    db::audit(
        &mut tx,
        Some(&driver.account_id),
        AuditAction::Draft,
        &id,
        &format!("Demande de remplacement commencée (motif : {reason})"),
        now,
    )
    .await?;
    let answer = view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(answer)
}

#[utoipa::path(get, path = "/api/v1/replacements/{id}", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ReplacementView>> {
    view(&mut *state.db.pool.acquire().await?, &driver.account_id, &id).await
}

/// Runs `change` on the driver's draft and saves it: every wizard step goes through here.
async fn edit_draft(
    state: &AppState,
    driver_id: &str,
    id: &str,
    change: impl FnOnce(&mut StoredReplacement) -> AppResult<()>,
) -> AppResult<ApiJson<ReplacementView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = own_replacement(&mut tx, driver_id, id).await?;
    stored.replacement.may_edit().map_err(AppError::replacement)?;
    change(&mut stored)?;
    store::save_replacement(&mut tx, &stored, now).await?;
    let answer = view(&mut tx, driver_id, id).await?;
    tx.commit().await?;
    Ok(answer)
}

#[utoipa::path(put, path = "/api/v1/replacements/{id}/declaration", params(("id" = String, Path)), request_body = DeclarationRequest, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn declaration(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DeclarationRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    if request.defect_description.chars().count() > DEFECT_DESCRIPTION_MAX
        || request.defective_elements > DEFECTIVE_ELEMENTS_MAX
    {
        return Err(AppError::bad_request(&format!(
            "La description du défaut compte {DEFECT_DESCRIPTION_MAX} caractères au plus, et le nombre d'éléments \
             en défaut est au plus {DEFECTIVE_ELEMENTS_MAX}."
        )));
    }
    edit_draft(&state, &driver.account_id, &id, |stored| {
        stored.declaration.commits_to_return = request.commits_to_return;
        stored.declaration.defect_description = request.defect_description.trim().to_owned();
        stored.declaration.defective_elements = request.defective_elements;
        Ok(())
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/replacements/{id}/addresses/{role}", params(("id" = String, Path), ("role" = String, Path)), request_body = DeliveryAddressRequest, responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn address(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path((id, role)): Path<(String, String)>,
    ApiJson(request): ApiJson<DeliveryAddressRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    let role = match role.as_str() {
        "delivery" => AddressRole::Delivery,
        "billing" => AddressRole::Billing,
        _ => return Err(AppError::not_found()),
    };
    let cleaned = cleaned_address(&request.address)?;
    edit_draft(&state, &driver.account_id, &id, |stored| {
        match role {
            AddressRole::Delivery => {
                stored.delivery_address = Some(cleaned);
                stored.declaration.has_delivery_address = true;
            }
            AddressRole::Billing => {
                stored.billing_address = Some(cleaned);
                stored.declaration.has_billing_address = true;
            }
        }
        Ok(())
    })
    .await
}

/// The theft declaration, in one request; checked by its content like every document.
#[utoipa::path(put, path = "/api/v1/replacements/{id}/theft-declaration", params(("id" = String, Path)), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn theft_declaration(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
    ApiBytes(body): ApiBytes,
) -> AppResult<ApiJson<ReplacementView>> {
    {
        let mut conn = state.db.pool.acquire().await?;
        let stored = own_replacement(&mut conn, &driver.account_id, &id).await?;
        stored.replacement.may_edit().map_err(AppError::replacement)?;
        if stored.replacement.reason != ReplacementReason::Theft {
            return Err(AppError::conflict("Une déclaration de vol n'accompagne qu'une demande pour vol."));
        }
    }
    let checked = crate::files::check_document(DocumentKind::TheftDeclaration, body.to_vec()).await?;
    let key = format!("replacements/{id}/theft-declaration-{}", uuid::Uuid::new_v4());
    let stored = state.documents.put_uncommitted(&key, checked.bytes).await?;
    let mut previous = None;
    let answer = edit_draft(&state, &driver.account_id, &id, |stored| {
        previous = stored.theft_declaration_key.replace(key.clone());
        stored.declaration.theft_declaration_uploaded = true;
        Ok(())
    })
    .await?;
    stored.keep();
    // The file no longer named by the request is dropped.
    if let Some(previous) = previous {
        let _ = state.documents.delete(&previous).await;
    }
    Ok(answer)
}

/// « Valider » the summary: loss and theft wait for payment, a defective card for its return.
#[utoipa::path(post, path = "/api/v1/replacements/{id}/submit", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ReplacementView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = own_replacement(&mut tx, &driver.account_id, &id).await?;
    if stored.replacement.status != ReplacementStatus::Draft {
        // A retried « Valider » after a cut: already done.
        let answer = replacement_view(&mut tx, stored).await?;
        return Ok(ApiJson(answer));
    }
    stored.replacement = stored.replacement.submit(&stored.declaration).map_err(AppError::replacement)?;
    store::save_replacement(&mut tx, &stored, now).await?;
    let detail = match stored.replacement.status {
        ReplacementStatus::AwaitingCard => "Demande validée : envoyez la carte avec le coupon de retour",
        _ => "Demande validée : en attente du paiement",
    };
    db::audit(&mut tx, Some(&driver.account_id), AuditAction::Submitted, &id, detail, now).await?;
    let answer = view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(answer)
}

/// « Annuler », before money is taken or the card is posted back; never with a payment in flight.
#[utoipa::path(delete, path = "/api/v1/replacements/{id}", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn cancel(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ReplacementView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = own_replacement(&mut tx, &driver.account_id, &id).await?;
    let theft_declaration =
        discard_replacement(&mut tx, &mut stored, Some(&driver.account_id), "Demande de remplacement annulée", now)
            .await?;
    let answer = view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    delete_stored(&state.documents, theft_declaration.into_iter().collect()).await;
    Ok(answer)
}

/// The coupon to post with a defective card.
#[utoipa::path(get, path = "/api/v1/replacements/{id}/return-coupon", params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 409, body = ApiError)))]
pub async fn return_coupon(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let stored = own_replacement(&mut conn, &driver.account_id, &id).await?;
    if stored.replacement.reason != ReplacementReason::Quality || stored.replacement.status == ReplacementStatus::Draft
    {
        return Err(AppError::conflict("Le coupon de retour accompagne une demande pour défaut de qualité validée."));
    }
    let card = cards::find_card(&mut conn, &stored.card_id).await?.ok_or_else(AppError::not_found)?;
    let holder = &card.face.holder;
    let coupon = ReturnCoupon {
        replacement_id: stored.id.clone(),
        card_number: card.face.card_number.clone(),
        holder: format!("{} {}", holder.first_names, holder.last_name),
        defect_description: stored.declaration.defect_description.clone(),
        defective_elements: stored.declaration.defective_elements,
        return_address_lines: RETURN_ADDRESS.iter().map(|line| (*line).to_owned()).collect(),
        declared_on: french_day(stored.created_at).to_string(),
    };
    Ok(super::download::attachment("coupon-retour", cqc_documents::return_coupon_pdf(&coupon)))
}

/// The driver corrected the error the analysis found: the replacement now waits for payment.
#[utoipa::path(post, path = "/api/v1/replacements/{id}/fix", params(("id" = String, Path)), request_body = DriverFixRequest, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn fix(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DriverFixRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    let correction = request.correction.trim();
    if correction.is_empty() || correction.chars().count() > CASE_NOTE_MAX {
        return Err(AppError::bad_request(&format!(
            "Indiquez ce que vous avez corrigé ({CASE_NOTE_MAX} caractères au plus)."
        )));
    }
    let billing_address = cleaned_address(&request.billing_address)?;
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = own_replacement(&mut tx, &driver.account_id, &id).await?;
    stored.replacement = stored.replacement.driver_fixed().map_err(AppError::replacement)?;
    stored.billing_address = Some(billing_address);
    stored.declaration.has_billing_address = true;
    stored.driver_fix = Some(correction.to_owned());
    store::save_replacement(&mut tx, &stored, now).await?;
    db::audit(&mut tx, Some(&driver.account_id), AuditAction::Fixed, &id, &format!("Correction : {correction}"), now)
        .await?;
    let answer = view(&mut tx, &driver.account_id, &id).await?;
    tx.commit().await?;
    Ok(answer)
}

/// The agent's list: every request past its draft, oldest first.
#[utoipa::path(get, path = "/api/v1/agent/replacements", responses((status = 200, body = Vec<ReplacementView>), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<Vec<ReplacementView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let mut views = Vec::new();
    for stored in store::replacements_for_agent(&mut conn).await? {
        views.push(replacement_view(&mut conn, stored).await?);
    }
    Ok(ApiJson(views))
}

async fn any_replacement(conn: &mut AnyConnection, id: &str) -> AppResult<StoredReplacement> {
    store::find_replacement(conn, id)
        .await?
        .filter(|r| r.replacement.status != ReplacementStatus::Draft)
        .ok_or_else(AppError::not_found)
}

#[utoipa::path(get, path = "/api/v1/agent/replacements/{id}/theft-declaration", params(("id" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn agent_theft_declaration(
    State(state): State<AppState>,
    _agent: Agent,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let stored = any_replacement(&mut *state.db.pool.acquire().await?, &id).await?;
    let key = stored.theft_declaration_key.ok_or_else(AppError::not_found)?;
    let bytes = state.documents.get(&key).await?;
    Ok(super::download::attachment("declaration-de-vol", bytes))
}

/// The defective card arrived with its coupon: it is void from now on, and analysed.
#[utoipa::path(post, path = "/api/v1/agent/replacements/{id}/card-received", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn card_received(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ReplacementView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = any_replacement(&mut tx, &id).await?;
    stored.replacement = stored.replacement.card_received().map_err(AppError::replacement)?;
    let card = cards::find_card(&mut tx, &stored.card_id).await?.ok_or_else(AppError::not_found)?;
    invalidate_card(&mut tx, &card, Some(&agent.account_id), ReplacementReason::Quality, now).await?;
    store::save_replacement(&mut tx, &stored, now).await?;
    db::audit(&mut tx, Some(&agent.account_id), AuditAction::CardReceived, &id, "Carte reçue : analyse en cours", now)
        .await?;
    let answer = replacement_view(&mut tx, stored).await?;
    tx.commit().await?;
    Ok(ApiJson(answer))
}

/// The analysis: the issuer's fault → a free card now; the driver's → the driver is told what
/// to correct, then pays.
#[utoipa::path(post, path = "/api/v1/agent/replacements/{id}/analysis", params(("id" = String, Path)), request_body = AnalysisRequest, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn analysis(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AnalysisRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    let note = request.note.trim();
    if note.chars().count() > CASE_NOTE_MAX || (request.fault == Fault::Driver && note.is_empty()) {
        return Err(AppError::bad_request(&format!(
            "Indiquez l'erreur que le conducteur doit corriger ({CASE_NOTE_MAX} caractères au plus)."
        )));
    }
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut stored = any_replacement(&mut tx, &id).await?;
    stored.replacement = stored.replacement.analysed(request.fault).map_err(AppError::replacement)?;
    stored.fault = Some(request.fault);
    stored.analysis_note = (!note.is_empty()).then(|| note.to_owned());
    let issuers = request.fault == Fault::Issuer;
    if issuers {
        produce_replacement_card(&mut tx, &mut stored, Some(&agent.account_id), now).await?;
    }
    store::save_replacement(&mut tx, &stored, now).await?;
    let detail = if issuers {
        "Analyse : défaut de fabrication, nouvelle carte en fabrication sans frais".to_owned()
    } else {
        format!("Analyse : erreur imputée au conducteur — {note}")
    };
    db::audit(&mut tx, Some(&agent.account_id), AuditAction::Analysed, &id, &detail, now).await?;
    let driver = find_account(&mut tx, &stored.driver_id).await?.ok_or_else(AppError::not_found)?;
    mail::enqueue(&mut tx, &templates::replacement_analysed(&driver.email, &driver.display_name, issuers, note), now)
        .await?;
    let (title, body) = if issuers {
        (
            "Carte remplacée sans frais",
            "L'analyse a montré un défaut de fabrication : votre nouvelle carte est en fabrication.".to_owned(),
        )
    } else {
        (
            "Remplacement : une correction est attendue",
            format!("Corrigez l'erreur puis réglez le remplacement : {note}"),
        )
    };
    db::insert_notification_about(&mut tx, &driver.id, title, &body, Some(&format!("replacement:{id}")), now).await?;
    let answer = replacement_view(&mut tx, stored).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(answer))
}
