//! What the commands share: the local stores and the API client with the current session.
//!
//! Local data is per account: the computer's own file (`cqc-local.sqlite3`) says who is signed
//! in and keeps what a visitor fills before having an account; each account's outbox, drafts,
//! documents waiting, copies of the server's lists and sync identity live in its own file
//! (`comptes/<account id>.sqlite3`), opened at login and closed at logout. Another account
//! signing in on the same computer never sees, changes or sends them.

use crate::keys::{KeyError, KeyFolder, KeyVault};
use cqc_client::client::{ApiClient, ClientError};
use cqc_store::{DatabaseKey, LocalStore, SharedStore, StoreError, StoredSession, UnsentWork};
use cqc_sync::api::{ApiError, ErrorCode, Profile, Session};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub struct AppCore {
    /// The computer's own file: who is signed in, a visitor's forms.
    computer: Mutex<LocalStore>,
    /// The signed-in account's file; an empty store in memory while nobody is signed in.
    store: SharedStore,
    /// The keys of the local files; `None` until the user chose, on a computer without keychain.
    vault: Mutex<Option<Box<dyn KeyVault>>>,
    data_dir: PathBuf,
    server_url: String,
    /// Where downloaded PDFs are saved.
    pub download_dir: PathBuf,
    /// One sync at a time, whether asked for or in the background.
    pub sync_lock: tokio::sync::Mutex<()>,
    /// One sender of documents at a time: the background round and a step of the wizard would
    /// otherwise send the same file twice over.
    pub upload_lock: tokio::sync::Mutex<()>,
    /// The camera frames last shown: « Prendre la photo » keeps the one on screen.
    pub recent_frames: std::sync::Mutex<RecentFrames>,
}

/// The last frames of the camera preview, each with its number. The screen names the frame it
/// shows when the photo is taken: the next one may already have been read (and be dark or
/// blurred) by the time a slow click arrives.
#[derive(Default)]
pub struct RecentFrames {
    next: u32,
    frames: std::collections::VecDeque<(u32, image::RgbImage)>,
}

impl RecentFrames {
    /// A preview in flight or two, and the one on screen.
    const KEPT: usize = 4;

    pub fn keep(&mut self, frame: image::RgbImage) -> u32 {
        let number = self.next;
        self.next = self.next.wrapping_add(1);
        if self.frames.len() == Self::KEPT {
            self.frames.pop_front();
        }
        self.frames.push_back((number, frame));
        number
    }

    pub fn get(&self, number: u32) -> Option<&image::RgbImage> {
        self.frames.iter().find(|(n, _)| *n == number).map(|(_, frame)| frame)
    }
}

/// Every command answers `Result<T, ApiError>`: the UI shows `message` and puts `fields` beside
/// their inputs.
pub type CommandResult<T> = Result<T, ApiError>;

