//! The lock after inactivity, as the app's commands do it: the password typed at login opens it,
//! offline too; a restart does not; five wrong passwords sign out and keep the unsent work.

use cqc_app::keys::KeyFolder;
use cqc_app::lock::{choose, lock_now, lock_status, remember_password, unlock};
use cqc_app::AppCore;
use cqc_domain::training::fixtures::valid_fco;
use cqc_sync::api::{ErrorCode, Session};
use cqc_testkit::cards::driver_with_training;
use cqc_testkit::{TestServer, PASSWORD};
use std::path::Path;

const NO_SERVER: &str = "http://127.0.0.1:9";

fn app(dir: &Path) -> AppCore {
    let keys = KeyFolder::choose(dir).unwrap();
    AppCore::open(dir, NO_SERVER, dir.join("Téléchargements"), Some(Box::new(keys))).unwrap()
}

async fn signed_in(dir: &Path, session: &Session) -> AppCore {
    let core = app(dir);
    core.sign_in(session).await.unwrap();
    remember_password(&core, PASSWORD.to_owned()).await.unwrap();
    core
}

async fn centre_session(server: &TestServer) -> Session {
    server.centre_staff("AGR-69-0042", "poste@centre.fr").await;
    server.client().login("poste@centre.fr", PASSWORD).await.unwrap()
}

#[tokio::test]
async fn centre_staff_locked_away_from_the_network_unlock_with_their_password_and_a_restart_stays_locked() {
    let server = TestServer::start().await;
    let session = centre_session(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let core = signed_in(dir.path(), &session).await;
    assert_eq!(lock_status(&core).unwrap().policy.after_minutes, Some(10));
    lock_now(&core).unwrap();
    drop(core);

    let restarted = app(dir.path());
    assert!(lock_status(&restarted).unwrap().locked, "a restart does not open the lock");
    let wrong = unlock(&restarted, "pas-le-bon".into()).await.unwrap_err();
    assert_eq!(wrong.code, ErrorCode::InvalidCredentials);
    assert!(wrong.message.contains("essai 1 sur 5"), "{}", wrong.message);
    unlock(&restarted, PASSWORD.into()).await.unwrap();
    assert!(!lock_status(&restarted).unwrap().locked);
}

#[tokio::test]
async fn five_wrong_passwords_sign_out_and_the_unsent_work_waits_for_its_owner() {
    let server = TestServer::start().await;
    let session = centre_session(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let core = signed_in(dir.path(), &session).await;
    core.store().record_training("t-1", &valid_fco()).unwrap();
    lock_now(&core).unwrap();
    for _ in 1..5 {
        assert_eq!(unlock(&core, "faux".into()).await.unwrap_err().code, ErrorCode::InvalidCredentials);
    }
    let out = unlock(&core, "faux".into()).await.unwrap_err();
    assert_eq!(out.code, ErrorCode::Unauthenticated);
    assert!(core.session().unwrap().is_none(), "signed out");

    core.sign_in(&session).await.unwrap();
    assert_eq!(core.unsent_work().unwrap().trainings, 1, "the training waits, intact");
}

#[tokio::test]
async fn a_driver_chooses_when_the_app_locks_and_staff_cannot() {
    let server = TestServer::start().await;
    let driver = driver_with_training(&server, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let core = signed_in(dir.path(), &driver).await;
    assert_eq!(lock_status(&core).unwrap().policy.after_minutes, None, "never, until the driver chooses");
    assert_eq!(choose(&core, Some(15)).unwrap().policy.after_minutes, Some(15));
    assert_eq!(choose(&core, Some(7)).unwrap_err().code, ErrorCode::InvalidFields);
    core.sign_out().await.unwrap();

    let staff = centre_session(&server).await;
    core.sign_in(&staff).await.unwrap();
    assert_eq!(choose(&core, None).unwrap_err().code, ErrorCode::Forbidden);
}
