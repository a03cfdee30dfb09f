//! The device's side of the sync: push the outbox in batches, then pull every page of changes,
//! reporting progress; retried with exponential backoff while the server cannot be reached.
//! Every step is committed locally before the next, so a crash or a cut at any point resumes
//! where it stopped: the server ignores mutations it already applied, and the cursor moves only
//! with the pulled records.

use crate::client::{ApiClient, ClientError};
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::protocol::{Mutation, PushRequest, PushResponse, Replica, MAX_PUSH_BATCH, MAX_PUSH_BYTES};
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
    on_progress: impl FnMut(SyncProgress),
) -> Result<SyncProgress, SyncError> {
    sync_in_batches(client, replica, MAX_PUSH_BATCH, on_progress).await
}

/// [`sync`], pushing at most `batch` mutations at a time (the fault tests cut syncs of many
/// small pushes).
pub async fn sync_in_batches<R: Replica>(
    client: &ApiClient,
    replica: &R,
    batch: usize,
    mut on_progress: impl FnMut(SyncProgress),
) -> Result<SyncProgress, SyncError> {
    let mut last = SyncProgress { phase: SyncPhase::Sending, sent: 0, to_send: 0, received: 0 };
    let outcome = sync_steps(client, replica, batch.clamp(1, MAX_PUSH_BATCH), |progress| {
        last = progress;
        on_progress(progress);
    })
    .await;
    if outcome.is_err() {
        on_progress(SyncProgress { phase: SyncPhase::Interrupted, ..last });
    }
    outcome
}

/// Pushes then pulls, keeping the network busy: while a request travels, the answer before it
/// is written here and the next batch read. A request leaves only after the one before was
/// answered (the server applies in order); an answer not yet written when something fails is
/// asked again by the next sync, and answered the same (the server keeps its answers, the
/// cursor moves only with a written page).
async fn sync_steps<R: Replica>(
    client: &ApiClient,
    replica: &R,
    mut batch: usize,
    mut on_progress: impl FnMut(SyncProgress),
) -> Result<SyncProgress, SyncError> {
    let client_id = replica.client_id().map_err(SyncError::local)?;
    let to_send = replica.pending_count().map_err(SyncError::local)? as u32;
    let mut progress = SyncProgress { phase: SyncPhase::Sending, sent: 0, to_send, received: 0 };
    on_progress(progress);
    let mut mutations = replica.pending_after(0, batch).map_err(SyncError::local)?;
    let mut unwritten: Option<PushResponse> = None;
    while !mutations.is_empty() {
        mutations.truncate(fitting(&mutations, MAX_PUSH_BYTES));
        let (first, last) = (mutations[0].seq, mutations[mutations.len() - 1].seq);
        let request = PushRequest { client_id: client_id.clone(), mutations };
        let (answer, next) = tokio::join!(client.push(&request), async {
            if let Some(previous) = unwritten.take() {
                replica.apply_push(&previous)?;
            }
            replica.pending_after(last, batch)
        });
        let next = next.map_err(SyncError::local)?;
        let response = match answer {
            // A server with a smaller limit than ours: send half as many, down to one at a time.
            Err(ClientError::Api(error)) if error.code == ErrorCode::BodyTooLarge && request.mutations.len() > 1 => {
                batch = (request.mutations.len() / 2).max(1);
                mutations = request.mutations;
                mutations.truncate(batch);
                continue;
            }
            answer => answer?,
        };
        if response.last_applied_seq < first {
            replica.apply_push(&response).map_err(SyncError::local)?;
            return Err(SyncError::NothingApplied);
        }
        let all_applied = response.last_applied_seq >= last;
        progress.sent = (progress.sent + (response.last_applied_seq.min(last) - first + 1) as u32).min(to_send);
        unwritten = Some(response);
        mutations = if all_applied {
            next
        } else {
            // Applied in part: what is left is read again once the answer is written.
            replica.apply_push(&unwritten.take().expect("just set")).map_err(SyncError::local)?;
            replica.pending_after(0, batch).map_err(SyncError::local)?
        };
        on_progress(progress);
    }
    if let Some(last) = unwritten.take() {
        replica.apply_push(&last).map_err(SyncError::local)?;
    }

    progress.phase = SyncPhase::Receiving;
    on_progress(progress);
    let holder = replica.holds_own_pushes().map_err(SyncError::local)?.then_some(client_id.as_str());
    let pull = |cursor| async move {
        match holder {
            Some(client_id) => client.pull_holding_own_pushes(cursor, client_id).await,
            None => client.pull(cursor).await,
        }
    };
    let mut page = pull(replica.cursor().map_err(SyncError::local)?).await?;
    loop {
        let received = (page.trainings.len() + page.recaps.len() + page.certificates.len()) as u32;
        if !page.has_more {
            replica.apply_pull(&page).map_err(SyncError::local)?;
            progress.received += received;
            on_progress(progress);
            break;
        }
        let (next, written) = tokio::join!(pull(page.cursor), async { replica.apply_pull(&page) });
        written.map_err(SyncError::local)?;
        progress.received += received;
        on_progress(progress);
        page = next?;
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
