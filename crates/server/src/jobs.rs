//! Work that several instances share through one database. A queued email or text message is
//! claimed by one instance for a lease; if that instance dies, another takes it over once the
//! lease has run out. A periodic job (the draft upkeep) runs where its lease is held. On
//! SQLite, with one instance, the same statements simply always succeed.

use crate::db::outbox::{self, Claim};
use crate::db::{Db, DbResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{RwLock, RwLockReadGuard};

pub use crate::db::outbox::CLAIM_BATCH;

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

    /// A claim taken now, for this instance's lease.
    pub fn claim(&self, now: OffsetDateTime) -> Claim<'_> {
        Claim { holder: self.id(), until: now + self.0.lease, now }
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
        outbox::give_back(db, self.id()).await
    }

    /// Takes the lease of the periodic job `job` until `until`, if nobody holds it now. Answers
    /// whether this instance holds it.
    pub async fn take_lease(&self, db: &Db, job: &str, now: OffsetDateTime, until: OffsetDateTime) -> DbResult<bool> {
        outbox::take_lease(db, job, Claim { holder: self.id(), until, now }).await
    }
}
