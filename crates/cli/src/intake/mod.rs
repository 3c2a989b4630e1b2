//! The reference intake service (MISSION I): receives filings, issues receipts with
//! statutory deadlines, lets provider departments decide, keeps an append-only audit log
//! and publishes the status overlay.
//!
//! - [`service`]: what the intake does (shared by the HTTP API and `kaifang review`), one
//!   module a responsibility: `filings`, `views`, `decisions`, `overlay`, `evidence`,
//!   `tokens`, `audit`, and `rows` (reading `filings` and who may see which);
//! - [`api`]: the HTTP routes under `/api/v1` (see `docs/intake-api.yaml`); [`extract`]:
//!   who is calling (`Official`, `ReceiptToken`), read once for every route;
//! - [`db`]: the schema on SQLite or PostgreSQL;
//! - [`catalog_map`]: which department answers for which dataset;
//! - [`desk`], [`desk_api`], [`figures`]: the provider's desk (`/desk`): inbox, actions
//!   offered, audit log, the supervising authority's figures;
//! - [`token`], [`evidence`]: receipt tokens and uploaded files;
//! - [`auth`], [`session`]: signing in with the platform's identity provider (OIDC) and
//!   sessions in the database; [`mine`]: a signed-in filer's own filings on any device;
//! - [`notify`]: telling filers when a filing's state changes (outbox → SMTP);
//! - [`bench`]: the load benchmark behind `kaifang intake-bench`; [`desk_bench`]: the
//!   desk's inbox and figures on a seeded database (`kaifang desk-bench`).
//!
//! To serve: `let app = intake::router(IntakeConfig::new(url).catalog(dir)).await?;`
//! and merge `app` into the server's router (its paths already start with `/api/v1`).

pub mod api;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod catalog_map;
pub mod client;
pub mod db;
pub mod desk;
pub mod desk_api;
pub mod desk_bench;
pub mod evidence;
pub mod extract;
pub mod figures;
pub mod mine;
pub mod notify;
mod query;
pub mod service;
pub mod session;
pub mod token;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use kaifang_core::calendar::Calendar;
use kaifang_core::rules::{DefaultLimits, RuleSet};

pub use service::{Clock, Intake, IntakeError, Principal};

/// How to run the intake.
#[derive(Clone)]
pub struct IntakeConfig {
    /// `sqlite:PATH` (default: `sqlite:data/intake.sqlite`) or `postgres://…`.
    pub database_url: String,
    /// The built catalog folder: dataset → department map, jurisdiction, extra calendar.
    pub catalog_dir: Option<PathBuf>,
    /// Overrides the catalog's jurisdiction (a rule set id of `kaifang_core::rules`).
    pub jurisdiction: Option<String>,
    /// Limits where a regulation names no day count.
    pub default_limits: DefaultLimits,
    pub clock: Clock,
    /// Sign-in with the platform's identity provider (`[sign_in]` of the config file).
    pub sign_in: Option<auth::config::SignInConfig>,
    /// E-mail to filers (`[notify]` of the config file).
    pub notify: Option<notify::NotifyConfig>,
}

/// The intake's configuration file (`kaifang serve --intake-config FILE`); see
/// `docs/sign-in.md` for an example.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub sign_in: Option<auth::config::SignInConfig>,
    pub notify: Option<notify::NotifyConfig>,
}

impl ConfigFile {
    pub fn load(path: &std::path::Path) -> anyhow::Result<ConfigFile> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not a valid intake configuration", path.display()))
    }
}

/// Where the intake keeps its SQLite file unless told otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/intake.sqlite";

impl IntakeConfig {
    pub fn new(database_url: impl Into<String>) -> IntakeConfig {
        IntakeConfig {
            database_url: database_url.into(),
            catalog_dir: None,
            jurisdiction: None,
            default_limits: DefaultLimits::default(),
            clock: Clock::system(),
            sign_in: None,
            notify: None,
        }
    }

    pub fn catalog(mut self, dir: impl Into<PathBuf>) -> IntakeConfig {
        self.catalog_dir = Some(dir.into());
        self
    }

    /// Takes `[sign_in]` and `[notify]` from the configuration file, if one is given.
    pub fn with_file(mut self, path: Option<&std::path::Path>) -> anyhow::Result<IntakeConfig> {
        if let Some(path) = path {
            let file = ConfigFile::load(path)?;
            self.sign_in = file.sign_in;
            self.notify = file.notify;
        }
        Ok(self)
    }
}

/// Opens the database and the catalog map and returns the service.
pub async fn open(cfg: &IntakeConfig) -> anyhow::Result<Arc<Intake>> {
    let catalog = match &cfg.catalog_dir {
        Some(dir) => catalog_map::CatalogMap::load(dir)?,
        None => catalog_map::CatalogMap::default(),
    };
    let id = cfg.jurisdiction.clone().or_else(|| catalog.jurisdiction.clone()).unwrap_or_else(|| "default".into());
    let rules = RuleSet::builtin_with(&id, &cfg.default_limits)
        .with_context(|| format!("unknown rule set {id:?}; known: {}", RuleSet::BUILTIN.join(", ")))?;
    let db = db::Db::connect(&cfg.database_url).await?;
    let mut intake = Intake::new(db, catalog, rules, Calendar::official(), cfg.clock.clone()).await?;
    if let Some(sign_in) = &cfg.sign_in {
        intake.sign_in = Some(Arc::new(auth::SignIn::new(sign_in.clone()).context("in [sign_in]")?));
    } else if !intake.rules.sign_in_required.is_empty() {
        eprintln!(
            "intake: the rule set {id:?} keeps some filings for signed-in people, but no [sign_in] is configured; \
             they are accepted without sign-in"
        );
    }
    if let Some(n) = &cfg.notify {
        intake.notify = Some(Arc::new(notify::Notifier::new(n.clone()).context("in [notify]")?));
    }
    let intake = Arc::new(intake);
    if intake.notify.is_some() {
        notify::spawn_sender(intake.clone());
    }
    Ok(intake)
}

/// The intake's routes, ready to merge into the server's router.
pub async fn router(cfg: IntakeConfig) -> anyhow::Result<axum::Router> {
    Ok(api::routes(open(&cfg).await?))
}

/// The routes of an intake already open (`kaifang serve` also reads its status overlay).
pub fn routes(intake: Arc<Intake>) -> axum::Router {
    api::routes(intake)
}

/// Serves the intake alone on `addr` until the process is stopped (used by the durability
/// test and the benchmark; `kaifang serve` mounts the same router next to the app).
pub async fn serve(cfg: IntakeConfig, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let app = router(cfg).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    // The port goes to stdout so a parent process that asked for port 0 can find it.
    println!("intake listening on http://{}", listener.local_addr()?);
    axum::serve(crate::serve::no_delay(listener), app).await?;
    Ok(())
}
