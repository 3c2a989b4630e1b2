//! Receipt and department tokens: 256 random bits shown once, only their SHA-256 stored.
//!
//! A filing created with an idempotency key gets a token derived as
//! HMAC-SHA256(server secret, key ‖ body hash) instead of a random one, so that a retry
//! — whose first answer the client never saw — can be given the same receipt although the
//! token itself is not stored. Without the server secret the token cannot be computed.

use sha2::{Digest, Sha256};

use super::db::hex;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf
}

/// A fresh token: 64 hex characters (256 bits).
pub fn new_token() -> String {
    hex(&random_bytes::<32>())
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// What is stored for a token.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.trim().as_bytes())
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The receipt token of a filing created with an idempotency key.
pub fn derived_token(secret: &[u8; 32], idem_key: &str, body_hash: &str) -> String {
    hex(&hmac_sha256(secret, format!("receipt\n{idem_key}\n{body_hash}").as_bytes()))
}

/// Tokens are 64 lower-case hex characters; anything else is refused before any lookup.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn tokens_are_random_and_well_formed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(well_formed(&a));
        assert!(!well_formed("abc"));
        assert_ne!(token_hash(&a), a);
    }
}
