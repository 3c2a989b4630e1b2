//! The intake's storage: one schema on SQLite or PostgreSQL through sqlx's `Any` driver.
//!
//! Why `Any` rather than a trait over two pools: the intake needs only integers, text
//! and blobs, every statement here is plain SQL both engines accept (`$n` placeholders,
//! `RETURNING`), and the only differences — the id column type, the blob type, the
//! append-only trigger and connection pragmas — are schema text chosen once at start-up.
//! One code path means the PostgreSQL tests exercise exactly the code SQLite runs.
//!
//! Durability: a filing is acknowledged only after its transaction commits; SQLite runs
//! in WAL mode with `synchronous = FULL`, so a committed filing survives a killed process
//! and a power cut alike.

use std::str::FromStr;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};

/// Which engine the database address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("database address must start with sqlite: or postgres:// (got {url:?})")
        }
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The opening of a table whose rows each belong to one filing: their own id, then the filing's.
const OF_FILING: &str = "id {ID},\n        filing_id BIGINT NOT NULL REFERENCES filings (id)";

/// Schema statements, in order. `{ID}` and `{BLOB}` are replaced per engine, `{OF_FILING}` by
/// [`OF_FILING`].
const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS filings (
        id {ID},
        reference TEXT UNIQUE,
        kind TEXT NOT NULL,
        department_id TEXT NOT NULL,
        dataset_ids TEXT NOT NULL,
        state TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        received_on TEXT NOT NULL,
        extended_days BIGINT NOT NULL,
        deadline TEXT NOT NULL,
        deadline_estimated BIGINT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        idem_key TEXT UNIQUE,
        body_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS filings_department ON filings (department_id, state)",
    "CREATE TABLE IF NOT EXISTS timeline (
        {OF_FILING},
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        state TEXT NOT NULL,
        note TEXT,
        deadline TEXT)",
    "CREATE INDEX IF NOT EXISTS timeline_filing ON timeline (filing_id)",
    "CREATE TABLE IF NOT EXISTS evidence (
        {OF_FILING},
        name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        content {BLOB} NOT NULL,
        uploaded_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS evidence_filing ON evidence (filing_id)",
    "CREATE TABLE IF NOT EXISTS department_tokens (
        id {ID},
        token_hash TEXT NOT NULL UNIQUE,
        department_id TEXT NOT NULL,
        role TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS dataset_status (
        dataset_id TEXT PRIMARY KEY,
        department_id TEXT NOT NULL,
        status TEXT NOT NULL,
        since TEXT NOT NULL,
        note TEXT)",
    // Reopenings after processing, each a new version of its dataset (B3); kept, never
    // updated, so the overlay can count versions made since any build.
    "CREATE TABLE IF NOT EXISTS dataset_reopenings (
        id {ID},
        dataset_id TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL)",
    // Sign-in (auth/): a login under way (state → PKCE verifier and nonce, minutes long),
    // and sessions by the hash of their cookie. In the database, not in memory, so that
    // any instance behind a load balancer answers the callback and knows the session.
    "CREATE TABLE IF NOT EXISTS auth_logins (
        state_hash TEXT PRIMARY KEY,
        pkce_verifier TEXT NOT NULL,
        nonce TEXT NOT NULL,
        return_to TEXT NOT NULL,
        expires_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        identity TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL)",
    // Messages to filers (notify.rs): written in the transaction that changes a filing's
    // state, sent later with retries, so a slow or absent mail server never fails an action.
    "CREATE TABLE IF NOT EXISTS outbox (
        {OF_FILING},
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts BIGINT NOT NULL,
        next_at BIGINT NOT NULL,
        sent_at TEXT,
        last_error TEXT)",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (sent_at, next_at)",
    "CREATE TABLE IF NOT EXISTS audit_log (
        id {ID},
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL)",
    // The desk reads a department's log by subject (its filings' references, datasets).
    "CREATE INDEX IF NOT EXISTS audit_log_subject ON audit_log (subject)",
];

/// Columns added after the first schema, in order; `meta.schema_version` counts how many
/// a database has. (SQLite has no `ADD COLUMN IF NOT EXISTS`, so they are numbered.)
const ADDED: &[&str] = &[
    // The day the running clock started (Aba 20 ¶3: the department's limit runs from the
    // day the authority forwards the report); NULL means the day of receipt.
    "ALTER TABLE filings ADD COLUMN clock_from TEXT",
    // Who consented to an extension (Xiangxi 35/39, Aba 20, Yunnan 26).
    "ALTER TABLE timeline ADD COLUMN consented_by TEXT",
    // The entrustment under which the data authority reviewed for a department (Xiangxi 35).
    "ALTER TABLE timeline ADD COLUMN entrustment TEXT",
    // The signed-in person who filed (issuer's subject), so their filings follow them to
    // any device (`GET /api/v1/my/filings`); NULL for filings made without signing in.
    "ALTER TABLE filings ADD COLUMN filer_subject TEXT",
    "CREATE INDEX IF NOT EXISTS filings_filer ON filings (filer_subject)",
];

