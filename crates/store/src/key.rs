//! Every local file is encrypted at rest (SQLCipher, AES-256): its key is 32 random bytes kept
//! outside the file, in the system's keychain.

use crate::{Result, StoreError};
use rand::RngCore;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The key of one encrypted local file.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseKey([u8; 32]);

impl DatabaseKey {
    pub fn generate() -> Self {
        let mut bytes = [0; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// As kept in a keychain: 64 hexadecimal digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut bytes = [0; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(Self(bytes))
    }

    /// SQLCipher's raw key syntax: used as is, no passphrase derivation.
    fn pragma(&self) -> String {
        format!("x'{}'", self.to_hex())
    }
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(…)")
    }
}

/// Opens `path` with `key`: a file an older version left in clear is encrypted first, in place.
pub(crate) fn open_encrypted(path: &Path, key: &DatabaseKey) -> Result<Connection> {
    if holds_plain_sqlite(path)? {
        encrypt_plain_file(path, key)?;
    }
    let conn = open_file(path)?;
    unlock(&conn, key)?;
    Ok(conn)
}

pub(crate) fn unlock(conn: &Connection, key: &DatabaseKey) -> Result<()> {
    conn.pragma_update(None, "key", key.pragma())?;
    // A wrong key shows at the first read.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map_err(|_| StoreError::WrongKey)
}

/// Attaches another encrypted file to `conn` as `name`.
pub(crate) fn attach(conn: &Connection, path: &Path, name: &str, key: &DatabaseKey) -> Result<()> {
    let path = sqlite_path(path);
    conn.execute(&format!("ATTACH DATABASE ?1 AS {name} KEY ?2"), [path.to_string_lossy().as_ref(), &key.pragma()])?;
    Ok(())
}

/// Opens the SQLite file at `path`. On Windows, SQLite's own file layer stops at 260 characters
/// (MAX_PATH) unless it is given a `\\?\` path and its long-path VFS (which attached files share);
/// Rust's std needs neither. A deep profile folder or a centre's shared drive passes 260 easily.
fn open_file(path: &Path) -> Result<Connection> {
    #[cfg(windows)]
    let conn =
        Connection::open_with_flags_and_vfs(sqlite_path(path), rusqlite::OpenFlags::default(), "win32-longpath")?;
    #[cfg(not(windows))]
    let conn = Connection::open(path)?;
    Ok(conn)
}

/// The path as SQLite takes it: on Windows absolute and `\\?\`-prefixed (its folder's canonical
/// form, the file itself may not exist yet), elsewhere as it is.
fn sqlite_path(path: &Path) -> PathBuf {
    #[cfg(windows)]
    if let (Some(Ok(folder)), Some(name)) = (path.parent().map(std::fs::canonicalize), path.file_name()) {
        return folder.join(name);
    }
    path.to_owned()
}

fn holds_plain_sqlite(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0; 16];
    match std::fs::File::open(path) {
        Ok(mut file) => Ok(file.read_exact(&mut header).is_ok() && &header == b"SQLite format 3\0"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(StoreError::Folder(error)),
    }
}

/// Copies a clear file into an encrypted one beside it, then puts it in its place: a crash
/// before the rename leaves the clear file as it was, and the next start does it again.
fn encrypt_plain_file(path: &Path, key: &DatabaseKey) -> Result<()> {
    let encrypted = path.with_extension("chiffrement");
    let _ = std::fs::remove_file(&encrypted);
    {
        let plain = open_file(path)?;
        // Everything the write-ahead log holds goes into the file first.
        plain.pragma_update(None, "journal_mode", "DELETE")?;
        let version: i64 = plain.pragma_query_value(None, "user_version", |row| row.get(0))?;
        attach(&plain, &encrypted, "encrypted", key)?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        // The schema's version, which the migrations read.
        plain.pragma_update(Some(rusqlite::DatabaseName::Attached("encrypted")), "user_version", version)?;
        plain.execute("DETACH DATABASE encrypted", [])?;
    }
    std::fs::rename(&encrypted, path).map_err(StoreError::Folder)
}
