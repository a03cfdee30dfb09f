//! « Mise à jour disponible »: the central service offers each installed app the newest version
//! published for its kind of package, with the notes and the signature its updater checks, and
//! sends the package; an operator publishes with `cqc-server publish-update`.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use cqc_server::clock::SystemClock;
use cqc_server::releases::{self, Package, PublishError, ReleaseKey};
use cqc_sync::api::UpdateOffer;
use cqc_testkit::server::TestServer;
use ed25519_dalek::{Signer as _, SigningKey};

const RELEASE_KEY: [u8; 32] = [7; 32];
const KEY_ID: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// A minisign signature of `data` as `tauri signer sign` makes it (base64 of the `.sig` text),
/// by the test's release key.
fn sign(data: &[u8], version: &str) -> String {
    sign_with(RELEASE_KEY, data, version)
}

fn sign_with(secret: [u8; 32], data: &[u8], version: &str) -> String {
    let key = SigningKey::from_bytes(&secret);
    let signature = key.sign(data).to_bytes();
    let trusted = format!("timestamp:1764288000\tfile:CQC_{version}_amd64.deb\tversion:{version}");
    let global = key.sign(&[signature.as_slice(), trusted.as_bytes()].concat()).to_bytes();
    let line = [b"Ed".as_slice(), &KEY_ID, &signature].concat();
    let text = format!(
        "untrusted comment: signature from tauri secret key\n{}\ntrusted comment: {trusted}\n{}\n",
        BASE64.encode(line),
        BASE64.encode(global)
    );
    BASE64.encode(text)
}

/// What the app carries to check the signature, and the service too: the release key's public
/// half, as `CQC_UPDATER_PUBKEY` (base64 of the `.pub` file) gives it.
fn release_pubkey_setting() -> String {
    let public = SigningKey::from_bytes(&RELEASE_KEY).verifying_key().to_bytes();
    let line = BASE64.encode([b"Ed".as_slice(), &KEY_ID, &public].concat());
    BASE64.encode(format!("untrusted comment: minisign public key 0807060504030201\n{line}\n"))
}

fn release_public_key() -> minisign_verify::PublicKey {
    let file = String::from_utf8(BASE64.decode(release_pubkey_setting()).unwrap()).unwrap();
    minisign_verify::PublicKey::decode(&file).unwrap()
}

fn release_key() -> ReleaseKey {
    ReleaseKey::parse(&release_pubkey_setting()).unwrap()
}

fn deb(content: &str) -> Vec<u8> {
    [b"!<arch>\ndebian-binary   1764288000  0     0     100644  4         `\n2.0\n".as_slice(), content.as_bytes()]
        .concat()
}

async fn publish(server: &TestServer, version: &str, target: &str, bytes: Vec<u8>) -> Result<(), PublishError> {
    let signature = sign(&bytes, version);
    let notes = format!("Version {version} : les photos s'envoient plus vite.");
    publish_as_given(server, version, &notes, Package { target, bytes, signature: &signature }).await
}

/// Publishes the package as it is given, with the release key the apps carry.
async fn publish_as_given(
    server: &TestServer,
    version: &str,
    notes: &str,
    package: Package<'_>,
) -> Result<(), PublishError> {
    let (db, documents) = (&server.state.db, &server.state.documents);
    releases::publish(db, documents, &SystemClock, &release_key(), version, notes, package).await.map(|_| ())
}

async fn ask(server: &TestServer, path: &str) -> reqwest::Response {
    reqwest::get(format!("{}/api/v1/updates/{path}", server.base_url)).await.unwrap()
}

