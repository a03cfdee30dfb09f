//! A driver with a card: the application built the way the app builds it, approved, made and
//! delivered; the files it needs.

pub use crate::files::{address, camera_photo, licence_pdf, scan, signature};
use crate::{driver, TestServer};
use cqc_client::client::{ApiClient, ClientError};
use cqc_domain::application::DocumentKind;
use cqc_domain::card::CardEvent;
use cqc_domain::contact::AddressInput;
use cqc_domain::training::fixtures::valid_fco;
use cqc_domain::training::TrainingRecordInput;
use cqc_sync::api::{ErrorCode, Session};
use cqc_sync::applications::CardStepRequest;
use cqc_sync::protocol::{Change, Mutation, PushRequest};

pub fn code_of<T: std::fmt::Debug>(result: Result<T, ClientError>) -> ErrorCode {
    match result {
        Err(ClientError::Api(error)) => error.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A driver whose FCO a centre recorded: their certificate opens « Commencer ».
pub async fn driver_with_training(server: &TestServer, n: u32) -> Session {
    let session = server.active_driver(&driver(n)).await;
    let centre = server.centre_staff("AGR-69-0042", &format!("poste{n}@centre.fr")).await;
    let record = TrainingRecordInput { licence_number: format!("13AA{n:05}"), ..valid_fco() };
    let mutation = Mutation {
        seq: 1,
        id: uuid::Uuid::new_v4().to_string(),
        change: Change::RecordTraining { training_id: format!("t-{n}"), record },
    };
    centre.push(&PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations: vec![mutation] }).await.unwrap();
    session
}

/// A draft with every document and the delivery address.
pub async fn complete_draft(client: &ApiClient) -> String {
    complete_draft_to(client, &address()).await
}

/// A draft with every document, delivered to `delivery`.
pub async fn complete_draft_to(client: &ApiClient, delivery: &AddressInput) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    client.start_application(&id).await.unwrap();
    for (kind, bytes) in [
        (DocumentKind::IdentityFront, scan()),
        (DocumentKind::IdentityBack, scan()),
        (DocumentKind::DrivingLicence, licence_pdf()),
        (DocumentKind::Photo, camera_photo()),
        (DocumentKind::Signature, signature()),
    ] {
        client.upload_document(&id, kind, &bytes, |_, _| {}).await.unwrap();
    }
    client.set_delivery_address(&id, delivery).await.unwrap();
    id
}

/// An active driver whose card was approved, made, shipped and delivered: (driver, card id).
pub async fn delivered_card(server: &TestServer, n: u32) -> (ApiClient, String) {
    let session = driver_with_training(server, n).await;
    let client = server.authed(&session);
    let id = complete_draft(&client).await;
    client.submit_application(&id).await.unwrap();
    let agent = server.agent().await;
    agent.open_application(&id).await.unwrap();
    let card_id = agent.approve_application(&id).await.unwrap().application.card_id.expect("a card");
    for event in [CardEvent::Print, CardEvent::Ship, CardEvent::Deliver] {
        agent_step(server, &card_id, event).await;
    }
    (client, card_id)
}

pub async fn agent_step(server: &TestServer, card_id: &str, event: CardEvent) {
    server.agent().await.card_step(&CardStepRequest { card_ids: vec![card_id.to_owned()], event }).await.unwrap();
}

/// How many files lie under `dir`, in every sub-folder.
pub fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(Result::ok).map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
        })
        .unwrap_or(0)
}
