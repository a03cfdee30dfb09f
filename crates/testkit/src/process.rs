//! The server as its own process, started from its binary as an operator starts it: for the
//! tests that kill it, stop it, or run several.

use cqc_client::client::ApiClient;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

pub struct ServerProcess {
    child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl ServerProcess {
    /// `binary serve` on a free loopback port, its data in `data`, with the settings `env`.
    pub fn start(binary: &Path, data: &Path, env: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(binary)
            .arg("serve")
            .env("CQC_BIND", format!("127.0.0.1:{port}"))
            .env("CQC_DATA_DIR", data)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .spawn()
            .expect("the server binary starts");
        Self { child, url: format!("http://127.0.0.1:{port}"), data: data.to_owned() }
    }

    /// Waits until it answers.
    pub async fn ready(&self) {
        for _ in 0..200 {
            if self.client().health().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} never answered", self.url);
    }

    pub fn client(&self) -> ApiClient {
        ApiClient::new(&self.url)
    }

    pub fn outbox(&self) -> PathBuf {
        self.data.join("outbox")
    }

    /// The process's resident memory, now and at its peak, in MiB (from `/proc`).
    pub fn memory_mib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<u64>().ok())
                .unwrap_or(0)
                / 1024
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Sends `signal` (`KILL`, `TERM`, …) and waits for the process to end.
    pub fn signal(&mut self, signal: &str) {
        Command::new("kill").args([&format!("-{signal}"), &self.child.id().to_string()]).status().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
