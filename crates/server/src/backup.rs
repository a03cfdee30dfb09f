//! Backups of the one-machine set-up (SQLite file, documents folder, certificate signing key):
//! `cqc-server backup` copies them while the server runs, `cqc-server restore` puts a copy back
//! while it is stopped. PostgreSQL and S3 have their own tools (docs/operations/backup.md).

use crate::db::Db;
use crate::db::DbError;
use crate::Config;
use std::path::{Path, PathBuf};

const DATABASE: &str = "cqc.sqlite3";
const DOCUMENTS: &str = "documents";
const SIGNING_KEY: &str = "certificate-signing.key";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "cette commande sauvegarde l'installation sur une machine (SQLite et dossier de documents) ; \
         avec PostgreSQL ou S3, utilisez pg_dump et la copie du bucket (docs/operations/backup.md)"
    )]
    NotLocal,
    #[error("le dossier {0} existe déjà : choisissez un dossier nouveau")]
    TargetExists(PathBuf),
    #[error("{0} n'est pas une sauvegarde (aucun fichier {DATABASE})")]
    NotABackup(PathBuf),
    #[error("base de données : {0}")]
    Database(#[from] DbError),
    #[error("fichiers : {0}")]
    Io(#[from] std::io::Error),
}

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backed {
    pub database_bytes: u64,
    pub documents: usize,
}

fn local_database(config: &Config) -> Result<PathBuf, BackupError> {
    let path = crate::db::sqlite_path(&config.database_url()).ok_or(BackupError::NotLocal)?;
    if config.s3_bucket.is_some() {
        return Err(BackupError::NotLocal);
    }
    Ok(path)
}

/// Copies the database, then the documents and the signing key, into the new folder `to`. The
/// database copy is one consistent snapshot (SQLite's `VACUUM INTO`, a read transaction: the
/// server keeps serving). It is taken first, so every document it names is already on disk when
/// the folder is copied; a document added meanwhile is copied too, and harmless.
pub async fn backup(config: &Config, to: &Path) -> Result<Backed, BackupError> {
    local_database(config)?;
    if to.exists() {
        return Err(BackupError::TargetExists(to.to_owned()));
    }
    std::fs::create_dir_all(to)?;
    let db = Db::connect(&config.database_url()).await?;
    let target = to.join(DATABASE);
    db.copy_into(&target).await?;
    db.pool.close().await;
    let documents = copy_tree(&config.data_dir.join(DOCUMENTS), &to.join(DOCUMENTS))?;
    let key = config.data_dir.join(SIGNING_KEY);
    if key.exists() {
        std::fs::copy(&key, to.join(SIGNING_KEY))?;
    }
    Ok(Backed { database_bytes: std::fs::metadata(&target)?.len(), documents })
}

/// Puts the backup `from` in place of the data of `config`: to run with the server stopped. The
/// data it replaces is moved aside (`<data folder>/before-restore-<time>`), never deleted.
pub async fn restore(config: &Config, from: &Path) -> Result<PathBuf, BackupError> {
    let database = local_database(config)?;
    if !from.join(DATABASE).is_file() {
        return Err(BackupError::NotABackup(from.to_owned()));
    }
    let aside = config.data_dir.join(format!("before-restore-{}", time::OffsetDateTime::now_utc().unix_timestamp()));
    std::fs::create_dir_all(&aside)?;
    let wal = |path: &Path, suffix: &str| PathBuf::from(format!("{}{suffix}", path.display()));
    for path in [database.clone(), wal(&database, "-wal"), wal(&database, "-shm"), config.data_dir.join(DOCUMENTS)] {
        if path.exists() {
            std::fs::rename(&path, aside.join(path.file_name().unwrap_or_default()))?;
        }
    }
    let key = config.data_dir.join(SIGNING_KEY);
    if from.join(SIGNING_KEY).exists() && key.exists() {
        std::fs::copy(&key, aside.join(SIGNING_KEY))?;
    }
    std::fs::copy(from.join(DATABASE), &database)?;
    copy_tree(&from.join(DOCUMENTS), &config.data_dir.join(DOCUMENTS))?;
    if from.join(SIGNING_KEY).exists() {
        std::fs::copy(from.join(SIGNING_KEY), key)?;
    }
    Ok(aside)
}

/// Copies the files under `from` (if any) to `to`; answers how many.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<usize> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(0);
    };
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in entries {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
            copied += 1;
        }
    }
    Ok(copied)
}
