//! Guide steps 05, 06, 07 and 12 in the real app against a real server: a driver with a recent
//! training applies with scans, a photo from the (recorded) camera and a signature drawn with the
//! mouse; the agent asks for a new photo; the driver answers; the agent approves; the card is
//! printed, shipped and delivered; the driver activates it. Then the same application from login to
//! « Valider » with the keyboard alone (Tab, Enter, Space and the arrows, the signature included);
//! the photo filmed through the web view's camera where Rust reaches none; and a driver whose
//! code 95 expires in five months reminded by the service.
//! Needs a display (Xvfb) and tauri-driver: `scripts/test.sh` runs it.

mod support;

use cqc_domain::registration::fixtures::valid_input;
use support::{artifacts, App, Driver, Server};

const PASSWORD: &str = "Camion-Rouge2024";
const AGENT: &str = "agent.accueil@cqc.localhost";

fn scan() -> Vec<u8> {
    let mut jpeg = Vec::new();
    let page = image::RgbImage::from_fn(1200, 800, |x, y| {
        let line = (y / 40) % 2 == 0 && x > 100 && x < 1100;
        if line {
            image::Rgb([60, 60, 90])
        } else {
            image::Rgb([235, 238, 242])
        }
    });
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&page).unwrap();
    jpeg
}

/// The app films through the recorded camera (read by Rust, as nokhwa's frames are).
const RECORDED_CAMERA: (&str, &str) =
    ("CQC_CAMERA_FRAMES", concat!(env!("CARGO_MANIFEST_DIR"), "/crates/capture/frames"));
/// Rust finds no camera on this machine: the app films through the web view's, WebKit's mock one.
const WEB_VIEW_CAMERA: (&str, &str) = ("CQC_MOCK_CAMERA", "1");

/// The server with a driver whose training is recent, and the app with the given camera.
async fn driver_ready_to_apply(
    data: &std::path::Path,
    camera: (&str, &str),
) -> (Server, cqc_domain::registration::RegistrationInput, Driver) {
    let server = Server::start(&data.join("server")).await;
    let driver = valid_input();
    server.active_driver(&driver, PASSWORD).await;
    server.training_for(&driver.licence_number).await;
    let app_data = data.join("app");
    let downloads = data.join("telechargements");
    let tauri = Driver::start(&[
        ("CQC_SERVER_URL", &server.url),
        ("CQC_DATA_DIR", app_data.to_str().unwrap()),
        camera,
        ("CQC_DOWNLOAD_DIR", downloads.to_str().unwrap()),
    ]);
    (server, driver, tauri)
}

