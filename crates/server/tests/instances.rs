//! The production shape: three server processes behind one address book of URLs, on one
//! PostgreSQL and one S3-compatible store (moto's server, started by `scripts/with-s3.sh`).
//! Requests are spread over the three; one is killed (SIGKILL) in the middle; the others carry on
//! and take over what it had claimed.

use cqc_domain::application::DocumentKind;
use cqc_domain::application::{CorrectionItem, ReviewedItem};
use cqc_domain::billing::PaymentStatus;
use cqc_domain::card::CardEvent;
use cqc_domain::replacement::ReplacementReason;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::db::Db;
use cqc_server::jobs::CLAIM_BATCH;
use cqc_server::payments::test_cards;
use cqc_sync::api::SetPasswordRequest;
use cqc_sync::applications::{ApplicationCorrectionRequest, CardStepRequest};
use cqc_sync::protocol::{Change, Mutation, PushRequest};
use cqc_testkit::cards::complete_draft;
use cqc_testkit::outbox::Outbox;
use cqc_testkit::process::ServerProcess;
use cqc_testkit::replacements::{for_replacement, payment, replacement_awaiting_payment};
use cqc_testkit::server::{agent_and_centre, AGENT_EMAIL, STAFF_EMAIL};
use cqc_testkit::{driver, files::scan, PASSWORD};
use std::collections::HashMap;
use std::time::Duration;

// Within the limits of one client address (20 registrations an hour, 30 logins in 10 min).
const DRIVERS: u32 = 12;
const LATE_DRIVERS: u32 = 4;
const PAYING_DRIVERS: usize = 4;
const TEXTED_DRIVERS: usize = 2;

/// The messages (`outbox`: emails, `sms-outbox`: texts) written by the instances, by id: the
/// instances that wrote each.
fn deliveries(instances: &[ServerProcess], folder: &str) -> HashMap<String, Vec<usize>> {
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, instance) in instances.iter().enumerate() {
        for entry in std::fs::read_dir(instance.data.join(folder)).into_iter().flatten() {
            let name = entry.unwrap().file_name().to_string_lossy().split('.').next().unwrap_or_default().to_owned();
            seen.entry(name).or_default().push(n);
        }
    }
    seen
}

