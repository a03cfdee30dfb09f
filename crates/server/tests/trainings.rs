//! The contract of guide steps 04 and 08 and of the sync: centres push trainings, drivers pull
//! recaps and certificates. Run on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::{driver, TestServer};
use cqc_client::client::{ApiClient, ClientError};
use cqc_client::engine::sync;
use cqc_domain::form::FieldError;
use cqc_domain::training::{fixtures::valid_fco, TrainingField, TrainingOutcome, TrainingRecordInput};
use cqc_store::{DatabaseKey, LocalStore, SharedStore, TrainingState};
use cqc_sync::api::ErrorCode;
use cqc_sync::certificate_code::{decode_public_key, verify};
use cqc_sync::protocol::{
    Change, Mutation, Outcome, PushRequest, PushResponse, Replica, MAX_PULL_PAGE, MAX_PUSH_BATCH,
};

const CENTRE: &str = "AGR-69-0042";

/// The FCO of the test's n-th driver (see `common::driver`).
fn fco_of(n: u32) -> TrainingRecordInput {
    TrainingRecordInput { licence_number: format!("13AA{n:05}"), ..valid_fco() }
}

fn record(seq: i64, training_id: &str, record: TrainingRecordInput) -> Mutation {
    Mutation {
        seq,
        id: uuid::Uuid::new_v4().to_string(),
        change: Change::RecordTraining { training_id: training_id.into(), record },
    }
}

async fn push(client: &ApiClient, device: &str, mutations: Vec<Mutation>) -> PushResponse {
    client.push(&PushRequest { client_id: device.into(), mutations }).await.unwrap()
}

fn device() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn a_training_of_a_driver_with_an_account_gives_the_recap_and_the_emailed_certificate() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(1)).await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;

    let answer = push(&centre, &device(), vec![record(1, "t-1", fco_of(1))]).await;
    assert_eq!(answer.last_applied_seq, 1);
    assert_eq!(answer.results[0].outcome, Outcome::Accepted);

    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!(pulled.recaps.len(), 1);
    assert_eq!(pulled.recaps[0].hours, 35);
    assert_eq!(pulled.recaps[0].centre_approval_number, CENTRE);
    assert!(pulled.recaps[0].available_until.is_some(), "an FCO recap lasts 6 years");
    let certificate = &pulled.certificates[0];
    assert_eq!(certificate.claims.holder, "Jean Pierre Dupont");
    assert_eq!(certificate.claims.card_expiry, "2031-11-20", "5 years from the training's end");

    let keys = server.client().certificate_keys().await.unwrap();
    let keys: Vec<_> = keys.keys.iter().filter_map(|k| decode_public_key(k)).collect();
    assert_eq!(verify(&certificate.code, &keys).unwrap(), certificate.claims);

    server.email("conducteur1@exemple.fr", "Votre attestation de qualification").await;
    let attachments = server.attachments_to("conducteur1@exemple.fr");
    assert!(attachments.iter().any(|(name, size)| name == "attestation-de-qualification.pdf" && *size > 1000));
    let notifications = server.authed(&session).notifications().await.unwrap();
    assert!(notifications.iter().any(|n| n.title == "Nouvelle attestation de qualification"));

    // The next pull from the new cursor brings nothing again.
    let again = server.authed(&session).pull(pulled.cursor).await.unwrap();
    assert!(again.recaps.is_empty() && again.certificates.is_empty());
}

#[tokio::test]
async fn a_failed_training_gives_a_recap_but_no_certificate() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(2)).await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let failed = TrainingRecordInput { outcome: Some(TrainingOutcome::Failed), ..fco_of(2) };
    push(&centre, &device(), vec![record(1, "t-1", failed)]).await;
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!((pulled.recaps.len(), pulled.certificates.len()), (1, 0));
}

#[tokio::test]
async fn a_training_for_someone_without_an_account_waits_and_attaches_when_the_account_is_accepted() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    push(&centre, &device(), vec![record(1, "t-1", fco_of(3))]).await;
    let pulled = centre.pull(0).await.unwrap();
    assert!(!pulled.trainings[0].matched, "no account yet");

    let session = server.active_driver(&driver(3)).await;
    let mine = server.authed(&session).pull(0).await.unwrap();
    assert_eq!((mine.recaps.len(), mine.certificates.len()), (1, 1));
    let later = centre.pull(pulled.cursor).await.unwrap();
    assert!(later.trainings[0].matched, "the centre sees the training attached");
}