#[tokio::test]
async fn an_older_app_is_offered_the_newest_version_of_its_kind_and_downloads_the_signed_package() {
    let server = TestServer::start().await;
    publish(&server, "0.1.1", "linux-x86_64-deb", deb("version 0.1.1")).await.unwrap();
    publish(&server, "0.2.0", "linux-x86_64-deb", deb("version 0.2.0")).await.unwrap();

    let answer = ask(&server, "linux-x86_64-deb/0.1.0").await;
    assert_eq!(answer.status(), 200);
    let offer: UpdateOffer = answer.json().await.unwrap();
    assert_eq!(offer.version, "0.2.0", "the newest, not the next");
    assert_eq!(offer.notes, "Version 0.2.0 : les photos s'envoient plus vite.");
    assert!(time::OffsetDateTime::parse(&offer.pub_date, &time::format_description::well_known::Rfc3339).is_ok());
    assert_eq!(offer.url, format!("{}/api/v1/updates/0.2.0/linux-x86_64-deb/package", server.base_url));

    let package = reqwest::get(&offer.url).await.unwrap();
    assert_eq!(package.status(), 200);
    assert_eq!(package.headers()["content-type"], "application/octet-stream");
    let bytes = package.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), deb("version 0.2.0").as_slice());
    // What the app's updater does before installing: the signature is the release key's.
    let text = String::from_utf8(BASE64.decode(&offer.signature).unwrap()).unwrap();
    let signature = minisign_verify::Signature::decode(&text).unwrap();
    release_public_key().verify(&bytes, &signature, true).expect("the package is the one signed");
    assert!(release_public_key().verify(&deb("version 0.1.1"), &signature, true).is_err());
}

#[tokio::test]
async fn an_up_to_date_app_and_an_app_of_another_kind_are_offered_nothing() {
    let server = TestServer::start().await;
    publish(&server, "0.2.0", "linux-x86_64-deb", deb("0.2.0")).await.unwrap();
    for (path, why) in [
        ("linux-x86_64-deb/0.2.0", "up to date"),
        ("linux-x86_64-deb/0.3.0", "newer than anything published: never a downgrade"),
        ("linux-x86_64-rpm/0.1.0", "no .rpm published"),
        ("windows-x86_64-nsis/0.1.0", "no Windows package published"),
    ] {
        let answer = ask(&server, path).await;
        assert_eq!(answer.status(), 204, "{why}");
        assert!(answer.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_wrong_kind_a_wrong_version_or_a_missing_package_gets_a_clear_answer() {
    let server = TestServer::start().await;
    publish(&server, "0.2.0", "linux-x86_64-deb", deb("0.2.0")).await.unwrap();
    for (path, status, message) in [
        ("linux-x86_64-exe/0.1.0", 400, "Ce type de paquet de l'application n'existe pas."),
        ("linux-x86_64-deb/abc", 400, "Ce numéro de version de l'application n'est pas valide."),
        ("linux-x86_64-deb/0.1", 400, "Ce numéro de version de l'application n'est pas valide."),
        ("0.2.0/linux-x86_64-rpm/package", 404, "Élément introuvable."),
        ("0.9.0/linux-x86_64-deb/package", 404, "Élément introuvable."),
        ("0.2.0/..%2F..%2Fcqc.sqlite3/package", 400, "Ce type de paquet de l'application n'existe pas."),
    ] {
        let answer = ask(&server, path).await;
        assert_eq!(answer.status(), status, "{path}");
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["message"], message, "{path}");
    }
}

#[tokio::test]
async fn publishing_refuses_what_no_app_could_install_and_offers_nothing_of_it() {
    let server = TestServer::start().await;
    let rpm = vec![0xED, 0xAB, 0xEE, 0xDB, 3, 0, 1, 2];
    let refused = publish(&server, "0.2.0", "linux-x86_64-deb", rpm.clone()).await;
    assert!(matches!(refused, Err(PublishError::NotThatKind("linux-x86_64-deb"))), "an .rpm published as the .deb");
    assert!(matches!(publish(&server, "0.2", "linux-x86_64-deb", deb("x")).await, Err(PublishError::Release(_))));
    assert!(matches!(publish(&server, "0.2.0", "linux-deb", deb("x")).await, Err(PublishError::Release(_))));

    let bytes = deb("0.2.0");
    for (signature, why) in [
        (String::new(), "no signature"),
        ("pas du base64 !".to_owned(), "not base64"),
        (BASE64.encode("untrusted comment: x\nnot a signature\n"), "not minisign"),
        (sign(&bytes, "0.3.0"), "signed for 0.3.0, published as 0.2.0"),
        (sign(&deb("another package"), "0.2.0"), "the signature of another package"),
        (sign_with([9; 32], &bytes, "0.2.0"), "signed by another key than the release key the apps carry"),
    ] {
        let package = Package { target: "linux-x86_64-deb", bytes: bytes.clone(), signature: &signature };
        let refused = publish_as_given(&server, "0.2.0", "Notes.", package).await;
        assert!(
            matches!(
                refused,
                Err(PublishError::Signature
                    | PublishError::SignedForAnotherVersion { .. }
                    | PublishError::NotTheReleaseKey)
            ),
            "{why}: {refused:?}"
        );
    }
    let signature = sign(&bytes, "0.2.0");
    let package = Package { target: "linux-x86_64-deb", bytes: bytes.clone(), signature: &signature };
    let refused = publish_as_given(
        &server, "0.2.0", " 
", package,
    )
    .await;
    assert!(matches!(refused, Err(PublishError::Release(_))), "no notes");

    assert_eq!(ask(&server, "linux-x86_64-deb/0.1.0").await.status(), 204, "nothing refused is offered");
    assert_eq!(ask(&server, "0.2.0/linux-x86_64-deb/package").await.status(), 404, "nor stored");
}

#[tokio::test]
async fn publishing_again_replaces_the_package_and_its_signature() {
    let server = TestServer::start().await;
    publish(&server, "0.2.0", "linux-x86_64-deb", deb("first build")).await.unwrap();
    publish(&server, "0.2.0", "linux-x86_64-deb", deb("rebuilt")).await.unwrap();
    let offer: UpdateOffer = ask(&server, "linux-x86_64-deb/0.1.0").await.json().await.unwrap();
    let bytes = reqwest::get(&offer.url).await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), deb("rebuilt").as_slice());
    let signature =
        minisign_verify::Signature::decode(&String::from_utf8(BASE64.decode(&offer.signature).unwrap()).unwrap())
            .unwrap();
    release_public_key().verify(&bytes, &signature, true).expect("the signature of the package now served");
}

