//! Card payments (special cases 01 and 02). An attempt is recorded before the processor is called
//! and settled after; a replayed request finds its attempt and never charges again. Settling an
//! approval pays for its purpose and issues the invoice in the same unit of work, so money taken
//! always has its effect and its invoice.

use crate::auth::Caller;
use crate::db::cards::find_card;
use crate::db::find_account;
use crate::db::replacements::{self as store, StoredPayment};
use crate::db::{fees, Conn};
use crate::error::{AppError, AppResult};
use crate::mail::{templates, Attachment};
use crate::payments::ProviderAnswer;
use crate::replacements::{address_lines, own_card, own_replacement, parse_purpose, replacement_fees, seller};
use crate::throttle;
use crate::workflow::UnitOfWork;
use crate::workflows::cards::{produce_replacement, resend};
use crate::AppState;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::{
    BankCard, BankCardInput, BillableItem, Invoice, InvoiceNumber, Party, PaymentAttempt, Price,
};
use cqc_domain::calendar::french_day;
use cqc_domain::card::CardStatus;
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::ReplacementStatus;
use cqc_domain::throttle::Action;
use cqc_sync::replacements::PaymentPurpose;
use time::OffsetDateTime;
use tracing::instrument;

/// The idempotency key the app generates once per « Payer ».
const KEY_LENGTH: std::ops::RangeInclusive<usize> = 16..=100;

/// « Payer ». The amount comes from the fee table, never from the request.
#[instrument(skip_all, fields(driver = %driver.account_id))]
pub async fn pay(
    state: &AppState,
    driver: &Caller,
    key: &str,
    purpose: &PaymentPurpose,
    card: &BankCardInput,
) -> AppResult<StoredPayment> {
    // Card testing (number after number tried on one account) meets the limit of refusals.
    throttle::ensure_below(state, Action::RefusedPaymentByAccount, &driver.account_id).await?;
    let key = key.trim();
    if !KEY_LENGTH.contains(&key.len()) {
        return Err(AppError::bad_request("La clé du paiement n'est pas valide."));
    }
    if let Some(existing) = attempt_of_key(state, driver, key).await? {
        return resolve_if_stale(state, existing).await;
    }
    match new_attempt(state, driver, key, purpose, card).await {
        // The same key sent again at once (a double click): whatever this request met (the
        // other's attempt alive, nothing left to pay once it was paid), it answers that attempt.
        Err(refused) => match attempt_of_key(state, driver, key).await? {
            Some(existing) => resolve_if_stale(state, existing).await,
            None => Err(refused),
        },
        Ok(settled) => Ok(settled),
    }
}

/// The attempt an idempotency key started; another driver's key answers « introuvable ».
async fn attempt_of_key(state: &AppState, driver: &Caller, key: &str) -> AppResult<Option<StoredPayment>> {
    match store::payment_by_key(&mut *state.db.writer().await?, key).await? {
        Some(existing) if existing.driver_id != driver.account_id => Err(AppError::not_found()),
        found => Ok(found),
    }
}

async fn new_attempt(
    state: &AppState,
    driver: &Caller,
    key: &str,
    purpose: &PaymentPurpose,
    card: &BankCardInput,
) -> AppResult<StoredPayment> {
    let now = state.clock.now();
    let card = card.check(french_day(now)).map_err(|errors| AppError::bank_card(&errors))?;
    let (due, live) = {
        let mut conn = state.db.writer().await?;
        let due = payable(&mut conn, &driver.account_id, purpose, now).await?;
        (due, store::live_payment(&mut conn, &purpose.key()).await?)
    };
    if let Some(live) = live {
        // An attempt lost mid-call is settled first; if it failed, it makes room for this one.
        resolve_if_stale(state, live).await?;
    }
    let payment = StoredPayment {
        id: uuid::Uuid::new_v4().to_string(),
        driver_id: driver.account_id.clone(),
        idempotency_key: key.to_owned(),
        purpose: purpose.key(),
        price: due.price,
        vat_basis_points: due.vat_basis_points,
        status: PaymentAttempt::Pending,
        provider_reference: None,
        card_last_four: card.last_four(),
        billing_address: due.billing_address,
        created_at: now,
        updated_at: now,
    };
    if !record_attempt(state, &payment).await? {
        // Another attempt alive or paid for this purpose (the same key is answered by `pay`).
        return Err(AppError::payment_in_progress());
    }
    let settled = charge(state, &payment, &card).await?;
    count_refusal(state, &settled).await;
    Ok(settled)
}

/// Writes the attempt before the processor is called; false when the database refused it (an
/// attempt with this key, or a live one for this purpose, exists).
async fn record_attempt(state: &AppState, payment: &StoredPayment) -> AppResult<bool> {
    let mut work = UnitOfWork::begin(state, Some(&payment.driver_id)).await?;
    if store::insert_payment(work.conn().await?, payment).await.is_err() {
        // Dropped: the transaction is rolled back and its connection given back.
        return Ok(false);
    }
    work.audit(
        AuditAction::Payment,
        &payment.id,
        format!("Paiement de {} par la carte …{}", payment.price.gross.french(), payment.card_last_four),
    );
    work.commit().await?;
    Ok(true)
}

