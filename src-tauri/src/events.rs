//! The events the window hears: each one a type with its name and its payload's type, so that
//! what is emitted and what the TypeScript contract (`ui/src/bindings/Commands.ts`) says the UI
//! hears cannot differ.

use cqc_app::documents::UploadEvent;
use cqc_client::engine::SyncProgress;
use tauri::{AppHandle, Emitter};

pub trait WindowEvent {
    const NAME: &'static str;
    type Payload: serde::Serialize + Clone + ts_rs::TS;
}

/// A document's upload, chunk after chunk.
pub struct UploadProgress;
impl WindowEvent for UploadProgress {
    const NAME: &'static str = "upload-progress";
    type Payload = UploadEvent;
}

/// Every sync's progress, whether asked for or in the background.
pub struct SyncProgressed;
impl WindowEvent for SyncProgressed {
    const NAME: &'static str = "sync-progress";
    type Payload = SyncProgress;
}

/// An emailed `cqc://` link opened while the app runs (the link itself is taken by a command).
pub struct LinkOpened;
impl WindowEvent for LinkOpened {
    const NAME: &'static str = "link-opened";
    type Payload = ();
}

pub fn emit<E: WindowEvent>(app: &AppHandle, payload: E::Payload) {
    let _ = app.emit(E::NAME, payload);
}

/// Every event with its payload's TypeScript type, for the contract.
#[cfg(test)]
pub fn contract() -> Vec<(&'static str, String)> {
    fn entry<E: WindowEvent>() -> (&'static str, String) {
        (E::NAME, <E::Payload as ts_rs::TS>::name())
    }
    vec![entry::<UploadProgress>(), entry::<SyncProgressed>(), entry::<LinkOpened>()]
}

pub struct WindowEvents(pub AppHandle);

impl cqc_app::Events for WindowEvents {
    fn upload_progress(&self, event: UploadEvent) {
        emit::<UploadProgress>(&self.0, event);
    }

    fn sync_progress(&self, progress: SyncProgress) {
        emit::<SyncProgressed>(&self.0, progress);
    }
}
