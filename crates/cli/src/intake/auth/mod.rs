//! Signing in with the platform's identity provider (统一身份认证, Xiangxi 20 and 35): the
//! intake is an OpenID Connect relying party (authorization code + PKCE).
//!
//! - [`config`]: the `[sign_in]` section (provider, client, claim names, group rules);
//! - [`oidc`]: the protocol steps (`openidconnect` crate);
//! - [`cookie`]: the session cookie's flags;
//! - routes here: `/auth/login?return=…`, `/auth/callback`, `/auth/logout`, and
//!   `GET /api/v1/session` (who is signed in); sessions live in the database
//!   (`intake/session.rs`).
//!
//! A session stands beside the existing credentials, never in their place: department
//! routes take a department bearer token as before or the session of an official whose
//! groups map to a department or the authority ([`principal`]); filers keep their receipt
//! tokens, and a signed-in filer's filings are also tied to their subject.

pub mod config;
pub mod cookie;
pub mod oidc;

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use kaifang_core::identity::map_claims;
use serde::Deserialize;
use serde_json::json;

use super::service::{rfc3339, Intake, IntakeError, Principal};
use super::session::{self, Session};

/// Sign-in as configured for this intake.
pub struct SignIn {
    pub provider: oidc::Provider,
}

impl SignIn {
    pub fn new(config: config::SignInConfig) -> anyhow::Result<SignIn> {
        Ok(SignIn { provider: oidc::Provider::new(config.check()?)? })
    }
    fn checked(&self) -> &config::Checked {
        self.provider.config()
    }
    fn secure(&self) -> bool {
        self.checked().secure_cookies
    }
}

type AppState = Arc<Intake>;

pub fn routes(intake: Arc<Intake>) -> Router {
    Router::new()
        .route("/auth/login", get(login))
        .route("/auth/callback", get(callback))
        .route("/auth/logout", get(logout).post(logout))
        .route("/api/v1/session", get(who))
        .with_state(intake)
}

/// The session a request carries, if sign-in is configured and the session is live.
pub async fn session(intake: &Intake, headers: &HeaderMap) -> Result<Option<Session>, IntakeError> {
    let Some(sign_in) = &intake.sign_in else { return Ok(None) };
    let Some(id) = cookie::read(headers, sign_in.secure()) else { return Ok(None) };
    let found = session::find(&intake.db, &id, intake.clock.now()).await?;
    if found.is_some() {
        same_origin(headers, &sign_in.checked().origin)?;
    }
    Ok(found)
}

/// A cookie is sent by the browser whoever made the request; a request from another
/// site's page (its `Origin`) is refused, so no page elsewhere acts in a person's name.
fn same_origin(headers: &HeaderMap, origin: &str) -> Result<(), IntakeError> {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(o) if o != origin && o != "null" => Err(IntakeError::Forbidden {
            zh: "请求来自其他网站,已拒绝。".into(),
            en: "The request came from another site and was refused.".into(),
        }),
        _ => Ok(()),
    }
}

/// Who acts on the department routes: a bearer token when one is given (machine access,
/// unchanged), else an official's session.
pub async fn principal(intake: &Intake, headers: &HeaderMap) -> Result<Principal, IntakeError> {
    if headers.contains_key(header::AUTHORIZATION) {
        return intake.principal(super::extract::bearer(headers)?).await;
    }
    session(intake, headers).await?.ok_or(IntakeError::Unauthorized)?.principal()
}

fn not_configured() -> Response {
    (StatusCode::NOT_FOUND, "sign-in is not configured on this intake / 本服务未配置统一身份认证").into_response()
}

