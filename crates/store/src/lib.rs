//! The desktop's local SQLite. Screens read from here, so they work offline; what comes from
//! the server is written here first. Schema changes are versioned migrations (`migrations/`).
#![forbid(unsafe_code)]

use cqc_sync::api::{Notification, Profile, RegistrationReceipt, Session};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

mod applications;
mod inactivity;
mod key;
mod sync;
pub use applications::LocalFile;
pub use inactivity::LockState;
pub use key::DatabaseKey;
pub use sync::{LocalTraining, SharedStore, TrainingState};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("local database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("local data unreadable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the key given does not open this local file")]
    WrongKey,
    #[error("the server gave an account id that cannot name a file")]
    AccountId,
    #[error("local data folder: {0}")]
    Folder(std::io::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The tables that hold one account's data. The computer's own file keeps only who is signed in,
/// the registrations sent from it and the forms a visitor fills before having an account.
const ACCOUNT_TABLES: [&str; 10] = [
    "sync_state",
    "outbox",
    "trainings",
    "recaps",
    "certificates",
    "certificate_keys",
    "application_files",
    "server_copies",
    "notifications",
    "drafts",
];

/// Which rows of an account table belong to the account: all, but a visitor's drafts (the
/// registration, a correction opened from its emailed link) stay with the computer.
fn account_rows(table: &str) -> &'static str {
    match table {
        "drafts" => "form <> 'registration' AND form NOT LIKE 'correction:%'",
        _ => "1",
    }
}

/// What an account made on this computer that the server does not hold yet: logging out says
/// it stays, and where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UnsentWork {
    pub trainings: u32,
    pub documents: u32,
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_local.sql")),
        M::up(include_str!("../migrations/0002_sync.sql")),
        M::up(include_str!("../migrations/0003_applications.sql")),
        M::up(include_str!("../migrations/0004_outbox_index.sql")),
        M::up(include_str!("../migrations/0005_lock.sql")),
        M::up(include_str!("../migrations/0006_holds_own_pushes.sql")),
    ])
}

pub struct LocalStore {
    conn: Connection,
}

/// The session kept between runs: the token and who it belongs to.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub token: String,
    pub expires_at: String,
    pub profile: Profile,
}

