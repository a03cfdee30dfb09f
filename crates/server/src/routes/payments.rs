//! Card payments (special cases 01 and 02), « Mes factures » (special case 03), and the
//! driver's answer to a returned card. A payment attempt is recorded before the processor is
//! called and settled after; a replayed request finds its attempt and never charges again.

use crate::applications::card_view;
use crate::auth::Driver;
use crate::db;
use crate::db::applications as cards;
use crate::db::replacements::{self as store, StoredPayment};
use crate::error::{ApiJson, AppError, AppResult};
use crate::payments::ProviderAnswer;
use crate::replacements::{
    attempt_status, cleaned_address, own_card, own_replacement, payment_view, replacement_price, resend, settle,
};
use crate::throttle;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::{BankCard, BillableItem, PaymentAttempt, Price};
use cqc_domain::calendar::french_day;
use cqc_domain::card::CardStatus;
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::ReplacementStatus;
use cqc_domain::throttle::Action;
use cqc_sync::api::ApiError;
use cqc_sync::applications::CardView;
use cqc_sync::replacements::{
    ChallengeAnswer, InvoiceSummary, PaymentPurpose, PaymentRequest, PaymentView, ReturnedCardAnswer,
};
use sqlx::AnyConnection;

#[utoipa::path(get, path = "/api/v1/fees", responses((status = 200, body = Vec<Price>)))]
pub async fn fees(State(state): State<AppState>, _driver: Driver) -> AppResult<ApiJson<Vec<Price>>> {
    let table = store::fee_table(&mut *state.db.pool.acquire().await?).await?;
    let items = [BillableItem::ReplacementCard, BillableItem::QualityReplacementCard, BillableItem::Reshipping];
    Ok(ApiJson(items.into_iter().filter_map(|item| table.price(item, None)).collect()))
}

/// What a purpose costs now and the address it is billed to; refused when nothing is due.
async fn payable(
    conn: &mut AnyConnection,
    driver_id: &str,
    purpose: &PaymentPurpose,
) -> AppResult<(Price, AddressInput)> {
    match purpose {
        PaymentPurpose::Replacement { replacement_id } => {
            let stored = own_replacement(conn, driver_id, replacement_id).await?;
            if stored.replacement.status != ReplacementStatus::AwaitingPayment {
                return Err(AppError::nothing_to_pay());
            }
            let price = replacement_price(conn, &stored).await?.ok_or_else(AppError::nothing_to_pay)?;
            Ok((price, stored.billing_address.ok_or_else(AppError::nothing_to_pay)?))
        }
        PaymentPurpose::Reshipping { card_id } => {
            let card = own_card(conn, driver_id, card_id).await?;
            let address = card.pending_address.filter(|_| card.status == CardStatus::Returned);
            let address = address.ok_or_else(AppError::nothing_to_pay)?;
            let price = store::fee_table(conn).await?.price(BillableItem::Reshipping, None);
            Ok((price.ok_or_else(AppError::nothing_to_pay)?, address))
        }
    }
}

/// The processor's answer to an attempt whose own answer was lost; `None` if it never charged.
async fn look_up(state: &AppState, key: &str) -> Option<ProviderAnswer> {
    tokio::time::timeout(state.payment_timeout, state.payments.lookup(key)).await.ok()?.ok()?
}

/// A 3-D Secure step left unanswered this long has expired at the bank too.
const CHALLENGE_EXPIRY: time::Duration = time::Duration::minutes(15);

/// An attempt still waiting for the processor long after its deadline (the server stopped
/// mid-call) is settled from what the processor knows; a 3-D Secure step never answered (the
/// app closed) expires, so that the driver can pay again.
async fn resolve_if_stale(state: &AppState, payment: StoredPayment) -> AppResult<StoredPayment> {
    let age = state.clock.now() - payment.updated_at;
    if payment.status == PaymentAttempt::Challenge && age >= CHALLENGE_EXPIRY {
        return settle(state, &payment.id, PaymentAttempt::Challenge, PaymentAttempt::ABANDONED, None).await;
    }
    let deadline = time::Duration::try_from(state.payment_timeout * 2).unwrap_or(time::Duration::MINUTE);
    if !payment.status.is_in_flight() || age < deadline {
        return Ok(payment);
    }
    let answer = look_up(state, &payment.idempotency_key).await;
    let (to, reference) = match &answer {
        Some(answer) => attempt_status(answer),
        None => (PaymentAttempt::TimedOut, None),
    };
    settle(state, &payment.id, payment.status, to, reference).await
}

