//! Two instances, one database (issue 14): two `kaifang serve` over one PostgreSQL behind
//! Debian's nginx. Client threads file through nginx, each filing with its own
//! `Idempotency-Key`, retrying the same request until it is acknowledged; each acknowledged
//! filing's request is then sent again straight to one instance, which must answer the same
//! receipt. One instance is killed with SIGKILL mid-burst. Afterwards the database must hold
//! every acknowledged filing exactly once, under unique references, and nothing else.

use crate::contract::{test_catalog, ERROR_REPORT};
use crate::http::{json_str, post_json};
use crate::postgres::TempCluster;
use crate::proc::{start_server, Guard, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const FILINGS_PER_CLIENT: usize = 40;
/// Attempts per filing before the test gives up on it (bounded; 100 ms apart).
const ATTEMPTS: usize = 100;

/// One acknowledged filing: key → (reference, token).
type Acks = Arc<Mutex<HashMap<String, (String, String)>>>;

pub fn run(kaifang: &Path) -> Result<()> {
    let nginx = crate::tools::ensure_nginx()?;
    let pg = TempCluster::start(&crate::postgres::ensure_installed()?)?;
    let work = crate::build::target_dir().join("two-instances");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("app")).map_err(|e| e.to_string())?;
    std::fs::write(work.join("app/index.html"), "<!doctype html><title>t</title>").map_err(|e| e.to_string())?;
    let catalog = test_catalog(kaifang, &work)?;

    let (a, a_addr) = serve(kaifang, &work, &catalog, &pg.url())?;
    let (_b, b_addr) = serve(kaifang, &work, &catalog, &pg.url())?;
    let (_lb, lb_addr) = balance(&nginx, &work, &[&a_addr, &b_addr])?;

    let acks: Acks = Arc::default();
    let (failed_attempts, replays) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (acks, failed, replays, lb, a_addr) =
                (acks.clone(), failed_attempts.clone(), replays.clone(), lb_addr.clone(), a_addr.clone());
            std::thread::spawn(move || client(c, &lb, &a_addr, &acks, [&failed, &replays]))
        })
        .collect();
    // Kill instance A once a third of the filings are acknowledged: mid-burst.
    let third = CLIENTS * FILINGS_PER_CLIENT / 3;
    while acks.lock().unwrap().len() < third && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let acked_at_kill = acks.lock().unwrap().len();
    drop(a);
    for c in clients {
        c.join().map_err(|_| "a client thread panicked".to_string())??;
    }
    let acks = acks.lock().unwrap().clone();

    // Every acknowledged filing's request again, straight to the survivor: the same receipt.
    for (key, (reference, token)) in &acks {
        let again = post_json(&b_addr, "/api/v1/filings", &[("Idempotency-Key", key)], ERROR_REPORT)?;
        let same = (json_str(&again.body, "reference"), json_str(&again.body, "token"));
        if again.status != 200 || same != (Some(reference.clone()), Some(token.clone())) {
            return Err(format!(
                "{key}: the survivor answered {} {} instead of {reference}'s receipt",
                again.status, again.body
            ));
        }
    }
    let stored = references(kaifang, &pg.url(), &catalog)?;
    check(&acks, &stored)?;
    if acked_at_kill >= acks.len() {
        return Err("the burst ended before the instance was killed".into());
    }
    println!(
        "two instances: {} filings acknowledged ({acked_at_kill} before one instance was killed), {} answered 200 through nginx (a retry of a committed filing), {} failed attempts retried by the client, {:.1} s; the database holds each once",
        acks.len(),
        replays.load(Ordering::Relaxed),
        failed_attempts.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One client: its filings through the balancer, each retried with its key until
/// acknowledged; before the kill every other one is also sent again straight to A.
/// `[failed, replays]` count failed attempts and answers 200 (the filing was already stored).
fn client(c: usize, lb: &str, a_addr: &str, acks: &Acks, [failed, replays]: [&AtomicUsize; 2]) -> Result<()> {
    for i in 0..FILINGS_PER_CLIENT {
        let key = format!("two-instances-client{c}-filing{i:04}");
        let mut receipt = None;
        for _ in 0..ATTEMPTS {
            match post_json(lb, "/api/v1/filings", &[("Idempotency-Key", &key)], ERROR_REPORT) {
                Ok(a) if a.status == 201 || a.status == 200 => {
                    replays.fetch_add(usize::from(a.status == 200), Ordering::Relaxed);
                    receipt = json_str(&a.body, "reference").zip(json_str(&a.body, "token"));
                    break;
                }
                Ok(a) if a.status < 500 => return Err(format!("{key}: {} {}", a.status, a.body)),
                _ => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
        let receipt = receipt.ok_or_else(|| format!("{key}: not acknowledged after {ATTEMPTS} attempts"))?;
        if i % 2 == 0 {
            // A may be gone by now: only an answer is checked, a refused connection is fine.
            if let Ok(a) = post_json(a_addr, "/api/v1/filings", &[("Idempotency-Key", &key)], ERROR_REPORT) {
                if json_str(&a.body, "reference").as_ref() != Some(&receipt.0) {
                    return Err(format!("{key}: instance A answered {} {} for {}", a.status, a.body, receipt.0));
                }
            }
        }
        acks.lock().unwrap().insert(key, receipt);
    }
    Ok(())
}

/// Every acknowledged filing once, under unique references, and nothing else stored.
fn check(acks: &HashMap<String, (String, String)>, stored: &[String]) -> Result<()> {
    let unique: HashSet<&String> = stored.iter().collect();
    if unique.len() != stored.len() {
        return Err(format!("{} references stored, {} distinct", stored.len(), unique.len()));
    }
    if let Some((key, (reference, _))) = acks.iter().find(|(_, (r, _))| !unique.contains(r)) {
        return Err(format!("{key}: acknowledged as {reference} but not stored"));
    }
    if stored.len() != acks.len() || acks.len() != CLIENTS * FILINGS_PER_CLIENT {
        return Err(format!(
            "{} filings stored, {} acknowledged, {} sent",
            stored.len(),
            acks.len(),
            CLIENTS * FILINGS_PER_CLIENT
        ));
    }
    Ok(())
}

/// `kaifang serve` on the shared database; its address. The balancer is its trusted proxy
/// and every filing comes through it from one address, so the filing limit is lifted.
fn serve(kaifang: &Path, work: &Path, catalog: &Path, database: &str) -> Result<(Guard, String)> {
    let mut c = Command::new(kaifang);
    c.args(["serve", "--addr", "127.0.0.1:0", "--trusted-proxy", "127.0.0.1", "--filing-burst", "100000", "--app"])
        .arg(work.join("app"))
        .arg("--catalog")
        .arg(catalog)
        .arg("--data")
        .arg(work.join("data"))
        .env("KAIFANG_DATABASE_URL", database);
    start_server(&mut c)
}

/// nginx in front of `upstreams` on a free loopback port, passing a failed or refused
/// request on to the other instance — also a POST (`non_idempotent`), which is safe here
/// because every filing carries an idempotency key.
fn balance(nginx: &Path, work: &Path, upstreams: &[&str]) -> Result<(Guard, String)> {
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let servers: String = upstreams.iter().map(|u| format!("server {u} max_fails=1 fail_timeout=30s;\n")).collect();
    let dir = work.join("nginx");
    std::fs::create_dir_all(dir.join("tmp")).map_err(|e| e.to_string())?;
    let conf = format!(
        // One process (no master and workers), so stopping the child stops nginx entirely.
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 256; }}\n\
         http {{\n access_log off;\n client_body_temp_path {d}/tmp/body;\n proxy_temp_path {d}/tmp/proxy;\n\
         fastcgi_temp_path {d}/tmp/fcgi;\n uwsgi_temp_path {d}/tmp/uwsgi;\n scgi_temp_path {d}/tmp/scgi;\n\
         upstream kaifang {{\n{servers}}}\n server {{\n  listen 127.0.0.1:{port};\n  location / {{\n\
           proxy_pass http://kaifang;\n   proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
           proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n   proxy_connect_timeout 1s;\n  }}\n }}\n}}\n",
        d = dir.display()
    );
    std::fs::write(dir.join("nginx.conf"), conf).map_err(|e| e.to_string())?;
    let child = Command::new(nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .spawn()
        .map_err(|e| format!("starting nginx: {e}"))?;
    let proc = Guard(child);
    let addr = format!("127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return Ok((proc, addr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nginx did not listen on {addr}: see {}", dir.join("error.log").display()))
}

/// The references stored, through `kaifang review list` as the data authority.
fn references(kaifang: &Path, database: &str, catalog: &Path) -> Result<Vec<String>> {
    let out = Command::new(kaifang)
        .args(["review", "--database", database, "--catalog"])
        .arg(catalog)
        .args(["list", "--authority"])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"reference\": \""))
        .map(|r| r.trim_end_matches(['"', ',']).to_string())
        .collect())
}
