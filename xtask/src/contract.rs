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
use crate::proc::{root, Result};
use crate::tools;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The department that owns `hb-aqi` in the test catalog (`crates/cli/tests/data/source-ok`).
const DEPARTMENT: &str = "sthjj";
/// Generated cases per operation and phase: enough to cover each status, a few minutes.
const MAX_EXAMPLES: &str = "40";

struct Intake(Child);

impl Drop for Intake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(kaifang: &Path) -> Result<()> {
    let schemathesis = tools::ensure_schemathesis()?;
    let work = target_dir().join("contract");
    let _ = std::fs::remove_dir_all(&work);
    let catalog = work.join("catalog");
    let source = root().join("crates/cli/tests/data/source-ok");
    crate::proc::run(Command::new(kaifang).args(["catalog", "build"]).arg(&source).arg("--out").arg(&catalog))?;
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
fn start(kaifang: &Path, database: &str, catalog: &Path) -> Result<(Intake, String)> {
    let mut child = Command::new(kaifang)
        .args(["intake-serve", "--database", database, "--catalog"])
        .arg(catalog)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the intake: {e}"))?;
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut first).map_err(|e| e.to_string())?;
    let intake = Intake(child);
    let addr = first.trim().rsplit("http://").next().unwrap_or_default().to_string();
    if !addr.contains(':') {
        return Err(format!("the intake did not start: {first:?}"));
    }
    Ok((intake, addr))
}

/// Files an error report about the department's dataset; its receipt token.
fn file_one(addr: &str) -> Result<String> {
    let body = r#"{"kind":"error_report","reporter":{"name":"王五","contact":{"phone":"0871-65432100"}},"dataset_id":"hb-aqi","location":{"row":2,"field":"aqi"},"current_value":"-1","proposed_value":"41","explanation":"数值不可能为负。"}"#;
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let head = format!("POST /api/v1/filings HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).and_then(|_| s.write_all(body.as_bytes())).map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    if !answer.starts_with("HTTP/1.1 201") {
        return Err(format!("filing the contract test's filing failed: {answer}"));
    }
    let start = answer.find("\"token\":\"").ok_or("no token in the receipt")? + 9;
    Ok(answer[start..].split('"').next().unwrap_or_default().to_string())
}
