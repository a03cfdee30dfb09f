//! The service under abuse and hostile input (issue 10): lockout, rate limits, bombs, active
//! PDFs, secrets at rest, licence spellings, stuck syncs, slow clients, errors that stay JSON.
//! Run on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::{code_of, driver_with_training, licence_pdf, scan};
use common::{driver, TestServer, PASSWORD};
use cqc_client::client::ClientError;
use cqc_client::engine::sync;
use cqc_domain::application::DocumentKind;
use cqc_domain::form::FieldError;
use cqc_domain::registration::RegistrationField;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::{SequenceInput, TrainingRecordInput};
use cqc_store::{LocalStore, SharedStore};
use cqc_sync::api::{ErrorCode, SetPasswordRequest};
use cqc_sync::protocol::Replica;
use cqc_sync::protocol::{Change, Mutation, Outcome, PushRequest};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// A server that takes the client's address from `X-Forwarded-For`, as behind a load balancer:
/// each test request can then come from an address of its own.
async fn behind_a_balancer() -> TestServer {
    TestServer::start_with(|config| config.trust_forwarded_for = true).await
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

/// A JSON call from the client address `from`.
async fn call(server: &TestServer, method: reqwest::Method, path: &str, from: &str, body: Option<Value>) -> Answer {
    call_url(&server.base_url, method, path, from, body).await
}

async fn call_url(base_url: &str, method: reqwest::Method, path: &str, from: &str, body: Option<Value>) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, format!("{base_url}/api/v1{path}"))
        .header("x-forwarded-for", format!("203.0.113.7, {from}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, retry_after, body }
}

async fn login_from(server: &TestServer, from: &str, email: &str, password: &str) -> Answer {
    call(server, reqwest::Method::POST, "/session", from, Some(json!({ "email": email, "password": password }))).await
}

fn address(n: usize) -> String {
    format!("198.51.{}.{}", n / 250, n % 250 + 1)
}

#[tokio::test]
async fn fifty_concurrent_wrong_guesses_each_count_and_the_right_password_is_then_refused() {
    let server = behind_a_balancer().await;
    let session = server.active_driver(&driver(1)).await;
    let email = session.profile.email.clone();
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (base_url, email) = (server.base_url.clone(), email.clone());
        guesses.spawn(async move {
            let body = json!({ "email": email, "password": format!("Mauvais-Essai-{i}!") });
            call_url(&base_url, reqwest::Method::POST, "/session", &address(i), Some(body)).await
        });
    }
    let answers = guesses.join_all().await;
    assert!(answers.iter().all(|a| a.status == StatusCode::UNAUTHORIZED || a.code() == "account_locked"));
    assert!(answers.iter().filter(|a| a.code() == "account_locked").count() >= 45, "at most 5 guesses were checked");

    let right = login_from(&server, &address(200), &email, PASSWORD).await;
    assert_eq!((right.status, right.code()), (StatusCode::TOO_MANY_REQUESTS, "account_locked"));
    assert!(right.retry_after.is_some(), "429 says when to come back");
    use sqlx::Row;
    let attempts: i64 = sqlx::query("SELECT attempts FROM login_guards")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
        .get("attempts");
    assert_eq!(attempts, 51, "every concurrent guess counted");
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_answers_as_a_real_account_lockout_included() {
    let server = behind_a_balancer().await;
    let session = server.active_driver(&driver(2)).await;
    for email in [session.profile.email.as_str(), "personne@exemple.fr"] {
        let mut codes = Vec::new();
        for i in 0..6 {
            codes.push(login_from(&server, &address(i), email, "Pas-Le-Bon-1!").await.code().to_owned());
        }
        assert_eq!(
            codes,
            [
                "invalid_credentials",
                "invalid_credentials",
                "invalid_credentials",
                "invalid_credentials",
                "account_locked",
                "account_locked"
            ],
            "{email}"
        );
    }
}

#[tokio::test]
async fn the_owner_of_a_locked_account_unlocks_it_with_the_emailed_link() {
    let server = behind_a_balancer().await;
    let session = server.active_driver(&driver(3)).await;
    let email = session.profile.email.clone();
    for i in 0..5 {
        login_from(&server, &address(i), &email, "Pas-Le-Bon-1!").await;
    }
    let token = server.link_token(&email, "bloqué pendant 15 minutes").await;
    let new_password = "Nouveau-Passe-2026!";
    let request = json!({ "token": token, "password": new_password, "confirmation": new_password });
    let set = call(&server, reqwest::Method::POST, "/password", &address(9), Some(request)).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    let login = login_from(&server, &address(10), &email, new_password).await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
}

#[tokio::test]
async fn one_address_cannot_guess_on_and_on_even_across_accounts() {
    let server = behind_a_balancer().await;
    let limit = cqc_domain::throttle::Action::LoginFromAddress.limit().max as usize;
    for i in 0..limit {
        let answer = login_from(&server, "192.0.2.50", &format!("cible{i}@exemple.fr"), "Pas-Le-Bon-1!").await;
        assert_eq!(answer.code(), "invalid_credentials");
    }
    let refused = login_from(&server, "192.0.2.50", "encore@exemple.fr", "Pas-Le-Bon-1!").await;
    assert_eq!((refused.status, refused.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(refused.body["message"].as_str().unwrap().contains("réessayez"));
    assert!(refused.retry_after.unwrap().parse::<u64>().unwrap() > 0);
    let elsewhere = login_from(&server, "192.0.2.51", "encore@exemple.fr", "Pas-Le-Bon-1!").await;
    assert_eq!(elsewhere.code(), "invalid_credentials", "another address is not held back");
}

#[tokio::test]
async fn fifty_password_requests_for_one_mailbox_send_one_email() {
    let server = behind_a_balancer().await;
    let session = server.active_driver(&driver(4)).await;
    let email = session.profile.email.clone();
    let before = server.emails_to(&email).len();
    for i in 0..50 {
        let answer =
            call(&server, reqwest::Method::POST, "/password/forgot", &address(i), Some(json!({ "email": email })))
                .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED);
    }
    server.email(&email, "Réinitialisation").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.emails_to(&email).len(), before + 1);
    // From one address, the eleventh request in a quarter of an hour is held back.
    for _ in 0..10 {
        call(&server, reqwest::Method::POST, "/password/forgot", "192.0.2.60", Some(json!({ "email": email }))).await;
    }
    let held =
        call(&server, reqwest::Method::POST, "/password/forgot", "192.0.2.60", Some(json!({ "email": email }))).await;
    assert_eq!(held.code(), "rate_limited");
}

#[tokio::test]
async fn registrations_from_one_address_are_limited() {
    let server = TestServer::start().await;
    let limit = cqc_domain::throttle::Action::RegistrationFromAddress.limit().max;
    for n in 0..limit {
        server.client().register(&driver(100 + n)).await.unwrap();
    }
    assert_eq!(code_of(server.client().register(&driver(999)).await), ErrorCode::RateLimited);
}

/// Every text value of the tables that hold emails and links.
async fn stored_email_and_link_texts(server: &TestServer) -> Vec<String> {
    use sqlx::Row;
    let mut texts = Vec::new();
    for sql in [
        "SELECT recipient, subject, body, COALESCE(link_key, '') FROM outgoing_emails",
        "SELECT token_hash, COALESCE(link_key, ''), account_id, purpose FROM links",
    ] {
        for row in sqlx::query(sql).fetch_all(&server.state.db.pool).await.unwrap() {
            texts.extend((0..4).map(|i| row.get::<String, _>(i)));
        }
    }
    texts
}

#[tokio::test]
async fn no_live_link_token_is_ever_written_to_the_database() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(5)).await.unwrap();
    server.agent().await.accept_registration(&receipt.request_id).await.unwrap();
    let invitation = server.link_token(&receipt.email, "créez votre mot de passe").await;
    let password =
        SetPasswordRequest { token: invitation.clone(), password: PASSWORD.into(), confirmation: PASSWORD.into() };
    server.client().set_password(&password).await.unwrap();
    // The review's case: a reset link asked for and not used yet, live for an hour.
    server.client().forgot_password(&receipt.email).await.unwrap();
    let reset = server.link_token(&receipt.email, "Réinitialisation").await;

    let texts = stored_email_and_link_texts(&server).await;
    assert!(texts.iter().any(|t| t.contains("jeton=JETON-AJOUTE-A-L-ENVOI")), "the stored body names the link's place");
    for token in [&invitation, &reset] {
        assert!(texts.iter().all(|text| !text.contains(token.as_str())), "a token in a stored row");
        assert_eq!(server.database_file_holding(token), None, "a live token in the database's files");
    }
    // The token the email carried is the real one.
    let new = "Remorque-Bleue2025?";
    let request = SetPasswordRequest { token: reset, password: new.into(), confirmation: new.into() };
    server.client().set_password(&request).await.unwrap();
    server.client().login(&receipt.email, new).await.unwrap();
}

