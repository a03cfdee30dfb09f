//! The contract of guide steps 01–03, through the desktop's real client against a real server.
//! The same tests run on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::{driver, TestServer, PASSWORD};
use cqc_client::client::ClientError;
use cqc_domain::account::{AccountStatus, ReviewItem, Role};
use cqc_domain::licence::LicenceNumberError;
use cqc_domain::password::PasswordRule;
use cqc_domain::registration::{FieldError, RegistrationField};
use cqc_sync::api::{CorrectionRequest, ErrorCode, SetPasswordRequest};
use time::Duration;

fn api_error<T: std::fmt::Debug>(result: Result<T, ClientError>) -> cqc_sync::api::ApiError {
    match result {
        Err(ClientError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn set_password(token: &str, password: &str) -> SetPasswordRequest {
    SetPasswordRequest { token: token.into(), password: password.into(), confirmation: password.into() }
}

#[tokio::test]
async fn a_registration_accepted_by_an_agent_leads_to_the_password_then_the_personal_space() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(1)).await.unwrap();
    assert_eq!(receipt.status, AccountStatus::PendingAnalysis);
    server.email(&receipt.email, "bien été reçue").await;

    let agent = server.agent().await;
    let queue = agent.registration_queue().await.unwrap();
    assert_eq!(queue.count, 1);
    assert_eq!(queue.entries[0].request_id, receipt.request_id);
    assert!(!queue.entries[0].clock.overdue);

    // Before acceptance nobody can log in, even with a password guess.
    assert_eq!(api_error(server.client().login(&receipt.email, PASSWORD).await).code, ErrorCode::InvalidCredentials);

    let file = agent.accept_registration(&receipt.request_id).await.unwrap();
    assert_eq!(file.status, AccountStatus::AwaitingPassword);
    assert!(file.history.iter().any(|h| h.action == cqc_domain::audit::AuditAction::RegistrationAccepted
        && h.actor.as_deref() == Some(common::AGENT_EMAIL)));
    assert_eq!(agent.registration_queue().await.unwrap().count, 0);

    let token = server.link_token(&receipt.email, "créez votre mot de passe").await;
    let info = server.client().link_info(&token).await.unwrap();
    assert_eq!(info.email, receipt.email);
    server.client().set_password(&set_password(&token, PASSWORD)).await.unwrap();

    let session = server.client().login("  Conducteur1@Exemple.fr ", PASSWORD).await.unwrap();
    assert_eq!(session.profile.role, Role::Driver);
    assert_eq!(session.profile.status, AccountStatus::Active);
    assert_eq!(session.profile.display_name, "Jean Pierre Dupont");
    let me = server.authed(&session).me().await.unwrap();
    assert_eq!(me.registration.unwrap().licence_number, "13AA00001");
    let notifications = server.authed(&session).notifications().await.unwrap();
    assert!(notifications.iter().any(|n| n.title == "Compte validé"));
}

#[tokio::test]
async fn wrong_items_invite_the_driver_to_correct_then_the_request_is_analysed_again() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(2)).await.unwrap();
    let agent = server.agent().await;
    let items = vec![ReviewItem {
        field: RegistrationField::LicenceNumber,
        reason: "Le numéro ne correspond pas au permis.".into(),
    }];
    let file = agent.request_correction(&receipt.request_id, &CorrectionRequest { items }).await.unwrap();
    assert_eq!(file.status, AccountStatus::CorrectionRequested);

    let email = server.email(&receipt.email, "à compléter").await;
    assert!(email.contains("Numéro de permis de conduire : Le numéro ne correspond pas au permis."), "{email}");
    let token = server.link_token(&receipt.email, "à compléter").await;
    let view = server.client().correction(&token).await.unwrap();
    assert_eq!(view.items.len(), 1);
    assert_eq!(view.registration.last_name, "Dupont");

    // A wrong correction is refused field by field and the link stays usable.
    let mut corrected = view.registration.clone();
    corrected.licence_number = "120575100123".into();
    let error = api_error(server.client().submit_correction(&token, &corrected).await);
    assert_eq!(
        error.fields[&RegistrationField::LicenceNumber],
        FieldError::Licence { error: LicenceNumberError::NephInsteadOfNumber }
    );

    corrected.licence_number = "13AB00002".into();
    let receipt2 = server.client().submit_correction(&token, &corrected).await.unwrap();
    assert_eq!(receipt2.status, AccountStatus::PendingAnalysis);
    let queue = agent.registration_queue().await.unwrap();
    assert_eq!(queue.count, 1);
    assert!(queue.entries[0].resubmitted);
    assert_eq!(agent.registration_file(&receipt.request_id).await.unwrap().registration.licence_number, "13AB00002");

    // The correction link served once.
    assert_eq!(api_error(server.client().correction(&token).await).code, ErrorCode::LinkUsed);
    agent.accept_registration(&receipt.request_id).await.unwrap();
}

