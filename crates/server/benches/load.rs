//! `cargo bench -p cqc-server --bench load`: the server under load, measured from outside. The
//! release binary runs as its own process (SQLite by default; on PostgreSQL under
//! `scripts/with-postgres.sh`), this program is the load generator on the same machine, and
//! prints the figures of docs/measurements.md's table:
//!
//! - authenticated reads (`/me`, `/notifications`, `/sync/pull` of a driver): throughput at
//!   saturation, then p50/p99 at a fixed rate of 5,000 requests a second (open loop: a late answer
//!   counts from when its request was due, so slowness is not hidden);
//! - a national morning: 200 centres push 50 trainings each at the same moment while 500 drivers
//!   pull: time to drain, the drivers' p99, every training held once;
//! - 50 drivers send a 5 MB scan at once, through the resumable upload the app uses;
//! - logins at fixed rates: what one instance holds with p99 under one second, and above it;
//! - the server's peak memory after each.

use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::clock::{Clock, SystemClock};
use cqc_server::db::{self, Db, NewAccount};
use cqc_server::{admin, secrets};
use cqc_sync::protocol::{Change, Mutation, PushRequest};
use cqc_testkit::process::ServerProcess;
use cqc_testkit::{driver, PASSWORD};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DRIVERS: usize = 500;
const CENTRES: usize = 200;
const TRAININGS_PER_CENTRE: usize = 50;
const UPLOADERS: usize = 50;

/// Latencies of one run, in order of completion.
struct Figures {
    latencies: Vec<Duration>,
    errors: usize,
    refused: usize,
    elapsed: Duration,
}

impl Figures {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what}: {} answers in {:.1?} ({:.0}/s), p50 {:.2?}, p99 {:.2?}, max {:.2?}, {} refused (503), {} errors",
            self.latencies.len(),
            self.elapsed,
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            self.percentile(0.5),
            self.percentile(0.99),
            self.percentile(1.0),
            self.refused,
            self.errors
        )
    }
}

/// Drivers with accounts and open sessions, centres with a staff member's session each: made
/// straight in the database (the bench measures the load, not the set-up).
struct People {
    drivers: Vec<String>,
    driver_emails: Vec<String>,
    centres: Vec<String>,
}

async fn set_up(db: &Db) -> People {
    let clock = SystemClock;
    let now = clock.now();
    let hash = secrets::hash_password(PASSWORD.into()).await.unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    let mut drivers = Vec::new();
    let mut driver_emails = Vec::new();
    for n in 0..DRIVERS as u32 {
        let input = driver(n);
        let account = NewAccount {
            role: Role::Driver,
            status: AccountStatus::Active,
            email: &input.email,
            licence_number: Some(&input.licence_number),
            display_name: "Conducteur",
            registration: Some(&input),
            password_hash: Some(&hash),
        };
        let id = db::insert_account(&mut conn, &account, now).await.unwrap();
        drivers.push(session(&mut conn, &id, now).await);
        driver_emails.push(input.email.clone());
    }
    drop(conn);
    let mut centres = Vec::new();
    for c in 0..CENTRES {
        let approval = format!("AGR-{c:02}-{c:04}");
        admin::create_centre(db, &clock, "Centre routier", &approval, "1 rue A, 01000 Bourg").await.unwrap();
        let id = admin::create_centre_staff(db, &clock, &approval, &format!("poste{c}@centre.fr"), "Poste", PASSWORD)
            .await
            .unwrap();
        centres.push(session(&mut db.pool.acquire().await.unwrap(), &id, now).await);
    }
    People { drivers, driver_emails, centres }
}

async fn session(conn: &mut sqlx::AnyConnection, account: &str, now: time::OffsetDateTime) -> String {
    let (token, hash) = secrets::new_token();
    let password: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert!(db::insert_session(conn, &hash, account, &password, now + time::Duration::days(1), now).await.unwrap());
    token
}

/// The k-th authenticated read of the mix: `/me`, `/notifications`, `/sync/pull`, each by
/// another driver.
fn read(http: &reqwest::Client, url: &str, people: &People, k: usize) -> reqwest::RequestBuilder {
    let path = ["/api/v1/me", "/api/v1/notifications", "/api/v1/sync/pull?cursor=0"][k % 3];
    http.get(format!("{url}{path}")).bearer_auth(&people.drivers[k % people.drivers.len()])
}

/// What an answer counts as.
enum Answer {
    Ok,
    Refused,
    Error,
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    match request.send().await {
        Ok(response) if response.status().is_success() => {
            let _ = response.bytes().await;
            Answer::Ok
        }
        Ok(response) if response.status() == 503 => Answer::Refused,
        _ => Answer::Error,
    }
}

type MakeRequest = Arc<dyn Fn(usize) -> reqwest::RequestBuilder + Send + Sync>;

