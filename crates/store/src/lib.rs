//! The desktop's local SQLite. Screens read from here, so they work offline; what comes from
//! the server is written here first. Schema changes are versioned migrations (`migrations/`).
#![forbid(unsafe_code)]

use cqc_sync::api::{Notification, Profile, RegistrationReceipt, Session};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use serde::de::DeserializeOwned;
use std::path::Path;

mod applications;
mod sync;
pub use applications::LocalFile;
pub use sync::{LocalTraining, SharedStore, TrainingState};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("local database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("local data unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_local.sql")),
        M::up(include_str!("../migrations/0002_sync.sql")),
        M::up(include_str!("../migrations/0003_applications.sql")),
        M::up(include_str!("../migrations/0004_outbox_index.sql")),
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
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
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

    /// Logging out forgets the user's data on this machine, not only the token; a centre's
    /// trainings and a driver's documents not yet sent stay until they are.
    pub fn clear_session(&self) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM session", [])?;
        tx.execute("DELETE FROM notifications", [])?;
        tx.execute("DELETE FROM server_copies", [])?;
        // Scans, photo and signature the server holds leave the computer; unsent ones stay.
        tx.execute("DELETE FROM application_files WHERE uploaded = 1", [])?;
        sync::forget_pulled(&tx)?;
        tx.commit()?;
        Ok(())
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
        let path = dir.path().join("local.sqlite3");
        {
            let store = LocalStore::open(&path).unwrap();
            store.save_session(&session()).unwrap();
            store
                .save_notifications(&[Notification {
                    id: "n1".into(),
                    title: "Compte validé".into(),
                    body: "…".into(),
                    target: None,
                    created_at: "2026-11-25T10:00:00Z".into(),
                }])
                .unwrap();
        }
        let store = LocalStore::open(&path).unwrap();
        assert_eq!(store.session().unwrap().unwrap().profile.display_name, "Jean Dupont");
        assert_eq!(store.notifications().unwrap().len(), 1);
        store.clear_session().unwrap();
        assert!(store.session().unwrap().is_none());
        assert!(store.notifications().unwrap().is_empty());
    }

    #[test]
    fn a_half_filled_form_survives_a_restart_until_it_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("local.sqlite3");
        let draft = serde_json::json!({"last_name": "Dupo", "consents": {"privacy_policy": true}});
        LocalStore::open(&path).unwrap().save_draft("registration", &draft).unwrap();
        let store = LocalStore::open(&path).unwrap();
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
