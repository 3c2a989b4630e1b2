//! The security headers every response of `kaifang serve` carries besides the
//! Content-Security-Policy (which `serve.rs` sets, as it follows what `index.html` needs).
//! A response that already has one of them (a handler chose) keeps its own.

use axum::http::header::{self, HeaderName};
use axum::http::HeaderValue;
use axum::response::Response;

/// (header, value) for every response.
pub const ALWAYS: [(&str, &str); 4] = [
    // Nothing of ours is a link target worth a full URL: other sites see the origin only.
    ("referrer-policy", "strict-origin-when-cross-origin"),
    // The app uses none of these; a page injected into it could not either.
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    // No window opened from another site keeps a handle on ours (and the reverse).
    ("cross-origin-opener-policy", "same-origin"),
    // Our files are not for embedding by other sites (the app fetches same-origin only).
    ("cross-origin-resource-policy", "same-origin"),
];

/// Two years, subdomains included: only sent when the operator says clients use HTTPS.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Adds the headers to `res` (`hsts`: also Strict-Transport-Security).
pub fn secure(res: &mut Response, hsts: bool) {
    let headers = res.headers_mut();
    for (name, value) in ALWAYS {
        headers.entry(HeaderName::from_static(name)).or_insert(HeaderValue::from_static(value));
    }
    headers.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    // Older browsers that ignore the CSP's frame-ancestors still refuse to be framed.
    headers.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    if hsts {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static(HSTS));
    }
}
