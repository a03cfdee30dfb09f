//! How long one driver's small document waits while another driver's heavy scans are checked:
//! the service's fair turns (`files::FairTurns`) against first come, first served (one queue
//! for every driver, as before), and against the physical limit, the small check alone.
//! `cargo bench -p cqc-server --bench fair_checks` (or, on the tests' build, whose image decoding
//! is optimised too: `cargo test --workspace --bench fair_checks`).

use cqc_domain::application::DocumentKind;
use cqc_server::files::FairTurns;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const HEAVY_SCANS: usize = 5;
const ROUNDS: usize = 3;

/// An 8000×5000 PNG under the 10 MiB a file may weigh: the most pixels the checks take, about a
/// second to decode and re-encode.
fn heavy_scan() -> Vec<u8> {
    let image = image::RgbImage::from_fn(8000, 5000, |x, y| image::Rgb([(x / 32) as u8, (y / 20) as u8, 128]));
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).unwrap();
    png.into_inner()
}

async fn check(bytes: Arc<Vec<u8>>, kind: DocumentKind) {
    tokio::task::spawn_blocking(move || cqc_capture::check_document(kind, &bytes).unwrap()).await.unwrap();
}

/// The small document's time from its arrival to its answer, the heavy scans sent 50 ms before.
async fn light_behind_heavy(
    heavy: &Arc<Vec<u8>>,
    turn: impl Fn(&'static str) -> tokio::task::JoinHandle<Box<dyn Send>>,
) -> Duration {
    let light = Arc::new(cqc_testkit::files::signature());
    let mut scans = Vec::new();
    for _ in 0..HEAVY_SCANS {
        let (waiting, heavy) = (turn("conducteur-1"), heavy.clone());
        scans.push(tokio::spawn(async move {
            let held = waiting.await.unwrap();
            check(heavy, DocumentKind::IdentityFront).await;
            drop(held);
        }));
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let held = turn("conducteur-2").await.unwrap();
    check(light, DocumentKind::Signature).await;
    drop(held);
    let waited = started.elapsed();
    for scan in scans {
        scan.await.unwrap();
    }
    waited
}

#[tokio::main]
async fn main() {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let light = Arc::new(cqc_testkit::files::signature());
    let mut alone = Duration::MAX;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        check(light.clone(), DocumentKind::Signature).await;
        alone = alone.min(started.elapsed());
    }
    let heavy = Arc::new(heavy_scan());
    let (mut fair, mut fifo) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let turns = FairTurns::new(cores);
        fair.push(
            light_behind_heavy(&heavy, |driver| {
                let turns = turns.clone();
                tokio::spawn(async move { Box::new(turns.turn(driver).await.unwrap()) as Box<dyn Send> })
            })
            .await,
        );
        let queue = Arc::new(Semaphore::new(cores));
        fifo.push(
            light_behind_heavy(&heavy, |_| {
                let queue = queue.clone();
                tokio::spawn(async move { Box::new(queue.acquire_owned().await.unwrap()) as Box<dyn Send> })
            })
            .await,
        );
    }
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    println!("{cores} check turns, {HEAVY_SCANS} scans of 8000×5000 from one driver, then a signature from another:");
    println!("  the signature alone (physical limit): {:.0} ms", alone.as_secs_f64() * 1000.0);
    println!(
        "  behind the scans, fair turns:        {:.0} ms (median of {ROUNDS})",
        median(fair).as_secs_f64() * 1000.0
    );
    println!(
        "  behind the scans, one queue (before): {:.0} ms (median of {ROUNDS})",
        median(fifo).as_secs_f64() * 1000.0
    );
}
