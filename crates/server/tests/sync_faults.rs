//! The sync under faults. For many seeded runs, two devices of one centre record trainings and
//! sync through a proxy that cuts requests before they reach the server, loses answers after the
//! server committed, duplicates requests, replays stale ones out of order, and kills the server
//! (its whole runtime, mid-request) and starts it again on the same database; the devices are
//! cut mid-sync and restarted from their SQLite files. Then, with the faults off, everything
//! syncs and the test checks that the server and both devices hold each training exactly once,
//! and that the driver got exactly one recap and one certificate per training.
//!
//! `CQC_FAULT_RUNS` sets the number of runs (20 by default).

use cqc_testkit as common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use common::{driver, PASSWORD};
use cqc_client::client::ApiClient;
use cqc_client::engine::{sync, sync_in_batches};
use cqc_domain::training::{fixtures::valid_fco, TrainingRecordInput};
use cqc_server::clock::SystemClock;
use cqc_server::{prepare, serve, Config};
use cqc_store::{DatabaseKey, LocalStore, SharedStore, TrainingState};
use cqc_sync::protocol::Replica;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::macros::date;

const CENTRE: &str = "AGR-13-0777";
const STAFF: [&str; 2] = ["poste1@centre.fr", "poste2@centre.fr"];
const TRAININGS_PER_RUN: usize = 10;

/// A server in a runtime of its own, so that killing it drops every request in flight.
struct ServerProcess {
    runtime: Option<tokio::runtime::Runtime>,
    url: String,
}

impl ServerProcess {
    fn start(data_dir: &Path) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let config = Config::local(data_dir.to_owned(), url.clone());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let state = prepare(&config, Arc::new(SystemClock)).await.expect("server starts");
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            ready_tx.send(()).unwrap();
            serve(listener, state, std::future::pending()).await.unwrap();
        });
        ready_rx.recv_timeout(Duration::from_secs(30)).expect("server ready");
        Self { runtime: Some(runtime), url }
    }

    fn kill(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    None,
    CutBeforeServer,
    AnswerLostAfterCommit,
    Duplicated,
    StaleReplayFirst,
    ServerKilled,
}

struct Proxy {
    data_dir: PathBuf,
    server: Mutex<ServerProcess>,
    http: reqwest::Client,
    rng: Mutex<StdRng>,
    enabled: Mutex<bool>,
    seen_pushes: Mutex<Vec<(String, Bytes)>>,
    counts: Mutex<BTreeMap<Fault, u32>>,
}

impl Proxy {
    fn upstream(&self) -> String {
        self.server.lock().unwrap().url.clone()
    }

    fn restart_server(&self) {
        let mut server = self.server.lock().unwrap();
        server.kill();
        *server = ServerProcess::start(&self.data_dir);
    }

    fn pick_fault(&self, is_push: bool) -> Fault {
        if !*self.enabled.lock().unwrap() {
            return Fault::None;
        }
        let roll = self.rng.lock().unwrap().gen_range(0..100);
        let fault = match (is_push, roll) {
            (_, 0..=49) => Fault::None,
            (_, 50..=61) => Fault::CutBeforeServer,
            (_, 62..=73) => Fault::AnswerLostAfterCommit,
            (true, 74..=83) => Fault::Duplicated,
            (true, 84..=91) => Fault::StaleReplayFirst,
            (_, 92..=99) => Fault::ServerKilled,
            _ => Fault::None,
        };
        *self.counts.lock().unwrap().entry(fault).or_default() += 1;
        fault
    }

    async fn forward(&self, method: &Method, path: &str, auth: Option<&str>, body: Bytes) -> Result<Response, String> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.upstream())).body(body);
        if let Some(auth) = auth {
            request = request.header("authorization", auth).header("content-type", "application/json");
        }
        let answer = request.send().await.map_err(|e| e.to_string())?;
        let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
        let bytes = answer.bytes().await.map_err(|e| e.to_string())?;
        Ok((status, [("content-type", "application/json")], bytes).into_response())
    }
}

