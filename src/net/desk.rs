//! The desk's calls (`/desk`; `docs/intake-api.yaml`, "department" routes). Each goes out
//! with the browser's cookies for this origin (the platform sign-in's session, once it
//! lands) and, where the official entered one, the department token as a bearer.

use super::intake::{answer, ErrorBody, FilingView};
use super::NetError;
use gloo_net::http::{Request, RequestBuilder};
pub use kaifang_core::desk::{AuditEntry, Figures, Inbox, InboxRow, Me, Offer, Role, Standing};
use serde::Deserialize;
use web_sys::RequestCredentials;

/// A filing as its department sees it: the filer's view plus the (masked) form.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeskFiling {
    #[serde(flatten)]
    pub view: FilingView,
    pub department_id: String,
    pub filing: serde_json::Value,
}

#[derive(Deserialize)]
struct AuditPage {
    entries: Vec<AuditEntry>,
}

fn with_auth(req: RequestBuilder, token: &Option<String>) -> RequestBuilder {
    let req = req.credentials(RequestCredentials::SameOrigin);
    match token {
        Some(t) => req.header("Authorization", &format!("Bearer {t}")),
        None => req,
    }
}

async fn get<T: for<'de> Deserialize<'de>>(base: &str, path: &str, token: &Option<String>) -> Result<T, NetError> {
    answer(with_auth(Request::get(&format!("{base}{path}")), token).send().await).await
}

async fn post(
    base: &str,
    path: &str,
    token: &Option<String>,
    body: &serde_json::Value,
) -> Result<serde_json::Value, NetError> {
    let req = with_auth(Request::post(&format!("{base}{path}")), token)
        .json(body)
        .map_err(|e| NetError::BadData(e.to_string()))?;
    answer(req.send().await).await
}

/// A path segment or query value, percent-encoded.
pub fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

pub async fn me(base: &str, token: &Option<String>) -> Result<Me, NetError> {
    get(base, "/department/me", token).await
}
/// `query`: `kind=…&state=…&dataset=…&offset=…` (already encoded), or empty.
pub async fn inbox(base: &str, token: &Option<String>, query: &str) -> Result<Inbox, NetError> {
    get(base, &format!("/department/inbox?{query}"), token).await
}
pub async fn filing(base: &str, token: &Option<String>, reference: &str) -> Result<DeskFiling, NetError> {
    get(base, &format!("/department/filings/{}", enc(reference)), token).await
}
pub async fn offer(base: &str, token: &Option<String>, reference: &str) -> Result<Offer, NetError> {
    get(base, &format!("/department/filings/{}/offer", enc(reference)), token).await
}
pub async fn act(
    base: &str,
    token: &Option<String>,
    reference: &str,
    action: &serde_json::Value,
) -> Result<serde_json::Value, NetError> {
    post(base, &format!("/department/filings/{}/actions", enc(reference)), token, action).await
}
pub async fn dataset_status(
    base: &str,
    token: &Option<String>,
    id: &str,
    status: &str,
    note: &str,
) -> Result<serde_json::Value, NetError> {
    post(
        base,
        &format!("/department/datasets/{}/status", enc(id)),
        token,
        &serde_json::json!({ "status": status, "note": note }),
    )
    .await
}
pub async fn audit(base: &str, token: &Option<String>, before: Option<i64>) -> Result<Vec<AuditEntry>, NetError> {
    let q = before.map(|b| format!("?before={b}")).unwrap_or_default();
    Ok(get::<AuditPage>(base, &format!("/department/audit{q}"), token).await?.entries)
}
pub async fn figures(base: &str, token: &Option<String>) -> Result<Figures, NetError> {
    get(base, "/department/figures", token).await
}

/// Raw bytes of an answer (the audit CSV, an evidence file), for saving.
pub async fn bytes(base: &str, path: &str, token: &Option<String>) -> Result<Vec<u8>, NetError> {
    let resp = with_auth(Request::get(&format!("{base}{path}")), token)
        .send()
        .await
        .map_err(|e| NetError::Unreachable(e.to_string()))?;
    if !(200..=299).contains(&resp.status()) {
        let status = resp.status();
        let error = resp.json::<ErrorBody>().await.ok().map(|b| b.error);
        return Err(NetError::Http { status, error, retry_after: None });
    }
    resp.binary().await.map_err(|e| NetError::Unreachable(e.to_string()))
}
