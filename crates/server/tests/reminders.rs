//! Reminders (issue 14): before the code 95 expiry of a driver's card, 6, 3 and 1 months before,
//! never to a driver who trained again; a month before the end of a certificate's window, never
//! to a driver who applied. By email and notification, once each. The clock moves years ahead.
//! Run on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::{complete_draft, delivered_card, driver_with_training};
use common::TestServer;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_server::clock::Clock;
use cqc_sync::protocol::{Change, Mutation, PushRequest};
use sqlx::Row;
use time::{Date, Duration, OffsetDateTime, Time};

const HOLDER: &str = "conducteur1@exemple.fr";

async fn code95_expiry(server: &TestServer) -> Date {
    let row = sqlx::query("SELECT code95_expiry FROM cards").fetch_one(&server.state.db.pool).await.unwrap();
    cqc_domain::registration::parse_iso_date(&row.get::<String, _>("code95_expiry")).unwrap()
}

/// Moves the clock to 10:00 UTC on `day` (11:00 or 12:00 in Paris: that French day).
fn move_to(server: &TestServer, day: Date) {
    let target = OffsetDateTime::new_utc(day, Time::from_hms(10, 0, 0).unwrap());
    server.clock.advance(target - server.clock.now());
}

/// Not reminded the day before `day`, reminded on `day`, and only once.
async fn reminded_from(server: &TestServer, day: Date) {
    let round = || cqc_server::reminders::round(&server.state);
    move_to(server, day - Duration::days(1));
    assert_eq!(round().await.unwrap(), 0, "the day before {day}");
    move_to(server, day);
    assert_eq!(round().await.unwrap(), 1, "on {day}");
    assert_eq!(round().await.unwrap(), 0, "once");
}

fn reminders_received(server: &TestServer) -> usize {
    server.emails_to(HOLDER).iter().filter(|e| e.contains("Votre code 95 expire le")).count()
}

#[tokio::test]
async fn a_driver_who_has_not_applied_is_reminded_a_month_before_the_certificate_window_closes() {
    let server = TestServer::start().await;
    driver_with_training(&server, 1).await;
    let last_day = window_end_of(&server, HOLDER).await;
    let round = || cqc_server::reminders::round(&server.state);
    assert_eq!(round().await.unwrap(), 0, "four months ahead");
    reminded_from(&server, cqc_domain::calendar::add_months(last_day, -1)).await;
    let on = cqc_documents::french_date(&last_day.to_string());
    let email = server.email(HOLDER, &format!("Demandez votre carte avant le {on}")).await;
    assert!(email.contains("« Commencer »"), "{email}");
    let session = server.client().login(HOLDER, common::PASSWORD).await.unwrap();
    let told = server.authed(&session).notifications().await.unwrap();
    assert!(told.iter().any(|n| n.title == format!("Demandez votre carte avant le {on}")));
}

#[tokio::test]
async fn a_driver_who_applied_is_not_reminded_of_the_certificate_window() {
    let server = TestServer::start().await;
    // One who started an application (a draft is a start)...
    let session = driver_with_training(&server, 1).await;
    complete_draft(&server.authed(&session)).await;
    // ...and one whose card was made from the certificate.
    delivered_card(&server, 2).await;
    let last_day = window_end_of(&server, HOLDER).await;
    move_to(&server, cqc_domain::calendar::add_months(last_day, -1));
    assert_eq!(cqc_server::reminders::round(&server.state).await.unwrap(), 0);
}

/// The last day of the window of the certificate of the driver at `email`.
async fn window_end_of(server: &TestServer, email: &str) -> Date {
    let row = sqlx::query(
        "SELECT c.valid_until FROM certificates c JOIN accounts a ON a.id = c.driver_id WHERE a.email = $1",
    )
    .bind(email)
    .fetch_one(&server.state.db.pool)
    .await
    .unwrap();
    cqc_domain::registration::parse_iso_date(&row.get::<String, _>("valid_until")).unwrap()
}

