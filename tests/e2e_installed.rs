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

    // A link altered on the way (or cut by a mail client): the app opens on « J'ai reçu un lien »
    // with the reason beside the field, nothing else happens.
    let altered = format!("cqc://mot-de-passe?jeton={}", "A".repeat(43));
    let driver = Driver::start(&session);
    let mut app = driver.app_with_args(&artifacts("installed-lien-altere"), &[&altered]).await;
    app.wait_text("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.").await;
    app.wait_text("J'ai reçu un lien").await;
    app.screenshot("lien-altere").await;
    app.close().await;
    drop(driver);
    let handler = Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/cqc"])
        .envs(session.iter().copied())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&handler.stdout).trim(), "CQC.desktop", "the installed entry handles cqc://");
}

/// The package of the next version, built and signed by `scripts/install-test.sh`: its path, the
/// version it carries, its signature by the release key the installed app carries, a signature
/// of the same package by another key, and the release key's public half.
struct NextVersion {
    version: String,
    package: Vec<u8>,
    signature: String,
    forged_signature: String,
    release_key: cqc_server::releases::ReleaseKey,
}

impl NextVersion {
    fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name}: set by scripts/install-test.sh"));
        let package = var("CQC_NEXT_PACKAGE");
        Self {
            version: var("CQC_NEXT_VERSION"),
            package: std::fs::read(&package).unwrap(),
            signature: std::fs::read_to_string(format!("{package}.sig")).unwrap(),
            forged_signature: std::fs::read_to_string(var("CQC_NEXT_FORGED_SIGNATURE")).unwrap(),
            release_key: cqc_server::releases::ReleaseKey::parse(&var("CQC_UPDATER_PUBKEY")).unwrap(),
        }
    }

    const NOTES: &str = "Les photos d'identité s'envoient plus vite.\nLe calendrier affiche les jours fériés.";

    /// Published as an operator does, with the release key's signature.
    async fn publish(&self, server: &Server) {
        self.publish_signed(server, &self.signature).await.expect("the next version is published");
    }

    async fn publish_signed(
        &self,
        server: &Server,
        signature: &str,
    ) -> Result<cqc_domain::release::AppVersion, cqc_server::releases::PublishError> {
        let package =
            cqc_server::releases::Package { target: "linux-x86_64-deb", bytes: self.package.clone(), signature };
        let clock = cqc_server::clock::SystemClock;
        let (db, documents) = (&server.state.db, &server.state.documents);
        cqc_server::releases::publish(db, documents, &clock, &self.release_key, &self.version, Self::NOTES, package)
            .await
    }

    /// Offered with another key's signature, as a compromised server would (the service itself
    /// refuses to publish it): written behind its back, into its database and its store.
    async fn forge(&self, server: &Server) {
        let refused = self.publish_signed(server, &self.forged_signature).await;
        assert!(
            matches!(refused, Err(cqc_server::releases::PublishError::NotTheReleaseKey)),
            "the service publishes no package its apps would refuse"
        );
        let target = cqc_domain::release::UpdateTarget::parse("linux-x86_64-deb").unwrap();
        let version = self.version.parse().unwrap();
        let key = cqc_server::releases::package_key(&version, target);
        server.state.documents.put(&key, self.package.clone()).await.unwrap();
        let mut conn = server.state.db.pool.acquire().await.unwrap();
        let size = self.package.len() as i64;
        let now = time::OffsetDateTime::now_utc();
        cqc_server::db::releases::publish(
            &mut conn,
            &self.version,
            Self::NOTES,
            target.as_str(),
            &self.forged_signature,
            size,
            now,
        )
        .await
        .unwrap();
    }
}

fn installed_version() -> String {
    let output = Command::new("dpkg-query").args(["-W", "-f", "${Version}", "cqc"]).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// The processes running the installed binary as it is now on disk (not a replaced one).
fn installed_app_processes() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe"))
                .is_ok_and(|exe| exe == std::path::Path::new("/usr/bin/cqc-desktop"))
        })
        .collect()
}

/// How many times the service (in this process) answered an app « up to date » (204) on the
/// update check.
fn up_to_date_answers() -> u64 {
    let metrics = cqc_server::observe::recorder().render();
    metrics
        .lines()
        .filter(|line| {
            line.starts_with("http_requests_total{")
                && line.contains("/updates/{target}/{current_version}")
                && line.contains("status=\"204\"")
        })
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed package and the next version's (scripts/install-test.sh), Xvfb and tauri-driver"]
async fn the_installed_app_refuses_a_forged_update_then_installs_the_signed_one_and_restarts_as_it() {
    let next = NextVersion::from_env();
    let installed = installed_version();
    assert_ne!(installed, next.version);
    let data = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let home = home.path().to_str().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    // A package that is not the one the release key signed (a compromised download server).
    next.forge(&server).await;

    let env = [
        ("CQC_SERVER_URL", server.url.as_str()),
        ("HOME", home),
        ("XDG_DATA_HOME", &format!("{home}/.local/share")),
        ("XDG_CONFIG_HOME", &format!("{home}/.config")),
        ("XDG_CACHE_HOME", &format!("{home}/.cache")),
        ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
    ]
    .map(|(k, v)| (k, v.to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let driver = Driver::start(&env);
    let screenshots = artifacts("installed-mise-a-jour");
    let mut app = driver.app(&screenshots).await;
    app.click("#keep-keys-here").await;
    app.wait_text(&format!("Mise à jour disponible : version {} (vous avez la version {installed}).", next.version))
        .await;
    app.wait_text("Le calendrier affiche les jours fériés.").await;
    app.screenshot("mise-a-jour-disponible").await;

    app.click("#install-update").await;
    app.wait_text("sa signature n'est pas celle du service CQC").await;
    app.screenshot("signature-refusee").await;
    assert_eq!(installed_version(), installed, "nothing was installed");
    app.wait_text("Je me connecte").await;

    // The service now offers the package with the release key's signature.
    next.publish(&server).await;
    app.click_button("Vérifier à nouveau").await;
    let running_before = installed_app_processes();
    let answered_before = up_to_date_answers();
    app.click("#install-update").await;
    let clicked = std::time::Instant::now();

    // The package is installed, the app exits and starts again as the new version: a new process
    // of the installed binary, whose update check the service answers « à jour ».
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let restarted = installed_app_processes().into_iter().any(|pid| !running_before.contains(&pid));
        if installed_version() == next.version && restarted && up_to_date_answers() > answered_before {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the app did not restart as {} (installed: {})",
            next.version,
            installed_version()
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    // The figure docs/measurements.md gives: from « Installer » to the new version asking the service.
    let figure = format!(
        "update to {}: downloaded, checked, installed and restarted in {:.1} s (package {:.1} MiB)\n",
        next.version,
        clicked.elapsed().as_secs_f64(),
        next.package.len() as f64 / (1024.0 * 1024.0)
    );
    std::fs::write(screenshots.join("duree.txt"), figure).unwrap();
    // The new version's process is in the driver's process group: stopped with it.
    drop(driver);
}
