//! Several instances on one database (PostgreSQL under `scripts/with-postgres.sh`, else one
//! SQLite file): each queued email and text message is sent by one of them; what an instance
//! claimed and never sent (it died) is sent by another once the claim's lease has run out; a
//! periodic job runs on the one instance that holds its lease.

use cqc_server::clock::{Clock, ManualClock};
use cqc_server::db::Db;
use cqc_server::jobs::Worker;
use cqc_server::mail::{self, Email, MailWaker, Transport};
use cqc_server::secrets::LinkSecret;
use cqc_server::{admin, sms};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const LEASE: Duration = Duration::from_secs(60);

struct Shared {
    url: String,
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

impl Shared {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = match cqc_testkit::server::fresh_postgres_database().await {
            Some(url) => url,
            None => cqc_server::db::sqlite_url(&dir.path().join("cqc.sqlite3")),
        };
        Self { url, clock: Arc::new(ManualClock::new(time::OffsetDateTime::now_utc())), dir }
    }

    /// An instance's own connection pool, as a separate process has.
    async fn db(&self) -> Db {
        Db::connect(&self.url).await.unwrap()
    }

    fn outbox(&self, instance: usize) -> PathBuf {
        self.dir.path().join(format!("instance-{instance}"))
    }

    /// Starts the email and SMS workers of an instance, each writing into its own folders.
    async fn start_instance(&self, instance: usize) -> Worker {
        let db = self.db().await;
        let worker = Worker::new(LEASE);
        let transport = Transport::outbox(self.outbox(instance).join("emails")).unwrap();
        let from = "CQC <ne-pas-repondre@cqc.localhost>".parse().unwrap();
        let clock: Arc<dyn Clock> = self.clock.clone();
        let mailer = mail::Mailer { transport, from, links: Arc::new(LinkSecret::generate()) };
        tokio::spawn(mail::run_delivery(db.clone(), mailer, MailWaker::default(), clock.clone(), worker.clone()));
        let texts = Arc::new(sms::FolderOutbox(self.outbox(instance).join("sms")));
        tokio::spawn(sms::run_delivery(db, texts, clock, worker.clone()));
        worker
    }

