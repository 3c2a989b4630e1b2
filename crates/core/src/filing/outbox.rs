//! What the app does with the answer to a submission (MISSION C4: nothing lost, nothing
//! filed twice). The app keeps every submission in an outbox under an idempotency key
//! until the intake has answered it for good; this decides what "for good" means.

/// The fate of one attempt to send a queued filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    /// 201/200: filed (200 is the intake replaying the receipt of an earlier attempt).
    Filed,
    /// No answer, a timeout, throttling or a server fault: keep it and retry with the
    /// same key.
    Retry,
    /// The intake refused the filing itself (invalid, conflicting key…): retrying the same
    /// body cannot help; the person must look at it.
    NeedsAttention,
}

/// `status` is the HTTP status, or `None` when no answer came (offline, server down).
pub fn classify(status: Option<u16>) -> SendOutcome {
    match status {
        Some(200..=299) => SendOutcome::Filed,
        // 404 on the filings endpoint means no intake is mounted there (yet): a proxy
        // or a server starting up, not a verdict on the filing.
        None | Some(404 | 408 | 425 | 429) | Some(500..=599) => SendOutcome::Retry,
        Some(_) => SendOutcome::NeedsAttention,
    }
}

/// Seconds to wait before attempt `n` (1-based) of a queued filing: 5 s doubling to a
/// ceiling of a minute, so a long outage does not hammer the server when it comes back.
pub fn retry_delay_secs(attempts: u32) -> u32 {
    5u32.saturating_mul(1 << attempts.saturating_sub(1).min(6)).min(60)
}

/// An idempotency key is 16–128 letters, digits, `-` or `_` (as the intake checks).
pub fn valid_key(key: &str) -> bool {
    (16..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes() {
        assert_eq!(classify(Some(201)), SendOutcome::Filed);
        assert_eq!(classify(Some(200)), SendOutcome::Filed);
        assert_eq!(classify(None), SendOutcome::Retry);
        assert_eq!(classify(Some(503)), SendOutcome::Retry);
        assert_eq!(classify(Some(500)), SendOutcome::Retry);
        assert_eq!(classify(Some(429)), SendOutcome::Retry);
        assert_eq!(classify(Some(422)), SendOutcome::NeedsAttention);
        assert_eq!(classify(Some(409)), SendOutcome::NeedsAttention);
        assert_eq!(classify(Some(400)), SendOutcome::NeedsAttention);
    }

    #[test]
    fn backoff_grows_to_a_ceiling() {
        assert_eq!(retry_delay_secs(1), 5);
        assert_eq!(retry_delay_secs(2), 10);
        assert_eq!(retry_delay_secs(4), 40);
        assert_eq!(retry_delay_secs(30), 60);
        assert_eq!(retry_delay_secs(0), 5);
    }

    #[test]
    fn keys() {
        assert!(valid_key("3f1c2a9e-1b2c-4d5e-8f90-123456789abc"));
        assert!(!valid_key("short"));
        assert!(!valid_key("has space in it"));
    }
}
