//! Replacement requests, their payment and invoice, and returned cards (the guide's special
//! cases 01–03): what the routes share. A payment is settled in one transaction with what it
//! pays for and its invoice, so money taken always has its effect and its invoice.

use crate::applications::{mint_card, timeline, CardOrder};
use crate::clock::rfc3339;
use crate::db::applications::{self as cards, StoredCard};
use crate::db::replacements::{self as store, StoredPayment, StoredReplacement};
use crate::db::{self, find_account};
use crate::error::{AppError, AppResult};
use crate::mail::{self, templates};
use crate::payments::ProviderAnswer;
use crate::AppState;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::{Invoice, InvoiceNumber, Party, PaymentAttempt, Price};
use cqc_domain::calendar::french_day;
use cqc_domain::card::{CardEvent, CardStatus};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{ReplacementReason, ReplacementStatus};
use cqc_sync::replacements::{PaymentPurpose, PaymentView, ReplacementView};
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// Who invoices: the card issuer.
pub fn seller() -> Party {
    Party {
        name: "Service de la carte de qualification de conducteur (CQC)".into(),
        address_lines: vec!["Service CQC — Facturation".into(), "38 rue de la Convention".into(), "75015 Paris".into()],
        identifiers: vec!["SIRET 000 000 000 00000".into(), "TVA FR00000000000".into()],
    }
}

pub fn address_lines(address: &AddressInput) -> Vec<String> {
    [
        address.line1.clone(),
        address.line2.clone(),
        format!("{} {}", address.postcode, address.city),
        address.country.clone(),
    ]
    .into_iter()
    .filter(|line| !line.trim().is_empty())
    .collect()
}

/// An address checked like the registration's, each field's error under its field.
pub fn cleaned_address(input: &AddressInput) -> AppResult<AddressInput> {
    let checked = cqc_domain::registration::check_address(input).map_err(AppError::invalid_fields)?;
    Ok(AddressInput {
        line1: checked.line1,
        line2: checked.line2,
        postcode: checked.postcode,
        city: checked.city,
        country: checked.country,
    })
}

pub async fn own_replacement(conn: &mut AnyConnection, driver_id: &str, id: &str) -> AppResult<StoredReplacement> {
    // Another driver's request answers like a missing one.
    store::find_replacement(conn, id).await?.filter(|r| r.driver_id == driver_id).ok_or_else(AppError::not_found)
}

pub async fn own_card(conn: &mut AnyConnection, driver_id: &str, id: &str) -> AppResult<StoredCard> {
    cards::find_card(conn, id).await?.filter(|c| c.driver_id == driver_id).ok_or_else(AppError::not_found)
}

fn purpose_of(stored: &StoredReplacement) -> PaymentPurpose {
    PaymentPurpose::Replacement { replacement_id: stored.id.clone() }
}

/// What the driver pays for a replacement now; none when nothing is (or is yet) due.
pub async fn replacement_price(conn: &mut AnyConnection, stored: &StoredReplacement) -> AppResult<Option<Price>> {
    Ok(stored.replacement.price(stored.fault, &store::fee_table(conn).await?))
}

pub async fn replacement_view(conn: &mut AnyConnection, stored: StoredReplacement) -> AppResult<ReplacementView> {
    let card = cards::find_card(conn, &stored.card_id).await?.ok_or_else(AppError::not_found)?;
    let holder = &card.face.holder;
    let gaps = if stored.replacement.status == ReplacementStatus::Draft {
        stored.replacement.gaps(&stored.declaration)
    } else {
        Vec::new()
    };
    let price = replacement_price(conn, &stored).await?;
    let last_payment = match store::latest_payment(conn, &purpose_of(&stored).key()).await? {
        Some(payment) => Some(payment_view(conn, payment).await?),
        None => None,
    };
    Ok(ReplacementView {
        timeline: timeline(conn, &stored.id).await?,
        card_number: card.face.card_number.clone(),
        holder: format!("{} {}", holder.first_names, holder.last_name),
        id: stored.id,
        card_id: stored.card_id,
        reason: stored.replacement.reason,
        status: stored.replacement.status,
        declaration: stored.declaration,
        delivery_address: stored.delivery_address,
        billing_address: stored.billing_address,
        gaps,
        price,
        fault: stored.fault,
        analysis_note: stored.analysis_note,
        driver_fix: stored.driver_fix,
        new_card_id: stored.new_card_id,
        last_payment,
        created_at: rfc3339(stored.created_at),
    })
}

