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

/// The longest wait a `Retry-After` can impose: past it the answer is taken as broken or
/// hostile, and the queue keeps to its own backoff's ceiling instead of hiding a filing
/// for days.
pub const MAX_RETRY_AFTER_SECS: u32 = 3600;

/// `Retry-After` as a number of seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP-date).
/// `now_unix` is the current time, for the date form. `None` for anything unreadable.
pub fn parse_retry_after(value: &str, now_unix: i64) -> Option<u32> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.parse::<u64>().map_or(u32::MAX, |n| n.min(u64::from(u32::MAX)) as u32));
    }
    let at = http_date_unix(v)?;
    Some((at - now_unix).clamp(0, i64::from(u32::MAX)) as u32)
}

/// Seconds to wait before the next attempt after attempt `attempts` failed with
/// `outcome`: the server's `Retry-After` when it gave one on 429 or 503 (the two statuses
/// RFC 9110 gives it a meaning for here), never sooner than our own backoff, and never
/// longer than `MAX_RETRY_AFTER_SECS`.
pub fn next_delay_secs(attempts: u32, status: Option<u16>, retry_after: Option<u32>) -> u32 {
    let backoff = retry_delay_secs(attempts);
    match (status, retry_after) {
        (Some(429 | 503), Some(s)) => s.min(MAX_RETRY_AFTER_SECS).max(backoff),
        _ => backoff,
    }
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers send, as Unix time.
fn http_date_unix(v: &str) -> Option<i64> {
    let p: Vec<&str> = v.split_ascii_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = p.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = MONTHS.iter().position(|x| x == month)? as u32 + 1;
    let (d, y): (u32, i32) = (day.parse().ok()?, year.parse().ok()?);
    let t: Vec<i64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let [h, mi, s] = t.as_slice() else { return None };
    if !(1..=31).contains(&d) || *h > 23 || *mi > 59 || *s > 60 {
        return None;
    }
    Some(crate::calendar::Day::from_ymd(y, m, d).0 * 86_400 + h * 3600 + mi * 60 + s)
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

    /// MISSION C4 (issue 14): a throttled or unavailable intake says when to come back, and
    /// the outbox waits that long — not less (our backoff is a floor), not for ever.
    #[test]
    fn retry_after_is_honoured_on_429_and_503() {
        assert_eq!(next_delay_secs(1, Some(429), Some(60)), 60);
        assert_eq!(next_delay_secs(1, Some(503), Some(120)), 120);
        assert_eq!(next_delay_secs(3, Some(429), Some(1)), 20, "never sooner than the backoff");
        assert_eq!(next_delay_secs(1, Some(429), Some(999_999)), MAX_RETRY_AFTER_SECS);
        assert_eq!(next_delay_secs(1, Some(500), Some(120)), 5, "500 gives Retry-After no meaning");
        assert_eq!(next_delay_secs(2, None, None), 10);
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after("30", 0), Some(30));
        assert_eq!(parse_retry_after(" 7 ", 0), Some(7));
        assert_eq!(parse_retry_after("99999999999999999999", 0), Some(u32::MAX));
        // 1994-11-06T08:49:37Z is 784111777.
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777 - 90), Some(90));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777 + 5), Some(0), "a past date: now");
        for bad in ["", "-5", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad:?}");
        }
    }

    #[test]
    fn keys() {
        assert!(valid_key("3f1c2a9e-1b2c-4d5e-8f90-123456789abc"));
        assert!(!valid_key("short"));
        assert!(!valid_key("has space in it"));
    }
}