#[test]
fn the_command_line_publishes_a_package_with_the_signature_beside_it_and_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("CQC_0.2.0_amd64.deb");
    std::fs::write(&package, deb("0.2.0")).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Les photos s'envoient plus vite.").unwrap();
    // With the release key given, or none.
    let publish_with = |release_key: Option<String>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cqc-server"));
        command
            .args(["publish-update", "--version", "0.2.0", "--target", "linux-x86_64-deb"])
            .arg("--package")
            .arg(&package)
            .arg("--notes")
            .arg(&notes)
            .env("CQC_DATA_DIR", dir.path().join("server"))
            .env("CQC_LOG_FORMAT", "text")
            .env_remove("CQC_UPDATER_PUBKEY");
        if let Some(key) = release_key {
            command.env("CQC_UPDATER_PUBKEY", key);
        }
        command.output().unwrap()
    };
    let publish = || publish_with(Some(release_pubkey_setting()));
    let refused = publish();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("signature") && said.contains("CQC_0.2.0_amd64.deb.sig"), "{said}");
    std::fs::write(dir.path().join("CQC_0.2.0_amd64.deb.sig"), sign(&deb("0.2.0"), "0.2.0")).unwrap();
    let without_key = publish_with(None);
    assert!(!without_key.status.success());
    let said = String::from_utf8_lossy(&without_key.stderr);
    assert!(said.contains("CQC_UPDATER_PUBKEY"), "{said}");

    let published = publish();
    assert!(published.status.success(), "{}", String::from_utf8_lossy(&published.stderr));
    assert_eq!(String::from_utf8_lossy(&published.stdout).trim(), "Version 0.2.0 publiée pour linux-x86_64-deb");
    assert!(dir.path().join("server/documents/mises-a-jour/0.2.0/linux-x86_64-deb").is_file());
}

#[tokio::test]
async fn a_stable_app_is_not_offered_a_pre_release_and_a_testers_app_is() {
    let server = TestServer::start().await;
    publish(&server, "0.5.0", "linux-x86_64-deb", deb("0.5.0")).await.unwrap();
    publish(&server, "0.6.0-beta.1", "linux-x86_64-deb", deb("0.6.0-beta.1")).await.unwrap();
    assert_eq!(ask(&server, "linux-x86_64-deb/0.5.0").await.status(), 204);
    let offer: UpdateOffer = ask(&server, "linux-x86_64-deb/0.5.0-beta.3").await.json().await.unwrap();
    assert_eq!(offer.version, "0.6.0-beta.1");
}
