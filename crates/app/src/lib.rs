//! The desktop app's logic, without its window: the local store and the session (`core`), every
//! document kept here first and then sent in resumable chunks (`documents`), the server's answers
//! kept for offline use (`offline`), and the sync rounds (`sync`). The Tauri commands in
//! `src-tauri` adapt these to the UI; progress reaches the UI through `Events`.
#![forbid(unsafe_code)]

pub mod core;
pub mod documents;
pub mod folders;
pub mod keys;
pub mod lock;
pub mod offline;
pub mod sync;

pub use crate::core::{local_error, AppCore, CommandResult, LocalDataError};

/// What the app tells the screen while it works (the window emits them as events).
pub trait Events: Send + Sync {
    fn upload_progress(&self, event: documents::UploadEvent);
    fn sync_progress(&self, progress: cqc_client::engine::SyncProgress);
}

/// For work nobody watches (tests, a round with no window).
pub struct Unwatched;

impl Events for Unwatched {
    fn upload_progress(&self, _: documents::UploadEvent) {}
    fn sync_progress(&self, _: cqc_client::engine::SyncProgress) {}
}
