//! The app as a package installed it (`/usr/bin/cqc-desktop` from the `.deb`), started as a
//! person would start it, with its own data folder under the person's home: its first screen
//! appears (on a computer without keychain, after the question of where the data's key goes) and
//! it reaches the central service. `scripts/install-test.sh` builds the package,
//! installs it, runs this test and removes the package.

mod support;

use std::process::Command;
use support::{artifacts, Driver, Server, SessionBus};

const AGENT: &str = "agent@cqc.localhost";
const AGENT_PASSWORD: &str = "Agent-Passe-2024!";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed package (scripts/install-test.sh), Xvfb and tauri-driver"]
async fn the_installed_app_opens_on_its_login_screen_and_reaches_the_server() {
    let binary = support::app_binary();
    assert!(binary.starts_with("/usr/"), "CQC_APP_BINARY names the installed app, not {binary}");
    let home = std::env::var("CQC_INSTALL_HOME").expect("CQC_INSTALL_HOME: the home folder the app runs in");
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    server.create_agent(AGENT, AGENT_PASSWORD).await;
    // No CQC_DATA_DIR: the app keeps its data where an installed app does, in the home's
    // XDG data folder.
    let desktop = |bus: &str| {
        vec![
            ("CQC_SERVER_URL".to_owned(), server.url.clone()),
            ("HOME".to_owned(), home.clone()),
            ("XDG_DATA_HOME".to_owned(), format!("{home}/.local/share")),
            ("XDG_CONFIG_HOME".to_owned(), format!("{home}/.config")),
            ("XDG_CACHE_HOME".to_owned(), format!("{home}/.cache")),
            ("DBUS_SESSION_BUS_ADDRESS".to_owned(), bus.to_owned()),
        ]
    };
    // First, a computer without keychain (no session bus), whatever the machine running the test has.
    let first = desktop("unix:path=/nonexistent/bus");
    let driver = Driver::start(&first.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
    let mut app = driver.app(&artifacts("installed")).await;

    // Without keychain, nothing local is opened before the person agrees where the key goes.
    app.wait_text("Protéger vos données sur cet ordinateur").await;
    app.screenshot("sans-trousseau").await;
    app.click("#keep-keys-here").await;
    app.wait_text("Je me connecte").await;
    app.screenshot("premier-ecran").await;
    app.log_in(AGENT, AGENT_PASSWORD).await;
    app.wait_text("Comptes à analyser").await;
    app.screenshot("connecte-au-service").await;
    app.close().await;
    drop(driver);

    // An emailed link opens the app. The desktop session now has a bus (single instance).
    server.client().forgot_password(AGENT).await.unwrap();
    let link = server.emailed_app_link(AGENT, "Réinitialisation").await;
    assert!(link.starts_with("cqc://mot-de-passe?jeton="), "{link}");
    let bus = SessionBus::start();
    let session = desktop(&bus.address);
    let session: Vec<(&str, &str)> = session.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let xdg_open = |link: &str| {
        let opened = Command::new("xdg-open").arg(link).envs(session.iter().copied()).status().unwrap();
        assert!(opened.success(), "xdg-open finds the installed app for cqc://");
    };

    // Running: `xdg-open` (as a mail client does) starts a second app, which hands the link
    // to the running one and exits; the running one shows the link's screen.
    let driver = Driver::start(&session);
    let mut app = driver.app(&artifacts("installed-lien")).await;
    app.wait_text("Comptes à analyser").await;
    xdg_open(&link);
    app.wait_text("Je redéfinis mon mot de passe").await;
    app.wait_text(AGENT).await;
    app.screenshot("lien-ouvert-app-lancee").await;
    app.close().await;
    drop(driver);

    // Not running: the desktop starts the app with the link as its argument (the entry's
    // `Exec=cqc-desktop %u`, which xdg-open runs), and it opens on the link's screen.
    let driver = Driver::start(&session);
    let mut app = driver.app_with_args(&artifacts("installed-lien-au-demarrage"), &[&link]).await;
    app.wait_text("Je redéfinis mon mot de passe").await;
    app.screenshot("lien-ouvert-au-demarrage").await;
    app.close().await;
    drop(driver);
    let handler = Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/cqc"])
        .envs(session.iter().copied())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&handler.stdout).trim(), "CQC.desktop", "the installed entry handles cqc://");
}
