//! The contract of the guide's special cases 01–03: replacement after a loss, a theft or a
//! defect, card payment through the sandbox processor (declined, 3-D Secure, timeout, replayed),
//! invoices numbered without gaps, and a returned card sent again. Run on SQLite and on
//! PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::*;
use common::replacements::*;
use common::TestServer;
use cqc_client::client::ApiClient;
use cqc_domain::billing::{BankCardInput, Cents, DeclineReason, Fault, PaymentStatus};
use cqc_domain::card::{CardEvent, CardNumber, CardStatus};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{ReplacementGap, ReplacementReason, ReplacementStatus};
use cqc_server::payments::test_cards;
use cqc_sync::api::ErrorCode;
use cqc_sync::replacements::*;

async fn card_status(client: &ApiClient, card_id: &str) -> CardStatus {
    client.my_cards().await.unwrap().into_iter().find(|c| c.id == card_id).unwrap().status
}

#[tokio::test]
async fn a_lost_card_is_replaced_after_a_3d_secure_payment_and_its_invoice_is_issued() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    let start = NewReplacement { id: id.clone(), card_id: card_id.clone(), reason: ReplacementReason::Loss };
    let draft = client.start_replacement(&start).await.unwrap();
    // A retried start answers the same draft; a second request for the card cannot start.
    assert_eq!(client.start_replacement(&start).await.unwrap().id, id);
    let second = NewReplacement { id: uuid::Uuid::new_v4().to_string(), ..start.clone() };
    assert_eq!(code_of(client.start_replacement(&second).await), ErrorCode::Conflict);
    // The delivery address comes from the card; the rest is missing.
    assert!(draft.delivery_address.is_some());
    assert_eq!(draft.gaps, vec![ReplacementGap::CommitmentToReturn, ReplacementGap::BillingAddress]);
    assert_eq!(draft.price.unwrap().gross, Cents(3000));
    assert_eq!(code_of(client.submit_replacement(&id).await), ErrorCode::Conflict);

    // Each step may be revisited before « Valider »; a wrong address is refused field by field.
    client.declare(&id, &DeclarationRequest { commits_to_return: true, ..Default::default() }).await.unwrap();
    let wrong = AddressInput { postcode: "6900".into(), ..billing() };
    match client.set_replacement_address(&id, AddressRole::Billing, &wrong).await {
        Err(cqc_client::client::ClientError::Api(error)) => {
            assert_eq!(error.code, ErrorCode::InvalidFields);
            assert!(error.fields.contains_key(&cqc_domain::registration::RegistrationField::Postcode));
        }
        other => panic!("{other:?}"),
    }
    client.set_replacement_address(&id, AddressRole::Billing, &billing()).await.unwrap();
    let ready = client.set_replacement_address(&id, AddressRole::Delivery, &billing()).await.unwrap();
    assert!(ready.gaps.is_empty());
    assert_eq!(client.submit_replacement(&id).await.unwrap().status, ReplacementStatus::AwaitingPayment);
    assert_eq!(code_of(client.declare(&id, &DeclarationRequest::default()).await), ErrorCode::Conflict);

    // Declined: the reason in French, nothing charged, the request intact.
    let declined = client.pay(&payment(for_replacement(&id), test_cards::INSUFFICIENT_FUNDS)).await.unwrap();
    assert_eq!(declined.status, PaymentStatus::Declined { reason: DeclineReason::InsufficientFunds });
    assert!(declined.message.unwrap().contains("provision insuffisante"));
    assert_eq!(client.replacement(&id).await.unwrap().status, ReplacementStatus::AwaitingPayment);
    assert_eq!(card_status(&client, &card_id).await, CardStatus::Delivered);

    // 3-D Secure: a wrong code declines; a new attempt with the right code pays.
    let challenged = client.pay(&payment(for_replacement(&id), test_cards::THREE_D_SECURE)).await.unwrap();
    assert_eq!(challenged.status, PaymentStatus::Challenge);
    let failed = client.answer_challenge(&challenged.id, "000000").await.unwrap();
    assert_eq!(failed.status, PaymentStatus::Declined { reason: DeclineReason::ChallengeFailed });
    // A 3-D Secure step left unanswered (the app was closed) blocks a second attempt, then
    // expires after 15 minutes; the request can be paid again.
    let left = client.pay(&payment(for_replacement(&id), test_cards::THREE_D_SECURE)).await.unwrap();
    assert_eq!(left.status, PaymentStatus::Challenge);
    assert_eq!(client.replacement(&id).await.unwrap().last_payment.unwrap().status, PaymentStatus::Challenge);
    assert_eq!(code_of(client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await), ErrorCode::Conflict);
    server.clock.advance(time::Duration::minutes(15));
    let challenged = client.pay(&payment(for_replacement(&id), test_cards::THREE_D_SECURE)).await.unwrap();
    let paid = client.answer_challenge(&challenged.id, test_cards::CHALLENGE_CODE).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
    assert_eq!(paid.card_last_four, "3220");
    let number = paid.invoice_number.clone().expect("an invoice");
    assert!(number.as_str().ends_with("-000001"), "{}", number.as_str());
    assert_eq!(server.sandbox.charged().await.unwrap(), (1, Cents(3000)));
    // The code sent again after a lost answer: the same outcome, no second charge.
    assert_eq!(client.answer_challenge(&challenged.id, test_cards::CHALLENGE_CODE).await.unwrap(), paid);

    // An identical card with a new number; the lost one is void.
    let done = client.replacement(&id).await.unwrap();
    assert_eq!(done.status, ReplacementStatus::InProduction);
    let cards = client.my_cards().await.unwrap();
    let new_card = cards.iter().find(|c| Some(&c.id) == done.new_card_id.as_ref()).unwrap();
    let old_card = cards.iter().find(|c| c.id == card_id).unwrap();
    assert_eq!((new_card.status, old_card.status), (CardStatus::InProduction, CardStatus::Void));
    assert_eq!(new_card.face.holder, old_card.face.holder);
    assert_eq!(new_card.face.code95_expiry, old_card.face.code95_expiry);
    assert_ne!(new_card.face.card_number, old_card.face.card_number);
    assert!(CardNumber::parse(&new_card.face.card_number).is_ok());
    assert_eq!(new_card.delivery_address.as_ref(), Some(&billing()));

    // The invoice: original emailed, duplicate listed and downloadable, arrival notified.
    let invoices = client.invoices().await.unwrap();
    assert_eq!((invoices.len(), invoices[0].total), (1, Cents(3000)));
    let pdf = client.invoice_pdf(number.as_str()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    server.email("conducteur1@exemple.fr", &format!("Votre facture {}", number.as_str())).await;
    let attachments = server.attachments_to("conducteur1@exemple.fr");
    assert!(attachments.iter().any(|(name, _)| name == &format!("facture-{}.pdf", number.as_str())), "{attachments:?}");
    let notifications = client.notifications().await.unwrap();
    assert!(notifications.iter().any(|n| n.title == "Nouveau duplicata de facture disponible"));
    // Nothing is left to pay.
    let again = client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await;
    assert_eq!(code_of(again), ErrorCode::Conflict);
    assert_eq!(server.sandbox.charged().await.unwrap(), (1, Cents(3000)));
    // Ten years on, the duplicate is gone from « Mes factures ».
    server.clock.advance(time::Duration::days(3654));
    let session = server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap();
    let client = server.authed(&session);
    assert!(client.invoices().await.unwrap().is_empty());
    assert_eq!(code_of(client.invoice_pdf(number.as_str()).await), ErrorCode::NotFound);
}

