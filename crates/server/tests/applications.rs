//! The contract of guide steps 05–07 and 12: a driver with a recent training applies with
//! documents, photo and signature; the agent asks for a new photo, approves; the card is made,
//! shipped, delivered and activated. Run on SQLite and on PostgreSQL (see `common`).

use cqc_testkit as common;

use common::cards::*;
use common::{driver, TestServer};
use cqc_domain::application::{ApplicationStatus, CorrectionItem, DocumentKind, NotEligible, ReviewedItem};
use cqc_domain::card::{CardEvent, CardNumber, CardStatus};
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_domain::upload::UPLOAD_CHUNK_BYTES;
use cqc_sync::api::ErrorCode;
use cqc_sync::applications::{ApplicationCorrectionRequest, CardStepRequest};
use cqc_sync::protocol::{Change, Mutation, PushRequest};

#[tokio::test]
async fn driver_without_recent_training_cannot_start_an_application() {
    let server = TestServer::start().await;
    let session = server.active_driver(&driver(1)).await;
    let client = server.authed(&session);
    let eligibility = client.eligibility().await.unwrap();
    assert_eq!(eligibility.not_eligible, Some(NotEligible::NoEntitlingTraining));
    assert_eq!(code_of(client.start_application(&uuid::Uuid::new_v4().to_string()).await), ErrorCode::NotEligible);
    assert_eq!(server.count("applications").await, 0);
}

#[tokio::test]
async fn an_application_goes_from_draft_to_an_activated_card() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 1).await;
    let client = server.authed(&session);
    let entitlement = client.eligibility().await.unwrap().entitlement.expect("eligible");
    assert_eq!(entitlement.card_expiry.to_string(), "2031-11-20");

    let id = complete_draft(&client).await;
    // A retried « Commencer » answers the same draft; a second application cannot start.
    assert_eq!(client.start_application(&id).await.unwrap().state.status, ApplicationStatus::Draft);
    assert_eq!(client.eligibility().await.unwrap().not_eligible, Some(NotEligible::ApplicationAlreadyOpen));
    let sent = client.submit_application(&id).await.unwrap();
    assert_eq!(sent.state.status, ApplicationStatus::Submitted);
    assert_eq!(sent.documents.len(), 5);
    server.email("conducteur1@exemple.fr", "bien été reçue").await;

    // The agent's queue, the file, its documents.
    let agent = server.agent().await;
    let queue = agent.application_queue().await.unwrap();
    assert_eq!((queue.to_process, queue.entries.len()), (1, 1));
    assert_eq!(queue.waiting_order.as_slice(), std::slice::from_ref(&id), "« Dossier suivant » opens it");
    let file = agent.open_application(&id).await.unwrap();
    assert_eq!(file.application.state.status, ApplicationStatus::InProcessing);
    assert_eq!(file.driver.last_name, "DUPONT");
    let photo = agent.agent_document(&id, DocumentKind::Photo).await.unwrap();
    assert_eq!(image::load_from_memory(&photo).unwrap().width(), 413);

    // A new photo is asked for: approval waits, the driver is told by email, SMS and notification.
    let ask = ApplicationCorrectionRequest {
        items: vec![CorrectionItem { item: ReviewedItem::Photo, reason: "Visage trop sombre".into() }],
    };
    agent.request_application_correction(&id, &ask).await.unwrap();
    let queue = agent.application_queue().await.unwrap();
    assert_eq!(queue.waiting_for_driver, 1);
    assert!(queue.waiting_order.is_empty(), "the driver has the next move");
    assert_eq!(code_of(agent.approve_application(&id).await), ErrorCode::Conflict);
    assert_eq!(code_of(agent.request_application_correction(&id, &ask).await), ErrorCode::Conflict);
    server.email("conducteur1@exemple.fr", "informations complémentaires").await;
    let sms = client.sms_outbox().await.unwrap();
    assert!(sms[0].body.contains("Photo d'identité"), "{sms:?}");
    // The provider got it: on one machine, a text file in the SMS outbox folder.
    let delivered = || walk(&server.data_dir().join("sms-outbox"));
    for _ in 0..60 {
        if delivered() > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(delivered(), 1);
    let notifications = client.notifications().await.unwrap();
    let notification = notifications.iter().find(|n| n.title == "Informations complémentaires demandées").unwrap();
    assert_eq!(notification.target.as_deref(), Some(format!("application:{id}").as_str()));
    let waiting = client.application(&id).await.unwrap();
    assert_eq!(waiting.state.correction.as_ref().unwrap()[0].reason, "Visage trop sombre");

    // Only the photo reopens; the answer needs it.
    assert_eq!(code_of(client.answer_correction(&id).await), ErrorCode::Conflict);
    assert_eq!(
        code_of(client.upload_document(&id, DocumentKind::Signature, &signature(), |_, _| {}).await),
        ErrorCode::Conflict
    );
    client.upload_document(&id, DocumentKind::Photo, &camera_photo(), |_, _| {}).await.unwrap();
    let answered = client.answer_correction(&id).await.unwrap();
    assert_eq!(answered.state.status, ApplicationStatus::InProcessing);
    assert!(answered.state.correction.is_none());

    // Approval makes the card.
    let approved = agent.approve_application(&id).await.unwrap();
    assert_eq!(approved.application.state.status, ApplicationStatus::Approved);
    let card_id = approved.application.card_id.expect("a card");
    let cards = client.my_cards().await.unwrap();
    let face = &cards[0].face;
    assert_eq!(cards[0].status, CardStatus::InProduction);
    assert!(CardNumber::parse(&face.card_number).is_ok(), "{}", face.card_number);
    assert_eq!(face.code95_expiry, "2031-11-20");
    assert_eq!(face.holder.licence_number, "13AA00001");
    assert_eq!(client.card_photo(&card_id).await.unwrap(), client.document(&id, DocumentKind::Photo).await.unwrap());
    assert_eq!(code_of(client.activate_card(&card_id).await), ErrorCode::Conflict, "not received yet");

    for event in [CardEvent::Print, CardEvent::Ship, CardEvent::Deliver] {
        agent.card_step(&CardStepRequest { card_ids: vec![card_id.clone()], event }).await.unwrap();
    }
    let activated = client.activate_card(&card_id).await.unwrap();
    assert_eq!(activated.status, CardStatus::Activated);
    let steps: Vec<_> = activated.timeline.iter().map(|t| t.action.code()).collect();
    assert_eq!(steps, ["in_production", "printed", "shipped", "delivered", "activated"]);
}

