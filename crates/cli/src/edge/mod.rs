//! The public edge of `kaifang serve`: what keeps one client from holding the server
//! (issue 14). Everything here sits between the socket and the routes, so the intake's
//! logic (`intake/`) and its tests stay free of it.
//!
//! - [`listen`]: the accept loop — request-head and idle keep-alive timeout, connection caps
//!   per client address and in total;
//! - [`client`]: which address a request comes from (a forwarded header only from a
//!   trusted proxy);
//! - [`rate`]: per-client rate limits on filing, uploading evidence and reading by token
//!   (429 + `Retry-After`);
//! - [`headers`]: the security headers every response carries (besides the CSP).
//!
//! Every limit is per instance: two instances behind a load balancer each allow the full
//! rate (see `docs/intake.md`, "The public edge").

pub mod client;
pub mod headers;
pub mod listen;
pub mod rate;

#[cfg(test)]
mod tests;

use std::net::IpAddr;
use std::time::Duration;

/// The edge's settings, as `kaifang serve` options (each also an environment variable).
#[derive(clap::Args, Clone, Debug)]
pub struct EdgeArgs {
    /// Seconds a connection may take to send a complete request head, counted from the moment
    /// the server waits for one — so also the longest a kept-alive or silent connection stays
    /// open between requests.
    #[arg(long, env = "KAIFANG_HEAD_TIMEOUT", default_value_t = 10)]
    pub head_timeout: u64,
    /// Seconds a request body may pause between two pieces before the request fails.
    #[arg(long, env = "KAIFANG_BODY_TIMEOUT", default_value_t = 20)]
    pub body_timeout: u64,
    /// Seconds a whole request may take, body included, until its answer starts (408 after).
    #[arg(long, env = "KAIFANG_REQUEST_TIMEOUT", default_value_t = 120)]
    pub request_timeout: u64,
    /// Open connections one client address may hold (trusted proxies are not capped).
    #[arg(long, env = "KAIFANG_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 64)]
    pub max_connections_per_client: usize,
    /// Open connections in total; further ones are closed at once.
    #[arg(long, env = "KAIFANG_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// A reverse proxy whose `X-Forwarded-For` names the client (repeat or comma-separate).
    /// Without it the client is the TCP peer and forwarded headers are ignored.
    #[arg(long, env = "KAIFANG_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<IpAddr>,
    /// Filings one client may create in a burst; then one more per `--filing-every` seconds.
    #[arg(long, env = "KAIFANG_FILING_BURST", default_value_t = 20)]
    pub filing_burst: u32,
    #[arg(long, env = "KAIFANG_FILING_EVERY", default_value_t = 30)]
    pub filing_every: u64,
    /// Evidence uploads per client in a burst; then one per `--evidence-every` seconds.
    #[arg(long, env = "KAIFANG_EVIDENCE_BURST", default_value_t = 30)]
    pub evidence_burst: u32,
    #[arg(long, env = "KAIFANG_EVIDENCE_EVERY", default_value_t = 6)]
    pub evidence_every: u64,
    /// Requests by receipt token per client in a burst; then one per `--token-every-ms`.
    #[arg(long, env = "KAIFANG_TOKEN_BURST", default_value_t = 120)]
    pub token_burst: u32,
    #[arg(long, env = "KAIFANG_TOKEN_EVERY_MS", default_value_t = 500)]
    pub token_every_ms: u64,
    /// Send `Strict-Transport-Security` (only when clients reach this server over HTTPS,
    /// e.g. through a TLS-terminating proxy).
    #[arg(long, env = "KAIFANG_HSTS")]
    pub hsts: bool,
}

impl EdgeArgs {
    /// The defaults, as `kaifang serve` with no option has them.
    #[cfg(test)]
    pub fn defaults() -> EdgeArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            edge: EdgeArgs,
        }
        <Wrap as clap::Parser>::parse_from(["kaifang"]).edge
    }

    pub fn head_timeout(&self) -> Duration {
        Duration::from_secs(self.head_timeout)
    }
}

/// `router` behind the edge's per-request layers: security headers, rate limits, a body
/// timeout between pieces and a whole-request timeout. (The connection-level limits are
/// [`listen::serve`]'s.)
pub fn wrap(router: axum::Router, args: &EdgeArgs) -> axum::Router {
    use axum::http::StatusCode;
    use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
    let hsts = args.hsts;
    let limiter = std::sync::Arc::new(rate::Limiter::new(args));
    router
        .layer(axum::middleware::from_fn_with_state(limiter, rate::limit))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(args.body_timeout)))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(args.request_timeout)))
        .layer(axum::middleware::map_response(move |mut res: axum::response::Response| async move {
            headers::secure(&mut res, hsts);
            res
        }))
}