#[tokio::test]
async fn a_theft_needs_its_declaration_checked_like_every_document() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    client
        .start_replacement(&NewReplacement { id: id.clone(), card_id, reason: ReplacementReason::Theft })
        .await
        .unwrap();
    client.declare(&id, &DeclarationRequest { commits_to_return: true, ..Default::default() }).await.unwrap();
    client.set_replacement_address(&id, AddressRole::Billing, &billing()).await.unwrap();
    let view = client.replacement(&id).await.unwrap();
    assert_eq!(view.gaps, vec![ReplacementGap::TheftDeclaration]);
    let lying = b"%PDF-1.4 this is not a pdf".to_vec();
    assert_eq!(code_of(client.upload_theft_declaration(&id, lying).await), ErrorCode::InvalidFile);
    assert!(!client.replacement(&id).await.unwrap().declaration.theft_declaration_uploaded);
    let uploaded = client.upload_theft_declaration(&id, scan()).await.unwrap();
    assert!(uploaded.gaps.is_empty() && uploaded.declaration.theft_declaration_uploaded);
    client.submit_replacement(&id).await.unwrap();
    let agent = server.agent().await;
    let declaration = agent.agent_theft_declaration(&id).await.unwrap();
    assert_eq!(image::load_from_memory(&declaration).unwrap().width(), 1000);
    let paid = client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
    assert_eq!(client.replacement(&id).await.unwrap().status, ReplacementStatus::InProduction);
}

