//! `cargo bench -p cqc-server --bench sync_throughput`: what the sync costs on the one-machine
//! server (SQLite), through the real client (a device's SQLite store and the sync engine) on
//! loopback. Prints the figures:
//!
//! - a centre records 10,000 trainings offline (10,000 trainees who have no account yet, so each
//!   training waits for its driver), then syncs: time, against the physical limit (the same rows
//!   inserted straight into both SQLite files, one prepared statement in one transaction each);
//! - a pull with nothing new;
//! - 200 trainings of one driver who has an account: each accepted training is matched and gets
//!   its recap, signed certificate and email, whose certificate PDF the sender draws after the
//!   push: the sync's time, then the time until every email went out with its PDF;
//! - one certificate PDF: time and size.

use cqc_client::client::ApiClient;
use cqc_client::engine::{sync, SyncPhase};
use cqc_domain::registration::fixtures::valid_input;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::clock::SystemClock;
use cqc_server::{prepare, serve, AppState, Config};
use cqc_store::{DatabaseKey, LocalStore, SharedStore};
use cqc_sync::protocol::MAX_PUSH_BATCH;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::date;

const OFFLINE_TRAININGS: usize = 10_000;
/// The offline sync and its physical limit are each measured this many times (new trainings,
/// new device each time), and the best of each kept: one run of either varied by ±30 % on this
/// machine, which made their ratio a matter of luck.
const ROUNDS: usize = 3;
const MATCHED_TRAININGS: usize = 200;
const PASSWORD: &str = "Camion-Rouge2024";

/// The k-th training of a trainee with no account (a licence number nobody registered; k below
/// 100,000).
fn waiting_training(k: usize) -> TrainingRecordInput {
    TrainingRecordInput { licence_number: format!("13AB{k:05}"), ..valid_fco() }
}

/// The k-th FCO of the registered driver, one week after the previous one.
fn driver_training(k: usize) -> TrainingRecordInput {
    let start = date!(2007 - 01 - 01) + time::Duration::weeks(k as i64);
    TrainingRecordInput {
        start_date: start.to_string(),
        end_date: (start + time::Duration::days(4)).to_string(),
        ..valid_fco()
    }
}

async fn emails_waiting(state: &AppState) -> i64 {
    use sqlx::Row;
    let query = sqlx::query("SELECT COUNT(*) AS n FROM outgoing_emails WHERE sent_at IS NULL");
    query.fetch_one(&state.db.pool).await.unwrap().get("n")
}

async fn logged_in(client: &ApiClient, email: &str) -> ApiClient {
    client.clone().with_token(Some(client.login(email, PASSWORD).await.unwrap().token))
}

/// Records the trainings offline on a new device and syncs them: (time of the sync, the store).
async fn offline_then_sync(
    centre: &ApiClient,
    path: &Path,
    trainings: impl Iterator<Item = (String, TrainingRecordInput)>,
) -> (Duration, SharedStore) {
    let store = LocalStore::open(path, &DatabaseKey::generate()).unwrap();
    let trainings: Vec<_> = trainings.collect();
    for chunk in trainings.chunks(1000) {
        store.record_trainings(chunk).unwrap();
    }
    let store = SharedStore::new(store);
    let started = Instant::now();
    let mut pushed = None;
    let done = sync(centre, &store, |progress| {
        if progress.phase == SyncPhase::Receiving && pushed.is_none() {
            pushed = Some(started.elapsed());
        }
    })
    .await
    .unwrap();
    assert_eq!(done.sent as usize, trainings.len());
    let total = started.elapsed();
    let pushed = pushed.unwrap_or(total);
    println!("  (push {pushed:.2?}, pull back {:.2?})", total - pushed);
    (total, store)
}

