//! The app's progress, emitted to the window as events the UI listens to.

use cqc_app::documents::UploadEvent;
use cqc_client::engine::SyncProgress;
use tauri::{AppHandle, Emitter};

const UPLOAD_PROGRESS_EVENT: &str = "upload-progress";
const SYNC_PROGRESS_EVENT: &str = "sync-progress";

pub struct WindowEvents(pub AppHandle);

impl cqc_app::Events for WindowEvents {
    fn upload_progress(&self, event: UploadEvent) {
        let _ = self.0.emit(UPLOAD_PROGRESS_EVENT, event);
    }

    fn sync_progress(&self, progress: SyncProgress) {
        let _ = self.0.emit(SYNC_PROGRESS_EVENT, progress);
    }
}
