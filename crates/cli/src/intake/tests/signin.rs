//! Sessions over the HTTP API: an official's session maps to their department (and sees
//! nothing of another's), a filer's session ties filings to their subject and fills in
//! their verified identity, the rule set's sign-in requirement is enforced, sessions
//! expire, other sites' requests are refused, and a state change writes the filer's
//! e-mail to the outbox. The protocol itself (a real provider) runs in
//! `tests/e2e/signin.test.mjs`; here sessions are made directly in the database.

use axum::http::StatusCode;
use kaifang_core::identity::{Role, VerifiedIdentity};
use serde_json::{json, Value};

use super::super::auth::config::SignInConfig;
use super::super::notify::{self, NotifyConfig};
use super::super::service::Clock;
use super::super::{api as routes, bench, session, IntakeConfig};
use super::{application, at, H};

fn sign_in_config() -> SignInConfig {
    toml::from_str(
        r#"
        issuer = "http://127.0.0.1:9"
        client_id = "kaifang"
        public_url = "http://127.0.0.1:8080"
        insecure_cookies_on_loopback = true
        "#,
    )
    .unwrap()
}

const NOW: &str = "2026-09-30";

/// An intake with sign-in (and optionally e-mail) configured, under `jurisdiction`.
async fn signed(jurisdiction: &str, notify: Option<NotifyConfig>) -> H {
    let dir = tempfile::tempdir().unwrap();
    bench::write_sample_catalog(&dir.path().join("catalog"), jurisdiction).unwrap();
    let mut cfg =
        IntakeConfig::new(format!("sqlite:{}/intake.sqlite", dir.path().display())).catalog(dir.path().join("catalog"));
    cfg.clock = Clock::fixed(at(NOW, 10));
    cfg.sign_in = Some(sign_in_config());
    cfg.notify = notify;
    let intake = super::super::open(&cfg).await.unwrap();
    let transport = intake.create_token(Some("dept-transport"), "t").await.unwrap();
    let health = intake.create_token(Some("dept-health"), "h").await.unwrap();
    let authority = intake.create_token(None, "a").await.unwrap();
    H { app: routes::routes(intake.clone()), intake, transport, health, authority, _dir: dir }
}

fn person(subject: &str, role: Role) -> VerifiedIdentity {
    VerifiedIdentity {
        subject: subject.into(),
        name: Some("张研究".into()),
        id_number: Some("11010519491231002X".into()),
        organisation: None,
        credit_code: None,
        email: Some("r@example.edu.cn".into()),
        role,
        rejected: vec![],
    }
}

/// A session cookie header for `who`, lasting an hour from the intake's clock.
async fn cookie(h: &H, who: &VerifiedIdentity) -> String {
    let id = session::create(&h.intake.db, who, h.intake.clock.now(), 3600).await.unwrap();
    format!("kaifang_session={id}")
}

async fn with_cookie(h: &H, method: &str, path: &str, cookie: &str, body: Option<&Value>) -> (StatusCode, Value) {
    let mut headers = vec![("cookie", cookie), ("origin", "http://127.0.0.1:8080")];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let bytes = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    let (s, v, _, _) = h.send(method, path, &headers, bytes).await;
    (s, v)
}