/// The photo step: waits for the live preview, then takes photos until the checks accept one
/// (the recorded camera plays good, dark, blurred and off-centre frames in turn), with a click or
/// with the keyboard.
async fn take_photo(app: &mut App, keyboard: bool) {
    app.wait_css("#camera-preview").await;
    app.screenshot("apercu-camera").await;
    for _ in 0..12 {
        app.wait_css("#photo-verdict[data-ok='true']").await;
        if keyboard {
            app.tab_and_enter("#take-photo").await;
        } else {
            app.click("#take-photo").await;
        }
        // Checked and sent: seconds on a busy machine (the preview keeps playing meanwhile).
        for _ in 0..100 {
            if app.client.find(fantoccini::Locator::Css("#id-photo")).await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    panic!("no photo was accepted");
}

/// The photo step's second path, for a computer where Rust reaches no camera (nokhwa lists none
/// here): the web view's own camera films (WebKit's mock camera, a test pattern on black), its
/// frames go to Rust, whose checks are said live, and « Prendre la photo » is refused for the
/// same reason as the verdict, by the same checks as the native camera's.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn where_rust_reaches_no_camera_the_photo_is_filmed_through_the_web_views_camera() {
    let data = tempfile::tempdir().unwrap();
    let (_server, driver, tauri) = driver_ready_to_apply(data.path(), WEB_VIEW_CAMERA).await;
    let mut app = tauri.app(&artifacts("camera-web")).await;
    app.log_in(&driver.email, PASSWORD).await;
    app.open_section("mes-demandes").await;
    app.click("#make-application").await;
    app.click("#start-application").await;
    app.click_button("Photo d'identité").await;

    app.wait_css(".photo-step[data-camera='web'] #camera-video").await;
    let verdict = app.wait_css("#photo-verdict[data-ok='false']").await;
    let size = app
        .client
        .execute("const v = document.querySelector('#camera-video'); return [v.videoWidth, v.videoHeight];", vec![])
        .await
        .unwrap();
    let size: Vec<u64> = serde_json::from_value(size).unwrap();
    assert!(size[0] >= 640 && size[1] >= 480, "the web view's camera plays at {size:?}");
    assert_eq!(verdict.text().await.unwrap(), "Trop sombre : éclairez votre visage");
    app.screenshot("apercu-camera-web").await;

    app.click("#take-photo").await;
    app.wait_text("Photo refusée — Trop sombre : éclairez votre visage.").await;
    app.screenshot("photo-camera-web-refusee").await;
    // The reason comes typed and the screen words it: in English, no French.
    app.click_button("English").await;
    app.wait_text("Photo refused — Too dark: light your face.").await;
    app.click_button("Français").await;
    assert!(app.client.find(fantoccini::Locator::Css("#id-photo")).await.is_err(), "no photo kept");

    // Leaving the step lets go of the camera.
    app.click_button("Signature").await;
    app.wait_gone("#camera-video").await;
    app.close().await;
}

async fn log_out(app: &App) {
    app.click("#logout").await;
    app.wait_css("#login-email").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_driver_applies_answers_a_correction_and_activates_the_card() {
    let data = tempfile::tempdir().unwrap();
    let (_server, driver, tauri) = driver_ready_to_apply(data.path(), RECORDED_CAMERA).await;
    let downloads = data.path().join("telechargements");
    let mut app = tauri.app(&artifacts("application")).await;

    // « Mes demandes » → « Faire une demande » → the required documents → « Commencer ».
    app.log_in(&driver.email, PASSWORD).await;
    // The home says what to do next: the certificate's days are counted.
    app.wait_text("faites votre demande de carte avant le").await;
    app.screenshot("accueil-prochaine-etape").await;
    // Its link opens « Mes demandes ».
    app.click_button("Mes demandes →").await;
    app.wait_section("mes-demandes").await;
    app.click_for_text("#make-application", "Pour faire la demande, munissez-vous de").await;
    app.screenshot("pieces-a-fournir").await;
    app.click("#start-application").await;

    // Identity card front and back, then the licence: chosen files, checked and sent.
    app.choose_file("#file-identity_front", "cni-recto.jpg", "image/jpeg", &scan()).await;
    app.wait_css("[data-document='identity_front'] p[data-uploaded='true']").await;
    // A file that lies about its type is refused, with the reason beside it.
    app.choose_file("#file-identity_back", "cni-verso.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE0 not a photo").await;
    app.wait_text("Ce fichier est illisible ou n'est pas du type annoncé").await;
    app.screenshot("fichier-refuse").await;
    app.choose_file("#file-identity_back", "cni-verso.jpg", "image/jpeg", &scan()).await;
    app.wait_css("[data-document='identity_back'] p[data-uploaded='true']").await;
    app.click_button("Suivant").await;
    app.choose_file("#file-driving_licence", "permis.jpg", "image/jpeg", &scan()).await;
    app.wait_css("[data-document='driving_licence'] p[data-uploaded='true']").await;
    app.click_button("Suivant").await;

    // The ID photo from the camera.
    take_photo(&mut app, false).await;
    app.screenshot("photo-prise").await;
    app.click_button("Suivant").await;

    // The signature, drawn with the mouse.
    let wave: Vec<(i64, i64)> = (0..40).map(|i| (-200 + i * 10, ((i as f64 / 3.0).sin() * 40.0) as i64)).collect();
    app.draw("#signature-pad", &wave).await;
    app.click("#keep-signature").await;
    app.wait_css("#signature-image").await;
    app.screenshot("signature").await;
    app.click_button("Suivant").await;

    // The delivery address, with a mistake first.
    app.type_into("#delivery-line1", "12 rue des Lilas").await;
    app.type_into("#delivery-postcode", "6900").await;
    app.type_into("#delivery-city", "Lyon").await;
    app.click("#save-address").await;
    app.wait_text("Un code postal français compte 5 chiffres").await;
    app.type_into("#delivery-postcode", "69003").await;
    app.click("#save-address").await;
    app.wait_text("Vérifiez votre demande").await;
    app.screenshot("recapitulatif").await;
    app.click("#submit-application").await;
    app.wait_text("Votre demande est envoyée au service de traitement").await;
    app.click_button("Fermer").await;
    app.wait_css("#applications li[data-status='submitted']").await;
    app.screenshot("demande-envoyee").await;
    log_out(&app).await;

    // The agent opens the file and asks for a new photo.
    app.log_in(AGENT, PASSWORD).await;
    app.open_section("demandes").await;
    app.wait_text("1 à traiter").await;
    app.screenshot("file-agent").await;
    app.click("button[data-driver]").await;
    app.wait_css("#review-state").await;
    app.type_into("#reason-photo", "Visage trop sombre : reprenez la photo face à une fenêtre").await;
    app.screenshot("dossier-agent").await;
    app.click("#request-application-correction").await;
    app.wait_text("Informations demandées au conducteur").await;
    app.click_button("Fermer").await;
    log_out(&app).await;

    // The driver sees the unread count in the menu, the notification, « en savoir plus », and
    // answers with a new photo.
    app.log_in(&driver.email, PASSWORD).await;
    app.wait_css("[data-testid='count-notifications']").await;
    app.open_section("notifications").await;
    app.wait_text("Informations complémentaires demandées").await;
    app.wait_css("#notifications li.unread").await;
    app.screenshot("notification-correction").await;
    // Seen: the count leaves the menu (the server keeps them read for every computer).
    app.wait_gone("[data-testid='count-notifications']").await;
    app.click_button("en savoir plus").await;
    app.wait_section("mes-demandes").await;
    app.wait_text("Visage trop sombre").await;
    app.click("#retake-photo").await;
    take_photo(&mut app, false).await;
    app.click("#send-answer").await;
    app.wait_text("Réponse envoyée").await;
    app.screenshot("reponse-envoyee").await;
    app.click_button("Fermer").await;
    log_out(&app).await;

    // The agent approves; the card is printed, shipped and delivered.
    app.log_in(AGENT, PASSWORD).await;
    // The agent's space reopens on the section left last.
    app.wait_section("demandes").await;
    app.click("button[data-driver]").await;
    // The licence read upright and enlarged from the keyboard, beside the typed identity.
    let licence = app.show("[data-document='driving_licence'] .viewer-frame").await;
    licence.send_keys("r+").await.unwrap();
    app.wait_css("[data-document='driving_licence'][data-turns='1'][data-zoom='1.5']").await;
    app.screenshot("dossier-agent-pieces").await;
    // Alt+A accepts; no other file waits.
    licence.send_keys(&(fantoccini::key::Key::Alt + "a")).await.unwrap();
    app.wait_text("Acceptée").await;
    app.wait_text("Aucun autre dossier en attente.").await;
    app.click_button("Fermer").await;
    app.open_section("cartes").await;
    // Each step waits for the card to show its new state before the next one.
    for (step, then) in
        [("Marquer imprimée", Some("printed")), ("Marquer expédiée", Some("shipped")), ("Marquer distribuée", None)]
    {
        app.click(".cards-in-production input[type='checkbox']").await;
        app.click_button(step).await;
        if let Some(status) = then {
            app.wait_css(&format!(".cards-in-production li[data-status='{status}']")).await;
        }
    }
    app.wait_text("Aucune carte en production").await;
    log_out(&app).await;

    // The driver checks the card and activates it.
    app.log_in(&driver.email, PASSWORD).await;
    app.wait_section("mes-demandes").await;
    // Back and forward between sections, as in a browser.
    app.open_section("mes-cartes").await;
    app.click_button("← Précédent").await;
    app.wait_section("mes-demandes").await;
    app.click_button("Suivant →").await;
    app.wait_section("mes-cartes").await;
    app.wait_css(".card-entry[data-status='delivered']").await;
    app.show(".cqc-card").await;
    app.screenshot("carte-recue").await;
    app.click("#activate-card").await;
    app.wait_css(".card-entry[data-status='activated']").await;
    app.wait_text("Carte activée").await;
    app.show(".card-entry[data-status='activated'] .cqc-card").await;
    app.screenshot("carte-activee").await;

    // « Mes données »: everything held about the driver, saved as one archive.
    app.open_section("mes-donnees").await;
    app.click("#download-my-data").await;
    app.wait_text("Archive enregistrée").await;
    app.show("#download-my-data").await;
    app.screenshot("mes-donnees").await;
    let archive = std::fs::read(downloads.join("mes-donnees-cqc.zip")).unwrap();
    assert!(archive.starts_with(b"PK") && archive.len() > 10_000, "a zip with the files: {} bytes", archive.len());
    app.screenshot_each_section(&[
        "accueil",
        "mes-demandes",
        "mes-cartes",
        "mes-formations",
        "mes-certificats",
        "mes-factures",
        "notifications",
        "mon-compte",
        "mes-donnees",
    ])
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_driver_goes_from_login_to_a_sent_application_with_the_keyboard_only() {
    let data = tempfile::tempdir().unwrap();
    let (_server, driver, tauri) = driver_ready_to_apply(data.path(), RECORDED_CAMERA).await;
    let mut app = tauri.app(&artifacts("clavier")).await;
    let enter = fantoccini::key::Key::Enter.to_string();

    // Tab to each field, type, Enter sends the form.
    app.tab_to("#login-email").await;
    app.retype_here(&driver.email).await;
    app.tab_to("#login-password").await;
    app.retype_here(PASSWORD).await;
    app.press(&enter).await;
    app.tab_and_enter("#menu-mes-demandes").await;
    app.wait_section("mes-demandes").await;
    app.tab_and_enter("#make-application").await;
    app.tab_and_enter("#start-application").await;

    // Each file choice is reached with Tab; the system's dialog it opens is not WebDriver's to
    // drive, so the file is handed to the field as the dialog would.
    for (kind, name) in [("identity_front", "cni-recto.jpg"), ("identity_back", "cni-verso.jpg")] {
        app.tab_to(&format!("#file-{kind}")).await;
        app.choose_file(&format!("#file-{kind}"), name, "image/jpeg", &scan()).await;
        app.wait_css(&format!("[data-document='{kind}'] p[data-uploaded='true']")).await;
    }
    app.tab_and_enter("#wizard-next").await;
    app.tab_to("#file-driving_licence").await;
    app.choose_file("#file-driving_licence", "permis.jpg", "image/jpeg", &scan()).await;
    app.wait_css("[data-document='driving_licence'] p[data-uploaded='true']").await;
    app.tab_and_enter("#wizard-next").await;
    take_photo(&mut app, true).await;
    app.tab_and_enter("#wizard-next").await;

    // The signature: Space puts the pen down, the arrows and the diagonals draw a zigzag, Space
    // lifts it.
    app.tab_to("#signature-pad").await;
    app.press(" ").await;
    use fantoccini::key::Key;
    let (right, rise, fall) = (char::from(Key::Right), char::from(Key::PageUp), char::from(Key::PageDown));
    let wave: String = (0..8).flat_map(|_| [right, rise, rise, rise, right, fall, fall, fall]).collect();
    app.press(&wave).await;
    app.press(" ").await;
    app.wait_text("Stylo levé.").await;
    app.tab_and_enter("#keep-signature").await;
    app.wait_css("#signature-image").await;
    app.screenshot("signature-au-clavier").await;
    app.tab_and_enter("#wizard-next").await;

    // The delivery address, then « Valider ».
    for (field, text) in [("line1", "12 rue des Lilas"), ("postcode", "69003"), ("city", "Lyon")] {
        app.tab_to(&format!("#delivery-{field}")).await;
        app.retype_here(text).await;
    }
    app.tab_and_enter("#save-address").await;
    app.wait_text("Vérifiez votre demande").await;
    app.tab_and_enter("#submit-application").await;
    app.wait_text("Votre demande est envoyée au service de traitement").await;
    app.screenshot("demande-envoyee-au-clavier").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_driver_whose_code_95_expires_in_five_months_is_reminded_in_the_app_and_by_email() {
    use cqc_domain::calendar::{add_months, french_day};
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    let driver = valid_input();
    // The last FCO ended 4 years and 7 months ago: the code 95 on the card runs 5 more months.
    let ended = add_months(french_day(time::OffsetDateTime::now_utc()), -55);
    server.delivered_card_after(&driver, PASSWORD, Some(ended)).await;
    let expiry = add_months(ended, 60);
    let shown = format!("{:02}/{:02}/{}", expiry.day(), expiry.month() as u8, expiry.year());
    // The service's reminder round (hourly; run now): the 6-month reminder, once.
    assert_eq!(cqc_server::reminders::round(&server.state).await.unwrap(), 1);
    assert_eq!(cqc_server::reminders::round(&server.state).await.unwrap(), 0, "never twice");
    cqc_testkit::outbox::Outbox::new(&server.data_dir.join("outbox"))
        .email(&driver.email, &format!("Votre code 95 expire le {shown}"))
        .await;

    let app_data = data.path().join("app");
    let tauri = Driver::start(&[("CQC_SERVER_URL", &server.url), ("CQC_DATA_DIR", app_data.to_str().unwrap())]);
    let mut app = tauri.app(&artifacts("rappel")).await;
    app.log_in(&driver.email, PASSWORD).await;
    // The home's latest notifications, and « Notifications » with its count.
    app.wait_text("Votre code 95 expire bientôt").await;
    app.screenshot("accueil-rappel").await;
    app.open_section("notifications").await;
    app.wait_text(&format!("expire le {shown}")).await;
    app.screenshot("rappel-code-95").await;
    app.close().await;
}
