//! Replacements as the driver leaves them before paying, and the payment requests of the
//! sandbox's test cards.

use cqc_client::client::ApiClient;
use cqc_domain::billing::BankCardInput;
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::{ReplacementReason, ReplacementStatus};
use cqc_sync::replacements::{AddressRole, DeclarationRequest, NewReplacement, PaymentPurpose, PaymentRequest};

pub fn bank_card(number: &str) -> BankCardInput {
    BankCardInput {
        holder: "Jean Dupont".into(),
        number: number.into(),
        expiry: "12/30".into(),
        security_code: "123".into(),
    }
}

pub fn payment(purpose: PaymentPurpose, number: &str) -> PaymentRequest {
    PaymentRequest { idempotency_key: uuid::Uuid::new_v4().to_string(), purpose, card: bank_card(number) }
}

pub fn for_replacement(id: &str) -> PaymentPurpose {
    PaymentPurpose::Replacement { replacement_id: id.to_owned() }
}

pub fn billing() -> AddressInput {
    AddressInput {
        line1: "5 place Bellecour".into(),
        line2: String::new(),
        postcode: "69002".into(),
        city: "Lyon".into(),
        country: "France".into(),
    }
}

/// A loss or theft declared, both addresses given and validated: waiting for payment.
pub async fn replacement_awaiting_payment(client: &ApiClient, card_id: &str, reason: ReplacementReason) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    client.start_replacement(&NewReplacement { id: id.clone(), card_id: card_id.to_owned(), reason }).await.unwrap();
    client.declare(&id, &DeclarationRequest { commits_to_return: true, ..Default::default() }).await.unwrap();
    client.set_replacement_address(&id, AddressRole::Billing, &billing()).await.unwrap();
    let sent = client.submit_replacement(&id).await.unwrap();
    assert_eq!(sent.status, ReplacementStatus::AwaitingPayment);
    id
}