#[tokio::test]
async fn a_device_is_not_sent_back_the_trainings_it_pushed_until_they_change() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let (poste, other_poste) = (device(), device());
    push(&centre, &poste, vec![record(1, "t-1", fco_of(5)), record(2, "t-2", fco_of(6))]).await;
    push(&centre, &other_poste, vec![record(1, "t-3", fco_of(7))]).await;
    let ids = |page: &cqc_sync::protocol::PullResponse| {
        let mut ids: Vec<_> = page.trainings.iter().map(|t| t.training_id.clone()).collect();
        ids.sort();
        ids
    };

    let everything = centre.pull(0).await.unwrap();
    assert_eq!(ids(&everything), ["t-1", "t-2", "t-3"], "a pull that names no device gets them all");
    let mine = centre.pull_holding_own_pushes(0, &poste).await.unwrap();
    assert_eq!(ids(&mine), ["t-3"], "only what another device pushed");
    assert_eq!(mine.cursor, everything.cursor, "the cursor passes the trainings left out");
    let theirs = centre.pull_holding_own_pushes(0, &other_poste).await.unwrap();
    assert_eq!(ids(&theirs), ["t-1", "t-2"]);
    assert!(!theirs.has_more && theirs.cursor == everything.cursor);
    assert!(centre.pull_holding_own_pushes(mine.cursor, &poste).await.unwrap().trainings.is_empty());

    // t-1's trainee opens an account: the training changed on the server, its device gets it.
    server.active_driver(&driver(5)).await;
    let later = centre.pull_holding_own_pushes(mine.cursor, &poste).await.unwrap();
    assert_eq!(ids(&later), ["t-1"]);
    assert!(later.trainings[0].matched);

    let not_a_device = centre.pull_holding_own_pushes(0, "poste-1").await;
    assert!(matches!(not_a_device, Err(ClientError::Api(e))
        if e.code == ErrorCode::InvalidRequest && e.message == "Identifiant d'appareil invalide."));
}

#[tokio::test]
async fn a_device_that_forgot_what_it_pulled_at_logout_gets_its_own_trainings_back() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(&dir.path().join("poste.sqlite3"), &DatabaseKey::generate()).unwrap();
    store.record_trainings(&[("t-1".into(), fco_of(8)), ("t-2".into(), fco_of(9))]).unwrap();
    let store = SharedStore::new(store);
    let done = sync(&centre, &store, |_| {}).await.unwrap();
    assert_eq!((done.sent, done.received), (2, 0));

    store.lock().forget_server_copies().unwrap();
    assert!(store.lock().trainings().unwrap().is_empty());
    let again = sync(&centre, &store, |_| {}).await.unwrap();
    assert_eq!((again.sent, again.received), (0, 2));
    let lines = store.lock().trainings().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|t| t.status == TrainingState::Accepted { matched: false }));
    assert_eq!(sync(&centre, &store, |_| {}).await.unwrap().received, 0, "held again after the full pull");
}

#[tokio::test]
async fn a_training_whose_birth_date_differs_from_the_account_does_not_attach() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(4)).await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let other_birth = TrainingRecordInput { birth_date: "1986-03-14".into(), ..fco_of(4) };
    push(&centre, &device(), vec![record(1, "t-1", other_birth)]).await;
    assert!(server.authed(&session).pull(0).await.unwrap().recaps.is_empty());
}

#[tokio::test]
async fn a_resent_push_is_applied_once_and_answered_the_same() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(5)).await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let phone = device();
    let batch = vec![record(1, "t-1", fco_of(5))];
    let first = push(&centre, &phone, batch.clone()).await;
    let second = push(&centre, &phone, batch).await;
    assert_eq!(first, second);
    assert_eq!(server.count("trainings").await, 1);
    assert_eq!(server.count("certificates").await, 1);
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!(pulled.certificates.len(), 1);
}

#[tokio::test]
async fn mutations_after_a_gap_wait_for_the_missing_one() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let phone = device();
    let answer = push(&centre, &phone, vec![record(2, "t-2", fco_of(7))]).await;
    assert_eq!(answer.last_applied_seq, 0);
    assert!(answer.results.is_empty());
    let answer = push(&centre, &phone, vec![record(1, "t-1", fco_of(6)), record(2, "t-2", fco_of(7))]).await;
    assert_eq!(answer.last_applied_seq, 2);
    assert_eq!(server.count("trainings").await, 2);
}