pub fn parse_purpose(key: &str) -> Option<PaymentPurpose> {
    match key.split_once(':')? {
        ("replacement", id) => Some(PaymentPurpose::Replacement { replacement_id: id.to_owned() }),
        ("reshipping", id) => Some(PaymentPurpose::Reshipping { card_id: id.to_owned() }),
        _ => None,
    }
}

pub async fn payment_view(conn: &mut AnyConnection, payment: StoredPayment) -> AppResult<PaymentView> {
    let invoice = store::invoice_of_payment(conn, &payment.id).await?;
    let status = payment.status.status();
    Ok(PaymentView {
        purpose: parse_purpose(&payment.purpose).ok_or_else(|| AppError::internal("unknown payment purpose"))?,
        message: status.failure_fr().map(str::to_owned),
        status,
        price: payment.price,
        card_last_four: payment.card_last_four,
        invoice_number: invoice.map(|i| i.number),
        created_at: rfc3339(payment.created_at),
        id: payment.id,
    })
}

/// The identical card that replaces `stored`'s: same holder, photo, qualifications and code 95
/// expiry, a new number. A lost or stolen card becomes void now; a defective one became void
/// when it came back.
pub async fn produce_replacement_card(
    conn: &mut AnyConnection,
    stored: &mut StoredReplacement,
    actor: Option<&str>,
    now: OffsetDateTime,
) -> AppResult<()> {
    let old = cards::find_card(conn, &stored.card_id).await?.ok_or_else(AppError::not_found)?;
    let order = CardOrder {
        application_id: old.application_id.clone(),
        driver_id: old.driver_id.clone(),
        photo_key: old.photo_key.clone(),
        replaces_card_id: Some(old.id.clone()),
        delivery_address: stored.delivery_address.clone().or(old.delivery_address.clone()),
    };
    let card = mint_card(conn, order, |number, day| old.face.replacement(number, day), now).await?;
    db::audit(
        conn,
        actor,
        AuditAction::InProduction,
        &card.id,
        &format!(
            "Carte {} en fabrication, en remplacement de la carte {}",
            card.face.card_number, old.face.card_number
        ),
        now,
    )
    .await?;
    if old.status != CardStatus::Void {
        invalidate_card(conn, &old, actor, stored.replacement.reason, now).await?;
    }
    stored.new_card_id = Some(card.id);
    Ok(())
}

pub async fn invalidate_card(
    conn: &mut AnyConnection,
    card: &StoredCard,
    actor: Option<&str>,
    reason: ReplacementReason,
    now: OffsetDateTime,
) -> AppResult<()> {
    let status = card.status.apply(CardEvent::Invalidate).map_err(AppError::card_step)?;
    cards::set_card_status(conn, &card.id, status, now).await?;
    let why = match reason {
        ReplacementReason::Loss => "déclarée perdue",
        ReplacementReason::Theft => "déclarée volée",
        ReplacementReason::Quality => "retournée pour défaut",
    };
    db::audit(conn, actor, AuditAction::card(status), &card.id, &format!("Carte annulée : {why}"), now).await?;
    Ok(())
}

/// The processor's answer, as the attempt records it.
pub fn attempt_status(answer: &ProviderAnswer) -> (PaymentAttempt, Option<&str>) {
    match answer {
        ProviderAnswer::Approved { reference } => (PaymentAttempt::Approved, Some(reference)),
        ProviderAnswer::Declined { reason } => (PaymentAttempt::Declined(*reason), None),
        ProviderAnswer::Challenge { reference } => (PaymentAttempt::Challenge, Some(reference)),
    }
}