fn bad_gateway() -> Response {
    StatusCode::BAD_GATEWAY.into_response()
}

async fn proxy_handler(
    State(proxy): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str()).to_owned();
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let is_push = path.ends_with("/sync/push");
    let fault = proxy.pick_fault(is_push);
    if is_push {
        proxy.seen_pushes.lock().unwrap().push((auth.clone().unwrap_or_default(), body.clone()));
    }
    let forward = || proxy.forward(&method, &path, auth.as_deref(), body.clone());
    match fault {
        Fault::None => forward().await.unwrap_or_else(|_| bad_gateway()),
        Fault::CutBeforeServer => bad_gateway(),
        Fault::AnswerLostAfterCommit => {
            let _ = forward().await;
            bad_gateway()
        }
        Fault::Duplicated => {
            let _ = forward().await;
            forward().await.unwrap_or_else(|_| bad_gateway())
        }
        Fault::StaleReplayFirst => {
            let stale = {
                let seen = proxy.seen_pushes.lock().unwrap();
                let index = proxy.rng.lock().unwrap().gen_range(0..seen.len());
                seen[index].clone()
            };
            let _ = proxy.forward(&method, &path, Some(&stale.0), stale.1).await;
            forward().await.unwrap_or_else(|_| bad_gateway())
        }
        Fault::ServerKilled => {
            let delay = proxy.rng.lock().unwrap().gen_range(0..4);
            let request = {
                let proxy = proxy.clone();
                let (method, path, auth, body) = (method.clone(), path.clone(), auth.clone(), body.clone());
                tokio::spawn(async move { proxy.forward(&method, &path, auth.as_deref(), body).await })
            };
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let restarter = proxy.clone();
            tokio::task::spawn_blocking(move || restarter.restart_server()).await.unwrap();
            let _ = request.await;
            bad_gateway()
        }
    }
}

/// The k-th training of a run: FCOs of the same driver a week apart.
fn training(k: usize) -> TrainingRecordInput {
    let start = date!(2026 - 01 - 05) + time::Duration::weeks(k as i64);
    TrainingRecordInput {
        licence_number: "13AA00001".into(),
        start_date: start.to_string(),
        end_date: (start + time::Duration::days(4)).to_string(),
        ..valid_fco()
    }
}

