//! The desk's routes (`desk_api.rs`) over the API, on SQLite and PostgreSQL: the inbox's
//! order and working days left, department isolation, the actions offered, overdue
//! replies in the inbox and the figures, the audit log and its CSV.

use axum::http::StatusCode;
use serde_json::json;

use super::{application, at, objection, Db, H};

macro_rules! on_both {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name(super::Db::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name(super::Db::Postgres).await }
        }
    )* };
}

on_both!(
    inbox_orders_by_reply_date_with_working_days_left,
    overdue_on_the_desk_and_in_the_figures,
    audit_log_of_the_department
);

/// C2/C3 at the desk: Yunnan 26, received Wed 2026-09-30: reply by 10-27, 15 working days
/// left that day; the objection (5 working days by the portal default) comes first.
async fn inbox_orders_by_reply_date_with_working_days_left(db: Db) {
    let (now, clock) = super::api::movable(at("2026-09-30", 10));
    let h = H::with(db, "yunnan", clock, None).await;
    let (app, _, _) = h.file(&application()).await;
    let (obj, _, _) = h.file(&objection("ds-bus-lines")).await;
    let (s, inbox) = h.get("/api/v1/department/inbox", Some(&h.transport)).await;
    assert_eq!(s, StatusCode::OK, "{inbox}");
    let refs: Vec<&str> = inbox["rows"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, [obj.as_str(), app.as_str()], "{inbox}");
    let row = &inbox["rows"][1];
    assert_eq!((row["deadline"].as_str(), row["estimated"].as_bool()), (Some("2026-10-27"), Some(false)));
    assert_eq!(row["standing"], json!({"is": "running", "days_left": 15, "due_soon": false}));
    assert_eq!(
        (inbox["total"].as_u64(), inbox["counts"]["submitted"].as_u64(), inbox["counts"]["received"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    // A week later (National Day between): 10-08, 09, 10 (调休 Saturday) passed → 12 left.
    now.store(at("2026-10-11", 9), std::sync::atomic::Ordering::SeqCst);
    let (_, inbox) = h.get("/api/v1/department/inbox?kind=application", Some(&h.transport)).await;
    assert_eq!(inbox["rows"][0]["standing"]["days_left"], 12, "{inbox}");
    assert_eq!(inbox["total"], 1);

    // The actions offered follow the state and the rules (Yunnan 26: the head approves extensions).
    let (_, offer) = h.get(&format!("/api/v1/department/filings/{app}/offer"), Some(&h.transport)).await;
    assert_eq!(offer["actions"], json!(["start_review", "approve", "reject"]));
    h.act_ok(&h.transport.clone(), &app, json!({"action": "start_review"})).await;
    let (_, offer) = h.get(&format!("/api/v1/department/filings/{app}/offer"), Some(&h.transport)).await;
    assert_eq!(offer["actions"], json!(["request_information", "extend", "approve", "reject"]));
    assert_eq!((offer["extension_left"].as_u64(), offer["extension_consent"].as_str()), (Some(15), Some("head")));

    // Another department sees none of it: not in its inbox, "not found" for the filing.
    let (_, other) = h.get("/api/v1/department/inbox", Some(&h.health)).await;
    assert_eq!(other["total"], 0, "{other}");
    let (s, _) = h.get(&format!("/api/v1/department/filings/{app}/offer"), Some(&h.health)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The authority sees both departments' filings.
    let (_, all) = h.get("/api/v1/department/inbox", Some(&h.authority)).await;
    assert_eq!(all["total"], 2);
    let (_, me) = h.get("/api/v1/department/me", Some(&h.transport)).await;
    assert_eq!(
        (me["role"].as_str(), me["datasets"].clone()),
        (Some("department"), json!(["ds-bus-lines", "ds-bus-stops"]))
    );

    // Every filter is checked; no token, no inbox.
    for bad in ["kind=applications", "state=approvedd", "dataset=nope", "limit=0", "limit=501"] {
        let (s, v) = h.get(&format!("/api/v1/department/inbox?{bad}"), Some(&h.transport)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {v}");
    }
    assert_eq!(h.get("/api/v1/department/inbox?sort=x", Some(&h.transport)).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(h.get("/api/v1/department/inbox", None).await.0, StatusCode::UNAUTHORIZED);
    let (_, f) = h.get("/api/v1/department/inbox?dataset=ds-bus-stops&state=under_review", Some(&h.transport)).await;
    assert_eq!((f["total"].as_u64(), f["counts"]["under_review"].as_u64()), (Some(1), Some(1)));
}

/// The clock past the reply date: overdue on the desk and in the figures; answered late, it
/// counts as answered out of time with its working days.
async fn overdue_on_the_desk_and_in_the_figures(db: Db) {
    let (now, clock) = super::api::movable(at("2026-09-30", 10));
    let h = H::with(db, "yunnan", clock, None).await;
    let (late, _, _) = h.file(&application()).await;
    let (quick, _, _) = h.file(&application_2()).await;
    now.store(at("2026-10-12", 11), std::sync::atomic::Ordering::SeqCst);
    h.act_ok(&h.transport.clone(), &quick, json!({"action": "reject", "reason": "用途与数据不符"})).await;
    now.store(at("2026-10-29", 9), std::sync::atomic::Ordering::SeqCst);
    let (_, inbox) = h.get("/api/v1/department/inbox", Some(&h.transport)).await;
    assert_eq!(inbox["rows"][0]["reference"], late.as_str());
    assert_eq!(inbox["rows"][0]["standing"], json!({"is": "overdue", "working_days_late": 2}), "{inbox}");
    assert_eq!(inbox["overdue"], 1);
    let (s, fig) = h.get("/api/v1/department/figures", Some(&h.transport)).await;
    assert_eq!(s, StatusCode::OK, "{fig}");
    let row = &fig["rows"][0];
    assert_eq!(
        (row["department_id"].as_str(), row["month"].as_str(), row["kind"].as_str()),
        (Some("dept-transport"), Some("2026-09"), Some("application"))
    );
    assert_eq!(
        (row["total"].as_u64(), row["answered"].as_u64(), row["answered_in_time"].as_u64(), row["overdue"].as_u64()),
        (Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(row["share_in_time"], 0.5);
    // 09-30 → 10-12: 10-08, 09, 10 (调休), 12.
    assert_eq!(row["median_working_days"], 4.0);
    // Answered late: out of time, and nothing overdue any more.
    h.act_ok(&h.transport.clone(), &late, json!({"action": "reject", "reason": "逾期答复,不予开放"})).await;
    let (_, fig) = h.get("/api/v1/department/figures", Some(&h.transport)).await;
    let row = &fig["rows"][0];
    assert_eq!(
        (row["answered"].as_u64(), row["answered_in_time"].as_u64(), row["overdue"].as_u64()),
        (Some(2), Some(1), Some(0))
    );
    assert_eq!(row["median_working_days"], 10.5, "4 and 17 working days: {fig}");
    let (_, other) = h.get("/api/v1/department/figures", Some(&h.health)).await;
    assert_eq!(other["rows"], json!([]));
}

fn application_2() -> serde_json::Value {
    let mut a = application();
    a["purpose"] = json!("研究公交站点的空间分布与可达性。");
    a
}

/// The department's audit log: its filings' entries only, newest first; the CSV export
/// (core's formula-safe writer) carries a BOM for spreadsheets and is itself logged.
async fn audit_log_of_the_department(db: Db) {
    let h = H::new(db, "aba", at("2026-09-30", 10)).await;
    let (obj, _, _) = h.file(&objection("ds-bus-lines")).await;
    let (clinic, _, _) = h.file(&objection("ds-clinics")).await;
    h.act_ok(&h.transport.clone(), &obj, json!({"action": "suspend_dataset", "note": "核实中"})).await;
    let (s, log) = h.get("/api/v1/department/audit", Some(&h.transport)).await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let entries = log["entries"].as_array().unwrap();
    let subjects: Vec<&str> = entries.iter().map(|e| e["subject"].as_str().unwrap()).collect();
    assert!(subjects.contains(&obj.as_str()) && subjects.contains(&"ds-bus-lines"), "{subjects:?}");
    assert!(!subjects.contains(&clinic.as_str()), "another department's filing: {subjects:?}");
    assert!(entries[0]["id"].as_i64() > entries[entries.len() - 1]["id"].as_i64(), "newest first");
    let (s, _, headers, bytes) = h
        .send("GET", "/api/v1/department/audit.csv", &[("authorization", &format!("Bearer {}", h.transport))], vec![])
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.starts_with("\u{FEFF}id,at,actor,action,subject,detail\r\n"), "{csv}");
    assert!(csv.contains(&obj) && !csv.contains(&clinic));
    let (_, log) = h.get("/api/v1/department/audit?limit=1", Some(&h.transport)).await;
    assert_eq!(log["entries"][0]["action"], "audit.export");
    assert_eq!(
        h.get("/api/v1/department/audit?limit=1001", Some(&h.transport)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
