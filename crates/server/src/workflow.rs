//! The unit of work a use case runs in: one transaction, one instant, and the side effects it
//! decides (audit entries, emails, SMS, notifications). The effects go into the transaction, so
//! that they exist if and only if the change does; the mail and SMS workers are woken once it is
//! committed, never before (they would find nothing) and never forgotten.

use crate::auth::Caller;
use crate::db::Conn;
use crate::db::{self, Tx};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Attachment, Email, MailWaker};
use crate::workflows::accounts::IssuedLink;
use crate::AppState;
use cqc_domain::audit::AuditAction;
use time::OffsetDateTime;

pub struct UnitOfWork {
    tx: Tx<'static>,
    /// The instant of the whole use case: every row and every date it writes shares it.
    pub now: OffsetDateTime,
    actor: Option<String>,
    pending: Vec<Effect>,
    sends: bool,
    senders: MailWaker,
}

enum Effect {
    Audit { actor: Option<String>, action: AuditAction, subject: String, detail: String },
    Email { email: Email, attachment: Option<Attachment>, link_key: Option<String> },
    Sms { account_id: String, phone: String, text: String },
    Notification { account_id: String, title: String, body: String, target: Option<String> },
}

impl UnitOfWork {
    /// Starts a use case done by `actor` (none for the service itself).
    pub async fn begin(state: &AppState, actor: Option<&str>) -> AppResult<Self> {
        Ok(Self {
            tx: state.db.begin().await?,
            now: state.clock.now(),
            actor: actor.map(str::to_owned),
            pending: Vec::new(),
            sends: false,
            senders: state.mail.clone(),
        })
    }

    /// Starts a use case done by a signed-in caller whose session and account are read again
    /// inside the transaction, their account locked until it ends (with `also_locked`, those
    /// the use case changes): a request let in just before its author was deactivated, closed
    /// or signed out does nothing, and two staff members acting on each other take turns.
    pub async fn begin_as(state: &AppState, caller: &Caller, also_locked: &[&str]) -> AppResult<Self> {
        let mut work = Self::begin(state, Some(&caller.account_id)).await?;
        let accounts: Vec<&str> =
            std::iter::once(caller.account_id.as_str()).chain(also_locked.iter().copied()).collect();
        db::lock_accounts(&mut work.tx, &accounts, state.db.backend).await?;
        let now = work.now;
        match db::session_account(&mut work.tx, &caller.token_hash, now).await? {
            Some((id, role)) if id == caller.account_id && role == caller.role => Ok(work),
            _ => Err(AppError::unauthenticated()),
        }
    }

    /// The transaction, with the effects recorded so far written into it first: what the use
    /// case reads next (a history, a view) already shows them.
    pub async fn conn(&mut self) -> AppResult<&mut Conn> {
        self.flush().await?;
        Ok(&mut self.tx)
    }

    /// The transaction, for the training code that writes its emails itself (the sync push
    /// batches them): the senders are woken on commit.
    pub async fn conn_that_sends(&mut self) -> AppResult<&mut Conn> {
        self.sends = true;
        self.conn().await
    }

    pub fn audit(&mut self, action: AuditAction, subject: &str, detail: impl Into<String>) {
        self.pending.push(Effect::Audit {
            actor: self.actor.clone(),
            action,
            subject: subject.to_owned(),
            detail: detail.into(),
        });
    }

    pub fn email(&mut self, email: Email) {
        self.pending.push(Effect::Email { email, attachment: None, link_key: None });
    }

    pub fn email_with_pdf(&mut self, email: Email, attachment: Attachment) {
        self.pending.push(Effect::Email { email, attachment: Some(attachment), link_key: None });
    }

    /// An email carrying the link of [`crate::workflows::accounts::issue_link`]: its body holds
    /// the link's address with `mail::LINK_TOKEN_PLACE`, filled in at sending.
    pub fn email_with_link(&mut self, email: Email, link: IssuedLink) {
        self.pending.push(Effect::Email { email, attachment: None, link_key: Some(link.key) });
    }

    /// The use case turns out to be done by `account_id` (known from a link it read): the audit
    /// entries recorded from now on name them.
    pub fn act_as(&mut self, account_id: &str) {
        self.actor = Some(account_id.to_owned());
    }

    pub fn sms(&mut self, account_id: &str, phone: &str, text: impl Into<String>) {
        self.pending.push(Effect::Sms {
            account_id: account_id.to_owned(),
            phone: phone.to_owned(),
            text: text.into(),
        });
    }

    /// An in-app notification; `target` is what « en savoir plus » opens (e.g. `application:<id>`).
    pub fn notify(&mut self, account_id: &str, title: &str, body: &str, target: Option<String>) {
        self.pending.push(Effect::Notification {
            account_id: account_id.to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
            target,
        });
    }

    /// Writes the remaining effects, commits, then wakes the senders if anything is to be sent.
    pub async fn commit(mut self) -> AppResult<()> {
        self.flush().await?;
        crate::db::commit(self.tx).await?;
        if self.sends {
            self.senders.wake();
        }
        Ok(())
    }

    async fn flush(&mut self) -> AppResult<()> {
        let now = self.now;
        for effect in std::mem::take(&mut self.pending) {
            match effect {
                Effect::Audit { actor, action, subject, detail } => {
                    db::audit(&mut self.tx, actor.as_deref(), action, &subject, &detail, now).await?
                }
                Effect::Email { email, attachment, link_key } => {
                    mail::enqueue_with(&mut self.tx, &email, attachment.as_ref(), link_key.as_deref(), now).await?;
                    self.sends = true;
                }
                Effect::Sms { account_id, phone, text } => {
                    crate::db::outbox::insert_sms(&mut self.tx, &account_id, &phone, &text, now).await?;
                    self.sends = true;
                }
                Effect::Notification { account_id, title, body, target } => {
                    db::insert_notification_about(&mut self.tx, &account_id, &title, &body, target.as_deref(), now)
                        .await?
                }
            }
        }
        Ok(())
    }
}