/// Why the local data could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LocalDataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl AppCore {
    /// The app's data in `data_dir`, its files opened with the keys of `vault`; without one
    /// (no keychain, the user not yet asked) or when it fails, nothing is opened until `unlock`.
    pub fn open(
        data_dir: &Path,
        server_url: &str,
        download_dir: PathBuf,
        vault: Option<Box<dyn KeyVault>>,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(data_dir)?;
        let core = Self {
            computer: Mutex::new(LocalStore::open_in_memory()?),
            store: SharedStore::new(LocalStore::open_in_memory()?),
            vault: Mutex::new(None),
            data_dir: data_dir.to_owned(),
            server_url: server_url.to_owned(),
            download_dir,
            sync_lock: tokio::sync::Mutex::new(()),
            upload_lock: tokio::sync::Mutex::new(()),
            recent_frames: std::sync::Mutex::new(RecentFrames::default()),
        };
        // A keychain that fails now (locked, refused) must not keep the app from starting: it
        // starts locked, and the screen asks where the keys go.
        if let Some(Err(error)) = vault.map(|vault| core.unlock(vault)) {
            tracing::error!(%error, "local data not opened at start");
        }
        Ok(core)
    }

    /// Opens the computer's file with the keys of `vault`, and the account signed in, if any.
    pub fn unlock(&self, vault: Box<dyn KeyVault>) -> Result<(), LocalDataError> {
        let computer = open_or_set_aside(&self.data_dir.join("cqc-local.sqlite3"), &vault.key("ordinateur")?)?;
        let signed_in = computer.session()?;
        *self.computer() = computer;
        *self.vault() = Some(vault);
        if let Some(session) = signed_in {
            self.store.replace(self.open_account(&session.profile)?);
        }
        Ok(())
    }

    /// On a computer without keychain, once the user agreed: the keys go in the data folder.
    pub fn keep_keys_in_data_folder(&self) -> CommandResult<()> {
        let folder = KeyFolder::choose(&self.data_dir).map_err(|error| local_data_error(error.into()))?;
        self.unlock(Box::new(folder)).map_err(local_data_error)
    }

    /// Whether the local files are open: false on a computer without keychain until the user
    /// chose where their keys go.
    pub fn unlocked(&self) -> bool {
        self.vault().is_some()
    }

    /// The signed-in account's data on this computer.
    pub fn store(&self) -> MutexGuard<'_, LocalStore> {
        self.store.lock()
    }

    /// The computer's own file: the session, the registrations sent from here.
    pub fn computer(&self) -> MutexGuard<'_, LocalStore> {
        self.computer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn vault(&self) -> MutexGuard<'_, Option<Box<dyn KeyVault>>> {
        self.vault.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where a form's draft is kept: with the account signed in, else with the computer (the
    /// registration, a correction opened from its link).
    pub fn drafts(&self) -> CommandResult<MutexGuard<'_, LocalStore>> {
        Ok(if self.session()?.is_some() { self.store() } else { self.computer() })
    }

    pub fn session(&self) -> CommandResult<Option<StoredSession>> {
        self.computer().session().map_err(local_error)
    }

    /// The account's own file, made (with what an older version left in the computer's file)
    /// the first time it signs in here, with its own key.
    fn open_account(&self, profile: &Profile) -> Result<LocalStore, LocalDataError> {
        // The id names a file and a key: only a well-formed one from the server is used.
        let id = uuid::Uuid::parse_str(&profile.account_id).map_err(|_| StoreError::AccountId)?;
        let name = format!("compte-{}", id.hyphenated());
        let key = match &*self.vault() {
            Some(vault) => vault.key(&name)?,
            None => return Err(StoreError::WrongKey.into()),
        };
        let path = self.account_file(id);
        std::fs::create_dir_all(path.parent().unwrap_or(&self.data_dir)).map_err(StoreError::Folder)?;
        let account = open_or_set_aside(&path, &key)?;
        self.computer().move_account_data_to(&path, &key)?;
        Ok(account)
    }

    /// Signs in on this computer: the account's own data is opened. Waits for a sync or an
    /// upload in flight, which belong to the account before.
    pub async fn sign_in(&self, session: &Session) -> CommandResult<()> {
        let _no_sync = self.sync_lock.lock().await;
        let _no_upload = self.upload_lock.lock().await;
        self.store.replace(self.open_account(&session.profile).map_err(local_data_error)?);
        self.computer().save_session(session).map_err(local_error)
    }

    /// Signs out: the account's copies of the server's data are forgotten, its unsent work stays
    /// in its file until it signs in again here.
    pub async fn sign_out(&self) -> CommandResult<()> {
        let _no_sync = self.sync_lock.lock().await;
        let _no_upload = self.upload_lock.lock().await;
        self.store().forget_server_copies().map_err(local_error)?;
        self.store.replace(LocalStore::open_in_memory().map_err(local_error)?);
        self.computer().forget_session().map_err(local_error)
    }

    fn account_file(&self, id: uuid::Uuid) -> std::path::PathBuf {
        self.data_dir.join("comptes").join(format!("{}.sqlite3", id.hyphenated()))
    }

    /// After the account was closed on the service: signed out, and its file on this computer
    /// deleted (its unsent work too: the service would refuse it now).
    pub async fn forget_closed_account(&self) -> CommandResult<()> {
        let id = self.session()?.and_then(|s| uuid::Uuid::parse_str(&s.profile.account_id).ok());
        self.sign_out().await?;
        if let Some(id) = id {
            let file = self.account_file(id);
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => return Err(local_error(error)),
                }
            }
        }
        Ok(())
    }

    /// What the signed-in account made here that the server does not hold yet.
    pub fn unsent_work(&self) -> CommandResult<UnsentWork> {
        self.store().unsent_work().map_err(local_error)
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
        let token = self.session()?.map(|s| s.token);
        match token {
            Some(token) => Ok(self.anonymous().with_token(Some(token))),
            None => Err(ApiError::new(ErrorCode::Unauthenticated, "Connectez-vous pour continuer.")),
        }
    }

    /// A call to the server as the person signed in, its failure as the screen shows it (an
    /// expired session forgotten here): every relay's error mapping, written once.
    pub async fn remote<T>(&self, call: impl AsyncFnOnce(&ApiClient) -> Result<T, ClientError>) -> CommandResult<T> {
        let api = self.authed()?;
        call(&api).await.map_err(|error| self.remote_error(error))
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

    /// Turns a client error into what the UI shows; an expired session is forgotten locally (the
    /// account's file stays open until someone signs in or out: a sync may be using it).
    pub fn remote_error(&self, error: ClientError) -> ApiError {
        let error = error.into_api_error();
        if error.code == ErrorCode::Unauthenticated {
            let _ = self.computer().forget_session();
        }
        error
    }
}

