//! Passwords (Argon2id), one-time tokens (random, stored only as their SHA-256), and the tokens
//! of emailed links (derived from the link's key with the service's link secret, never stored).

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
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
    on_hash_pool(move || new_hash(password.as_bytes())).await
}

/// Verifies on the hashing pool. With no stored hash, a dummy one is checked so that the answer
/// takes as long whether or not the account exists.
pub async fn verify_password(stored_hash: Option<String>, password: String) -> Result<bool, HashingBusy> {
    on_hash_pool(move || {
        let known = stored_hash.is_some();
        let matches = verify(stored_hash.as_deref().unwrap_or(DUMMY_HASH), password.as_bytes());
        known && matches
    })
    .await
}

/// Argon2 in the hashing thread's own memory, allocated once. Allocating and freeing 19 MiB for
/// every hash fragments the allocator's heaps, which then keep hundreds of megabytes for good.
// Already `const`: the Windows check's clippy (1.97, x86_64-pc-windows-gnu) flags it even so.
#[allow(clippy::missing_const_for_thread_local)]
fn argon2_into(argon2: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    thread_local! {
        static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BLOCKS.with_borrow_mut(|blocks| {
        blocks.resize(argon2.params().block_count(), Block::default());
        argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with the argon2 crate's defaults.
fn new_hash(password: &[u8]) -> String {
    let argon2 = Argon2::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).expect("a generated salt decodes");
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon2, password, salt_bytes, &mut out).expect("argon2 accepts any password");
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params()).expect("the default parameters print"),
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).expect("a 32-byte output")),
    }
    .to_string()
}

/// Whether `password` gives the stored PHC string's hash (compared in constant time).
fn verify(stored: &str, password: &[u8]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
    let Ok(version) = version else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    argon2_into(&Argon2::new(algorithm, version, params), password, salt, &mut out).is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
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

/// The secret from which the tokens of emailed links are derived: a link's row and its email
/// keep the link's key, never its token, which exists only in the email handed to the transport.
/// The same on every instance; changing it voids every link sent and not yet used.
pub struct LinkSecret([u8; 32]);

#[derive(Debug, thiserror::Error)]
#[error("the link secret is not 32 bytes in base64url")]
pub struct BadLinkSecret;

impl LinkSecret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn decode(text: &str) -> Result<Self, BadLinkSecret> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| BadLinkSecret)?;
        Ok(Self(bytes.try_into().map_err(|_| BadLinkSecret)?))
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// A new link: its key (what the database keeps) and its token's hash (how the token is
    /// found when it comes back).
    pub fn new_link(&self) -> (String, String) {
        let (key, _) = new_token();
        let hash = token_hash(&self.token(&key));
        (key, hash)
    }

    /// The token of the link with this key: HMAC-SHA256 of the key, as 43 base64url characters.
    pub fn token(&self, key: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(key).finalize().into_bytes())
    }

    /// Whether `token` is the one this secret gives the link's key (not a token of a secret
    /// changed since), compared in constant time.
    pub fn made(&self, key: &str, token: &str) -> bool {
        URL_SAFE_NO_PAD.decode(token).is_ok_and(|given| self.mac(key).verify_slice(&given).is_ok())
    }

    fn mac(&self, key: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(b"cqc-link:");
        mac.update(key.as_bytes());
        mac
    }
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_token_comes_from_its_key_and_this_secret_only() {
        let secret = LinkSecret::generate();
        let (key, hash) = secret.new_link();
        let token = secret.token(&key);
        assert_eq!(token.len(), 43);
        assert_eq!(token_hash(&token), hash);
        assert!(secret.made(&key, &token));
        assert!(!secret.made("another-key", &token));
        assert!(!LinkSecret::generate().made(&key, &token), "a new secret voids the links sent");
        assert!(!secret.made(&key, "not base64 !"));
        let again = LinkSecret::decode(&secret.encode()).unwrap();
        assert_eq!(again.token(&key), token);
        assert!(LinkSecret::decode("trop-court").is_err());
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("Camion-Rouge2024".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(hash.clone()), "Camion-Rouge2024".into()).await.unwrap());
        assert!(!verify_password(Some(hash), "Camion-Rouge2025".into()).await.unwrap());
        assert!(!verify_password(None, "Camion-Rouge2024".into()).await.unwrap());
    }

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let stored = Argon2::default().hash_password(b"Camion-Rouge2024", &salt).unwrap().to_string();
        assert!(verify(&stored, b"Camion-Rouge2024"));
        assert!(!verify(&stored, b"Camion-Rouge2025"));
        assert!(!verify("pas un hachage", b"Camion-Rouge2024"));
        assert!(new_hash(b"x").starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
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
