//! Per-client rate limits on the intake's costly or guessable operations: creating a
//! filing (each one starts a statutory deadline for a department), uploading evidence, and
//! anything that presents a receipt token (guessing tokens).
//!
//! A token bucket per (operation, client address): `burst` requests at once, then one per
//! `every`. Past it the answer is 429 with `Retry-After` (whole seconds until the next
//! request is allowed) and the intake's usual error body in both languages. Buckets live in
//! this process's memory: each instance counts on its own.

use super::client::{client_ip, Peer};
use crate::intake::IntakeError;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The operations that are limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    File,
    Evidence,
    Token,
}

impl Operation {
    /// Which limited operation a request is, if any.
    pub fn of(method: &Method, path: &str) -> Option<Operation> {
        match (method, path.trim_end_matches('/')) {
            (&Method::POST, "/api/v1/filings") => Some(Operation::File),
            (&Method::POST, "/api/v1/filing/evidence") => Some(Operation::Evidence),
            (_, "/api/v1/filing" | "/api/v1/filing/actions") => Some(Operation::Token),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

/// How many clients' buckets are kept before full (idle) ones are forgotten.
const MAX_BUCKETS: usize = 100_000;

pub struct Limiter {
    rates: HashMap<Operation, Rate>,
    trusted: Vec<IpAddr>,
    /// (operation, client) → the time its bucket is empty until ("theoretical arrival
    /// time" of GCRA: one instant per bucket instead of a count and a timestamp).
    buckets: Mutex<HashMap<(Operation, IpAddr), Instant>>,
}

impl Limiter {
    pub fn new(args: &super::EdgeArgs) -> Limiter {
        let rate = |burst: u32, every: Duration| Rate { burst: burst.max(1), every };
        let rates = HashMap::from([
            (Operation::File, rate(args.filing_burst, Duration::from_secs(args.filing_every))),
            (Operation::Evidence, rate(args.evidence_burst, Duration::from_secs(args.evidence_every))),
            (Operation::Token, rate(args.token_burst, Duration::from_millis(args.token_every_ms))),
        ]);
        Limiter { rates, trusted: args.trusted_proxy.clone(), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from the bucket, or says how long until one is allowed.
    pub fn take(&self, op: Operation, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let rate = self.rates[&op];
        let mut buckets = self.buckets.lock().unwrap();
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, tat| *tat > now);
        }
        let tat = buckets.get(&(op, client)).copied().unwrap_or(now).max(now);
        // The bucket holds `burst` requests: allowed while tat lies less than burst×every ahead.
        let window = rate.every * rate.burst;
        let next = tat + rate.every;
        if next - now > window {
            return Err(next - now - window);
        }
        buckets.insert((op, client), next);
        Ok(())
    }
}

/// The middleware: limited requests take from their client's bucket first.
pub async fn limit(State(limiter): State<Arc<Limiter>>, req: Request, next: Next) -> Response {
    let Some(op) = Operation::of(req.method(), req.uri().path()) else { return next.run(req).await };
    let Some(Peer(peer)) = req.extensions().get::<Peer>().copied() else { return next.run(req).await };
    let client = client_ip(peer.ip(), req.headers(), &limiter.trusted);
    match limiter.take(op, client, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            IntakeError::RateLimited { retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64 }.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_period_and_clients_apart() {
        let mut args = super::super::EdgeArgs::defaults();
        (args.filing_burst, args.filing_every) = (3, 10);
        let l = Limiter::new(&args);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.take(Operation::File, a, t0), Ok(()));
        }
        assert_eq!(l.take(Operation::File, a, t0), Err(Duration::from_secs(10)));
        // Another client, and another operation of the same client, have their own buckets.
        assert_eq!(l.take(Operation::File, b, t0), Ok(()));
        assert_eq!(l.take(Operation::Token, a, t0), Ok(()));
        // One more after one period, not two.
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(l.take(Operation::File, a, t1), Ok(()));
        assert_eq!(l.take(Operation::File, a, t1), Err(Duration::from_secs(10)));
        // A refused request does not push the next one further away.
        assert_eq!(l.take(Operation::File, a, t1 + Duration::from_secs(4)), Err(Duration::from_secs(6)));
    }

    #[test]
    fn which_requests_are_limited() {
        assert_eq!(Operation::of(&Method::POST, "/api/v1/filings"), Some(Operation::File));
        assert_eq!(Operation::of(&Method::POST, "/api/v1/filing/evidence"), Some(Operation::Evidence));
        assert_eq!(Operation::of(&Method::GET, "/api/v1/filing"), Some(Operation::Token));
        assert_eq!(Operation::of(&Method::POST, "/api/v1/filing/actions"), Some(Operation::Token));
        for (m, p) in
            [(Method::GET, "/api/v1/health"), (Method::GET, "/api/v1/status"), (Method::GET, "/api/v1/filings")]
        {
            assert_eq!(Operation::of(&m, p), None, "{p}");
        }
    }
}