/// How long the audit log keeps every entry (Xiangxi 19: 日志记录保留时间不少于3年). The
/// database refuses to delete younger entries; `docs/intake.md` tells operators how to
/// archive and prune older ones.
pub const AUDIT_RETENTION_YEARS: u32 = 3;

/// The audit log at the database level: no UPDATE ever, no DELETE of an entry younger
/// than the retention period, and (PostgreSQL) no TRUNCATE — nobody, the intake included,
/// rewrites it. Entries' `at` is RFC 3339 UTC text, so text order is time order.
const SQLITE_APPEND_ONLY: &[&str] = &[
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    // Replaces the first schema's unconditional trigger (same refusal for young entries).
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     WHEN OLD.at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-3 years')
     BEGIN SELECT RAISE(ABORT, 'audit_log entries are kept at least 3 years (Xiangxi 19)'); END",
];
const POSTGRES_APPEND_ONLY: &[&str] = &[
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
     $$ BEGIN
       IF TG_OP = 'DELETE' AND OLD.at < to_char(now() AT TIME ZONE 'UTC' - interval '3 years', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') THEN
         RETURN OLD;
       END IF;
       RAISE EXCEPTION 'audit_log is append-only; entries are kept at least 3 years (Xiangxi 19)';
     END $$",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    // Row triggers do not fire on TRUNCATE; a statement-level one does.
    "CREATE OR REPLACE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS
     $$ BEGIN RAISE EXCEPTION 'audit_log cannot be truncated (Xiangxi 19)'; END $$",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate()",
];

impl Db {
    /// Connects and brings the schema up to date. SQLite files (and their folder) are
    /// created when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let mut url = url.to_string();
        if backend == Backend::Sqlite {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or_default().to_string();
            if path != ":memory:" && !path.is_empty() {
                if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url).context("parsing the database address")?;
        // SQLite has one writer; a single connection avoids SQLITE_BUSY on lock upgrades
        // and still serves thousands of filings a second. PostgreSQL gets a real pool.
        let max = if backend == Backend::Sqlite { 1 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(std::time::Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        let db = Db { pool, backend };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let (id, blob, append_only) = match self.backend {
            Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", SQLITE_APPEND_ONLY),
            Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA", POSTGRES_APPEND_ONLY),
        };
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // Two instances starting at once must not race on CREATE TABLE.
            sqlx::query("SELECT pg_advisory_xact_lock(5047)").execute(&mut *tx).await?;
        }
        for stmt in SCHEMA.iter().chain(append_only) {
            let sql = stmt.replace("{OF_FILING}", OF_FILING).replace("{ID}", id).replace("{BLOB}", blob);
            sqlx::query(&sql).execute(&mut *tx).await.with_context(|| format!("schema: {sql}"))?;
        }
        let version: Option<String> = sqlx::query("SELECT value FROM meta WHERE key = 'schema_version'")
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("value"))
            .transpose()?;
        let done: usize = version.as_deref().unwrap_or("0").parse().context("meta.schema_version is not a number")?;
        for sql in ADDED.iter().skip(done) {
            sqlx::query(sql).execute(&mut *tx).await.with_context(|| format!("schema: {sql}"))?;
        }
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(ADDED.len().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server secret used to derive receipt tokens for idempotent retries; made once.
    pub async fn secret(&self) -> anyhow::Result<[u8; 32]> {
        let fresh = hex(&super::token::random_bytes::<32>());
        // Insert-if-absent, then read: whichever instance got there first wins.
        sqlx::query("INSERT INTO meta (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING")
            .bind(fresh)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query("SELECT value FROM meta WHERE key = 'secret'").fetch_one(&self.pool).await?;
        let value: String = row.try_get("value")?;
        let bytes = unhex(&value).context("meta.secret is not hex")?;
        bytes.try_into().map_err(|_| anyhow::anyhow!("meta.secret has the wrong length"))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// A database address without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{user}:***{}", &url[..s], &url[at..])
        }
        _ => url.to_string(),
    }
}
