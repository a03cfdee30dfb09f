//! A real server on a loopback port, on SQLite, or on PostgreSQL when `CQC_TEST_POSTGRES_URL`
//! names a server (each test then gets a database of its own), with a clock the test moves.

use crate::outbox::Outbox;
use cqc_client::client::ApiClient;
use cqc_domain::registration::{fixtures::valid_input, RegistrationInput};
use cqc_server::clock::ManualClock;
use cqc_server::payments::Sandbox;
use cqc_server::{prepare, serve, AppState, Config};
use cqc_sync::api::Session;
use sqlx::Connection;
use std::sync::Arc;

pub const AGENT_EMAIL: &str = "agent@cqc.localhost";
pub const ADMIN_EMAIL: &str = "admin@cqc.localhost";
pub const CENTRE_APPROVAL: &str = "AGR-69-0042";
pub const STAFF_EMAIL: &str = "poste@centre.fr";
pub const PASSWORD: &str = "Camion-Rouge2024";

pub struct TestServer {
    pub base_url: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub outbox: Outbox,
    /// The payment processor: what it really charged.
    pub sandbox: Sandbox,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// A server whose settings `configure` changes first.
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Self {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("cqc_server=warn").try_init();
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let mut config = Config::local(dir.path().to_owned(), base_url.clone());
        config.database_url = fresh_postgres_database().await;
        // The timeout test card waits this long, not the production 15 s. Not less: the sandbox
        // processor keeps its ledger in the same database, and fifty payments at once on a loaded
        // 2-core machine made some of its answers later than 0.8 s.
        config.payment_timeout_ms = 3000;
        configure(&mut config);
        let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
        let state = prepare(&config, clock.clone()).await.expect("server starts");
        let sandbox = Sandbox::new(state.db.clone());
        tokio::spawn(serve(listener, state.clone(), std::future::pending()));
        Self { base_url, clock, state, outbox: Outbox::new(&config.outbox_dir()), sandbox, _dir: dir }
    }

