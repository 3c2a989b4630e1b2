//! MISSION I (durable intake), C4. Nothing acknowledged is lost: the real `kaifang` binary serves the intake on SQLite,
//! takes a burst of filings from several clients, is killed with SIGKILL mid-burst and
//! restarted; every filing that had been answered 201 must be there. The same database is
//! then worked with `kaifang review` while the server runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_kaifang");

fn write_catalog(dir: &Path) {
    std::fs::create_dir_all(dir.join("listing")).unwrap();
    let index = json!({
        "format_version": 1, "build_hash": "t", "built_at": "2026-01-01T00:00:00Z",
        "portal": { "name": "示例市公共数据开放平台", "publisher": "示例市大数据管理局", "url": "http://127.0.0.1/",
                    "jurisdiction": "yunnan", "intake": "/api/v1", "default_license": "CC-BY-4.0" },
        "dataset_count": 2, "listing": { "page_size": 100, "pages": 1 }
    });
    let item = |id: &str, dept: &str, open: &str| {
        json!({
            "id": id, "title": id, "theme": "交通出行", "publisher": { "id": dept, "name": dept },
            "open": open, "status": "open", "modified": "2026-01-01", "formats": ["CSV"]
        })
    };
    let page = json!({ "page": 1, "items": [
        item("ds-bus-stops", "dept-transport", "conditional"),
        item("ds-bus-lines", "dept-transport", "unconditional"),
        item("ds-clinics", "dept-health", "conditional"),
    ]});
    std::fs::write(dir.join("catalog.json"), index.to_string()).unwrap();
    std::fs::write(dir.join("listing/1.json"), page.to_string()).unwrap();
}

fn application(n: usize) -> Value {
    json!({
        "kind": "application",
        "applicant": { "type": "natural_person", "name": format!("申请人{n}"),
                       "id_document": { "kind": "resident_id", "number": "110102199101010078" },
                       "contact": { "phone": "13812345678" } },
        "datasets": [ { "id": "ds-bus-stops" } ],
        "purpose": "公交站点可达性研究", "scope_of_use": "本人研究使用", "scenario": "分析公交站点覆盖范围",
        "users": ["张三"], "security_measures": "加密存储,专人管理",
        "period": { "start": "2027-01-01", "end": "2027-12-31" },
        "volume": "全量", "frequency": "一次",
        "security_commitment_ack": true, "data_use_agreement_ack": true
    })
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &str, catalog: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["intake-serve", "--database", db, "--catalog", catalog.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting kaifang intake-serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr =
        line.trim().rsplit("http://").next().unwrap().parse().unwrap_or_else(|_| panic!("no address in {line:?}"));
    Server { child, addr }
}

/// One blocking HTTP/1.1 request; `None` when the server is unreachable or hangs up.
fn http(addr: SocketAddr, method: &str, path: &str, auth: Option<&str>, body: &[u8]) -> Option<(u16, Value)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let auth = auth.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let body = &raw[split + 4..];
    // Small JSON answers come with Content-Length; decode chunked just in case.
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let text = String::from_utf8_lossy(body).to_string();
        text.split("\r\n").skip(1).step_by(2).collect::<Vec<_>>().join("")
    } else {
        String::from_utf8_lossy(body).to_string()
    };
    Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

