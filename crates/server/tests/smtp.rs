//! Emails through a real SMTP server (issue 29): aiosmtpd on loopback, STARTTLS required, with a
//! certificate of a test authority the server is told to trust. A server that refuses for a
//! while, or that is stopped mid-round, loses nothing and receives each email once.
//! `scripts/test.sh` runs it (`--ignored`: it needs aiosmtpd, which `scripts/install-deps.sh`
//! installs).

use cqc_testkit::driver;
use cqc_testkit::process::ServerProcess;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// aiosmtpd as `scripts/smtp-server.py` runs it, listening once this returns.
struct SmtpServer(Child);

impl SmtpServer {
    fn start(folder: &Path, port: u16, refuse: u32) -> Self {
        let tools = std::env::var("CQC_TOOLS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/cqc-tools"));
        let python = tools.join("smtp/bin/python");
        assert!(python.exists(), "{} missing: run scripts/install-deps.sh", python.display());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp-server.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(folder)
            .arg(port.to_string())
            .args(["--refuse", &refuse.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready");
        Self(child)
    }

    fn stop(mut self) {
        Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Every message the SMTP servers received, over their folders.
fn received(folders: &[&Path]) -> Vec<String> {
    folders
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).into_iter().flatten())
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "eml").then(|| std::fs::read_to_string(path).unwrap())
        })
        .collect()
}

async fn until_received(folders: &[&Path], to: &str) -> Vec<String> {
    let to_them = |all: Vec<String>| -> Vec<String> {
        all.into_iter().filter(|m| m.contains(&format!("X-Test-Rcpt: {to}"))).collect()
    };
    for _ in 0..300 {
        let messages = to_them(received(folders));
        if !messages.is_empty() {
            return messages;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no email to {to} reached the SMTP server in 30 s");
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/install-deps.sh); scripts/test.sh runs it"]
async fn emails_go_through_a_real_smtp_server_over_starttls_once_each_through_refusals_and_a_stop() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("smtp-1"), dir.path().join("smtp-2"));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // It refuses the first email for a while (« 451 try again later »).
    let smtp = SmtpServer::start(&first, port, 1);
    let url = format!("smtp://127.0.0.1:{port}?tls=required");
    let authority = first.join("ca.pem");
    let server = ServerProcess::start(
        Path::new(env!("CARGO_BIN_EXE_cqc-server")),
        &dir.path().join("server"),
        &[("CQC_SMTP_URL", url.as_str()), ("SSL_CERT_FILE", authority.to_str().unwrap())],
    );
    server.ready().await;

    server.client().register(&driver(1)).await.unwrap();
    let messages = until_received(&[&first], "conducteur1@exemple.fr").await;
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("X-Test-Session: starttls"), "sent in clear: {}", messages[0]);
    assert!(messages[0].contains("Message-ID: <"), "{}", messages[0]);

    // The SMTP server stops; an email queued meanwhile waits, then goes once it is back.
    smtp.stop();
    server.client().register(&driver(2)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // The same server again (its certificate kept), its messages in a folder of their own.
    std::fs::create_dir_all(&second).unwrap();
    for file in ["ca.pem", "ca.key", "server.pem", "server.key"] {
        std::fs::copy(first.join(file), second.join(file)).unwrap();
    }
    let _back = SmtpServer::start(&second, port, 0);
    until_received(&[&first, &second], "conducteur2@exemple.fr").await;
    // A delivery round later, nothing came twice.
    tokio::time::sleep(Duration::from_secs(6)).await;
    for to in ["conducteur1@exemple.fr", "conducteur2@exemple.fr"] {
        let copies =
            received(&[&first, &second]).into_iter().filter(|m| m.contains(&format!("X-Test-Rcpt: {to}"))).count();
        assert_eq!(copies, 1, "{to} received {copies} copies");
    }
}
