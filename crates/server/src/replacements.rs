//! Replacement requests, their payments and returned cards (the guide's special cases 01–03):
//! the reads and views the routes and the workflows share. What changes them is in
//! `crate::workflows::{replacements, payments, cards}`.

use crate::applications::timelines;
use crate::clock::rfc3339;
use crate::db::cards as stored_cards;
use crate::db::cards::StoredCard;
use crate::db::replacements::{self as store, StoredPayment, StoredReplacement};
use crate::db::{fees, Conn};
use crate::error::{AppError, AppResult};
use cqc_domain::billing::{FeeTable, Invoice, Party};
use cqc_domain::calendar::french_day;
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::ReplacementStatus;
use cqc_sync::replacements::{PaymentPurpose, PaymentView, ReplacementView};
use std::collections::HashMap;

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

pub async fn own_replacement(conn: &mut Conn, driver_id: &str, id: &str) -> AppResult<StoredReplacement> {
    Ok(crate::db::find_owned(conn, driver_id, id).await?)
}

pub async fn own_card(conn: &mut Conn, driver_id: &str, id: &str) -> AppResult<StoredCard> {
    Ok(crate::db::find_owned(conn, driver_id, id).await?)
}

pub fn purpose_of(stored: &StoredReplacement) -> PaymentPurpose {
    PaymentPurpose::Replacement { replacement_id: stored.id.clone() }
}

/// The fees a replacement is priced at: those in force on the day the driver began it.
pub async fn replacement_fees(conn: &mut Conn, stored: &StoredReplacement) -> AppResult<FeeTable> {
    Ok(fees::in_force_on(conn, french_day(stored.created_at)).await?)
}

pub async fn replacement_view(conn: &mut Conn, stored: StoredReplacement) -> AppResult<ReplacementView> {
    replacement_views(conn, vec![stored]).await?.pop().ok_or_else(AppError::not_found)
}

/// The views of a list of requests, read in a fixed number of queries whatever its length: the
/// cards, the latest payment of each, their invoices, the timelines.
pub async fn replacement_views(conn: &mut Conn, list: Vec<StoredReplacement>) -> AppResult<Vec<ReplacementView>> {
    let card_ids: Vec<String> = list.iter().map(|r| r.card_id.clone()).collect();
    let cards: HashMap<String, StoredCard> =
        stored_cards::cards_by_ids(conn, &card_ids).await?.into_iter().map(|c| (c.id.clone(), c)).collect();
    let fees = fees::schedule(conn).await?;
    let purposes: Vec<String> = list.iter().map(|r| purpose_of(r).key()).collect();
    let mut payments = store::latest_payments(conn, &purposes).await?;
    let payment_ids: Vec<String> = payments.values().map(|p| p.id.clone()).collect();
    let mut invoices = store::invoices_of_payments(conn, &payment_ids).await?;
    let mut timelines = timelines(conn, &list.iter().map(|r| r.id.clone()).collect::<Vec<_>>()).await?;
    let mut views = Vec::with_capacity(list.len());
    for stored in list {
        let card = cards.get(&stored.card_id).ok_or_else(AppError::not_found)?;
        let holder = &card.face.holder;
        let gaps = if stored.replacement.status == ReplacementStatus::Draft {
            stored.replacement.gaps(&stored.declaration)
        } else {
            Vec::new()
        };
        let last_payment = payments.remove(&purpose_of(&stored).key()).map(|payment| {
            let invoice = invoices.remove(&payment.id);
            payment_view_with(payment, invoice)
        });
        views.push(ReplacementView {
            timeline: timelines.remove(&stored.id).unwrap_or_default(),
            card_number: card.face.card_number.clone(),
            holder: format!("{} {}", holder.first_names, holder.last_name),
            price: stored.replacement.price(stored.fault, &fees.in_force_on(french_day(stored.created_at))),
            id: stored.id,
            card_id: stored.card_id,
            reason: stored.replacement.reason,
            status: stored.replacement.status,
            declaration: stored.declaration,
            delivery_address: stored.delivery_address,
            billing_address: stored.billing_address,
            gaps,
            fault: stored.fault,
            analysis_note: stored.analysis_note,
            driver_fix: stored.driver_fix,
            new_card_id: stored.new_card_id,
            last_payment: last_payment.transpose()?,
            created_at: rfc3339(stored.created_at),
        });
    }
    Ok(views)
}

pub fn parse_purpose(key: &str) -> Option<PaymentPurpose> {
    match key.split_once(':')? {
        ("replacement", id) => Some(PaymentPurpose::Replacement { replacement_id: id.to_owned() }),
        ("reshipping", id) => Some(PaymentPurpose::Reshipping { card_id: id.to_owned() }),
        _ => None,
    }
}

pub async fn payment_view(conn: &mut Conn, payment: StoredPayment) -> AppResult<PaymentView> {
    let invoice = store::invoice_of_payment(conn, &payment.id).await?;
    payment_view_with(payment, invoice)
}

fn payment_view_with(payment: StoredPayment, invoice: Option<Invoice>) -> AppResult<PaymentView> {
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
