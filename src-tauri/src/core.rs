//! What the commands share: the local store and the API client with the current session.

use cqc_store::{LocalStore, StoreError};
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::client::{ApiClient, ClientError};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

pub struct AppCore {
    store: Mutex<LocalStore>,
    server_url: String,
}

/// Every command answers `Result<T, ApiError>`: the UI shows `message` and puts `fields` beside
/// their inputs.
pub type CommandResult<T> = Result<T, ApiError>;

impl AppCore {
    pub fn open(data_dir: &Path, server_url: &str) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(data_dir)?;
        let store = LocalStore::open(&data_dir.join("cqc-local.sqlite3"))?;
        Ok(Self { store: Mutex::new(store), server_url: server_url.to_owned() })
    }

    pub fn store(&self) -> MutexGuard<'_, LocalStore> {
        // A panic while holding the lock leaves SQLite consistent (each write is one statement
        // or one transaction), so the store stays usable.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// A client without session, for the calls made before logging in.
    pub fn anonymous(&self) -> ApiClient {
        ApiClient::new(&self.server_url)
    }

    /// A client carrying the saved session's token.
    pub fn authed(&self) -> CommandResult<ApiClient> {
        let token = self.store().session().map_err(local_error)?.map(|s| s.token);
        match token {
            Some(token) => Ok(self.anonymous().with_token(Some(token))),
            None => Err(ApiError::new(ErrorCode::Unauthenticated, "Connectez-vous pour continuer.")),
        }
    }

    /// Turns a client error into what the UI shows; an expired session is forgotten locally.
    pub fn remote_error(&self, error: ClientError) -> ApiError {
        let error = error.into_api_error();
        if error.code == ErrorCode::Unauthenticated {
            let _ = self.store().clear_session();
        }
        error
    }
}

pub fn local_error(error: StoreError) -> ApiError {
    tracing::error!(%error, "local store");
    ApiError::new(ErrorCode::Internal, "Les données de cet ordinateur n'ont pas pu être lues ou enregistrées.")
}
