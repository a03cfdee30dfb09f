//! What the commands share: the local store and the API client with the current session.

use cqc_client::client::{ApiClient, ClientError};
use cqc_store::{LocalStore, SharedStore, StoreError};
use cqc_sync::api::{ApiError, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

pub struct AppCore {
    store: SharedStore,
    server_url: String,
    /// Where downloaded PDFs are saved.
    pub download_dir: PathBuf,
    /// One sync at a time, whether asked for or in the background.
    pub sync_lock: tokio::sync::Mutex<()>,
    /// One sender of documents at a time: the background round and a step of the wizard would
    /// otherwise send the same file twice over.
    pub upload_lock: tokio::sync::Mutex<()>,
    /// The camera frame on screen: what « Prendre la photo » keeps.
    pub last_frame: std::sync::Mutex<Option<image::RgbImage>>,
}

/// Every command answers `Result<T, ApiError>`: the UI shows `message` and puts `fields` beside
/// their inputs.
pub type CommandResult<T> = Result<T, ApiError>;

impl AppCore {
    pub fn open(data_dir: &Path, server_url: &str, download_dir: PathBuf) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(data_dir)?;
        let store = LocalStore::open(&data_dir.join("cqc-local.sqlite3"))?;
        Ok(Self {
            store: SharedStore::new(store),
            server_url: server_url.to_owned(),
            download_dir,
            sync_lock: tokio::sync::Mutex::new(()),
            upload_lock: tokio::sync::Mutex::new(()),
            last_frame: std::sync::Mutex::new(None),
        })
    }

    pub fn store(&self) -> MutexGuard<'_, LocalStore> {
        self.store.lock()
    }

    /// The store as the sync engine works on it.
    pub fn replica(&self) -> &SharedStore {
        &self.store
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

    /// What the server answered, kept on this machine; when the server cannot be reached, the
    /// copy kept last time.
    pub fn fetched_or_copy<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        name: &str,
        fetched: Result<T, ClientError>,
    ) -> CommandResult<T> {
        match fetched {
            Ok(value) => {
                self.store().save_server_copy(name, &value).map_err(local_error)?;
                Ok(value)
            }
            Err(error) => {
                let error = self.remote_error(error);
                match self.store().server_copy(name).map_err(local_error)? {
                    Some(copy) if error.code == ErrorCode::Unreachable => Ok(copy),
                    _ => Err(error),
                }
            }
        }
    }

    /// Saves a file (a PDF, the archive of « Mes données ») in the downloads folder and answers
    /// where.
    pub fn save_download(&self, name: &str, bytes: &[u8]) -> CommandResult<String> {
        let write = || -> std::io::Result<PathBuf> {
            std::fs::create_dir_all(&self.download_dir)?;
            let path = self.download_dir.join(name);
            std::fs::write(&path, bytes)?;
            Ok(path)
        };
        write().map(|p| p.display().to_string()).map_err(|error| {
            tracing::error!(%error, name, "saving a download");
            ApiError::new(ErrorCode::Internal, "Le fichier n'a pas pu être enregistré dans le dossier Téléchargements.")
        })
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