#[tokio::test]
async fn a_new_link_secret_voids_the_links_sent_with_the_old_one() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(6)).await.unwrap();
    server.agent().await.accept_registration(&receipt.request_id).await.unwrap();
    let token = server.link_token(&receipt.email, "créez votre mot de passe").await;
    // The operator rotated the secret (the same service, another `CQC_LINK_SECRET`).
    let mut rotated = server.state.clone();
    rotated.link_secret = std::sync::Arc::new(cqc_server::secrets::LinkSecret::generate());
    let mut conn = rotated.db.pool.acquire().await.unwrap();
    let purposes = [cqc_domain::account::LinkPurpose::SetPassword];
    let refused = cqc_server::workflows::accounts::live_link(&mut conn, &rotated, &token, &purposes).await;
    assert_eq!(refused.map(|_| ()).unwrap_err().code(), ErrorCode::LinkInvalid);
    drop(conn);
    let mut conn = server.state.db.pool.acquire().await.unwrap();
    assert!(cqc_server::workflows::accounts::live_link(&mut conn, &server.state, &token, &purposes).await.is_ok());
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_at_once_and_leaves_nothing_behind() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 6).await;
    let client = server.authed(&session);
    let id = uuid::Uuid::new_v4().to_string();
    client.start_application(&id).await.unwrap();
    let bomb = cqc_capture::files::fixtures::png_bomb(20_000, 8);
    assert!(bomb.len() < 500_000);
    let started = std::time::Instant::now();
    let refused = client.upload_document(&id, DocumentKind::Photo, &bomb, |_, _| {}).await;
    assert_eq!(code_of(refused), ErrorCode::InvalidFile);
    assert!(started.elapsed() < Duration::from_secs(5), "refused from the header: {:?}", started.elapsed());
    assert_eq!(client.upload_progress(&id, DocumentKind::Photo).await.unwrap().received, 0);
    let stored = walk(&server.data_dir().join("documents"));
    assert!(stored.is_empty(), "no file left: {stored:?}");
    // The same driver goes on with a real scan.
    client.upload_document(&id, DocumentKind::IdentityFront, &scan(), |_, _| {}).await.unwrap();
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.flatten().flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] }).collect()
}

