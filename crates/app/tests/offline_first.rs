//! The app's logic against the real server (in-process, from the test kit): documents kept while
//! the server is away and sent at the next round, « Mes demandes » from the copy kept last time,
//! a centre's trainings synced with their progress, and a computer shared by several accounts
//! where each one's unsent work stays its own.

use cqc_app::documents::{keep_document, send_all_pending, UploadEvent};
use cqc_app::keys::{KeyFolder, KeyVault};
use cqc_app::offline::applications_overview;
use cqc_app::sync::run_sync;
use cqc_app::{AppCore, Events};
use cqc_client::engine::{SyncPhase, SyncProgress};
use cqc_domain::application::DocumentKind;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_store::UnsentWork;
use cqc_sync::api::{ErrorCode, Session};
use cqc_sync::protocol::Replica;
use cqc_testkit::cards::driver_with_training;
use cqc_testkit::files::scan;
use cqc_testkit::{TestServer, PASSWORD};
use std::path::Path;
use std::sync::Mutex;

/// A server nobody answers on: the network is gone.
const NO_SERVER: &str = "http://127.0.0.1:9";

#[derive(Default)]
struct Seen {
    uploads: Mutex<Vec<UploadEvent>>,
    syncs: Mutex<Vec<SyncProgress>>,
}

impl Events for Seen {
    fn upload_progress(&self, event: UploadEvent) {
        self.uploads.lock().unwrap().push(event);
    }

    fn sync_progress(&self, progress: SyncProgress) {
        self.syncs.lock().unwrap().push(progress);
    }
}

/// The keys of this computer's files (a folder of the test's own: the system keychain is tested
/// in `keychain.rs`).
fn keys(dir: &Path) -> Option<Box<dyn KeyVault>> {
    Some(Box::new(KeyFolder::choose(dir).unwrap()))
}

/// The app on this computer (`dir`), signed in with `session`, talking to `server_url`.
async fn app(dir: &Path, server_url: &str, session: &Session) -> AppCore {
    let core = AppCore::open(dir, server_url, dir.join("Téléchargements"), keys(dir)).unwrap();
    core.sign_in(session).await.unwrap();
    core
}

/// The server, a driver whose training entitles them to a card, and their application just opened.
async fn driver_with_an_open_application() -> (TestServer, Session, String) {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    server.authed(&session).start_application(&id).await.unwrap();
    (server, session, id)
}

#[tokio::test]
async fn a_document_chosen_while_the_server_is_away_is_kept_and_sent_at_the_next_round() {
    let (server, session, id) = driver_with_an_open_application().await;
    let dir = tempfile::tempdir().unwrap();

    let offline = app(dir.path(), NO_SERVER, &session).await;
    let refused = keep_document(&offline, &Seen::default(), &id, DocumentKind::IdentityFront, &scan()).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::Unreachable);
    let kept = offline.store().application_files(&id).unwrap();
    assert_eq!((kept.len(), kept[0].uploaded), (1, false), "kept here, not yet sent");
    drop(offline);

    // The app starts again and the network is back: the round sends it, with its progress.
    let online = app(dir.path(), &server.base_url, &session).await;
    let seen = Seen::default();
    send_all_pending(&online, &seen).await.unwrap();
    assert!(online.store().application_files(&id).unwrap()[0].uploaded);
    let on_server = server.authed(&session).application(&id).await.unwrap();
    assert_eq!(on_server.documents.iter().map(|d| d.kind).collect::<Vec<_>>(), [DocumentKind::IdentityFront]);
    let last = seen.uploads.lock().unwrap().last().cloned().expect("progress");
    assert_eq!((last.kind, last.sent), (DocumentKind::IdentityFront, last.total));
}