/// The card-expiry rule on real data: an FCO that ends within the year before the card's code 95
/// expiry extends from that expiry; the same FCO without a card counts from its end.
#[tokio::test]
async fn an_fco_in_the_year_before_the_cards_expiry_extends_the_card_by_five_years() {
    let server = TestServer::start().await;
    let driver_session = driver_with_training(&server, 1).await;
    let client = server.authed(&driver_session);
    let id = complete_draft(&client).await;
    client.submit_application(&id).await.unwrap();
    let agent = server.agent().await;
    agent.open_application(&id).await.unwrap();
    agent.approve_application(&id).await.unwrap();
    assert_eq!(client.my_cards().await.unwrap()[0].face.code95_expiry, "2031-11-20");

    // Four and a half years later, an FCO from 2 to 6 March 2031.
    server.clock.advance(time::Duration::days(4 * 365 + 190));
    let later = TrainingRecordInput {
        licence_number: "13AA00001".into(),
        start_date: "2031-03-02".into(),
        end_date: "2031-03-06".into(),
        ..valid_fco()
    };
    let centre = server.centre_staff("AGR-69-0042", "poste-2031@centre.fr").await;
    let push = |training_id: &str, record: TrainingRecordInput| PushRequest {
        client_id: uuid::Uuid::new_v4().to_string(),
        mutations: vec![Mutation {
            seq: 1,
            id: uuid::Uuid::new_v4().to_string(),
            change: Change::RecordTraining { training_id: training_id.into(), record },
        }],
    };
    centre.push(&push("t-2031", later.clone())).await.unwrap();
    let session = server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap();
    let certificates = server.authed(&session).pull(0).await.unwrap().certificates;
    let extended = certificates.iter().find(|c| c.training_id == "t-2031").unwrap();
    assert_eq!(extended.claims.card_expiry, "2036-11-20", "from the card's expiry, not from the training's end");

    // A driver without a card: the same FCO counts from its end.
    server.active_driver(&driver(2)).await;
    centre.push(&push("t-2031-b", TrainingRecordInput { licence_number: "13AA00002".into(), ..later })).await.unwrap();
    let session = server.client().login("conducteur2@exemple.fr", common::PASSWORD).await.unwrap();
    let certificates = server.authed(&session).pull(0).await.unwrap().certificates;
    assert_eq!(certificates[0].claims.card_expiry, "2036-03-06");
}