#[derive(Deserialize)]
struct ReturnQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn login(State(intake): State<AppState>, Query(q): Query<ReturnQuery>) -> Response {
    let Some(sign_in) = &intake.sign_in else { return not_configured() };
    let return_to = session::safe_return(q.return_to.as_deref());
    match sign_in.provider.start(return_to).await {
        Ok(auth) => match session::remember_login(&intake.db, &auth.state, &auth.login, intake.clock.now()).await {
            Ok(()) => Redirect::to(&auth.url).into_response(),
            Err(e) => e.into_response(),
        },
        Err(e) => {
            eprintln!("intake: sign-in: {e}");
            failure_page(
                StatusCode::BAD_GATEWAY,
                "统一身份认证平台暂时无法访问,请稍后再试。",
                "The identity provider cannot be reached; please try again later.",
                "/",
            )
        }
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn callback(State(intake): State<AppState>, Query(q): Query<CallbackQuery>) -> Response {
    let Some(sign_in) = &intake.sign_in else { return not_configured() };
    let now = intake.clock.now();
    let login = match q.state.as_deref() {
        Some(state) => match session::take_login(&intake.db, state, now).await {
            Ok(l) => l,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let Some(login) = login else {
        return failure_page(
            StatusCode::BAD_REQUEST,
            "登录已过期或无效,请重新登录。",
            "This sign-in expired or is not valid; please sign in again.",
            "/",
        );
    };
    if let Some(error) = q.error {
        // E.g. the person declined at the provider: back where they were, still signed out.
        eprintln!("intake: sign-in refused by the provider: {error}");
        return failure_page(StatusCode::BAD_REQUEST, "未完成登录。", "Sign-in was not completed.", &login.return_to);
    }
    let Some(code) = q.code else {
        return failure_page(
            StatusCode::BAD_REQUEST,
            "登录回调缺少授权码。",
            "The sign-in callback lacks its code.",
            &login.return_to,
        );
    };
    let claims = match sign_in.provider.finish(code, &login).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("intake: sign-in: {e}");
            return failure_page(
                StatusCode::BAD_GATEWAY,
                "统一身份认证未能完成,请重新登录。",
                "Sign-in could not be completed; please try again.",
                &login.return_to,
            );
        }
    };
    let raw = &sign_in.checked().raw;
    let identity = match map_claims(&claims, &raw.claims, &raw.groups) {
        Ok(i) => i,
        Err(e) => {
            let (zh, en) = e.messages();
            return failure_page(StatusCode::FORBIDDEN, &zh, &en, &login.return_to);
        }
    };
    if !identity.rejected.is_empty() {
        eprintln!("intake: sign-in of {}: claims not used: {}", identity.subject, identity.rejected.join("; "));
    }
    let lifetime = i64::from(raw.session_minutes) * 60;
    match session::create(&intake.db, &identity, now, lifetime).await {
        Ok(id) => {
            let mut res = Redirect::to(&login.return_to).into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie::set(sign_in.secure(), &id, lifetime));
            res
        }
        Err(e) => e.into_response(),
    }
}

async fn logout(State(intake): State<AppState>, headers: HeaderMap, Query(q): Query<ReturnQuery>) -> Response {
    let Some(sign_in) = &intake.sign_in else { return not_configured() };
    if let Some(id) = cookie::read(&headers, sign_in.secure()) {
        if let Err(e) = session::end(&intake.db, &id).await {
            return e.into_response();
        }
    }
    let mut res = Redirect::to(&session::safe_return(q.return_to.as_deref())).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie::clear(sign_in.secure()));
    res
}

/// `GET /api/v1/session`: who is signed in (the app prefills forms from it and shows the
/// desk to officials), or that nobody is and whether sign-in exists here.
async fn who(State(intake): State<AppState>, headers: HeaderMap) -> Response {
    let body = match session(&intake, &headers).await {
        Ok(Some(s)) => {
            let mut v = serde_json::to_value(&s.identity).unwrap_or_default();
            v["signed_in"] = json!(true);
            v["expires_at"] = json!(rfc3339(s.expires_at));
            v
        }
        Ok(None) => json!({ "signed_in": false, "sign_in_available": intake.sign_in.is_some() }),
        Err(e) => return e.into_response(),
    };
    let mut res = Json(body).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A short page for a sign-in that did not work, Chinese first, with a way back.
fn failure_page(status: StatusCode, zh: &str, en: &str, back: &str) -> Response {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>登录 Sign-in</title><main><h1>登录未完成</h1><p>{}</p><p lang=\"en\">{}</p><p><a href=\"{}\">返回 Back</a></p></main></html>",
        esc(zh),
        esc(en),
        esc(back)
    );
    let mut res = (status, html).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
