//! Scenarios over the API, each run on SQLite and on PostgreSQL.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{application, at, data_request, error_report, objection, Db, H};

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
    receipt_carries_statutory_deadline,
    idempotent_retries,
    tokens_see_their_own_filing_only,
    application_transitions,
    objection_transitions_and_status_overlay,
    error_report_and_data_request_transitions,
    departments_act_on_their_own_datasets_only,
    evidence_uploads,
    audit_log_is_append_only_and_masked,
    audit_log_keeps_three_years_xiangxi_19,
    overdue_replies_are_flagged,
    xiangxi_35_two_step_approval_with_consented_extension,
    xiangxi_35_review_entrusted_to_the_authority,
    aba_20_error_report_forwarded_by_the_authority,
);

#[tokio::test]
async fn a_catalog_can_add_next_years_calendar() {
    // Received Monday 2026-12-21 under Yunnan (15 working days): 8 working days remain in
    // 2026, so the count runs into 2027 — an estimate until the catalog ships 2027.
    let clock = super::Clock::fixed(at("2026-12-21", 10));
    let h = H::with(Db::Sqlite, "yunnan", clock.clone(), None).await;
    let (_, _, r) = h.file(&application()).await;
    assert_eq!(
        (r["deadline"]["date"].as_str(), r["deadline"]["estimated"].as_bool()),
        (Some("2027-01-11"), Some(true))
    );
    // With 2027's notice (New Year 01-01..01-03, say) in the catalog: no longer an estimate,
    // and the holiday pushes the date by one working day.
    let notice = r#"{"source":"test","years":{"2027":{"holidays":[{"date":"2027-01-01","name":"New Year's Day"}],"working_days":[]}}}"#;
    let h = H::with(Db::Sqlite, "yunnan", clock, Some(notice)).await;
    let (_, _, r) = h.file(&application()).await;
    assert_eq!(
        (r["deadline"]["date"].as_str(), r["deadline"]["estimated"].as_bool()),
        (Some("2027-01-12"), Some(false))
    );
}

/// MISSION C2: the receipt's statutory reply date in working days, with its article.
async fn receipt_carries_statutory_deadline(db: Db) {
    // Yunnan 26: 15 working days. Received Wednesday 2026-09-30 10:00 in Beijing, the last
    // working day before National Day: 10-08, 09, 10 (Saturday 调休), 12 … → Tuesday 10-27.
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let (reference, token, r) = h.file(&application()).await;
    assert!(reference.starts_with("SQ-2026-") && reference.len() == "SQ-2026-000001".len(), "{reference}");
    assert_eq!(token.len(), 64, "256-bit token");
    assert_eq!(r["received_on"], "2026-09-30");
    assert_eq!(r["state"], "submitted");
    assert_eq!(r["deadline"]["date"], "2026-10-27");
    assert_eq!(r["deadline"]["estimated"], false);
    assert_eq!(r["deadline"]["working_days"], 15);
    assert_eq!(r["deadline"]["article"], "云南 第二十六条");
    // The receipt day is China's: 16:30 UTC on 09-30 is already 10-01 in Beijing, a
    // holiday; the count starts after it and lands on the same 10-27.
    let h = H::new(Db::Sqlite, "xiangxi", at("2026-10-01", 0) + 1800).await;
    let (_, _, r) = h.file(&application()).await;
    assert_eq!(r["received_on"], "2026-10-01");
    // Xiangxi 35: 10 working days → 10-20.
    assert_eq!(r["deadline"]["date"], "2026-10-20");
    assert_eq!(r["deadline"]["article"], "湘西 第三十五条");
    // Past the known years the deadline is an estimate.
    let h = H::new(Db::Sqlite, "yunnan", at("2026-12-21", 10)).await;
    let (_, _, r) = h.file(&application()).await;
    assert_eq!(r["deadline"]["estimated"], true, "{r}");
    // Where the regulation is silent the receipt says so instead of citing an article.
    let h = H::new(Db::Sqlite, "aba", at("2026-09-30", 10)).await;
    let (_, _, r) = h.file(&application()).await;
    assert_eq!(r["deadline"]["article"], Value::Null);
    assert!(r["deadline"]["basis_note"].as_str().unwrap().contains("Article 32"));
}

async fn idempotent_retries(db: Db) {
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let body = serde_json::to_vec(&application()).unwrap();
    let key = "3f1c2a9e-8b7d-4c6e-9f00-1234567890ab";
    let headers = [("content-type", "application/json"), ("idempotency-key", key)];
    let (s1, r1, _, _) = h.send("POST", "/api/v1/filings", &headers, body.clone()).await;
    assert_eq!(s1, StatusCode::CREATED, "{r1}");
    let (s2, r2, _, _) = h.send("POST", "/api/v1/filings", &headers, body.clone()).await;
    assert_eq!(s2, StatusCode::OK, "a retry is answered, not filed again");
    assert_eq!(r1, r2, "the same receipt, token included");
    // The retry's token works.
    let (s, v) = h.get("/api/v1/filing", r2["token"].as_str()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["reference"], r1["reference"]);
    // Only one filing exists.
    let (_, list) = h.get("/api/v1/department/filings", Some(&h.transport)).await;
    assert_eq!(list["filings"].as_array().unwrap().len(), 1);
    // Same key, different filing: conflict.
    let mut other = application();
    other["purpose"] = json!("另一个不同的用途说明");
    let (s3, r3, _, _) = h.send("POST", "/api/v1/filings", &headers, serde_json::to_vec(&other).unwrap()).await;
    assert_eq!(s3, StatusCode::CONFLICT);
    assert_eq!(r3["error"]["code"], "idempotency_key_reused");
    // A key too short to be a secret is refused.
    let short = [("content-type", "application/json"), ("idempotency-key", "abc")];
    let (s4, r4, _, _) = h.send("POST", "/api/v1/filings", &short, body.clone()).await;
    assert_eq!(s4, StatusCode::BAD_REQUEST);
    assert_eq!(r4["error"]["code"], "bad_idempotency_key");
    // Without a key every post is a new filing.
    let (a, _, _) = h.file(&application()).await;
    let (b, _, _) = h.file(&application()).await;
    assert_ne!(a, b);
}

