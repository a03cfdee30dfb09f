//! The device's side of the sync: push the outbox in batches, then pull every page of changes,
//! reporting progress; retried with exponential backoff while the server cannot be reached.
//! Every step is committed locally before the next, so a crash or a cut at any point resumes
//! where it stopped: the server ignores mutations it already applied, and the cursor moves only
//! with the pulled records.

use crate::client::{ApiClient, ClientError};
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::protocol::{Mutation, PushRequest, Replica, MAX_PUSH_BATCH, MAX_PUSH_BYTES};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncPhase {
    Sending,
    Receiving,
    Done,
    /// Stopped by an error; what was done is kept and the next sync goes on from there.
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    /// Mutations sent so far, out of `to_send`.
    pub sent: u32,
    pub to_send: u32,
    /// Records received so far.
    pub received: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Remote(#[from] ClientError),
    #[error("local store: {0}")]
    Local(String),
    /// The server applied none of the mutations sent: one before them is missing there (a gap
    /// it waits to fill), and the next sync sends again from the oldest.
    #[error("the server applied nothing")]
    NothingApplied,
}

impl SyncError {
    fn local(error: impl std::fmt::Display) -> Self {
        Self::Local(error.to_string())
    }

    /// Worth another try later: the network or the server is down, or the server waits for a
    /// missing mutation.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Remote(ClientError::Unreachable(_)) | Self::NothingApplied)
    }

    pub fn into_api_error(self) -> ApiError {
        match self {
            Self::Remote(error) => error.into_api_error(),
            Self::NothingApplied => ApiError::new(
                cqc_sync::api::ErrorCode::Unreachable,
                "Le service n'a pas encore pris ces formations : elles repartiront à la prochaine synchronisation.",
            ),
            Self::Local(_) => ApiError::new(
                cqc_sync::api::ErrorCode::Internal,
                "Les données de cet ordinateur n'ont pas pu être enregistrées : réessayez.",
            ),
        }
    }
}

/// One full sync: every pending mutation pushed, then every change pulled.
pub async fn sync<R: Replica>(
    client: &ApiClient,
    replica: &R,
    mut on_progress: impl FnMut(SyncProgress),
) -> Result<SyncProgress, SyncError> {
    let mut last = SyncProgress { phase: SyncPhase::Sending, sent: 0, to_send: 0, received: 0 };
    let outcome = sync_steps(client, replica, |progress| {
        last = progress;
        on_progress(progress);
    })
    .await;
    if outcome.is_err() {
        on_progress(SyncProgress { phase: SyncPhase::Interrupted, ..last });
    }
    outcome
}

async fn sync_steps<R: Replica>(
    client: &ApiClient,
    replica: &R,
    mut on_progress: impl FnMut(SyncProgress),
) -> Result<SyncProgress, SyncError> {
    let client_id = replica.client_id().map_err(SyncError::local)?;
    let to_send = replica.pending_count().map_err(SyncError::local)? as u32;
    let mut progress = SyncProgress { phase: SyncPhase::Sending, sent: 0, to_send, received: 0 };
    on_progress(progress);
    let mut batch = MAX_PUSH_BATCH;
    loop {
        let mut mutations = replica.pending(batch).map_err(SyncError::local)?;
        if mutations.is_empty() {
            break;
        }
        mutations.truncate(fitting(&mutations, MAX_PUSH_BYTES));
        let sent = mutations.len() as u32;
        let response = match client.push(&PushRequest { client_id: client_id.clone(), mutations }).await {
            // A server with a smaller limit than ours: send half as many, down to one at a time.
            Err(ClientError::Api(error)) if error.code == ErrorCode::BodyTooLarge && sent > 1 => {
                batch = (sent as usize / 2).max(1);
                continue;
            }
            answer => answer?,
        };
        let before = replica.pending_count().map_err(SyncError::local)?;
        replica.apply_push(&response).map_err(SyncError::local)?;
        if replica.pending_count().map_err(SyncError::local)? == before {
            return Err(SyncError::NothingApplied);
        }
        progress.sent = (progress.sent + sent).min(to_send);
        on_progress(progress);
    }
    progress.phase = SyncPhase::Receiving;
    on_progress(progress);
    loop {
        let page = client.pull(replica.cursor().map_err(SyncError::local)?).await?;
        replica.apply_pull(&page).map_err(SyncError::local)?;
        progress.received += (page.trainings.len() + page.recaps.len() + page.certificates.len()) as u32;
        on_progress(progress);
        if !page.has_more {
            break;
        }
    }
    progress.phase = SyncPhase::Done;
    on_progress(progress);
    Ok(progress)
}

/// How many of `mutations`, from the first, fit in a push of `max_bytes` (at least one).
fn fitting(mutations: &[Mutation], max_bytes: usize) -> usize {
    // The request's own fields (client id, brackets) take well under this.
    const ENVELOPE: usize = 256;
    let mut total = ENVELOPE;
    let fit = mutations
        .iter()
        .take_while(|mutation| {
            total += serde_json::to_vec(mutation).map_or(usize::MAX / 2, |json| json.len() + 1);
            total <= max_bytes
        })
        .count();
    fit.max(1)
}
