//! The local half of the sync: trainings recorded here go in the outbox in the same transaction
//! as their line in « Mes stagiaires »; push answers and pulled pages are applied in one
//! transaction each.

use crate::{LocalStore, Result, StoreError};
use cqc_domain::training::{TrainingFieldErrors, TrainingRecordInput};
use cqc_sync::certificate_code::decode_public_key;
use cqc_sync::protocol::Replica;
use cqc_sync::protocol::{Certificate, Change, Mutation, Outcome, PullResponse, PushResponse, Recap};
use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use std::sync::Mutex;
use ts_rs::TS;

/// Where a training recorded on this device stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum TrainingState {
    /// In the outbox, not yet applied by the server.
    Pending,
    Accepted {
        /// The trainee's account was found; otherwise the training waits for it.
        matched: bool,
    },
    Rejected {
        reason: String,
        fields: TrainingFieldErrors,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LocalTraining {
    pub training_id: String,
    pub record: TrainingRecordInput,
    pub status: TrainingState,
    pub updated_at: String,
}

impl LocalStore {
    /// Queues a new training, or the correction of one (same id), with its line, atomically.
    pub fn record_training(&self, training_id: &str, record: &TrainingRecordInput) -> Result<()> {
        self.record_trainings(&[(training_id.to_owned(), record.clone())])
    }

    /// Queues several trainings in one transaction: all of them, or none.
    pub fn record_trainings(&self, batch: &[(String, TrainingRecordInput)]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let first_seq = ensure_sync_state(&tx)?.next_seq;
        {
            // A whole import in one transaction: each statement prepared once.
            let mut queue =
                tx.prepare_cached("INSERT INTO outbox (seq, id, training_id, change_json) VALUES (?1, ?2, ?3, ?4)")?;
            let mut line = tx.prepare_cached(
                "INSERT INTO trainings (training_id, record_json, state) VALUES (?1, ?2, 'pending')
                 ON CONFLICT (training_id) DO UPDATE SET record_json = ?2, state = 'pending', reason_json = NULL,
                 updated_at = CURRENT_TIMESTAMP",
            )?;
            // Time-ordered mutation ids (UUID v7): the outbox's index of them grows at its end, and
            // the answered ones leave it a few whole pages at a time.
            for (seq, (training_id, record)) in (first_seq..).zip(batch) {
                let change = Change::RecordTraining { training_id: training_id.clone(), record: record.clone() };
                let change = serde_json::to_string(&change)?;
                queue.execute(params![seq, uuid::Uuid::now_v7().to_string(), training_id, change])?;
                line.execute(params![training_id, serde_json::to_string(record)?])?;
            }
        }
        tx.execute("UPDATE sync_state SET next_seq = next_seq + ?1 WHERE id = 1", [batch.len() as i64])?;
        tx.commit()?;
        Ok(())
    }

    /// The trainings of « Mes stagiaires », newest first.
    pub fn trainings(&self) -> Result<Vec<LocalTraining>> {
        let mut statement = self.conn.prepare(
            "SELECT training_id, record_json, state, reason_json, matched, updated_at FROM trainings
             ORDER BY updated_at DESC, training_id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, bool>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (training_id, record, state, reason, matched, updated_at) = row?;
            let status = match (state.as_str(), reason) {
                ("accepted", _) => TrainingState::Accepted { matched },
                ("rejected", Some(reason)) => match serde_json::from_str(&reason)? {
                    Outcome::Rejected { reason, fields } => TrainingState::Rejected { reason, fields },
                    Outcome::Accepted => TrainingState::Accepted { matched },
                },
                _ => TrainingState::Pending,
            };
            Ok(LocalTraining { training_id, record: serde_json::from_str(&record)?, status, updated_at })
        })
        .collect()
    }

    pub fn recaps(&self) -> Result<Vec<Recap>> {
        self.all_json("SELECT json FROM recaps ORDER BY json ->> '$.end_date' DESC")
    }

    pub fn certificates(&self) -> Result<Vec<Certificate>> {
        self.all_json("SELECT json FROM certificates ORDER BY json ->> '$.claims.issued_on' DESC, id")
    }

    pub fn save_certificate_keys(&self, keys: &[String]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        for key in keys {
            tx.execute("INSERT OR IGNORE INTO certificate_keys (key) VALUES (?1)", [key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The keys that verify certificates, kept from the last time the server answered.
    pub fn certificate_keys(&self) -> Result<Vec<VerifyingKey>> {
        let mut statement = self.conn.prepare("SELECT key FROM certificate_keys")?;
        let keys = statement.query_map([], |row| row.get::<_, String>(0))?;
        Ok(keys.filter_map(|key| decode_public_key(&key.ok()?)).collect())
    }

    fn sync_state(&self) -> Result<SyncState> {
        let tx = self.conn.unchecked_transaction()?;
        let state = ensure_sync_state(&tx)?;
        tx.commit()?;
        Ok(state)
    }

    fn pending_mutations(&self, after_seq: i64, limit: usize) -> Result<Vec<Mutation>> {
        let mut statement =
            self.conn.prepare_cached("SELECT seq, id, change_json FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = statement.query_map([after_seq, limit as i64], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
        })?;
        rows.map(|row| {
            let (seq, id, change) = row?;
            Ok(Mutation { seq, id, change: serde_json::from_str(&change)? })
        })
        .collect()
    }

    fn outbox_len(&self) -> Result<usize> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM outbox", [], |row| row.get::<_, i64>(0))? as usize)
    }

    /// A push's answers, in one transaction.
    fn store_push(&self, response: &PushResponse) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        apply_answers(&tx, response)?;
        Ok(tx.commit()?)
    }

    /// A pulled page, in one transaction.
    fn store_pull(&self, page: &PullResponse) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        apply_page(&tx, page)?;
        Ok(tx.commit()?)
    }
}

