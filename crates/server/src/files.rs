//! Document files arriving from drivers: checked (decoded within limits, re-encoded, PDFs
//! inspected) on blocking threads, a few at a time, and never while holding a database
//! connection: a hostile file slows only its own request.

use crate::error::{AppError, AppResult};
use cqc_capture::CheckedFile;
use cqc_domain::application::DocumentKind;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The turns to check documents, shared fairly between drivers: one check per core at once
/// (each may decode tens of megapixels), and each driver waits for their own previous check
/// before queueing for a turn. The queue for the turns is first come, first served and holds
/// at most one request per driver, so a driver's five heavy scans take turns with everybody
/// else's instead of going first.
#[derive(Clone)]
pub struct FairTurns {
    turns: Arc<Semaphore>,
    per_driver: usize,
    drivers: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

/// A turn to check a document. Taken before an uploaded file is read into memory, so that the
/// files held at once are bounded by the turns, not by the uploads waiting for one.
pub struct Turn {
    _turn: OwnedSemaphorePermit,
    own: Option<OwnedSemaphorePermit>,
    driver: String,
    drivers: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

impl FairTurns {
    /// `turns` checks at once; a driver holds at most half of them (at least one).
    pub fn new(turns: usize) -> Self {
        Self { turns: Arc::new(Semaphore::new(turns)), per_driver: (turns / 2).max(1), drivers: Arc::default() }
    }

    pub async fn turn(&self, driver: &str) -> AppResult<Turn> {
        let own = {
            let mut drivers = self.drivers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            drivers.entry(driver.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(self.per_driver))).clone()
        };
        let own = own.acquire_owned().await.map_err(AppError::internal)?;
        let turn = self.turns.clone().acquire_owned().await.map_err(AppError::internal)?;
        Ok(Turn { _turn: turn, own: Some(own), driver: driver.to_owned(), drivers: self.drivers.clone() })
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        // The driver's entry goes with their last turn or wait (each holds the entry's `Arc`).
        drop(self.own.take());
        let mut drivers = self.drivers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if drivers.get(&self.driver).is_some_and(|own| Arc::strong_count(own) == 1) {
            drivers.remove(&self.driver);
        }
    }
}

/// The service's turns: one per core.
pub async fn turn(driver: &str) -> AppResult<Turn> {
    static CHECKS: OnceLock<FairTurns> = OnceLock::new();
    CHECKS
        .get_or_init(|| FairTurns::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
        .turn(driver)
        .await
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    async fn soon<T>(future: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::time::timeout(Duration::from_millis(200), future).await.ok()
    }

    #[tokio::test]
    async fn a_driver_with_many_scans_takes_turns_with_another_instead_of_going_first() {
        let turns = FairTurns::new(2);
        let heavy = turns.turn("conducteur-1").await.unwrap();
        // The same driver's next scans wait for their own previous one, not for a free turn.
        let next = tokio::spawn({
            let turns = turns.clone();
            async move { turns.turn("conducteur-1").await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!next.is_finished());
        // Another driver gets the free turn at once.
        let light = soon(turns.turn("conducteur-2")).await.expect("served at once").unwrap();
        drop(light);
        drop(heavy);
        soon(next).await.expect("the first driver's next scan goes on").unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_driver_entry_goes_with_its_last_turn() {
        let turns = FairTurns::new(2);
        drop(turns.turn("conducteur-1").await.unwrap());
        assert!(turns.drivers.lock().unwrap().is_empty());
    }
}