#[tokio::test]
async fn a_card_holder_is_reminded_six_three_and_one_months_before_the_code95_expiry_once_each() {
    let server = TestServer::start().await;
    delivered_card(&server, 1).await;
    let expiry = code95_expiry(&server).await;
    let round = || cqc_server::reminders::round(&server.state);
    assert_eq!(round().await.unwrap(), 0, "years ahead");

    reminded_from(&server, cqc_domain::calendar::add_months(expiry, -6)).await;
    let on = cqc_documents::french_date(&expiry.to_string());
    let email = server.email(HOLDER, &format!("Votre code 95 expire le {on}")).await;
    assert!(email.contains("formation continue obligatoire (FCO)"), "{email}");

    for months in [3, 1] {
        move_to(&server, cqc_domain::calendar::add_months(expiry, -months));
        assert_eq!(round().await.unwrap(), 1, "{months} months before");
        assert_eq!(round().await.unwrap(), 0);
    }
    move_to(&server, expiry - Duration::days(1));
    assert_eq!(round().await.unwrap(), 0);
    move_to(&server, expiry + Duration::days(1));
    assert_eq!(round().await.unwrap(), 0, "nothing after the expiry");

    for _ in 0..100 {
        if reminders_received(&server) >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(reminders_received(&server), 3, "one email a threshold");
    let session = server.client().login(HOLDER, common::PASSWORD).await.unwrap();
    let told = server.authed(&session).notifications().await.unwrap();
    assert_eq!(told.iter().filter(|n| n.title == "Votre code 95 expire bientôt").count(), 3);
}

#[tokio::test]
async fn a_driver_who_trained_again_before_the_reminder_is_not_reminded() {
    let server = TestServer::start().await;
    delivered_card(&server, 1).await;
    let expiry = code95_expiry(&server).await;
    // Seven months before the expiry, the driver follows an FCO: the code 95 runs five more years.
    let trained_on = cqc_domain::calendar::add_months(expiry, -7);
    move_to(&server, trained_on);
    let record = TrainingRecordInput {
        licence_number: "13AA00001".into(),
        start_date: (trained_on - Duration::days(4)).to_string(),
        end_date: trained_on.to_string(),
        ..valid_fco()
    };
    let centre = server.centre_staff("AGR-69-0042", "autre-poste@centre.fr").await;
    let mutation = Mutation {
        seq: 1,
        id: uuid::Uuid::new_v4().to_string(),
        change: Change::RecordTraining { training_id: "fco-2031".into(), record },
    };
    centre.push(&PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations: vec![mutation] }).await.unwrap();
    assert_eq!(server.count("certificates").await, 2);

    let round = || cqc_server::reminders::round(&server.state);
    for months in [6, 3, 1] {
        move_to(&server, cqc_domain::calendar::add_months(expiry, -months));
        assert_eq!(round().await.unwrap(), 0, "{months} months before the old expiry: the driver acted");
    }
    assert_eq!(reminders_received(&server), 0);
}

#[test]
fn the_reminder_months_are_a_setting_and_bad_ones_are_refused() {
    use clap::Parser;
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        config: cqc_server::Config,
    }
    let parsed = |args: &[&str]| Cli::try_parse_from([&["cqc-server"], args].concat()).map(|cli| cli.config);
    assert_eq!(parsed(&[]).unwrap().code95_reminder_months, vec![6, 3, 1]);
    assert_eq!(parsed(&["--code95-reminder-months", "4,2"]).unwrap().code95_reminder_months, vec![4, 2]);
    assert!(parsed(&["--code95-reminder-months", "0"]).is_err(), "zero months is no reminder");
    assert!(parsed(&["--code95-reminder-months", "six"]).is_err());
    assert_eq!(parsed(&[]).unwrap().certificate_reminder_months, vec![1]);
    assert!(parsed(&["--certificate-reminder-months", "4"]).is_err(), "the window is 4 months");
}
