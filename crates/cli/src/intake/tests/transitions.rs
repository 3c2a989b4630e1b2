//! Every transition over the API, against an oracle written from the regulations (not
//! from the code): each allowed (state, action) pair is walked on a fresh filing and must
//! land in the listed state; every other action in every reachable state must be refused
//! with `illegal_transition` and change nothing. Run on SQLite and PostgreSQL.

use std::collections::{BTreeMap, VecDeque};

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{application, at, data_request, error_report, objection, Db, H};

/// (kind, from, action, to)
const ORACLE: &[(&str, &str, &str, &str)] = &[
    ("application", "submitted", "start_review", "under_review"),
    ("application", "submitted", "approve", "approved"),
    ("application", "submitted", "reject", "rejected"),
    ("application", "under_review", "extend", "extended"),
    ("application", "under_review", "request_information", "information_requested"),
    ("application", "under_review", "approve", "approved"),
    ("application", "under_review", "reject", "rejected"),
    ("application", "extended", "extend", "extended"),
    ("application", "extended", "request_information", "information_requested"),
    ("application", "extended", "approve", "approved"),
    ("application", "extended", "reject", "rejected"),
    ("application", "information_requested", "supply_information", "under_review"),
    ("application", "information_requested", "reject", "rejected"),
    ("objection", "received", "start_review", "verifying"),
    ("objection", "received", "suspend_dataset", "dataset_suspended"),
    ("objection", "verifying", "suspend_dataset", "dataset_suspended"),
    ("objection", "verifying", "withdraw_dataset", "withdrawn"),
    ("objection", "verifying", "restore_dataset", "restored"),
    ("objection", "verifying", "reopen_processed", "processed_and_reopened"),
    ("objection", "dataset_suspended", "withdraw_dataset", "withdrawn"),
    ("objection", "dataset_suspended", "restore_dataset", "restored"),
    ("objection", "dataset_suspended", "reopen_processed", "processed_and_reopened"),
    ("objection", "withdrawn", "request_review", "review_requested"),
    ("objection", "restored", "request_review", "review_requested"),
    ("objection", "processed_and_reopened", "request_review", "review_requested"),
    ("objection", "review_requested", "decide_review", "review_decided"),
    // Aba 20 ¶3: filed with the data authority, which forwards it to the department.
    ("error_report", "awaiting_forwarding", "forward", "received"),
    ("error_report", "received", "start_review", "verifying"),
    ("error_report", "received", "correct", "corrected"),
    ("error_report", "received", "reject", "dismissed"),
    ("error_report", "verifying", "extend", "extended"),
    ("error_report", "verifying", "correct", "corrected"),
    ("error_report", "verifying", "reject", "dismissed"),
    ("error_report", "extended", "extend", "extended"),
    ("error_report", "extended", "correct", "corrected"),
    ("error_report", "extended", "reject", "dismissed"),
    ("data_request", "received", "start_review", "under_consideration"),
    ("data_request", "received", "accept", "accepted"),
    ("data_request", "received", "reject", "declined"),
    ("data_request", "under_consideration", "accept", "accepted"),
    ("data_request", "under_consideration", "reject", "declined"),
];

const ACTIONS: &[&str] = &[
    "start_review",
    "extend",
    "request_information",
    "supply_information",
    "approve",
    "reject",
    "correct",
    "accept",
    "suspend_dataset",
    "withdraw_dataset",
    "restore_dataset",
    "reopen_processed",
    "request_review",
    "decide_review",
    "pass_review",
    "forward",
];

/// A complete payload for each action.
fn action(name: &str) -> Value {
    match name {
        "start_review" => json!({"action": name}),
        "extend" => {
            json!({"action": name, "notice": "需要进一步核实,延长答复", "working_days": 1, "consented_by": "负责人"})
        }
        "request_information" => json!({"action": name, "message": "请补充材料说明"}),
        "supply_information" => json!({"action": name, "text": "补充说明如下"}),
        "approve" => {
            json!({"action": name, "scope": "全部字段", "period": {"start": "2027-01-01", "end": "2027-12-31"}, "agreement": "协议 2027-01"})
        }
        "decide_review" => json!({"action": name, "upheld": false, "reason": "复核后改变原决定"}),
        "reject" | "request_review" => json!({"action": name, "reason": "理由如下所述"}),
        "pass_review" => json!({"action": name, "opinion": "审核通过"}),
        _ => json!({"action": name, "note": "处理说明"}),
    }
}

