//! `kaifang backup` and `kaifang restore`: a consistent copy of the intake's SQLite
//! database taken while it serves, and putting one back.
//!
//! The copy is SQLite's `VACUUM INTO` run on a connection of its own: one read transaction,
//! so it holds exactly the filings, timeline entries, evidence and audit entries committed
//! before it started (WAL mode lets the server keep writing meanwhile), in a compact file
//! that is itself a database. Restoring checks the copy (`integrity_check`, the intake's
//! tables) and moves it into place; the server must be stopped for that.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`, see `docs/intake.md`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use sqlx::{Connection, Row, SqliteConnection};

use super::db::Backend;

/// What a database holds, printed after a backup or a restore so the operator can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub filings: i64,
    pub timeline: i64,
    pub evidence: i64,
    pub audit_entries: i64,
}

/// The file a `sqlite:` address names.
fn sqlite_path(database_url: &str) -> anyhow::Result<PathBuf> {
    if Backend::of(database_url)? != Backend::Sqlite {
        bail!("kaifang backup copies SQLite databases; for PostgreSQL use pg_dump (docs/intake.md, “Backups”)");
    }
    let path = database_url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    Ok(PathBuf::from(path.split('?').next().unwrap_or_default()))
}

async fn open(path: &Path, read_only: bool) -> anyhow::Result<SqliteConnection> {
    let mode = if read_only { "ro" } else { "rw" };
    let url = format!("sqlite:{}?mode={mode}", path.display());
    SqliteConnection::connect(&url).await.with_context(|| format!("opening {}", path.display()))
}

/// Checks the file is a sound intake database and counts what it holds.
async fn check(path: &Path) -> anyhow::Result<Counts> {
    let mut conn = open(path, true).await?;
    let verdict: String = sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await?.try_get(0)?;
    if verdict != "ok" {
        bail!("{} fails SQLite's integrity check: {verdict}", path.display());
    }
    let mut counts = [0i64; 4];
    for (n, table) in counts.iter_mut().zip(["filings", "timeline", "evidence", "audit_log"]) {
        let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut conn).await;
        *n = row
            .with_context(|| format!("{} has no {table} table: not an intake database", path.display()))?
            .try_get(0)?;
    }
    let [filings, timeline, evidence, audit_entries] = counts;
    Ok(Counts { filings, timeline, evidence, audit_entries })
}

/// Writes a consistent copy of the database at `database_url` to `to` (a new file).
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<Counts> {
    let from = sqlite_path(database_url)?;
    if to.exists() {
        bail!("{} exists; a backup never overwrites a file", to.display());
    }
    let mut conn = open(&from, true).await?;
    // One statement, one read transaction: a snapshot of everything committed before it.
    let target = to.to_str().context("the backup path is not UTF-8")?;
    sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .execute(&mut conn)
        .await
        .context("VACUUM INTO")?;
    conn.close().await?;
    check(to).await
}

/// Puts the backup `from` in place of the database at `database_url` (which must not exist
/// unless `replace`). Run it with the server stopped.
pub async fn restore(from: &Path, database_url: &str, replace: bool) -> anyhow::Result<Counts> {
    let to = sqlite_path(database_url)?;
    let counts = check(from).await?;
    if to.exists() && !replace {
        bail!("{} exists; stop the server and pass --replace to restore over it", to.display());
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // Copy beside the target, then rename: the database is the old one or the new one,
    // never half of each. The old one's WAL must go with it, or SQLite would replay it.
    let staged = to.with_extension("restoring");
    std::fs::copy(from, &staged).with_context(|| format!("copying {}", from.display()))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", to.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    std::fs::rename(&staged, &to).with_context(|| format!("moving the backup to {}", to.display()))?;
    Ok(counts)
}
