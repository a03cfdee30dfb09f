//! The central CQC service. `start` runs it on a listener; `router` is the HTTP API alone.
#![forbid(unsafe_code)]

pub mod admin;
pub mod applications;
pub mod auth;
pub mod backup;
pub mod clock;
pub mod connections;
pub mod db;
pub mod error;
pub mod files;
pub mod jobs;
pub mod mail;
pub mod observe;
pub mod payments;
pub mod personal_data;
pub mod releases;
pub mod reminders;
pub mod replacements;
mod routes;
pub mod secrets;
pub mod sms;
pub mod storage;
pub mod throttle;
pub mod trainings;
pub mod upkeep;
pub mod workflow;
pub mod workflows;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use clock::Clock;
use cqc_sync::certificate_code;
use db::Db;
use ed25519_dalek::SigningKey;
use lettre::message::Mailbox;
use mail::{MailWaker, Transport};
use payments::PaymentProvider;
use secrets::LinkSecret;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use storage::Documents;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest JSON body any call accepts; documents travel in chunks, under their own limit.
pub const MAX_JSON_BODY: usize = 64 * 1024;

/// How the server runs. With nothing set it runs on one machine: SQLite file and email outbox
/// folder under `data_dir`.
#[derive(Clone, clap::Args)]
pub struct Config {
    /// `sqlite://path/to/file.sqlite3` or `postgres://user:password@host/db`.
    #[arg(long, env = "CQC_DATABASE_URL")]
    pub database_url: Option<String>,
    #[arg(long, env = "CQC_DATA_DIR", default_value = ".cqc-data/server")]
    pub data_dir: PathBuf,
    /// The address the emailed links point to.
    #[arg(long, env = "CQC_PUBLIC_URL", default_value = "http://127.0.0.1:8737")]
    pub public_url: String,
    /// Send emails through SMTP (`smtps://user:password@host`) instead of the outbox folder.
    #[arg(long, env = "CQC_SMTP_URL")]
    pub smtp_url: Option<String>,
    #[arg(long, env = "CQC_MAIL_FROM", default_value = "CQC <ne-pas-repondre@cqc.localhost>")]
    pub mail_from: String,
    /// The Ed25519 key that signs certificates (base64url of its 32 bytes). Without it the key is
    /// kept in `certificate-signing.key` under `data_dir`, made at the first start.
    #[arg(long, env = "CQC_CERTIFICATE_KEY", hide_env_values = true)]
    pub certificate_key: Option<String>,
    /// The secret from which the tokens of emailed links are derived (base64url of 32 bytes), the
    /// same on every instance. Without it the secret is kept in `link-secret.key` under
    /// `data_dir`, made at the first start. Changing it voids every link sent and not yet used.
    #[arg(long, env = "CQC_LINK_SECRET", hide_env_values = true)]
    pub link_secret: Option<String>,
    /// The release key's public half, as the apps carry it (the `.pub` file of `tauri signer
    /// generate`): `publish-update` publishes only packages signed by it.
    #[arg(long, env = "CQC_UPDATER_PUBKEY")]
    pub updater_pubkey: Option<String>,
    /// Keep documents in this S3 bucket (endpoint and credentials from `AWS_*`) instead of the
    /// `documents` folder under `data_dir`.
    #[arg(long, env = "CQC_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// How long the payment processor may take to answer before the attempt is given up (and
    /// nothing is charged).
    #[arg(long, env = "CQC_PAYMENT_TIMEOUT_MS", default_value_t = 15_000)]
    pub payment_timeout_ms: u64,
    /// Send text messages through this HTTP gateway instead of the `sms-outbox` folder.
    #[arg(long, env = "CQC_SMS_URL")]
    pub sms_url: Option<String>,
    /// The gateway's bearer token.
    #[arg(long, env = "CQC_SMS_TOKEN", hide_env_values = true)]
    pub sms_token: Option<String>,
    /// Behind a load balancer: take the client's address (for the rate limits) from the last
    /// entry of `X-Forwarded-For`. Never set it when clients reach the server directly.
    #[arg(long, env = "CQC_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// With several instances on one database: how long a queued email or text message claimed
    /// by an instance stays its own; if the instance dies, another sends it after this time.
    #[arg(long, env = "CQC_CLAIM_LEASE_MS", default_value_t = 120_000)]
    pub claim_lease_ms: u64,
    /// The bearer token of the metrics scraper, for `GET /metrics` on the API's address. Without
    /// it, the API's address has no metrics.
    #[arg(long, env = "CQC_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Connections served at once.
    #[arg(long, env = "CQC_MAX_CONNECTIONS", default_value_t = connections::MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Connections one client address holds at once (not applied with
    /// `CQC_TRUST_FORWARDED_FOR`: every connection then comes from the load balancer).
    #[arg(long, env = "CQC_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = connections::MAX_CONNECTIONS_PER_ADDRESS)]
    pub max_connections_per_address: usize,
    /// An address of its own for `GET /metrics`, with no token (`127.0.0.1:9738`: for a scraper
    /// on this machine); it serves nothing else.
    #[arg(long, env = "CQC_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Months before the code 95 expiry of a driver's card at which the driver is reminded
    /// (email and notification, once each), comma-separated.
    #[arg(long, env = "CQC_CODE95_REMINDER_MONTHS", value_delimiter = ',', default_value = "6,3,1",
          value_parser = clap::value_parser!(u32).range(1..=24))]
    pub code95_reminder_months: Vec<u32>,
    /// Months before the end of a certificate's window (4 months to apply for the card) at which
    /// a driver who has not applied is reminded, comma-separated.
    #[arg(long, env = "CQC_CERTIFICATE_REMINDER_MONTHS", value_delimiter = ',', default_value = "1",
          value_parser = clap::value_parser!(u32).range(1..=3))]
    pub certificate_reminder_months: Vec<u32>,
}

