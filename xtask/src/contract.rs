//! The contract stage of `cargo xtask test`: Schemathesis checks the served intake against
//! `docs/intake-api.yaml` — every status code, content type and body an operation answers
//! must be the ones the description lists, and nothing may answer 5xx.
//!
//! It runs against a real `kaifang intake-serve` (the intake's routes without the edge's
//! rate limits, which would turn Schemathesis's hundreds of requests into 429s) on a small
//! catalog, with two tokens so the requests reach the real logic: a department token
//! (`kaifang review token create`) for `/department/…`, and the receipt token of a filing
//! about that department's dataset for `/filing…`. `contract/schemathesis.toml` says which
//! operation gets which.

use crate::build::target_dir;
use crate::proc::{root, start_server, Guard, Result};
use crate::tools;
use std::path::Path;
use std::process::Command;

/// The department that owns `hb-aqi` in the test catalog (`crates/cli/tests/data/source-ok`).
const DEPARTMENT: &str = "sthjj";
/// Generated cases per operation and phase: enough to cover each status, a few minutes.
const MAX_EXAMPLES: &str = "40";

pub fn run(kaifang: &Path) -> Result<()> {
    let schemathesis = tools::ensure_schemathesis()?;
    let work = target_dir().join("contract");
    let _ = std::fs::remove_dir_all(&work);
    let catalog = test_catalog(kaifang, &work)?;
    let database = format!("sqlite:{}", work.join("intake.sqlite").display());

    let department_token = token(kaifang, &database, &catalog)?;
    let (intake, addr) = start(kaifang, &database, &catalog)?;
    let filer_token = file_one(&addr)?;

    let mut st = Command::new(&schemathesis);
    st.current_dir(root().join("contract"))
        .args(["run", "../docs/intake-api.yaml", "--url", &format!("http://{addr}/api/v1")])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", "14", "--no-color"])
        .env("KAIFANG_DEPARTMENT_TOKEN", department_token)
        .env("KAIFANG_FILER_TOKEN", filer_token);
    let outcome = crate::proc::run(&mut st);
    drop(intake);
    outcome
}

/// The CLI's small test catalog (`crates/cli/tests/data/source-ok`) built into `work/catalog`.
pub fn test_catalog(kaifang: &Path, work: &Path) -> Result<std::path::PathBuf> {
    let catalog = work.join("catalog");
    let source = root().join("crates/cli/tests/data/source-ok");
    crate::proc::run(Command::new(kaifang).args(["catalog", "build"]).arg(&source).arg("--out").arg(&catalog))?;
    Ok(catalog)
}

/// A department token for [`DEPARTMENT`], made on the database before the intake starts.
fn token(kaifang: &Path, database: &str, catalog: &Path) -> Result<String> {
    let out = Command::new(kaifang)
        .args(["review", "--database", database, "--catalog"])
        .arg(catalog)
        .args(["token", "create", "--department", DEPARTMENT])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let start = text.find("\"token\": \"").ok_or_else(|| format!("no token in {text}"))? + 10;
    Ok(text[start..].split('"').next().unwrap_or_default().to_string())
}

/// `kaifang intake-serve` on a free loopback port; its address.
fn start(kaifang: &Path, database: &str, catalog: &Path) -> Result<(Guard, String)> {
    let mut c = Command::new(kaifang);
    c.args(["intake-serve", "--database", database, "--catalog"]).arg(catalog).args(["--listen", "127.0.0.1:0"]);
    start_server(&mut c)
}

/// Files an error report about the department's dataset; its receipt token.
fn file_one(addr: &str) -> Result<String> {
    let answer = crate::http::post_json(addr, "/api/v1/filings", &[], ERROR_REPORT)?;
    if answer.status != 201 {
        return Err(format!("filing the contract test's filing failed: {} {}", answer.status, answer.body));
    }
    crate::http::json_str(&answer.body, "token").ok_or_else(|| "no token in the receipt".into())
}

/// An error report about `hb-aqi`, the department's dataset in the test catalog.
pub const ERROR_REPORT: &str = r#"{"kind":"error_report","reporter":{"name":"王五","contact":{"phone":"0871-65432100"}},"dataset_id":"hb-aqi","location":{"row":2,"field":"aqi"},"current_value":"-1","proposed_value":"41","explanation":"数值不可能为负。"}"#;