#[tokio::test]
async fn a_record_that_breaks_the_rules_is_rejected_with_its_fields_then_corrected() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let phone = device();
    let short = TrainingRecordInput { hours: "30".into(), ..fco_of(8) };
    let answer = push(&centre, &phone, vec![record(1, "t-1", short)]).await;
    let Outcome::Rejected { reason, fields } = &answer.results[0].outcome else { panic!("{answer:?}") };
    assert!(reason.contains("corrigez"), "{reason}");
    assert_eq!(fields[&TrainingField::Hours], FieldError::TooFewHours { min: 35 });
    assert_eq!(answer.last_applied_seq, 1, "a rejection is an answer too");

    let answer = push(&centre, &phone, vec![record(2, "t-1", fco_of(8))]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Accepted);
    let pulled = centre.pull(0).await.unwrap();
    assert_eq!(pulled.trainings.len(), 1);
    assert_eq!(pulled.trainings[0].outcome, Outcome::Accepted);

    // Accepted is final: a change is refused, the same record again is fine.
    let changed = TrainingRecordInput { hours: "36".into(), ..fco_of(8) };
    let answer = push(&centre, &phone, vec![record(3, "t-1", changed), record(4, "t-1", fco_of(8))]).await;
    assert!(matches!(answer.results[0].outcome, Outcome::Rejected { .. }));
    assert_eq!(answer.results[1].outcome, Outcome::Accepted);
}

#[tokio::test]
async fn a_record_and_its_correction_in_one_push_leave_one_accepted_training() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let short = TrainingRecordInput { hours: "30".into(), ..fco_of(8) };
    let answer = push(&centre, &device(), vec![record(1, "t-1", short), record(2, "t-1", fco_of(8))]).await;
    assert!(matches!(answer.results[0].outcome, Outcome::Rejected { .. }));
    assert_eq!(answer.results[1].outcome, Outcome::Accepted);
    assert_eq!(server.count("trainings").await, 1);
    let pulled = centre.pull(0).await.unwrap();
    assert_eq!(pulled.trainings.len(), 1);
    assert_eq!(pulled.trainings[0].outcome, Outcome::Accepted, "the correction is what is held");
}

#[tokio::test]
async fn a_centre_back_from_weeks_offline_sends_its_trainings_in_several_pushes_and_pulls_them_page_by_page() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let offline = MAX_PUSH_BATCH + MAX_PULL_PAGE / 2;
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(&dir.path().join("poste.sqlite3"), &DatabaseKey::generate()).unwrap();
    let trainings: Vec<_> = (0..offline).map(|k| (format!("t-{k}"), fco_of(k as u32))).collect();
    store.record_trainings(&trainings).unwrap();
    let store = SharedStore::new(store);

    let mut seen = Vec::new();
    let done = sync(&centre, &store, |progress| seen.push(progress)).await.unwrap();
    // Nothing comes back: the device holds every training it pushed, as the answers left them.
    assert_eq!((done.sent as usize, done.received as usize), (offline, 0));
    let sent: Vec<_> = seen.iter().map(|p| p.sent as usize).filter(|&n| n > 0).collect();
    assert_eq!(sent.first(), Some(&MAX_PUSH_BATCH), "progress after each push: {sent:?}");
    assert_eq!(store.pending_count().unwrap(), 0);
    let lines = store.lock().trainings().unwrap();
    assert_eq!(lines.len(), offline);
    assert!(lines.iter().all(|t| t.status == TrainingState::Accepted { matched: false }));
    assert_eq!(server.count("trainings").await, offline as i64);

    // Page by page, in order, each training once, never past the last.
    let (mut cursor, mut pages, mut ids) = (0, 0, Vec::new());
    loop {
        let page = centre.pull(cursor).await.unwrap();
        assert!(page.trainings.len() <= MAX_PULL_PAGE && page.cursor > cursor);
        ids.extend(page.trainings.into_iter().map(|t| t.training_id));
        (cursor, pages) = (page.cursor, pages + 1);
        if !page.has_more {
            break;
        }
    }
    assert_eq!(pages, 2);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), offline);
    assert!(centre.pull(cursor).await.unwrap().trainings.is_empty());
}

#[tokio::test]
async fn the_same_training_recorded_twice_is_refused() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let answer = push(&centre, &device(), vec![record(1, "t-1", fco_of(9)), record(2, "t-2", fco_of(9))]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Accepted);
    let Outcome::Rejected { reason, .. } = &answer.results[1].outcome else { panic!("{answer:?}") };
    assert!(reason.contains("déjà enregistrée"), "{reason}");
}