#[tokio::test]
async fn my_applications_show_the_copy_kept_last_time_when_the_server_cannot_be_reached() {
    let (server, session, id) = driver_with_an_open_application().await;
    let dir = tempfile::tempdir().unwrap();

    let online = applications_overview(&app(dir.path(), &server.base_url, &session).await).await.unwrap();
    assert!(online.online && online.eligibility.is_some());
    let offline = applications_overview(&app(dir.path(), NO_SERVER, &session).await).await.unwrap();
    assert!(!offline.online && offline.eligibility.is_none());
    assert_eq!(offline.applications.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
}

#[tokio::test]
async fn a_centre_s_trainings_recorded_offline_reach_the_server_at_the_sync_with_its_progress() {
    let server = TestServer::start().await;
    server.centre_staff("AGR-69-0042", "poste@centre.fr").await;
    let session = server.client().login("poste@centre.fr", PASSWORD).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let offline = app(dir.path(), NO_SERVER, &session).await;
    for n in 1..=3 {
        let record = TrainingRecordInput { licence_number: format!("13AA{n:05}"), ..valid_fco() };
        offline.store().record_training(&format!("t-{n}"), &record).unwrap();
    }
    assert_eq!(run_sync(&offline, &Seen::default()).await.unwrap_err().code, ErrorCode::Unreachable);
    drop(offline);

    let online = app(dir.path(), &server.base_url, &session).await;
    let seen = Seen::default();
    let done = run_sync(&online, &seen).await.unwrap();
    assert_eq!((done.phase, done.sent, done.to_send), (SyncPhase::Done, 3, 3));
    assert!(seen.syncs.lock().unwrap().iter().any(|p| p.phase == SyncPhase::Sending));
    assert_eq!(server.count("trainings").await, 3);
}

/// Records `count` trainings for centre staff signed in on `core`, numbered from `first`.
fn record_trainings(core: &AppCore, first: u32, count: u32) {
    for n in first..first + count {
        let record = TrainingRecordInput { licence_number: format!("13AA{n:05}"), ..valid_fco() };
        core.store().record_training(&format!("t-{n}"), &record).unwrap();
    }
}

#[tokio::test]
async fn a_computer_shared_by_two_centres_and_a_driver_keeps_each_ones_unsent_work_apart() {
    let server = TestServer::start().await;
    let driver = driver_with_training(&server, 1).await;
    let application = uuid::Uuid::new_v4().to_string();
    server.authed(&driver).start_application(&application).await.unwrap();
    server.centre_staff("AGR-69-0042", "accueil@lyon.fr").await;
    server.centre_staff("AGR-75-0001", "accueil@paris.fr").await;
    let lyon = server.client().login("accueil@lyon.fr", PASSWORD).await.unwrap();
    let paris = server.client().login("accueil@paris.fr", PASSWORD).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // The network is down all morning; three people use the computer in turn.
    let offline = AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), keys(dir.path())).unwrap();
    offline.sign_in(&lyon).await.unwrap();
    record_trainings(&offline, 10, 2);
    assert_eq!(offline.unsent_work().unwrap(), UnsentWork { trainings: 2, documents: 0 });
    offline.sign_out().await.unwrap();

    offline.sign_in(&paris).await.unwrap();
    assert!(offline.store().trainings().unwrap().is_empty(), "Paris never sees Lyon's trainees");
    assert_eq!(offline.unsent_work().unwrap(), UnsentWork::default());
    record_trainings(&offline, 20, 1);
    offline.sign_out().await.unwrap();

    offline.sign_in(&driver).await.unwrap();
    assert!(offline.store().trainings().unwrap().is_empty());
    let refused = keep_document(&offline, &Seen::default(), &application, DocumentKind::Photo, &scan()).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::Unreachable);
    assert_eq!(offline.unsent_work().unwrap(), UnsentWork { trainings: 0, documents: 1 });
    offline.sign_out().await.unwrap();
    drop(offline);

    // The network is back; each one signs in again, in another order, and finds their work
    // intact: each push is accepted (each account its own device), nothing sent twice.
    let online =
        AppCore::open(dir.path(), &server.base_url, dir.path().join("Téléchargements"), keys(dir.path())).unwrap();
    online.sign_in(&paris).await.unwrap();
    assert_eq!(online.unsent_work().unwrap().trainings, 1);
    let paris_device = online.replica().client_id().unwrap();
    assert_eq!(run_sync(&online, &Seen::default()).await.unwrap().sent, 1);
    online.sign_out().await.unwrap();

    online.sign_in(&driver).await.unwrap();
    send_all_pending(&online, &Seen::default()).await.unwrap();
    let on_server = server.authed(&driver).application(&application).await.unwrap();
    assert_eq!(on_server.documents.iter().map(|d| d.kind).collect::<Vec<_>>(), [DocumentKind::Photo]);
    online.sign_out().await.unwrap();

    online.sign_in(&lyon).await.unwrap();
    assert_ne!(online.replica().client_id().unwrap(), paris_device);
    let lines = online.store().trainings().unwrap();
    assert_eq!(lines.len(), 2, "Lyon finds its two trainings intact");
    assert_eq!(run_sync(&online, &Seen::default()).await.unwrap().sent, 2);
    assert_eq!(online.unsent_work().unwrap(), UnsentWork::default());
    // One training of driver 1 recorded by the kit, plus the three of this morning.
    assert_eq!(server.count("trainings").await, 4);
}