async fn one_run(seed: u64) -> BTreeMap<Fault, u32> {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("server");
    std::fs::create_dir_all(&data_dir).unwrap();
    let server = ServerProcess::start(&data_dir);
    let direct = ApiClient::new(&server.url);

    // The set-up, without faults: the centre, its two staff, and the trainees' driver.
    let db = cqc_server::db::Db::connect(&cqc_server::db::sqlite_url(&data_dir.join("cqc.sqlite3"))).await.unwrap();
    cqc_server::admin::create_centre(
        &db,
        &SystemClock,
        "Centre de Marseille",
        CENTRE,
        "1 quai du Port, 13002 Marseille",
    )
    .await
    .unwrap();
    for email in STAFF {
        cqc_server::admin::create_centre_staff(&db, &SystemClock, CENTRE, email, "Poste", PASSWORD).await.unwrap();
    }
    cqc_server::admin::create_agent(&db, &SystemClock, "agent@cqc.localhost", "Agent", PASSWORD).await.unwrap();
    let receipt = direct.register(&driver(1)).await.unwrap();
    let agent = direct.clone().with_token(Some(direct.login("agent@cqc.localhost", PASSWORD).await.unwrap().token));
    agent.accept_registration(&receipt.request_id).await.unwrap();

    let proxy = Arc::new(Proxy {
        data_dir: data_dir.clone(),
        server: Mutex::new(server),
        http: reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap(),
        rng: Mutex::new(StdRng::seed_from_u64(seed)),
        enabled: Mutex::new(false),
        seen_pushes: Mutex::new(Vec::new()),
        counts: Mutex::new(BTreeMap::new()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(proxy_handler).with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mut devices = Vec::new();
    let key = DatabaseKey::generate();
    for (n, email) in STAFF.iter().enumerate() {
        let token = direct.login(email, PASSWORD).await.unwrap().token;
        let path = dir.path().join(format!("device{n}.sqlite3"));
        let store = SharedStore::new(LocalStore::open(&path, &key).unwrap());
        devices.push((path, store, ApiClient::new(&proxy_url).with_token(Some(token))));
    }

    *proxy.enabled.lock().unwrap() = true;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    for k in 0..TRAININGS_PER_RUN {
        let device = &mut devices[rng.gen_range(0..2)];
        device.1.lock().record_training(&format!("run{seed}-t{k}"), &training(k)).unwrap();
        for _ in 0..rng.gen_range(0..3) {
            let (path, store, client) = &mut devices[rng.gen_range(0..2)];
            // A device cut at a random point of its sync (the future dropped mid-way)...
            let budget = Duration::from_millis(rng.gen_range(0..40));
            // (pushes of 3, so that a sync is several requests, each cut somewhere).
            let _ = tokio::time::timeout(budget, sync_in_batches(client, &*store, 3, |_| {})).await;
            // ...and sometimes restarted from its file.
            if rng.gen_bool(0.3) {
                *store = SharedStore::new(LocalStore::open(path, &key).unwrap());
            }
        }
    }

    // The network is back: everything goes through.
    *proxy.enabled.lock().unwrap() = false;
    for _ in 0..2 {
        for (_, store, client) in &devices {
            sync(client, store, |_| {}).await.unwrap();
        }
    }

    let db = cqc_server::db::Db::connect(&cqc_server::db::sqlite_url(&data_dir.join("cqc.sqlite3"))).await.unwrap();
    let count = |sql: &'static str| {
        let pool = db.pool.clone();
        async move { sqlx::query(sql).fetch_one(&pool).await.unwrap().get::<i64, _>(0) }
    };
    let expected = TRAININGS_PER_RUN as i64;
    assert_eq!(count("SELECT COUNT(*) FROM trainings").await, expected, "seed {seed}: trainings on the server");
    assert_eq!(count("SELECT COUNT(*) FROM trainings WHERE accepted = 1").await, expected, "seed {seed}");
    assert_eq!(count("SELECT COUNT(*) FROM recaps").await, expected, "seed {seed}: one recap each");
    assert_eq!(count("SELECT COUNT(*) FROM certificates").await, expected, "seed {seed}: one certificate each");
    for (n, (_, store, _)) in devices.iter().enumerate() {
        assert_eq!(store.pending_count().unwrap(), 0, "seed {seed}: device {n} outbox empty");
        let trainings = store.lock().trainings().unwrap();
        let mut ids: Vec<_> = trainings.iter().map(|t| t.training_id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), TRAININGS_PER_RUN, "seed {seed}: device {n} holds each training once");
        assert!(
            trainings.iter().all(|t| t.status == TrainingState::Accepted { matched: true }),
            "seed {seed}: device {n}: {trainings:?}"
        );
    }
    proxy.server.lock().unwrap().kill();
    let counts = proxy.counts.lock().unwrap().clone();
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: scripts/test.sh runs it in a step of its own, with --ignored"]
async fn every_training_is_held_exactly_once_whatever_the_faults() {
    let runs: u64 = std::env::var("CQC_FAULT_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut totals: BTreeMap<Fault, u32> = BTreeMap::new();
    for seed in 0..runs {
        for (fault, n) in one_run(seed).await {
            *totals.entry(fault).or_default() += n;
        }
    }
    println!(
        "{runs} seeded runs, {TRAININGS_PER_RUN} trainings each, all held exactly once; faults injected: {totals:?}"
    );
    assert!(totals.get(&Fault::ServerKilled).copied().unwrap_or(0) > 0, "the runs killed the server at least once");
}
