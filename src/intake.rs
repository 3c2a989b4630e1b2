//! The app's client for the intake API (`docs/intake-api.yaml`), beside `net.rs` which
//! reads the static catalog. The answers' types are core's (`kaifang_core::filing::answers`),
//! the same the intake serialises.

use gloo_net::http::Request;
use kaifang_core::filing::FieldError;
use kaifang_core::overlay::StatusOverlay;
use kaifang_core::rules::RuleSet;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

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
struct ErrorBody {
    error: ApiError,
}

/// Why a call failed: no answer at all, or an answer with a status (and maybe a body).
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    Unreachable(String),
    /// `retry_after`: the answer's `Retry-After` in seconds, when it had a readable one.
    Http {
        status: u16,
        error: Option<ApiError>,
        retry_after: Option<u32>,
    },
    BadData(String),
}

impl CallError {
    /// The HTTP status, `None` when no answer came.
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Unreachable(_) => None,
            CallError::Http { status, .. } => Some(*status),
            // An answer we cannot read is a server fault: retry later.
            CallError::BadData(_) => Some(500),
        }
    }
    /// A message for the person, in zh-CN or English.
    pub fn message(&self, zh: bool) -> String {
        match self {
            CallError::Unreachable(d) => {
                if zh {
                    format!("无法连接受理服务({d})。")
                } else {
                    format!("The filing service cannot be reached ({d}).")
                }
            }
            CallError::Http { error: Some(e), .. } => {
                if zh {
                    e.message_zh.clone()
                } else {
                    e.message.clone()
                }
            }
            CallError::Http { status, error: None, .. } => format!("HTTP {status}"),
            CallError::BadData(d) => d.clone(),
        }
    }
}

/// A `Retry-After` header in seconds from now (core reads both of its forms).
fn retry_after_secs(value: &str) -> Option<u32> {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    kaifang_core::filing::outbox::parse_retry_after(value, now)
}

