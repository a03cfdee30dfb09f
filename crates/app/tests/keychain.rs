//! The keys of the local files in the system's keychain (Secret Service here, run by
//! `scripts/with-keyring.sh`), and the folder the user may choose on a computer without one.

use cqc_app::keys::{vault_at_start, KeyError, KeyFolder, KeyVault, SystemKeychain};
use cqc_app::AppCore;
use cqc_domain::training::fixtures::valid_fco;
use cqc_testkit::{TestServer, PASSWORD};

const NO_SERVER: &str = "http://127.0.0.1:9";

/// The keychain of this session; without one, the test is skipped unless the test script asked
/// for it (it then fails).
fn keychain() -> Option<SystemKeychain> {
    let keychain = SystemKeychain::available();
    if keychain.is_none() {
        assert!(std::env::var_os("CQC_REQUIRE_KEYCHAIN").is_none(), "the keychain does not answer");
        eprintln!("no Secret Service in this session: run through scripts/with-keyring.sh");
    }
    keychain
}

#[test]
fn a_files_key_is_made_once_and_kept_in_the_system_keychain() {
    let Some(keychain) = keychain() else { return };
    let file = format!("essai-{}", uuid::Uuid::new_v4());
    let key = keychain.key(&file).unwrap();
    assert_eq!(keychain.key(&file).unwrap(), key, "the same key each time");
    let entry = keyring::Entry::new("fr.cqc.desktop", &file).unwrap();
    assert_eq!(entry.get_password().unwrap(), key.to_hex(), "kept by the keychain, not by the app");
    entry.delete_credential().unwrap();
}

#[tokio::test]
async fn with_the_keychain_an_accounts_data_reopens_after_a_restart_and_nothing_is_readable_on_disk() {
    let Some(_) = keychain() else { return };
    let server = TestServer::start().await;
    server.centre_staff("AGR-69-0042", "poste@centre.fr").await;
    let session = server.client().login("poste@centre.fr", PASSWORD).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("Téléchargements");
    {
        let app = AppCore::open(dir.path(), NO_SERVER, downloads.clone(), vault_at_start(dir.path())).unwrap();
        app.sign_in(&session).await.unwrap();
        app.store().record_training("t-1", &valid_fco()).unwrap();
    }
    let restarted = AppCore::open(dir.path(), NO_SERVER, downloads, vault_at_start(dir.path())).unwrap();
    assert_eq!(restarted.session().unwrap().unwrap().profile.email, "poste@centre.fr");
    assert_eq!(restarted.unsent_work().unwrap().trainings, 1);
    assert!(KeyFolder::chosen(dir.path()).is_none(), "no key on disk when the keychain answers");
    for file in walk(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        for clear in ["SQLite format 3", "poste@centre.fr", &valid_fco().licence_number] {
            assert!(!bytes.windows(clear.len()).any(|w| w == clear.as_bytes()), "« {clear} » in {}", file.display());
        }
    }
}

#[tokio::test]
async fn without_keychain_nothing_is_opened_until_the_user_agrees_to_keep_the_keys_here() {
    let dir = tempfile::tempdir().unwrap();
    let app = AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), None).unwrap();
    assert!(!app.unlocked());
    app.keep_keys_in_data_folder().unwrap();
    assert!(app.unlocked());
    app.computer().save_draft("registration", &serde_json::json!({"last_name": "Dupont"})).unwrap();
    drop(app);
    // Chosen once: the next start uses the folder without asking again.
    let vault = vault_at_start(dir.path()).expect("the folder chosen before");
    let app = AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), Some(vault)).unwrap();
    assert!(app.drafts().unwrap().draft("registration").unwrap().is_some());
}

/// A keychain that answers the probe but then refuses (locked, the person said no).
struct RefusingKeychain;

impl KeyVault for RefusingKeychain {
    fn key(&self, file: &str) -> Result<cqc_store::DatabaseKey, KeyError> {
        Err(KeyError::Damaged(file.to_owned()))
    }
}

#[test]
fn a_keychain_that_refuses_at_start_leaves_the_app_started_locked_and_asking() {
    let dir = tempfile::tempdir().unwrap();
    let app =
        AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), Some(Box::new(RefusingKeychain)))
            .expect("the app starts anyway");
    assert!(!app.unlocked(), "nothing local opened");
    app.keep_keys_in_data_folder().unwrap();
    assert!(app.unlocked());
}

#[tokio::test]
async fn an_account_id_that_is_not_an_id_never_names_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyFolder::choose(dir.path()).unwrap();
    let app = AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), Some(Box::new(keys))).unwrap();
    let hostile = cqc_sync::api::Session {
        token: "jeton".into(),
        expires_at: "2026-11-28T12:00:00Z".into(),
        profile: cqc_sync::api::Profile {
            account_id: "../../../tmp/ailleurs".into(),
            role: cqc_domain::account::Role::Driver,
            status: cqc_domain::account::AccountStatus::Active,
            email: "jean@exemple.fr".into(),
            display_name: "Jean".into(),
            registration: None,
        },
    };
    let refused = app.sign_in(&hostile).await.unwrap_err();
    assert_eq!(refused.code, cqc_sync::api::ErrorCode::Internal);
    assert!(app.session().unwrap().is_none(), "not signed in");
    assert!(walk(dir.path()).iter().all(|file| file.starts_with(dir.path())));
    assert!(!std::path::Path::new("/tmp/ailleurs.sqlite3").exists());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