/// Written by hand so that a database or SMTP password never reaches a log.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("certificate_key", &self.certificate_key.as_ref().map(|_| "<redacted>"))
            .field("link_secret", &self.link_secret.as_ref().map(|_| "<redacted>"))
            .field("updater_pubkey", &self.updater_pubkey)
            .field("s3_bucket", &self.s3_bucket)
            .field("payment_timeout_ms", &self.payment_timeout_ms)
            .field("sms_url", &self.sms_url)
            .field("sms_token", &self.sms_token.as_ref().map(|_| "<redacted>"))
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("claim_lease_ms", &self.claim_lease_ms)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "<redacted>"))
            .field("metrics_bind", &self.metrics_bind)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_address", &self.max_connections_per_address)
            .field("code95_reminder_months", &self.code95_reminder_months)
            .field("certificate_reminder_months", &self.certificate_reminder_months)
            .finish()
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://<redacted>@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl Config {
    /// Where documents (and the app's update packages) are kept: the S3 bucket when one is set.
    pub fn documents(&self) -> Result<Documents, storage::StorageError> {
        match &self.s3_bucket {
            Some(bucket) => Documents::s3(bucket),
            None => Documents::folder(&self.data_dir.join("documents")),
        }
    }

    /// Everything under one folder: what the run script and the tests use.
    pub fn local(data_dir: PathBuf, public_url: String) -> Self {
        Self {
            database_url: None,
            data_dir,
            public_url,
            smtp_url: None,
            mail_from: "CQC <ne-pas-repondre@cqc.localhost>".into(),
            certificate_key: None,
            link_secret: None,
            updater_pubkey: None,
            s3_bucket: None,
            payment_timeout_ms: 15_000,
            sms_url: None,
            sms_token: None,
            trust_forwarded_for: false,
            claim_lease_ms: 120_000,
            metrics_token: None,
            metrics_bind: None,
            max_connections: connections::MAX_CONNECTIONS,
            max_connections_per_address: connections::MAX_CONNECTIONS_PER_ADDRESS,
            code95_reminder_months: cqc_domain::reminders::CODE95_REMINDER_MONTHS.to_vec(),
            certificate_reminder_months: cqc_domain::reminders::CERTIFICATE_REMINDER_MONTHS.to_vec(),
        }
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| db::sqlite_url(&self.data_dir.join("cqc.sqlite3")))
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The certificate signing key: from the settings, or from its file (made if missing).
    fn certificate_key(&self) -> Result<SigningKey, StartError> {
        let made = || {
            let key = SigningKey::generate(&mut rand::rngs::OsRng);
            let text = certificate_code::encode_signing_key(&key);
            (Some(key), text)
        };
        self.secret(
            self.certificate_key.as_deref(),
            "certificate-signing.key",
            certificate_code::decode_signing_key,
            made,
        )
        .and_then(|key| key.ok_or(StartError::CertificateKey))
    }

    /// The secret of the emailed links' tokens: from the settings, or from its file.
    fn link_secret(&self) -> Result<LinkSecret, StartError> {
        let made = || {
            let secret = LinkSecret::generate();
            let text = secret.encode();
            (Ok(secret), text)
        };
        self.secret(self.link_secret.as_deref(), "link-secret.key", LinkSecret::decode, made)?
            .map_err(|_| StartError::LinkSecret)
    }

    /// A secret given in the settings, or kept in its file under `data_dir`, made at the first
    /// start (one instance alone; several must share it through the settings).
    fn secret<T>(
        &self,
        setting: Option<&str>,
        file: &str,
        decode: impl Fn(&str) -> T,
        make: impl FnOnce() -> (T, String),
    ) -> Result<T, StartError> {
        if let Some(text) = setting {
            return Ok(decode(text));
        }
        let path = self.data_dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(decode(&text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let (secret, text) = make();
                write_private(&path, &text)?;
                Ok(secret)
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// Writes a secret readable by its owner only.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub mail: MailWaker,
    pub public_url: String,
    pub certificate_key: Arc<SigningKey>,
    pub link_secret: Arc<LinkSecret>,
    pub documents: Documents,
    pub payments: Arc<dyn PaymentProvider>,
    pub payment_timeout: Duration,
    pub trust_forwarded_for: bool,
    /// This instance, as the holder of the background work it claims.
    pub worker: jobs::Worker,
    pub metrics_token: Option<String>,
    /// Connections served at once, and each client address's share of them.
    pub max_connections: usize,
    pub connections_per_address: connections::PerAddress,
    /// One sync push applied at a time. Pushes take their turn on the change counter anyway;
    /// waiting here, without a database connection, leaves the connections to the reads (a
    /// morning of 200 centres pushing at once starved the drivers' pulls for 10 s).
    pub push_turn: Arc<tokio::sync::Semaphore>,
    /// Months before the code 95 expiry at which drivers are reminded.
    pub code95_reminder_months: Vec<u32>,
    /// Months before the end of a certificate's window at which drivers who have not applied
    /// are reminded.
    pub certificate_reminder_months: Vec<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] db::DbError),
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("SMTP settings: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("sender address: {0}")]
    Sender(#[from] lettre::address::AddressError),
    #[error("the certificate signing key is not 32 bytes in base64url")]
    CertificateKey,
    #[error("the link secret (CQC_LINK_SECRET or link-secret.key) is not 32 bytes in base64url")]
    LinkSecret,
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
}

/// Opens the database and the mail transport, and starts the email delivery worker; card
/// payments go to the sandbox processor.
pub async fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    std::fs::create_dir_all(&config.data_dir)?;
    let certificate_key = Arc::new(config.certificate_key()?);
    let link_secret = Arc::new(config.link_secret()?);
    let db = Db::connect(&config.database_url()).await?;
    let payments: Arc<dyn PaymentProvider> = Arc::new(payments::Sandbox::new(db.clone()));
    let transport = match &config.smtp_url {
        Some(url) => Transport::smtp(url)?,
        None => Transport::outbox(config.outbox_dir())?,
    };
    let from: Mailbox = config.mail_from.parse()?;
    let documents = config.documents()?;
    let waker = MailWaker::default();
    let worker = jobs::Worker::new(Duration::from_millis(config.claim_lease_ms));
    let mailer = mail::Mailer { transport, from, links: link_secret.clone() };
    tokio::spawn(mail::run_delivery(db.clone(), mailer, waker.clone(), clock.clone(), worker.clone()));
    let sms_provider: Arc<dyn sms::SmsProvider> = match &config.sms_url {
        Some(url) => Arc::new(sms::HttpGateway::new(url, config.sms_token.clone())),
        None => Arc::new(sms::FolderOutbox(config.data_dir.join("sms-outbox"))),
    };
    tokio::spawn(sms::run_delivery(db.clone(), sms_provider, clock.clone(), worker.clone()));
    let state = AppState {
        db,
        clock,
        mail: waker,
        public_url: config.public_url.trim_end_matches('/').to_owned(),
        certificate_key,
        link_secret,
        documents,
        payments,
        payment_timeout: Duration::from_millis(config.payment_timeout_ms),
        trust_forwarded_for: config.trust_forwarded_for,
        worker,
        metrics_token: config.metrics_token.clone(),
        max_connections: config.max_connections,
        connections_per_address: connections::PerAddress::new(
            (!config.trust_forwarded_for).then_some(config.max_connections_per_address),
        ),
        push_turn: Arc::new(tokio::sync::Semaphore::new(1)),
        code95_reminder_months: config.code95_reminder_months.clone(),
        certificate_reminder_months: config.certificate_reminder_months.clone(),
    };
    observe::recorder();
    tokio::spawn(upkeep::run(state.clone()));
    Ok(state)
}

pub fn router(state: AppState) -> Router {
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    routes::router()
        .layer(axum::middleware::from_fn(observe::measure))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        // A body announced and then not sent (or sent a byte at a time) does not hold its
        // connection for the whole 30 s.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_READ_TIMEOUT))
        .layer(axum::middleware::from_fn(error::log_internal_causes))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::info_span!(
                "request",
                id = %request_id_for_logs(request.headers()),
                method = %request.method(),
                path = %path_for_logs(request.uri().path()),
            )
        }))
        // The app's id for the request (or a new one), in the span of every log line and
        // sent back in the answer.
        .layer(PropagateRequestIdLayer::new(observe::REQUEST_ID.parse().expect("a header name")))
        .layer(SetRequestIdLayer::new(observe::REQUEST_ID.parse().expect("a header name"), MakeRequestUuid))
        .with_state(state)
}