impl LocalStore {
    /// Opens (or makes) the encrypted file at `path`.
    pub fn open(path: &Path, key: &DatabaseKey) -> Result<Self> {
        let mut conn = key::open_encrypted(path, key)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A centre back from days offline syncs thousands of lines: keep them in memory (32 MB).
        conn.pragma_update(None, "cache_size", -32768)?;
        migrations().to_latest(&mut conn)?;
        Ok(Self { conn })
    }

    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        migrations().to_latest(&mut conn)?;
        Ok(Self { conn })
    }

    pub fn save_session(&self, session: &Session) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session (id, token, expires_at, profile_json) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET token = ?1, expires_at = ?2, profile_json = ?3",
            params![session.token, session.expires_at, serde_json::to_string(&session.profile)?],
        )?;
        Ok(())
    }

    pub fn session(&self) -> Result<Option<StoredSession>> {
        let row = self
            .conn
            .query_row("SELECT token, expires_at, profile_json FROM session WHERE id = 1", [], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
            })
            .optional()?;
        row.map(|(token, expires_at, profile)| {
            Ok(StoredSession { token, expires_at, profile: serde_json::from_str(&profile)? })
        })
        .transpose()
    }

    /// Keeps the profile fresh after the server answered.
    pub fn update_profile(&self, profile: &Profile) -> Result<()> {
        self.conn
            .execute("UPDATE session SET profile_json = ?1 WHERE id = 1", params![serde_json::to_string(profile)?])?;
        Ok(())
    }

    /// Logging out: this computer forgets who was signed in.
    pub fn forget_session(&self) -> Result<()> {
        self.conn.execute("DELETE FROM session", [])?;
        Ok(())
    }

    /// Logging out forgets the account's copies of the server's data, not only the token; a
    /// centre's trainings and a driver's documents not yet sent stay until they are.
    pub fn forget_server_copies(&self) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM notifications", [])?;
        tx.execute("DELETE FROM server_copies", [])?;
        // Scans, photo and signature the server holds leave the computer; unsent ones stay.
        tx.execute("DELETE FROM application_files WHERE uploaded = 1", [])?;
        sync::forget_pulled(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// What the account made here that the server does not hold yet.
    pub fn unsent_work(&self) -> Result<UnsentWork> {
        let count = |sql: &str| self.conn.query_row(sql, [], |row| row.get::<_, i64>(0)).map(|n| n as u32);
        Ok(UnsentWork {
            trainings: count("SELECT COUNT(DISTINCT training_id) FROM outbox")?,
            documents: count("SELECT COUNT(*) FROM application_files WHERE uploaded = 0")?,
        })
    }

    /// Moves what belongs to an account out of this computer's file into the account's own
    /// (`account`, opened and migrated by the caller). Versions before 0.2 kept everyone's data
    /// in one file: on the first start (or login) after the update, it goes to the account
    /// signed in then (or the next to sign in), once. Answers whether anything was moved.
    pub fn move_account_data_to(&self, account: &Path, key: &DatabaseKey) -> Result<bool> {
        let holds_any = ACCOUNT_TABLES
            .iter()
            .map(|table| {
                let any = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE {})", account_rows(table));
                self.conn.query_row(&any, [], |row| row.get::<_, bool>(0))
            })
            .collect::<rusqlite::Result<Vec<bool>>>()?;
        if !holds_any.contains(&true) {
            return Ok(false);
        }
        key::attach(&self.conn, account, "account", key)?;
        let moved = (|| -> Result<()> {
            // Copied and committed first, then removed here: a crash in between copies again
            // (the same rows, ignored) at the next start, and loses nothing.
            let copy = self.conn.unchecked_transaction()?;
            for table in ACCOUNT_TABLES {
                copy.execute(
                    &format!(
                        "INSERT OR IGNORE INTO account.{table} SELECT * FROM main.{table} WHERE {}",
                        account_rows(table)
                    ),
                    [],
                )?;
            }
            copy.commit()?;
            let remove = self.conn.unchecked_transaction()?;
            for table in ACCOUNT_TABLES {
                remove.execute(&format!("DELETE FROM main.{table} WHERE {}", account_rows(table)), [])?;
            }
            remove.commit()?;
            Ok(())
        })();
        self.conn.execute("DETACH DATABASE account", [])?;
        moved.map(|()| true)
    }

    pub fn save_draft(&self, form: &str, value: &serde_json::Value) -> Result<()> {
        self.conn.execute(
            "INSERT INTO drafts (form, json, saved_at) VALUES (?1, ?2, CURRENT_TIMESTAMP)
             ON CONFLICT (form) DO UPDATE SET json = ?2, saved_at = CURRENT_TIMESTAMP",
            params![form, value.to_string()],
        )?;
        Ok(())
    }

    pub fn draft(&self, form: &str) -> Result<Option<serde_json::Value>> {
        let json: Option<String> =
            self.conn.query_row("SELECT json FROM drafts WHERE form = ?1", [form], |row| row.get(0)).optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    pub fn clear_draft(&self, form: &str) -> Result<()> {
        self.conn.execute("DELETE FROM drafts WHERE form = ?1", [form])?;
        Ok(())
    }

    pub fn save_notifications(&self, notifications: &[Notification]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM notifications", [])?;
        for n in notifications {
            tx.execute(
                "INSERT INTO notifications (id, json, created_at) VALUES (?1, ?2, ?3)",
                params![n.id, serde_json::to_string(n)?, n.created_at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn notifications(&self) -> Result<Vec<Notification>> {
        self.all_json("SELECT json FROM notifications ORDER BY created_at DESC")
    }

    pub fn record_registration(&self, receipt: &RegistrationReceipt) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO sent_registrations (request_id, email) VALUES (?1, ?2)",
            params![receipt.request_id, receipt.email],
        )?;
        Ok(())
    }

    /// The email of the last registration sent from this machine, if any.
    pub fn last_registration_email(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT email FROM sent_registrations ORDER BY sent_at DESC, rowid DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn all_json<T: DeserializeOwned>(&self, sql: &str) -> Result<Vec<T>> {
        let mut statement = self.conn.prepare(sql)?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DatabaseKey;
    use cqc_domain::account::{AccountStatus, Role};

    fn session() -> Session {
        Session {
            token: "jeton".into(),
            expires_at: "2026-11-25T22:00:00Z".into(),
            profile: Profile {
                account_id: "a1".into(),
                role: Role::Driver,
                status: AccountStatus::Active,
                email: "jean@exemple.fr".into(),
                display_name: "Jean Dupont".into(),
                registration: None,
            },
        }
    }

    #[test]
    fn the_migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn a_session_survives_a_restart_and_logout_forgets_the_users_data() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let path = dir.path().join("local.sqlite3");
        {
            let store = LocalStore::open(&path, &key).unwrap();
            store.save_session(&session()).unwrap();
            store
                .save_notifications(&[Notification {
                    id: "n1".into(),
                    title: "Compte validé".into(),
                    body: "…".into(),
                    target: None,
                    created_at: "2026-11-25T10:00:00Z".into(),
                    read: false,
                }])
                .unwrap();
        }
        let store = LocalStore::open(&path, &key).unwrap();
        assert_eq!(store.session().unwrap().unwrap().profile.display_name, "Jean Dupont");
        assert_eq!(store.notifications().unwrap().len(), 1);
        store.forget_session().unwrap();
        store.forget_server_copies().unwrap();
        assert!(store.session().unwrap().is_none());
        assert!(store.notifications().unwrap().is_empty());
    }

    #[test]
    fn data_kept_in_the_computers_file_by_an_older_version_moves_to_the_account_once() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let computer = LocalStore::open(&dir.path().join("cqc-local.sqlite3"), &key).unwrap();
        computer.save_session(&session()).unwrap();
        computer.record_training("t-1", &cqc_domain::training::fixtures::valid_fco()).unwrap();
        computer.save_draft("training", &serde_json::json!({"last_name": "Mart"})).unwrap();
        computer.save_draft("registration", &serde_json::json!({"last_name": "Visiteur"})).unwrap();

        let account_file = dir.path().join("compte.sqlite3");
        let account = LocalStore::open(&account_file, &key).unwrap();
        assert!(computer.move_account_data_to(&account_file, &key).unwrap());
        assert_eq!(account.unsent_work().unwrap(), UnsentWork { trainings: 1, documents: 0 });
        assert!(account.draft("training").unwrap().is_some());
        assert!(account.draft("registration").unwrap().is_none(), "a visitor's form stays with the computer");
        assert!(account.session().unwrap().is_none(), "who is signed in stays with the computer");

        assert_eq!(computer.unsent_work().unwrap(), UnsentWork::default());
        assert!(computer.draft("training").unwrap().is_none());
        assert!(computer.draft("registration").unwrap().is_some());
        assert!(computer.session().unwrap().is_some());
        assert!(!computer.move_account_data_to(&account_file, &key).unwrap(), "moved once");
        assert_eq!(account.trainings().unwrap().len(), 1);
    }

    #[test]
    fn a_half_filled_form_survives_a_restart_until_it_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let path = dir.path().join("local.sqlite3");
        let draft = serde_json::json!({"last_name": "Dupo", "consents": {"privacy_policy": true}});
        LocalStore::open(&path, &key).unwrap().save_draft("registration", &draft).unwrap();
        let store = LocalStore::open(&path, &key).unwrap();
        assert_eq!(store.draft("registration").unwrap(), Some(draft));
        store.save_draft("registration", &serde_json::json!({"last_name": "Dupont"})).unwrap();
        assert_eq!(store.draft("registration").unwrap().unwrap()["last_name"], "Dupont");
        store.clear_draft("registration").unwrap();
        assert_eq!(store.draft("registration").unwrap(), None);
    }

    #[test]
    fn the_last_registration_sent_is_remembered() {
        let store = LocalStore::open_in_memory().unwrap();
        assert_eq!(store.last_registration_email().unwrap(), None);
        let receipt = RegistrationReceipt {
            request_id: "r1".into(),
            email: "jean@exemple.fr".into(),
            status: AccountStatus::PendingAnalysis,
        };
        store.record_registration(&receipt).unwrap();
        assert_eq!(store.last_registration_email().unwrap().as_deref(), Some("jean@exemple.fr"));
    }
}

#[cfg(test)]
mod encryption_tests {
    use super::*;
    use cqc_domain::training::fixtures::valid_fco;

    #[test]
    fn the_file_on_disk_holds_no_name_no_licence_number_and_no_sqlite_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compte.sqlite3");
        let key = DatabaseKey::generate();
        let store = LocalStore::open(&path, &key).unwrap();
        store.record_training("t-1", &valid_fco()).unwrap();
        drop(store);
        let mut on_disk = std::fs::read(&path).unwrap();
        for side in ["-wal", "-shm"] {
            on_disk.extend(std::fs::read(format!("{}{side}", path.display())).unwrap_or_default());
        }
        assert!(!on_disk.starts_with(b"SQLite format 3"));
        let record = valid_fco();
        for clear in [record.last_name.as_str(), record.licence_number.as_str(), "trainings", "outbox"] {
            assert!(!on_disk.windows(clear.len()).any(|w| w == clear.as_bytes()), "« {clear} » readable on disk");
        }
        // Reopened with its key, everything is there.
        assert_eq!(LocalStore::open(&path, &key).unwrap().trainings().unwrap().len(), 1);
    }

    #[test]
    fn without_its_key_the_file_cannot_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compte.sqlite3");
        LocalStore::open(&path, &DatabaseKey::generate()).unwrap().record_training("t-1", &valid_fco()).unwrap();
        assert!(matches!(LocalStore::open(&path, &DatabaseKey::generate()), Err(StoreError::WrongKey)));
        let plain = Connection::open(&path).unwrap();
        assert!(plain.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err());
    }

    #[test]
    fn a_file_left_in_clear_by_an_older_version_is_encrypted_in_place_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cqc-local.sqlite3");
        {
            // What 0.1 wrote: the same schema, in clear, in WAL mode.
            let mut plain = Connection::open(&path).unwrap();
            plain.pragma_update(None, "journal_mode", "WAL").unwrap();
            migrations().to_latest(&mut plain).unwrap();
            plain
                .execute("INSERT INTO drafts (form, json) VALUES ('registration', '{\"last_name\":\"Dupont\"}')", [])
                .unwrap();
        }
        let key = DatabaseKey::generate();
        let store = LocalStore::open(&path, &key).unwrap();
        assert_eq!(store.draft("registration").unwrap().unwrap()["last_name"], "Dupont");
        drop(store);
        assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
        assert!(!dir.path().join("cqc-local.chiffrement").exists());
        assert_eq!(
            LocalStore::open(&path, &key).unwrap().draft("registration").unwrap().unwrap()["last_name"],
            "Dupont"
        );
    }

    #[test]
    fn a_key_reads_back_from_its_hexadecimal_form() {
        let key = DatabaseKey::generate();
        assert_eq!(DatabaseKey::from_hex(&key.to_hex()), Some(key));
        assert_eq!(DatabaseKey::from_hex("zz"), None);
        assert_eq!(DatabaseKey::from_hex(&"é".repeat(32)), None);
    }
}
