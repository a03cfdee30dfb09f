//! The administration space in the real app against a real server: the first administrator (made
//! on the command line) approves a centre and opens an account for its staff; the staff member sets
//! the password from the emailed link and records a training, which reaches the driver; fees are
//! scheduled from a start date; the journal shows who did what. Needs a display (Xvfb) and tauri-driver: `scripts/test.sh` runs it.

mod support;

use cqc_domain::calendar::french_day;
use cqc_domain::registration::fixtures::valid_input;
use support::{artifacts, Driver, Server};

const ADMIN: &str = "admin@cqc.localhost";
const STAFF: &str = "sam.formateur@centre-bron.fr";
const PASSWORD: &str = "Camion-Rouge2024";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app: needs Xvfb and tauri-driver (scripts/test.sh)"]
async fn an_administrator_approves_a_centre_whose_new_staff_then_records_a_training() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&data.path().join("server")).await;
    server.create_admin(ADMIN, PASSWORD).await;
    let driver = valid_input();
    server.active_driver(&driver, PASSWORD).await;
    let app_data = data.path().join("app");
    let tauri = Driver::start(&[("CQC_SERVER_URL", &server.url), ("CQC_DATA_DIR", app_data.to_str().unwrap())]);
    let mut app = tauri.app(&artifacts("admin")).await;

    // « Centres »: a number a certificate could not print is refused beside the form, then the
    // centre is approved.
    app.log_in(ADMIN, PASSWORD).await;
    app.wait_text("Administration du service").await;
    app.wait_section("centres").await;
    app.type_into("#centre-name", "Centre routier de Bron").await;
    app.type_into("#centre-approval", "AGR 69 2026").await;
    app.type_into("#centre-address", "12 avenue Franklin Roosevelt, 69500 Bron").await;
    app.click("#approve-centre").await;
    app.wait_text("sans espace").await;
    app.screenshot("numero-d-agrement-refuse").await;
    app.type_into("#centre-approval", "agr-69-2026-007").await;
    app.click("#approve-centre").await;
    app.wait_text("Centre agréé : Centre routier de Bron (AGR-69-2026-007).").await;
    app.wait_css("#centres tr[data-approval='AGR-69-2026-007']").await;
    app.screenshot("centre-agree").await;

    // « Agents »: an account for the centre's staff; an email goes out.
    app.open_section("agents").await;
    app.choose("staff-role", "centre_staff").await;
    app.choose("staff-centre", "AGR-69-2026-007").await;
    app.type_into("#staff-name", "Sam Formateur").await;
    app.type_into("#staff-email", STAFF).await;
    app.click("#invite-staff").await;
    app.wait_text(&format!("Compte ouvert : un courriel est parti vers {STAFF}.")).await;
    app.wait_css(&format!("#staff tr[data-email='{STAFF}'][data-status='awaiting_password']")).await;
    app.screenshot("compte-ouvert").await;

    // « Tarifs »: prices in force today never change (a table for today is refused), an amount
    // that is not one is caught beside its field; from tomorrow the table is scheduled « À venir »
    // and can still be cancelled.
    app.open_section("tarifs").await;
    app.wait_css("#fee-schedule tr[data-period='in_force']").await;
    let today = french_day(time::OffsetDateTime::now_utc());
    let tomorrow = today.next_day().unwrap().to_string();
    app.type_date("fees-starts-on", &today.to_string()).await;
    app.type_into("#fees-replacement_card", "28,00").await;
    app.type_into("#fees-reshipping", "six euros").await;
    app.click("#schedule-fees").await;
    app.wait_text("Saisissez un montant en euros, par exemple 25,00.").await;
    app.type_into("#fees-reshipping", "6,50").await;
    app.click("#schedule-fees").await;
    app.wait_text("Un tarif prend effet demain au plus tôt").await;
    app.screenshot("tarif-refuse").await;
    app.type_date("fees-starts-on", &tomorrow).await;
    app.click("#schedule-fees").await;
    app.wait_css(&format!("#fee-schedule tr[data-starts-on='{tomorrow}'][data-period='upcoming']")).await;
    app.wait_text("28,00").await;
    app.screenshot("tarif-programme").await;
    app.click(&format!("#cancel-fees-{tomorrow}")).await;
    app.click("#confirm-cancel-fees").await;
    app.wait_gone(&format!("#fee-schedule tr[data-starts-on='{tomorrow}']")).await;

    // « Journal »: who approved and who opened, newest first.
    app.open_section("journal").await;
    app.wait_css("#journal tr[data-action='staff_created']").await;
    app.wait_css("#journal tr[data-action='centre_approved']").await;
    app.wait_css("#journal tr[data-action='fees_cancelled']").await;
    app.choose("journal-action", "centre_approved").await;
    app.click("#filter-journal").await;
    app.wait_gone("#journal tr[data-action='staff_created']").await;
    app.screenshot("journal").await;
    app.click("#logout").await;

    // The staff member's link, pasted in the app: the password, then the centre's space.
    let link = server.emailed_link(STAFF, "Votre compte CQC est ouvert").await;
    app.click_button("J'ai reçu un lien").await;
    app.type_into("#pasted-link", &link).await;
    app.click("#open-link").await;
    app.type_into("#new-password", PASSWORD).await;
    app.type_into("#confirm-password", PASSWORD).await;
    app.click("#submit-password").await;
    app.wait_text("Votre mot de passe est enregistré").await;
    app.click("#back-to-app").await;
    app.log_in(STAFF, PASSWORD).await;
    app.wait_text("Espace centre de formation agréé").await;

    // The first training of the new centre, for a driver with an account.
    app.open_section("nouvelle-formation").await;
    app.type_into("#training-last_name", &driver.last_name).await;
    app.type_into("#training-first_names", &driver.first_names).await;
    app.type_date("training-birth_date", &driver.birth_date).await;
    app.choose("training-licence_kind", "card").await;
    app.type_into("#training-licence_number", &driver.licence_number).await;
    app.type_into("#training-email", &driver.email).await;
    app.choose("training-kind", "fco").await;
    app.choose("training-qualification", "goods").await;
    app.type_date("training-start_date", "2026-11-16").await;
    app.type_date("training-end_date", "2026-11-20").await;
    app.type_into("#training-hours", "35").await;
    app.choose("training-outcome", "passed").await;
    app.click("#save-training").await;
    app.wait_section("formations").await;
    app.click("#sync-now").await;
    app.wait_css("#training-list li[data-state='accepted']").await;
    app.screenshot("premiere-formation-du-centre").await;

    // It reached the driver, signed with the new centre's approval number.
    let session = server.client().login(&driver.email, PASSWORD).await.unwrap();
    let pulled = server.client().with_token(Some(session.token)).pull(0).await.unwrap();
    assert_eq!(pulled.recaps.len(), 1);
    assert_eq!(pulled.recaps[0].centre_approval_number, "AGR-69-2026-007");
    app.close().await;
}
