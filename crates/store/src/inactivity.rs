//! The account's lock after inactivity, kept in its own encrypted file.

use crate::{LocalStore, Result};
use rusqlite::params;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockState {
    /// The password typed at the last login, as an Argon2id verifier.
    pub password_verifier: Option<String>,
    pub chosen_minutes: Option<u32>,
    pub locked: bool,
    pub failed_attempts: u32,
}

impl LocalStore {
    pub fn lock_state(&self) -> Result<LockState> {
        Ok(self.conn.query_row(
            "SELECT password_verifier, chosen_minutes, locked, failed_attempts FROM inactivity_lock WHERE id = 1",
            [],
            |row| {
                Ok(LockState {
                    password_verifier: row.get(0)?,
                    chosen_minutes: row.get(1)?,
                    locked: row.get(2)?,
                    failed_attempts: row.get(3)?,
                })
            },
        )?)
    }

    /// At login: the password's verifier, and the lock open.
    pub fn remember_password(&self, verifier: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE inactivity_lock SET password_verifier = ?1, locked = 0, failed_attempts = 0 WHERE id = 1",
            [verifier],
        )?;
        Ok(())
    }

    pub fn set_locked(&self, locked: bool) -> Result<()> {
        self.conn.execute("UPDATE inactivity_lock SET locked = ?1, failed_attempts = 0 WHERE id = 1", [locked])?;
        Ok(())
    }

    /// A wrong password on the lock screen: answers how many in a row now.
    pub fn count_failed_unlock(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "UPDATE inactivity_lock SET failed_attempts = failed_attempts + 1 WHERE id = 1 RETURNING failed_attempts",
            [],
            |row| row.get(0),
        )?)
    }

    pub fn choose_lock_minutes(&self, minutes: Option<u32>) -> Result<()> {
        self.conn.execute("UPDATE inactivity_lock SET chosen_minutes = ?1 WHERE id = 1", params![minutes])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{DatabaseKey, LocalStore};

    #[test]
    fn a_lock_survives_a_restart_until_the_password_opens_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let path = dir.path().join("compte.sqlite3");
        {
            let store = LocalStore::open(&path, &key).unwrap();
            assert_eq!(store.lock_state().unwrap().password_verifier, None);
            store.remember_password("$argon2id$…").unwrap();
            store.choose_lock_minutes(Some(15)).unwrap();
            store.set_locked(true).unwrap();
            assert_eq!(store.count_failed_unlock().unwrap(), 1);
            assert_eq!(store.count_failed_unlock().unwrap(), 2);
        }
        let store = LocalStore::open(&path, &key).unwrap();
        let state = store.lock_state().unwrap();
        assert!(state.locked, "a restart does not open the lock");
        assert_eq!((state.chosen_minutes, state.failed_attempts), (Some(15), 2));
        store.set_locked(false).unwrap();
        assert_eq!(store.lock_state().unwrap().failed_attempts, 0);
    }
}
