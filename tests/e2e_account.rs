//! Guide steps 01–03 in the real app against a real server: a driver creates an account, an
//! agent accepts it in the agent space, the driver sets the password from the emailed link and
//! reaches the personal space. Needs a display (Xvfb) and tauri-driver: `scripts/test.sh` runs it.

mod support;

use support::{artifacts, Driver, Server};

const AGENT: &str = "agent@cqc.localhost";
const AGENT_PASSWORD: &str = "Agent-Passe-2024!";
const DRIVER: &str = "jeanne.martin@exemple.fr";
const DRIVER_PASSWORD: &str = "Camion-Rouge2024";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_driver_registers_an_agent_accepts_and_the_driver_logs_in_with_the_emailed_link() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    server.create_agent(AGENT, AGENT_PASSWORD).await;
    let app_data = data.path().join("app");
    let driver = Driver::start(&[("CQC_SERVER_URL", &server.url), ("CQC_DATA_DIR", app_data.to_str().unwrap())]);
    let mut app = driver.app(&artifacts("account")).await;

    // 01. « Créer un compte », profile « Particulier », the form.
    app.wait_text("Je me connecte").await;
    app.screenshot("connexion").await;
    app.click_button("Créer un compte").await;
    app.click("#profile-particulier").await;
    // Sent empty: every field says what is missing, and the focus is on the first one to correct.
    app.click("#submit-registration").await;
    app.wait_css(".field-error").await;
    app.wait_focus_on_first_error().await;
    app.screenshot("formulaire-a-corriger").await;
    app.click("#civility-madame").await;
    app.type_into("#last_name", "Martin").await;
    app.type_into("#first_names", "Jeanne").await;
    app.type_date("birth_date", "1990-06-21").await;
    app.type_into("#birth_city", "Nantes").await;
    app.type_into("#email", DRIVER).await;
    app.type_into("#mobile_phone", "06 12 34 56 78").await;
    app.type_into("#address_line1", "4 quai de la Fosse").await;
    app.type_into("#postcode", "44000").await;
    app.type_into("#city", "Nantes").await;
    app.click("#licence-kind-card").await;
    // The common mistake: the NEPH from the back of the card licence.
    app.type_into("#licence_number", "120575100123").await;
    app.wait_text("NEPH imprimé au verso").await;
    app.screenshot("aide-numero-de-permis-neph").await;
    app.type_into("#licence_number", "13AA00042").await;
    app.wait_text("numéro d'ordre").await;
    for consent in ["consent_privacy_policy", "consent_terms_of_use", "consent_data_accuracy"] {
        app.click(&format!("#{consent}")).await;
    }
    app.screenshot("formulaire-rempli").await;
    // The last box ticked and the form sent at once, as a quick hand does.
    app.click("#consent_data_processing").await;
    app.click("#submit-registration").await;
    app.wait_text("Les données renseignées sont envoyées pour analyse").await;
    app.screenshot("demande-envoyee").await;

    // The next person at this computer finds the form empty: the sent request left no draft
    // behind (the form was sent at once after its last box was ticked).
    app.click_button("Revenir à l'application").await;
    app.click_button("Créer un compte").await;
    app.click("#profile-particulier").await;
    app.wait_value("#last_name", "").await;
    app.wait_value("#licence_number", "").await;
    app.click_button("Retour").await;

    // The agent analyses the request in the agent space of the same app.
    app.log_in(AGENT, AGENT_PASSWORD).await;
    app.wait_text("Comptes à analyser").await;
    // The queue searched as one types: a name without its accents, then nothing.
    app.type_into("#accounts-search", "zzz").await;
    app.wait_gone(&format!("button[data-email='{DRIVER}']")).await;
    app.type_into("#accounts-search", "MARTIN").await;
    app.wait_text("1 sur 1").await;
    app.click(&format!("button[data-email='{DRIVER}']")).await;
    app.wait_text("Demande de Jeanne Martin").await;
    app.screenshot("agent-dossier").await;
    app.click("#accept-registration").await;
    app.wait_text("Compte validé").await;
    app.screenshot("agent-compte-valide").await;
    app.click("#logout").await;

    // 02. The emailed « Créer mon mot de passe » link, pasted in the app.
    let link = server.emailed_link(DRIVER, "créez votre mot de passe").await;
    app.click_button("J'ai reçu un lien").await;
    app.type_into("#pasted-link", &link).await;
    app.click("#open-link").await;
    app.type_into("#new-password", "court").await;
    app.wait_text("12 caractères minimum").await;
    app.screenshot("mot-de-passe-regles").await;
    app.type_into("#new-password", DRIVER_PASSWORD).await;
    app.type_into("#confirm-password", DRIVER_PASSWORD).await;
    app.click("#submit-password").await;
    app.wait_text("Votre mot de passe est enregistré").await;
    app.click("#back-to-app").await;

    // 03. The first login leads to the personal space.
    app.log_in(DRIVER, DRIVER_PASSWORD).await;
    app.wait_text("Bonjour Jeanne Martin").await;
    app.wait_text("Compte validé").await;
    assert!(app.text_of("[data-testid=greeting]").await.contains("Jeanne Martin"));
    app.screenshot("espace-personnel").await;

    // « Clôturer mon compte »: what goes and what stays is said first; a wrong password closes
    // nothing; the right one closes the account, which then cannot log in.
    app.open_section("mon-compte").await;
    app.click("#close-account").await;
    app.wait_text("Ce que la loi impose de conserver le reste").await;
    app.type_into("#closure-password", "Pas-le-bon-2024").await;
    app.click("#confirm-closure").await;
    app.wait_text("Mot de passe incorrect : votre compte n'a pas été clôturé.").await;
    app.screenshot("cloture-mot-de-passe-incorrect").await;
    app.type_into("#closure-password", DRIVER_PASSWORD).await;
    app.click("#confirm-closure").await;
    app.wait_text("Votre compte est clôturé. Un courriel vous le confirme.").await;
    app.screenshot("compte-cloture").await;
    app.click_button("Revenir à l'accueil").await;
    app.wait_text("Je me connecte").await;
    app.log_in(DRIVER, DRIVER_PASSWORD).await;
    app.wait_text("Adresse de messagerie ou mot de passe incorrect.").await;
    let email = cqc_testkit::outbox::Outbox::new(&server.data_dir.join("outbox"))
        .email(DRIVER, "Votre compte CQC est clôturé")
        .await;
    assert!(email.contains("10 ans"), "{email}");
    app.close().await;
}

/// The app started where there is no display (or a display not there yet, as an X server that
/// is resetting after the previous version's restart) waits for it a few seconds, then says why
/// it cannot open and stops: no panic deep inside GTK.
#[cfg(target_os = "linux")]
#[test]
fn the_app_without_a_display_says_so_and_exits() {
    let data = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cqc-desktop"))
        .env("DISPLAY", ":987")
        .env_remove("WAYLAND_DISPLAY")
        .env("CQC_DATA_DIR", data.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("the display cannot be opened"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}