async fn answer(state: &AppState, payment: StoredPayment) -> AppResult<ApiJson<PaymentView>> {
    Ok(ApiJson(payment_view(&mut *state.db.pool.acquire().await?, payment).await?))
}

async fn own_payment(state: &AppState, driver_id: &str, id: &str) -> AppResult<StoredPayment> {
    let mut conn = state.db.pool.acquire().await?;
    store::find_payment(&mut conn, id).await?.filter(|p| p.driver_id == driver_id).ok_or_else(AppError::not_found)
}

/// « Payer ». The amount comes from the fee table, never from the request.
#[utoipa::path(post, path = "/api/v1/payments", request_body = PaymentRequest, responses((status = 200, body = PaymentView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn pay(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> AppResult<ApiJson<PaymentView>> {
    // Card testing (number after number tried on one account) meets the limit of refusals.
    throttle::ensure_below(&state, Action::RefusedPaymentByAccount, &driver.account_id).await?;
    let key = request.idempotency_key.trim();
    if !(16..=100).contains(&key.len()) {
        return Err(AppError::bad_request("La clé du paiement n'est pas valide."));
    }
    let replayed = store::payment_by_key(&mut *state.db.pool.acquire().await?, key).await?;
    if let Some(existing) = replayed {
        if existing.driver_id != driver.account_id {
            return Err(AppError::not_found());
        }
        let existing = resolve_if_stale(&state, existing).await?;
        return answer(&state, existing).await;
    }
    let now = state.clock.now();
    let card = request.card.check(french_day(now)).map_err(|errors| AppError::bank_card(&errors))?;
    let purpose = request.purpose.key();
    let mut conn = state.db.pool.acquire().await?;
    let (price, billing_address) = payable(&mut conn, &driver.account_id, &request.purpose).await?;
    if let Some(live) = store::live_payment(&mut conn, &purpose).await? {
        // An attempt lost mid-call is settled first; if it failed, it makes room for this one.
        drop(conn);
        resolve_if_stale(&state, live).await?;
        conn = state.db.pool.acquire().await?;
    }
    let payment = StoredPayment {
        id: uuid::Uuid::new_v4().to_string(),
        driver_id: driver.account_id.clone(),
        idempotency_key: key.to_owned(),
        purpose,
        price,
        status: PaymentAttempt::Pending,
        provider_reference: None,
        card_last_four: card.last_four(),
        billing_address,
        created_at: now,
        updated_at: now,
    };
    let inserted = store::insert_payment(&mut conn, &payment).await;
    // Given back before anything else takes one: SQLite's pool holds a single connection.
    drop(conn);
    if inserted.is_err() {
        // The same key sent twice at once, or another attempt alive or paid for this purpose.
        let existing = store::payment_by_key(&mut *state.db.pool.acquire().await?, key).await?;
        return match existing {
            Some(existing) if existing.driver_id == driver.account_id => answer(&state, existing).await,
            _ => Err(AppError::payment_in_progress()),
        };
    }
    db::audit(
        &mut *state.db.pool.acquire().await?,
        Some(&driver.account_id),
        AuditAction::Payment,
        &payment.id,
        &format!("Paiement de {} par la carte …{}", price.gross.french(), payment.card_last_four),
        now,
    )
    .await?;
    let settled = charge(&state, &payment, &card).await?;
    count_refusal(&state, &settled).await?;
    answer(&state, settled).await
}

/// A refused card (or 3-D Secure code) counts against the account's limit of refusals.
async fn count_refusal(state: &AppState, payment: &StoredPayment) -> AppResult<()> {
    if payment.status.is_refusal() {
        // Past the limit the next attempt is refused; this one has its own answer already.
        let _ = throttle::count(state, Action::RefusedPaymentByAccount, &payment.driver_id).await;
    }
    Ok(())
}

async fn charge(state: &AppState, payment: &StoredPayment, card: &BankCard) -> AppResult<StoredPayment> {
    let call = state.payments.charge(&payment.idempotency_key, payment.price.gross, card);
    let answer = match tokio::time::timeout(state.payment_timeout, call).await {
        Ok(Ok(answer)) => Some(answer),
        _ => look_up(state, &payment.idempotency_key).await,
    };
    let (to, reference) = match &answer {
        Some(answer) => attempt_status(answer),
        None => (PaymentAttempt::TimedOut, None),
    };
    settle(state, &payment.id, PaymentAttempt::Pending, to, reference).await
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", params(("id" = String, Path)), responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<PaymentView>> {
    let payment = own_payment(&state, &driver.account_id, &id).await?;
    let payment = resolve_if_stale(&state, payment).await?;
    answer(&state, payment).await
}