async fn tokens_see_their_own_filing_only(db: Db) {
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let (ref_a, tok_a, _) = h.file(&application()).await;
    let (ref_b, tok_b, _) = h.file(&objection("ds-bus-lines")).await;
    let (s, a) = h.get("/api/v1/filing", Some(&tok_a)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["reference"], ref_a.as_str());
    assert_eq!(a["timeline"][0]["action"], "submit");
    assert!(a.get("filing").is_none(), "the filer's view does not echo the form");
    let (_, b) = h.get("/api/v1/filing", Some(&tok_b)).await;
    assert_eq!(b["reference"], ref_b.as_str());
    // A wrong token (well-formed or not) sees nothing; no token is 401.
    let wrong = super::super::token::new_token();
    for t in [wrong.as_str(), "not-a-token", &tok_a[..63]] {
        let (s, v) = h.get("/api/v1/filing", Some(t)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{t}");
        assert!(v.get("reference").is_none());
    }
    assert_eq!(h.get("/api/v1/filing", None).await.0, StatusCode::UNAUTHORIZED);
    // Department tokens are not receipt tokens, and receipt tokens are not department tokens.
    assert_eq!(h.get("/api/v1/filing", Some(&h.transport)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(h.get("/api/v1/department/filings", Some(&tok_a)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(h.get("/api/v1/department/filings", None).await.0, StatusCode::UNAUTHORIZED);
    // A receipt token cannot act for the department.
    let (s, v) =
        h.post("/api/v1/filing/actions", Some(&tok_a), &json!({"action": "reject", "reason": "自己驳回"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "wrong_actor");
}

async fn application_transitions(db: Db) {
    // Xiangxi 35: 10 + at most 10. Received Wednesday 2026-09-30: deadline 10-20.
    let h = H::new(db, "xiangxi", at("2026-09-30", 10)).await;
    let mut app = application();
    app["applicant"] = json!({
        "type": "legal_person", "name": "示例科技有限公司", "org_category": "company",
        "id_document": { "kind": "uscc", "number": "91310115MA1K3BTP2B" },
        "contact": { "email": "data@example.cn" }
    });
    app["domestic_control_declaration"] = json!(true);
    let (r, tok, receipt) = h.file(&app).await;
    assert_eq!(receipt["deadline"]["date"], "2026-10-20");
    let t = h.transport.clone();
    assert_eq!(h.act_ok(&t, &r, json!({"action": "start_review"})).await, "under_review");
    // Extending needs a notice.
    let (s, v) = h.act(&t, &r, json!({"action": "extend", "notice": "", "working_days": 5})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["fields"][0]["path"], "notice");
    let extend = json!({"action": "extend", "notice": "需会同网信部门评估", "working_days": 5, "consented_by": "主要负责人 王局长"});
    assert_eq!(h.act_ok(&t, &r, extend).await, "extended");
    // 10-20 + 5 working days = 10-27; the filer sees the notice and the new date.
    let (_, view) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(view["deadline"]["date"], "2026-10-27");
    assert_eq!(view["deadline"]["working_days"], 15);
    assert_eq!(view["timeline"][2]["note"], "需会同网信部门评估");
    // 5 used, 5 left: 6 more is refused.
    let (s, v) = h
        .act(
            &t,
            &r,
            json!({"action": "extend", "notice": "再延长一次试试", "working_days": 6, "consented_by": "王局长"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "extension_too_long");
    assert!(v["error"]["message_zh"].as_str().unwrap().contains("5"));
    // Information requested, then supplied by the applicant → back under review.
    assert_eq!(
        h.act_ok(&t, &r, json!({"action": "request_information", "message": "请补充安全保障措施的细节"})).await,
        "information_requested"
    );
    let (s, v) = h
        .post(
            "/api/v1/filing/actions",
            Some(&tok),
            &json!({"action": "supply_information", "text": "数据存放于内网隔离服务器"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "under_review");
    // Xiangxi 35: the department's review passes it to the authority, whose approval needs
    // scope, period and agreement.
    assert_eq!(h.act_ok(&t, &r, json!({"action": "pass_review", "opinion": "审核通过"})).await, "awaiting_approval");
    let a = h.authority.clone();
    let (s, v) = h.act(&a, &r, json!({"action": "approve", "scope": "站点表全部字段", "period": {"start": "2026-11-01", "end": "2026-10-01"}, "agreement": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["agreement", "period.end"]);
    let approve = json!({"action": "approve", "scope": "站点表全部字段", "period": {"start": "2026-11-01", "end": "2027-10-31"}, "agreement": "数据使用协议 XY-2026-17"});
    assert_eq!(h.act_ok(&a, &r, approve.clone()).await, "approved");
    // A decided application cannot be decided again.
    let (s, v) = h.act(&a, &r, json!({"action": "reject", "reason": "改变主意"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "illegal_transition");
    let (_, view) = h.get("/api/v1/filing", Some(&tok)).await;
    let actions: Vec<&str> =
        view["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["submit", "start_review", "extend", "request_information", "supply_information", "pass_review", "approve"]
    );
    assert!(view["timeline"][6]["note"].as_str().unwrap().contains("XY-2026-17"));

    // Rejection needs a reason, and may come while information is awaited.
    let (r2, tok2, _) = h.file(&app).await;
    h.act_ok(&t, &r2, json!({"action": "start_review"})).await;
    h.act_ok(&t, &r2, json!({"action": "request_information", "message": "请说明使用人员的职责"})).await;
    let (s, v) = h.act(&t, &r2, json!({"action": "reject", "reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["fields"][0]["path"], "reason");
    assert_eq!(v["error"]["fields"][0]["code"], "required");
    assert_eq!(h.act_ok(&t, &r2, json!({"action": "reject", "reason": "逾期未补充材料"})).await, "rejected");
    let (_, view) = h.get("/api/v1/filing", Some(&tok2)).await;
    assert_eq!(view["state"], "rejected");
    assert_eq!(view["timeline"].as_array().unwrap().last().unwrap()["note"], "逾期未补充材料");
    // Supplying information when none was asked for is an illegal transition.
    let (s, v) =
        h.post("/api/v1/filing/actions", Some(&tok2), &json!({"action": "supply_information", "text": "补充"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "illegal_transition");

    // A department that can answer at once passes its review straight from submitted; under
    // a one-step rule set it approves straight from submitted (Yunnan 26).
    let (r3, _, _) = h.file(&app).await;
    assert_eq!(h.act_ok(&t, &r3, json!({"action": "pass_review", "opinion": "材料齐全"})).await, "awaiting_approval");
    let y = H::new(Db::Sqlite, "yunnan", at("2026-09-30", 10)).await;
    let (r4, _, _) = y.file(&application()).await;
    assert_eq!(y.act_ok(&y.transport, &r4, approve).await, "approved");
}

async fn overlay(h: &H) -> Value {
    let (s, v) = h.get("/api/v1/status", None).await;
    assert_eq!(s, StatusCode::OK);
    v["datasets"].clone()
}

/// MISSION O2, O3 (Aba 33, Xiangxi 45): verify, suspend, withdraw or reopen, the overlay
/// shows it to everyone, review (复核) by the authority.
async fn objection_transitions_and_status_overlay(db: Db) {
    // Aba 33: verify at once, suspend if needed, withdraw / reopen, review by the authority.
    let h = H::new(db, "aba", at("2026-09-30", 10)).await;
    let t = h.transport.clone();
    assert_eq!(overlay(&h).await, json!({}));
    let (r, tok, receipt) = h.file(&objection("ds-bus-lines")).await;
    assert!(r.starts_with("YY-2026-"));
    assert_eq!(receipt["state"], "received");
    assert_eq!(h.act_ok(&t, &r, json!({"action": "start_review"})).await, "verifying");
    assert_eq!(
        h.act_ok(&t, &r, json!({"action": "suspend_dataset", "note": "核实期间中止开放"})).await,
        "dataset_suspended"
    );
    let o = overlay(&h).await;
    assert_eq!(o["ds-bus-lines"]["status"], "suspended");
    assert_eq!(o["ds-bus-lines"]["note"], "核实期间中止开放");
    assert_eq!(h.act_ok(&t, &r, json!({"action": "withdraw_dataset", "note": "确含个人信息,撤回"})).await, "withdrawn");
    assert_eq!(overlay(&h).await["ds-bus-lines"]["status"], "withdrawn");
    // The objector asks for a review (复核); the department cannot decide it, the authority can.
    let (s, v) = h
        .post(
            "/api/v1/filing/actions",
            Some(&tok),
            &json!({"action": "request_review", "reason": "应当删除而非仅撤回"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "review_requested");
    let (s, v) = h.act(&t, &r, json!({"action": "decide_review", "upheld": true, "reason": "维持"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "wrong_actor");
    let a = h.authority.clone();
    assert_eq!(
        h.act_ok(&a, &r, json!({"action": "decide_review", "upheld": true, "reason": "维持撤回决定"})).await,
        "review_decided"
    );
    let (_, view) = h.get("/api/v1/filing", Some(&tok)).await;
    let states: Vec<&str> = view["timeline"].as_array().unwrap().iter().map(|e| e["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["received", "verifying", "dataset_suspended", "withdrawn", "review_requested", "review_decided"]
    );

    // Processed and reopened: the overlay says open again.
    let (r2, _, _) = h.file(&objection("ds-bus-lines")).await;
    h.act_ok(&t, &r2, json!({"action": "suspend_dataset", "note": "立即中止开放"})).await;
    assert_eq!(overlay(&h).await["ds-bus-lines"]["status"], "suspended");
    assert_eq!(
        h.act_ok(&t, &r2, json!({"action": "reopen_processed", "note": "已脱敏处理,发布新版本"})).await,
        "processed_and_reopened"
    );
    let o = overlay(&h).await;
    assert_eq!(o["ds-bus-lines"]["status"], "open");
    // MISSION B3 (Aba 33 ¶2, Xiangxi 45: 处理后再开放): the reopening is recorded as a new
    // version, with the department's note on what was processed.
    assert_eq!(o["ds-bus-lines"]["reopenings"].as_array().map(Vec::len), Some(1), "{o}");
    assert_eq!(o["ds-bus-lines"]["reopenings"][0]["note"], "已脱敏处理,发布新版本");
    // Unfounded: restored.
    let (r3, _, _) = h.file(&objection("ds-bus-lines")).await;
    h.act_ok(&t, &r3, json!({"action": "start_review"})).await;
    h.act_ok(&t, &r3, json!({"action": "suspend_dataset", "note": "核实中"})).await;
    assert_eq!(h.act_ok(&t, &r3, json!({"action": "restore_dataset", "note": "经核实不含个人信息"})).await, "restored");
    let o = overlay(&h).await;
    assert_eq!(o["ds-bus-lines"]["status"], "open");
    // Restored as it was: the same data, so no new version (only the one reopening above).
    assert_eq!(o["ds-bus-lines"]["reopenings"].as_array().map(Vec::len), Some(1), "{o}");
    // Withdrawing before verification has started is an illegal transition.
    let (r4, _, _) = h.file(&objection("ds-bus-lines")).await;
    let (s, v) = h.act(&t, &r4, json!({"action": "withdraw_dataset", "note": "直接撤回"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "illegal_transition");
    // Objection actions do not apply to applications.
    let (r5, _, _) = h.file(&application()).await;
    let (s, _) = h.act(&t, &r5, json!({"action": "suspend_dataset", "note": "不适用"})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Where the regulation provides no review, asking for one is refused.
    let h = H::new(Db::Sqlite, "xiangxi", at("2026-09-30", 10)).await;
    let (r, tok, _) = h.file(&objection("ds-bus-lines")).await;
    h.act_ok(&h.transport, &r, json!({"action": "start_review"})).await;
    h.act_ok(&h.transport, &r, json!({"action": "restore_dataset", "note": "经核实无问题"})).await;
    let (s, v) =
        h.post("/api/v1/filing/actions", Some(&tok), &json!({"action": "request_review", "reason": "不服"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "review_not_provided");
}

async fn error_report_and_data_request_transitions(db: Db) {
    // Xiangxi 39: 10 working days + at most 10.
    let h = H::new(db, "xiangxi", at("2026-09-30", 10)).await;
    let t = h.transport.clone();
    let (r, tok, receipt) = h.file(&error_report("ds-bus-stops")).await;
    assert!(r.starts_with("JC-2026-"));
    assert_eq!(receipt["deadline"]["date"], "2026-10-20");
    assert_eq!(receipt["deadline"]["article"], "湘西 第三十九条");
    assert_eq!(h.act_ok(&t, &r, json!({"action": "start_review"})).await, "verifying");
    assert_eq!(h.act_ok(&t, &r, json!({"action": "extend", "notice": "需向采集单位核实原始记录", "working_days": 10, "consented_by": "主要负责人"})).await, "extended");
    let (_, view) = h.get("/api/v1/filing", Some(&tok)).await;
    // 10-20 + 10 working days: 10-21 … 11-03.
    assert_eq!(view["deadline"]["date"], "2026-11-03");
    let (s, v) = h
        .act(
            &t,
            &r,
            json!({"action": "extend", "notice": "还需要一天时间", "working_days": 1, "consented_by": "主要负责人"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "extension_too_long");
    assert_eq!(h.act_ok(&t, &r, json!({"action": "correct", "note": "已更正为 25.01"})).await, "corrected");
    let (r2, _, _) = h.file(&error_report("ds-bus-stops")).await;
    assert_eq!(h.act_ok(&t, &r2, json!({"action": "reject", "reason": "经核实原数据无误"})).await, "dismissed");

    // Data requests: to the department named, or to the authority when none is named.
    let health = h.health.clone();
    let (d1, _, receipt) = h.file(&data_request(Some("dept-health"))).await;
    assert!(d1.starts_with("XQ-2026-"));
    assert_eq!(receipt["deadline"]["article"], Value::Null, "Xiangxi 43 names no reply deadline");
    assert_eq!(h.act_ok(&health, &d1, json!({"action": "start_review"})).await, "under_consideration");
    assert_eq!(h.act_ok(&health, &d1, json!({"action": "accept", "note": "将于下季度列入开放清单"})).await, "accepted");
    let (d2, _, _) = h.file(&data_request(None)).await;
    let (s, _) = h.act(&t, &d2, json!({"action": "start_review"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no department owns it");
    let a = h.authority.clone();
    assert_eq!(h.act_ok(&a, &d2, json!({"action": "reject", "reason": "涉及国家秘密,不予开放"})).await, "declined");
    let (s, v) = h.act(&a, &d2, json!({"action": "extend", "notice": "延长", "working_days": 1})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

async fn departments_act_on_their_own_datasets_only(db: Db) {
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let mut clinic = application();
    clinic["datasets"] = json!([{ "id": "ds-clinics" }]);
    let (rc, _, _) = h.file(&clinic).await;
    let (rt, _, _) = h.file(&application()).await;
    // Each department lists only its own filings.
    let (_, lt) = h.get("/api/v1/department/filings", Some(&h.transport)).await;
    let refs: Vec<&str> = lt["filings"].as_array().unwrap().iter().map(|f| f["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, [rt.as_str()]);
    let (_, lh) = h.get("/api/v1/department/filings?kind=application&state=submitted", Some(&h.health)).await;
    assert_eq!(lh["filings"][0]["reference"], rc.as_str());
    assert_eq!(lh["filings"].as_array().unwrap().len(), 1);
    // Transport cannot see, decide or extend health's filing.
    assert_eq!(h.get(&format!("/api/v1/department/filings/{rc}"), Some(&h.transport)).await.0, StatusCode::NOT_FOUND);
    let (s, _) = h.act(&h.transport, &rc, json!({"action": "reject", "reason": "越权驳回"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, show) = h.get(&format!("/api/v1/department/filings/{rc}"), Some(&h.health)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(show["state"], "submitted", "the attempt changed nothing");
    assert_eq!(show["filing"]["applicant"]["id_document"]["number"], "1101**********0078");
    // Nor suspend health's dataset.
    let suspend = json!({"status": "suspended", "note": "越权中止"});
    let (s, v) = h.post("/api/v1/department/datasets/ds-clinics/status", Some(&h.transport), &suspend).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["error"]["code"], "forbidden");
    assert_eq!(overlay(&h).await, json!({}));
    // Health can; then it can withdraw, invalidate and restore; bad values are refused.
    let (s, v) = h.post("/api/v1/department/datasets/ds-clinics/status", Some(&h.health), &suspend).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(overlay(&h).await["ds-clinics"]["status"], "suspended");
    for status in ["withdrawn", "invalid", "open"] {
        let (s, _) = h
            .post(
                "/api/v1/department/datasets/ds-clinics/status",
                Some(&h.health),
                &json!({"status": status, "note": "依法处理"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(overlay(&h).await["ds-clinics"]["status"], status);
    }
    let (s, v) = h
        .post(
            "/api/v1/department/datasets/ds-clinics/status",
            Some(&h.health),
            &json!({"status": "deleted", "note": "依法处理"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["fields"][0]["path"], "status");
    let (s, v) = h
        .post(
            "/api/v1/department/datasets/ds-clinics/status",
            Some(&h.health),
            &json!({"status": "suspended", "note": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["fields"][0]["path"], "note");
    let (s, _) = h.post("/api/v1/department/datasets/ds-nowhere/status", Some(&h.health), &suspend).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The data authority may suspend any dataset (Xiangxi 45: security risk found).
    let (s, _) = h.post("/api/v1/department/datasets/ds-bus-stops/status", Some(&h.authority), &suspend).await;
    assert_eq!(s, StatusCode::OK);
    // The authority sees every filing.
    let (_, la) = h.get("/api/v1/department/filings", Some(&h.authority)).await;
    assert_eq!(la["filings"].as_array().unwrap().len(), 2);
}

async fn evidence_uploads(db: Db) {
    let h = H::new(db, "aba", at("2026-09-30", 10)).await;
    let (r, tok, _) = h.file(&objection("ds-bus-lines")).await;
    let auth = format!("Bearer {tok}");
    let upload = |name: &'static str, ct: &'static str, body: Vec<u8>| {
        let auth = auth.clone();
        let h = &h;
        async move {
            let path = format!("/api/v1/filing/evidence?name={name}");
            let (s, v, _, _) = h.send("POST", &path, &[("authorization", &auth), ("content-type", ct)], body).await;
            (s, v)
        }
    };
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
    let (s, v) = upload("proof.pdf", "application/pdf", pdf.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["media_type"], "application/pdf");
    let id = v["id"].as_i64().unwrap();
    let (s, _) = upload("rows.csv", "text/csv", "行号,姓名\n12,张三\n".as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::CREATED);
    // The same file again (a retry whose answer was lost) is not stored twice.
    let (s, v) = upload("proof.pdf", "application/pdf", pdf.clone()).await;
    assert_eq!((s, v["id"].as_i64()), (StatusCode::CREATED, Some(id)), "{v}");
    // Over 10 MiB: 413 with a JSON message.
    let (s, v) = upload("big.pdf", "application/pdf", [b"%PDF-".to_vec(), vec![b'a'; 10 * 1024 * 1024]].concat()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "too_large");
    assert!(v["error"]["message_zh"].as_str().unwrap().contains("10 MiB"));
    // The bytes decide: an executable named .pdf, and a PNG declared as PDF, are refused.
    let (s, v) = upload("x.pdf", "application/pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(v["error"]["code"], "unsupported_type");
    let (s, v) = upload("x.pdf", "application/pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(v["error"]["message"].as_str().unwrap().contains("image/png"));
    let (s, _) = upload("empty.txt", "text/plain", vec![]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v, _, _) = h
        .send(
            "POST",
            "/api/v1/filing/evidence",
            &[("authorization", &auth), ("content-type", "text/plain")],
            b"hi".to_vec(),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("missing_name")));
    // A wrong token uploads nothing.
    let wrong = format!("Bearer {}", super::super::token::new_token());
    let (s, _, _, _) = h
        .send(
            "POST",
            "/api/v1/filing/evidence?name=a.txt",
            &[("authorization", &wrong), ("content-type", "text/plain")],
            b"hi".to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The department downloads the file as an attachment; another department cannot.
    let (s, _, headers, bytes) = h
        .send(
            "GET",
            &format!("/api/v1/department/filings/{r}/evidence/{id}"),
            &[("authorization", &format!("Bearer {}", h.transport))],
            vec![],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(bytes, pdf);
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let log = h.intake.audit_log(None, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "evidence.download"
        && e.subject == r
        && e.actor.starts_with("department:dept-transport")));
    let (s, _, _, _) = h
        .send(
            "GET",
            &format!("/api/v1/department/filings/{r}/evidence/{id}"),
            &[("authorization", &format!("Bearer {}", h.health))],
            vec![],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, view) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(view["evidence"].as_array().unwrap().len(), 2);
    // At most 10 files.
    for i in 0..8 {
        let (s, _) = upload("more.txt", "text/plain", format!("补充材料 {i}").into_bytes()).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (s, v) = upload("eleventh.txt", "text/plain", b"one too many".to_vec()).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("too_many_files")));
    // A closed filing takes no more files.
    let (r2, tok2, _) = h.file(&objection("ds-bus-lines")).await;
    h.act_ok(&h.transport, &r2, json!({"action": "start_review"})).await;
    h.act_ok(&h.transport, &r2, json!({"action": "restore_dataset", "note": "经核实无问题"})).await;
    let (s, v, _, _) = h
        .send(
            "POST",
            "/api/v1/filing/evidence?name=late.txt",
            &[("authorization", &format!("Bearer {tok2}")), ("content-type", "text/plain")],
            b"late".to_vec(),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("filing_closed")));
}

async fn audit_log_is_append_only_and_masked(db: Db) {
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let full_id = "110102199101010078";
    let (r, _, _) = h.file(&application()).await;
    let (o, _, _) = h.file(&objection("ds-bus-lines")).await;
    h.act_ok(&h.transport, &r, json!({"action": "start_review"})).await;
    h.act_ok(&h.transport, &o, json!({"action": "suspend_dataset", "note": "核实中"})).await;
    let log = h.intake.audit_log(None, None).await.unwrap();
    let actions: Vec<(&str, &str)> = log.iter().map(|e| (e.action.as_str(), e.subject.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("token.create", "dept-transport"),
            ("token.create", "dept-health"),
            ("token.create", "authority"),
            ("filing.create", r.as_str()),
            ("filing.create", o.as_str()),
            ("filing.transition", r.as_str()),
            ("dataset.status", "ds-bus-lines"),
            ("filing.transition", o.as_str()),
        ]
    );
    assert!(log[3].detail.contains("1101**********0078"), "{}", log[3].detail);
    assert!(log[4].detail.contains("4401**********001X"), "{}", log[4].detail);
    assert!(log[5].actor.starts_with("department:dept-transport"));
    // No full identity number anywhere in the database.
    let pool = &h.intake.db.pool;
    for (table, column) in
        [("filings", "body"), ("audit_log", "detail"), ("timeline", "note"), ("filings", "body_hash")]
    {
        let rows = sqlx::query(&format!("SELECT {column} AS v FROM {table}")).fetch_all(pool).await.unwrap();
        for row in rows {
            let v: Option<String> = sqlx::Row::try_get(&row, "v").unwrap();
            let v = v.unwrap_or_default();
            assert!(!v.contains(full_id) && !v.contains("44011320141005001X"), "{table}.{column}: {v}");
        }
    }
    // Tokens are stored hashed only.
    let rows = sqlx::query("SELECT token_hash FROM department_tokens").fetch_all(pool).await.unwrap();
    let hashes: Vec<String> = rows.iter().map(|r| sqlx::Row::try_get(r, "token_hash").unwrap()).collect();
    assert!(!hashes.contains(&h.transport));
    assert!(hashes.contains(&super::super::token::token_hash(&h.transport)));
    // The database itself refuses to rewrite or delete the log (Xiangxi 19, MISSION I).
    assert!(sqlx::query("UPDATE audit_log SET actor = 'someone else'").execute(pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(pool).await.is_err());
    assert_eq!(h.intake.audit_log(None, None).await.unwrap().len(), log.len());
}

/// Xiangxi 19 (logs kept at least 3 years, 行为溯源), MISSION I: no statement removes a young
/// entry — DELETE, UPDATE, TRUNCATE (PostgreSQL) or the intake's own prune; entries past
/// the retention period can be archived (exported) and then pruned; a department opening
/// a filing is logged.
async fn audit_log_keeps_three_years_xiangxi_19(db: Db) {
    let postgres = matches!(db, Db::Postgres);
    let h = H::new(db, "yunnan", at("2026-09-30", 10)).await;
    let pool = h.intake.db.pool.clone();
    let (r, _, _) = h.file(&application()).await;
    // Opening a filing (personal data) is logged before it is shown; listing is not an opening.
    h.get("/api/v1/department/filings", Some(&h.transport)).await;
    let (s, _) = h.get(&format!("/api/v1/department/filings/{r}"), Some(&h.transport)).await;
    assert_eq!(s, StatusCode::OK);
    let log = h.intake.audit_log(None, None).await.unwrap();
    let views: Vec<_> = log.iter().filter(|e| e.action == "filing.view").collect();
    assert_eq!(views.len(), 1, "{log:?}");
    assert_eq!(
        (views[0].subject.as_str(), views[0].actor.starts_with("department:dept-transport")),
        (r.as_str(), true)
    );
    // Acting answers with the filing but is logged as the action, not as an opening.
    h.act_ok(&h.transport, &r, json!({"action": "start_review"})).await;
    let n = h.intake.audit_log(None, None).await.unwrap().len();
    assert_eq!(n, log.len() + 1);
    // An entry from four years ago (a database carried over from an older install).
    sqlx::query("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ('2022-06-01T00:00:00Z', 'cli', 'token.create', 'old', '{}')")
        .execute(&pool)
        .await
        .unwrap();
    // Young entries: no way to remove or change one.
    let young = "DELETE FROM audit_log WHERE action = 'filing.view'";
    assert!(sqlx::query(young).execute(&pool).await.is_err());
    assert!(
        sqlx::query("UPDATE audit_log SET detail = '{}' WHERE subject = 'old'").execute(&pool).await.is_err(),
        "no UPDATE, however old"
    );
    if postgres {
        let e = sqlx::query("TRUNCATE audit_log").execute(&pool).await.unwrap_err();
        assert!(e.to_string().contains("cannot be truncated"), "{e}");
    }
    let (code, en) = match h.intake.audit_prune("2026-12-31T00:00:00Z").await {
        Err(super::super::IntakeError::Conflict { code, en, .. }) => (code, en),
        other => panic!("pruning young entries must fail: {other:?}"),
    };
    assert_eq!(code, "audit_retention");
    assert!(en.contains("3 years"), "{en}");
    assert_eq!(h.intake.audit_log(None, None).await.unwrap().len(), n + 1, "nothing removed");
    // Archive the old period, then prune it: only the old entry goes, and the pruning is logged.
    let archive = h.intake.audit_log(None, Some("2023-01-01T00:00:00Z")).await.unwrap();
    assert_eq!(archive.iter().map(|e| e.subject.as_str()).collect::<Vec<_>>(), ["old"]);
    assert_eq!(h.intake.audit_prune("2023-01-01T00:00:00Z").await.unwrap(), 1);
    let after = h.intake.audit_log(None, None).await.unwrap();
    assert_eq!(after.len(), n + 1, "old entry gone, prune entry added");
    assert!(after.iter().all(|e| e.subject != "old"));
    assert_eq!(after.last().map(|e| e.action.as_str()), Some("audit.prune"));
}

async fn overdue_replies_are_flagged(db: Db) {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;
    let now = Arc::new(AtomicI64::new(at("2026-09-30", 10)));
    let clock = super::Clock({
        let now = now.clone();
        Arc::new(move || now.load(Ordering::SeqCst))
    });
    let h = H::with(db, "yunnan", clock, None).await;
    let (r, tok, receipt) = h.file(&application()).await;
    assert_eq!(receipt["deadline"]["date"], "2026-10-27");
    // On the deadline day itself the reply is not late yet.
    now.store(at("2026-10-27", 23), Ordering::SeqCst);
    assert_eq!(h.get("/api/v1/filing", Some(&tok)).await.1["overdue"], false);
    // The day after, it is — for the filer and in the department's list.
    now.store(at("2026-10-28", 9), Ordering::SeqCst);
    assert_eq!(h.get("/api/v1/filing", Some(&tok)).await.1["overdue"], true);
    assert_eq!(h.get("/api/v1/department/filings", Some(&h.transport)).await.1["filings"][0]["overdue"], true);
    // Once answered, nothing is owed.
    h.act_ok(&h.transport.clone(), &r, json!({"action": "reject", "reason": "逾期答复,不予开放"})).await;
    assert_eq!(h.get("/api/v1/filing", Some(&tok)).await.1["overdue"], false);
}

#[test]
fn every_route_is_documented() {
    let doc = include_str!("../../../../../docs/intake-api.yaml");
    // The routes of every file that adds some under /api/v1.
    let api = [
        include_str!("../api.rs"),
        include_str!("../auth/mod.rs"),
        include_str!("../mine.rs"),
        include_str!("../desk_api.rs"),
    ]
    .concat();
    let routes: Vec<&str> = api
        .lines()
        .filter_map(|l| l.trim().strip_prefix(".route(\"/api/v1"))
        .map(|r| r.split('"').next().unwrap())
        .collect();
    assert!(routes.len() >= 14, "{routes:?}");
    for r in routes {
        assert!(doc.contains(&format!("  {r}:")), "{r} is not in docs/intake-api.yaml");
    }
}

/// A clock the test moves.
pub(super) fn movable(start: i64) -> (std::sync::Arc<std::sync::atomic::AtomicI64>, super::Clock) {
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(start));
    let shared = now.clone();
    (now, super::Clock(std::sync::Arc::new(move || shared.load(std::sync::atomic::Ordering::SeqCst))))
}

fn timeline(view: &Value) -> Vec<(String, String)> {
    view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap().into(), e["action"].as_str().unwrap().into()))
        .collect()
}

/// Xiangxi 35 (MISSION C3): the department's 审核, then the authority's 审批, each actor,
/// reason and time on the timeline, one 10-working-day clock across both; an extension
/// needs the department's 主要负责人 and is refused past 10 working days.
async fn xiangxi_35_two_step_approval_with_consented_extension(db: Db) {
    let h = H::new(db, "xiangxi", at("2026-09-30", 10)).await;
    let (r, tok, receipt) = h.file(&application()).await;
    assert_eq!(receipt["deadline"]["date"], "2026-10-20");
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(v["approval"], json!({"step": 1, "steps": 2, "with": "department"}));
    h.act_ok(&h.transport, &r, json!({"action": "start_review"})).await;
    let approve = json!({"action": "approve", "scope": "全部字段", "period": {"start": "2027-01-01", "end": "2027-12-31"}, "agreement": "协议 XY-17"});
    let (s, v) = h.act(&h.transport, &r, approve.clone()).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("illegal_transition")),
        "the department cannot approve alone"
    );
    // Extension: consent of the 主要负责人 named, or refused.
    let (s, v) =
        h.act(&h.transport, &r, json!({"action": "extend", "notice": "需会同网信部门评估", "working_days": 3})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["path"], "consented_by");
    let consented = json!({"action": "extend", "notice": "需会同网信部门评估", "working_days": 3, "consented_by": "张三(局长,主要负责人)"});
    h.act_ok(&h.transport, &r, consented).await;
    let (s, v) = h
        .act(
            &h.transport,
            &r,
            json!({"action": "extend", "notice": "再次延长评估", "working_days": 8, "consented_by": "张三"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("extension_too_long")),
        "10 in all at most"
    );
    assert_eq!(
        h.act_ok(&h.transport, &r, json!({"action": "pass_review", "opinion": "用途合规,建议批准"})).await,
        "awaiting_approval"
    );
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(v["approval"], json!({"step": 2, "steps": 2, "with": "authority"}));
    assert_eq!(v["deadline"]["date"], "2026-10-23", "one clock: 10 + 3 working days from receipt, not restarted");
    let extend = &v["timeline"][2];
    assert_eq!(
        (extend["action"].as_str(), extend["consented_by"].as_str()),
        (Some("extend"), Some("张三(局长,主要负责人)"))
    );
    assert_eq!(extend["note"], "需会同网信部门评估");
    // The second step is the authority's, from its queue.
    let (s, v) = h.act(&h.transport, &r, approve.clone()).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("wrong_actor")));
    let (_, queue) = h.get("/api/v1/department/filings?state=awaiting_approval", Some(&h.authority)).await;
    assert_eq!(queue["filings"][0]["reference"], r.as_str());
    assert_eq!(h.act_ok(&h.authority, &r, approve).await, "approved");
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    let steps: Vec<(String, String)> =
        ["filer submit", "department start_review", "department extend", "department pass_review", "authority approve"]
            .iter()
            .map(|s| s.split_once(' ').map(|(a, b)| (a.to_string(), b.to_string())).unwrap())
            .collect();
    assert_eq!(timeline(&v), steps);
    assert_eq!(v["timeline"][3]["note"], "用途合规,建议批准");
    assert!(v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["at"].as_str().is_some_and(|a| a.starts_with("2026-09-30T"))));
    assert_eq!(v["approval"], Value::Null, "decided");
    // The authority refuses with a reason, which the filer reads.
    let (r2, tok2, _) = h.file(&application()).await;
    h.act_ok(&h.transport, &r2, json!({"action": "pass_review", "opinion": "审核通过"})).await;
    let (s, _) = h.act(&h.authority, &r2, json!({"action": "reject", "reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a refusal states its reason");
    assert_eq!(
        h.act_ok(&h.authority, &r2, json!({"action": "reject", "reason": "超出开放条件的使用范围"})).await,
        "rejected"
    );
    let (_, v) = h.get("/api/v1/filing", Some(&tok2)).await;
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["actor"].as_str(), last["note"].as_str()), (Some("authority"), Some("超出开放条件的使用范围")));
}

/// Xiangxi 35 (MISSION C3): "数据提供部门可以委托州大数据管理部门代为审核和管理" — the data
/// authority takes the department's review step under an entrustment it names, which the
/// filer reads on the timeline; without one the step stays the department's.
async fn xiangxi_35_review_entrusted_to_the_authority(db: Db) {
    let h = H::new(db, "xiangxi", at("2026-09-30", 10)).await;
    let (r, tok, _) = h.file(&application()).await;
    let (s, v) = h.act(&h.authority, &r, json!({"action": "pass_review", "opinion": "审核通过"})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_actor")),
        "not without an entrustment"
    );
    let entrusted = json!({"action": "pass_review", "opinion": "代为审核:用途合规", "entrustment": "州交通运输局委托(委托书 2026-3 号)"});
    let (s, v) = h.act(&h.transport, &r, entrusted.clone()).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_actor")),
        "an entrusted review is the authority's"
    );
    assert_eq!(h.act_ok(&h.authority, &r, entrusted).await, "awaiting_approval");
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    let review = &v["timeline"][1];
    assert_eq!((review["actor"].as_str(), review["action"].as_str()), (Some("authority"), Some("pass_review")));
    assert_eq!(review["entrustment"], "州交通运输局委托(委托书 2026-3 号)");
    assert_eq!(v["approval"], json!({"step": 2, "steps": 2, "with": "authority"}), "审批 still follows");
    // Refusing in the department's place names the entrustment too.
    let (r2, tok2, _) = h.file(&application()).await;
    let refuse = json!({"action": "reject", "reason": "用途超出开放条件", "entrustment": "州交通运输局委托"});
    assert_eq!(h.act_ok(&h.authority, &r2, refuse).await, "rejected");
    let (_, v) = h.get("/api/v1/filing", Some(&tok2)).await;
    assert_eq!(v["timeline"][1]["entrustment"], "州交通运输局委托");
}

/// Aba 20 ¶3 (MISSION E1): a report filed with the data authority is forwarded within 2
/// working days (overdue if not); the department's 5-working-day limit then runs from the
/// day it receives it, extended at most to 10 with its head's (负责人) approval.
async fn aba_20_error_report_forwarded_by_the_authority(db: Db) {
    use std::sync::atomic::Ordering;
    let (now, clock) = movable(at("2026-09-30", 10));
    let h = H::with(db, "aba", clock, None).await;
    let (r, tok, receipt) = h.file(&error_report("ds-bus-stops")).await;
    assert_eq!(receipt["state"], "awaiting_forwarding");
    // 2 working days after Wednesday 09-30: 10-08, 10-09 (National Day between).
    assert_eq!(receipt["deadline"]["date"], "2026-10-09");
    assert_eq!(
        (receipt["deadline"]["working_days"].as_u64(), receipt["deadline"]["article"].as_str()),
        (Some(2), Some("阿坝 第二十条第三款"))
    );
    // Not the department's until forwarded.
    assert_eq!(h.get(&format!("/api/v1/department/filings/{r}"), Some(&h.transport)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(h.get("/api/v1/department/filings", Some(&h.transport)).await.1["filings"], json!([]));
    now.store(at("2026-10-09", 23), Ordering::SeqCst);
    assert_eq!(h.get("/api/v1/filing", Some(&tok)).await.1["overdue"], false);
    // Saturday 10-10 is a working day (调休): the forwarding is late.
    now.store(at("2026-10-10", 9), Ordering::SeqCst);
    assert_eq!(h.get("/api/v1/filing", Some(&tok)).await.1["overdue"], true);
    assert_eq!(h.get("/api/v1/department/filings", Some(&h.authority)).await.1["filings"][0]["overdue"], true);
    assert_eq!(
        h.act_ok(&h.authority, &r, json!({"action": "forward", "note": "已转交市交通运输局校核"})).await,
        "received"
    );
    // The department's 5 working days from 10-10: 10-12 … 10-16.
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(
        (v["deadline"]["date"].as_str(), v["deadline"]["article"].as_str()),
        (Some("2026-10-16"), Some("阿坝 第二十条"))
    );
    assert_eq!(v["overdue"], false);
    h.act_ok(&h.transport, &r, json!({"action": "start_review"})).await;
    let (s, v) = h
        .act(
            &h.transport,
            &r,
            json!({"action": "extend", "notice": "情况复杂,需现场核实", "working_days": 6, "consented_by": "李局长"}),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("extension_too_long")), "10 in all");
    h.act_ok(&h.transport, &r, json!({"action": "extend", "notice": "情况复杂,需现场核实", "working_days": 5, "consented_by": "李局长(负责人)"})).await;
    let (_, v) = h.get("/api/v1/filing", Some(&tok)).await;
    assert_eq!(v["deadline"]["date"], "2026-10-23");
    let expected: Vec<(String, String)> =
        [("filer", "submit"), ("authority", "forward"), ("department", "start_review"), ("department", "extend")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(timeline(&v), expected);
    assert_eq!(v["timeline"][1]["note"], "已转交市交通运输局校核");
}