#[tokio::test]
async fn a_pdf_with_a_script_is_refused_and_documents_leave_as_attachments() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 7).await;
    let client = server.authed(&session);
    let id = uuid::Uuid::new_v4().to_string();
    client.start_application(&id).await.unwrap();
    let mut polyglot = licence_pdf();
    polyglot.extend_from_slice(b"<html><script>alert('polyglot')</script></html>");
    let refused = client.upload_document(&id, DocumentKind::DrivingLicence, &polyglot, |_, _| {}).await;
    match refused {
        Err(ClientError::Api(error)) => {
            assert_eq!(error.code, ErrorCode::InvalidFile);
            assert!(error.message.contains("éléments actifs"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
    client.upload_document(&id, DocumentKind::DrivingLicence, &licence_pdf(), |_, _| {}).await.unwrap();
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/applications/{id}/documents/driving_licence", server.base_url))
        .bearer_auth(&session.token)
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
}

#[tokio::test]
async fn an_absurd_upload_offset_is_refused_in_json_not_a_dropped_connection() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 8).await;
    let id = uuid::Uuid::new_v4().to_string();
    server.authed(&session).start_application(&id).await.unwrap();
    let path = format!("{}/api/v1/applications/{id}/documents/identity_back/upload", server.base_url);
    let http = reqwest::Client::new();
    let put = |query: &'static str, body: Vec<u8>| {
        http.put(format!("{path}{query}"))
            .bearer_auth(&session.token)
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
    };
    let overflow = put("?offset=18446744073709551615", b"abcdef".to_vec()).await.unwrap();
    assert_eq!(overflow.status(), StatusCode::CONFLICT);
    assert_eq!(overflow.json::<Value>().await.unwrap()["code"], "invalid_file");
    for query in ["?offset=-1", "?offset=abc", ""] {
        let bad = put(query, b"abcdef".to_vec()).await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(bad.json::<Value>().await.unwrap()["code"], "invalid_request", "{query}");
    }
    let too_big = put("?offset=0", vec![0; 600 * 1024]).await.unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.json::<Value>().await.unwrap()["code"], "body_too_large");
}