/// Records the outcome of an attempt that was `from`. An approval pays for its purpose and
/// issues the invoice in the same transaction; an attempt another request settled first is
/// left as it is. Answers the attempt as stored.
pub async fn settle(
    state: &AppState,
    payment_id: &str,
    from: PaymentAttempt,
    to: PaymentAttempt,
    reference: Option<&str>,
) -> AppResult<StoredPayment> {
    let to = from.move_to(to).map_err(AppError::internal)?;
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    if store::move_payment(&mut tx, payment_id, from, to, reference, now).await? && to.is_paid() {
        let payment = store::find_payment(&mut tx, payment_id).await?.ok_or_else(AppError::not_found)?;
        pay_for(&mut tx, &payment, now).await?;
        issue_invoice(&mut tx, &payment, now).await?;
    }
    let payment = store::find_payment(&mut tx, payment_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    state.mail.wake();
    Ok(payment)
}

async fn pay_for(conn: &mut AnyConnection, payment: &StoredPayment, now: OffsetDateTime) -> AppResult<()> {
    let actor = Some(payment.driver_id.as_str());
    match parse_purpose(&payment.purpose) {
        Some(PaymentPurpose::Replacement { replacement_id }) => {
            let mut stored = store::find_replacement(conn, &replacement_id).await?.ok_or_else(AppError::not_found)?;
            stored.replacement = stored.replacement.paid().map_err(AppError::replacement)?;
            produce_replacement_card(conn, &mut stored, actor, now).await?;
            store::save_replacement(conn, &stored, now).await?;
            db::audit(
                conn,
                actor,
                AuditAction::Paid,
                &stored.id,
                &format!("Paiement de {} reçu : nouvelle carte en fabrication", payment.price.gross.french()),
                now,
            )
            .await?;
            db::insert_notification_about(
                conn,
                &payment.driver_id,
                "Remplacement payé",
                "Votre nouvelle carte est en fabrication. Vous pourrez l'activer dès sa réception.",
                stored.new_card_id.as_ref().map(|id| format!("card:{id}")).as_deref(),
                now,
            )
            .await?;
        }
        Some(PaymentPurpose::Reshipping { card_id }) => {
            let card = cards::find_card(conn, &card_id).await?.ok_or_else(AppError::not_found)?;
            resend(conn, &card, card.pending_address.as_ref(), actor, now).await?;
        }
        None => return Err(AppError::internal("unknown payment purpose")),
    }
    Ok(())
}

/// A returned card goes back to the agent's « à renvoyer » list, to `new_address` if given.
pub async fn resend(
    conn: &mut AnyConnection,
    card: &StoredCard,
    new_address: Option<&AddressInput>,
    actor: Option<&str>,
    now: OffsetDateTime,
) -> AppResult<()> {
    let status = card.status.apply(CardEvent::Resend).map_err(AppError::card_step)?;
    cards::set_card_status(conn, &card.id, status, now).await?;
    cards::set_card_addresses(conn, &card.id, new_address, None, now).await?;
    let detail = match new_address {
        Some(address) => format!("Carte à renvoyer à la nouvelle adresse : {}", address_lines(address).join(", ")),
        None => "Adresse confirmée : carte à renvoyer".to_owned(),
    };
    db::audit(conn, actor, AuditAction::card(status), &card.id, &detail, now).await?;
    Ok(())
}

async fn issue_invoice(conn: &mut AnyConnection, payment: &StoredPayment, now: OffsetDateTime) -> AppResult<()> {
    let driver = find_account(conn, &payment.driver_id).await?.ok_or_else(AppError::not_found)?;
    let issued_on = french_day(now);
    let sequence = store::next_invoice_sequence(conn, issued_on.year()).await?;
    let table = store::fee_table(conn).await?;
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
        vat_basis_points: table.vat_basis_points,
        payment_reference: payment.provider_reference.clone().unwrap_or_else(|| payment.id.clone()),
    };
    store::insert_invoice(conn, &invoice, issued_on.year(), sequence, &payment.id, &driver.id, now).await?;
    let total = invoice.totals().gross;
    let number = invoice.number.as_str();
    let email = templates::invoice_issued(
        &driver.email,
        &driver.display_name,
        number,
        payment.price.item.title_fr(),
        &total.french(),
    );
    let attachment =
        mail::Attachment { name: format!("facture-{number}.pdf"), pdf: cqc_documents::invoice_pdf(&invoice) };
    mail::enqueue_with_attachment(conn, &email, Some(&attachment), now).await?;
    db::insert_notification_about(
        conn,
        &driver.id,
        "Nouveau duplicata de facture disponible",
        &format!("La facture {number} ({}) est dans « Mes factures ».", total.french()),
        Some(&format!("invoice:{number}")),
        now,
    )
    .await?;
    db::audit(conn, Some(&driver.id), AuditAction::Invoice, &payment.id, &format!("Facture {number} émise"), now)
        .await?;
    Ok(())
}

/// Cancels a replacement before payment or the card's return, audited. Answers its theft
/// declaration's stored file, to delete once the transaction is committed.
pub async fn discard_replacement(
    conn: &mut AnyConnection,
    stored: &mut StoredReplacement,
    actor: Option<&str>,
    detail: &str,
    now: OffsetDateTime,
) -> AppResult<Option<String>> {
    let purpose = purpose_of(stored).key();
    if store::live_payment(conn, &purpose).await?.is_some() {
        return Err(AppError::payment_in_progress());
    }
    stored.replacement = stored.replacement.cancel().map_err(AppError::replacement)?;
    let theft_declaration = stored.theft_declaration_key.take();
    stored.declaration.theft_declaration_uploaded = false;
    store::save_replacement(conn, stored, now).await?;
    db::audit(conn, actor, AuditAction::Cancelled, &stored.id, detail, now).await?;
    Ok(theft_declaration)
}