impl CallError {
    /// The server's `Retry-After`, in seconds, when it sent one.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            CallError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

async fn answer<T: for<'de> Deserialize<'de>>(
    resp: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, CallError> {
    let resp = resp.map_err(|e| CallError::Unreachable(e.to_string()))?;
    let status = resp.status();
    let retry_after = resp.headers().get("Retry-After").and_then(|v| retry_after_secs(&v));
    let text = resp.text().await.map_err(|e| CallError::Unreachable(e.to_string()))?;
    if !(200..=299).contains(&status) {
        let error = serde_json::from_str::<ErrorBody>(&text).ok().map(|b| b.error);
        return Err(CallError::Http { status, error, retry_after });
    }
    serde_json::from_str(&text).map_err(|e| CallError::BadData(e.to_string()))
}

/// Files a filing (already serialised) under an idempotency key.
pub async fn post_filing(base: &str, filing: &serde_json::Value, key: &str) -> Result<Receipt, CallError> {
    let req = Request::post(&format!("{base}/filings"))
        .header("Idempotency-Key", key)
        .json(filing)
        .map_err(|e| CallError::BadData(e.to_string()))?;
    answer(req.send().await).await
}

/// A filing as its filer sees it, by receipt token.
pub async fn get_filing(base: &str, token: &str) -> Result<FilingView, CallError> {
    answer(Request::get(&format!("{base}/filing")).header("Authorization", &format!("Bearer {token}")).send().await)
        .await
}

/// A filer's action (e.g. `{"action":"request_review","reason":"…"}`).
pub async fn act(base: &str, token: &str, action: &serde_json::Value) -> Result<FilingView, CallError> {
    let req = Request::post(&format!("{base}/filing/actions"))
        .header("Authorization", &format!("Bearer {token}"))
        .json(action)
        .map_err(|e| CallError::BadData(e.to_string()))?;
    answer(req.send().await).await
}

pub async fn status_overlay(base: &str) -> Result<StatusOverlay, CallError> {
    answer(Request::get(&format!("{base}/status")).send().await).await
}

pub async fn rules(base: &str) -> Result<RuleSet, CallError> {
    answer(Request::get(&format!("{base}/rules")).send().await).await
}

/// Uploads one evidence file with XMLHttpRequest so upload progress can be shown;
/// `progress` gets (sent, total) bytes; `done` gets the outcome.
pub fn upload_evidence(
    base: &str,
    token: &str,
    file: web_sys::File,
    progress: impl Fn(f64, f64) + 'static,
    done: impl FnOnce(Result<EvidenceMeta, CallError>) + 'static,
) {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        done(Err(CallError::Unreachable("XMLHttpRequest".into())));
        return;
    };
    let name = file.name();
    let url = format!("{base}/filing/evidence?name={}", String::from(js_sys::encode_uri_component(&name)));
    if xhr.open("POST", &url).is_err() {
        done(Err(CallError::Unreachable("open".into())));
        return;
    }
    let _ = xhr.set_request_header("Authorization", &format!("Bearer {token}"));
    let media = if file.type_().is_empty() { "application/octet-stream".to_string() } else { file.type_() };
    let _ = xhr.set_request_header("Content-Type", &media);
    if let Ok(upload) = xhr.upload() {
        let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            progress(e.loaded(), e.total());
        });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = std::cell::RefCell::new(Some(done));
    let x = xhr.clone();
    let on_end = Closure::<dyn Fn()>::new(move || {
        let Some(done) = done.borrow_mut().take() else { return };
        let status = x.status().unwrap_or(0);
        let text = x.response_text().ok().flatten().unwrap_or_default();
        if status == 0 {
            done(Err(CallError::Unreachable("network".into())));
        } else if (200..=299).contains(&status) {
            done(serde_json::from_str(&text).map_err(|e| CallError::BadData(e.to_string())));
        } else {
            let error = serde_json::from_str::<ErrorBody>(&text).ok().map(|b| b.error);
            done(Err(CallError::Http { status, error, retry_after: None }));
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    on_end.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        // onloadend still fires on a failed send.
    }
}

/// Who is signed in at the intake (`GET /session`), as JSON: `signed_in`, and the verified
/// identity's fields when true (read by `signin.rs`). Cookies go along (same origin).
pub async fn session(base: &str) -> Result<serde_json::Value, CallError> {
    answer(Request::get(&format!("{base}/session")).send().await).await
}

#[derive(Deserialize)]
struct MyFilings {
    filings: Vec<FilingView>,
}

/// The signed-in person's filings on their account (any device), newest first.
pub async fn my_filings(base: &str) -> Result<Vec<FilingView>, CallError> {
    answer::<MyFilings>(Request::get(&format!("{base}/my/filings")).send().await).await.map(|m| m.filings)
}

/// Ties the filing a receipt token opens to the signed-in person's account.
pub async fn claim(base: &str, token: &str) -> Result<FilingView, CallError> {
    let req = Request::post(&format!("{base}/my/filings/claim"))
        .json(&serde_json::json!({ "token": token }))
        .map_err(|e| CallError::BadData(e.to_string()))?;
    answer(req.send().await).await
}

/// The desk's calls (`/desk`; `docs/intake-api.yaml`, "department" routes). Each goes out
/// with the browser's cookies for this origin (the platform sign-in's session, once it
/// lands) and, where the official entered one, the department token as a bearer.
pub mod desk {
    use super::{answer, CallError, FilingView};
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

    async fn get<T: for<'de> Deserialize<'de>>(base: &str, path: &str, token: &Option<String>) -> Result<T, CallError> {
        answer(with_auth(Request::get(&format!("{base}{path}")), token).send().await).await
    }

    async fn post(
        base: &str,
        path: &str,
        token: &Option<String>,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, CallError> {
        let req = with_auth(Request::post(&format!("{base}{path}")), token)
            .json(body)
            .map_err(|e| CallError::BadData(e.to_string()))?;
        answer(req.send().await).await
    }

    /// A path segment or query value, percent-encoded.
    pub fn enc(s: &str) -> String {
        String::from(js_sys::encode_uri_component(s))
    }

    pub async fn me(base: &str, token: &Option<String>) -> Result<Me, CallError> {
        get(base, "/department/me", token).await
    }
    /// `query`: `kind=…&state=…&dataset=…&offset=…` (already encoded), or empty.
    pub async fn inbox(base: &str, token: &Option<String>, query: &str) -> Result<Inbox, CallError> {
        get(base, &format!("/department/inbox?{query}"), token).await
    }
    pub async fn filing(base: &str, token: &Option<String>, reference: &str) -> Result<DeskFiling, CallError> {
        get(base, &format!("/department/filings/{}", enc(reference)), token).await
    }
    pub async fn offer(base: &str, token: &Option<String>, reference: &str) -> Result<Offer, CallError> {
        get(base, &format!("/department/filings/{}/offer", enc(reference)), token).await
    }
    pub async fn act(
        base: &str,
        token: &Option<String>,
        reference: &str,
        action: &serde_json::Value,
    ) -> Result<serde_json::Value, CallError> {
        post(base, &format!("/department/filings/{}/actions", enc(reference)), token, action).await
    }
    pub async fn dataset_status(
        base: &str,
        token: &Option<String>,
        id: &str,
        status: &str,
        note: &str,
    ) -> Result<serde_json::Value, CallError> {
        post(
            base,
            &format!("/department/datasets/{}/status", enc(id)),
            token,
            &serde_json::json!({ "status": status, "note": note }),
        )
        .await
    }
    pub async fn audit(base: &str, token: &Option<String>, before: Option<i64>) -> Result<Vec<AuditEntry>, CallError> {
        let q = before.map(|b| format!("?before={b}")).unwrap_or_default();
        Ok(get::<AuditPage>(base, &format!("/department/audit{q}"), token).await?.entries)
    }
    pub async fn figures(base: &str, token: &Option<String>) -> Result<Figures, CallError> {
        get(base, "/department/figures", token).await
    }

    /// Raw bytes of an answer (the audit CSV, an evidence file), for saving.
    pub async fn bytes(base: &str, path: &str, token: &Option<String>) -> Result<Vec<u8>, CallError> {
        let resp = with_auth(Request::get(&format!("{base}{path}")), token)
            .send()
            .await
            .map_err(|e| CallError::Unreachable(e.to_string()))?;
        if !(200..=299).contains(&resp.status()) {
            let status = resp.status();
            let error = resp.json::<super::ErrorBody>().await.ok().map(|b| b.error);
            return Err(CallError::Http { status, error, retry_after: None });
        }
        resp.binary().await.map_err(|e| CallError::Unreachable(e.to_string()))
    }
}