/// The one-time token of the email to `to` about `subject`, whichever instance sent it.
async fn token(instances: &[ServerProcess], to: &str, subject: &str) -> String {
    for _ in 0..200 {
        for instance in instances {
            let outbox = Outbox::new(&instance.outbox());
            if outbox.emails_to(to).iter().any(|e| e.contains(subject)) {
                return outbox.token(to, subject).await;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no email to {to} about « {subject} »");
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// Waits (20 s at most) until every message queued in `outbox` is sent; answers how many there are.
async fn all_sent(db: &Db, outbox: &str) -> i64 {
    let unsent = format!("SELECT COUNT(*) FROM {outbox} WHERE sent_at IS NULL");
    for _ in 0..200 {
        if count(db, &unsent).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(db, &unsent).await, 0, "unsent in {outbox}");
    count(db, &format!("SELECT COUNT(*) FROM {outbox}")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "three server processes on PostgreSQL and S3: scripts/test.sh runs it"]
async fn three_instances_share_the_work_and_survive_one_killed() {
    let root = tempfile::tempdir().unwrap();
    let database = cqc_testkit::server::fresh_postgres_database().await.expect("scripts/with-postgres.sh");
    let db = Db::connect(&database).await.unwrap();
    agent_and_centre(&db).await;
    let key =
        cqc_sync::certificate_code::encode_signing_key(&ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng));
    let link_secret = cqc_server::secrets::LinkSecret::generate().encode();
    let endpoint = std::env::var("CQC_TEST_S3_ENDPOINT").expect("scripts/with-s3.sh sets CQC_TEST_S3_ENDPOINT");
    let bucket = std::env::var("CQC_TEST_S3_BUCKET").expect("scripts/with-s3.sh sets CQC_TEST_S3_BUCKET");
    let settings = [
        ("CQC_DATABASE_URL", database.as_str()),
        ("CQC_CERTIFICATE_KEY", key.as_str()),
        // A link made by one instance is emailed or opened by another.
        ("CQC_LINK_SECRET", link_secret.as_str()),
        ("CQC_S3_BUCKET", bucket.as_str()),
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        // A killed instance's claims come back to the others after 2 s, not 2 minutes.
        ("CQC_CLAIM_LEASE_MS", "2000"),
    ];
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_cqc-server"));
    let mut instances: Vec<ServerProcess> =
        (0..3).map(|n| ServerProcess::start(binary, &root.path().join(format!("instance-{n}")), &settings)).collect();
    for instance in &instances {
        instance.ready().await;
    }

    // Drivers register, are accepted, set their password and log in, each step through
    // another instance: links and sessions work whichever instance answers.
    let agent = instances[0].client().login(AGENT_EMAIL, PASSWORD).await.unwrap().token;
    let agent_token = Some(agent.clone());
    let mut sessions = Vec::new();
    for n in 0..DRIVERS {
        let on = |step: u32| &instances[((n + step) % 3) as usize];
        let receipt = on(0).client().register(&driver(n)).await.unwrap();
        on(1).client().with_token(Some(agent.clone())).accept_registration(&receipt.request_id).await.unwrap();
        let token = token(&instances, &receipt.email, "créez votre mot de passe").await;
        let password = SetPasswordRequest { token, password: PASSWORD.into(), confirmation: PASSWORD.into() };
        on(0).client().set_password(&password).await.unwrap();
        sessions.push(on(1).client().login(&receipt.email, PASSWORD).await.unwrap().token);
    }

    // Three computers of the centre push one training per driver each, each through its own
    // instance; the first replays its push through another (an answer lost on the way).
    let staff = instances[0].client().login(STAFF_EMAIL, PASSWORD).await.unwrap().token;
    let batches: Vec<PushRequest> = (0..3)
        .map(|computer| PushRequest {
            client_id: uuid::Uuid::new_v4().to_string(),
            mutations: (0..DRIVERS)
                .filter(|n| n % 3 == computer)
                .enumerate()
                .map(|(seq, n)| Mutation {
                    seq: seq as i64 + 1,
                    id: format!("mutation-{n}"),
                    change: Change::RecordTraining {
                        training_id: format!("formation-{n}"),
                        record: TrainingRecordInput { licence_number: driver(n).licence_number, ..valid_fco() },
                    },
                })
                .collect(),
        })
        .collect();
    for (n, batch) in batches.iter().enumerate() {
        instances[n].client().with_token(Some(staff.clone())).push(batch).await.unwrap();
    }
    instances[1].client().with_token(Some(staff.clone())).push(&batches[0]).await.unwrap();

    // Each driver sends a scan through one instance.
    let mut documents = Vec::new();
    for (n, token) in sessions.iter().enumerate() {
        let client = instances[n % 3].client().with_token(Some(token.clone()));
        let id = uuid::Uuid::new_v4().to_string();
        client.start_application(&id).await.unwrap();
        client.upload_document(&id, DocumentKind::IdentityFront, &scan(), |_, _| {}).await.unwrap();
        documents.push((token.clone(), id));
    }

    // The third instance dies at once, with whatever it had claimed.
    let killed = 2;
    instances[killed].signal("KILL");
    let alive = [0, 1];

    // The two others go on: more drivers register.
    for n in DRIVERS..DRIVERS + LATE_DRIVERS {
        instances[alive[(n % 2) as usize]].client().register(&driver(n)).await.unwrap();
    }

    // Every driver pulls their one certificate, through either instance.
    for (n, token) in sessions.iter().enumerate() {
        let pulled = instances[alive[n % 2]].client().with_token(Some(token.clone())).pull(0).await.unwrap();
        assert_eq!(pulled.certificates.len(), 1, "driver {n}: {:?}", pulled.certificates);
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trainings").await, i64::from(DRIVERS), "each training held once");

    // Every document (kept as the server re-encoded it) reads back the same through each live
    // instance, the killed one's uploads included.
    for (token, id) in &documents {
        let mut reads = Vec::new();
        for &n in &alive {
            let client = instances[n].client().with_token(Some(token.clone()));
            reads.push(client.document(id, DocumentKind::IdentityFront).await.unwrap());
        }
        assert!(reads[0].starts_with(&[0xFF, 0xD8]), "a JPEG for {id}");
        assert!(reads[0] == reads[1], "document of {id} differs between instances");
    }
    assert!(instances.iter().all(|i| !i.data.join("documents").exists()), "documents are in S3, not in a folder");

    // Some drivers' applications go to the agent through the live instances: a few are asked
    // for a new photo (by email, notification and text message); the others get their card,
    // lose it, and pay for its replacement at the same moment through both instances: the
    // invoices are numbered 1…N with no gap and no repeat.
    let agent = instances[1].client().with_token(Some(agent));
    let mut awaiting_payment = Vec::new();
    for (n, (token, first_draft)) in documents.iter().enumerate().take(PAYING_DRIVERS + TEXTED_DRIVERS) {
        let driver = instances[alive[n % 2]].client().with_token(Some(token.clone()));
        driver.cancel_application(first_draft).await.unwrap();
        let application = complete_draft(&driver).await;
        driver.submit_application(&application).await.unwrap();
        agent.open_application(&application).await.unwrap();
        if n >= PAYING_DRIVERS {
            let photo = CorrectionItem { item: ReviewedItem::Photo, reason: "Visage trop sombre".into() };
            let ask = ApplicationCorrectionRequest { items: vec![photo] };
            agent.request_application_correction(&application, &ask).await.unwrap();
            continue;
        }
        let card = agent.approve_application(&application).await.unwrap().application.card_id.expect("a card");
        for event in [CardEvent::Print, CardEvent::Ship, CardEvent::Deliver] {
            let step = CardStepRequest { card_ids: vec![card.clone()], event };
            instances[alive[(n + 1) % 2]].client().with_token(agent_token.clone()).card_step(&step).await.unwrap();
        }
        let driver = instances[alive[(n + 1) % 2]].client().with_token(Some(token.clone()));
        awaiting_payment
            .push((driver.clone(), replacement_awaiting_payment(&driver, &card, ReplacementReason::Loss).await));
    }
    // The first pays with a 3-D Secure card: the code goes through the other instance than the
    // one that started the charge (the processor is one, whichever instance talks to it).
    let other_instance = |n: usize| instances[alive[n % 2]].client().with_token(Some(documents[n].0.clone()));
    let payments: Vec<_> = awaiting_payment
        .into_iter()
        .enumerate()
        .map(|(n, (driver, id))| {
            let confirming = other_instance(n);
            tokio::spawn(async move {
                if n > 0 {
                    return driver.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
                }
                let challenged = driver.pay(&payment(for_replacement(&id), test_cards::THREE_D_SECURE)).await.unwrap();
                assert_eq!(challenged.status, PaymentStatus::Challenge);
                confirming.answer_challenge(&challenged.id, test_cards::CHALLENGE_CODE).await.unwrap()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for paid in payments {
        numbers.push(paid.await.unwrap().invoice_number.expect("invoiced").as_str().to_owned());
    }
    numbers.sort();
    let year = &numbers[0][4..8];
    let expected: Vec<String> = (1..=PAYING_DRIVERS).map(|n| format!("FAC-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected, "invoices without gap or repeat");

    // Every text message is sent, once.
    let texts = all_sent(&db, "outgoing_sms").await;
    assert_eq!(texts, TEXTED_DRIVERS as i64, "one text per correction request");
    let sent = deliveries(&instances, "sms-outbox");
    assert_eq!(sent.len() as i64, texts);
    assert!(sent.values().all(|by| by.len() == 1), "a text sent twice: {sent:?}");

    // Every email is sent, the killed instance's claims included once their lease ran out;
    // none twice, except one the killed instance wrote but could not record as sent (then the
    // same message, with the same Message-ID, goes out again).
    let total = all_sent(&db, "outgoing_emails").await;
    let seen = deliveries(&instances, "outbox");
    assert_eq!(seen.len() as i64, total, "one file per queued email");
    let twice: Vec<_> = seen.iter().filter(|(_, by)| by.len() > 1).collect();
    assert!(twice.iter().all(|(_, by)| by.contains(&killed)), "sent twice by live instances: {twice:?}");
    assert!(twice.len() <= CLAIM_BATCH, "{twice:?}");
    let by_instance: Vec<usize> = (0..3).map(|n| seen.values().filter(|by| by.contains(&n)).count()).collect();
    assert!(by_instance.iter().all(|sent| *sent > 0), "each instance sent part of them: {by_instance:?}");
    eprintln!("{total} emails: {by_instance:?} by instance, {} sent again after the kill", twice.len());
    instances.clear();
}