#[tokio::test]
async fn a_password_link_serves_once_and_expires() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(3)).await.unwrap();
    server.agent().await.accept_registration(&receipt.request_id).await.unwrap();
    let token = server.link_token(&receipt.email, "créez votre mot de passe").await;

    let weak = server.client().set_password(&set_password(&token, "court")).await;
    let error = api_error(weak);
    assert_eq!(error.code, ErrorCode::PasswordPolicy);
    assert!(error.unmet_password_rules.contains(&PasswordRule::MinLength));
    let mismatch = server
        .client()
        .set_password(&SetPasswordRequest {
            token: token.clone(),
            password: PASSWORD.into(),
            confirmation: "Camion-Rouge2025".into(),
        })
        .await;
    assert_eq!(api_error(mismatch).code, ErrorCode::PasswordMismatch);

    server.client().set_password(&set_password(&token, PASSWORD)).await.unwrap();
    assert_eq!(
        api_error(server.client().set_password(&set_password(&token, "Autre-Passe-2024")).await).code,
        ErrorCode::LinkUsed
    );
    assert_eq!(api_error(server.client().link_info("pas-un-jeton-valide-du-tout").await).code, ErrorCode::LinkInvalid);

    // A reset link lasts an hour.
    server.client().forgot_password(&receipt.email).await.unwrap();
    let reset = server.link_token(&receipt.email, "Réinitialisation").await;
    server.clock.advance(Duration::minutes(61));
    assert_eq!(
        api_error(server.client().set_password(&set_password(&reset, "Autre-Passe-2024")).await).code,
        ErrorCode::LinkExpired
    );
    server.client().login(&receipt.email, PASSWORD).await.unwrap();
}

#[tokio::test]
async fn forgotten_password_answers_the_same_for_unknown_emails_and_closes_old_sessions() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(4)).await;
    let email = session.profile.email.clone();
    server.client().forgot_password("personne@exemple.fr").await.unwrap();
    server.client().forgot_password("pas une adresse").await.unwrap();
    assert!(server.emails_to("personne@exemple.fr").is_empty());

    server.client().forgot_password(&email).await.unwrap();
    let token = server.link_token(&email, "Réinitialisation").await;
    server.client().set_password(&set_password(&token, "Nouveau-Passe-2025")).await.unwrap();
    assert_eq!(api_error(server.authed(&session).me().await).code, ErrorCode::Unauthenticated);
    assert_eq!(api_error(server.client().login(&email, PASSWORD).await).code, ErrorCode::InvalidCredentials);
    server.client().login(&email, "Nouveau-Passe-2025").await.unwrap();
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(5)).await;
    let email = session.profile.email.clone();
    for _ in 0..4 {
        assert_eq!(
            api_error(server.client().login(&email, "Mauvais-Passe-1").await).code,
            ErrorCode::InvalidCredentials
        );
    }
    let locked = api_error(server.client().login(&email, "Mauvais-Passe-1").await);
    assert_eq!(locked.code, ErrorCode::AccountLocked);
    assert_eq!(locked.retry_after_seconds, Some(15 * 60));
    // Even the right password waits for the end of the lock.
    assert_eq!(api_error(server.client().login(&email, PASSWORD).await).code, ErrorCode::AccountLocked);
    server.clock.advance(Duration::minutes(15));
    server.client().login(&email, PASSWORD).await.unwrap();
}

