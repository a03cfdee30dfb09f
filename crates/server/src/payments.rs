//! Card payments through a processor. The server never keeps a card number: it hands the card to
//! the processor with the attempt's idempotency key and keeps the answer and the last four
//! digits. On one machine, and in the tests, the processor is [`Sandbox`], which answers like a
//! real one for the test cards documented in docs/development/features.md; a real processor implements the same
//! trait.

use crate::db::sandbox_ledger::{self as ledger, LedgerAnswer, LedgerEntry, LedgerKey};
use crate::db::{Db, DbError, DbResult};
use cqc_domain::billing::{BankCard, Cents, DeclineReason};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What the processor said about a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderAnswer {
    Approved {
        reference: String,
    },
    Declined {
        reason: DeclineReason,
    },
    /// 3-D Secure: the cardholder must confirm with a code from their bank.
    Challenge {
        reference: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payment processor unreachable: {0}")]
pub struct ProviderUnreachable(pub String);

pub type ProviderResult<'a, T> = Pin<Box<dyn Future<Output = Result<T, ProviderUnreachable>> + Send + 'a>>;

pub trait PaymentProvider: Send + Sync + 'static {
    /// Charges `amount`; the same `idempotency_key` always gets the first answer back and is
    /// never charged twice.
    fn charge<'a>(
        &'a self,
        idempotency_key: &'a str,
        amount: Cents,
        card: &'a BankCard,
    ) -> ProviderResult<'a, ProviderAnswer>;
    /// The code of a 3-D Secure challenge.
    fn confirm<'a>(&'a self, reference: &'a str, code: &'a str) -> ProviderResult<'a, ProviderAnswer>;
    /// The answer to an attempt whose outcome the server does not know (a crash, a timeout):
    /// `None` when the processor never charged it.
    fn lookup<'a>(&'a self, idempotency_key: &'a str) -> ProviderResult<'a, Option<ProviderAnswer>>;
}

/// The test cards of the sandbox (docs/development/features.md).
pub mod test_cards {
    pub const APPROVED: &str = "4242424242424242";
    pub const THREE_D_SECURE: &str = "4000000000003220";
    pub const INSUFFICIENT_FUNDS: &str = "4000000000009995";
    pub const EXPIRED: &str = "4000000000000069";
    pub const REFUSED: &str = "4000000000000002";
    pub const TIMEOUT: &str = "4000000000000119";
    /// The code the sandbox's bank "sends" for a 3-D Secure challenge.
    pub const CHALLENGE_CODE: &str = "123456";
}

/// A processor that behaves like a real one for the test cards; any other valid card number is
/// refused, as a real sandbox does. Its ledger is a table of the service's database
/// (`sandbox_ledger`): every instance of the service then talks to the same processor, as they
/// would to a real one, and an attempt is still known after a restart.
#[derive(Clone)]
pub struct Sandbox {
    db: Db,
}

impl Sandbox {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// How many charges were really taken, and their sum: what the tests count.
    pub async fn charged(&self) -> DbResult<(usize, Cents)> {
        ledger::charged(&self.db).await
    }

    /// The first answer given to `key`: this one unless the key was charged before.
    async fn answer_for(&self, key: &str, amount: Cents, card: &BankCard) -> DbResult<ProviderAnswer> {
        let (answer, reason, charged) = match card.number.as_str() {
            test_cards::APPROVED => (LedgerAnswer::Approved, None, true),
            test_cards::THREE_D_SECURE => (LedgerAnswer::Challenge, None, false),
            test_cards::INSUFFICIENT_FUNDS => (LedgerAnswer::Declined, Some(DeclineReason::InsufficientFunds), false),
            test_cards::EXPIRED => (LedgerAnswer::Declined, Some(DeclineReason::CardExpired), false),
            _ => (LedgerAnswer::Declined, Some(DeclineReason::Refused), false),
        };
        ledger::record_first(&self.db, key, amount, answer, reason, charged).await?;
        let entry = ledger::find(&self.db, LedgerKey::IdempotencyKey(key)).await?.ok_or(DbError::NotFound)?;
        Ok(provider_answer(entry))
    }

    async fn settle_challenge(&self, reference: &str, code: &str) -> DbResult<ProviderAnswer> {
        let (answer, reason, charged) = if code.trim() == test_cards::CHALLENGE_CODE {
            (LedgerAnswer::Approved, None, true)
        } else {
            (LedgerAnswer::Declined, Some(DeclineReason::ChallengeFailed), false)
        };
        // Only a challenge still waiting changes: a code sent twice gets the first answer back.
        ledger::settle_waiting_challenge(&self.db, reference, answer, reason, charged).await?;
        Ok(ledger::find(&self.db, LedgerKey::Reference(reference))
            .await?
            .map_or(ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }, provider_answer))
    }
}