fn apply_answers(tx: &Transaction<'_>, response: &PushResponse) -> Result<()> {
    // One statement an answer (thousands a sync): the line takes the outcome of its change,
    // unless a later correction of it is still queued (the line stays pending until that one is
    // answered too); then the answered changes leave the outbox at once.
    let mut answer = tx.prepare_cached(
        "UPDATE trainings SET state = ?2, reason_json = ?3, updated_at = CURRENT_TIMESTAMP
         WHERE training_id = (SELECT training_id FROM outbox WHERE seq = ?1)
         AND NOT EXISTS (SELECT 1 FROM outbox later WHERE later.training_id = trainings.training_id AND later.seq > ?1)",
    )?;
    for result in &response.results {
        let (state, reason) = outcome_columns(&result.outcome)?;
        answer.execute(params![result.seq, state, reason])?;
    }
    tx.execute("DELETE FROM outbox WHERE seq <= ?1", [response.last_applied_seq])?;
    Ok(())
}

fn apply_page(tx: &Transaction<'_>, page: &PullResponse) -> Result<()> {
    ensure_sync_state(tx)?;
    let mut queued = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE training_id = ?1)")?;
    // A line already as the page has it is left alone: a centre pulls back every training it
    // just pushed, and rewriting 10,000 unchanged lines (and moving them to the top of « Mes
    // stagiaires ») was a third of a sync's time.
    let mut save = tx.prepare_cached(
        "INSERT INTO trainings (training_id, record_json, state, reason_json, matched) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (training_id) DO UPDATE SET record_json = ?2, state = ?3, reason_json = ?4, matched = ?5,
         updated_at = CURRENT_TIMESTAMP
         WHERE record_json IS NOT ?2 OR state IS NOT ?3 OR reason_json IS NOT ?4 OR matched IS NOT ?5",
    )?;
    for training in &page.trainings {
        if queued.query_row([&training.training_id], |row| row.get::<_, bool>(0))? {
            continue;
        }
        let (state, reason) = outcome_columns(&training.outcome)?;
        let record = serde_json::to_string(&training.record)?;
        save.execute(params![training.training_id, record, state, reason, training.matched])?;
    }
    for recap in &page.recaps {
        tx.prepare_cached("INSERT OR REPLACE INTO recaps (training_id, json) VALUES (?1, ?2)")?
            .execute(params![recap.training_id, serde_json::to_string(recap)?])?;
    }
    for certificate in &page.certificates {
        tx.prepare_cached("INSERT OR REPLACE INTO certificates (id, json) VALUES (?1, ?2)")?
            .execute(params![certificate.claims.certificate_id, serde_json::to_string(certificate)?])?;
    }
    // The last page brings everything up to its cursor: the device holds its pushes again.
    tx.execute(
        "UPDATE sync_state SET cursor = ?1, holds_own_pushes = holds_own_pushes OR ?2 WHERE id = 1",
        params![page.cursor, !page.has_more],
    )?;
    Ok(())
}