/// The physical limit: the same rows inserted straight into the server's and a device's SQLite
/// files, one prepared statement in one transaction each, through the C library (rusqlite) — no
/// HTTP, no JSON between them, no server logic. Any sync design pays at least this.
async fn raw_inserts(
    state: &AppState,
    server_db: &Path,
    device_db: &Path,
    round: usize,
    trainings: &[TrainingRecordInput],
) -> Duration {
    use sqlx::Row;
    let mut conn = state.db.pool.acquire().await.unwrap();
    let staff = sqlx::query("SELECT id, centre_id FROM accounts WHERE centre_id IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let (staff, centre): (String, String) = (staff.get(0), staff.get(1));
    drop(conn);
    let key = DatabaseKey::generate();
    drop(LocalStore::open(device_db, &key).unwrap()); // the device's schema
    let mut server = rusqlite::Connection::open(server_db).unwrap();
    server.busy_timeout(Duration::from_secs(10)).unwrap();
    // The device's file is encrypted, as the app's: the direct way pays for it too.
    let mut device = rusqlite::Connection::open(device_db).unwrap();
    device.pragma_update(None, "key", format!("x'{}'", key.to_hex())).unwrap();
    let started = Instant::now();
    let tx = server.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO trainings (id, centre_id, accepted, record_json, outcome_json, licence_number, birth_date,
                 recorded_by, version, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0)",
            )
            .unwrap();
        for (k, record) in trainings.iter().enumerate() {
            insert
                .execute(rusqlite::params![
                    format!("raw-{round}-{k}"),
                    centre,
                    serde_json::to_string(record).unwrap(),
                    "{\"accepted\":{}}",
                    record.licence_number,
                    record.birth_date,
                    staff,
                    -((round * trainings.len() + k) as i64) - 1,
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let tx = device.transaction().unwrap();
    {
        let mut insert =
            tx.prepare("INSERT INTO trainings (training_id, record_json, state) VALUES (?1, ?2, 'accepted')").unwrap();
        for (k, record) in trainings.iter().enumerate() {
            let id = format!("raw-{round}-{k}");
            insert.execute(rusqlite::params![id, serde_json::to_string(record).unwrap()]).unwrap();
        }
    }
    tx.commit().unwrap();
    started.elapsed()
}

/// A server on `database_url` (SQLite under `dir` without one), with a centre, its staff and an
/// agent: (its state, its address, the staff's client).
async fn start_server(dir: &Path, database_url: Option<String>) -> (AppState, String, ApiClient) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let config = Config { database_url, ..Config::local(dir.join("server"), url.clone()) };
    let state = prepare(&config, Arc::new(SystemClock)).await.unwrap();
    tokio::spawn(serve(listener, state.clone(), std::future::pending()));
    cqc_server::admin::create_agent(&state.db, &SystemClock, "a@cqc.fr", "Agent", PASSWORD).await.unwrap();
    let centre = new_centre(&state, &url, 0).await;
    (state, url, centre)
}

/// The n-th centre, with its staff: the staff's client.
async fn new_centre(state: &AppState, url: &str, n: usize) -> ApiClient {
    let (approval, staff) = (format!("AGR-01-{:04}", n + 1), format!("c{n}@centre.fr"));
    let db = &state.db;
    cqc_server::admin::create_centre(db, &SystemClock, "Centre", &approval, "1 rue A, 01000 Bourg").await.unwrap();
    cqc_server::admin::create_centre_staff(db, &SystemClock, &approval, &staff, "Poste", PASSWORD).await.unwrap();
    logged_in(&ApiClient::new(url), &staff).await
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (state, url, centre) = start_server(dir.path(), None).await;
    let client = ApiClient::new(&url);

    // 10,000 offline trainings, one sync; each round on a new device of a new centre (which pulls
    // back its own trainings only), with new trainees.
    let batches: Vec<Vec<TrainingRecordInput>> = (0..ROUNDS)
        .map(|round| (0..OFFLINE_TRAININGS).map(|k| waiting_training(round * OFFLINE_TRAININGS + k)).collect())
        .collect();
    let mut offline = Duration::MAX;
    let mut first_device = None;
    for (round, waiting) in batches.iter().enumerate() {
        let records = waiting.iter().enumerate().map(|(k, record)| (format!("w-{round}-{k}"), record.clone()));
        let staff = if round == 0 { centre.clone() } else { new_centre(&state, &url, round).await };
        let (time, store) =
            offline_then_sync(&staff, &dir.path().join(format!("device-{round}.sqlite")), records).await;
        offline = offline.min(time);
        first_device.get_or_insert(store);
    }
    let device = first_device.expect("one round at least");

    // Nothing new: the pull every background sync makes.
    let cursor = cqc_sync::protocol::Replica::cursor(&device).unwrap();
    let rounds = 100;
    let started = Instant::now();
    for _ in 0..rounds {
        let page = centre.pull(cursor).await.unwrap();
        assert!(page.trainings.is_empty() && !page.has_more);
    }
    let empty_pull = started.elapsed() / rounds;

    // One driver with an account: every training matched, with recap, certificate and email.
    let receipt = client.register(&valid_input()).await.unwrap();
    logged_in(&client, "a@cqc.fr").await.accept_registration(&receipt.request_id).await.unwrap();
    let started = Instant::now();
    let (matched, _) = offline_then_sync(
        &centre,
        &dir.path().join("matched-device.sqlite"),
        (0..MATCHED_TRAININGS).map(|k| (format!("d-{k}"), driver_training(k))),
    )
    .await;
    while emails_waiting(&state).await > 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let emailed = started.elapsed();

    // Last, as its rows are not real trainings: the floor of the same 10,000 rows.
    let server_db = dir.path().join("server").join("cqc.sqlite3");
    let mut raw = Duration::MAX;
    for (round, waiting) in batches.iter().enumerate() {
        let device_db = dir.path().join(format!("raw-device-{round}.sqlite"));
        raw = raw.min(raw_inserts(&state, &server_db, &device_db, round, waiting).await);
    }

    // The same sync against PostgreSQL, under scripts/with-postgres.sh (whose cluster does not
    // flush to disk: a figure of the server's work, not of a disk).
    let postgres = match cqc_testkit::server::fresh_postgres_database().await {
        Some(database) => {
            let pg_dir = dir.path().join("postgres");
            let (_, _, centre) = start_server(&pg_dir, Some(database)).await;
            let records = batches[0].iter().enumerate().map(|(k, record)| (format!("p-{k}"), record.clone()));
            Some(offline_then_sync(&centre, &pg_dir.join("device.sqlite"), records).await.0)
        }
        None => None,
    };

    let claims = cqc_sync::certificate_code::fixtures::claims();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let certificate = cqc_sync::protocol::Certificate {
        code: cqc_sync::certificate_code::sign(&claims, &key).unwrap(),
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

    println!(
        "offline sync: {OFFLINE_TRAININGS} trainings pushed in batches of {MAX_PUSH_BATCH} and pulled back: {offline:.2?} \
         (best of {ROUNDS}; {:.0} trainings/s)",
        OFFLINE_TRAININGS as f64 / offline.as_secs_f64()
    );
    println!(
        "physical limit, the same rows inserted straight into both SQLite files (one prepared statement, one \
         transaction each): {raw:.2?} (best of {ROUNDS}); the sync takes {:.1}× that",
        offline.as_secs_f64() / raw.as_secs_f64()
    );
    match postgres {
        Some(time) => println!("the same offline sync against PostgreSQL: {time:.2?}"),
        None => println!("PostgreSQL: run under scripts/with-postgres.sh for its figure"),
    }
    println!("pull with nothing new: {empty_pull:.2?} (mean of {rounds})");
    println!(
        "matched: {MATCHED_TRAININGS} trainings each with recap, signed certificate and email: synced in {matched:.2?} \
         ({:.1} ms per training)",
        matched.as_secs_f64() * 1000.0 / MATCHED_TRAININGS as f64
    );
    println!("  every certificate emailed with its PDF {emailed:.2?} after the sync started");
    println!("certificate PDF: {pdf:.2?} each, {size} bytes");
}
