//! Work that several instances share through one database. A queued email or text message is
//! claimed by one instance for a lease; if that instance dies, another takes it over once the
//! lease has run out. A periodic job (the draft upkeep) runs where its lease is held. On
//! SQLite, with one instance, the same statements simply always succeed.

use crate::clock::to_millis;
use crate::db::Db;
use crate::db::DbResult;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{RwLock, RwLockReadGuard};

/// Rows claimed at a time: few enough to be sent well within a lease.
pub const CLAIM_BATCH: usize = 20;

/// This instance as the holder of claims and leases.
#[derive(Clone)]
pub struct Worker(Arc<WorkerState>);

struct WorkerState {
    id: String,
    lease: Duration,
    stopping: AtomicBool,
    /// Held (shared) by each delivery round; taken whole by [`Worker::stop`] to wait for them.
    rounds: RwLock<()>,
}

/// A delivery round in progress: [`Worker::stop`] waits until it ends.
pub struct Round<'a> {
    worker: &'a Worker,
    _running: RwLockReadGuard<'a, ()>,
}

impl Round<'_> {
    /// The instance is stopping: leave the rest of the claimed rows to the others.
    pub fn interrupted(&self) -> bool {
        self.worker.0.stopping.load(Ordering::SeqCst)
    }
}

impl Worker {
    pub fn new(lease: Duration) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "cqc".into());
        let id = format!("{host}-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
        Self(Arc::new(WorkerState { id, lease, stopping: AtomicBool::new(false), rounds: RwLock::new(()) }))
    }

    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// When a claim taken now runs out.
    pub fn claim_until(&self, now: OffsetDateTime) -> i64 {
        to_millis(now + self.0.lease)
    }

    /// Starts a round, unless the instance is stopping.
    pub async fn round(&self) -> Option<Round<'_>> {
        let running = self.0.rounds.read().await;
        (!self.0.stopping.load(Ordering::SeqCst)).then_some(Round { worker: self, _running: running })
    }

    /// On a graceful shutdown: no new round starts, the rounds in progress end after the message
    /// they are sending, and what this instance claimed but did not send is given back at once
    /// rather than when its lease runs out.
    pub async fn stop(&self, db: &Db) -> DbResult<()> {
        self.0.stopping.store(true, Ordering::SeqCst);
        let _no_round = self.0.rounds.write().await;
        for table in ["outgoing_emails", "outgoing_sms"] {
            sqlx::query(&format!(
                "UPDATE {table} SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND sent_at IS NULL"
            ))
            .bind(self.id())
            .execute(&db.pool)
            .await?;
        }
        sqlx::query("DELETE FROM job_leases WHERE holder = $1").bind(self.id()).execute(&db.pool).await?;
        Ok(())
    }

    /// Takes the lease of the periodic job `job` until `until`, if nobody holds it now. Answers
    /// whether this instance holds it.
    pub async fn take_lease(&self, db: &Db, job: &str, now: OffsetDateTime, until: OffsetDateTime) -> DbResult<bool> {
        let taken = sqlx::query(
            "INSERT INTO job_leases (name, holder, held_until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until \
             WHERE job_leases.held_until <= $4",
        )
        .bind(job)
        .bind(self.id())
        .bind(to_millis(until))
        .bind(to_millis(now))
        .execute(&db.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }
}

/// The statement that claims, for this worker, up to [`CLAIM_BATCH`] rows of `table` that are
/// `pending` and not under a live claim, oldest first, and returns their `columns`. Its
/// parameters: `$1` the worker, `$2` the claim's end, `$3` now, then those of `pending` from `$4`.
pub fn claim_statement(db: &Db, table: &str, pending: &str, columns: &str) -> String {
    format!(
        "UPDATE {table} SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
           SELECT id FROM {table} WHERE {pending} AND (claimed_until IS NULL OR claimed_until <= $3) \
           ORDER BY created_at, id LIMIT {CLAIM_BATCH}{lock}) \
         RETURNING {columns}",
        lock = db.backend.skip_locked()
    )
}
