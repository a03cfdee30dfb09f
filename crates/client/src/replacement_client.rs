//! The client side of replacements, payments, invoices and returned cards.

use crate::client::{ApiClient, ClientError};
use cqc_domain::billing::Price;
use cqc_domain::contact::AddressInput;
use cqc_sync::applications::{CardView, DeliveryAddressRequest};
use cqc_sync::replacements::*;

impl ApiClient {
    pub async fn replacements(&self) -> Result<Vec<ReplacementView>, ClientError> {
        self.get("/replacements").await
    }

    pub async fn start_replacement(&self, request: &NewReplacement) -> Result<ReplacementView, ClientError> {
        self.post("/replacements", request).await
    }

    pub async fn replacement(&self, id: &str) -> Result<ReplacementView, ClientError> {
        self.get(&format!("/replacements/{id}")).await
    }

    pub async fn cancel_replacement(&self, id: &str) -> Result<ReplacementView, ClientError> {
        self.send(self.http.delete(self.url(&format!("/replacements/{id}")))).await
    }

    pub async fn declare(&self, id: &str, request: &DeclarationRequest) -> Result<ReplacementView, ClientError> {
        self.send(self.http.put(self.url(&format!("/replacements/{id}/declaration"))).json(request)).await
    }

    pub async fn set_replacement_address(
        &self,
        id: &str,
        role: AddressRole,
        address: &AddressInput,
    ) -> Result<ReplacementView, ClientError> {
        let body = DeliveryAddressRequest { address: address.clone() };
        let url = self.url(&format!("/replacements/{id}/addresses/{}", role.as_str()));
        self.send(self.http.put(url).json(&body)).await
    }

    /// The declaration of theft, in one request (it is checked like every document).
    pub async fn upload_theft_declaration(&self, id: &str, bytes: Vec<u8>) -> Result<ReplacementView, ClientError> {
        let url = self.url(&format!("/replacements/{id}/theft-declaration"));
        self.send(self.http.put(url).header("content-type", "application/octet-stream").body(bytes)).await
    }

    pub async fn submit_replacement(&self, id: &str) -> Result<ReplacementView, ClientError> {
        self.post(&format!("/replacements/{id}/submit"), &()).await
    }

    pub async fn return_coupon(&self, id: &str) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/replacements/{id}/return-coupon")).await
    }

    pub async fn fix_replacement(&self, id: &str, request: &DriverFixRequest) -> Result<ReplacementView, ClientError> {
        self.post(&format!("/replacements/{id}/fix"), request).await
    }

    pub async fn fees(&self) -> Result<Vec<Price>, ClientError> {
        self.get("/fees").await
    }

    pub async fn pay(&self, request: &PaymentRequest) -> Result<PaymentView, ClientError> {
        self.post("/payments", request).await
    }

    pub async fn answer_challenge(&self, payment_id: &str, code: &str) -> Result<PaymentView, ClientError> {
        self.post(&format!("/payments/{payment_id}/challenge"), &ChallengeAnswer { code: code.to_owned() }).await
    }

    pub async fn abandon_challenge(&self, payment_id: &str) -> Result<PaymentView, ClientError> {
        self.send(self.http.delete(self.url(&format!("/payments/{payment_id}/challenge")))).await
    }

    pub async fn invoices(&self) -> Result<Vec<InvoiceSummary>, ClientError> {
        self.get("/invoices").await
    }

    pub async fn invoice_pdf(&self, number: &str) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/invoices/{number}/pdf")).await
    }

    pub async fn answer_returned_card(
        &self,
        card_id: &str,
        answer: &ReturnedCardAnswer,
    ) -> Result<CardView, ClientError> {
        self.post(&format!("/cards/{card_id}/returned"), answer).await
    }

    pub async fn replacement_queue(&self) -> Result<Vec<ReplacementView>, ClientError> {
        self.get("/agent/replacements").await
    }

    pub async fn agent_theft_declaration(&self, id: &str) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/agent/replacements/{id}/theft-declaration")).await
    }

    pub async fn card_received(&self, id: &str) -> Result<ReplacementView, ClientError> {
        self.post(&format!("/agent/replacements/{id}/card-received"), &()).await
    }

    pub async fn record_analysis(&self, id: &str, request: &AnalysisRequest) -> Result<ReplacementView, ClientError> {
        self.post(&format!("/agent/replacements/{id}/analysis"), request).await
    }
}