#[tokio::test]
async fn unknown_addresses_and_methods_answer_json() {
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let unknown = http.get(format!("{}/api/v1/nulle-part", server.base_url)).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<Value>().await.unwrap()["code"], "not_found");
    let wrong_method = http.patch(format!("{}/api/v1/session", server.base_url)).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.json::<Value>().await.unwrap()["message"].is_string());
    let bad_cursor = http.get(format!("{}/api/v1/sync/pull?cursor=abc", server.base_url)).send().await.unwrap();
    assert!(bad_cursor.json::<Value>().await.unwrap()["code"].is_string());
}

#[tokio::test]
async fn the_password_page_cannot_be_framed_cached_or_leak_its_token() {
    let server = TestServer::start().await;
    let page = reqwest::get(format!("{}/mot-de-passe?jeton=abc", server.base_url)).await.unwrap();
    let headers = page.headers();
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn an_address_with_a_nul_or_a_direction_override_is_refused_beside_its_field() {
    let server = TestServer::start().await;
    let mut input = driver(9);
    input.address.line1 = "Bât\u{0} B".into();
    input.address.line2 = "Société \u{202E}TIURTSNI\u{202C} SA".into();
    match server.client().register(&input).await {
        Err(ClientError::Api(error)) => {
            assert_eq!(error.fields[&RegistrationField::AddressLine1], FieldError::HiddenCharacters);
            assert_eq!(error.fields[&RegistrationField::AddressLine2], FieldError::HiddenCharacters);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.count("accounts").await, 0);
}

fn push_one(seq: i64, training_id: &str, licence: &str) -> PushRequest {
    let record = TrainingRecordInput { licence_number: licence.into(), ..valid_fco() };
    PushRequest {
        client_id: String::new(),
        mutations: vec![Mutation {
            seq,
            id: uuid::Uuid::new_v4().to_string(),
            change: Change::RecordTraining { training_id: training_id.into(), record },
        }],
    }
}

#[tokio::test]
async fn a_licence_number_typed_with_dashes_or_spaces_is_one_number() {
    let server = TestServer::start().await;
    let centre = server.centre_staff("AGR-69-0042", "formation@centre.fr").await;
    let device = uuid::Uuid::new_v4().to_string();
    let with_device = |mut request: PushRequest| {
        request.client_id = device.clone();
        request
    };
    // Pushed before the driver has an account, with dashes.
    let first = centre.push(&with_device(push_one(1, "t-1", "13-AA-00011"))).await.unwrap();
    assert_eq!(first.results[0].outcome, Outcome::Accepted);
    // The same training again, in lower case with spaces: a duplicate, not a second certificate.
    let again = centre.push(&with_device(push_one(2, "t-2", "13 aa 00011"))).await.unwrap();
    assert!(
        matches!(&again.results[0].outcome, Outcome::Rejected { reason, .. } if reason.contains("déjà enregistrée"))
    );
    // The driver registers the number as the licence prints it: the training attaches.
    let mut input = driver(11);
    input.birth_date = valid_fco().birth_date;
    let session = server.active_driver(&input).await;
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!((pulled.recaps.len(), pulled.certificates.len()), (1, 1));
}

/// A trainee with every name at its longest: a push of 100 of them is over 64 KiB.
fn longest_record(n: usize) -> TrainingRecordInput {
    let sequences = (16..=20).map(|day| SequenceInput { date: format!("2026-11-{day}"), hours: "7".into() }).collect();
    TrainingRecordInput {
        last_name: format!("{}-{n:05}", "Lefebvre-Dumont de la Roche".repeat(4))[..100]
            .replace(|c: char| c.is_ascii_digit(), "x"),
        first_names: "Jean-Baptiste Marie ".repeat(5).trim().chars().take(100).collect(),
        email: format!("{}.{n}@{}.exemple.fr", "c".repeat(50), "d".repeat(60)),
        licence_number: format!("13AB{n:05}"),
        sequences,
        ..valid_fco()
    }
}

#[tokio::test]
async fn five_hundred_trainings_with_the_longest_names_sync_in_one_go() {
    let server = TestServer::start().await;
    let centre = server.centre_staff("AGR-69-0042", "formation@centre.fr").await;
    let store = SharedStore::new(LocalStore::open_in_memory().unwrap());
    let records: Vec<(String, TrainingRecordInput)> =
        (0..500).map(|n| (uuid::Uuid::new_v4().to_string(), longest_record(n))).collect();
    let body_of_100 = serde_json::to_vec(&records[..100]).unwrap().len();
    assert!(body_of_100 > 64 * 1024, "{body_of_100} bytes");
    store.lock().record_trainings(&records).unwrap();
    sync(&centre, &store, |_| {}).await.unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
    assert_eq!(server.count("trainings").await, 500);
}

#[tokio::test]
async fn a_client_that_sends_its_headers_slowly_is_cut() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start().await;
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let started = std::time::Instant::now();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    let mut idle = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\n").await.unwrap();
    let cut = async {
        for i in 0.. {
            if slow.write_all(format!("X-Lent-{i}: 1\r\n").as_bytes()).await.is_err() {
                break;
            }
            let mut buffer = [0u8; 64];
            match tokio::time::timeout(Duration::from_secs(2), slow.read(&mut buffer)).await {
                Ok(Ok(_)) | Ok(Err(_)) => break,
                Err(_) => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), cut).await.expect("the slow client is cut");
    let elapsed = started.elapsed();
    assert!(elapsed < cqc_server::HEADER_READ_TIMEOUT + Duration::from_secs(5), "{elapsed:?}");
    let mut buffer = [0u8; 16];
    let idle_read = tokio::time::timeout(Duration::from_secs(15), idle.read(&mut buffer)).await;
    assert!(matches!(idle_read, Ok(Ok(0)) | Ok(Err(_))), "an idle connection is closed too");
}

#[tokio::test]
async fn a_trainee_whose_names_differ_from_the_account_waits_for_an_agents_check() {
    let server = TestServer::start().await;
    let mut input = driver(12);
    input.birth_date = valid_fco().birth_date;
    let session = server.active_driver(&input).await;
    let centre = server.centre_staff("AGR-69-0042", "formation@centre.fr").await;
    let device = uuid::Uuid::new_v4().to_string();
    let stranger = |seq: i64, id: &str, start: &str, end: &str| {
        let record = TrainingRecordInput {
            last_name: "Durand".into(),
            first_names: "Sophie".into(),
            licence_number: "13AA00012".into(),
            start_date: start.into(),
            end_date: end.into(),
            ..valid_fco()
        };
        PushRequest {
            client_id: device.clone(),
            mutations: vec![Mutation {
                seq,
                id: uuid::Uuid::new_v4().to_string(),
                change: Change::RecordTraining { training_id: id.into(), record },
            }],
        }
    };
    let pushed = centre.push(&stranger(1, "t-1", "2026-11-16", "2026-11-20")).await.unwrap();
    assert_eq!(pushed.results[0].outcome, Outcome::Accepted, "the centre's record itself is right");
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert!(pulled.recaps.is_empty() && pulled.certificates.is_empty(), "nothing attaches silently");

    let agent = server.agent().await;
    let checks = agent.identity_checks().await.unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].trainee, "Sophie Durand");
    assert_eq!(checks[0].holder, "Jean Pierre Dupont");
    // The driver's colleague really is the same person (a usage name the centre knew): attach.
    agent.decide_identity_check(&checks[0].training_id, true).await.unwrap();
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!((pulled.recaps.len(), pulled.certificates.len()), (1, 1));
    assert!(agent.identity_checks().await.unwrap().is_empty());

    // Another one, not the same person: the centre is told to check the licence number.
    centre.push(&stranger(2, "t-2", "2026-11-09", "2026-11-13")).await.unwrap();
    let check = agent.identity_checks().await.unwrap().remove(0);
    agent.decide_identity_check(&check.training_id, false).await.unwrap();
    let centre_view = centre.pull(0).await.unwrap();
    let refused = centre_view.trainings.iter().find(|t| t.training_id == "t-2").unwrap();
    assert!(matches!(&refused.outcome, Outcome::Rejected { reason, .. } if reason.contains("numéro de permis")));
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!(pulled.recaps.len(), 1, "the stranger's training stays off the driver's account");
}

