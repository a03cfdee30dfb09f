//! The desktop's HTTP client of the central API.

use cqc_domain::registration::RegistrationInput;
use cqc_sync::api::*;
use cqc_sync::protocol::{CertificateKeys, PullResponse, PushRequest, PushResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the server cannot be reached: {0}")]
    Unreachable(String),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("the server's answer is not understood: {0}")]
    Protocol(String),
}

impl ClientError {
    /// The error as the UI shows it, with a French sentence for the cases the server did not word.
    pub fn into_api_error(self) -> ApiError {
        match self {
            ClientError::Api(e) => e,
            ClientError::Unreachable(_) => ApiError::new(
                ErrorCode::Unreachable,
                "Le service est injoignable. Vérifiez votre connexion : vos saisies sont conservées.",
            ),
            ClientError::Protocol(_) => {
                ApiError::new(ErrorCode::Internal, "Réponse inattendue du service. Réessayez plus tard.")
            }
        }
    }
}

#[derive(Clone)]
pub struct ApiClient {
    base: String,
    pub(crate) http: reqwest::Client,
    token: Option<String>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ApiClient {
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("the HTTP client's settings are valid");
        Self { base: base_url.trim_end_matches('/').to_owned(), http, token: None }
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token;
        self
    }

    pub async fn health(&self) -> Result<Health, ClientError> {
        self.send(self.http.get(self.url("/health")).timeout(Duration::from_secs(3))).await
    }

    pub async fn register(&self, input: &RegistrationInput) -> Result<RegistrationReceipt, ClientError> {
        self.post("/registrations", input).await
    }

    pub async fn link_info(&self, token: &str) -> Result<LinkInfo, ClientError> {
        self.get(&format!("/links/{token}")).await
    }

    pub async fn set_password(&self, request: &SetPasswordRequest) -> Result<(), ClientError> {
        self.post_no_content("/password", request).await
    }

    pub async fn forgot_password(&self, email: &str) -> Result<(), ClientError> {
        self.post_no_content("/password/forgot", &ForgotPasswordRequest { email: email.to_owned() }).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<Session, ClientError> {
        self.post("/session", &LoginRequest { email: email.to_owned(), password: password.to_owned() }).await
    }

    pub async fn logout(&self) -> Result<(), ClientError> {
        self.send_no_content(self.http.delete(self.url("/session"))).await
    }

    pub async fn me(&self) -> Result<Profile, ClientError> {
        self.get("/me").await
    }

    pub async fn account(&self, account_id: &str) -> Result<Profile, ClientError> {
        self.get(&format!("/accounts/{account_id}")).await
    }

    /// « Mes données »: the archive of everything the service holds about the driver.
    pub async fn personal_data(&self) -> Result<Vec<u8>, ClientError> {
        self.bytes("/me/data").await
    }

    /// « Clôturer mon compte », confirmed with the password.
    pub async fn close_account(&self, password: &str) -> Result<(), ClientError> {
        self.post_no_content("/me/closure", &cqc_sync::api::AccountClosureRequest { password: password.to_owned() })
            .await
    }

    pub async fn notifications(&self) -> Result<Vec<Notification>, ClientError> {
        self.get("/notifications").await
    }

    pub async fn mark_notifications_read(&self) -> Result<(), ClientError> {
        self.send_no_content(self.http.post(self.url("/notifications/read"))).await
    }

    pub async fn correction(&self, token: &str) -> Result<CorrectionView, ClientError> {
        self.get(&format!("/registration-corrections/{token}")).await
    }

    pub async fn submit_correction(
        &self,
        token: &str,
        input: &RegistrationInput,
    ) -> Result<RegistrationReceipt, ClientError> {
        self.send(self.http.put(self.url(&format!("/registration-corrections/{token}"))).json(input)).await
    }

    pub async fn registration_queue(&self) -> Result<RegistrationQueue, ClientError> {
        self.get("/agent/registrations").await
    }

    pub async fn registration_file(&self, request_id: &str) -> Result<RegistrationFile, ClientError> {
        self.get(&format!("/agent/registrations/{request_id}")).await
    }

    pub async fn accept_registration(&self, request_id: &str) -> Result<RegistrationFile, ClientError> {
        self.post(&format!("/agent/registrations/{request_id}/accept"), &serde_json::json!({})).await
    }

    /// Trainings whose trainee has an account's licence number and birth date but other names.
    pub async fn identity_checks(&self) -> Result<Vec<IdentityCheckView>, ClientError> {
        self.get("/agent/identity-checks").await
    }

    pub async fn decide_identity_check(&self, training_id: &str, same_person: bool) -> Result<(), ClientError> {
        self.post_no_content(&format!("/agent/identity-checks/{training_id}"), &IdentityDecision { same_person }).await
    }

    pub async fn request_correction(
        &self,
        request_id: &str,
        request: &CorrectionRequest,
    ) -> Result<RegistrationFile, ClientError> {
        self.post(&format!("/agent/registrations/{request_id}/request-correction"), request).await
    }

    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, ClientError> {
        self.post("/sync/push", request).await
    }

    pub async fn pull(&self, cursor: i64) -> Result<PullResponse, ClientError> {
        self.get(&format!("/sync/pull?cursor={cursor}")).await
    }

    /// A pull by the device `client_id`, which holds the trainings it pushed: those unchanged
    /// since are not sent back.
    pub async fn pull_holding_own_pushes(&self, cursor: i64, client_id: &str) -> Result<PullResponse, ClientError> {
        self.get(&format!("/sync/pull?cursor={cursor}&client_id={client_id}")).await
    }

    pub async fn certificate_keys(&self) -> Result<CertificateKeys, ClientError> {
        self.get("/certificate-keys").await
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base)
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.send(self.http.get(self.url(path))).await
    }

    pub(crate) async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        self.send(self.http.post(self.url(path)).json(body)).await
    }

    pub(crate) async fn post_no_content<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> Result<(), ClientError> {
        self.send_no_content(self.http.post(self.url(path)).json(body)).await
    }

    pub(crate) async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, ClientError> {
        let response = self.checked(request).await?;
        response.json().await.map_err(|e| ClientError::Protocol(e.to_string()))
    }

    pub(crate) async fn send_no_content(&self, request: reqwest::RequestBuilder) -> Result<(), ClientError> {
        self.checked(request).await.map(drop)
    }

    /// Sends the request with an id of its own; a failure is logged with that id, which the
    /// server's logs keep too: support follows one driver's problem from the app to the server.
    pub(crate) async fn checked(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let sent = self.authed(request).header(REQUEST_ID_HEADER, &request_id).send().await;
        let response = sent.map_err(|e| {
            tracing::warn!(%request_id, error = %e, "the server could not be reached");
            ClientError::Unreachable(e.to_string())
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let body = response.bytes().await.map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let error = match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) => ClientError::Api(error),
            // A proxy or a server that is starting may answer without our JSON body.
            Err(_) if status.is_server_error() => ClientError::Unreachable(format!("HTTP {status}")),
            Err(_) => ClientError::Protocol(format!("HTTP {status}")),
        };
        tracing::warn!(%request_id, %status, ?error, "the server refused the request");
        Err(error)
    }
}
