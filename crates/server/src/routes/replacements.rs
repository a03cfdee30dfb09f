//! « Remplacement, Echange » (special case 01): the driver's wizard, the return coupon of a
//! defective card, the correction after an analysis; the agent's receipt and analysis of a
//! returned card. Extract, call the workflow (`crate::workflows::replacements`), answer.

use crate::auth::{Agent, Driver};
use crate::db::cards as stored_cards;
use crate::db::replacements as store;
use crate::error::{ApiBytes, ApiJson, ApiPath, AppError, AppResult};
use crate::replacements::{cleaned_address, own_replacement, replacement_views};
use crate::workflows::replacements::{self as workflow, any_replacement};
use crate::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use cqc_domain::calendar::french_day;
use cqc_domain::replacement::{ReplacementReason, ReplacementStatus, ReturnCoupon};
use cqc_sync::api::ApiError;
use cqc_sync::applications::DeliveryAddressRequest;
use cqc_sync::replacements::{
    AddressRole, AnalysisRequest, DeclarationRequest, DriverFixRequest, NewReplacement, ReplacementView,
};
use uuid::Uuid;

/// Where defective cards are posted back.
const RETURN_ADDRESS: [&str; 4] = ["Service CQC — Retour des cartes", "Analyse qualité", "TSA 12345", "45000 Orléans"];

#[utoipa::path(get, path = "/api/v1/replacements", responses((status = 200, body = Vec<ReplacementView>)))]
pub async fn list(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<ReplacementView>>> {
    let mut conn = state.db.writer().await?;
    let list = store::replacements_of(&mut conn, &driver.account_id).await?;
    Ok(ApiJson(replacement_views(&mut conn, list).await?))
}

/// The reason chosen: a draft for a card the driver received. Sent again with the same id (a
/// retry after a cut), it answers the same draft.
#[utoipa::path(post, path = "/api/v1/replacements", request_body = NewReplacement, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn start(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<NewReplacement>,
) -> AppResult<ApiJson<ReplacementView>> {
    let id = Uuid::parse_str(&request.id)
        .map_err(|_| AppError::bad_request("L'identifiant de la demande n'est pas valide."))?
        .to_string();
    Ok(ApiJson(workflow::start(&state, &driver, &id, &request.card_id, request.reason).await?))
}

#[utoipa::path(get, path = "/api/v1/replacements/{id}", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::view(&mut *state.db.writer().await?, &driver, &id.to_string()).await?))
}

#[utoipa::path(put, path = "/api/v1/replacements/{id}/declaration", params(("id" = String, Path)), request_body = DeclarationRequest, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn declaration(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<DeclarationRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::declare(&state, &driver, &id.to_string(), request).await?))
}

#[utoipa::path(put, path = "/api/v1/replacements/{id}/addresses/{role}", params(("id" = String, Path), ("role" = String, Path)), request_body = DeliveryAddressRequest, responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn address(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath((id, role)): ApiPath<(Uuid, AddressRole)>,
    ApiJson(request): ApiJson<DeliveryAddressRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    let cleaned = cleaned_address(&request.address)?;
    Ok(ApiJson(workflow::set_address(&state, &driver, &id.to_string(), role, cleaned).await?))
}

/// The theft declaration, in one request; checked by its content like every document.
#[utoipa::path(put, path = "/api/v1/replacements/{id}/theft-declaration", params(("id" = String, Path)), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn theft_declaration(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
    ApiBytes(body): ApiBytes,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::attach_theft_declaration(&state, &driver, &id.to_string(), body.to_vec()).await?))
}

/// « Valider » the summary: loss and theft wait for payment, a defective card for its return.
#[utoipa::path(post, path = "/api/v1/replacements/{id}/submit", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 422, body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::submit(&state, &driver, &id.to_string()).await?))
}

/// « Annuler », before money is taken or the card is posted back; never with a payment in flight.
#[utoipa::path(delete, path = "/api/v1/replacements/{id}", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn cancel(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::cancel(&state, &driver, &id.to_string()).await?))
}

/// The coupon to post with a defective card.
#[utoipa::path(get, path = "/api/v1/replacements/{id}/return-coupon", params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 409, body = ApiError)))]
pub async fn return_coupon(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<impl IntoResponse> {
    let mut conn = state.db.writer().await?;
    let stored = own_replacement(&mut conn, &driver.account_id, &id.to_string()).await?;
    if stored.replacement.reason != ReplacementReason::Quality || stored.replacement.status == ReplacementStatus::Draft
    {
        return Err(AppError::conflict("Le coupon de retour accompagne une demande pour défaut de qualité validée."));
    }
    let card = stored_cards::find_card(&mut conn, &stored.card_id).await?;
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
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<DriverFixRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    let billing_address = cleaned_address(&request.billing_address)?;
    Ok(ApiJson(workflow::fix(&state, &driver, &id.to_string(), &request.correction, billing_address).await?))
}

/// The agent's list: every request past its draft, oldest first.
#[utoipa::path(get, path = "/api/v1/agent/replacements", responses((status = 200, body = Vec<ReplacementView>), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<Vec<ReplacementView>>> {
    let mut conn = state.db.writer().await?;
    let list = store::replacements_for_agent(&mut conn).await?;
    Ok(ApiJson(replacement_views(&mut conn, list).await?))
}

#[utoipa::path(get, path = "/api/v1/agent/replacements/{id}/theft-declaration", params(("id" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn agent_theft_declaration(
    State(state): State<AppState>,
    _agent: Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<impl IntoResponse> {
    let stored = any_replacement(&mut *state.db.writer().await?, &id.to_string()).await?;
    let key = stored.theft_declaration_key.ok_or_else(AppError::not_found)?;
    let bytes = state.documents.get(&key).await?;
    Ok(super::download::attachment("declaration-de-vol", bytes))
}

/// The defective card arrived with its coupon: it is void from now on, and analysed.
#[utoipa::path(post, path = "/api/v1/agent/replacements/{id}/card-received", params(("id" = String, Path)), responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn card_received(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::card_received(&state, &agent, &id.to_string()).await?))
}

/// The analysis: the issuer's fault → a free card now; the driver's → the driver is told what
/// to correct, then pays.
#[utoipa::path(post, path = "/api/v1/agent/replacements/{id}/analysis", params(("id" = String, Path)), request_body = AnalysisRequest, responses((status = 200, body = ReplacementView), (status = 409, body = ApiError)))]
pub async fn analysis(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<AnalysisRequest>,
) -> AppResult<ApiJson<ReplacementView>> {
    Ok(ApiJson(workflow::analyse(&state, &agent, &id.to_string(), &request).await?))
}
