//! The administration space's contract: an administrator (the first one made on the command line)
//! approves centres, opens staff accounts that set their password from an emailed link, deactivates
//! them, schedules fees, and reads the journal. Runs on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::delivered_card;
use common::replacements::{for_replacement, payment, replacement_awaiting_payment};
use common::{driver, TestServer, ADMIN_EMAIL, PASSWORD};
use cqc_client::client::{ApiClient, ClientError};
use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::administration::StaffRole;
use cqc_domain::audit::AuditAction;
use cqc_domain::billing::{Cents, FeeTable};
use cqc_domain::calendar::french_day;
use cqc_domain::fees::FeePeriod;
use cqc_domain::replacement::ReplacementReason;
use cqc_domain::training::{fixtures::valid_fco, TrainingRecordInput};
use cqc_server::clock::Clock as _;
use cqc_server::payments::test_cards;
use cqc_sync::admin::{JournalQuery, NewCentre, NewFees, NewStaff};
use cqc_sync::api::{ErrorCode, SetPasswordRequest};
use cqc_sync::protocol::{Change, Mutation, Outcome, PushRequest};

fn api_error<T: std::fmt::Debug>(result: Result<T, ClientError>) -> cqc_sync::api::ApiError {
    match result {
        Err(ClientError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn centre(approval: &str) -> NewCentre {
    NewCentre {
        name: "  Centre   routier de Bron 2 ".into(),
        approval_number: approval.into(),
        address: "12 avenue Franklin Roosevelt, 69500 Bron".into(),
    }
}

fn staff(role: StaffRole, email: &str, centre: Option<&str>) -> NewStaff {
    NewStaff { role, email: email.into(), display_name: "Sam Formateur".into(), centre: centre.map(Into::into) }
}

/// The invited person sets their password from the emailed link, then logs in.
async fn accept_invitation(server: &TestServer, email: &str) -> ApiClient {
    let token = server.link_token(email, "créez votre mot de passe").await;
    let password = SetPasswordRequest { token, password: PASSWORD.into(), confirmation: PASSWORD.into() };
    server.client().set_password(&password).await.unwrap();
    server.authed(&server.client().login(email, PASSWORD).await.unwrap())
}

#[tokio::test]
async fn an_administrator_approves_a_centre_whose_invited_staff_then_records_a_training() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let session = server.active_driver(&driver(1)).await;

    let approved = admin.approve_centre(&centre(" agr-69-2026-001 ")).await.unwrap();
    assert_eq!(approved.approval_number, "AGR-69-2026-001");
    assert_eq!(approved.name, "Centre routier de Bron 2");
    let invited = admin
        .invite_staff(&staff(StaffRole::CentreStaff, "sam@centre-bron.fr", Some("AGR-69-2026-001")))
        .await
        .unwrap();
    assert_eq!(invited.status, AccountStatus::AwaitingPassword);
    assert_eq!(invited.centre.as_deref(), Some("AGR-69-2026-001"));
    // Before the password is set, nobody can log in with a guess.
    assert_eq!(
        api_error(server.client().login("sam@centre-bron.fr", PASSWORD).await).code,
        ErrorCode::InvalidCredentials
    );

    let email = server.email("sam@centre-bron.fr", "Votre compte CQC est ouvert").await;
    assert!(email.contains("personnel d'un centre de formation agréé"), "{email}");
    let sam = accept_invitation(&server, "sam@centre-bron.fr").await;
    assert_eq!(sam.me().await.unwrap().role, Role::CentreStaff);
    let record = TrainingRecordInput { licence_number: "13AA00001".into(), ..valid_fco() };
    let mutation = Mutation {
        seq: 1,
        id: uuid::Uuid::new_v4().to_string(),
        change: Change::RecordTraining { training_id: "t-bron-1".into(), record },
    };
    let pushed = sam
        .push(&PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations: vec![mutation] })
        .await
        .unwrap();
    assert_eq!(pushed.results[0].outcome, Outcome::Accepted);
    let pulled = server.authed(&session).pull(0).await.unwrap();
    assert_eq!(pulled.recaps[0].centre_approval_number, "AGR-69-2026-001");

    let centres = admin.admin_centres().await.unwrap();
    assert_eq!(centres.iter().find(|c| c.id == approved.id).unwrap().staff, 1);
    // Every step is in the journal with its author.
    let journal = admin.journal(&JournalQuery { actor: Some("ADMIN@".into()), ..Default::default() }).await.unwrap();
    let actions: Vec<AuditAction> = journal.entries.iter().map(|e| e.action).collect();
    assert!(
        actions.contains(&AuditAction::CentreApproved) && actions.contains(&AuditAction::StaffCreated),
        "{actions:?}"
    );
    assert!(journal.entries.iter().all(|e| e.actor.as_deref() == Some(ADMIN_EMAIL)));
}

#[tokio::test]
async fn wrong_centres_and_accounts_are_refused_with_the_reason() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    for (approval, reason) in [
        ("", "obligatoire"),
        ("AGR 69 001", "sans espace"),
        ("AGR-XX", "au moins un chiffre"),
        (&"7".repeat(33), "32 caractères"),
    ] {
        let refused = api_error(admin.approve_centre(&centre(approval)).await);
        assert_eq!(refused.code, ErrorCode::InvalidRequest, "{approval}");
        assert!(refused.message.contains(reason), "{approval}: {}", refused.message);
    }
    let hidden = NewCentre { name: "Centre \u{202E}Bron".into(), ..centre("AGR-1") };
    assert!(api_error(admin.approve_centre(&hidden).await).message.contains("caractère invisible"));
    admin.approve_centre(&centre("AGR-1")).await.unwrap();
    assert_eq!(api_error(admin.approve_centre(&centre("agr-1")).await).code, ErrorCode::Conflict);

    for (input, reason) in [
        (staff(StaffRole::CentreStaff, "a@b.fr", None), "Choisissez le centre"),
        (staff(StaffRole::CentreStaff, "a@b.fr", Some("AGR-404")), "Aucun centre agréé"),
        (staff(StaffRole::Agent, "a@b.fr", Some("AGR-1")), "Seul le personnel d'un centre"),
        (staff(StaffRole::Agent, "pas-une-adresse", None), "Adresse de messagerie invalide"),
        (NewStaff { display_name: " ".into(), ..staff(StaffRole::Agent, "a@b.fr", None) }, "Le nom est obligatoire"),
    ] {
        let refused = api_error(admin.invite_staff(&input).await);
        assert!(refused.message.contains(reason), "{input:?}: {}", refused.message);
    }
    let taken = api_error(admin.invite_staff(&staff(StaffRole::Agent, ADMIN_EMAIL, None)).await);
    assert_eq!(taken.code, ErrorCode::Conflict);
    assert_eq!(server.count("accounts").await, 1, "nothing was created by the refused calls");
}