#[tokio::test]
async fn an_officials_session_acts_for_their_department_only() {
    let h = signed("yunnan", None).await;
    let (reference, _, _) = h.file(&application()).await;
    let transport =
        cookie(&h, &person("official-t", Role::Department { department_id: "dept-transport".into() })).await;
    let health = cookie(&h, &person("official-h", Role::Department { department_id: "dept-health".into() })).await;
    let filer = cookie(&h, &person("someone", Role::Filer)).await;

    let (s, v) = with_cookie(&h, "GET", "/api/v1/department/filings", &transport, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["filings"][0]["reference"], reference);
    let path = format!("/api/v1/department/filings/{reference}/actions");
    let (s, v) = with_cookie(&h, "POST", &path, &transport, Some(&json!({"action": "start_review"}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // Another department's official neither sees nor acts on it; a filer is no official.
    let (s, v) = with_cookie(&h, "GET", "/api/v1/department/filings", &health, None).await;
    assert_eq!((s, v["filings"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let (s, _) = with_cookie(&h, "GET", &format!("/api/v1/department/filings/{reference}"), &health, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = with_cookie(&h, "POST", &path, &health, Some(&json!({"action": "reject", "reason": "x"}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = with_cookie(&h, "GET", "/api/v1/department/filings", &filer, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // Bearer tokens work as before, and win over a cookie.
    let (s, _) = h.get("/api/v1/department/filings", Some(&h.health)).await;
    assert_eq!(s, StatusCode::OK);
    // The audit log names the official who acted through their session.
    let log = h.intake.audit_log(None, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "filing.transition" && e.actor.contains("official-t")), "{log:?}");
}

#[tokio::test]
async fn sessions_expire_and_logout_ends_them() {
    let h = signed("yunnan", None).await;
    let who = person("u1", Role::Filer);
    let now = h.intake.clock.now();
    let old = session::create(&h.intake.db, &who, now - 7200, 3600).await.unwrap();
    let (s, v) = with_cookie(&h, "GET", "/api/v1/session", &format!("kaifang_session={old}"), None).await;
    assert_eq!((s, v["signed_in"].as_bool()), (StatusCode::OK, Some(false)), "{v}");

    let live = cookie(&h, &who).await;
    let (_, v) = with_cookie(&h, "GET", "/api/v1/session", &live, None).await;
    assert_eq!(v["signed_in"], true);
    assert_eq!(v["name"], "张研究");
    assert_eq!(v["role"], "filer");

    let (s, _, headers, _) = h.send("GET", "/auth/logout?return=/filings", &[("cookie", &live)], vec![]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/filings");
    let cleared = headers["set-cookie"].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"), "{cleared}");
    let (_, v) = with_cookie(&h, "GET", "/api/v1/session", &live, None).await;
    assert_eq!(v["signed_in"], false, "the session is gone from the database, not only from the browser");
}

#[tokio::test]
async fn a_request_from_another_site_is_refused() {
    let h = signed("yunnan", None).await;
    let official = cookie(&h, &person("o", Role::Department { department_id: "dept-transport".into() })).await;
    let headers = [("cookie", official.as_str()), ("origin", "https://evil.example")];
    let (s, _, _, _) = h.send("GET", "/api/v1/department/filings", &headers, vec![]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn xiangxi_applications_need_sign_in_and_follow_the_person_to_any_device() {
    let h = signed("xiangxi", None).await;
    let (s, v) = h.post("/api/v1/filings", None, &application()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["error"]["code"], "sign_in_required");
    assert!(v["error"]["message_zh"].as_str().unwrap().contains("湘西"), "{v}");

    let me = person("researcher", Role::Filer);
    let phone = cookie(&h, &me).await;
    let (s, receipt) = with_cookie(&h, "POST", "/api/v1/filings", &phone, Some(&application())).await;
    assert_eq!(s, StatusCode::CREATED, "{receipt}");
    // The verified name replaced the typed one (the department sees it, ID masked).
    let reference = receipt["reference"].as_str().unwrap();
    let (_, shown) = h.get(&format!("/api/v1/department/filings/{reference}"), Some(&h.authority)).await;
    assert_eq!(shown["filing"]["applicant"]["name"], "张研究");
    assert_eq!(shown["filing"]["applicant"]["id_document"]["number"], "1101**********002X");

    // Another device: a new session of the same person lists it, no receipt needed.
    let laptop = cookie(&h, &me).await;
    let (s, mine) = with_cookie(&h, "GET", "/api/v1/my/filings", &laptop, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine["filings"][0]["reference"], reference);
    // Someone else sees none of it; without a session the list is refused.
    let other = cookie(&h, &person("someone-else", Role::Filer)).await;
    let (_, theirs) = with_cookie(&h, "GET", "/api/v1/my/filings", &other, None).await;
    assert_eq!(theirs["filings"].as_array().unwrap().len(), 0);
    assert_eq!(h.get("/api/v1/my/filings", None).await.0, StatusCode::UNAUTHORIZED);
    // Error reports stay open to anyone.
    let (s, _) = h.post("/api/v1/filings", None, &super::error_report("ds-bus-lines")).await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn a_receipt_token_adds_a_filing_to_the_account_once() {
    let h = signed("yunnan", None).await;
    let (reference, token, _) = h.file(&application()).await;
    let me = cookie(&h, &person("p1", Role::Filer)).await;
    let (s, v) = with_cookie(&h, "POST", "/api/v1/my/filings/claim", &me, Some(&json!({"token": token}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, mine) = with_cookie(&h, "GET", "/api/v1/my/filings", &me, None).await;
    assert_eq!(mine["filings"][0]["reference"], reference.as_str());
    // Once someone's, another account cannot take it.
    let thief = cookie(&h, &person("p2", Role::Filer)).await;
    let (s, _) = with_cookie(&h, "POST", "/api/v1/my/filings/claim", &thief, Some(&json!({"token": token}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_state_change_puts_the_filers_message_in_the_outbox_and_failures_back_off() {
    // Port 9 (discard) on loopback: nothing listens, so sending fails and is retried later.
    let n = NotifyConfig {
        smtp_url: "smtp://127.0.0.1:9".into(),
        from: "开放平台 <noreply@example.gov.cn>".into(),
        public_url: "http://127.0.0.1:8080".into(),
        poll_seconds: 3600,
        max_attempts: 3,
    };
    let h = signed("yunnan", Some(n)).await;
    let (reference, _, _) = h.file(&application()).await;
    h.act_ok(&h.transport, &reference, json!({"action": "start_review"})).await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT recipient, subject, body FROM outbox").fetch_all(&h.intake.db.pool).await.unwrap();
    assert_eq!(rows.len(), 1, "filing itself sends nothing; the department's action one message");
    assert_eq!(rows[0].0, "applicant@example.cn");
    assert!(rows[0].1.contains(&reference) && rows[0].1.contains("审核中"), "{}", rows[0].1);
    assert_eq!(notify::send_due(&h.intake).await.unwrap(), 0);
    let (attempts, next_at, error): (i64, i64, Option<String>) =
        sqlx::query_as("SELECT attempts, next_at, last_error FROM outbox").fetch_one(&h.intake.db.pool).await.unwrap();
    assert_eq!(attempts, 1);
    assert_eq!(next_at, h.intake.clock.now() + notify::backoff_secs(1));
    assert!(error.is_some());
    // Not due again until the backoff has passed.
    assert_eq!(notify::send_due(&h.intake).await.unwrap(), 0);
    let (attempts,): (i64,) = sqlx::query_as("SELECT attempts FROM outbox").fetch_one(&h.intake.db.pool).await.unwrap();
    assert_eq!(attempts, 1);
}