/// A file its key no longer opens (the keychain was reset) is kept aside, renamed, and a new
/// one made: the app starts, and nothing is deleted.
fn open_or_set_aside(path: &Path, key: &DatabaseKey) -> Result<LocalStore, StoreError> {
    match LocalStore::open(path, key) {
        Err(StoreError::WrongKey) => {
            let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            let aside = path.with_extension(format!("illisible-{}", seconds.as_secs()));
            tracing::error!(file = %path.display(), aside = %aside.display(), "local file not opened by its key: set aside");
            std::fs::rename(path, &aside).map_err(StoreError::Folder)?;
            LocalStore::open(path, key)
        }
        opened => opened,
    }
}

/// A key the keychain did not give is the user's to mend (unlock it); anything else is ours.
pub fn local_data_error(error: LocalDataError) -> ApiError {
    match error {
        LocalDataError::Key(error) => {
            tracing::error!(%error, "local keys");
            ApiError::new(
                ErrorCode::Internal,
                "La clé qui protège vos données sur cet ordinateur n'a pas pu être lue dans le trousseau du système : \
                 déverrouillez-le (ou ouvrez votre session), puis réessayez.",
            )
        }
        LocalDataError::Store(error) => local_error(error),
    }
}

pub fn local_error(error: impl std::fmt::Display) -> ApiError {
    tracing::error!(%error, "local store");
    ApiError::new(ErrorCode::Internal, "Les données de cet ordinateur n'ont pas pu être lues ou enregistrées.")
}

#[cfg(test)]
mod tests {
    use super::RecentFrames;

    #[test]
    fn the_photo_taken_is_the_frame_on_screen_even_when_newer_ones_were_read() {
        let mut frames = RecentFrames::default();
        let shade = |v: u8| image::RgbImage::from_pixel(1, 1, image::Rgb([v, v, v]));
        let on_screen = frames.keep(shade(10));
        let newer: Vec<u32> = (11..14).map(|v| frames.keep(shade(v))).collect();
        assert_eq!(frames.get(on_screen).unwrap().get_pixel(0, 0)[0], 10);
        assert_eq!(frames.get(newer[2]).unwrap().get_pixel(0, 0)[0], 13);
        // Frames long gone are not kept: the screen must show a fresh one first.
        frames.keep(shade(14));
        assert!(frames.get(on_screen).is_none());
    }
}
