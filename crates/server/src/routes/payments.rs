//! Card payments (special cases 01 and 02), « Mes factures » (special case 03), and the
//! driver's answer to a returned card: extract, call the workflow, answer.

use crate::auth::Driver;
use crate::db::fees;
use crate::db::replacements as store;
use crate::db::replacements::StoredPayment;
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::replacements::{cleaned_address, payment_view};
use crate::workflows::{cards, payments};
use crate::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use cqc_domain::billing::{BillableItem, Price};
use cqc_domain::calendar::french_day;
use cqc_sync::api::ApiError;
use cqc_sync::applications::CardView;
use cqc_sync::replacements::{ChallengeAnswer, InvoiceSummary, PaymentRequest, PaymentView, ReturnedCardAnswer};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/fees", responses((status = 200, body = Vec<Price>)))]
pub async fn fees(State(state): State<AppState>, _driver: Driver) -> AppResult<ApiJson<Vec<Price>>> {
    let today = french_day(state.clock.now());
    let table = fees::in_force_on(&mut *state.db.reader().await?, today).await?;
    let items = [BillableItem::ReplacementCard, BillableItem::QualityReplacementCard, BillableItem::Reshipping];
    Ok(ApiJson(items.into_iter().filter_map(|item| table.price(item, None)).collect()))
}

async fn answer(state: &AppState, payment: StoredPayment) -> AppResult<ApiJson<PaymentView>> {
    Ok(ApiJson(payment_view(&mut *state.db.writer().await?, payment).await?))
}

/// « Payer ». The amount comes from the fee table, never from the request.
#[utoipa::path(post, path = "/api/v1/payments", request_body = PaymentRequest, responses((status = 200, body = PaymentView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn pay(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> AppResult<ApiJson<PaymentView>> {
    let payment = payments::pay(&state, &driver, &request.idempotency_key, &request.purpose, &request.card).await?;
    answer(&state, payment).await
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", params(("id" = String, Path)), responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<PaymentView>> {
    let payment = payments::own_payment(&state, &driver, &id.to_string()).await?;
    answer(&state, payments::resolve_if_stale(&state, payment).await?).await
}

/// The 3-D Secure code. Sent again after an answer was lost, it answers the outcome.
#[utoipa::path(post, path = "/api/v1/payments/{id}/challenge", params(("id" = String, Path)), request_body = ChallengeAnswer, responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn confirm_challenge(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<ChallengeAnswer>,
) -> AppResult<ApiJson<PaymentView>> {
    let settled = payments::confirm_challenge(&state, &driver, &id.to_string(), &request.code).await?;
    answer(&state, settled).await
}

/// « Abandonner » the 3-D Secure step: nothing was charged, a new attempt may follow.
#[utoipa::path(delete, path = "/api/v1/payments/{id}/challenge", params(("id" = String, Path)), responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn abandon_challenge(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<PaymentView>> {
    answer(&state, payments::abandon_challenge(&state, &driver, &id.to_string()).await?).await
}

/// « Mes factures »: the duplicates of the last 10 years.
#[utoipa::path(get, path = "/api/v1/invoices", responses((status = 200, body = Vec<InvoiceSummary>)))]
pub async fn invoices(
    State(state): State<AppState>,
    Driver(driver): Driver,
) -> AppResult<ApiJson<Vec<InvoiceSummary>>> {
    let today = french_day(state.clock.now());
    let invoices = store::invoices_of(&mut *state.db.writer().await?, &driver.account_id).await?;
    Ok(ApiJson(
        invoices
            .into_iter()
            .filter(|invoice| invoice.is_kept_on(today))
            .map(|invoice| InvoiceSummary {
                title: invoice.lines.first().map(|l| l.item.title_fr().to_owned()).unwrap_or_default(),
                total: invoice.totals().gross,
                issued_on: invoice.issued_on,
                number: invoice.number,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/invoices/{number}/pdf", params(("number" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 404, body = ApiError)))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(number): ApiPath<String>,
) -> AppResult<impl IntoResponse> {
    let found = store::find_invoice(&mut *state.db.writer().await?, &driver.account_id, &number).await?;
    let invoice = found.ok_or_else(AppError::not_found)?;
    if !invoice.is_kept_on(french_day(state.clock.now())) {
        return Err(AppError::not_found());
    }
    Ok(super::download::attachment(&format!("facture-{number}"), cqc_documents::invoice_duplicate_pdf(&invoice)))
}

/// « Pli non distribué »: the address is right → the card is sent again; a new address waits
/// for the re-shipping fee.
#[utoipa::path(post, path = "/api/v1/cards/{id}/returned", params(("id" = String, Path)), request_body = ReturnedCardAnswer, responses((status = 200, body = CardView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn returned_card(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<ReturnedCardAnswer>,
) -> AppResult<ApiJson<CardView>> {
    let new_address = request.new_address.as_ref().map(cleaned_address).transpose()?;
    Ok(ApiJson(cards::answer_returned(&state, &driver, &id.to_string(), new_address).await?))
}
