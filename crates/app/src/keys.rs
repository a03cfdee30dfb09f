//! Where the keys of the local files live: the system's keychain (Secret Service, Keychain,
//! Credential Manager), one entry per file. On a computer without one, the user is asked first;
//! then the keys go in files of the data folder that only the user's account can read, which
//! keeps the data unreadable to anyone who copies the files alone, not to someone who can open
//! the user's own session.

use cqc_store::DatabaseKey;
use std::path::{Path, PathBuf};

/// The keychain's service name: one per app.
const SERVICE: &str = "fr.cqc.desktop";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("system keychain: {0}")]
    Keychain(#[from] keyring::Error),
    #[error("key folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("the key kept for « {0} » is damaged")]
    Damaged(String),
}

/// Gives each local file its key, made and kept the first time it is asked for.
pub trait KeyVault: Send + Sync {
    fn key(&self, file: &str) -> Result<DatabaseKey, KeyError>;
}

pub struct SystemKeychain;

impl SystemKeychain {
    /// The keychain if this computer has one that answers.
    pub fn available() -> Option<Self> {
        match keyring::Entry::new(SERVICE, "sonde").and_then(|entry| entry.get_password()) {
            Ok(_) | Err(keyring::Error::NoEntry) => Some(Self),
            Err(error) => {
                tracing::warn!(%error, "no system keychain");
                None
            }
        }
    }
}

impl KeyVault for SystemKeychain {
    fn key(&self, file: &str) -> Result<DatabaseKey, KeyError> {
        let entry = keyring::Entry::new(SERVICE, file)?;
        match entry.get_password() {
            Ok(hex) => DatabaseKey::from_hex(&hex).ok_or_else(|| KeyError::Damaged(file.to_owned())),
            Err(keyring::Error::NoEntry) => {
                let key = DatabaseKey::generate();
                entry.set_password(&key.to_hex())?;
                Ok(key)
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// The keys in files readable by the user alone, chosen by the user when there is no keychain.
pub struct KeyFolder(PathBuf);

impl KeyFolder {
    fn folder(data_dir: &Path) -> PathBuf {
        data_dir.join("cles")
    }

    /// The folder, if the user chose it before on this computer: its keys open the files.
    pub fn chosen(data_dir: &Path) -> Option<Self> {
        let folder = Self::folder(data_dir);
        folder.is_dir().then_some(Self(folder))
    }

    /// The user's choice, made once.
    pub fn choose(data_dir: &Path) -> Result<Self, KeyError> {
        let folder = Self::folder(data_dir);
        std::fs::create_dir_all(&folder)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Self(folder))
    }
}

impl KeyVault for KeyFolder {
    fn key(&self, file: &str) -> Result<DatabaseKey, KeyError> {
        let path = self.0.join(format!("{file}.cle"));
        match std::fs::read_to_string(&path) {
            Ok(hex) => DatabaseKey::from_hex(hex.trim()).ok_or_else(|| KeyError::Damaged(file.to_owned())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = DatabaseKey::generate();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                std::io::Write::write_all(&mut options.open(&path)?, key.to_hex().as_bytes())?;
                Ok(key)
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// Which keys this computer uses at start: the folder the user chose before (its keys open the
/// files), else the system's keychain; `None` when there is none and the user has not chosen.
pub fn vault_at_start(data_dir: &Path) -> Option<Box<dyn KeyVault>> {
    match KeyFolder::chosen(data_dir) {
        Some(folder) => Some(Box::new(folder)),
        None => SystemKeychain::available().map(|keychain| Box::new(keychain) as Box<dyn KeyVault>),
    }
}