#[tokio::test]
async fn a_driver_cannot_read_change_or_cancel_another_drivers_application() {
    let server = TestServer::start().await;
    let owner = server.authed(&driver_with_training(&server, 1).await);
    let other = server.authed(&driver_with_training(&server, 2).await);
    let id = complete_draft(&owner).await;

    assert_eq!(code_of(other.application(&id).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.document(&id, DocumentKind::Photo).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.cancel_application(&id).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.submit_application(&id).await), ErrorCode::NotFound);
    assert_eq!(code_of(other.set_delivery_address(&id, &address()).await), ErrorCode::NotFound);
    assert_eq!(
        code_of(other.upload_document(&id, DocumentKind::Photo, &camera_photo(), |_, _| {}).await),
        ErrorCode::NotFound
    );
    assert_eq!(code_of(other.start_application(&id).await), ErrorCode::NotFound);
    // Same answer as for an id that does not exist.
    assert_eq!(code_of(other.application(&uuid::Uuid::new_v4().to_string()).await), ErrorCode::NotFound);
    assert_eq!(owner.application(&id).await.unwrap().documents.len(), 5);

    // An agent does not see a draft; drivers and centres cannot use the agent's calls.
    let agent = server.agent().await;
    assert_eq!(code_of(agent.open_application(&id).await), ErrorCode::NotFound);
    let centre = server.centre_staff("AGR-69-0042", "poste9@centre.fr").await;
    for caller in [&other, &centre] {
        assert_eq!(code_of(caller.application_queue().await), ErrorCode::Forbidden);
        assert_eq!(code_of(caller.approve_application(&id).await), ErrorCode::Forbidden);
        assert_eq!(code_of(caller.cards_in_progress().await), ErrorCode::Forbidden);
    }
    assert_eq!(code_of(centre.applications().await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_file_that_lies_about_its_type_is_refused_and_nothing_is_kept() {
    let server = TestServer::start().await;
    let client = server.authed(&driver_with_training(&server, 1).await);
    let id = uuid::Uuid::new_v4().to_string();
    client.start_application(&id).await.unwrap();

    let mut fake_jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    fake_jpeg.extend_from_slice(b"<script>not an image</script>");
    let mut fake_pdf = b"%PDF-1.7\n".to_vec();
    fake_pdf.extend_from_slice(&[0x4D, 0x5A, 0x90, 0x00]);
    for (kind, bytes) in [
        (DocumentKind::IdentityFront, fake_jpeg),
        (DocumentKind::DrivingLicence, fake_pdf),
        (DocumentKind::IdentityBack, b"MZ\x90\x00 an executable".to_vec()),
        (DocumentKind::Photo, licence_pdf()),
    ] {
        assert_eq!(
            code_of(client.upload_document(&id, kind, &bytes, |_, _| {}).await),
            ErrorCode::InvalidFile,
            "{kind:?}"
        );
    }
    assert!(client.application(&id).await.unwrap().documents.is_empty());
    assert_eq!(server.count("upload_parts").await, 0);
    assert_eq!(code_of(client.submit_application(&id).await), ErrorCode::Conflict);
}

#[tokio::test]
async fn a_cut_upload_resumes_where_it_stopped() {
    let server = TestServer::start().await;
    let client = server.authed(&driver_with_training(&server, 1).await);
    let id = uuid::Uuid::new_v4().to_string();
    client.start_application(&id).await.unwrap();
    // A grainy phone photo of the licence: more than two chunks.
    let grain = image::RgbImage::from_fn(1600, 1200, |x, y| {
        let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).wrapping_mul(2_246_822_519) >> 24;
        image::Rgb([v as u8, (v >> 1) as u8, 128])
    });
    let mut file = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 95).encode_image(&grain).unwrap();
    assert!(file.len() > 2 * UPLOAD_CHUNK_BYTES, "{} bytes", file.len());

    // The first chunk arrives, then the network is cut.
    client.upload_chunk(&id, DocumentKind::DrivingLicence, 0, file[..UPLOAD_CHUNK_BYTES].to_vec()).await.unwrap();
    // A chunk sent again is not stored twice; one past a gap is refused.
    client.upload_chunk(&id, DocumentKind::DrivingLicence, 0, file[..UPLOAD_CHUNK_BYTES].to_vec()).await.unwrap();
    assert_eq!(
        code_of(
            client.upload_chunk(&id, DocumentKind::DrivingLicence, UPLOAD_CHUNK_BYTES as u64 + 10, vec![1; 10]).await
        ),
        ErrorCode::InvalidFile
    );

    let mut first_progress = None;
    let view = client
        .upload_document(&id, DocumentKind::DrivingLicence, &file, |sent, _| {
            first_progress.get_or_insert(sent);
        })
        .await
        .unwrap();
    assert_eq!(first_progress, Some(UPLOAD_CHUNK_BYTES as u64), "resumed after the first chunk");
    let stored = client.document(&id, DocumentKind::DrivingLicence).await.unwrap();
    assert_eq!(view.documents[0].size, stored.len() as u64);
    assert_eq!(image::load_from_memory(&stored).unwrap().width(), 1600);
}

#[tokio::test]
async fn cancelling_a_draft_deletes_its_documents_and_an_application_sent_cannot_be_cancelled() {
    let server = TestServer::start().await;
    let client = server.authed(&driver_with_training(&server, 1).await);
    let id = complete_draft(&client).await;
    let stored = || walk(&server.data_dir().join("documents"));
    assert_eq!(stored(), 5);
    client.cancel_application(&id).await.unwrap();
    assert_eq!(stored(), 0);
    let cancelled = client.application(&id).await.unwrap();
    assert_eq!(cancelled.state.status, ApplicationStatus::Cancelled);
    assert!(cancelled.documents.is_empty() && cancelled.delivery_address.is_none());
    assert!(client.applications().await.unwrap().is_empty());
    // A new application can start.
    let second = complete_draft(&client).await;
    client.submit_application(&second).await.unwrap();
    assert_eq!(code_of(client.cancel_application(&second).await), ErrorCode::Conflict);
}

/// « A draft idle for long is reminded, then purged »: a month without a change brings a
/// reminder (email and notification), a month more the purge with its documents; a draft the
/// driver came back to after the reminder is kept.
#[tokio::test]
async fn a_draft_left_alone_is_reminded_after_a_month_then_purged_with_its_documents() {
    let server = TestServer::start().await;
    let session = driver_with_training(&server, 1).await;
    let client = server.authed(&session);
    let id = complete_draft(&client).await;
    let files = walk(&server.data_dir().join("documents"));
    assert_eq!(files, 5);
    let round = || cqc_server::upkeep::round(&server.state);

    server.clock.advance(time::Duration::days(29));
    assert_eq!(round().await.unwrap(), cqc_server::upkeep::Round { reminded: 0, purged: 0 });
    server.clock.advance(time::Duration::days(1));
    assert_eq!(round().await.unwrap().reminded, 1);
    assert_eq!(round().await.unwrap().reminded, 0, "reminded once");
    let email = server.email("conducteur1@exemple.fr", "n'est pas terminée").await;
    assert!(email.contains("sera supprimée le"), "{email}");
    // Sessions end after 12 hours: the driver logs in again.
    let client = server.authed(&server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap());
    let told = client.notifications().await.unwrap();
    let reminder = told.iter().find(|n| n.title == "Demande non terminée").unwrap();
    assert_eq!(reminder.target.as_deref(), Some(format!("application:{id}").as_str()));

    server.clock.advance(time::Duration::days(29));
    assert_eq!(round().await.unwrap().purged, 0);
    server.clock.advance(time::Duration::days(1));
    assert_eq!(round().await.unwrap().purged, 1);
    let client = server.authed(&server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap());
    let purged = client.application(&id).await.unwrap();
    assert_eq!(purged.state.status, ApplicationStatus::Cancelled);
    assert!(purged.documents.is_empty() && purged.delivery_address.is_none());
    assert_eq!(walk(&server.data_dir().join("documents")), 0, "the files are gone too");
    assert_eq!(server.count("application_documents").await, 0);

    // A new draft, reminded, then resumed: a new month starts, no purge.
    let again = complete_draft(&client).await;
    server.clock.advance(time::Duration::days(30));
    assert_eq!(round().await.unwrap().reminded, 1);
    server.clock.advance(time::Duration::days(10));
    let client = server.authed(&server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap());
    client.set_delivery_address(&again, &address()).await.unwrap();
    server.clock.advance(time::Duration::days(25));
    assert_eq!(round().await.unwrap(), cqc_server::upkeep::Round { reminded: 0, purged: 0 });
    let client = server.authed(&server.client().login("conducteur1@exemple.fr", common::PASSWORD).await.unwrap());
    assert_eq!(client.application(&again).await.unwrap().state.status, ApplicationStatus::Draft);
}
