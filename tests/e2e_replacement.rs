//! The guide's special cases 01–03 in the real app against a real server: a driver declares the
//! loss of the card, gives the addresses (a wrong postcode is refused beside its field),
//! validates, is refused by the bank, then pays with a card that needs the 3-D Secure step, and
//! downloads the invoice; the new card comes back as undelivered mail and the driver gives a new
//! address and pays the re-shipping fee. Needs a display (Xvfb) and tauri-driver:
//! `scripts/test.sh` runs it.

mod support;

use cqc_domain::card::CardEvent;
use cqc_domain::registration::fixtures::valid_input;
use cqc_domain::registration::RegistrationInput;
use support::{artifacts, App, Driver, Server, SystemNotifications};

const PASSWORD: &str = "Camion-Rouge2024";

async fn pay_with(app: &App, number: &str) {
    app.type_into("#bank-card-holder", "Jean Dupont").await;
    app.type_into("#bank-card-number", number).await;
    app.type_into("#bank-card-expiry", "12/30").await;
    app.type_into("#bank-card-code", "123").await;
    app.click("#pay-button").await;
}

/// A driver whose card was delivered, and the app started for them (screenshots in `test`).
struct Started {
    server: Server,
    driver: RegistrationInput,
    card_id: String,
    downloads: std::path::PathBuf,
    /// Kept alive while the app runs: dropping it stops the app.
    tauri: Driver,
    app: App,
    _data: tempfile::TempDir,
}

