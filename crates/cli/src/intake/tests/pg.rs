//! A throwaway PostgreSQL cluster for the tests, from Debian's server binaries.
//!
//! One cluster per test process, each test in its own database. `initdb` refuses to run
//! as root, so as root the cluster runs as the `postgres` system user (`runuser`). A
//! watchdog shell beside the server stops it and removes its folder once the test
//! process is gone, so nothing is left running whether the tests pass, fail or panic.
//! Missing binaries FAIL the test with instructions — they never skip it.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

pub struct Cluster {
    pub port: u16,
    /// The watchdog shell: it outlives nothing but the test process, so it is never waited for.
    _watchdog: std::process::Child,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// Finds `initdb` and `postgres`: $KAIFANG_PG_BIN, else the newest /usr/lib/postgresql/*/bin.
fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("KAIFANG_PG_BIN") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("initdb").exists() && dir.join("postgres").exists(),
            "KAIFANG_PG_BIN={} holds no initdb and postgres",
            dir.display()
        );
        return dir;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL server binaries (initdb, postgres) were not found in /usr/lib/postgresql/*/bin. \
             The intake's PostgreSQL tests need them: run `cargo xtask test` (it installs the Debian \
             package `postgresql`) or `apt-get install -y postgresql`, or set KAIFANG_PG_BIN."
        )
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Runs a command as the postgres user when we are root, as ourselves otherwise.
fn as_pg_user(program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", program]);
        c
    } else {
        Command::new(program)
    }
}

// The watchdog is deliberately never waited for: it ends when the test process does.
#[allow(clippy::zombie_processes)]
fn start() -> Cluster {
    let bin = bin_dir();
    let dir = std::env::temp_dir().join(format!(
        "kaifang-pg-{}-{}",
        std::process::id(),
        &super::super::token::new_token()[..8]
    ));
    std::fs::create_dir_all(&dir).expect("creating the cluster folder");
    if is_root() {
        let ok =
            Command::new("chown").args(["postgres:postgres", dir.to_str().unwrap()]).status().expect("chown").success();
        assert!(ok, "could not give {} to the postgres user", dir.display());
    }
    let data = dir.join("data");
    let out = as_pg_user(bin.join("initdb").to_str().unwrap())
        .args(["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
        .output()
        .expect("running initdb");
    assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // fsync off: these clusters hold test data only (the durability test runs on SQLite).
    let script = format!(
        "'{postgres}' -D '{data}' -k '{dir}' -h 127.0.0.1 -p {port} -c fsync=off -c max_connections=200 >'{dir}/log' 2>&1 & pg=$!; \
         i=0; while [ -d /proc/{parent} ] && [ $i -lt 7200 ]; do sleep 1; i=$((i+1)); done; \
         kill -INT $pg; wait $pg; rm -rf '{dir}'",
        postgres = bin.join("postgres").display(),
        data = data.display(),
        dir = dir.display(),
        parent = std::process::id(),
    );
    let watchdog = as_pg_user("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting postgres");
    for _ in 0..240 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Cluster { port, _watchdog: watchdog };
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
    panic!("postgres did not start on port {port} within 60 s:\n{log}");
}

/// A fresh, empty database on the shared test cluster; returns its address.
pub async fn fresh_database() -> String {
    let port = CLUSTER.get_or_init(start).port;
    let name = format!("kt_{}", NEXT_DB.fetch_add(1, Ordering::SeqCst));
    let admin = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    sqlx::any::install_default_drivers();
    // The server may still be starting up ("the database system is starting up").
    let mut last = None;
    for _ in 0..80 {
        match sqlx::AnyPool::connect(&admin).await {
            Ok(pool) => {
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("CREATE DATABASE");
                pool.close().await;
                return format!("postgres://postgres@127.0.0.1:{port}/{name}");
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("could not connect to the test cluster: {last:?}");
}
