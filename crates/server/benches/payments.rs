//! `cargo bench -p cqc-server --bench payments`: what a card payment costs on the one-machine
//! server (SQLite), through the real client on loopback, with the sandbox processor. Prints:
//!
//! - one payment at a time: the request, the processor's answer, the replacement card made, the
//!   invoice numbered, its PDF emailed and the notification, all in one call;
//! - 50 payments at once (each for its own replacement): the same, queued on the invoice
//!   counter's lock;
//! - one invoice PDF: time and size.
//!
//! The driver's cards are written straight into the database (one driver, many cards): the
//! application flow has its own contract test.

use cqc_client::client::ApiClient;
use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::application::Entitlement;
use cqc_domain::card::{CardNumber, CardStatus};
use cqc_domain::replacement::ReplacementReason;
use cqc_domain::training::Qualification;
use cqc_server::clock::SystemClock;
use cqc_server::db::applications::insert_application;
use cqc_server::db::cards::{insert_card, StoredCard};
use cqc_server::payments::test_cards;
use cqc_server::{prepare, serve, Config};
use cqc_sync::applications::{CardFace, CardHolder};
use cqc_testkit::replacements::{billing, for_replacement, payment, replacement_awaiting_payment};
use cqc_testkit::PASSWORD;
use std::time::Instant;

const SEQUENTIAL: usize = 100;
const CONCURRENT: usize = 50;
/// A loss declared and validated for each card: the replacements waiting for payment.
async fn awaiting_payment(driver: &ApiClient, cards: &[String]) -> Vec<String> {
    let mut ids = Vec::new();
    for card_id in cards {
        ids.push(replacement_awaiting_payment(driver, card_id, ReplacementReason::Loss).await);
    }
    ids
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = prepare(&Config::local(dir.path().join("server"), url.clone()), std::sync::Arc::new(SystemClock))
        .await
        .unwrap();
    tokio::spawn(serve(listener, state.clone(), std::future::pending()));

    // One active driver holding one card per payment to make.
    let now = time::OffsetDateTime::now_utc();
    let mut conn = state.db.pool.acquire().await.unwrap();
    let hash = cqc_server::secrets::hash_password(PASSWORD.into()).await.unwrap();
    let account = cqc_server::db::NewAccount {
        role: Role::Driver,
        status: AccountStatus::Active,
        email: "jean.dupont@exemple.fr",
        licence_number: Some("13AA00001"),
        display_name: "Jean Dupont",
        registration: None,
        password_hash: Some(&hash),
    };
    let driver_id = cqc_server::db::insert_account(&mut conn, &account, now).await.unwrap();
    let application = uuid::Uuid::new_v4().to_string();
    let entitlement =
        Entitlement { qualifications: vec![Qualification::Goods], card_expiry: time::macros::date!(2031 - 11 - 20) };
    insert_application(&mut conn, &application, &driver_id, &entitlement, now).await.unwrap();
    let mut cards = Vec::new();
    for serial in 1..=(SEQUENTIAL + CONCURRENT) as u32 {
        let card = StoredCard {
            id: uuid::Uuid::new_v4().to_string(),
            application_id: application.clone(),
            driver_id: driver_id.clone(),
            status: CardStatus::Delivered,
            face: CardFace {
                holder: CardHolder {
                    last_name: "DUPONT".into(),
                    usage_name: String::new(),
                    first_names: "Jean".into(),
                    birth_date: "1985-03-14".into(),
                    birth_place: "Lyon".into(),
                    licence_number: "13AA00001".into(),
                },
                qualifications: vec![Qualification::Goods],
                code95_expiry: "2031-11-20".into(),
                card_number: CardNumber::new(2025, serial).unwrap().as_str().to_owned(),
                issued_on: "2025-11-20".into(),
            },
            photo_key: "photo".into(),
            replaces_card_id: None,
            delivery_address: Some(billing()),
            pending_address: None,
        };
        insert_card(&mut conn, &card, now).await.unwrap();
        cards.push(card.id);
    }
    drop(conn);
    let client = ApiClient::new(&url);
    let driver = client.clone().with_token(Some(client.login("jean.dupont@exemple.fr", PASSWORD).await.unwrap().token));

    let sequential = awaiting_payment(&driver, &cards[..SEQUENTIAL]).await;
    let started = Instant::now();
    for id in &sequential {
        assert!(driver
            .pay(&payment(for_replacement(id), test_cards::APPROVED))
            .await
            .unwrap()
            .invoice_number
            .is_some());
    }
    let one_at_a_time = started.elapsed() / SEQUENTIAL as u32;

    let concurrent = awaiting_payment(&driver, &cards[SEQUENTIAL..]).await;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for id in concurrent {
        let driver = driver.clone();
        tasks.spawn(async move { driver.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap() });
    }
    let answers = tasks.join_all().await;
    let at_once = started.elapsed();
    assert!(answers.iter().all(|a| a.invoice_number.is_some()));

    let number = answers[0].invoice_number.clone().unwrap();
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..20 {
        size = driver.invoice_pdf(number.as_str()).await.unwrap().len();
    }
    let pdf = started.elapsed() / 20;

    println!("one payment at a time (approved, card made, invoice, PDF emailed): {one_at_a_time:.2?} each (mean of {SEQUENTIAL})");
    println!(
        "{CONCURRENT} payments at once: {at_once:.2?} in all ({:.0} payments/s)",
        CONCURRENT as f64 / at_once.as_secs_f64()
    );
    println!("invoice duplicate PDF through the API: {pdf:.2?} each, {size} bytes");
}
