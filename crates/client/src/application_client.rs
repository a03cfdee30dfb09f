//! The client side of the card application: the driver's calls, the resumable upload, and the
//! agent's processing calls.

use crate::client::{ApiClient, ClientError};
use cqc_domain::application::DocumentKind;
use cqc_domain::upload::UPLOAD_CHUNK_BYTES;
use cqc_sync::applications::*;
use sha2::{Digest, Sha256};

impl ApiClient {
    pub async fn eligibility(&self) -> Result<Eligibility, ClientError> {
        self.get("/applications/eligibility").await
    }

    pub async fn applications(&self) -> Result<Vec<ApplicationView>, ClientError> {
        self.get("/applications").await
    }

    pub async fn start_application(&self, id: &str) -> Result<ApplicationView, ClientError> {
        self.post("/applications", &NewApplication { id: id.to_owned() }).await
    }

    pub async fn application(&self, id: &str) -> Result<ApplicationView, ClientError> {
        self.get(&format!("/applications/{id}")).await
    }

    pub async fn cancel_application(&self, id: &str) -> Result<(), ClientError> {
        self.send_no_content(self.http.delete(self.url(&format!("/applications/{id}")))).await
    }

    pub async fn set_delivery_address(
        &self,
        id: &str,
        address: &cqc_domain::contact::AddressInput,
    ) -> Result<ApplicationView, ClientError> {
        let body = DeliveryAddressRequest { address: address.clone() };
        self.send(self.http.put(self.url(&format!("/applications/{id}/delivery-address"))).json(&body)).await
    }

    pub async fn upload_progress(&self, id: &str, kind: DocumentKind) -> Result<UploadProgress, ClientError> {
        self.get(&format!("/applications/{id}/documents/{}/upload", kind.as_str())).await
    }

    pub async fn upload_chunk(
        &self,
        id: &str,
        kind: DocumentKind,
        offset: u64,
        chunk: Vec<u8>,
    ) -> Result<UploadProgress, ClientError> {
        let url = self.url(&format!("/applications/{id}/documents/{}/upload?offset={offset}", kind.as_str()));
        self.send(self.http.put(url).header("content-type", "application/octet-stream").body(chunk)).await
    }

    pub async fn complete_upload(
        &self,
        id: &str,
        kind: DocumentKind,
        request: &CompleteUpload,
    ) -> Result<ApplicationView, ClientError> {
        self.post(&format!("/applications/{id}/documents/{}", kind.as_str()), request).await
    }

    /// Sends a whole file in chunks, from what the server already holds (an upload cut earlier
    /// resumes there), reporting the bytes sent; then asks the server to check and keep it.
    pub async fn upload_document(
        &self,
        id: &str,
        kind: DocumentKind,
        bytes: &[u8],
        mut on_progress: impl FnMut(u64, u64),
    ) -> Result<ApplicationView, ClientError> {
        let total = bytes.len() as u64;
        let mut received = self.upload_progress(id, kind).await?.received;
        if received > total {
            received = 0; // a different, longer file was being sent: start over
        }
        while received < total {
            on_progress(received, total);
            let end = (received as usize + UPLOAD_CHUNK_BYTES).min(bytes.len());
            received = self.upload_chunk(id, kind, received, bytes[received as usize..end].to_vec()).await?.received;
        }
        on_progress(total, total);
        let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        self.complete_upload(id, kind, &CompleteUpload { size: total, sha256 }).await
    }

    pub async fn document(&self, id: &str, kind: DocumentKind) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/applications/{id}/documents/{}", kind.as_str())).await
    }

    pub async fn submit_application(&self, id: &str) -> Result<ApplicationView, ClientError> {
        self.post(&format!("/applications/{id}/submit"), &serde_json::json!({})).await
    }

    pub async fn answer_correction(&self, id: &str) -> Result<ApplicationView, ClientError> {
        self.post(&format!("/applications/{id}/answer"), &serde_json::json!({})).await
    }

    pub async fn my_cards(&self) -> Result<Vec<CardView>, ClientError> {
        self.get("/cards").await
    }

    pub async fn card_photo(&self, card_id: &str) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/cards/{card_id}/photo")).await
    }

    pub async fn activate_card(&self, card_id: &str) -> Result<CardView, ClientError> {
        self.post(&format!("/cards/{card_id}/activate"), &serde_json::json!({})).await
    }

    pub async fn sms_outbox(&self) -> Result<Vec<SmsMessage>, ClientError> {
        self.get("/sms").await
    }

    pub async fn application_queue(&self) -> Result<ApplicationQueue, ClientError> {
        self.get("/agent/applications").await
    }

    pub async fn open_application(&self, id: &str) -> Result<ApplicationFile, ClientError> {
        self.get(&format!("/agent/applications/{id}")).await
    }

    pub async fn agent_document(&self, id: &str, kind: DocumentKind) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/agent/applications/{id}/documents/{}", kind.as_str())).await
    }

    pub async fn approve_application(&self, id: &str) -> Result<ApplicationFile, ClientError> {
        self.post(&format!("/agent/applications/{id}/approve"), &serde_json::json!({})).await
    }

    pub async fn refuse_application(&self, id: &str, reason: &str) -> Result<ApplicationFile, ClientError> {
        self.post(&format!("/agent/applications/{id}/refuse"), &RefusalRequest { reason: reason.to_owned() }).await
    }

    pub async fn request_application_correction(
        &self,
        id: &str,
        request: &ApplicationCorrectionRequest,
    ) -> Result<ApplicationFile, ClientError> {
        self.post(&format!("/agent/applications/{id}/request-correction"), request).await
    }

    pub async fn cards_in_progress(&self) -> Result<Vec<CardView>, ClientError> {
        self.get("/agent/cards").await
    }

    pub async fn card_step(&self, request: &CardStepRequest) -> Result<Vec<CardView>, ClientError> {
        self.post("/agent/cards/step", request).await
    }

    pub(crate) async fn bytes(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        let response = self.checked(self.http.get(self.url(path))).await?;
        Ok(response.bytes().await.map_err(|e| ClientError::Unreachable(e.to_string()))?.to_vec())
    }
}