fn provider_answer(entry: LedgerEntry) -> ProviderAnswer {
    match entry.answer {
        LedgerAnswer::Approved => ProviderAnswer::Approved { reference: entry.reference },
        LedgerAnswer::Challenge => ProviderAnswer::Challenge { reference: entry.reference },
        LedgerAnswer::Declined => {
            ProviderAnswer::Declined { reason: entry.decline_reason.unwrap_or(DeclineReason::Refused) }
        }
    }
}

fn unreachable(error: DbError) -> ProviderUnreachable {
    ProviderUnreachable(error.to_string())
}

impl PaymentProvider for Sandbox {
    fn charge<'a>(
        &'a self,
        idempotency_key: &'a str,
        amount: Cents,
        card: &'a BankCard,
    ) -> ProviderResult<'a, ProviderAnswer> {
        Box::pin(async move {
            if card.number == test_cards::TIMEOUT {
                // The processor never answers; the server's own deadline ends the wait.
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            self.answer_for(idempotency_key, amount, card).await.map_err(unreachable)
        })
    }

    fn confirm<'a>(&'a self, reference: &'a str, code: &'a str) -> ProviderResult<'a, ProviderAnswer> {
        Box::pin(async move { self.settle_challenge(reference, code).await.map_err(unreachable) })
    }

    fn lookup<'a>(&'a self, idempotency_key: &'a str) -> ProviderResult<'a, Option<ProviderAnswer>> {
        Box::pin(async move {
            let entry = ledger::find(&self.db, LedgerKey::IdempotencyKey(idempotency_key)).await;
            entry.map(|entry| entry.map(provider_answer)).map_err(unreachable)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str) -> BankCard {
        BankCard {
            holder: "Jean Dupont".into(),
            number: number.into(),
            expiry_month: 12,
            expiry_year: 2030,
            security_code: "123".into(),
        }
    }

    /// A sandbox on a database of its own, with the folder that holds it.
    async fn sandbox() -> (Sandbox, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&crate::db::sqlite_url(&dir.path().join("ledger.sqlite3"))).await.unwrap();
        (Sandbox::new(db), dir)
    }

    #[tokio::test]
    async fn the_sandbox_charges_a_key_once_and_asks_for_the_code_of_a_3ds_card() {
        let (sandbox, _dir) = sandbox().await;
        let first = sandbox.charge("k1", Cents(3000), &card(test_cards::APPROVED)).await.unwrap();
        let again = sandbox.charge("k1", Cents(3000), &card(test_cards::APPROVED)).await.unwrap();
        assert_eq!(first, again);
        assert_eq!(sandbox.charged().await.unwrap(), (1, Cents(3000)));
        let ProviderAnswer::Challenge { reference } =
            sandbox.charge("k2", Cents(720), &card(test_cards::THREE_D_SECURE)).await.unwrap()
        else {
            panic!("3-D Secure expected");
        };
        assert!(matches!(sandbox.confirm(&reference, "123456").await.unwrap(), ProviderAnswer::Approved { .. }));
        assert_eq!(sandbox.charged().await.unwrap(), (2, Cents(3720)));
        assert_eq!(
            sandbox.charge("k3", Cents(1), &card(test_cards::INSUFFICIENT_FUNDS)).await.unwrap(),
            ProviderAnswer::Declined { reason: DeclineReason::InsufficientFunds }
        );
        assert_eq!(sandbox.lookup("never").await.unwrap(), None);
        assert_eq!(sandbox.charged().await.unwrap(), (2, Cents(3720)));
    }

    #[tokio::test]
    async fn a_wrong_3ds_code_declines_and_releases_the_hold() {
        let (sandbox, _dir) = sandbox().await;
        let ProviderAnswer::Challenge { reference } =
            sandbox.charge("k", Cents(720), &card(test_cards::THREE_D_SECURE)).await.unwrap()
        else {
            panic!("3-D Secure expected");
        };
        assert_eq!(
            sandbox.confirm(&reference, "000000").await.unwrap(),
            ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }
        );
        assert_eq!(sandbox.charged().await.unwrap(), (0, Cents(0)));
    }

    #[tokio::test]
    async fn a_challenge_started_through_one_instance_is_confirmed_through_another() {
        let (first, _dir) = sandbox().await;
        let second = Sandbox::new(first.db.clone());
        let ProviderAnswer::Challenge { reference } =
            first.charge("k", Cents(720), &card(test_cards::THREE_D_SECURE)).await.unwrap()
        else {
            panic!("3-D Secure expected");
        };
        let approved = second.confirm(&reference, "123456").await.unwrap();
        assert_eq!(approved, ProviderAnswer::Approved { reference: reference.clone() });
        // The same code sent again, or a wrong one after it, changes nothing.
        assert_eq!(first.confirm(&reference, "000000").await.unwrap(), approved);
        assert_eq!(second.lookup("k").await.unwrap(), Some(approved));
        assert_eq!(first.charged().await.unwrap(), (1, Cents(720)));
        assert_eq!(
            first.confirm("sbx_unknown", "123456").await.unwrap(),
            ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }
        );
    }
}
