//! Document files arriving from drivers: checked (decoded within limits, re-encoded, PDFs
//! inspected) on blocking threads, a few at a time, and never while holding a database
//! connection: a hostile file slows only its own request.

use crate::error::{AppError, AppResult};
use cqc_capture::CheckedFile;
use cqc_domain::application::DocumentKind;
use std::sync::OnceLock;
use tokio::sync::{Semaphore, SemaphorePermit};

/// One check per core at once: each may decode tens of megapixels.
fn checks() -> &'static Semaphore {
    static CHECKS: OnceLock<Semaphore> = OnceLock::new();
    CHECKS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// A turn to check a document. Taken before an uploaded file is read into memory, so that the
/// files held at once are bounded by the turns, not by the uploads waiting for one.
pub struct Turn {
    _permit: SemaphorePermit<'static>,
}

pub async fn turn() -> AppResult<Turn> {
    Ok(Turn { _permit: checks().acquire().await.map_err(AppError::internal)? })
}

/// `cqc_capture::check_document`, off the async threads, in its turn; a refused file is the
/// driver's error.
pub async fn check_document(turn: Turn, kind: DocumentKind, bytes: Vec<u8>) -> AppResult<CheckedFile> {
    let checked = tokio::task::spawn_blocking(move || cqc_capture::check_document(kind, &bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::file);
    drop(turn);
    checked
}