/// The 3-D Secure code. Sent again after an answer was lost, it answers the outcome.
#[utoipa::path(post, path = "/api/v1/payments/{id}/challenge", params(("id" = String, Path)), request_body = ChallengeAnswer, responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn confirm_challenge(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ChallengeAnswer>,
) -> AppResult<ApiJson<PaymentView>> {
    throttle::ensure_below(&state, Action::RefusedPaymentByAccount, &driver.account_id).await?;
    let payment = own_payment(&state, &driver.account_id, &id).await?;
    let now = state.clock.now();
    let taken = payment.status.move_to(PaymentAttempt::Confirming).is_ok()
        && store::move_payment(
            &mut *state.db.pool.acquire().await?,
            &id,
            PaymentAttempt::Challenge,
            PaymentAttempt::Confirming,
            None,
            now,
        )
        .await?;
    if !taken {
        let payment = resolve_if_stale(&state, payment).await?;
        return answer(&state, payment).await;
    }
    let reference = payment.provider_reference.clone().unwrap_or_default();
    let call = state.payments.confirm(&reference, &request.code);
    let outcome = match tokio::time::timeout(state.payment_timeout, call).await {
        Ok(Ok(outcome)) => Some(outcome),
        _ => look_up(&state, &payment.idempotency_key).await,
    };
    let (to, reference) = match &outcome {
        // No answer: the code may be given again.
        None | Some(ProviderAnswer::Challenge { .. }) => (PaymentAttempt::Challenge, None),
        Some(outcome) => attempt_status(outcome),
    };
    let settled = settle(&state, &id, PaymentAttempt::Confirming, to, reference).await?;
    count_refusal(&state, &settled).await?;
    answer(&state, settled).await
}

/// « Abandonner » the 3-D Secure step: nothing was charged, a new attempt may follow.
#[utoipa::path(delete, path = "/api/v1/payments/{id}/challenge", params(("id" = String, Path)), responses((status = 200, body = PaymentView), (status = 404, body = ApiError)))]
pub async fn abandon_challenge(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<PaymentView>> {
    own_payment(&state, &driver.account_id, &id).await?;
    let settled = settle(&state, &id, PaymentAttempt::Challenge, PaymentAttempt::ABANDONED, None).await?;
    answer(&state, settled).await
}

/// « Mes factures »: the duplicates of the last 10 years.
#[utoipa::path(get, path = "/api/v1/invoices", responses((status = 200, body = Vec<InvoiceSummary>)))]
pub async fn invoices(
    State(state): State<AppState>,
    Driver(driver): Driver,
) -> AppResult<ApiJson<Vec<InvoiceSummary>>> {
    let today = french_day(state.clock.now());
    let invoices = store::invoices_of(&mut *state.db.pool.acquire().await?, &driver.account_id).await?;
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
    Path(number): Path<String>,
) -> AppResult<impl IntoResponse> {
    let found = store::find_invoice(&mut *state.db.pool.acquire().await?, &driver.account_id, &number).await?;
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
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ReturnedCardAnswer>,
) -> AppResult<ApiJson<CardView>> {
    let new_address = request.new_address.as_ref().map(cleaned_address).transpose()?;
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let card = own_card(&mut tx, &driver.account_id, &id).await?;
    if card.status != CardStatus::Returned {
        return Err(AppError::conflict("Cette carte n'est pas revenue en pli non distribué."));
    }
    let purpose = PaymentPurpose::Reshipping { card_id: id.clone() }.key();
    if store::live_payment(&mut tx, &purpose).await?.is_some() {
        return Err(AppError::payment_in_progress());
    }
    match &new_address {
        None => resend(&mut tx, &card, None, Some(&driver.account_id), now).await?,
        Some(address) => {
            cards::set_card_addresses(&mut tx, &id, None, Some(address), now).await?;
            db::audit(
                &mut tx,
                Some(&driver.account_id),
                AuditAction::NewAddress,
                &id,
                "Nouvelle adresse indiquée : frais de réexpédition à régler",
                now,
            )
            .await?;
        }
    }
    let card = own_card(&mut tx, &driver.account_id, &id).await?;
    let view = card_view(&mut tx, card).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}