/// What a purpose costs, at the VAT rate of its fees, and the address it is billed to.
struct Due {
    price: Price,
    vat_basis_points: u32,
    billing_address: AddressInput,
}

/// What is due for a purpose; refused when nothing is. A replacement costs the fees in force on
/// the day the driver began it (the price its view showed from the start); a re-shipping, asked
/// and paid in one go, today's (the price shown beside « Payer »).
async fn payable(conn: &mut Conn, driver_id: &str, purpose: &PaymentPurpose, now: OffsetDateTime) -> AppResult<Due> {
    let (fees, price, billing_address) = match purpose {
        PaymentPurpose::Replacement { replacement_id } => {
            let stored = own_replacement(conn, driver_id, replacement_id).await?;
            if stored.replacement.status != ReplacementStatus::AwaitingPayment {
                return Err(AppError::nothing_to_pay());
            }
            let fees = replacement_fees(conn, &stored).await?;
            (fees, stored.replacement.price(stored.fault, &fees), stored.billing_address)
        }
        PaymentPurpose::Reshipping { card_id } => {
            let card = own_card(conn, driver_id, card_id).await?;
            let address = card.pending_address.filter(|_| card.status == CardStatus::Returned);
            // The fee the driver sees beside « Payer » (`/fees`): today's.
            let fees = fees::in_force_on(conn, french_day(now)).await?;
            (fees, fees.price(BillableItem::Reshipping, None), address)
        }
    };
    match (price, billing_address) {
        (Some(price), Some(billing_address)) => {
            Ok(Due { price, vat_basis_points: fees.vat_basis_points, billing_address })
        }
        _ => Err(AppError::nothing_to_pay()),
    }
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
    settle(state, payment, PaymentAttempt::Pending, to, reference).await
}

/// The processor's answer to an attempt whose own answer was lost; `None` if it never charged.
async fn look_up(state: &AppState, key: &str) -> Option<ProviderAnswer> {
    tokio::time::timeout(state.payment_timeout, state.payments.lookup(key)).await.ok()?.ok()?
}

/// The processor's answer, as the attempt records it.
fn attempt_status(answer: &ProviderAnswer) -> (PaymentAttempt, Option<&str>) {
    match answer {
        ProviderAnswer::Approved { reference } => (PaymentAttempt::Approved, Some(reference)),
        ProviderAnswer::Declined { reason } => (PaymentAttempt::Declined(*reason), None),
        ProviderAnswer::Challenge { reference } => (PaymentAttempt::Challenge, Some(reference)),
    }
}

/// A refused card (or 3-D Secure code) counts against the account's limit of refusals.
async fn count_refusal(state: &AppState, payment: &StoredPayment) {
    if payment.status.is_refusal() {
        // Past the limit the next attempt is refused; this one has its own answer already.
        let _ = throttle::count(state, Action::RefusedPaymentByAccount, &payment.driver_id).await;
    }
}

/// The driver's own attempt; another's answers like a missing one.
pub async fn own_payment(state: &AppState, driver: &Caller, id: &str) -> AppResult<StoredPayment> {
    let mut conn = state.db.writer().await?;
    Ok(crate::db::find_owned(&mut conn, &driver.account_id, id).await?)
}

