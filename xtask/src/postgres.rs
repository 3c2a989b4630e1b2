//! PostgreSQL for the intake's tests and benchmark.
//!
//! The intake's test suite starts a throwaway cluster with Debian's server binaries
//! (`initdb`, `postgres` in `/usr/lib/postgresql/<version>/bin`) and FAILS when they are
//! missing. `cargo xtask test` and `cargo xtask bench` call [`ensure_installed`] first so a
//! fresh machine gets them:
//!
//! ```ignore
//! let pg_bin = postgres::ensure_installed()?;   // before `cargo test` / the benchmark
//! ```
//!
//! It installs the `postgresql` Debian package only when no server binaries are present,
//! and tells postgresql-common not to create (and start) the default `main` cluster — the
//! tests run their own clusters on free loopback ports, nothing else should listen.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian puts the server binaries of each major version.
const PG_ROOT: &str = "/usr/lib/postgresql";

/// The newest installed server binaries folder (`.../bin` holding `initdb`), if any.
pub fn find_bin_dir() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(PG_ROOT)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("postgres").exists())
        .collect();
    // Versions are plain numbers (13, 15, 16…); sort numerically.
    found.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
    });
    found.pop()
}

/// Makes sure PostgreSQL server binaries are installed; answers their folder.
/// Skips all work when they already are. Needs root (apt-get) when they are not.
pub fn ensure_installed() -> Result<PathBuf, String> {
    if let Some(bin) = find_bin_dir() {
        return Ok(bin);
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !root {
        return Err("PostgreSQL server binaries are missing and installing them needs root: \
                    run `sudo apt-get install -y postgresql` (Debian/Ubuntu)"
            .into());
    }
    // No default cluster: the package would otherwise create and start one on port 5432.
    let conf_dir = Path::new("/etc/postgresql-common");
    let conf = conf_dir.join("createcluster.conf");
    if !conf.exists() {
        std::fs::create_dir_all(conf_dir).map_err(|e| format!("creating {}: {e}", conf_dir.display()))?;
        std::fs::write(&conf, "create_main_cluster = false\n")
            .map_err(|e| format!("writing {}: {e}", conf.display()))?;
    }
    eprintln!("xtask: installing PostgreSQL (apt-get install postgresql)…");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confold", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    // A fresh machine's package lists may be missing or stale: update once and retry.
    if !install() {
        let updated = Command::new("apt-get").arg("update").status().map(|s| s.success()).unwrap_or(false);
        if !updated || !install() {
            return Err("apt-get install postgresql failed (see the output above)".into());
        }
    }
    find_bin_dir().ok_or_else(|| format!("postgresql installed but no initdb under {PG_ROOT}/*/bin"))
}

/// A throwaway PostgreSQL cluster on a free loopback port, for `cargo xtask bench`:
///
/// ```ignore
/// let bin = postgres::ensure_installed()?;
/// let pg = postgres::TempCluster::start(&bin)?;
/// run("kaifang", &["intake-bench", "--database", &pg.url(), "--filings", "2000", "--concurrency", "16"]);
/// // dropped: the server stops and its folder is removed
/// ```
///
/// `initdb` refuses to run as root, so as root the cluster runs as the `postgres` system
/// user via `runuser`. Trust authentication on 127.0.0.1 only.
pub struct TempCluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    root: bool,
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

impl TempCluster {
    pub fn start(bin: &Path) -> Result<TempCluster, String> {
        let root = running_as_root();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("finding a free port: {e}"))?
            .port();
        let dir = std::env::temp_dir().join(format!("kaifang-xtask-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let cluster = TempCluster { dir, port, bin: bin.to_path_buf(), root };
        if root {
            cluster.check(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&cluster.dir), "chown")?;
        }
        let data = cluster.dir.join("data");
        let mut initdb = cluster.as_postgres(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"]);
        cluster.check(&mut initdb, "initdb")?;
        let mut pg_ctl = cluster.as_postgres(&bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("log"))
            .arg("-w")
            .arg("-o")
            .arg(format!("-h 127.0.0.1 -p {port} -k {}", cluster.dir.display()));
        pg_ctl.arg("start");
        cluster.check(&mut pg_ctl, "pg_ctl start")?;
        Ok(cluster)
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(&self, program: &Path) -> Command {
        if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn check(&self, cmd: &mut Command, what: &str) -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let mut stop = self.as_postgres(&self.bin.join("pg_ctl"));
        stop.arg("-D").arg(self.dir.join("data")).args(["-m", "fast", "-w", "stop"]);
        let _ = stop.output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_installed_binaries_when_present() {
        // On machines with PostgreSQL this answers its bin folder; elsewhere None. Either
        // way the folder it names really holds both programs.
        if let Some(bin) = find_bin_dir() {
            assert!(bin.join("initdb").exists() && bin.join("postgres").exists(), "{}", bin.display());
        }
    }

    #[test]
    fn temp_cluster_accepts_connections_and_cleans_up() {
        let bin = find_bin_dir().expect("PostgreSQL server binaries missing: `cargo xtask test` installs them");
        let pg = TempCluster::start(&bin).expect("cluster starts");
        let addr =
            ("127.0.0.1", pg.url().rsplit(':').next().unwrap().split('/').next().unwrap().parse::<u16>().unwrap());
        assert!(std::net::TcpStream::connect(addr).is_ok(), "{} accepts connections", pg.url());
        let dir = pg.dir.clone();
        drop(pg);
        assert!(!dir.exists(), "{} removed", dir.display());
        assert!(std::net::TcpStream::connect(addr).is_err(), "server stopped");
    }
}
