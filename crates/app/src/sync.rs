//! The sync rounds: the outbox of trainings pushed and the changes pulled, one sync at a time;
//! in the background, every few seconds while someone is signed in, the documents that wait too.

use crate::core::{local_error, AppCore, CommandResult};
use crate::documents::send_all_pending;
use crate::Events;
use cqc_client::engine::{sync, SyncProgress};
use std::time::Duration;

/// How often the app syncs by itself while a user is signed in.
pub const BACKGROUND_SYNC_EVERY: Duration = Duration::from_secs(15);

/// Sends what waits in the outbox and brings what changed, with progress events.
pub async fn run_sync(core: &AppCore, events: &dyn Events) -> CommandResult<SyncProgress> {
    let _one_at_a_time = core.sync_lock.lock().await;
    let client = core.authed()?;
    let progress = sync(&client, core.replica(), |progress| events.sync_progress(progress))
        .await
        .map_err(|e| e.into_api_error())?;
    // The keys that verify certificates, kept for offline checks.
    if let Ok(keys) = client.certificate_keys().await {
        core.store().save_certificate_keys(&keys.keys).map_err(local_error)?;
    }
    Ok(progress)
}

/// One background round: nothing without a session; a failure waits for the next round.
pub async fn background_round(core: &AppCore, events: &dyn Events) {
    if core.session().ok().flatten().is_none() {
        return;
    }
    if let Err(error) = run_sync(core, events).await {
        tracing::info!(message = %error.message, "background sync postponed");
    }
    if let Err(error) = send_all_pending(core, events).await {
        tracing::info!(message = %error.message, "documents to send postponed");
    }
}