/// The `state` and `reason_json` columns of an outcome.
fn outcome_columns(outcome: &Outcome) -> Result<(&'static str, Option<String>)> {
    Ok(match outcome {
        Outcome::Accepted => ("accepted", None),
        Outcome::Rejected { .. } => ("rejected", Some(serde_json::to_string(outcome)?)),
    })
}

/// What the server sent for the user who logs out: the next one pulls their own from zero.
pub(crate) fn forget_pulled(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM recaps", [])?;
    conn.execute("DELETE FROM certificates", [])?;
    conn.execute("DELETE FROM trainings WHERE training_id NOT IN (SELECT training_id FROM outbox)", [])?;
    conn.execute("UPDATE sync_state SET cursor = 0, holds_own_pushes = 0", [])?;
    Ok(())
}

struct SyncState {
    client_id: String,
    cursor: i64,
    next_seq: i64,
    holds_own_pushes: bool,
}

/// The device's sync state, made with a new device id the first time.
fn ensure_sync_state(conn: &Connection) -> Result<SyncState> {
    conn.execute(
        "INSERT OR IGNORE INTO sync_state (id, client_id) VALUES (1, ?1)",
        [uuid::Uuid::new_v4().to_string()],
    )?;
    let sql = "SELECT client_id, cursor, next_seq, holds_own_pushes FROM sync_state WHERE id = 1";
    Ok(conn.query_row(sql, [], |row| {
        Ok(SyncState {
            client_id: row.get(0)?,
            cursor: row.get(1)?,
            next_seq: row.get(2)?,
            holds_own_pushes: row.get(3)?,
        })
    })?)
}

/// The store shared by the app's commands and the sync engine: each call locks it for one local
/// transaction, never across a network wait.
pub struct SharedStore(Mutex<LocalStore>);

impl SharedStore {
    pub fn new(store: LocalStore) -> Self {
        Self(Mutex::new(store))
    }

    /// Puts another account's data in place (at login and logout), answering the one before.
    pub fn replace(&self, store: LocalStore) -> LocalStore {
        std::mem::replace(&mut *self.lock(), store)
    }

    /// A panic while holding the lock leaves SQLite consistent (each write is one transaction),
    /// so the store stays usable.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, LocalStore> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Replica for SharedStore {
    type Error = StoreError;

    fn client_id(&self) -> Result<String> {
        Ok(self.lock().sync_state()?.client_id)
    }

    fn pending_after(&self, seq: i64, limit: usize) -> Result<Vec<Mutation>> {
        self.lock().pending_mutations(seq, limit)
    }

    fn pending_count(&self) -> Result<usize> {
        self.lock().outbox_len()
    }

    fn apply_push(&self, response: &PushResponse) -> Result<()> {
        self.lock().store_push(response)
    }

    fn cursor(&self) -> Result<i64> {
        Ok(self.lock().sync_state()?.cursor)
    }

    fn holds_own_pushes(&self) -> Result<bool> {
        Ok(self.lock().sync_state()?.holds_own_pushes)
    }