#[tokio::test]
async fn only_centre_staff_push_and_each_centre_sees_only_its_trainings() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(10)).await;
    let driver_push = server
        .authed(&session)
        .push(&PushRequest { client_id: device(), mutations: vec![record(1, "t-1", fco_of(10))] })
        .await;
    // Each refusal says who the action is for.
    assert!(matches!(driver_push, Err(ClientError::Api(e))
        if e.code == ErrorCode::Forbidden && e.message.contains("personnel d'un centre de formation")));
    let agent_push = server.agent().await.push(&PushRequest { client_id: device(), mutations: vec![] }).await;
    assert!(matches!(agent_push, Err(ClientError::Api(e)) if e.code == ErrorCode::Forbidden));

    let lyon = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let paris = server.centre_staff("AGR-75-0001", "formation@paris.fr").await;
    let lyon_device = device();
    push(&lyon, &lyon_device, vec![record(1, "t-1", fco_of(10))]).await;
    assert!(paris.pull(0).await.unwrap().trainings.is_empty());
    // A device is bound to its centre: another centre cannot push through it.
    let stolen = paris.push(&PushRequest { client_id: lyon_device, mutations: vec![] }).await;
    assert!(matches!(stolen, Err(ClientError::Api(e))
        if e.code == ErrorCode::Forbidden && e.message.contains("formations d'un autre centre")));
    // Nor reuse a training id of another centre.
    let answer = push(&paris, &device(), vec![record(1, "t-1", fco_of(11))]).await;
    assert!(matches!(answer.results[0].outcome, Outcome::Rejected { .. }));
    // A driver pulls only their own documents.
    let other = server.active_driver(&driver(12)).await;
    assert!(server.authed(&other).pull(0).await.unwrap().recaps.is_empty());
}

#[tokio::test]
async fn a_push_that_is_not_a_device_id_or_too_big_is_refused() {
    let server = TestServer::start().await;
    let centre = server.centre_staff(CENTRE, "formation@centre.fr").await;
    let bad = centre.push(&PushRequest { client_id: "pas-un-uuid".into(), mutations: vec![] }).await;
    assert!(matches!(bad, Err(ClientError::Api(e)) if e.code == ErrorCode::InvalidRequest));
    let many = (1..=MAX_PUSH_BATCH as i64 + 1).map(|n| record(n, &format!("t-{n}"), fco_of(1))).collect();
    let big = centre.push(&PushRequest { client_id: device(), mutations: many }).await;
    assert!(
        matches!(big, Err(ClientError::Api(e)) if e.code == ErrorCode::InvalidRequest || e.code == ErrorCode::BodyTooLarge)
    );
    assert_eq!(server.count("trainings").await, 0);
}

/// A roadside check or an employer without the app: « Vérifier une attestation » on the service
/// says what a certificate's code vouches for, or that it vouches for nothing.
#[tokio::test]
async fn someone_without_the_app_checks_a_certificate_code_on_the_service() {
    let server = TestServer::start().await;
    let claims = cqc_sync::certificate_code::fixtures::claims();
    let code = cqc_sync::certificate_code::sign(&claims, &server.state.certificate_key).unwrap();
    let check = |code: String| {
        let url = format!("{}/api/v1/certificates/verify", server.base_url);
        async move {
            let answer =
                reqwest::Client::new().post(url).json(&serde_json::json!({ "code": code })).send().await.unwrap();
            assert_eq!(answer.status(), 200);
            answer.json::<serde_json::Value>().await.unwrap()
        }
    };

    let authentic = check(format!("  {}\n", code.to_lowercase())).await;
    assert_eq!(authentic["verdict"], "authentic", "{authentic}");
    assert_eq!(authentic["claims"]["holder"], "Éléonore Dupré-Gaëlle");
    assert_eq!(authentic["claims"]["valid_until"], "2027-03-24");

    let other_key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let forged = check(cqc_sync::certificate_code::sign(&claims, &other_key).unwrap()).await;
    assert_eq!(forged["verdict"], "not_authentic");
    assert_eq!(
        forged["message"],
        "Attestation NON authentique : ses données ont été modifiées ou elle n'a pas été délivrée par le service."
    );
    let garbage = check("https://exemple.fr/?q=1".into()).await;
    assert_eq!(garbage["message"], "Ce texte n'est pas le code d'une attestation CQC.");

    let page = reqwest::get(format!("{}/verification", server.base_url)).await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-"), "{policy}");
    assert!(page.text().await.unwrap().contains("Vérifier une attestation de qualification"));
}

/// Every certificate's code carries its centre's approval number: one too long to print is
/// refused when the centre is approved, never later when a training of it is pushed.
#[tokio::test]
async fn an_approval_number_too_long_to_print_in_a_certificate_is_refused_at_approval() {
    let server = TestServer::start().await;
    let too_long = "AGR-".repeat(9);
    let refused = cqc_server::admin::create_centre(
        &server.state.db,
        server.clock.as_ref(),
        "Centre",
        &too_long,
        "1 rue A, 69000 Lyon",
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(cqc_server::admin::AdminError::Approval(cqc_domain::administration::ApprovalNumberError::TooLong))
        ),
        "{refused:?}"
    );
    let fits = "7".repeat(cqc_domain::administration::ApprovalNumber::MAX_CHARS);
    cqc_server::admin::create_centre(&server.state.db, server.clock.as_ref(), "Centre", &fits, "1 rue A, 69000 Lyon")
        .await
        .unwrap();
}