/// `workers` loops, each sending its next request when the previous answered, until `done`.
async fn saturate(workers: usize, done: Arc<dyn Fn() -> bool + Send + Sync>, make: MakeRequest) -> Figures {
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (make, done) = (make.clone(), done.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors, mut refused) = (Vec::new(), 0, 0);
                let mut k = w;
                while !done() {
                    let sent = Instant::now();
                    match answer(make(k)).await {
                        Answer::Ok => latencies.push(sent.elapsed()),
                        Answer::Refused => refused += 1,
                        Answer::Error => errors += 1,
                    }
                    k += workers;
                }
                (latencies, errors, refused)
            })
        })
        .collect();
    gather(tasks, started).await
}

/// Stops after `length`.
fn after(length: Duration) -> Arc<dyn Fn() -> bool + Send + Sync> {
    let started = Instant::now();
    Arc::new(move || started.elapsed() >= length)
}

/// `rate` requests a second until `done`, each sent when due whatever the others do; a
/// latency counts from when its request was due.
async fn fixed_rate(rate: u32, done: Arc<dyn Fn() -> bool + Send + Sync>, make: MakeRequest) -> Figures {
    // As many connections as a load balancer would keep open to one instance: a request due
    // while all are busy waits for one, and its wait counts in its latency.
    let connections = Arc::new(tokio::sync::Semaphore::new(256));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0.. {
        if done() {
            break;
        }
        let due = started + Duration::from_secs_f64(k as f64 / f64::from(rate));
        tokio::time::sleep_until(due.into()).await;
        let request = make(k);
        let connections = connections.clone();
        tasks.push(tokio::spawn(async move {
            let _connection = connections.acquire_owned().await.expect("never closed");
            match answer(request).await {
                Answer::Ok => (vec![due.elapsed()], 0, 0),
                Answer::Refused => (Vec::new(), 0, 1),
                Answer::Error => (Vec::new(), 1, 0),
            }
        }));
    }
    gather(tasks, started).await
}

async fn gather(tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize, usize)>>, started: Instant) -> Figures {
    let mut figures = Figures { latencies: Vec::new(), errors: 0, refused: 0, elapsed: Duration::ZERO };
    for task in tasks {
        let (latencies, errors, refused) = task.await.unwrap();
        figures.latencies.extend(latencies);
        figures.errors += errors;
        figures.refused += refused;
    }
    figures.elapsed = started.elapsed();
    figures
}

/// 200 centres push 50 trainings each at once while 500 drivers pull, each once a second,
/// until the last push is answered: (time to drain, the drivers' pulls meanwhile).
async fn national_morning(http: &reqwest::Client, url: &str, people: &People) -> (Duration, Figures) {
    let pushes: Vec<_> = people
        .centres
        .iter()
        .enumerate()
        .map(|(c, token)| {
            let mutations = (0..TRAININGS_PER_CENTRE)
                .map(|k| {
                    let trainee = c * TRAININGS_PER_CENTRE + k;
                    // The first 500 trainees are the drivers with accounts: their training is
                    // matched (recap, certificate, PDF, email); the others wait for theirs.
                    let licence_number = if trainee < DRIVERS {
                        driver(trainee as u32).licence_number
                    } else {
                        format!("13AB{trainee:05}")
                    };
                    Mutation {
                        seq: k as i64 + 1,
                        id: uuid::Uuid::new_v4().to_string(),
                        change: Change::RecordTraining {
                            training_id: format!("t-{trainee}"),
                            record: TrainingRecordInput { licence_number, ..valid_fco() },
                        },
                    }
                })
                .collect();
            let push = PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations };
            http.post(format!("{url}/api/v1/sync/push")).bearer_auth(token).json(&push)
        })
        .collect();
    let drained = Arc::new(AtomicBool::new(false));
    let pulls = {
        let (http, url, drivers) = (http.clone(), url.to_owned(), people.drivers.clone());
        let make: MakeRequest = Arc::new(move |k| {
            http.get(format!("{url}/api/v1/sync/pull?cursor=0")).bearer_auth(&drivers[k % drivers.len()])
        });
        let drained = drained.clone();
        tokio::spawn(fixed_rate(DRIVERS as u32, Arc::new(move || drained.load(Ordering::SeqCst)), make))
    };
    let started = Instant::now();
    let pushes: Vec<_> = pushes
        .into_iter()
        .map(|push| tokio::spawn(async move { push.send().await.is_ok_and(|r| r.status().is_success()) }))
        .collect();
    let mut accepted = 0;
    for push in pushes {
        accepted += usize::from(push.await.unwrap());
    }
    let time = started.elapsed();
    drained.store(true, Ordering::SeqCst);
    assert_eq!(accepted, CENTRES, "every push accepted");
    (time, pulls.await.unwrap())
}

/// A scanned page of about 5 MB: a photo-sized JPEG of fine noise, as a phone camera makes.
fn five_megabyte_scan() -> Vec<u8> {
    let mut seed = 12345u32;
    let image = image::RgbImage::from_fn(2048, 1536, |_, _| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let v = (seed >> 16) as u8;
        image::Rgb([v, v.wrapping_add(40), v.wrapping_add(90)])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80).encode_image(&image).unwrap();
    jpeg
}