/// An attempt still waiting for the processor long after its deadline (the server stopped
/// mid-call) is settled from what the processor knows; a 3-D Secure step never answered (the
/// app closed) expires, so that the driver can pay again.
pub async fn resolve_if_stale(state: &AppState, payment: StoredPayment) -> AppResult<StoredPayment> {
    let age = state.clock.now() - payment.updated_at;
    if payment.status == PaymentAttempt::Challenge && age >= PaymentAttempt::CHALLENGE_EXPIRY {
        return settle(state, &payment, PaymentAttempt::Challenge, PaymentAttempt::ABANDONED, None).await;
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
    settle(state, &payment, payment.status, to, reference).await
}

/// The 3-D Secure code. Sent again after an answer was lost, it answers the outcome.
#[instrument(skip_all, fields(driver = %driver.account_id, payment = id))]
pub async fn confirm_challenge(state: &AppState, driver: &Caller, id: &str, code: &str) -> AppResult<StoredPayment> {
    throttle::ensure_below(state, Action::RefusedPaymentByAccount, &driver.account_id).await?;
    let payment = own_payment(state, driver, id).await?;
    let taken = payment.status.move_to(PaymentAttempt::Confirming).is_ok()
        && store::move_payment(
            &mut *state.db.writer().await?,
            id,
            PaymentAttempt::Challenge,
            PaymentAttempt::Confirming,
            None,
            state.clock.now(),
        )
        .await?;
    if !taken {
        return resolve_if_stale(state, payment).await;
    }
    let reference = payment.provider_reference.clone().unwrap_or_default();
    let call = state.payments.confirm(&reference, code);
    let outcome = match tokio::time::timeout(state.payment_timeout, call).await {
        Ok(Ok(outcome)) => Some(outcome),
        _ => look_up(state, &payment.idempotency_key).await,
    };
    let (to, reference) = match &outcome {
        // No answer: the code may be given again.
        None | Some(ProviderAnswer::Challenge { .. }) => (PaymentAttempt::Challenge, None),
        Some(outcome) => attempt_status(outcome),
    };
    let settled = settle(state, &payment, PaymentAttempt::Confirming, to, reference).await?;
    count_refusal(state, &settled).await;
    Ok(settled)
}

/// « Abandonner » the 3-D Secure step: nothing was charged, a new attempt may follow.
#[instrument(skip_all, fields(driver = %driver.account_id, payment = id))]
pub async fn abandon_challenge(state: &AppState, driver: &Caller, id: &str) -> AppResult<StoredPayment> {
    let payment = own_payment(state, driver, id).await?;
    settle(state, &payment, PaymentAttempt::Challenge, PaymentAttempt::ABANDONED, None).await
}

/// Records the outcome of an attempt that was `from`. An approval pays for its purpose and
/// issues the invoice in the same unit of work; an attempt another request settled first is
/// left as it is. Answers the attempt as stored.
async fn settle(
    state: &AppState,
    payment: &StoredPayment,
    from: PaymentAttempt,
    to: PaymentAttempt,
    reference: Option<&str>,
) -> AppResult<StoredPayment> {
    let to = from.move_to(to).map_err(AppError::internal)?;
    let mut work = UnitOfWork::begin(state, Some(&payment.driver_id)).await?;
    let now = work.now;
    if store::move_payment(work.conn().await?, &payment.id, from, to, reference, now).await? && to.is_paid() {
        let paid = find_payment(&mut work, &payment.id).await?;
        pay_for(&mut work, &paid).await?;
        issue_invoice(&mut work, &paid).await?;
    }
    let settled = find_payment(&mut work, &payment.id).await?;
    work.commit().await?;
    if settled.status == to {
        metrics::counter!("payment_attempts_total", "outcome" => format!("{to:?}").to_lowercase()).increment(1);
    }
    Ok(settled)
}

async fn find_payment(work: &mut UnitOfWork, id: &str) -> AppResult<StoredPayment> {
    Ok(store::find_payment(work.conn().await?, id).await?)
}

async fn pay_for(work: &mut UnitOfWork, payment: &StoredPayment) -> AppResult<()> {
    let now = work.now;
    match parse_purpose(&payment.purpose) {
        Some(PaymentPurpose::Replacement { replacement_id }) => {
            let mut stored = store::find_replacement(work.conn().await?, &replacement_id).await?;
            stored.replacement = stored.replacement.paid().map_err(AppError::replacement)?;
            produce_replacement(work, &mut stored).await?;
            store::save_replacement(work.conn().await?, &stored, now).await?;
            work.audit(
                AuditAction::Paid,
                &stored.id,
                format!("Paiement de {} reçu : nouvelle carte en fabrication", payment.price.gross.french()),
            );
            work.notify(
                &payment.driver_id,
                "Remplacement payé",
                "Votre nouvelle carte est en fabrication. Vous pourrez l'activer dès sa réception.",
                stored.new_card_id.as_ref().map(|id| format!("card:{id}")),
            );
        }
        Some(PaymentPurpose::Reshipping { card_id }) => {
            let card = find_card(work.conn().await?, &card_id).await?;
            resend(work, &card, card.pending_address.as_ref()).await?;
        }
        None => return Err(AppError::internal("unknown payment purpose")),
    }
    Ok(())
}

async fn issue_invoice(work: &mut UnitOfWork, payment: &StoredPayment) -> AppResult<()> {
    let now = work.now;
    let conn = work.conn().await?;
    let driver = find_account(conn, &payment.driver_id).await?;
    let issued_on = french_day(now);
    let sequence = store::next_invoice_sequence(conn, issued_on.year()).await?;
    let invoice = Invoice {
        number: InvoiceNumber::new(issued_on.year(), sequence),
        issued_on: issued_on.to_string(),
        seller: seller(),
        buyer: Party {
            name: driver.display_name.clone(),
            address_lines: address_lines(&payment.billing_address),
            identifiers: Vec::new(),
        },
        lines: vec![payment.price],
        vat_basis_points: payment.vat_basis_points,
        payment_reference: payment.provider_reference.clone().unwrap_or_else(|| payment.id.clone()),
    };
    store::insert_invoice(conn, &invoice, issued_on.year(), sequence, &payment.id, &driver.id, now).await?;
    let total = invoice.totals().gross;
    let number = invoice.number.as_str();
    work.email_with_pdf(
        templates::invoice_issued(
            &driver.email,
            &driver.display_name,
            number,
            payment.price.item.title_fr(),
            &total.french(),
        ),
        Attachment { name: format!("facture-{number}.pdf"), pdf: cqc_documents::invoice_pdf(&invoice) },
    );
    work.notify(
        &driver.id,
        "Nouveau duplicata de facture disponible",
        &format!("La facture {number} ({}) est dans « Mes factures ».", total.french()),
        Some(format!("invoice:{number}")),
    );
    work.audit(AuditAction::Invoice, &payment.id, format!("Facture {number} émise"));
    Ok(())
}