/// The request's id as the logs keep it: what a client sent is cut short and kept to the
/// characters of an id.
fn request_id_for_logs(headers: &axum::http::HeaderMap) -> String {
    let sent = headers.get(observe::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
    sent.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect()
}

/// The path as the logs keep it: no query string (emailed links carry their token there), and
/// the token of a link's own path replaced.
pub fn path_for_logs(path: &str) -> String {
    let mut after_token_route = false;
    path.split('/')
        .map(|segment| {
            let shown = if after_token_route { "<jeton>" } else { segment };
            after_token_route = matches!(segment, "links" | "registration-corrections");
            shown
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Serves `GET /metrics` alone, without a token, on a listener of its own (`CQC_METRICS_BIND`).
pub async fn serve_metrics(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = Router::new().route("/metrics", axum::routing::get(observe::metrics_page)).with_state(state);
    axum::serve(listener, app).await
}

/// A client that has not sent a whole request head within this time is cut (slow headers, or
/// an idle kept-alive connection).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait for the next piece of a request's body.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves until the future `shutdown` completes, then lets the requests in flight finish and
/// gives back the background work this instance claimed.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let (db, worker) = (state.db.clone(), state.worker.clone());
    let per_address = state.connections_per_address.clone();
    let slots = Arc::new(tokio::sync::Semaphore::new(state.max_connections));
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // An address that holds its share already is closed at once, its slot given back.
        let Some(seat) = per_address.seat(remote.ip()) else { continue };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop((slot, seat));
        });
    }
    graceful.shutdown().await;
    if let Err(error) = worker.stop(&db).await {
        tracing::warn!(%error, "the claimed background work could not be given back: others take it after its lease");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_never_reach_the_logs() {
        assert_eq!(path_for_logs("/api/v1/links/AbCdEf123"), "/api/v1/links/<jeton>");
        assert_eq!(path_for_logs("/api/v1/registration-corrections/Xyz"), "/api/v1/registration-corrections/<jeton>");
        assert_eq!(path_for_logs("/api/v1/applications/42/submit"), "/api/v1/applications/42/submit");
    }

    #[test]
    fn passwords_in_urls_never_reach_the_logs() {
        let mut config = Config::local("d".into(), "http://x".into());
        config.database_url = Some("postgres://cqc:s3cret@db.example/cqc".into());
        config.smtp_url = Some("smtps://mailer:hunter2@smtp.example".into());
        config.sms_token = Some("sms-t0ken".into());
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret") && !printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("sms-t0ken"), "{printed}");
        assert!(printed.contains("db.example/cqc"));
    }
}
