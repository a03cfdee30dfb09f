//! The app as a package installed it (`/usr/bin/cqc-desktop` from the `.deb`), started as a
//! person would start it, with its own data folder under the person's home: its first screen
//! appears (on a computer without keychain, after the question of where the data's key goes) and
//! it reaches the central service. `scripts/install-test.sh` builds the package,
//! installs it, runs this test and removes the package.

mod support;

use support::{artifacts, Driver, Server};

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
    let driver = Driver::start(&[
        ("CQC_SERVER_URL", &server.url),
        ("HOME", &home),
        ("XDG_DATA_HOME", &format!("{home}/.local/share")),
        ("XDG_CONFIG_HOME", &format!("{home}/.config")),
        ("XDG_CACHE_HOME", &format!("{home}/.cache")),
        // A computer without keychain (no session bus), whatever the machine running the test has.
        ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
    ]);
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
}
