//! The emails the server wrote into its outbox folder (`emails as files`), read as a mail client
//! shows them: recipient, subject, decoded text, attachments.

use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned() }
    }

    fn messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries.filter_map(|e| std::fs::read(e.ok()?.path()).ok()).collect()
    }

    /// The emails sent to `to`, each as its subject and decoded text.
    pub fn emails_to(&self, to: &str) -> Vec<String> {
        self.messages()
            .iter()
            .filter_map(|raw| {
                let message = MessageParser::default().parse(raw)?;
                (message.to()?.first()?.address()? == to).then(|| {
                    format!("{}\n{}", message.subject().unwrap_or_default(), message.body_text(0).unwrap_or_default())
                })
            })
            .collect()
    }

    /// Waits (10 s at most) for the email to `to` whose subject or text contains `subject`.
    pub async fn email(&self, to: &str, subject: &str) -> String {
        for _ in 0..200 {
            if let Some(text) = self.emails_to(to).into_iter().find(|t| t.contains(subject)) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no email to {to} about « {subject} »; outbox: {:?}", self.emails_to(to));
    }

    /// The first link with a one-time token (`…jeton=…`) in that email.
    pub async fn link(&self, to: &str, subject: &str) -> String {
        self.link_starting(to, subject, "http").await
    }

    /// The same link for the installed app (`cqc://…jeton=…`).
    pub async fn app_link(&self, to: &str, subject: &str) -> String {
        self.link_starting(to, subject, "cqc://").await
    }

    async fn link_starting(&self, to: &str, subject: &str, scheme: &str) -> String {
        let email = self.email(to, subject).await;
        let start = email.find(scheme).expect("a link in the email");
        let link: String = email[start..].chars().take_while(|c| !c.is_whitespace()).collect();
        assert!(link.contains("jeton="), "a one-time link in « {subject} »: {link}");
        link
    }

    /// The one-time token of that link.
    pub async fn token(&self, to: &str, subject: &str) -> String {
        cqc_sync::api::token_from_link(&self.link(to, subject).await).expect("a token in the link")
    }

    /// The attachments (file name, size) of the emails sent to `to`.
    pub fn attachments_to(&self, to: &str) -> Vec<(String, usize)> {
        self.messages()
            .iter()
            .flat_map(|raw| {
                let message = MessageParser::default().parse(raw).expect("a readable email");
                let recipient = message.to().and_then(|t| t.first()).and_then(|a| a.address()).unwrap_or("");
                if recipient != to {
                    return Vec::new();
                }
                message
                    .attachments()
                    .map(|a| (a.attachment_name().unwrap_or_default().to_owned(), a.contents().len()))
                    .collect()
            })
            .collect()
    }
}
