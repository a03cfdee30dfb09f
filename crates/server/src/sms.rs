//! Text messages to drivers' mobile phones. Each is written to the outbox table in the same
//! transaction as the event it announces (the app shows the driver's own, `GET /sms`); a worker
//! hands them to the provider. On one machine the provider is a folder (`sms-outbox/`, one text
//! file per message); in production an operator's HTTP gateway (`CQC_SMS_URL`).

use crate::clock::Clock;
use crate::db::outbox;
use crate::db::Db;
use crate::db::DbResult;
use crate::jobs::{Round, Worker, CLAIM_BATCH};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Whoever carries a text message to a phone.
pub trait SmsProvider: Send + Sync + 'static {
    fn send<'a>(
        &'a self,
        id: &'a str,
        phone: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// The one-machine provider: each message becomes `<id>.txt` in a folder, as emails become
/// `.eml` files.
pub struct FolderOutbox(pub PathBuf);

impl SmsProvider for FolderOutbox {
    fn send<'a>(
        &'a self,
        id: &'a str,
        phone: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            tokio::fs::create_dir_all(&self.0).await.map_err(|e| e.to_string())?;
            tokio::fs::write(self.0.join(format!("{id}.txt")), format!("À : {phone}\n\n{body}\n"))
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// An operator's HTTP gateway: each message is POSTed as JSON (`id`, `to`, `text`), with the
/// message id as `Idempotency-Key` so that a retry after a lost answer sends it once, and the
/// token as a bearer. Any 2xx is accepted; anything else is retried at the next round.
pub struct HttpGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl HttpGateway {
    pub fn new(url: &str, token: Option<String>) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client's settings are valid");
        Self { client, url: url.to_owned(), token }
    }
}

impl SmsProvider for HttpGateway {
    fn send<'a>(
        &'a self,
        id: &'a str,
        phone: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let mut request = self
                .client
                .post(&self.url)
                .header("Idempotency-Key", id)
                .json(&serde_json::json!({ "id": id, "to": phone, "text": body }));
            if let Some(token) = &self.token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.map_err(|e| e.to_string())?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(format!("the SMS gateway answered {}", response.status()))
            }
        })
    }
}

/// Hands queued messages to the provider until the process ends; a failure waits for the next
/// round.
pub async fn run_delivery(db: Db, provider: Arc<dyn SmsProvider>, clock: Arc<dyn Clock>, worker: Worker) {
    loop {
        // A full batch sent may leave more behind it: claim again at once. After a failure, wait
        // for the next round rather than hammer a transport that is down.
        while let Some(round) = worker.round().await {
            match deliver_pending(&db, provider.as_ref(), clock.as_ref(), &worker, &round).await {
                Ok(sent) if sent == CLAIM_BATCH => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "SMS delivery round failed");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Sends the messages this instance could claim (answers how many went out), each under its row's id (the gateway's
/// `Idempotency-Key`, the outbox folder's file name): taken over after a crash, a message
/// already handed over is recognised instead of sent twice.
async fn deliver_pending(
    db: &Db,
    provider: &dyn SmsProvider,
    clock: &dyn Clock,
    worker: &Worker,
    round: &Round<'_>,
) -> DbResult<usize> {
    let mut sent = 0;
    for message in outbox::claim_sms(db, worker.claim(clock.now())).await? {
        if round.interrupted() {
            break;
        }
        let outcome = provider.send(&message.id, &message.phone, &message.body).await;
        match &outcome {
            Ok(()) => sent += 1,
            Err(error) => tracing::warn!(%error, "SMS not delivered, will retry"),
        }
        // Sent, or given back for the next round.
        outbox::sms_done(db, &message.id, outcome.is_ok().then(|| clock.now())).await?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, StatusCode};
    use std::sync::Mutex;

    type Received = Arc<Mutex<Vec<(Option<String>, Option<String>, serde_json::Value)>>>;

    /// A gateway on loopback that keeps what it receives and answers `status`.
    async fn gateway(status: StatusCode) -> (String, Received) {
        let received: Received = Arc::default();
        let kept = received.clone();
        let app = axum::Router::new().route(
            "/sms",
            axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
                let kept = kept.clone();
                async move {
                    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                    kept.lock().unwrap().push((header("idempotency-key"), header("authorization"), body));
                    status
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, received)
    }

    #[tokio::test]
    async fn the_http_gateway_gets_each_message_with_its_key_and_token() {
        let (url, received) = gateway(StatusCode::ACCEPTED).await;
        let provider = HttpGateway::new(&url, Some("secret".into()));
        provider.send("m-1", "+33612345678", "CQC : votre carte est expédiée.").await.unwrap();
        let received = received.lock().unwrap();
        let (key, auth, body) = &received[0];
        assert_eq!(key.as_deref(), Some("m-1"));
        assert_eq!(auth.as_deref(), Some("Bearer secret"));
        assert_eq!(body["to"], "+33612345678");
        assert_eq!(body["text"], "CQC : votre carte est expédiée.");
    }

    #[tokio::test]
    async fn a_gateway_refusal_is_an_error_and_the_message_waits() {
        let (url, _) = gateway(StatusCode::SERVICE_UNAVAILABLE).await;
        let error = HttpGateway::new(&url, None).send("m-2", "+33612345678", "texte").await.unwrap_err();
        assert!(error.contains("503"), "{error}");
        let unreachable = HttpGateway::new("http://127.0.0.1:9/sms", None).send("m-3", "+33612345678", "t").await;
        assert!(unreachable.is_err());
    }
}