    fn apply_pull(&self, response: &PullResponse) -> Result<()> {
        self.lock().store_pull(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DatabaseKey;
    use cqc_domain::training::fixtures::valid_fco;
    use cqc_sync::protocol::{CentreTraining, MutationResult};

    fn rejected() -> Outcome {
        Outcome::Rejected { reason: "Heures insuffisantes".into(), fields: Default::default() }
    }

    #[test]
    fn a_device_updated_after_a_logout_asks_for_everything_once_and_one_that_pulled_does_not() {
        for (cursor, holds) in [(0, false), (12, true)] {
            let mut conn = Connection::open_in_memory().unwrap();
            crate::migrations().to_version(&mut conn, 5).unwrap();
            conn.execute("INSERT INTO sync_state (id, client_id, cursor) VALUES (1, 'poste', ?1)", [cursor]).unwrap();
            crate::migrations().to_latest(&mut conn).unwrap();
            assert_eq!(ensure_sync_state(&conn).unwrap().holds_own_pushes, holds, "cursor {cursor}");
        }
    }

    #[test]
    fn a_training_recorded_offline_waits_in_the_outbox_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let path = dir.path().join("local.sqlite3");
        let client_id = {
            let store = SharedStore::new(LocalStore::open(&path, &key).unwrap());
            store.lock().record_training("t-1", &valid_fco()).unwrap();
            store.client_id().unwrap()
        };
        let store = SharedStore::new(LocalStore::open(&path, &key).unwrap());
        assert_eq!(store.client_id().unwrap(), client_id, "the device keeps its id");
        let pending = store.pending_after(0, 10).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].seq, 1);
        assert_eq!(store.lock().trainings().unwrap()[0].status, TrainingState::Pending);
    }

    #[test]
    fn the_server_answer_sets_each_line_and_empties_the_outbox() {
        let store = SharedStore::new(LocalStore::open_in_memory().unwrap());
        store.lock().record_training("t-1", &valid_fco()).unwrap();
        store.lock().record_training("t-2", &valid_fco()).unwrap();
        let ids: Vec<String> = store.pending_after(0, 10).unwrap().into_iter().map(|m| m.id).collect();
        let answer = PushResponse {
            last_applied_seq: 2,
            results: vec![
                MutationResult { seq: 1, id: ids[0].clone(), outcome: Outcome::Accepted },
                MutationResult { seq: 2, id: ids[1].clone(), outcome: rejected() },
            ],
        };
        store.apply_push(&answer).unwrap();
        // The same answer again (a resent push) changes nothing.
        store.apply_push(&answer).unwrap();
        assert_eq!(store.pending_count().unwrap(), 0);
        let lines = store.lock().trainings().unwrap();
        let status = |id: &str| lines.iter().find(|t| t.training_id == id).unwrap().status.clone();
        assert_eq!(status("t-1"), TrainingState::Accepted { matched: false });
        assert!(matches!(status("t-2"), TrainingState::Rejected { .. }));

        // Corrected: pending again, with the next number.
        store.lock().record_training("t-2", &valid_fco()).unwrap();
        assert_eq!(store.pending_after(0, 10).unwrap()[0].seq, 3);
        assert_eq!(store.lock().trainings().unwrap().iter().filter(|t| t.status == TrainingState::Pending).count(), 1);
    }

    #[test]
    fn a_pull_never_overwrites_a_correction_still_to_send_and_logout_keeps_the_outbox() {
        let store = SharedStore::new(LocalStore::open_in_memory().unwrap());
        store.lock().record_training("t-1", &valid_fco()).unwrap();
        let page = PullResponse {
            cursor: 7,
            has_more: false,
            trainings: vec![
                CentreTraining { training_id: "t-1".into(), record: valid_fco(), outcome: rejected(), matched: false },
                CentreTraining {
                    training_id: "t-9".into(),
                    record: valid_fco(),
                    outcome: Outcome::Accepted,
                    matched: true,
                },
            ],
            recaps: vec![],
            certificates: vec![],
        };
        store.apply_pull(&page).unwrap();
        assert_eq!(store.cursor().unwrap(), 7);
        let lines = store.lock().trainings().unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.iter().find(|t| t.training_id == "t-1").unwrap().status, TrainingState::Pending);

        store.lock().forget_server_copies().unwrap();
        assert_eq!(store.cursor().unwrap(), 0, "the next user pulls their own from the start");
        assert_eq!(store.pending_count().unwrap(), 1, "a centre's unsent work is never lost");
        assert_eq!(store.lock().trainings().unwrap().len(), 1);
    }

    #[test]
    fn a_pulled_training_already_as_here_keeps_its_place_and_a_changed_one_moves_up() {
        let store = SharedStore::new(LocalStore::open_in_memory().unwrap());
        let line = |training_id: &str, matched: bool| CentreTraining {
            training_id: training_id.into(),
            record: valid_fco(),
            outcome: Outcome::Accepted,
            matched,
        };
        let page =
            |trainings| PullResponse { cursor: 1, has_more: false, trainings, recaps: vec![], certificates: vec![] };
        store.apply_pull(&page(vec![line("t-1", false), line("t-2", false)])).unwrap();
        let stamp = |store: &SharedStore| {
            store.lock().conn.execute("UPDATE trainings SET updated_at = '2026-01-01 08:00:00'", []).unwrap();
        };
        stamp(&store);
        // t-1 comes back as it is (the centre pulling what it pushed); t-2's trainee registered.
        store.apply_pull(&page(vec![line("t-1", false), line("t-2", true)])).unwrap();
        let lines = store.lock().trainings().unwrap();
        assert_eq!(lines[0].training_id, "t-2", "the changed line first");
        assert_eq!(lines[0].status, TrainingState::Accepted { matched: true });
        assert_ne!(lines[0].updated_at, "2026-01-01 08:00:00");
        assert_eq!(lines[1].updated_at, "2026-01-01 08:00:00", "the unchanged line is not rewritten");
    }
}