#[tokio::test]
async fn a_defect_is_replaced_free_when_the_issuer_is_at_fault_and_paid_when_the_driver_is() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let agent = server.agent().await;
    let quality = |card_id: String| NewReplacement {
        id: uuid::Uuid::new_v4().to_string(),
        card_id,
        reason: ReplacementReason::Quality,
    };
    let defect = DeclarationRequest {
        commits_to_return: false,
        defect_description: "La photo est effacée".into(),
        defective_elements: 1,
    };

    // The issuer's fault: no billing address asked, coupon, receipt, analysis, free card.
    let first = client.start_replacement(&quality(card_id.clone())).await.unwrap().id;
    assert_eq!(code_of(client.return_coupon(&first).await), ErrorCode::Conflict, "not validated yet");
    client.declare(&first, &defect).await.unwrap();
    let sent = client.submit_replacement(&first).await.unwrap();
    assert_eq!((sent.status, sent.price), (ReplacementStatus::AwaitingCard, None));
    let coupon = client.return_coupon(&first).await.unwrap();
    assert!(coupon.starts_with(b"%PDF"));
    let analysis = AnalysisRequest { fault: Fault::Issuer, note: String::new() };
    assert_eq!(code_of(agent.record_analysis(&first, &analysis).await), ErrorCode::Conflict, "card not back yet");
    agent.card_received(&first).await.unwrap();
    assert_eq!(card_status(&client, &card_id).await, CardStatus::Void);
    let free = agent.record_analysis(&first, &analysis).await.unwrap();
    assert_eq!((free.status, free.price), (ReplacementStatus::InProduction, None));
    assert!(client.invoices().await.unwrap().is_empty());
    assert_eq!(server.count("payments").await, 0);

    // The new card arrives; it has a defect that is the driver's fault this time.
    let second_card = free.new_card_id.unwrap();
    for event in [CardEvent::Print, CardEvent::Ship, CardEvent::Deliver] {
        agent_step(&server, &second_card, event).await;
    }
    let second = client.start_replacement(&quality(second_card)).await.unwrap().id;
    client.declare(&second, &defect).await.unwrap();
    client.submit_replacement(&second).await.unwrap();
    agent.card_received(&second).await.unwrap();
    let blank = AnalysisRequest { fault: Fault::Driver, note: " ".into() };
    assert_eq!(code_of(agent.record_analysis(&second, &blank).await), ErrorCode::InvalidRequest);
    let note = "Carte pliée : elle doit être conservée à plat";
    let theirs =
        agent.record_analysis(&second, &AnalysisRequest { fault: Fault::Driver, note: note.into() }).await.unwrap();
    assert_eq!(theirs.status, ReplacementStatus::AwaitingDriverFix);
    server.email("conducteur1@exemple.fr", "résultat de l'analyse").await;
    let told = client.notifications().await.unwrap();
    assert!(told.iter().any(|n| n.body.contains(note)), "{told:?}");
    assert_eq!(
        code_of(client.pay(&payment(for_replacement(&second), test_cards::APPROVED)).await),
        ErrorCode::Conflict
    );
    let fix = DriverFixRequest {
        correction: "Je conserverai la carte dans un étui rigide".into(),
        billing_address: billing(),
    };
    let fixed = client.fix_replacement(&second, &fix).await.unwrap();
    assert_eq!(fixed.status, ReplacementStatus::AwaitingPayment);
    assert_eq!(fixed.price.unwrap().gross, Cents(3000));
    let paid = client.pay(&payment(for_replacement(&second), test_cards::APPROVED)).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
    assert_eq!(client.replacement(&second).await.unwrap().status, ReplacementStatus::InProduction);
    assert_eq!(client.invoices().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_timed_out_or_expired_card_payment_changes_nothing_but_the_attempt() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    let timed_out = client.pay(&payment(for_replacement(&id), test_cards::TIMEOUT)).await.unwrap();
    assert_eq!(timed_out.status, PaymentStatus::TimedOut);
    assert!(timed_out.message.unwrap().contains("Aucun montant n'a été débité"));
    let expired = client.pay(&payment(for_replacement(&id), test_cards::EXPIRED)).await.unwrap();
    assert_eq!(expired.status, PaymentStatus::Declined { reason: DeclineReason::CardExpired });
    // A card form with mistakes never reaches the processor.
    let typo = PaymentRequest {
        card: BankCardInput { number: "4242 4242 4242 4241".into(), ..bank_card("") },
        ..payment(for_replacement(&id), "")
    };
    assert_eq!(code_of(client.pay(&typo).await), ErrorCode::InvalidFields);
    let view = client.replacement(&id).await.unwrap();
    assert_eq!(view.status, ReplacementStatus::AwaitingPayment);
    assert_eq!(view.last_payment.unwrap().status, PaymentStatus::Declined { reason: DeclineReason::CardExpired });
    assert_eq!(card_status(&client, &card_id).await, CardStatus::Delivered);
    assert_eq!((server.count("payments").await, server.count("invoices").await), (2, 0));
    assert_eq!(server.sandbox.charged().await.unwrap(), (0, Cents(0)));
    // Resumable: a good card pays.
    let paid = client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
}

