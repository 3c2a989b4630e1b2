//! Every vector of the shared ID test file (python-stdnum's GB 11643 / GB 32100 tests).

use kaifang_core::ids::{CreditCode, IdError, ResidentId};
use serde_json::Value;

const VECTORS: &str = include_str!("data/cn-id-vectors.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("vector file is JSON")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string")).collect()
}

fn expected_error(why: &str) -> IdError {
    if why.starts_with("length") {
        IdError::Length
    } else if why.starts_with("format") {
        IdError::Format
    } else if why.starts_with("birth date") {
        IdError::BirthDate
    } else if why.starts_with("check") {
        IdError::Check
    } else {
        panic!("unknown reason {why}")
    }
}

#[test]
fn every_valid_credit_code_passes() {
    let v = vectors();
    let valid = strings(&v["uscc"]["valid"]);
    assert_eq!(valid.len(), 200);
    for s in valid {
        assert_eq!(CreditCode::parse(s).map(|c| c.as_str().to_string()), Ok(s.to_string()), "{s}");
    }
}

#[test]
fn every_invalid_credit_code_fails_for_its_reason() {
    let v = vectors();
    for case in v["uscc"]["invalid"].as_array().unwrap() {
        let (s, why) = (case["value"].as_str().unwrap(), case["why"].as_str().unwrap());
        assert_eq!(CreditCode::parse(s).unwrap_err(), expected_error(why), "{s}: {why}");
    }
    for case in v["uscc"]["normalise"].as_array().unwrap() {
        let got = CreditCode::parse(case["input"].as_str().unwrap()).unwrap();
        assert_eq!(got.as_str(), case["value"].as_str().unwrap());
    }
}

#[test]
fn resident_ids() {
    let v = vectors();
    for s in strings(&v["resident_id"]["valid"]) {
        assert_eq!(ResidentId::parse(s).map(|r| r.as_str().to_string()), Ok(s.to_string()), "{s}");
    }
    for case in v["resident_id"]["invalid"].as_array().unwrap() {
        let (s, why) = (case["value"].as_str().unwrap(), case["why"].as_str().unwrap());
        assert_eq!(ResidentId::parse(s).unwrap_err(), expected_error(why), "{s}: {why}");
    }
    for case in v["resident_id"]["normalise"].as_array().unwrap() {
        let got = ResidentId::parse(case["input"].as_str().unwrap()).unwrap();
        assert_eq!(got.as_str(), case["value"].as_str().unwrap());
    }
}

/// The copy here must not drift from the project's shared test data when that is present.
#[test]
fn copy_matches_shared_vectors() {
    if let Some((shared, text)) = shared_file("testdata/ids/cn-id-vectors.json") {
        assert_eq!(text, VECTORS, "crates/core/tests/data/cn-id-vectors.json differs from {shared}");
    }
}

#[test]
fn holiday_copy_matches_shared_data() {
    let ours = include_str!("../data/cn-holidays-2020-2026.json");
    if let Some((shared, text)) = shared_file("data/cn-holidays-2020-2026.json") {
        assert_eq!(text, ours, "crates/core/data/cn-holidays-2020-2026.json differs from {shared}");
    }
}

/// `../shared/<rel>` beside the project (a checkout at `/work/main` or a worktree one
/// level deeper); `None` in a fresh clone without it.
fn shared_file(rel: &str) -> Option<(String, String)> {
    ["../../../shared", "../../../../shared"].iter().find_map(|up| {
        let path = format!("{}/{up}/{rel}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).ok().map(|t| (path, t))
    })
}