async fn start(test: &str) -> Started {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    let driver = valid_input();
    let card_id = server.delivered_card(&driver, PASSWORD).await;
    let downloads = data.path().join("telechargements");
    let app_data = data.path().join("app");
    let tauri = Driver::start(&[
        ("CQC_SERVER_URL", &server.url),
        ("CQC_DATA_DIR", app_data.to_str().unwrap()),
        ("CQC_DOWNLOAD_DIR", downloads.to_str().unwrap()),
    ]);
    let app = tauri.app(&artifacts(test)).await;
    Started { server, driver, card_id, downloads, tauri, app, _data: data }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_lost_card_is_paid_with_3d_secure_and_a_returned_card_goes_to_a_new_address() {
    // `_data` first: it is dropped last, after the app has stopped.
    let Started { _data, mut server, driver, card_id, downloads, tauri: _tauri, mut app } = start("replacement").await;

    // « Mes demandes » → « Remplacement, Echange » → the card, « Perte » → « Commencer ».
    app.log_in(&driver.email, PASSWORD).await;
    app.open_section("mes-cartes").await;
    app.wait_text("Distribuée").await;
    app.click("#replacement-start").await;
    app.choose("replacement-card", &card_id).await;
    app.click("#reason-loss").await;
    app.show("#start-replacement").await;
    app.screenshot("motif").await;
    app.click("#start-replacement").await;

    // The declaration: the commitment to return the card if found.
    app.click("#commitment").await;
    app.click("#save-declaration").await;
    app.wait_text("Déclaration enregistrée.").await;
    app.click("#replacement-next").await;

    // The addresses: delivery as on the card; a billing postcode too short is refused beside it.
    app.wait_value("#replacement-delivery-city", &driver.address.city).await;
    app.click("#save-delivery").await;
    app.wait_text("Adresse de livraison enregistrée.").await;
    app.type_into("#billing-line1", "5 place Bellecour").await;
    app.type_into("#billing-postcode", "6900").await;
    app.type_into("#billing-city", "Lyon").await;
    app.click("#save-billing").await;
    app.wait_css("#billing-postcode-error").await;
    app.show("#billing-postcode").await;
    app.screenshot("code-postal-refuse").await;
    app.type_into("#billing-postcode", "69002").await;
    app.click("#save-billing").await;
    app.wait_text("Adresse de facturation enregistrée.").await;
    app.click("#replacement-next").await;

    // The summary, then « Valider »: the payment form follows.
    app.wait_css("#replacement-summary").await;
    app.wait_text("30,00").await;
    app.show("#replacement-summary").await;
    app.screenshot("recapitulatif").await;
    app.click("#validate-replacement").await;
    app.wait_css("#payment-form").await;

    // A mistyped card number is caught before anything is sent.
    pay_with(&app, "4242 4242 4242 4241").await;
    app.wait_css("#bank-card-number-error").await;
    // The bank refuses: the reason in French, nothing charged, the request intact.
    pay_with(&app, "4000 0000 0000 9995").await;
    app.wait_css("#payment-refused").await;
    app.wait_text("provision insuffisante").await;
    app.show("#payment-refused").await;
    app.screenshot("paiement-refuse").await;

    // A card that needs the 3-D Secure step: the code from the bank, then the invoice.
    pay_with(&app, "4000 0000 0000 3220").await;
    app.wait_css("#challenge-code").await;
    app.show("#challenge").await;
    app.screenshot("3d-secure").await;
    app.type_into("#challenge-code", "123456").await;
    app.click("#challenge-confirm").await;
    app.wait_css("#payment-result[data-status='approved']").await;
    app.wait_text("Paiement accepté").await;
    app.click("#download-invoice").await;
    app.wait_css("#invoice-saved").await;
    app.show("#payment-result").await;
    app.screenshot("facture-telechargee").await;
    let saved: Vec<_> = std::fs::read_dir(&downloads).unwrap().filter_map(Result::ok).collect();
    assert_eq!(saved.len(), 1);
    let name = saved[0].file_name().to_string_lossy().into_owned();
    assert!(name.starts_with("facture-FAC-") && name.ends_with(".pdf"), "{name}");
    assert!(std::fs::read(saved[0].path()).unwrap().starts_with(b"%PDF"));
    app.click("#close-replacement").await;
    app.wait_css("#replacements li[data-status='in_production']").await;
    app.open_section("mes-factures").await;
    app.wait_css("#invoices").await;
    app.show("#invoices").await;
    app.screenshot("mes-factures").await;

    // The new card is made and shipped; the post brings it back.
    let cards = server.client();
    let session = cards.login(&driver.email, PASSWORD).await.unwrap();
    let mine = cards.with_token(Some(session.token)).my_cards().await.unwrap();
    let new_card = mine.iter().find(|c| c.id != card_id).unwrap().id.clone();
    let system = SystemNotifications::watch();
    for event in [CardEvent::Print, CardEvent::Ship, CardEvent::ReturnUndelivered] {
        server.card_step(&new_card, event, PASSWORD).await;
    }
    // The app, open all along, learns of them (here when the network comes back; else within a
    // minute) and has the system show them.
    server.stop().await;
    app.wait_css("[data-testid='offline-notice']").await;
    server.restart().await;
    app.wait_gone("[data-testid='offline-notice']").await;
    system.wait_for("Pli non distribué").await;
    app.click("#logout").await;
    app.log_in(&driver.email, PASSWORD).await;
    app.wait_section("mes-factures").await;
    app.open_section("mes-cartes").await;
    app.wait_text("Pli non distribué").await;

    // « pli non distribué » under the card's picture → a new address → the re-shipping fee.
    app.click(&format!("#returned-{new_card}")).await;
    app.show("#returned-card").await;
    app.screenshot("pli-non-distribue").await;
    app.click("#address-wrong").await;
    app.wait_css("#new-address-line1").await;
    app.show("#returned-card").await;
    app.screenshot("nouvelle-adresse").await;
    app.type_into("#new-address-line1", "8 quai Saint-Vincent").await;
    app.type_into("#new-address-postcode", "69001").await;
    app.type_into("#new-address-city", "Lyon").await;
    app.click("#save-new-address").await;
    app.wait_css("#pending-address").await;
    app.wait_text("7,20").await;
    app.show("#payment-form").await;
    app.screenshot("frais-de-reexpedition").await;
    pay_with(&app, "4242 4242 4242 4242").await;
    app.wait_css("div.card-entry[data-status='to_resend']").await;
    app.wait_text("Votre carte va vous être renvoyée.").await;
    app.show("div.card-entry[data-status='to_resend']").await;
    app.screenshot("carte-a-renvoyer").await;
    app.open_section("mes-factures").await;
    app.wait_css("#invoices tbody tr:nth-child(2)").await;
    app.show("#invoices").await;
    app.screenshot("deux-factures").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn a_defective_card_goes_back_with_its_coupon_and_the_drivers_error_is_fixed_and_paid() {
    // `_data` first: it is dropped last, after the app has stopped.
    let Started { _data, server, driver, card_id, downloads, tauri: _tauri, mut app } =
        start("replacement-quality").await;

    // « Qualité »: the defect and its count, the delivery address, no payment yet, the coupon.
    app.log_in(&driver.email, PASSWORD).await;
    app.open_section("mes-cartes").await;
    app.click("#replacement-start").await;
    app.choose("replacement-card", &card_id).await;
    app.click("#reason-quality").await;
    app.click("#start-replacement").await;
    app.type_into("#defect-description", "La date de naissance imprimée est illisible").await;
    app.type_into("#defective-elements", "1").await;
    app.click("#save-declaration").await;
    app.wait_text("Déclaration enregistrée.").await;
    app.click("#replacement-next").await;
    app.click("#save-delivery").await;
    app.wait_text("Adresse de livraison enregistrée.").await;
    app.click("#replacement-next").await;
    app.wait_text("Sans frais").await;
    app.click("#validate-replacement").await;
    app.click("#save-coupon").await;
    app.wait_text("coupon-de-retour").await;
    app.show("#save-coupon").await;
    app.screenshot("coupon-de-retour").await;
    let coupon: Vec<_> = std::fs::read_dir(&downloads).unwrap().filter_map(Result::ok).collect();
    assert!(std::fs::read(coupon[0].path()).unwrap().starts_with(b"%PDF"));
    app.click("#close-replacement").await;
    app.click("#logout").await;

    // The agent records the card's arrival, then an error that is the driver's.
    app.log_in("agent.accueil@cqc.localhost", PASSWORD).await;
    app.open_section("remplacements").await;
    let session = server.client().login(&driver.email, PASSWORD).await.unwrap();
    let replacements = server.client().with_token(Some(session.token)).replacements().await.unwrap();
    let id = &replacements[0].id;
    app.click(&format!("#received-{id}")).await;
    app.click(&format!("#fault-{id}-driver")).await;
    app.type_into(&format!("#analysis-note-{id}"), "Carte pliée : conservez-la à plat").await;
    app.show(&format!("#record-analysis-{id}")).await;
    app.screenshot("analyse-agent").await;
    app.click(&format!("#record-analysis-{id}")).await;
    app.wait_css("#agent-replacements li[data-status='awaiting_driver_fix']").await;
    app.click("#logout").await;

    // The driver is told, opens the request from « en savoir plus », corrects and pays.
    app.log_in(&driver.email, PASSWORD).await;
    app.open_section("notifications").await;
    app.wait_text("Remplacement : une correction est attendue").await;
    app.click_button("en savoir plus").await;
    app.wait_section("mes-cartes").await;
    app.wait_text("Carte pliée : conservez-la à plat").await;
    app.type_into("#fix-correction", "Je conserve désormais la carte dans un étui rigide").await;
    app.type_into("#fix-billing-line1", "5 place Bellecour").await;
    app.type_into("#fix-billing-postcode", "69002").await;
    app.type_into("#fix-billing-city", "Lyon").await;
    app.click("#send-fix").await;
    app.wait_css("#payment-form").await;
    app.show("#payment-form").await;
    app.screenshot("correction-puis-paiement").await;
    pay_with(&app, "4242 4242 4242 4242").await;
    app.wait_css("#payment-result[data-status='approved']").await;
    app.show("#payment-result").await;
    app.screenshot("remplacement-paye").await;
    app.close().await;
}