#[tokio::test]
async fn a_replayed_payment_request_charges_once() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    let request = payment(for_replacement(&id), test_cards::APPROVED);
    // A double click: the same request five times at once, then once more after the answer.
    let answers = futures_join(&client, &request, 5).await;
    let approved: Vec<_> = answers.iter().filter(|a| a.status == PaymentStatus::Approved).collect();
    assert!(!approved.is_empty());
    assert!(answers.iter().all(|a| a.id == answers[0].id), "one attempt");
    let replay = client.pay(&request).await.unwrap();
    assert_eq!((replay.id.as_str(), replay.status.clone()), (answers[0].id.as_str(), PaymentStatus::Approved));
    assert_eq!(server.sandbox.charged().await.unwrap(), (1, Cents(3000)));
    assert_eq!((server.count("payments").await, server.count("invoices").await), (1, 1));
}

async fn futures_join(client: &ApiClient, request: &PaymentRequest, n: usize) -> Vec<PaymentView> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, request) = (client.clone(), request.clone());
        tasks.spawn(async move { client.pay(&request).await.unwrap() });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn fifty_concurrent_payments_produce_fifty_invoices_numbered_without_gap_or_duplicate() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    // The same driver holds 49 more cards of the same application (made here directly, to keep
    // the test short): 50 losses to pay for at once.
    let mut card_ids = vec![card_id.clone()];
    {
        let mut conn = server.state.db.pool.acquire().await.unwrap();
        let original = cqc_server::db::cards::find_card(&mut conn, &card_id).await.unwrap();
        for serial in 0..49u32 {
            let mut face = original.face.clone();
            face.card_number = CardNumber::new(2026, 5000 + serial).unwrap().as_str().to_owned();
            let card = cqc_server::db::cards::StoredCard {
                id: uuid::Uuid::new_v4().to_string(),
                face,
                status: CardStatus::Delivered,
                delivery_address: original.delivery_address.clone(),
                replaces_card_id: None,
                pending_address: None,
                application_id: original.application_id.clone(),
                driver_id: original.driver_id.clone(),
                photo_key: original.photo_key.clone(),
            };
            cqc_server::db::cards::insert_card(&mut conn, &card, cqc_server::clock::Clock::now(server.clock.as_ref()))
                .await
                .unwrap();
            card_ids.push(card.id);
        }
    }
    let mut replacements = Vec::new();
    for card_id in &card_ids {
        replacements.push(replacement_awaiting_payment(&client, card_id, ReplacementReason::Loss).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for id in replacements {
        let client = client.clone();
        tasks.spawn(async move { client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap() });
    }
    let answers = tasks.join_all().await;
    let refused: Vec<_> = answers.iter().filter(|a| a.status != PaymentStatus::Approved).map(|a| &a.status).collect();
    assert!(refused.is_empty(), "{refused:?}");
    let mut numbers: Vec<String> =
        answers.iter().map(|a| a.invoice_number.clone().expect("invoiced").as_str().to_owned()).collect();
    numbers.sort();
    let year = &numbers[0][4..8];
    let expected: Vec<String> = (1..=50).map(|n| format!("FAC-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(client.invoices().await.unwrap().len(), 50);
    assert_eq!(server.sandbox.charged().await.unwrap(), (50, Cents(150_000)));
    // Fifty units of work audited at once: each journal line has a number of its own.
    let (lines, numbers): (i64, i64) = sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT seq) FROM audit_log")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(numbers, lines, "no two journal lines share a number");
    // « Mes demandes » and the agent's list show each request with its own card, payment and
    // invoice (the lists are read in a few queries, not several per request).
    let invoice_of: std::collections::HashMap<String, String> = answers
        .iter()
        .map(|a| {
            let PaymentPurpose::Replacement { replacement_id } = &a.purpose else { panic!("a replacement") };
            (replacement_id.clone(), a.invoice_number.clone().unwrap().as_str().to_owned())
        })
        .collect();
    for list in [client.replacements().await.unwrap(), server.agent().await.replacement_queue().await.unwrap()] {
        assert_eq!(list.len(), 50);
        let mut cards: Vec<&str> = list.iter().map(|r| r.card_number.as_str()).collect();
        cards.sort();
        cards.dedup();
        assert_eq!(cards.len(), 50, "each request shows its own card");
        for view in &list {
            let paid = view.last_payment.as_ref().expect("its payment");
            assert_eq!(paid.invoice_number.as_ref().unwrap().as_str(), invoice_of[&view.id]);
            assert!(card_ids.contains(&view.card_id));
            assert!(!view.timeline.is_empty());
        }
    }
}

#[tokio::test]
async fn a_returned_card_is_sent_again_to_the_confirmed_address_or_to_a_new_one_for_a_fee() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    // Delivered cards do not come back; a shipped one may. Start again from a fresh card.
    let id = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
    let card = client.replacement(&id).await.unwrap().new_card_id.unwrap();
    agent_step(&server, &card, CardEvent::Print).await;
    agent_step(&server, &card, CardEvent::Ship).await;
    agent_step(&server, &card, CardEvent::ReturnUndelivered).await;
    assert!(client.notifications().await.unwrap().iter().any(|n| n.title == "Pli non distribué"));
    // The agent waits for the driver's answer before sending it again.
    let agent = server.agent().await;
    let ship = cqc_sync::applications::CardStepRequest { card_ids: vec![card.clone()], event: CardEvent::Ship };
    assert_eq!(code_of(agent.card_step(&ship).await), ErrorCode::Conflict);

    // Solution 1: the address is right.
    let confirmed = client.answer_returned_card(&card, &ReturnedCardAnswer { new_address: None }).await.unwrap();
    assert_eq!(confirmed.status, CardStatus::ToResend);
    assert_eq!(
        code_of(client.answer_returned_card(&card, &ReturnedCardAnswer { new_address: None }).await),
        ErrorCode::Conflict
    );
    agent.card_step(&ship).await.unwrap();
    agent_step(&server, &card, CardEvent::ReturnUndelivered).await;

    // Solution 2: a new address, checked field by field, then the re-shipping fee.
    let wrong = AddressInput { city: String::new(), ..billing() };
    assert_eq!(
        code_of(client.answer_returned_card(&card, &ReturnedCardAnswer { new_address: Some(wrong) }).await),
        ErrorCode::InvalidFields
    );
    let new_address = AddressInput { line1: "8 quai Saint-Vincent".into(), postcode: "69001".into(), ..billing() };
    let waiting = client
        .answer_returned_card(&card, &ReturnedCardAnswer { new_address: Some(new_address.clone()) })
        .await
        .unwrap();
    assert_eq!((waiting.status, waiting.pending_address.as_ref()), (CardStatus::Returned, Some(&new_address)));
    let reship = PaymentPurpose::Reshipping { card_id: card.clone() };
    let declined = client.pay(&payment(reship.clone(), test_cards::INSUFFICIENT_FUNDS)).await.unwrap();
    assert!(matches!(declined.status, PaymentStatus::Declined { .. }));
    assert_eq!(card_status(&client, &card).await, CardStatus::Returned);
    let paid = client.pay(&payment(reship, test_cards::APPROVED)).await.unwrap();
    assert_eq!((paid.status, paid.price.gross), (PaymentStatus::Approved, Cents(720)));
    let sent_again = client.my_cards().await.unwrap().into_iter().find(|c| c.id == card).unwrap();
    assert_eq!(sent_again.status, CardStatus::ToResend);
    assert_eq!((sent_again.delivery_address.as_ref(), sent_again.pending_address.as_ref()), (Some(&new_address), None));
    let invoices = client.invoices().await.unwrap();
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices[0].total, Cents(720));
    assert!(invoices[0].title.contains("Réexpédition"));
}

