//! Guide steps 04 and 08 in the real app against a real server: with the server stopped, centre
//! staff record a training; the server comes back and the app syncs; the driver logs in, sees the
//! recap and the certificate, and downloads the certificate's PDF. Needs a display (Xvfb) and
//! tauri-driver: `scripts/test.sh` runs it.

mod support;

use cqc_domain::registration::fixtures::valid_input;
use support::{artifacts, Driver, Server};

const CENTRE: &str = "AGR-69-0042";
const STAFF: &str = "formation@centre-venissieux.fr";
const PASSWORD: &str = "Camion-Rouge2024";
const DRIVER: &str = "jean.dupont@exemple.fr";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_training_recorded_offline_reaches_the_driver_as_a_recap_and_a_certificate() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start(&data.path().join("server")).await;
    server.centre_with_staff(CENTRE, STAFF, PASSWORD).await;
    server.active_driver(&valid_input(), PASSWORD).await;
    let app_data = data.path().join("app");
    let downloads = data.path().join("Téléchargements");
    let driver = Driver::start(&[
        ("CQC_SERVER_URL", &server.url),
        ("CQC_DATA_DIR", app_data.to_str().unwrap()),
        ("CQC_DOWNLOAD_DIR", downloads.to_str().unwrap()),
    ]);
    let mut app = driver.app(&artifacts("trainings")).await;

    // The centre's staff log in once with the network.
    app.log_in(STAFF, PASSWORD).await;
    app.wait_text("Espace centre de formation agréé").await;
    app.wait_section("formations").await;

    // The network is gone; the training is recorded anyway.
    server.stop().await;
    app.open_section("nouvelle-formation").await;
    app.type_into("#training-last_name", "Dupont").await;
    app.type_into("#training-first_names", "Jean Pierre").await;
    app.type_date("training-birth_date", "1985-03-14").await;
    app.choose("training-licence_kind", "card").await;
    app.type_into("#training-licence_number", "13AA00002").await;
    app.type_into("#training-email", DRIVER).await;
    app.choose("training-kind", "fco").await;
    app.choose("training-qualification", "goods").await;
    app.type_date("training-start_date", "2026-11-16").await;
    // A mistake first: an FCO without sequences lasts 5 consecutive days.
    app.type_date("training-end_date", "2026-11-18").await;
    app.type_into("#training-hours", "35").await;
    app.choose("training-outcome", "passed").await;
    app.click("#save-training").await;
    app.wait_text("la FCO dure 5 jours consécutifs").await;
    app.screenshot("regle-fco-5-jours").await;
    app.type_date("training-end_date", "2026-11-20").await;
    app.click("#save-training").await;
    app.wait_text("elle sera envoyée à la prochaine synchronisation").await;
    // Saved, the list of trainings comes back with it.
    app.wait_section("formations").await;
    app.wait_css("#training-list li[data-state='pending']").await;
    app.wait_text("1 modification à envoyer").await;
    app.wait_text("Hors ligne").await;
    app.show("#training-list").await;
    app.screenshot("formation-hors-ligne").await;
    // Logging out now would leave it here: the app asks first, and says where it stays.
    app.click("#logout").await;
    app.wait_text("Pas encore envoyé au service : 1 formation. Ce travail reste sur cet ordinateur").await;
    app.screenshot("deconnexion-travail-non-envoye").await;
    app.click("#stay-connected").await;

    // The server is back: the app syncs (here on demand; it also does by itself).
    server.restart().await;
    app.wait_css("#sync-now:not([disabled])").await;
    app.click("#sync-now").await;
    app.wait_css("#training-list li[data-state='accepted']").await;
    app.wait_text("Tout est envoyé").await;
    app.screenshot("formation-acceptee").await;
    // Leaving the desk: « Verrouiller »; only the password opens it again, the work stays.
    app.click("#lock-now").await;
    app.wait_text("Application verrouillée").await;
    // What the lock covers is out of sight and out of the keyboard's reach, not merely beneath it.
    let behind = app.client.find(fantoccini::Locator::Css("#sync-now")).await.unwrap();
    assert!(!behind.is_displayed().await.unwrap(), "the space shows through the lock");
    app.type_into("#unlock-password", "pas-le-bon").await;
    app.click("#unlock").await;
    app.wait_text("Mot de passe incorrect (essai 1 sur 5").await;
    app.screenshot("application-verrouillee").await;
    app.type_into("#unlock-password", PASSWORD).await;
    app.click("#unlock").await;
    app.wait_gone(".lock-screen").await;
    // « Stagiaires »: the same trainee's next training starts from their identity.
    app.open_section("stagiaires").await;
    app.wait_text("1 sur 1").await;
    // Its CSV lands in the downloads folder under the list's own name.
    app.click("#export-trainees").await;
    app.wait_text("stagiaires-").await;
    let exported: Vec<_> = std::fs::read_dir(&downloads).unwrap().map(|e| e.unwrap().file_name()).collect();
    let trainees = exported.iter().find(|name| name.to_string_lossy().starts_with("stagiaires-"));
    let csv = std::fs::read_to_string(downloads.join(trainees.expect("the trainees' CSV"))).unwrap();
    assert!(csv.contains("13AA00002"), "{csv}");
    app.screenshot("stagiaires").await;
    app.click_button("Nouvelle formation de ce stagiaire").await;
    app.wait_section("nouvelle-formation").await;
    app.wait_value("#training-licence_number", "13AA00002").await;
    app.screenshot_each_section(&["formations", "nouvelle-formation", "import", "stagiaires"]).await;
    // « Importer un fichier CSV »: a workbook instead of its CSV says what to do; the file Excel
    // saves on a French Windows (Windows-1252, CRLF) is read with its accents.
    app.open_section("import").await;
    app.choose_file("#csv-file", "formations.xlsx", "application/octet-stream", b"PK\x03\x04\x14\x00\x06\x00").await;
    app.wait_text("C'est un classeur, pas son export CSV").await;
    let row =
        "Lefèvre;Renée;1990-07-01;carte;13AB00077;renee@exemple.fr;FCO;marchandises;2026-11-16;2026-11-20;35;;réussi;";
    let text = format!("{}\r\n{row}\r\n", cqc_domain::training_csv::HEADER);
    // Latin-1 letters are one byte each in Windows-1252, at their code point.
    let windows_1252: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    app.choose_file("#csv-file", "formations.csv", "text/csv", &windows_1252).await;
    app.wait_text("1 formation importée").await;
    app.screenshot("import-windows-1252").await;
    app.open_section("formations").await;
    app.wait_text("Lefèvre").await;
    // Sent before logging out (in the background, or at once on demand).
    app.wait_css("#sync-now:not([disabled])").await;
    app.click("#sync-now").await;
    app.wait_gone("#training-list li[data-state='pending']").await;
    app.click("#logout").await;

    // The driver sees the recap and the certificate, and saves the certificate as PDF.
    app.log_in(DRIVER, PASSWORD).await;
    app.open_section("mes-formations").await;
    app.wait_css("[data-testid=recap]").await;
    app.screenshot("mes-formations").await;
    app.open_section("mes-certificats").await;
    app.wait_css("[data-testid=certificate]").await;
    app.wait_text("Valable du").await;
    app.wait_text("20/11/2031").await;
    app.show("#my-certificates").await;
    app.screenshot("mes-certificats").await;
    app.click("#my-certificates button").await;
    app.wait_text("PDF enregistré").await;
    app.screenshot("pdf-enregistre").await;
    let saved: Vec<_> = std::fs::read_dir(&downloads)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        .collect();
    assert_eq!(saved.len(), 1, "one PDF in the downloads folder");
    let pdf = std::fs::read(saved[0].path()).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a real PDF");
    app.close().await;
}