#[tokio::test]
async fn an_agent_opening_or_approving_a_malformed_or_unknown_file_is_told_it_does_not_exist() {
    let server = TestServer::start().await;
    let agent = server.agent().await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for id in ["pas-un-identifiant", "1' OR '1'='1", unknown.as_str()] {
        for answer in [agent.open_application(id).await.map(|_| ()), agent.approve_application(id).await.map(|_| ())] {
            match answer {
                Err(ClientError::Api(error)) => assert_eq!(error.code, ErrorCode::NotFound, "{id}"),
                other => panic!("{id}: {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn a_replacements_theft_declaration_is_no_document_of_an_application() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 9).await;
    let id = uuid::Uuid::new_v4().to_string();
    server.authed(&session).start_application(&id).await.unwrap();
    let documents = format!("{}/api/v1/applications/{id}/documents/theft_declaration", server.base_url);
    let http = reqwest::Client::new();
    let chunk = http
        .put(format!("{documents}/upload?offset=0"))
        .bearer_auth(&session.token)
        .header("content-type", "application/octet-stream")
        .body(licence_pdf())
        .send()
        .await
        .unwrap();
    assert_eq!(chunk.status(), StatusCode::NOT_FOUND);
    assert_eq!(chunk.json::<Value>().await.unwrap()["code"], "not_found");
    let complete = http
        .post(&documents)
        .bearer_auth(&session.token)
        .json(&json!({"size": 10, "sha256": "0".repeat(64)}))
        .send()
        .await
        .unwrap();
    assert_eq!(complete.status(), StatusCode::NOT_FOUND);
    let parts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM upload_parts WHERE application_id = $1")
        .bind(&id)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(parts, 0, "nothing of it is kept");
}

#[tokio::test]
async fn a_path_that_is_not_utf8_answers_json_on_every_route() {
    let server = TestServer::start().await;
    server.agent().await;
    let session = server.client().login(common::AGENT_EMAIL, PASSWORD).await.unwrap().token;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base_url);
    for (method, path) in [
        ("GET", "/links/%FF"),
        ("GET", "/registration-corrections/%FF"),
        ("PUT", "/registration-corrections/%FF"),
        ("GET", "/accounts/%FF"),
        ("POST", "/agent/identity-checks/%FF"),
        ("GET", "/updates/%FF/1.0.0"),
        ("GET", "/updates/1.0.0/%FF/package"),
    ] {
        let answer = http
            .request(method.parse().unwrap(), format!("{api}{path}"))
            .bearer_auth(&session)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let kind = answer.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(kind.as_deref(), Some("application/json"), "{method} {path}");
        assert!(answer.json::<Value>().await.unwrap()["code"].is_string(), "{method} {path}");
    }
}

#[tokio::test]
async fn one_client_holding_connections_with_bodies_it_never_sends_leaves_room_for_others() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start_with(|config| config.max_connections = 256).await;
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let head = "POST /api/v1/certificates/verify HTTP/1.1\r\nHost: cqc\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n";
    // From 127.0.0.1: more connections than the server serves at once, all at the same time,
    // each announcing a body that never comes.
    let attempts: Vec<_> = (0..400)
        .map(|_| {
            let (address, head) = (address.clone(), head.to_owned());
            tokio::spawn(async move {
                let connect = tokio::net::TcpStream::connect(address);
                let mut stream = tokio::time::timeout(Duration::from_secs(2), connect).await.ok()?.ok()?;
                stream.write_all(head.as_bytes()).await.ok()?;
                Some(stream)
            })
        })
        .collect();
    let mut held = Vec::new();
    for attempt in attempts {
        held.extend(attempt.await.unwrap());
    }
    // Another client, from another address, is answered at once.
    let other =
        reqwest::Client::builder().local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap()).build().unwrap();
    let health =
        tokio::time::timeout(Duration::from_secs(3), other.get(format!("{}/api/v1/health", server.base_url)).send())
            .await
            .expect("answered while the other client holds its connections")
            .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // And a body that does not come is waited for a few seconds, not the whole request's 30.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.3:0".parse().unwrap()).unwrap();
    let mut stalled = socket.connect(address.parse().unwrap()).await.unwrap();
    stalled.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let ended =
        tokio::time::timeout(cqc_server::BODY_READ_TIMEOUT + Duration::from_secs(5), stalled.read_to_end(&mut answer))
            .await;
    drop(held);
    assert!(ended.is_ok(), "the stalled request still held its connection");
}