/// 50 drivers (their training matched by the morning's pushes) each start an application and
/// send a 5 MB scan at the same moment: (time until the last is stored, MB sent).
async fn uploads(url: &str, people: &People) -> (Duration, f64) {
    use cqc_domain::application::DocumentKind;
    let scan = Arc::new(five_megabyte_scan());
    let clients: Vec<_> = people.drivers[..UPLOADERS]
        .iter()
        .map(|token| cqc_client::client::ApiClient::new(url).with_token(Some(token.clone())))
        .collect();
    let mut drafts = Vec::new();
    for client in &clients {
        let id = uuid::Uuid::new_v4().to_string();
        client.start_application(&id).await.unwrap();
        drafts.push(id);
    }
    let started = Instant::now();
    let sending: Vec<_> = clients
        .into_iter()
        .zip(drafts)
        .map(|(client, id)| {
            let scan = scan.clone();
            tokio::spawn(async move {
                client.upload_document(&id, DocumentKind::IdentityFront, &scan, |_, _| {}).await.unwrap();
            })
        })
        .collect();
    for upload in sending {
        upload.await.unwrap();
    }
    (started.elapsed(), (scan.len() * UPLOADERS) as f64 / 1e6)
}

#[tokio::main]
async fn main() {
    let binary = env!("CARGO_BIN_EXE_cqc-server");
    let database = cqc_testkit::server::fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    std::fs::create_dir_all(&data).unwrap();
    let url = database.clone().unwrap_or_else(|| cqc_server::db::sqlite_url(&data.join("cqc.sqlite3")));
    let db = Db::connect(&url).await.unwrap();
    let people = set_up(&db).await;
    db.pool.close().await;
    let mut settings = vec![("CQC_TRUST_FORWARDED_FOR", "true"), ("CQC_LOG_FORMAT", "json"), ("RUST_LOG", "off")];
    if let Some(url) = &database {
        settings.push(("CQC_DATABASE_URL", url));
    }
    let server = ServerProcess::start(Path::new(binary), &data, &settings);
    let http = reqwest::Client::builder().pool_max_idle_per_host(512).build().unwrap();
    server.ready().await;
    println!("server: {} ({})", if database.is_some() { "PostgreSQL" } else { "SQLite" }, server.url);
    let people = Arc::new(people);

    let reads: MakeRequest = {
        let (http, url, people) = (http.clone(), server.url.clone(), people.clone());
        Arc::new(move |k| read(&http, &url, &people, k))
    };
    let _ = fixed_rate(1000, after(Duration::from_secs(1)), reads.clone()).await; // warm-up
    let saturated = saturate(64, after(Duration::from_secs(5)), reads.clone()).await;
    println!("{}", saturated.line("reads at saturation (64 connections)"));
    let steady = fixed_rate(5000, after(Duration::from_secs(5)), reads.clone()).await;
    println!("{}", steady.line("reads at 5,000/s"));
    println!("server memory: peak {} MiB", server.memory_mib().1);

    let (drained, pulls) = national_morning(&http, &server.url, &people).await;
    println!(
        "national morning: {CENTRES} centres × {TRAININGS_PER_CENTRE} trainings pushed at once, drained in {drained:.2?}"
    );
    println!("{}", pulls.line(&format!("  meanwhile, {DRIVERS} drivers pulling once a second")));
    let held = Db::connect(&url).await.unwrap();
    let trainings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trainings").fetch_one(&held.pool).await.unwrap();
    assert_eq!(trainings as usize, CENTRES * TRAININGS_PER_CENTRE, "each training held once");
    println!("server memory: peak {} MiB", server.memory_mib().1);

    let (took, megabytes) = uploads(&server.url, &people).await;
    println!(
        "uploads: {UPLOADERS} drivers send a {:.1} MB scan at once: all stored in {took:.2?} ({:.1} MB/s); \
         server memory: peak {} MiB",
        megabytes / UPLOADERS as f64,
        megabytes / took.as_secs_f64(),
        server.memory_mib().1
    );

    for rate in [10, 20, 40, 80] {
        let logins: MakeRequest = {
            let (http, url, people) = (http.clone(), server.url.clone(), people.clone());
            Arc::new(move |k| {
                let email = &people.driver_emails[k % people.driver_emails.len()];
                http.post(format!("{url}/api/v1/session"))
                    // Each login from its own address, as from drivers' homes.
                    .header("x-forwarded-for", format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255))
                    .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            })
        };
        let figures = fixed_rate(rate, after(Duration::from_secs(4)), logins).await;
        println!("{}", figures.line(&format!("logins at {rate}/s")));
    }
    println!("server memory: peak {} MiB, now {} MiB", server.memory_mib().1, server.memory_mib().0);
}
