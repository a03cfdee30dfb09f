//! Passwords (Argon2id) and one-time tokens (random, stored only as their SHA-256).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes on a blocking thread: Argon2id is made to be slow.
pub async fn hash_password(password: String) -> String {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 accepts any password").to_string()
    })
    .await
    .expect("hashing task")
}

/// Verifies on a blocking thread. With no stored hash, a dummy one is checked so that the answer
/// takes as long whether or not the account exists.
pub async fn verify_password(stored_hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored_hash.is_some();
        let hash = stored_hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches =
            PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
        known && matches
    })
    .await
    .expect("verifying task")
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
        let hash = hash_password("Camion-Rouge2024".into()).await;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(hash.clone()), "Camion-Rouge2024".into()).await);
        assert!(!verify_password(Some(hash), "Camion-Rouge2025".into()).await);
        assert!(!verify_password(None, "Camion-Rouge2024".into()).await);
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
