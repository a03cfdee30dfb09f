//! Card payments through a processor. The server never keeps a card number: it hands the card to
//! the processor with the attempt's idempotency key and keeps the answer and the last four
//! digits. On one machine the processor is [`Sandbox`], which answers like a real one for the
//! test cards documented in the README; a real processor implements the same trait.

use cqc_domain::billing::{BankCard, Cents, DeclineReason};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
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

/// The test cards of the sandbox (README « Paiement »).
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

#[derive(Default)]
struct Ledger {
    /// Each attempt's current answer, by idempotency key.
    answers: HashMap<String, ProviderAnswer>,
    /// Challenges waiting for their code: reference → (idempotency key, amount held).
    challenges: HashMap<String, (String, Cents)>,
    /// What was really charged, by reference: what the tests count.
    charged: HashMap<String, Cents>,
}

/// A processor in memory that behaves like a real one for the test cards; any other valid card
/// number is refused, as a real sandbox does.
#[derive(Default)]
pub struct Sandbox {
    ledger: Mutex<Ledger>,
}

impl Sandbox {
    /// How many charges were really taken, and their sum.
    pub fn charged(&self) -> (usize, Cents) {
        let ledger = self.ledger.lock().expect("sandbox ledger");
        (ledger.charged.len(), Cents(ledger.charged.values().map(|c| c.0).sum()))
    }

    fn answer_for(&self, key: &str, amount: Cents, card: &BankCard) -> ProviderAnswer {
        let mut ledger = self.ledger.lock().expect("sandbox ledger");
        if let Some(previous) = ledger.answers.get(key) {
            return previous.clone();
        }
        let reference = format!("sbx_{}", uuid::Uuid::new_v4().simple());
        let answer = match card.number.as_str() {
            test_cards::APPROVED => {
                ledger.charged.insert(reference.clone(), amount);
                ProviderAnswer::Approved { reference }
            }
            test_cards::THREE_D_SECURE => {
                ledger.challenges.insert(reference.clone(), (key.to_owned(), amount));
                ProviderAnswer::Challenge { reference }
            }
            test_cards::INSUFFICIENT_FUNDS => ProviderAnswer::Declined { reason: DeclineReason::InsufficientFunds },
            test_cards::EXPIRED => ProviderAnswer::Declined { reason: DeclineReason::CardExpired },
            _ => ProviderAnswer::Declined { reason: DeclineReason::Refused },
        };
        ledger.answers.insert(key.to_owned(), answer.clone());
        answer
    }
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
            Ok(self.answer_for(idempotency_key, amount, card))
        })
    }

    fn confirm<'a>(&'a self, reference: &'a str, code: &'a str) -> ProviderResult<'a, ProviderAnswer> {
        Box::pin(async move {
            let mut ledger = self.ledger.lock().expect("sandbox ledger");
            let Some((key, held)) = ledger.challenges.remove(reference) else {
                // Already confirmed: the same answer again.
                let key =
                    ledger.answers.iter().find(|(_, a)| reference_of(a) == Some(reference)).map(|(k, _)| k.clone());
                return Ok(key
                    .and_then(|k| ledger.answers.get(&k).cloned())
                    .unwrap_or(ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }));
            };
            let answer = if code.trim() == test_cards::CHALLENGE_CODE {
                ledger.charged.insert(reference.to_owned(), held);
                ProviderAnswer::Approved { reference: reference.to_owned() }
            } else {
                ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }
            };
            ledger.answers.insert(key, answer.clone());
            Ok(answer)
        })
    }

    fn lookup<'a>(&'a self, idempotency_key: &'a str) -> ProviderResult<'a, Option<ProviderAnswer>> {
        Box::pin(async move { Ok(self.ledger.lock().expect("sandbox ledger").answers.get(idempotency_key).cloned()) })
    }
}

fn reference_of(answer: &ProviderAnswer) -> Option<&str> {
    match answer {
        ProviderAnswer::Approved { reference } | ProviderAnswer::Challenge { reference } => Some(reference),
        ProviderAnswer::Declined { .. } => None,
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

    #[tokio::test]
    async fn the_sandbox_charges_a_key_once_and_asks_for_the_code_of_a_3ds_card() {
        let sandbox = Sandbox::default();
        let first = sandbox.charge("k1", Cents(3000), &card(test_cards::APPROVED)).await.unwrap();
        let again = sandbox.charge("k1", Cents(3000), &card(test_cards::APPROVED)).await.unwrap();
        assert_eq!(first, again);
        assert_eq!(sandbox.charged(), (1, Cents(3000)));
        let ProviderAnswer::Challenge { reference } =
            sandbox.charge("k2", Cents(720), &card(test_cards::THREE_D_SECURE)).await.unwrap()
        else {
            panic!("3-D Secure expected");
        };
        assert!(matches!(sandbox.confirm(&reference, "123456").await.unwrap(), ProviderAnswer::Approved { .. }));
        assert_eq!(sandbox.charged(), (2, Cents(3720)));
        assert_eq!(
            sandbox.charge("k3", Cents(1), &card(test_cards::INSUFFICIENT_FUNDS)).await.unwrap(),
            ProviderAnswer::Declined { reason: DeclineReason::InsufficientFunds }
        );
        assert_eq!(sandbox.lookup("never").await.unwrap(), None);
        assert_eq!(sandbox.charged(), (2, Cents(3720)));
    }

    #[tokio::test]
    async fn a_wrong_3ds_code_declines_and_releases_the_hold() {
        let sandbox = Sandbox::default();
        let ProviderAnswer::Challenge { reference } =
            sandbox.charge("k", Cents(720), &card(test_cards::THREE_D_SECURE)).await.unwrap()
        else {
            panic!("3-D Secure expected");
        };
        assert_eq!(
            sandbox.confirm(&reference, "000000").await.unwrap(),
            ProviderAnswer::Declined { reason: DeclineReason::ChallengeFailed }
        );
        assert_eq!(sandbox.charged(), (0, Cents(0)));
    }
}