    /// How many times each email (by its id) was written, over every instance's folder.
    fn deliveries(&self, kind: &str, instances: usize) -> HashMap<String, usize> {
        let mut seen = HashMap::new();
        for instance in 0..instances {
            for entry in std::fs::read_dir(self.outbox(instance).join(kind)).into_iter().flatten() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                *seen.entry(name).or_insert(0) += 1;
            }
        }
        seen
    }

    async fn wait_for(&self, kind: &str, instances: usize, count: usize) -> HashMap<String, usize> {
        for _ in 0..300 {
            let seen = self.deliveries(kind, instances);
            if seen.len() >= count {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{count} {kind} expected, {} delivered", self.deliveries(kind, instances).len());
    }
}

async fn queue_emails(db: &Db, n: usize, now: time::OffsetDateTime) {
    let mut conn = db.pool.acquire().await.unwrap();
    for i in 0..n {
        let email =
            Email { to: format!("conducteur{i}@example.fr"), subject: format!("Message {i}"), body: "Bonjour".into() };
        mail::enqueue(&mut conn, &email, now).await.unwrap();
    }
}

async fn queue_texts(db: &Db, clock: &ManualClock, n: usize) {
    let driver =
        admin::create_agent(db, clock, "destinataire@cqc.localhost", "Destinataire", "Camion-Rouge2024").await.unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    for i in 0..n {
        cqc_server::db::outbox::insert_sms(
            &mut conn,
            &driver.to_string(),
            "+33600000000",
            &format!("Texte {i}"),
            clock.now(),
        )
        .await
        .unwrap();
    }
}

fn sent_twice(seen: &HashMap<String, usize>) -> Vec<&String> {
    seen.iter().filter(|(_, n)| **n > 1).map(|(id, _)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_send_each_queued_email_and_text_once() {
    let shared = Shared::new().await;
    let db = shared.db().await;
    // Queued first: on SQLite, the set-up's transactions would otherwise race three writers
    // that are not the server's (each instance has its own file handle here).
    queue_emails(&db, 300, shared.clock.now()).await;
    queue_texts(&db, &shared.clock, 100).await;
    for instance in 0..3 {
        shared.start_instance(instance).await;
    }

    let emails = shared.wait_for("emails", 3, 300).await;
    let texts = shared.wait_for("sms", 3, 100).await;
    // Every instance did part of the work, and no message went out twice.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(shared.deliveries("emails", 3).len(), 300);
    assert!(sent_twice(&emails).is_empty(), "sent twice: {:?}", sent_twice(&emails));
    assert!(sent_twice(&texts).is_empty(), "sent twice: {:?}", sent_twice(&texts));
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_emails WHERE sent_at IS NULL")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(unsent, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn emails_claimed_by_an_instance_that_died_are_sent_by_another_after_the_lease() {
    let shared = Shared::new().await;
    let db = shared.db().await;
    queue_emails(&db, 30, shared.clock.now()).await;
    // What a killed instance leaves: its claims, never sent.
    let until = cqc_server::clock::to_millis(shared.clock.now() + LEASE);
    sqlx::query("UPDATE outgoing_emails SET claimed_by = 'killed', claimed_until = $1")
        .bind(until)
        .execute(&db.pool)
        .await
        .unwrap();

    shared.start_instance(0).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(shared.deliveries("emails", 1).is_empty(), "sent while another instance's claim held");

    shared.clock.advance(time::Duration::seconds(61));
    let emails = shared.wait_for("emails", 1, 30).await;
    assert!(sent_twice(&emails).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopping_instance_gives_back_what_it_claimed() {
    let shared = Shared::new().await;
    let db = shared.db().await;
    queue_emails(&db, 5, shared.clock.now()).await;
    let stopped = Worker::new(LEASE);
    let claimed = cqc_server::db::outbox::claim_emails(&db, stopped.claim(shared.clock.now()), 10).await.unwrap();
    assert_eq!(claimed.len(), 5);
    stopped.stop(&db).await.unwrap();
    assert!(stopped.round().await.is_none(), "a stopped instance starts no round");

    shared.start_instance(0).await;
    shared.wait_for("emails", 1, 5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_instance_at_a_time_holds_the_lease_of_a_periodic_job() {
    let shared = Shared::new().await;
    let now = shared.clock.now();
    let hour = time::Duration::hours(1);
    let mut instances = Vec::new();
    for _ in 0..3 {
        instances.push((shared.db().await, Worker::new(LEASE)));
    }
    // The three instances ask at the same moment.
    let attempts: Vec<_> = instances
        .iter()
        .map(|(db, worker)| {
            let (db, worker) = (db.clone(), worker.clone());
            tokio::spawn(async move { worker.take_lease(&db, "draft-upkeep", now, now + hour).await.unwrap() })
        })
        .collect();
    let mut taken = Vec::new();
    for attempt in attempts {
        taken.push(attempt.await.unwrap());
    }
    assert_eq!(taken.iter().filter(|t| **t).count(), 1, "{taken:?}");

    // Within the hour nobody takes it again, the holder included; after it, one does.
    let (db, second) = &instances[1];
    assert!(!second.take_lease(db, "draft-upkeep", now + time::Duration::minutes(59), now + hour * 2).await.unwrap());
    assert!(second.take_lease(db, "draft-upkeep", now + hour, now + hour * 2).await.unwrap());
}

/// A gateway that is down: refuses every message, counts the tries.
struct DownGateway(std::sync::atomic::AtomicUsize);

impl sms::SmsProvider for DownGateway {
    fn send<'a>(
        &'a self,
        _id: &'a str,
        _phone: &'a str,
        _body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async { Err("the SMS gateway answered 503 Service Unavailable".to_owned()) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gateway_that_is_down_is_tried_once_a_round_not_hammered() {
    let shared = Shared::new().await;
    let db = shared.db().await;
    queue_texts(&db, &shared.clock, 30).await;
    let gateway = Arc::new(DownGateway(Default::default()));
    tokio::spawn(sms::run_delivery(db.clone(), gateway.clone(), shared.clock.clone(), Worker::new(LEASE)));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let tries = gateway.0.load(std::sync::atomic::Ordering::SeqCst);
    assert!((1..=cqc_server::jobs::CLAIM_BATCH).contains(&tries), "{tries} tries in one round");
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_sms WHERE sent_at IS NULL")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(unsent, 30, "nothing is lost: every text waits for the gateway");
}