    /// The server's data folder (documents, outbox).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// The bytes of the SQLite database's files (the file, its log, the log's index): what a
    /// file-level backup or a volume snapshot of the data folder holds. None on PostgreSQL.
    pub fn database_files(&self) -> Vec<(String, Vec<u8>)> {
        if self.state.db.backend != cqc_server::db::Backend::Sqlite {
            return Vec::new();
        }
        std::fs::read_dir(self.data_dir())
            .unwrap()
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                let bytes = std::fs::read(self.data_dir().join(&name)).ok()?;
                name.starts_with("cqc.sqlite3").then_some((name, bytes))
            })
            .collect()
    }

    /// The database file that holds `text`, if any.
    pub fn database_file_holding(&self, text: &str) -> Option<String> {
        let needle = text.as_bytes();
        self.database_files()
            .into_iter()
            .find(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
            .map(|(name, _)| name)
    }

    pub fn client(&self) -> ApiClient {
        ApiClient::new(&self.base_url)
    }

    pub fn authed(&self, session: &Session) -> ApiClient {
        self.client().with_token(Some(session.token.clone()))
    }

    pub async fn agent(&self) -> ApiClient {
        if cqc_server::db::find_account_by_email(&mut self.state.db.pool.acquire().await.unwrap(), AGENT_EMAIL)
            .await
            .unwrap()
            .is_none()
        {
            cqc_server::admin::create_agent(
                &self.state.db,
                self.clock.as_ref(),
                AGENT_EMAIL,
                "Agnès Traitement",
                PASSWORD,
            )
            .await
            .unwrap();
        }
        let session = self.client().login(AGENT_EMAIL, PASSWORD).await.unwrap();
        self.authed(&session)
    }

    /// The first administrator, as the command line creates it, logged in.
    pub async fn admin(&self) -> ApiClient {
        if cqc_server::db::find_account_by_email(&mut self.state.db.pool.acquire().await.unwrap(), ADMIN_EMAIL)
            .await
            .unwrap()
            .is_none()
        {
            cqc_server::admin::create_admin(&self.state.db, self.clock.as_ref(), ADMIN_EMAIL, "Alice Admin", PASSWORD)
                .await
                .unwrap();
        }
        let session = self.client().login(ADMIN_EMAIL, PASSWORD).await.unwrap();
        self.authed(&session)
    }

    /// Waits for the email to `to` whose subject contains `subject`, and returns its text.
    pub async fn email(&self, to: &str, subject: &str) -> String {
        self.outbox.email(to, subject).await
    }

    pub fn emails_to(&self, to: &str) -> Vec<String> {
        self.outbox.emails_to(to)
    }

    /// The one-time token of the link in the email to `to` about `subject`.
    pub async fn link_token(&self, to: &str, subject: &str) -> String {
        self.outbox.token(to, subject).await
    }

    /// Registers `input`, has the agent accept it and sets the password: an active driver.
    pub async fn active_driver(&self, input: &RegistrationInput) -> Session {
        let receipt = self.client().register(input).await.unwrap();
        self.agent().await.accept_registration(&receipt.request_id).await.unwrap();
        let token = self.link_token(&receipt.email, "créez votre mot de passe").await;
        self.client()
            .set_password(&cqc_sync::api::SetPasswordRequest {
                token,
                password: PASSWORD.into(),
                confirmation: PASSWORD.into(),
            })
            .await
            .unwrap();
        self.client().login(&receipt.email, PASSWORD).await.unwrap()
    }

    /// Logs in a staff member of the centre `approval` (approved on first use).
    pub async fn centre_staff(&self, approval: &str, email: &str) -> ApiClient {
        let db = &self.state.db;
        let exists =
            cqc_server::db::trainings::find_centre_by_approval(&mut db.pool.acquire().await.unwrap(), approval)
                .await
                .unwrap()
                .is_some();
        if !exists {
            cqc_server::admin::create_centre(
                db,
                self.clock.as_ref(),
                "Centre routier de Vénissieux",
                approval,
                "3 allée des Forgerons, 69200 Vénissieux",
            )
            .await
            .unwrap();
        }
        cqc_server::admin::create_centre_staff(
            db,
            self.clock.as_ref(),
            approval,
            email,
            "Françoise Formatrice",
            PASSWORD,
        )
        .await
        .unwrap();
        let session = self.client().login(email, PASSWORD).await.unwrap();
        self.authed(&session)
    }

    /// The attachments' file names and sizes of the emails sent to `to`.
    pub fn attachments_to(&self, to: &str) -> Vec<(String, usize)> {
        self.outbox.attachments_to(to)
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
            .get("n")
    }
}

/// The n-th driver of a test: a valid form with its own email and licence number.
pub fn driver(n: u32) -> RegistrationInput {
    let mut input = valid_input();
    input.email = format!("conducteur{n}@exemple.fr");
    input.licence_number = format!("13AA{n:05}");
    input
}

/// A database of its own on the PostgreSQL server the test script started, if it did.
pub async fn fresh_postgres_database() -> Option<String> {
    let server = std::env::var("CQC_TEST_POSTGRES_URL").ok()?;
    let name = format!("cqc_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres")).await.expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    Some(format!("{server}/{name}"))
}

/// The agent, an approved centre and one of its staff, made in `db` as the operator's commands
/// make them: for the tests that start the server as a process.
pub async fn agent_and_centre(db: &cqc_server::db::Db) {
    let clock = cqc_server::clock::SystemClock;
    cqc_server::admin::create_agent(db, &clock, AGENT_EMAIL, "Agnès Traitement", PASSWORD).await.unwrap();
    let address = "3 allée des Forgerons, 69200 Vénissieux";
    cqc_server::admin::create_centre(db, &clock, "Centre routier de Vénissieux", CENTRE_APPROVAL, address)
        .await
        .unwrap();
    cqc_server::admin::create_centre_staff(db, &clock, CENTRE_APPROVAL, STAFF_EMAIL, "Françoise Formatrice", PASSWORD)
        .await
        .unwrap();
}