#[tokio::test]
async fn a_driver_cannot_see_change_or_pay_for_another_drivers_replacement() {
    let server = TestServer::start().await;
    let (owner, card_id) = delivered_card(&server, 1).await;
    let (other, _) = delivered_card(&server, 2).await;
    let id = replacement_awaiting_payment(&owner, &card_id, ReplacementReason::Loss).await;
    let stranger_start = NewReplacement {
        id: uuid::Uuid::new_v4().to_string(),
        card_id: card_id.clone(),
        reason: ReplacementReason::Loss,
    };
    assert_eq!(code_of(other.start_replacement(&stranger_start).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.replacement(&id).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.cancel_replacement(&id).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await), ErrorCode::NotFound);
    let paid = owner.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
    let number = paid.invoice_number.unwrap();
    assert_eq!(code_of(other.invoice_pdf(number.as_str()).await), ErrorCode::NotFound);
    assert!(other.invoices().await.unwrap().is_empty());
    assert_eq!(
        code_of(other.answer_returned_card(&card_id, &ReturnedCardAnswer { new_address: None }).await),
        ErrorCode::NotFound
    );
    // Agent-only calls are refused to drivers.
    assert_eq!(code_of(owner.replacement_queue().await), ErrorCode::Forbidden);
    assert_eq!(code_of(owner.card_received(&id).await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_replacement_is_cancelled_before_payment_and_not_after() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    assert_eq!(client.cancel_replacement(&id).await.unwrap().status, ReplacementStatus::Cancelled);
    assert_eq!(code_of(client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await), ErrorCode::Conflict);
    assert_eq!(card_status(&client, &card_id).await, CardStatus::Delivered);
    // The card may be replaced again; once paid, the request can no longer be cancelled.
    let again = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    client.pay(&payment(for_replacement(&again), test_cards::APPROVED)).await.unwrap();
    assert_eq!(code_of(client.cancel_replacement(&again).await), ErrorCode::Conflict);
}

#[tokio::test]
async fn a_payment_cut_off_mid_call_is_settled_from_the_processor_and_the_request_stays_payable() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = replacement_awaiting_payment(&client, &card_id, ReplacementReason::Loss).await;
    // The server stopped between recording an attempt and hearing the processor: the attempt
    // stays « pending » and blocks a second charge for the same request…
    let driver_id = client.me().await.unwrap().account_id;
    let now = cqc_server::clock::Clock::now(server.clock.as_ref());
    let cut = cqc_server::db::replacements::StoredPayment {
        id: uuid::Uuid::new_v4().to_string(),
        driver_id,
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        purpose: for_replacement(&id).key(),
        price: client.replacement(&id).await.unwrap().price.unwrap(),
        vat_basis_points: 2000,
        status: cqc_domain::billing::PaymentAttempt::Pending,
        provider_reference: None,
        card_last_four: "4242".into(),
        billing_address: billing(),
        created_at: now,
        updated_at: now,
    };
    let mut conn = server.state.db.pool.acquire().await.unwrap();
    cqc_server::db::replacements::insert_payment(&mut conn, &cut).await.unwrap();
    drop(conn);
    assert_eq!(code_of(client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await), ErrorCode::Conflict);
    // …until its deadline has passed: the processor never charged it, so it times out, and the
    // driver pays again, once.
    server.clock.advance(time::Duration::minutes(1));
    let paid = client.pay(&payment(for_replacement(&id), test_cards::APPROVED)).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
    let mut conn = server.state.db.pool.acquire().await.unwrap();
    let settled = cqc_server::db::replacements::find_payment(&mut conn, &cut.id).await.unwrap();
    assert_eq!(settled.status, cqc_domain::billing::PaymentAttempt::TimedOut);
    drop(conn);
    assert_eq!(server.sandbox.charged().await.unwrap(), (1, Cents(3000)));
}

#[tokio::test]
async fn a_replacement_draft_left_alone_is_reminded_then_purged_with_its_theft_declaration() {
    let server = TestServer::start().await;
    let (client, card_id) = delivered_card(&server, 1).await;
    let id = uuid::Uuid::new_v4().to_string();
    let start = NewReplacement { id: id.clone(), card_id, reason: ReplacementReason::Theft };
    client.start_replacement(&start).await.unwrap();
    client.upload_theft_declaration(&id, scan()).await.unwrap();
    let stored = || walk(&server.data_dir().join("documents/replacements"));
    assert_eq!(stored(), 1);
    server.clock.advance(time::Duration::days(30));
    assert_eq!(cqc_server::upkeep::round(&server.state).await.unwrap().reminded, 1);
    server.clock.advance(time::Duration::days(30));
    assert_eq!(cqc_server::upkeep::round(&server.state).await.unwrap().purged, 1);
    let session = server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap();
    let client = server.authed(&session);
    let purged = client.replacement(&id).await.unwrap();
    assert_eq!(purged.status, ReplacementStatus::Cancelled);
    assert!(!purged.declaration.theft_declaration_uploaded);
    assert_eq!(stored(), 0, "the theft declaration is deleted");
    let told = client.notifications().await.unwrap();
    assert!(told.iter().any(|n| n.target.as_deref() == Some(format!("replacement:{id}").as_str())));
    assert!(told.iter().any(|n| n.title == "Demande non terminée supprimée"));
}