#[tokio::test]
async fn a_session_kept_from_the_last_run_reopens_its_accounts_data() {
    let server = TestServer::start().await;
    server.centre_staff("AGR-69-0042", "poste@centre.fr").await;
    let session = server.client().login("poste@centre.fr", PASSWORD).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    record_trainings(&app(dir.path(), NO_SERVER, &session).await, 1, 1);

    let restarted = AppCore::open(dir.path(), NO_SERVER, dir.path().join("Téléchargements"), keys(dir.path())).unwrap();
    assert_eq!(restarted.session().unwrap().unwrap().profile.email, "poste@centre.fr");
    assert_eq!(restarted.unsent_work().unwrap().trainings, 1);
}

/// A closed account leaves nothing on the computer: signed out, its file deleted; another
/// account's file is untouched.
#[tokio::test]
async fn a_closed_accounts_data_leaves_the_computer() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let other = driver_with_training(&server, 2).await;
    drop(app(dir.path(), &server.base_url, &other).await);
    let session = driver_with_training(&server, 1).await;
    let core = app(dir.path(), &server.base_url, &session).await;
    let accounts = dir.path().join("comptes");
    let file = accounts.join(format!("{}.sqlite3", session.profile.account_id));
    assert!(file.exists());

    core.authed().unwrap().close_account(PASSWORD).await.unwrap();
    core.forget_closed_account().await.unwrap();
    assert!(!file.exists(), "the closed account's file is deleted");
    assert!(core.session().unwrap().is_none(), "signed out");
    let left: Vec<_> = std::fs::read_dir(&accounts).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(left.len(), 1, "the other account's file stays: {left:?}");
}

/// Windows counts at most 260 characters in a path unless a program knows better; a person whose
/// folders are deep (a roaming profile, a centre's shared drive, long names with accents) keeps
/// their work and their downloads all the same.
#[tokio::test]
async fn a_computer_whose_folders_pass_260_characters_keeps_the_work_and_the_downloads() {
    let (server, session, id) = driver_with_an_open_application().await;
    let dir = tempfile::tempdir().unwrap();
    let deep = (1..=5).fold(dir.path().to_path_buf(), |path, level| {
        path.join(format!("Centre de formation n°{level} — dossier partagé de l'équipe pédagogique"))
    });
    assert!(deep.as_os_str().len() > 300, "{}", deep.display());

    let offline = app(&deep, NO_SERVER, &session).await;
    keep_document(&offline, &Seen::default(), &id, DocumentKind::IdentityFront, &scan()).await.unwrap_err();
    drop(offline);
    let online = app(&deep, &server.base_url, &session).await;
    send_all_pending(&online, &Seen::default()).await.unwrap();
    assert!(online.store().application_files(&id).unwrap()[0].uploaded, "kept in the deep folder, then sent");

    let saved = online.save_download("Facture FAC-2026-000001 — Dupont.pdf", b"%PDF-1.7").unwrap();
    assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF-1.7");
    assert!(Path::new(&saved).starts_with(deep.join("Téléchargements")));
}
