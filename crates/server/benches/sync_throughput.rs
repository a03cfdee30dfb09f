//! `cargo bench -p cqc-server --bench sync_throughput`: what the sync costs on the one-machine
//! server (SQLite): a centre pushes N trainings of one driver in batches (each accepted training
//! matched, recap and signed certificate issued, the certificate PDF rendered and queued for
//! email), then the driver pulls everything from cursor 0. Prints the figures.

use cqc_domain::registration::fixtures::valid_input;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::clock::SystemClock;
use cqc_server::{prepare, serve, Config};
use cqc_sync::client::ApiClient;
use cqc_sync::protocol::{Change, Mutation, PushRequest, MAX_PUSH_BATCH};
use std::sync::Arc;
use std::time::Instant;
use time::macros::date;

const TRAININGS: usize = 1000;
const PASSWORD: &str = "Camion-Rouge2024";

fn training(k: usize) -> TrainingRecordInput {
    let start = date!(2007 - 01 - 01) + time::Duration::weeks(k as i64);
    TrainingRecordInput {
        start_date: start.to_string(),
        end_date: (start + time::Duration::days(4)).to_string(),
        ..valid_fco()
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = prepare(&Config::local(dir.path().to_owned(), url.clone()), Arc::new(SystemClock)).await.unwrap();
    tokio::spawn(serve(listener, state.clone(), std::future::pending()));
    let db = &state.db;
    cqc_server::admin::create_centre(db, &SystemClock, "Centre", "AGR-01-0001", "1 rue A, 01000 Bourg").await.unwrap();
    cqc_server::admin::create_centre_staff(db, &SystemClock, "AGR-01-0001", "c@centre.fr", "Poste", PASSWORD)
        .await
        .unwrap();
    cqc_server::admin::create_agent(db, &SystemClock, "a@cqc.fr", "Agent", PASSWORD).await.unwrap();
    let client = ApiClient::new(&url);
    let receipt = client.register(&valid_input()).await.unwrap();
    let agent = client.clone().with_token(Some(client.login("a@cqc.fr", PASSWORD).await.unwrap().token));
    agent.accept_registration(&receipt.request_id).await.unwrap();
    let centre = client.clone().with_token(Some(client.login("c@centre.fr", PASSWORD).await.unwrap().token));

    let device = uuid::Uuid::new_v4().to_string();
    let mutations: Vec<Mutation> = (0..TRAININGS)
        .map(|k| Mutation {
            seq: k as i64 + 1,
            id: uuid::Uuid::new_v4().to_string(),
            change: Change::RecordTraining { training_id: format!("t-{k}"), record: training(k) },
        })
        .collect();
    let started = Instant::now();
    let mut slowest = std::time::Duration::ZERO;
    for batch in mutations.chunks(MAX_PUSH_BATCH) {
        let one = Instant::now();
        let answer = centre.push(&PushRequest { client_id: device.clone(), mutations: batch.to_vec() }).await.unwrap();
        assert_eq!(answer.results.len(), batch.len());
        slowest = slowest.max(one.elapsed());
    }
    let push = started.elapsed();

    // The driver's side: everything from cursor 0, page by page.
    let driver_session = {
        use cqc_server::db;
        let mut conn = state.db.pool.acquire().await.unwrap();
        let account = db::find_account_by_email(&mut conn, &receipt.email).await.unwrap().unwrap();
        let (token, hash) = cqc_server::secrets::new_token();
        db::insert_session(
            &mut conn,
            &hash,
            &account.id,
            time::OffsetDateTime::now_utc() + time::Duration::hours(1),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        token
    };
    let driver = client.clone().with_token(Some(driver_session));
    let started = Instant::now();
    let (mut cursor, mut recaps, mut certificates, mut pages) = (0, 0, 0, 0);
    loop {
        let page = driver.pull(cursor).await.unwrap();
        recaps += page.recaps.len();
        certificates += page.certificates.len();
        pages += 1;
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    let pull = started.elapsed();
    assert_eq!((recaps, certificates), (TRAININGS, TRAININGS));

    let claims = cqc_sync::certificate_code::fixtures::claims();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let certificate = cqc_sync::protocol::Certificate {
        code: cqc_sync::certificate_code::sign(&claims, &key),
        claims,
        training_id: "t".into(),
        centre_name: "Centre".into(),
        training_end: "2026-11-20".into(),
    };
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..50 {
        size = cqc_documents::certificate_pdf(&certificate).len();
    }
    let pdf = started.elapsed() / 50;

    println!("push: {TRAININGS} trainings in batches of {MAX_PUSH_BATCH}: {push:.2?} ({:.0} trainings/s, slowest batch {slowest:.2?}), each with recap, signed certificate, PDF and email queued", TRAININGS as f64 / push.as_secs_f64());
    println!("pull: {recaps} recaps + {certificates} certificates in {pages} pages: {pull:.2?}");
    println!("certificate PDF: {pdf:.2?} each, {size} bytes");
}
