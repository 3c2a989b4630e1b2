//! The intake over its HTTP API (`tower::ServiceExt::oneshot`), on SQLite and on a real
//! PostgreSQL cluster. `api` holds scenarios run on both; `validation` checks every
//! validation failure and its messages (database-independent, so SQLite only).

mod api;
mod backup;
mod desk;
mod pg;
mod signin;
mod transitions;
mod validation;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kaifang_core::calendar::Day;
use serde_json::Value;
use tower::ServiceExt;

use super::service::Clock;
use super::{api as routes, bench, Intake, IntakeConfig};

/// Unix seconds at a China-time moment: `at("2026-09-30", 10)` is 10:00 in Beijing.
pub fn at(date: &str, china_hour: i64) -> i64 {
    let day = Day::from_date(&kaifang_core::catalog::Date::parse(date).unwrap());
    day.0 * 86_400 + (china_hour - 8) * 3600
}

pub struct H {
    pub app: Router,
    pub intake: Arc<Intake>,
    pub transport: String,
    pub health: String,
    pub authority: String,
    pub _dir: tempfile::TempDir,
}

pub enum Db {
    Sqlite,
    Postgres,
}

impl H {
    pub async fn new(db: Db, jurisdiction: &str, now: i64) -> H {
        H::with(db, jurisdiction, Clock::fixed(now), None).await
    }

    /// With any clock, and optionally a `calendar.json` shipped in the catalog.
    pub async fn with(db: Db, jurisdiction: &str, clock: Clock, calendar_json: Option<&str>) -> H {
        let dir = tempfile::tempdir().unwrap();
        bench::write_sample_catalog(&dir.path().join("catalog"), jurisdiction).unwrap();
        if let Some(json) = calendar_json {
            std::fs::write(dir.path().join("catalog/calendar.json"), json).unwrap();
        }
        let url = match db {
            Db::Sqlite => format!("sqlite:{}/intake.sqlite", dir.path().display()),
            Db::Postgres => pg::fresh_database().await,
        };
        let mut cfg = IntakeConfig::new(url).catalog(dir.path().join("catalog"));
        cfg.clock = clock;
        let intake = super::open(&cfg).await.unwrap();
        let transport = intake.create_token(Some("dept-transport"), "test transport").await.unwrap();
        let health = intake.create_token(Some("dept-health"), "test health").await.unwrap();
        let authority = intake.create_token(None, "test authority").await.unwrap();
        H { app: routes::routes(intake.clone()), intake, transport, health, authority, _dir: dir }
    }

    pub async fn sqlite(jurisdiction: &str) -> H {
        H::new(Db::Sqlite, jurisdiction, at("2026-09-30", 10)).await
    }

    /// Sends a request; answers with the status, the JSON body (Null if not JSON) and headers.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (StatusCode, Value, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json, headers, bytes)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("authorization", a));
        }
        let (s, v, _, _) = self.send("POST", path, &headers, serde_json::to_vec(body).unwrap()).await;
        (s, v)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", a.as_str())).collect();
        let (s, v, _, _) = self.send("GET", path, &headers, vec![]).await;
        (s, v)
    }

    /// Files and expects a receipt; answers (reference, token, receipt).
    pub async fn file(&self, body: &Value) -> (String, String, Value) {
        let (s, r) = self.post("/api/v1/filings", None, body).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        (r["reference"].as_str().unwrap().to_string(), r["token"].as_str().unwrap().to_string(), r)
    }

    /// A department action; answers status and body.
    pub async fn act(&self, token: &str, reference: &str, action: Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/department/filings/{reference}/actions"), Some(token), &action).await
    }

    /// A department action that must succeed; answers the new state.
    pub async fn act_ok(&self, token: &str, reference: &str, action: Value) -> String {
        let (s, v) = self.act(token, reference, action.clone()).await;
        assert_eq!(s, StatusCode::OK, "{action} → {v}");
        v["state"].as_str().unwrap().to_string()
    }
}

pub fn application() -> Value {
    bench::sample_application(1)
}

pub fn objection(dataset: &str) -> Value {
    serde_json::json!({
        "kind": "objection",
        "requester": { "name": "李四", "contact": { "email": "li.si@example.cn" },
                       "id_document": { "kind": "resident_id", "number": "44011320141005001X" } },
        "relation": "data_subject",
        "dataset_id": dataset,
        "scope": { "kind": "rows", "rows": [12, 13] },
        "grounds": ["personal_information"],
        "statement": "第 12、13 行包含本人的姓名和电话号码。",
        "requested_action": "withdraw"
    })
}

pub fn error_report(dataset: &str) -> Value {
    serde_json::json!({
        "kind": "error_report",
        "reporter": { "name": "王五", "contact": { "phone": "0871-65432100" } },
        "dataset_id": dataset,
        "location": { "row": 7, "field": "lat" },
        "current_value": "250.1",
        "proposed_value": "25.01",
        "explanation": "纬度超出范围,小数点位置错误。"
    })
}

pub fn data_request(department: Option<&str>) -> Value {
    let mut v = serde_json::json!({
        "kind": "data_request",
        "requester": { "name": "赵六", "contact": { "email": "zhao@example.cn" } },
        "title": "公交车辆实时位置",
        "description": "希望开放公交车辆实时位置数据,用于到站预测。",
        "purpose": "开发到站提醒应用"
    });
    if let Some(d) = department {
        v["department_id"] = Value::String(d.into());
    }
    v
}
