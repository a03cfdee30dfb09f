//! Document files arriving from drivers: checked (decoded within limits, re-encoded, PDFs
//! inspected) on blocking threads, a few at a time, and never while holding a database
//! connection: a hostile file slows only its own request.

use crate::error::{AppError, AppResult};
use cqc_capture::CheckedFile;
use cqc_domain::application::DocumentKind;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// One check per core at once: each may decode tens of megapixels.
fn checks() -> &'static Semaphore {
    static CHECKS: OnceLock<Semaphore> = OnceLock::new();
    CHECKS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// `cqc_capture::check_document`, off the async threads; a refused file is the driver's error.
pub async fn check_document(kind: DocumentKind, bytes: Vec<u8>) -> AppResult<CheckedFile> {
    let _turn = checks().acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || cqc_capture::check_document(kind, &bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::file)
}
