//! The app's logic against the real server (in-process, from the test kit): documents kept while
//! the server is away and sent at the next round, « Mes demandes » from the copy kept last time,
//! a centre's trainings synced with their progress.

use cqc_app::documents::{keep_document, send_all_pending, UploadEvent};
use cqc_app::offline::applications_overview;
use cqc_app::sync::run_sync;
use cqc_app::{AppCore, Events};
use cqc_client::engine::{SyncPhase, SyncProgress};
use cqc_domain::application::DocumentKind;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_sync::api::{ErrorCode, Session};
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

/// The app on this computer (`dir`), signed in with `session`, talking to `server_url`.
fn app(dir: &Path, server_url: &str, session: &Session) -> AppCore {
    let core = AppCore::open(dir, server_url, dir.join("Téléchargements")).unwrap();
    core.store().save_session(session).unwrap();
    core
}

#[tokio::test]
async fn a_document_chosen_while_the_server_is_away_is_kept_and_sent_at_the_next_round() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    server.authed(&session).start_application(&id).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let offline = app(dir.path(), NO_SERVER, &session);
    let refused = keep_document(&offline, &Seen::default(), &id, DocumentKind::IdentityFront, &scan()).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::Unreachable);
    let kept = offline.store().application_files(&id).unwrap();
    assert_eq!((kept.len(), kept[0].uploaded), (1, false), "kept here, not yet sent");
    drop(offline);

    // The app starts again and the network is back: the round sends it, with its progress.
    let online = app(dir.path(), &server.base_url, &session);
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
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    server.authed(&session).start_application(&id).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let online = applications_overview(&app(dir.path(), &server.base_url, &session)).await.unwrap();
    assert!(online.online && online.eligibility.is_some());
    let offline = applications_overview(&app(dir.path(), NO_SERVER, &session)).await.unwrap();
    assert!(!offline.online && offline.eligibility.is_none());
    assert_eq!(offline.applications.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
}

#[tokio::test]
async fn a_centre_s_trainings_recorded_offline_reach_the_server_at_the_sync_with_its_progress() {
    let server = TestServer::start().await;
    server.centre_staff("AGR-69-0042", "poste@centre.fr").await;
    let session = server.client().login("poste@centre.fr", PASSWORD).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let offline = app(dir.path(), NO_SERVER, &session);
    for n in 1..=3 {
        let record = TrainingRecordInput { licence_number: format!("13AA{n:05}"), ..valid_fco() };
        offline.store().record_training(&format!("t-{n}"), &record).unwrap();
    }
    assert_eq!(run_sync(&offline, &Seen::default()).await.unwrap_err().code, ErrorCode::Unreachable);
    drop(offline);

    let online = app(dir.path(), &server.base_url, &session);
    let seen = Seen::default();
    let done = run_sync(&online, &seen).await.unwrap();
    assert_eq!((done.phase, done.sent, done.to_send), (SyncPhase::Done, 3, 3));
    assert!(seen.syncs.lock().unwrap().iter().any(|p| p.phase == SyncPhase::Sending));
    assert_eq!(server.count("trainings").await, 3);
}
