//! Passwords (Argon2id) and one-time tokens (random, stored only as their SHA-256).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The hashing threads, one per core: each Argon2 run holds a 19 MiB buffer, so the number in
/// flight, and the memory they take, is bounded by this pool whatever the number of logins.
struct HashPool {
    jobs: std::sync::mpsc::SyncSender<Box<dyn FnOnce() + Send>>,
}

/// Hashes waiting for a thread beyond this answer « service occupé » at once instead of queueing.
const HASH_QUEUE_PER_THREAD: usize = 16;

fn pool() -> &'static HashPool {
    static POOL: std::sync::OnceLock<HashPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Box<dyn FnOnce() + Send>>(threads * HASH_QUEUE_PER_THREAD);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    // The lock is held only to take the next job, never while hashing.
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("a hashing thread starts");
        }
        HashPool { jobs }
    })
}

/// Every hashing thread is busy and the queue is full: the client should retry in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password hashing queue is full")]
pub struct HashingBusy;

async fn on_hash_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashingBusy> {
    let (done, result) = tokio::sync::oneshot::channel();
    pool()
        .jobs
        .try_send(Box::new(move || {
            let _ = done.send(work());
        }))
        .map_err(|_| HashingBusy)?;
    result.await.map_err(|_| HashingBusy)
}

/// Hashes on the hashing pool: Argon2id is made to be slow.
pub async fn hash_password(password: String) -> Result<String, HashingBusy> {
    on_hash_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 accepts any password").to_string()
    })
    .await
}

/// Verifies on the hashing pool. With no stored hash, a dummy one is checked so that the answer
/// takes as long whether or not the account exists.
pub async fn verify_password(stored_hash: Option<String>, password: String) -> Result<bool, HashingBusy> {
    on_hash_pool(move || {
        let known = stored_hash.is_some();
        let hash = stored_hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches =
            PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
        known && matches
    })
    .await
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0OjcxmU3Y7Fwlz0lYJeZ5P9tXkqpjWr1H9QcxM5Pjxo";

/// A new one-time token: what goes to the user, and what the database keeps.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("Camion-Rouge2024".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(hash.clone()), "Camion-Rouge2024".into()).await.unwrap());
        assert!(!verify_password(Some(hash), "Camion-Rouge2025".into()).await.unwrap());
        assert!(!verify_password(None, "Camion-Rouge2024".into()).await.unwrap());
    }

    #[test]
    fn tokens_are_unique_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), hash_a);
        assert!(!hash_a.contains(&a));
    }
}