fn initial(kind: &str) -> (&'static str, Value) {
    match kind {
        "application" => ("submitted", application()),
        "objection" => ("received", objection("ds-bus-lines")),
        // Aba routes error reports through the authority (Aba 20 ¶3).
        "error_report" => ("awaiting_forwarding", error_report("ds-bus-stops")),
        _ => ("received", data_request(Some("dept-health"))),
    }
}

/// Acts as whoever the action belongs to; answers status and body.
async fn perform(h: &H, kind: &str, reference: &str, receipt: &str, name: &str) -> (StatusCode, Value) {
    match name {
        "supply_information" | "request_review" => h.post("/api/v1/filing/actions", Some(receipt), &action(name)).await,
        "decide_review" | "forward" => h.act(&h.authority, reference, action(name)).await,
        _ => {
            let dept = if kind == "data_request" { &h.health } else { &h.transport };
            h.act(dept, reference, action(name)).await
        }
    }
}

async fn state_of(h: &H, receipt: &str) -> String {
    h.get("/api/v1/filing", Some(receipt)).await.1["state"].as_str().unwrap().to_string()
}

/// The shortest action path from the initial state to each state of `kind`.
fn paths(kind: &str) -> BTreeMap<&'static str, Vec<&'static str>> {
    let start = initial(kind).0;
    let mut out = BTreeMap::from([(start, vec![])]);
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for &(k, from, act, to) in ORACLE {
            if k == kind && from == s && !out.contains_key(to) {
                let mut p = out[s].clone();
                p.push(act);
                out.insert(to, p);
                queue.push_back(to);
            }
        }
    }
    out
}

async fn reach(h: &H, kind: &str, path: &[&str]) -> (String, String) {
    let (_, tok, r) = h.file(&initial(kind).1).await;
    let reference = r["reference"].as_str().unwrap().to_string();
    for step in path {
        let (s, v) = perform(h, kind, &reference, &tok, step).await;
        assert_eq!(s, StatusCode::OK, "{kind} {path:?} at {step}: {v}");
    }
    (reference, tok)
}

async fn every_transition(db: Db) {
    // Aba provides the review (复核) of objection outcomes.
    let h = H::new(db, "aba", at("2026-09-30", 10)).await;
    let mut walked = 0;
    for kind in ["application", "objection", "error_report", "data_request"] {
        let paths = paths(kind);
        for (state, path) in &paths {
            // Allowed: each on a fresh filing brought to `state`.
            let allowed: Vec<(&str, &str)> =
                ORACLE.iter().filter(|t| t.0 == kind && t.1 == *state).map(|t| (t.2, t.3)).collect();
            for (act, to) in &allowed {
                let (reference, tok) = reach(&h, kind, path).await;
                let (s, v) = perform(&h, kind, &reference, &tok, act).await;
                assert_eq!(s, StatusCode::OK, "{kind}: {state} --{act}--> {to}: {v}");
                assert_eq!(v["state"], *to, "{kind}: {state} --{act}-->");
                assert_eq!(state_of(&h, &tok).await, *to);
                walked += 1;
            }
            // Refused: every other action, on one filing in `state`, which must not move.
            let (reference, tok) = reach(&h, kind, path).await;
            for act in ACTIONS.iter().filter(|a| !allowed.iter().any(|(x, _)| x == *a)) {
                let (s, v) = perform(&h, kind, &reference, &tok, act).await;
                // Not yet forwarded, the filing is not the department's to see (Aba 20 ¶3).
                let departments =
                    !matches!(*act, "supply_information" | "request_review" | "decide_review" | "forward");
                if *state == "awaiting_forwarding" && departments {
                    assert_eq!(s, StatusCode::NOT_FOUND, "{kind}: {state} --{act}--> {v}");
                    continue;
                }
                assert_eq!(s, StatusCode::CONFLICT, "{kind}: {state} --{act}--> must be refused: {v}");
                assert_eq!(v["error"]["code"], "illegal_transition", "{kind}: {state} --{act}");
                assert_eq!(state_of(&h, &tok).await, *state);
            }
        }
        let states: Vec<&str> = paths.keys().copied().collect();
        let expected = match kind {
            "application" => 6,
            "objection" => 8,
            "error_report" => 6,
            _ => 4,
        };
        assert_eq!(states.len(), expected, "{kind}: every state is reachable: {states:?}");
    }
    assert_eq!(walked, ORACLE.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transition_sqlite() {
    every_transition(Db::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transition_postgres() {
    every_transition(Db::Postgres).await
}