fn review(db: &str, catalog: &Path, args: &[&str]) -> (bool, Value, String) {
    let out = Command::new(BIN)
        .args(["review", "--database", db, "--catalog", catalog.to_str().unwrap()])
        .args(args)
        .output()
        .expect("running kaifang review");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    (
        out.status.success(),
        serde_json::from_str(&stdout).unwrap_or(Value::String(stdout)),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn acknowledged_filings_survive_sigkill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    write_catalog(&catalog);
    let db = format!("sqlite:{}/data/intake.sqlite", dir.path().display());
    let server = start(&db, &catalog);
    let addr = server.addr;

    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                for i in 0..5000 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = serde_json::to_vec(&application(c * 10_000 + i)).unwrap();
                    match http(addr, "POST", "/api/v1/filings", None, &body) {
                        Some((201, r)) => acked.lock().unwrap().push((
                            r["reference"].as_str().unwrap().to_string(),
                            r["token"].as_str().unwrap().to_string(),
                        )),
                        Some((status, r)) => panic!("filing answered {status}: {r}"),
                        None => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Kill once a good number has been acknowledged, while the clients keep sending.
    for _ in 0..1200 {
        if acked.lock().unwrap().len() >= 60 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut server = server;
    server.child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
    server.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    drop(server);
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 60, "only {} filings acknowledged before the kill", acked.len());

    let server = start(&db, &catalog);
    for (reference, token) in &acked {
        let got = http(server.addr, "GET", "/api/v1/filing", Some(token), b"");
        let (status, view) = got.expect("restarted server answers");
        assert_eq!(status, 200, "{reference} lost after SIGKILL: {view}");
        assert_eq!(view["reference"], reference.as_str());
        assert_eq!(view["state"], "submitted");
    }

    // `kaifang review` on the same database, while the server runs.
    let (ok, listed, err) = review(&db, &catalog, &["list", "--department", "dept-transport"]);
    assert!(ok, "{err}");
    let stored = listed.as_array().unwrap().len();
    assert!(stored >= acked.len());
    eprintln!("{} filings acknowledged before SIGKILL, {stored} stored (the rest were in flight)", acked.len());
    let reference = acked[0].0.as_str();
    let (ok, v, err) = review(&db, &catalog, &["start", reference, "--department", "dept-transport"]);
    assert!(ok, "{err}");
    assert_eq!(v["state"], "under_review");
    let (ok, _, err) =
        review(&db, &catalog, &["decide", reference, "--department", "dept-health", "reject", "--reason", "越权"]);
    assert!(!ok, "another department must not decide");
    assert!(err.contains("no such filing for this department"), "{err}");
    let (ok, _, err) =
        review(&db, &catalog, &["decide", reference, "--department", "dept-transport", "reject", "--reason", ""]);
    assert!(!ok);
    assert!(err.contains("reason"), "{err}");
    // Yunnan 26: an extension needs the head's consent, named.
    let (ok, _, err) = review(
        &db,
        &catalog,
        &["extend", reference, "--department", "dept-transport", "--days", "5", "--notice", "需会同相关部门研究"],
    );
    assert!(!ok && err.contains("consented_by") && err.contains("负责人"), "{err}");
    let consent = ["--consented-by", "王局长(负责人)"];
    let extend =
        ["extend", reference, "--department", "dept-transport", "--days", "5", "--notice", "需会同相关部门研究"];
    let (ok, v, err) = review(&db, &catalog, &[&extend[..], &consent[..]].concat());
    assert!(ok, "{err}");
    assert_eq!(v["state"], "extended");
    assert_eq!(v["timeline"].as_array().unwrap().last().unwrap()["consented_by"], "王局长(负责人)");
    let (ok, _, err) = review(
        &db,
        &catalog,
        &[
            "extend",
            reference,
            "--department",
            "dept-transport",
            "--days",
            "11",
            "--notice",
            "超过上限的延长",
            "--consented-by",
            "王局长",
        ],
    );
    assert!(!ok);
    assert!(err.contains("exceeds"), "{err}");
    let (ok, v, err) = review(
        &db,
        &catalog,
        &[
            "decide",
            reference,
            "--department",
            "dept-transport",
            "approve",
            "--scope",
            "站点表",
            "--start",
            "2027-01-01",
            "--end",
            "2027-12-31",
            "--agreement",
            "协议 2027-01",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(v["state"], "approved");
    let (_, filer_view) = http(server.addr, "GET", "/api/v1/filing", Some(&acked[0].1), b"").unwrap();
    assert_eq!(filer_view["state"], "approved", "the filer sees the CLI's decision");
    // Dataset status from the CLI shows in the overlay the server publishes.
    let (ok, _, err) = review(
        &db,
        &catalog,
        &["dataset", "ds-bus-lines", "suspend", "--department", "dept-transport", "--note", "核实中"],
    );
    assert!(ok, "{err}");
    let (ok, _, _) = review(
        &db,
        &catalog,
        &["dataset", "ds-clinics", "suspend", "--department", "dept-transport", "--note", "越权"],
    );
    assert!(!ok);
    let (_, overlay) = http(server.addr, "GET", "/api/v1/status", None, b"").unwrap();
    assert_eq!(overlay["datasets"]["ds-bus-lines"]["status"], "suspended");
    assert!(overlay["datasets"].get("ds-clinics").is_none());
    // A token made with the CLI works on the API.
    let (ok, t, err) = review(&db, &catalog, &["token", "create", "--department", "dept-health"]);
    assert!(ok, "{err}");
    let token = t["token"].as_str().unwrap();
    let (status, list) = http(server.addr, "GET", "/api/v1/department/filings", Some(token), b"").unwrap();
    assert_eq!(status, 200);
    assert_eq!(list["filings"], json!([]), "health has no filings");
    let (ok, _, _) = review(&db, &catalog, &["token", "create", "--department", "dept-nowhere"]);
    assert!(!ok);
    // A revoked token no longer opens anything.
    let (ok, v, err) = review(&db, &catalog, &["token", "revoke", "--department", "dept-health"]);
    assert!(ok, "{err}");
    assert_eq!(v["revoked"], 1);
    let (status, _) = http(server.addr, "GET", "/api/v1/department/filings", Some(token), b"").unwrap();
    assert_eq!(status, 401);
    // Every step is in the audit log, and no full ID number is.
    let (ok, audit, err) = review(&db, &catalog, &["audit"]);
    assert!(ok, "{err}");
    let text = audit.to_string();
    assert!(["filing.create", "filing.transition", "dataset.status", "token.create", "token.revoke"]
        .iter()
        .all(|a| text.contains(a)));
    assert!(!text.contains("110102199101010078"));
    // Xiangxi 19: the log is JSON Lines for archiving, and young entries cannot be pruned.
    let Value::String(lines) = &audit else { panic!("audit prints JSON Lines: {audit}") };
    assert!(lines.lines().all(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v["at"].is_string())), "{lines}");
    let (ok, _, err) = review(&db, &catalog, &["audit-prune", "--before", "2999-01-01T00:00:00Z"]);
    assert!(!ok && err.contains("3 years"), "{err}");
    let (ok, again, _) = review(&db, &catalog, &["audit"]);
    assert!(ok && again == audit, "nothing was removed");
}