#[tokio::test]
async fn a_deactivated_agent_is_signed_out_and_cannot_log_in_again() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let invited = admin.invite_staff(&staff(StaffRole::Agent, "agent2@cqc.localhost", None)).await.unwrap();
    let agent = accept_invitation(&server, "agent2@cqc.localhost").await;
    assert!(agent.registration_queue().await.is_ok());

    let deactivated = admin.deactivate_staff(&invited.account_id).await.unwrap();
    assert_eq!(deactivated.status, AccountStatus::Deactivated);
    assert_eq!(api_error(agent.registration_queue().await).code, ErrorCode::Unauthenticated);
    assert_eq!(
        api_error(server.client().login("agent2@cqc.localhost", PASSWORD).await).code,
        ErrorCode::InvalidCredentials
    );
    // « Mot de passe oublié » does not open it again: no link goes out.
    let before = server.emails_to("agent2@cqc.localhost").len();
    server.client().forgot_password("agent2@cqc.localhost").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(server.emails_to("agent2@cqc.localhost").len(), before);
    assert_eq!(api_error(admin.deactivate_staff(&invited.account_id).await).code, ErrorCode::Conflict);
    // An administrator never locks themselves out; a driver's account is not staff.
    let me = admin.me().await.unwrap();
    assert_eq!(api_error(admin.deactivate_staff(&me.account_id).await).code, ErrorCode::Conflict);
    let journal = admin
        .journal(&JournalQuery { action: Some(AuditAction::StaffDeactivated), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(journal.entries.len(), 1);
    assert_eq!(journal.entries[0].subject_id, invited.account_id);
}

#[tokio::test]
async fn only_an_administrator_reaches_the_administration() {
    let server = TestServer::start().await;
    let driver = server.authed(&server.active_driver(&driver(2)).await);
    let agent = server.agent().await;
    for caller in [&driver, &agent] {
        assert_eq!(api_error(caller.admin_centres().await).code, ErrorCode::Forbidden);
        assert_eq!(api_error(caller.approve_centre(&centre("AGR-2")).await).code, ErrorCode::Forbidden);
        assert_eq!(api_error(caller.journal(&JournalQuery::default()).await).code, ErrorCode::Forbidden);
    }
    assert_eq!(api_error(server.client().admin_staff().await).code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn the_journal_reads_a_page_at_a_time_newest_first() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    for n in 0..105 {
        admin.approve_centre(&centre(&format!("AGR-{n}"))).await.unwrap();
    }
    let query = JournalQuery { action: Some(AuditAction::CentreApproved), ..Default::default() };
    let first = admin.journal(&query).await.unwrap();
    assert_eq!(first.entries.len(), 100);
    assert!(first.entries[0].detail.contains("AGR-104"), "{}", first.entries[0].detail);
    let rest = admin.journal(&JournalQuery { before: first.next_before, ..query }).await.unwrap();
    assert_eq!(rest.entries.len(), 5);
    assert_eq!(rest.next_before, None);
    for wrong in [0, -5, 1 << 53] {
        let refused = api_error(admin.journal(&JournalQuery { before: Some(wrong), ..Default::default() }).await);
        assert_eq!(refused.code, ErrorCode::InvalidRequest, "{wrong}");
    }
    let about_one = JournalQuery { subject: Some(first.entries[3].subject_id.clone()), ..Default::default() };
    assert_eq!(admin.journal(&about_one).await.unwrap().entries.len(), 1);
}

#[tokio::test]
async fn journal_lines_that_share_a_number_each_come_on_one_page() {
    // Before its numbers came from a counter, lines written at once could share one: 150 such
    // lines, paged through, each appear exactly once.
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let mut conn = server.state.db.pool.acquire().await.unwrap();
    for n in 0..150 {
        sqlx::query("INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at, seq) VALUES ($1, NULL, $2, $3, $4, 0, 7)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(AuditAction::CentreApproved.code())
            .bind(format!("centre-{n}"))
            .bind(format!("AGR-{n}"))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    drop(conn);
    let query = JournalQuery { action: Some(AuditAction::CentreApproved), ..Default::default() };
    let mut page = admin.journal(&query).await.unwrap();
    let mut seen: Vec<String> = Vec::new();
    loop {
        seen.extend(page.entries.iter().map(|e| e.subject_id.clone()));
        let Some(before) = page.next_before else { break };
        let next = JournalQuery { before: Some(before), before_id: page.next_before_id.clone(), ..query.clone() };
        page = admin.journal(&next).await.unwrap();
    }
    assert_eq!(seen.len(), 150);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 150, "a line on two pages");
    let alone = JournalQuery { before_id: Some("x".into()), ..Default::default() };
    assert_eq!(api_error(admin.journal(&alone).await).code, ErrorCode::InvalidRequest, "an id without its number");
}

/// The day after the server's today, as an ISO date, and `days` later still.
fn days_ahead(server: &TestServer, days: i64) -> String {
    (french_day(server.clock.now()) + time::Duration::days(days)).to_string()
}

/// The text of an invoice, as its reader sees it.
async fn invoice_text(client: &ApiClient, number: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facture.pdf");
    std::fs::write(&path, client.invoice_pdf(number).await.unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn log_in(server: &TestServer, driver: u32) -> ApiClient {
    server.authed(&server.client().login(&format!("conducteur{driver}@exemple.fr"), PASSWORD).await.unwrap())
}

async fn pay_and_read_invoice(client: &ApiClient, replacement_id: &str) -> (Cents, String) {
    let paid = client.pay(&payment(for_replacement(replacement_id), test_cards::APPROVED)).await.unwrap();
    let number = paid.invoice_number.expect("an invoice");
    let total = client.invoices().await.unwrap().into_iter().find(|i| i.number == number).unwrap().total;
    (total, invoice_text(client, number.as_str()).await)
}

#[tokio::test]
async fn a_fee_change_prices_the_requests_begun_from_its_day_and_never_those_begun_before() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let (before, card_before) = delivered_card(&server, 1).await;
    let (_, card_after) = delivered_card(&server, 2).await;
    // Begun today, at today's fees (25,00 € + 20 %), paid after the change.
    let begun_before = replacement_awaiting_payment(&before, &card_before, ReplacementReason::Loss).await;

    let new_fees = FeeTable { replacement_card: Cents(2800), vat_basis_points: 1000, ..FeeTable::default() };
    let tomorrow = days_ahead(&server, 1);
    let scheduled = admin.schedule_fees(&NewFees { starts_on: tomorrow.clone(), fees: new_fees }).await.unwrap();
    assert_eq!((scheduled.period, scheduled.scheduled_by.as_deref()), (FeePeriod::Upcoming, Some(ADMIN_EMAIL)));
    assert_eq!(before.fees().await.unwrap()[0].gross, Cents(3000), "not before its day");

    server.clock.advance(time::Duration::days(1));
    // A day later every session has ended: each logs in again.
    let admin = server.admin().await;
    let (before, after) = (log_in(&server, 1).await, log_in(&server, 2).await);
    let periods: Vec<(String, FeePeriod)> =
        admin.fee_schedule().await.unwrap().into_iter().map(|f| (f.starts_on, f.period)).collect();
    assert_eq!(periods, [(tomorrow, FeePeriod::InForce), ("2000-01-01".into(), FeePeriod::Past)]);
    assert_eq!(after.fees().await.unwrap()[0].gross, Cents(3080));
    assert_eq!(before.replacement(&begun_before).await.unwrap().price.unwrap().gross, Cents(3000));

    let (total, invoice) = pay_and_read_invoice(&before, &begun_before).await;
    assert_eq!(total, Cents(3000));
    assert!(invoice.contains("20,00 %") && !invoice.contains("10,00 %"), "{invoice}");
    let begun_after = replacement_awaiting_payment(&after, &card_after, ReplacementReason::Loss).await;
    let (total, invoice) = pay_and_read_invoice(&after, &begun_after).await;
    assert_eq!(total, Cents(3080));
    assert!(invoice.contains("10,00 %") && invoice.contains("28,00"), "{invoice}");
    assert_eq!(server.sandbox.charged().await.unwrap(), (2, Cents(6080)));
}

#[tokio::test]
async fn wrong_fee_tables_are_refused_with_the_reason_and_only_upcoming_ones_are_cancelled() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let fees = |starts_on: String, fees: FeeTable| NewFees { starts_on, fees };
    for (input, reason) in [
        (fees(days_ahead(&server, 0), FeeTable::default()), "demain au plus tôt"),
        (fees("2020-01-01".into(), FeeTable::default()), "demain au plus tôt"),
        (fees("2027-02-30".into(), FeeTable::default()), "pas une date valide"),
        (fees(String::new(), FeeTable::default()), "obligatoire"),
        (fees(days_ahead(&server, 2000), FeeTable::default()), "5 ans à l'avance"),
        (fees(days_ahead(&server, 1), FeeTable { reshipping: Cents(-600), ..FeeTable::default() }), "« réexpédition »"),
        (
            fees(days_ahead(&server, 1), FeeTable { replacement_card: Cents(250_000), ..FeeTable::default() }),
            "1\u{202f}000,00 €",
        ),
        (fees(days_ahead(&server, 1), FeeTable { vat_basis_points: 5001, ..FeeTable::default() }), "50 % au plus"),
    ] {
        let refused = api_error(admin.schedule_fees(&input).await);
        assert_eq!(refused.code, ErrorCode::InvalidFields, "{input:?}");
        assert!(refused.message.contains(reason), "{input:?}: {}", refused.message);
    }
    assert_eq!(admin.fee_schedule().await.unwrap().len(), 1, "nothing was scheduled by the refused calls");

    let next_month = days_ahead(&server, 30);
    admin.schedule_fees(&fees(next_month.clone(), FeeTable::default())).await.unwrap();
    assert_eq!(
        api_error(admin.schedule_fees(&fees(next_month.clone(), FeeTable::default())).await).code,
        ErrorCode::Conflict
    );
    // The table in force priced real payments: it stays.
    assert_eq!(api_error(admin.cancel_fees("2000-01-01").await).code, ErrorCode::Conflict);
    for unknown in ["2031-01-01", "pas-une-date", "2027-13-01"] {
        assert_eq!(api_error(admin.cancel_fees(unknown).await).code, ErrorCode::NotFound, "{unknown}");
    }
    admin.cancel_fees(&next_month).await.unwrap();
    assert_eq!(admin.fee_schedule().await.unwrap().len(), 1);
    let journal = admin.journal(&JournalQuery { subject: Some(next_month), ..Default::default() }).await.unwrap();
    let actions: Vec<AuditAction> = journal.entries.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::FeesCancelled, AuditAction::FeesScheduled]);
    assert!(journal.entries[1].detail.contains("duplicata 25,00 €"), "{}", journal.entries[1].detail);

    let driver = server.authed(&server.active_driver(&driver(3)).await);
    assert_eq!(api_error(driver.fee_schedule().await).code, ErrorCode::Forbidden);
    assert_eq!(
        api_error(driver.schedule_fees(&fees(days_ahead(&server, 1), FeeTable::default())).await).code,
        ErrorCode::Forbidden
    );
    assert_eq!(api_error(driver.cancel_fees("2000-01-01").await).code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_login_whose_password_was_checked_before_the_deactivation_opens_no_session() {
    use cqc_server::workflows::sessions::{check_password, open_session};
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let invited = admin.invite_staff(&staff(StaffRole::Agent, "agent3@cqc.localhost", None)).await.unwrap();
    accept_invitation(&server, "agent3@cqc.localhost").await;

    // The password is checked, then the administrator deactivates the account while the login
    // is still on its way to a session (in the service, waiting for the hashing threads).
    let checked = check_password(&server.state, "agent3@cqc.localhost", PASSWORD.into()).await.unwrap();
    admin.deactivate_staff(&invited.account_id).await.unwrap();
    let refused = open_session(&server.state, checked).await.map(|_| ()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidCredentials);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
        .bind(&invited.account_id)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn a_session_of_a_deactivated_account_opens_nothing_even_if_its_row_stayed() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let invited = admin.invite_staff(&staff(StaffRole::Agent, "agent4@cqc.localhost", None)).await.unwrap();
    let agent = accept_invitation(&server, "agent4@cqc.localhost").await;
    // The account deactivated behind the service's back: its session row is still there.
    sqlx::query("UPDATE accounts SET status = 'deactivated' WHERE id = $1")
        .bind(&invited.account_id)
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(api_error(agent.registration_queue().await).code, ErrorCode::Unauthenticated);
    assert_eq!(api_error(agent.me().await).code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn an_administrator_deactivated_while_their_request_was_on_its_way_deactivates_no_one() {
    use cqc_server::auth::Caller;
    use cqc_server::workflows::administration::deactivate_staff;
    let server = TestServer::start().await;
    let first = server.admin().await;
    let second_id =
        first.invite_staff(&staff(StaffRole::Admin, "admin2@cqc.localhost", None)).await.unwrap().account_id;
    let second = accept_invitation(&server, "admin2@cqc.localhost").await;
    let first_id = first.me().await.unwrap().account_id;

    // The first administrator's request passed the door (its session was valid), then the
    // second deactivated them before the request's own work began: each deactivating the other
    // at once.
    let session = server.client().login(ADMIN_EMAIL, PASSWORD).await.unwrap();
    let authorised = Caller {
        account_id: first_id.clone(),
        role: Role::Admin,
        token_hash: cqc_server::secrets::token_hash(&session.token),
    };
    second.deactivate_staff(&first_id).await.unwrap();
    let refused = deactivate_staff(&server.state, &authorised, &second_id).await.map(|_| ()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Unauthenticated);
    let status: String = sqlx::query_scalar("SELECT status FROM accounts WHERE id = $1")
        .bind(&second_id)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "active", "the last administrator standing keeps the administration");
}
