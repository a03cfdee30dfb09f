//! « Sauvegardes » of the one-machine set-up, as an operator runs them: `cqc-server backup`
//! while the server serves and writes, more writes, then `cqc-server restore` with the server
//! stopped: what was there at the backup is back, documents and signing key included.

use cqc_domain::application::DocumentKind;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::db::Db;
use cqc_server::{admin, clock::SystemClock};
use cqc_sync::api::SetPasswordRequest;
use cqc_sync::protocol::{Change, Mutation, PushRequest};
use cqc_testkit::outbox::Outbox;
use cqc_testkit::process::ServerProcess;
use cqc_testkit::server::{agent_and_centre, AGENT_EMAIL, STAFF_EMAIL};
use cqc_testkit::{driver, files::scan, PASSWORD};
use std::path::Path;
use std::process::{Command, Output};

fn cqc_server(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cqc-server")).args(args).env("CQC_DATA_DIR", data).output().unwrap()
}

fn said(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

async fn accounts(data: &Path) -> Vec<String> {
    let db = Db::connect(&cqc_server::db::sqlite_url(&data.join("cqc.sqlite3"))).await.unwrap();
    let emails = sqlx::query_scalar("SELECT email FROM accounts ORDER BY email").fetch_all(&db.pool).await.unwrap();
    db.pool.close().await;
    emails
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_serving_is_restored_whole() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let binary = Path::new(env!("CARGO_BIN_EXE_cqc-server"));
    let mut server = ServerProcess::start(binary, &data, &[]);
    server.ready().await;
    let db = Db::connect(&cqc_server::db::sqlite_url(&data.join("cqc.sqlite3"))).await.unwrap();
    agent_and_centre(&db).await;

    // A driver with a training and a document on the server.
    let before = driver(1);
    let staff = server.client().login(STAFF_EMAIL, PASSWORD).await.unwrap().token;
    let training = Mutation {
        seq: 1,
        id: uuid::Uuid::new_v4().to_string(),
        change: Change::RecordTraining {
            training_id: "formation-1".into(),
            record: TrainingRecordInput { licence_number: before.licence_number.clone(), ..valid_fco() },
        },
    };
    let push = PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations: vec![training] };
    server.client().with_token(Some(staff)).push(&push).await.unwrap();
    let receipt = server.client().register(&before).await.unwrap();
    let agent = server.client().login(AGENT_EMAIL, PASSWORD).await.unwrap().token;
    server.client().with_token(Some(agent)).accept_registration(&receipt.request_id).await.unwrap();
    let token = Outbox::new(&server.outbox()).token(&before.email, "créez votre mot de passe").await;
    let password = SetPasswordRequest { token, password: PASSWORD.into(), confirmation: PASSWORD.into() };
    server.client().set_password(&password).await.unwrap();
    let session = server.client().login(&before.email, PASSWORD).await.unwrap().token;
    let application = uuid::Uuid::new_v4().to_string();
    let client = server.client().with_token(Some(session));
    client.start_application(&application).await.unwrap();
    client.upload_document(&application, DocumentKind::IdentityFront, &scan(), |_, _| {}).await.unwrap();
    let document = client.document(&application, DocumentKind::IdentityFront).await.unwrap();

    // The backup is taken while accounts keep being written.
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for n in 0..40 {
                let email = format!("agent{n}@cqc.localhost");
                admin::create_agent(&db, &SystemClock, &email, "Agent Pendant", PASSWORD).await.unwrap();
            }
        })
    };
    let backup = root.path().join("sauvegarde");
    let taken = cqc_server(&data, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(taken.status.success(), "{}", said(&taken));
    assert!(said(&taken).contains("Sauvegarde faite"), "{}", said(&taken));
    writer.await.unwrap();
    let backed_up = accounts(&backup).await;
    assert!(backed_up.contains(&before.email));
    assert!(backup.join("certificate-signing.key").exists() && backup.join("documents").exists());

    // A second backup never overwrites the first.
    let again = cqc_server(&data, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(said(&again).contains("existe déjà"), "{}", said(&again));

    // More is written after the backup, then the server stops and the backup is put back.
    let after = driver(2);
    server.client().register(&after).await.unwrap();
    server.signal("TERM");
    db.pool.close().await;
    let wrong = cqc_server(&data, &["restore", "--from", root.path().to_str().unwrap()]);
    assert!(!wrong.status.success());
    assert!(said(&wrong).contains("n'est pas une sauvegarde"), "{}", said(&wrong));
    let restored = cqc_server(&data, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", said(&restored));

    // The server starts on the restored data: exactly what the backup held.
    assert_eq!(accounts(&data).await, backed_up);
    assert!(!backed_up.contains(&after.email));
    let server = ServerProcess::start(binary, &data, &[]);
    server.ready().await;
    let session = server.client().login(&before.email, PASSWORD).await.unwrap().token;
    let client = server.client().with_token(Some(session));
    assert_eq!(client.document(&application, DocumentKind::IdentityFront).await.unwrap(), document);
    // The data replaced was moved aside, not deleted.
    let aside = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("before-restore-"));
    assert!(aside.expect("the replaced data kept").path().join("cqc.sqlite3").exists());
}
