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
