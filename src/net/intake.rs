//! The intake API's filer side (`docs/intake-api.yaml`): filings, receipts, a filer's actions,
//! the status overlay, the rules, the signed-in person's session and filings. The answers'
//! types are core's (`kaifang_core::filing::answers`), the same the intake serialises; every
//! failure is a [`NetError`]. The desk's calls are in `net::desk`, uploads in `net::uploads`.

use gloo_net::http::Request;
use kaifang_core::filing::FieldError;
use kaifang_core::overlay::StatusOverlay;
use kaifang_core::rules::RuleSet;
use serde::{Deserialize, Serialize};

use super::NetError;

/// The intake's base address. The catalog names it (`portal.intake`); same host by default.
pub const DEFAULT_BASE: &str = "/api/v1";

pub use kaifang_core::filing::answers::{DeadlineView, EvidenceMeta, FilingView, Receipt, TimelineEntry};

/// The intake's error body: `{"error": {"code", "message", "message_zh", "fields"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub message_zh: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

#[derive(Deserialize)]
pub(super) struct ErrorBody {
    pub(super) error: ApiError,
}

/// A `Retry-After` header in seconds from now (core reads both of its forms).
fn retry_after_secs(value: &str) -> Option<u32> {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    kaifang_core::filing::outbox::parse_retry_after(value, now)
}

/// An answer's JSON, or the failure as a [`NetError`] (with the intake's error body).
pub(super) async fn answer<T: for<'de> Deserialize<'de>>(
    resp: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, NetError> {
    let resp = resp.map_err(|e| NetError::Unreachable(e.to_string()))?;
    let status = resp.status();
    let retry_after = resp.headers().get("Retry-After").and_then(|v| retry_after_secs(&v));
    let text = resp.text().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    if !(200..=299).contains(&status) {
        let error = serde_json::from_str::<ErrorBody>(&text).ok().map(|b| b.error);
        return Err(NetError::Http { status, error, retry_after });
    }
    serde_json::from_str(&text).map_err(|e| NetError::BadData(e.to_string()))
}

/// Files a filing (already serialised) under an idempotency key.
pub async fn post_filing(base: &str, filing: &serde_json::Value, key: &str) -> Result<Receipt, NetError> {
    let req = Request::post(&format!("{base}/filings"))
        .header("Idempotency-Key", key)
        .json(filing)
        .map_err(|e| NetError::BadData(e.to_string()))?;
    answer(req.send().await).await
}

/// A filing as its filer sees it, by receipt token.
pub async fn get_filing(base: &str, token: &str) -> Result<FilingView, NetError> {
    answer(Request::get(&format!("{base}/filing")).header("Authorization", &format!("Bearer {token}")).send().await)
        .await
}

/// How a filer reaches one of their filings: by the receipt token kept in this browser, or,
/// signed in, by its reference on their account (filed or claimed on another device).
#[derive(Debug, Clone, PartialEq)]
pub enum FilerDoor {
    Receipt(String),
    Account(String),
}

/// A filer's action (`supply_information`, `request_review`) through either door.
pub async fn act(base: &str, door: &FilerDoor, action: &serde_json::Value) -> Result<FilingView, NetError> {
    let req = match door {
        FilerDoor::Receipt(token) => {
            Request::post(&format!("{base}/filing/actions")).header("Authorization", &format!("Bearer {token}"))
        }
        FilerDoor::Account(reference) => {
            Request::post(&format!("{base}/my/filings/{}/actions", js_sys::encode_uri_component(reference)))
                .credentials(web_sys::RequestCredentials::SameOrigin)
        }
    };
    answer(req.json(action).map_err(|e| NetError::BadData(e.to_string()))?.send().await).await
}

pub async fn status_overlay(base: &str) -> Result<StatusOverlay, NetError> {
    answer(Request::get(&format!("{base}/status")).send().await).await
}

pub async fn rules(base: &str) -> Result<RuleSet, NetError> {
    answer(Request::get(&format!("{base}/rules")).send().await).await
}

/// Who is signed in at the intake (`GET /session`), as JSON: `signed_in`, and the verified
/// identity's fields when true (read by `signin.rs`). Cookies go along (same origin).
pub async fn session(base: &str) -> Result<serde_json::Value, NetError> {
    answer(Request::get(&format!("{base}/session")).send().await).await
}

#[derive(Deserialize)]
struct MyFilings {
    filings: Vec<FilingView>,
}

/// The signed-in person's filings on their account (any device), newest first.
pub async fn my_filings(base: &str) -> Result<Vec<FilingView>, NetError> {
    answer::<MyFilings>(Request::get(&format!("{base}/my/filings")).send().await).await.map(|m| m.filings)
}

/// Ties the filing a receipt token opens to the signed-in person's account.
pub async fn claim(base: &str, token: &str) -> Result<FilingView, NetError> {
    let req = Request::post(&format!("{base}/my/filings/claim"))
        .json(&serde_json::json!({ "token": token }))
        .map_err(|e| NetError::BadData(e.to_string()))?;
    answer(req.send().await).await
}
