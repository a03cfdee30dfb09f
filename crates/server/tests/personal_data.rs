//! « Mes données » (issue 14): a driver downloads everything the service holds about them, as
//! one archive with a summary a person reads, the same as JSON, and their files. Run on SQLite
//! and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::delivered_card;
use common::{driver, TestServer};
use cqc_sync::api::ErrorCode;
use std::io::Read;

fn entries(archive: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).expect("a zip archive");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_owned(), bytes)
        })
        .collect()
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in the archive"));
    std::str::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn a_driver_takes_away_everything_held_about_them_in_one_archive() {
    let server = TestServer::start().await;
    let (client, _) = delivered_card(&server, 1).await;
    let files = entries(client.personal_data().await.unwrap());

    let summary = text_of(&files, "resume.txt");
    for expected in [
        "Jean Pierre Dupont",
        "conducteur1@exemple.fr",
        "DEMANDES DE CARTE (1)",
        "CARTES (1)",
        "FORMATIONS (1)",
        "ATTESTATIONS DE QUALIFICATION (1)",
        "Centre routier",
        // Moments in French, at Paris time.
        "Demande envoyée au service de traitement",
    ] {
        assert!(summary.contains(expected), "« {expected} » in:\n{summary}");
    }
    assert!(!summary.contains("T1") && !summary.contains("Z —"), "no raw timestamps:\n{summary}");
    let data: serde_json::Value = serde_json::from_str(text_of(&files, "donnees.json")).unwrap();
    assert_eq!(data["account"]["email"], "conducteur1@exemple.fr");
    assert_eq!(data["applications"].as_array().unwrap().len(), 1);
    assert_eq!(data["cards"].as_array().unwrap().len(), 1);
    assert_eq!(data["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(data["training_recaps"].as_array().unwrap().len(), 1);
    assert!(!data["notifications"].as_array().unwrap().is_empty());

    // Every file sent with the application, and the photo printed on the card, each readable.
    let documents: Vec<&(String, Vec<u8>)> = files.iter().filter(|(n, _)| n.starts_with("documents/")).collect();
    assert_eq!(documents.len(), 6, "{:?}", documents.iter().map(|(n, _)| n).collect::<Vec<_>>());
    for (name, bytes) in documents {
        let format = cqc_domain::upload::FileFormat::sniff(bytes).unwrap_or_else(|| panic!("{name} is a file"));
        assert!(name.ends_with(format.extension()), "{name}");
        assert!(summary.contains(name.as_str()), "the summary lists {name}");
    }
}

#[tokio::test]
async fn no_one_takes_away_another_drivers_data_and_only_drivers_have_an_archive() {
    let server = TestServer::start().await;
    delivered_card(&server, 1).await;
    let other = server.active_driver(&driver(2)).await;
    let files = entries(server.authed(&other).personal_data().await.unwrap());
    let everything: String = files.iter().map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).collect();
    assert!(!everything.contains("conducteur1@exemple.fr"));
    assert!(files.iter().all(|(n, _)| !n.starts_with("documents/")), "the other driver sent no file");

    // A few archives an hour, then « trop de demandes » with the time to wait.
    for _ in 1..10 {
        server.authed(&other).personal_data().await.unwrap();
    }
    assert_eq!(common::cards::code_of(server.authed(&other).personal_data().await), ErrorCode::RateLimited);

    let agent = server.agent().await;
    assert_eq!(common::cards::code_of(agent.personal_data().await), ErrorCode::Forbidden);
    assert_eq!(common::cards::code_of(server.client().personal_data().await), ErrorCode::Unauthenticated);
}

async fn count(server: &TestServer, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(&server.state.db.pool).await.unwrap()
}

/// « Clôturer mon compte »: confirmed with the password, the account can no longer be used, the
/// scans, drafts, contact data and notifications are gone, the card's record, the trainings and
/// certificates stay, and the driver is told by email what was deleted and what is kept.
#[tokio::test]
async fn a_driver_closes_their_account_what_the_law_keeps_stays_and_the_rest_is_deleted() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let draft = common::cards::complete_draft(&client).await;
    let me = client.me().await.unwrap();
    let documents = server.data_dir().join("documents");
    assert!(common::cards::walk(&documents) > 1);

    // A wrong password changes nothing.
    let refused = client.close_account("Pas-le-bon-2024").await;
    assert_eq!(common::cards::code_of(refused), ErrorCode::InvalidCredentials);
    client.me().await.expect("still open");

    client.close_account(common::PASSWORD).await.unwrap();
    assert_eq!(common::cards::code_of(client.me().await), ErrorCode::Unauthenticated, "its sessions are closed");
    let login = server.client().login("conducteur1@exemple.fr", common::PASSWORD).await;
    assert_eq!(common::cards::code_of(login), ErrorCode::InvalidCredentials);
    let email = server.outbox.email("conducteur1@exemple.fr", "Votre compte CQC est clôturé").await;
    assert!(email.contains("10 ans") && email.contains("registre des cartes"), "{email}");

    let id = me.account_id.as_str();
    let account: (String, String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT status, email, registration_json, password_hash FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
    assert_eq!(account.0, "closed");
    assert!(account.1.ends_with("@cqc.invalid"), "no email address kept: {}", account.1);
    assert_eq!((account.2, account.3), (None, None), "no contact data, no password");
    for (sql, left) in [
        ("SELECT COUNT(*) FROM notifications WHERE account_id = $1", 0),
        ("SELECT COUNT(*) FROM sessions WHERE account_id = $1", 0),
        ("SELECT COUNT(*) FROM application_documents WHERE application_id IN (SELECT id FROM applications WHERE driver_id = $1)", 0),
        ("SELECT COUNT(*) FROM applications WHERE driver_id = $1", 1),
        ("SELECT COUNT(*) FROM cards WHERE driver_id = $1", 1),
        ("SELECT COUNT(*) FROM certificates WHERE driver_id = $1", 1),
    ] {
        assert_eq!(count(&server, sql, id).await, left, "{sql}");
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM applications WHERE id = $1", &draft).await, 0, "the draft is gone");
    assert_eq!(common::cards::walk(&documents), 1, "only the photo printed on the card {card_id} stays");
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action = 'account_closed'", id).await,
        1
    );

    // The same person may come back: the email and the licence number are free again.
    server.client().register(&driver(1)).await.expect("a new account");
}

#[tokio::test]
async fn an_account_is_not_closed_while_an_application_is_processed() {
    let server = TestServer::start().await;
    let session = common::cards::driver_with_training(&server, 1).await;
    let client = server.authed(&session);
    let id = common::cards::complete_draft(&client).await;
    client.submit_application(&id).await.unwrap();
    match client.close_account(common::PASSWORD).await {
        Err(cqc_client::client::ClientError::Api(error)) => {
            assert_eq!(error.code, ErrorCode::Conflict);
            assert!(error.message.contains("en cours de traitement"), "{}", error.message);
        }
        other => panic!("refused, not {other:?}"),
    }
    client.me().await.expect("the account is still open");
    // A password is not guessed there at leisure: a few tries an hour, then « trop de demandes ».
    for _ in 1..5 {
        client.close_account("Pas-le-bon-2024").await.unwrap_err();
    }
    assert_eq!(common::cards::code_of(client.close_account(common::PASSWORD).await), ErrorCode::RateLimited);
    client.me().await.expect("the account is still open");
    let agent = server.agent().await;
    assert_eq!(common::cards::code_of(agent.close_account(common::PASSWORD).await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn no_registration_takes_the_address_that_marks_a_closed_account_so_every_closure_goes_through() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(1)).await;
    let client = server.authed(&session);
    let id = client.me().await.unwrap().account_id;
    let mut squatter = driver(2);
    squatter.email = format!("compte-clos-{id}@cqc.invalid");
    assert_eq!(common::cards::code_of(server.client().register(&squatter).await), ErrorCode::InvalidFields);
    client.close_account(common::PASSWORD).await.expect("the closure goes through");
}

#[tokio::test]
async fn a_closed_accounts_contact_data_lingers_nowhere_in_the_database_files() {
    let server = TestServer::start().await;
    let mut input = driver(3);
    input.address.line1 = "7 impasse des Données-Effacées".into();
    let session = server.active_driver(&input).await;
    server.authed(&session).close_account(common::PASSWORD).await.unwrap();
    // On PostgreSQL old row versions stay until its vacuum: the operations guide says so.
    assert_eq!(server.database_file_holding("impasse des Donn"), None, "the closed account's address");
}