#[tokio::test]
async fn sessions_end_at_logout_and_expire() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(6)).await;
    server.authed(&session).logout().await.unwrap();
    assert_eq!(api_error(server.authed(&session).me().await).code, ErrorCode::Unauthenticated);

    let session = server.client().login(&session.profile.email, PASSWORD).await.unwrap();
    server.clock.advance(Duration::hours(12));
    assert_eq!(api_error(server.authed(&session).me().await).code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn a_driver_cannot_read_another_drivers_account_nor_call_the_agent_space() {
    let server = TestServer::start().await;
    let alice = server.active_driver(&driver(7)).await;
    let bob = server.active_driver(&driver(8)).await;
    let as_alice = server.authed(&alice);
    assert_eq!(as_alice.account(&alice.profile.account_id).await.unwrap().email, alice.profile.email);
    // Another's id and an id that does not exist answer alike.
    assert_eq!(api_error(as_alice.account(&bob.profile.account_id).await).code, ErrorCode::NotFound);
    assert_eq!(api_error(as_alice.account("00000000-0000-0000-0000-000000000000").await).code, ErrorCode::NotFound);
    let refused = api_error(as_alice.registration_queue().await);
    assert_eq!(
        (refused.code, refused.message.as_str()),
        (ErrorCode::Forbidden, "Cette action est réservée aux agents de traitement.")
    );
    assert_eq!(api_error(as_alice.accept_registration(&bob.profile.account_id).await).code, ErrorCode::Forbidden);
    assert_eq!(api_error(server.client().registration_queue().await).code, ErrorCode::Unauthenticated);
    assert_eq!(
        api_error(server.client().with_token(Some("inventé".into())).me().await).code,
        ErrorCode::Unauthenticated
    );
    // The agent may read any account.
    assert_eq!(server.agent().await.account(&bob.profile.account_id).await.unwrap().email, bob.profile.email);
}

#[tokio::test]
async fn a_wrong_form_is_refused_field_by_field_and_creates_nothing() {
    let server = TestServer::start().await;
    let mut input = driver(9);
    input.email = "jean@".into();
    input.consents.terms_of_use = false;
    input.licence_number = "1205 7510 0123".into();
    let error = api_error(server.client().register(&input).await);
    assert_eq!(error.code, ErrorCode::InvalidFields);
    assert_eq!(error.fields[&RegistrationField::Email], FieldError::InvalidEmail);
    assert_eq!(error.fields[&RegistrationField::ConsentTermsOfUse], FieldError::ConsentRequired);
    assert_eq!(
        error.fields[&RegistrationField::LicenceNumber],
        FieldError::Licence { error: LicenceNumberError::NephInsteadOfNumber }
    );
    assert_eq!(server.count("accounts").await, 0);
    assert_eq!(server.count("outgoing_emails").await, 0);
}

#[tokio::test]
async fn a_registration_with_someone_elses_email_or_licence_number_is_answered_as_received_and_the_holder_told() {
    let server = TestServer::start().await;
    let first = server.client().register(&driver(10)).await.unwrap();
    let mut same_email = driver(11);
    same_email.email = "CONDUCTEUR10@exemple.fr".into();
    let answered = server.client().register(&same_email).await.unwrap();
    assert_eq!(answered.status, first.status, "the same answer as a registration received");
    assert_ne!(answered.request_id, first.request_id);
    let told =
        server.email("conducteur10@exemple.fr", "Quelqu'un a essayé de créer un compte avec votre adresse").await;
    assert!(told.contains("aucun autre compte n'a été créé"), "{told}");

    let mut same_licence = driver(12);
    same_licence.licence_number = "13 aa 00010".into();
    server.client().register(&same_licence).await.expect("answered as received");
    server.email("conducteur10@exemple.fr", "avec votre numéro de permis").await;
    let to_sender: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_emails WHERE recipient = $1")
        .bind("conducteur12@exemple.fr")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(to_sender, 0, "nothing tells the sender whose number it is");
    assert_eq!(server.count("accounts").await, 1);
}

#[tokio::test]
async fn the_holder_of_both_the_email_and_the_licence_number_is_told_beside_the_field() {
    let server = TestServer::start().await;
    server.client().register(&driver(14)).await.unwrap();
    let error = api_error(server.client().register(&driver(14)).await);
    assert_eq!(error.fields.get(&RegistrationField::Email), Some(&FieldError::AlreadyUsed));
    assert_eq!(server.count("accounts").await, 1);
}

#[tokio::test]
async fn an_agent_cannot_decide_twice_nor_request_an_empty_correction() {
    let server = TestServer::start().await;
    let receipt = server.client().register(&driver(13)).await.unwrap();
    let agent = server.agent().await;
    let empty = agent.request_correction(&receipt.request_id, &CorrectionRequest { items: vec![] }).await;
    assert_eq!(api_error(empty).code, ErrorCode::Conflict);
    agent.accept_registration(&receipt.request_id).await.unwrap();
    assert_eq!(api_error(agent.accept_registration(&receipt.request_id).await).code, ErrorCode::Conflict);
    assert_eq!(api_error(agent.accept_registration("inconnu").await).code, ErrorCode::NotFound);
    let agent_id = server.agent().await.me().await.unwrap().account_id;
    assert_eq!(
        api_error(agent.accept_registration(&agent_id).await).code,
        ErrorCode::NotFound,
        "an agent is not a registration"
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_a_clear_4xx_and_change_nothing() {
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/registrations", server.base_url);
    let cases: [(&str, String, u16, ErrorCode); 4] = [
        ("application/json", "{\"civility\": ".into(), 400, ErrorCode::InvalidRequest),
        ("application/json", "{\"civility\": 42}".into(), 400, ErrorCode::InvalidRequest),
        ("text/plain", "{}".into(), 415, ErrorCode::InvalidRequest),
        ("application/json", format!("{{\"last_name\": \"{}\"}}", "x".repeat(200_000)), 413, ErrorCode::BodyTooLarge),
    ];
    for (content_type, body, status, code) in cases {
        let shown = body.chars().take(30).collect::<String>();
        let response = http.post(&url).header("content-type", content_type).body(body).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{content_type} {shown}");
        let error: cqc_sync::api::ApiError = response.json().await.unwrap();
        assert_eq!(error.code, code);
        assert!(!error.message.is_empty());
    }
    let login = http
        .post(format!("{}/api/v1/session", server.base_url))
        .header("content-type", "application/json")
        .body("[]")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 400);
    assert_eq!(server.count("accounts").await, 0);
}

#[tokio::test]
async fn the_set_password_page_answers_for_browsers_without_the_app() {
    let server = TestServer::start().await;
    let page = reqwest::get(format!("{}/mot-de-passe?jeton=abc", server.base_url)).await.unwrap().text().await.unwrap();
    assert!(page.contains("Créer mon mot de passe"));
}

#[tokio::test]
async fn the_server_publishes_its_openapi_document() {
    let server = TestServer::start().await;
    let doc: serde_json::Value =
        reqwest::get(format!("{}/api/v1/openapi.json", server.base_url)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
    for path in ["/api/v1/registrations", "/api/v1/session", "/api/v1/agent/registrations/{id}/accept"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("RegistrationInput").is_some());
    assert!(doc["components"]["schemas"].get("ApiError").is_some());
}

/// The OpenAPI document and the router are written apart: every documented path and method
/// must reach a handler (no « cette adresse n'existe pas », no « méthode non acceptée »).
#[tokio::test]
async fn every_documented_path_and_method_is_served() {
    let server = TestServer::start().await;
    let doc: serde_json::Value =
        reqwest::get(format!("{}/api/v1/openapi.json", server.base_url)).await.unwrap().json().await.unwrap();
    let http = reqwest::Client::new();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        // Any value in the parameters: the handler answers, whatever it thinks of it.
        let concrete: String = path
            .split('/')
            .map(|segment| if segment.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        for method in operations.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let answer = http.request(method.clone(), format!("{}{concrete}", server.base_url)).send().await.unwrap();
            let status = answer.status();
            let body = answer.text().await.unwrap();
            assert!(
                status != reqwest::StatusCode::METHOD_NOT_ALLOWED && !body.contains("n'existe pas dans l'API"),
                "{method} {path}: {status} {body}"
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} operations checked");
}

#[tokio::test]
async fn notifications_count_as_unread_until_the_account_has_seen_them_on_any_computer() {
    let server = TestServer::start().await;
    let first = server.authed(&server.active_driver(&driver(40)).await);
    let other = server.authed(&server.active_driver(&driver(41)).await);
    let told = first.notifications().await.unwrap();
    assert!(!told.is_empty() && told.iter().all(|n| !n.read), "« Compte validé » waits unread: {told:?}");

    first.mark_notifications_read().await.unwrap();
    assert!(first.notifications().await.unwrap().iter().all(|n| n.read));
    // Another computer of the same account sees them read; another account's stay unread.
    let again = server.authed(&server.client().login(&driver(40).email, PASSWORD).await.unwrap());
    assert!(again.notifications().await.unwrap().iter().all(|n| n.read));
    assert!(other.notifications().await.unwrap().iter().all(|n| !n.read));
    // Marking twice is harmless; without a session it is refused.
    first.mark_notifications_read().await.unwrap();
    assert_eq!(api_error(server.client().mark_notifications_read().await).code, ErrorCode::Unauthenticated);
}

/// A login whose password was checked before the change, then sent on to its session after it:
/// the check waits its turn for the hashing threads, which anyone can keep busy.
async fn login_straddling(
    server: &TestServer,
    email: &str,
    password: &str,
    change: impl std::future::Future<Output = ()>,
) -> ErrorCode {
    use cqc_server::workflows::sessions::{check_password, open_session};
    let checked = check_password(&server.state, email, password.into()).await.unwrap();
    change.await;
    open_session(&server.state, checked).await.map(|_| ()).unwrap_err().code()
}

#[tokio::test]
async fn a_new_password_wins_over_a_login_with_the_old_one_already_under_way() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(1)).await;
    let email = driver(1).email;
    let reset = async {
        server.client().forgot_password(&email).await.unwrap();
        let token = server.link_token(&email, "Réinitialisation").await;
        let new = "Remorque-Bleue2025?";
        let request = SetPasswordRequest { token, password: new.into(), confirmation: new.into() };
        server.client().set_password(&request).await.unwrap();
    };
    assert_eq!(login_straddling(&server, &email, PASSWORD, reset).await, ErrorCode::InvalidCredentials);
    assert!(server.authed(&session).me().await.is_err(), "the other sessions end with the new password");
}

#[tokio::test]
async fn a_closure_wins_over_a_login_already_under_way() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(2)).await;
    let close = async { server.authed(&session).close_account(PASSWORD).await.unwrap() };
    assert_eq!(login_straddling(&server, &driver(2).email, PASSWORD, close).await, ErrorCode::InvalidCredentials);
}

#[tokio::test]
async fn a_registration_typed_with_decomposed_accents_is_taken_and_kept_composed() {
    let server = TestServer::start().await;
    let mut input = driver(40);
    input.last_name = "Lefe\u{300}vre".into();
    input.first_names = "Rene\u{301}e".into();
    input.birth_city = "Saint-E\u{301}tienne".into();
    input.address.line1 = "3 alle\u{301}e des Ce\u{300}dres".into();
    let session = server.active_driver(&input).await;
    let me = server.authed(&session).me().await.unwrap();
    let shown = format!("{me:?}");
    assert!(shown.contains("Lefèvre") && shown.contains("Renée"), "{shown}");
    assert!(!shown.contains('\u{301}') && !shown.contains('\u{300}'), "{shown}");
}
