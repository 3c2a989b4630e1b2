//! What the intake does, independent of HTTP: the API handlers and `kaifang review` both
//! call these methods, so the command line and the web console obey the same rules.
//!
//! One type, [`Intake`], over the shared database and clock; its methods are split by
//! responsibility, one `impl Intake` block a file:
//!
//! - [`filings`]: filing (routing to a department, the statutory deadline, the receipt,
//!   idempotent retries) and what the filer sees and does by receipt token;
//! - [`decisions`]: a department's (or the authority's) list, opening and actions, and
//!   the one state transition every actor goes through;
//! - [`overlay`]: dataset statuses outside any filing and the published status overlay;
//! - [`evidence`]: uploaded files, stored and read back;
//! - [`tokens`]: department and authority tokens, and who holds one;
//! - [`audit`]: the append-only audit log, read, archived and pruned;
//! - [`rows`]: reading `filings` rows and which of them a principal may see;
//! - [`views`]: the [`FilingView`] every reader of a filing is shown.
//!
//! This file holds what they share: the clock, the errors, the principal and the rules of
//! who may see and who acts.

use std::sync::Arc;

use kaifang_core::calendar::{Calendar, Day};
use kaifang_core::filing::{Actor, FieldError, FilingState, TransitionError};
use kaifang_core::rules::RuleSet;

use super::catalog_map::CatalogMap;
use super::db::Db;

mod audit;
mod decisions;
mod evidence;
mod filings;
mod overlay;
mod rows;
mod tokens;
mod views;

pub use audit::AuditEntry;
pub(in crate::intake) use audit::{audit, AuditRow};
pub(in crate::intake) use rows::{FilingRow, HasHead, Seen, StoredFiling, StoredHead, FILING_COLUMNS};

/// Unix time in seconds. Injected so tests can file "on" a chosen day.
#[derive(Clone)]
pub struct Clock(pub Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        }))
    }
    /// A clock stopped at `secs` (tests file "on" chosen days with it).
    #[cfg(test)]
    pub fn fixed(secs: i64) -> Clock {
        Clock(Arc::new(move || secs))
    }
    /// A clock that reads `start` (RFC 3339 UTC) now and advances in real time (`serve
    /// --clock-start`: journeys move past a reply date by restarting with a later start).
    pub fn starting_at(start: &str) -> anyhow::Result<Clock> {
        // china_day_of checks the whole shape; the digits are then read where they stand.
        kaifang_core::desk::china_day_of(start)
            .ok_or_else(|| anyhow::anyhow!("--clock-start must be like 2027-02-01T02:00:00Z"))?;
        let secs_of_day: i64 =
            start[11..13].parse::<i64>()? * 3600 + start[14..16].parse::<i64>()? * 60 + start[17..19].parse::<i64>()?;
        let utc_day = kaifang_core::desk::day_of(&start[..10]).ok_or_else(|| anyhow::anyhow!("bad date in {start}"))?;
        let offset = utc_day.0 * 86_400 + secs_of_day - Clock::system().now();
        let system = Clock::system();
        Ok(Clock(Arc::new(move || system.now() + offset)))
    }
    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

/// `2026-09-30T02:00:00Z` from Unix seconds.
pub fn rfc3339(secs: i64) -> String {
    let day = Day(secs.div_euclid(86_400));
    let (y, m, d) = day.ymd();
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// Everything that can go wrong, as values the API and the CLI turn into answers.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the filing has errors")]
    Invalid(Vec<FieldError>),
    #[error("{en}")]
    BadRequest { code: &'static str, zh: String, en: String },
    #[error("a valid token is required")]
    Unauthorized,
    /// The rule set keeps this kind of filing for people signed in (Xiangxi 20/35).
    #[error("sign in first: {article} requires identity authentication for this filing")]
    SignInRequired { article: String },
    #[error("{en}")]
    Forbidden { zh: String, en: String },
    #[error("not found")]
    NotFound,
    #[error("{en}")]
    Conflict { code: &'static str, zh: String, en: String },
    #[error("{0}")]
    Transition(TransitionError),
    #[error("{en}")]
    TooLarge { zh: String, en: String },
    #[error("{en}")]
    UnsupportedMedia { zh: String, en: String },
    /// Too many requests from one client (the edge's rate limits, `edge::rate`).
    #[error("too many requests; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for IntakeError {
    fn from(e: sqlx::Error) -> Self {
        IntakeError::Internal(e.into())
    }
}

pub(in crate::intake) type Result<T> = std::result::Result<T, IntakeError>;

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A provider department (API token or `kaifang review --department`).
    Department { id: String, label: String },
    /// The data authority: decides reviews (复核), handles filings no department owns.
    Authority { label: String },
}

impl Principal {
    pub(in crate::intake) fn audit_name(&self) -> String {
        match self {
            Principal::Department { id, label } => format!("department:{id} ({label})"),
            Principal::Authority { label } => format!("authority ({label})"),
        }
    }
}

pub use kaifang_core::filing::answers::{DeadlineView, EvidenceMeta, FilingView, Receipt, TimelineEntry};

pub use kaifang_core::overlay::{OverlayEntry, Reopening};

pub struct Intake {
    pub db: Db,
    pub catalog: CatalogMap,
    pub rules: RuleSet,
    pub calendar: Calendar,
    pub clock: Clock,
    pub(super) secret: [u8; 32],
    /// Sign-in with the platform's identity provider, when configured (`auth/`).
    pub sign_in: Option<Arc<super::auth::SignIn>>,
    /// E-mail to filers when their filing's state changes, when configured (`notify.rs`).
    pub notify: Option<Arc<super::notify::Notifier>>,
}

pub(super) fn field_error(path: String, code: &str, zh: &str, en: &str) -> FieldError {
    FieldError { path, code: code.into(), zh: zh.into(), en: en.into() }
}

impl Intake {
    pub async fn new(
        db: Db,
        catalog: CatalogMap,
        rules: RuleSet,
        mut calendar: Calendar,
        clock: Clock,
    ) -> anyhow::Result<Intake> {
        if let Some(json) = &catalog.calendar_json {
            calendar.extend_json(json)?;
        }
        let secret = db.secret().await?;
        Ok(Intake { db, catalog, rules, calendar, clock, secret, sign_in: None, notify: None })
    }

    pub(in crate::intake) fn today(&self) -> Day {
        Day::in_china_at_unix(self.clock.now())
    }

    pub(in crate::intake) fn now(&self) -> String {
        rfc3339(self.clock.now())
    }
}

/// Whether `who` may see a filing: the authority every filing; a department its own, once
/// the authority has forwarded it where the rules route it through the authority.
pub(in crate::intake) fn may_see(who: &Principal, department_id: &str, state: FilingState) -> bool {
    match who {
        Principal::Authority { .. } => true,
        Principal::Department { id, .. } => id == department_id && !state.awaiting_forwarding(),
    }
}

/// Who `who` acts as on a filing of `department_id`: the authority answers filings no
/// department owns (data requests naming none) as their department, and decides reviews
/// as the authority.
pub(in crate::intake) fn actor_for(who: &Principal, department_id: &str) -> Actor {
    match who {
        Principal::Department { .. } => Actor::Department,
        Principal::Authority { .. } if department_id.is_empty() => Actor::Department,
        Principal::Authority { .. } => Actor::Authority,
    }
}
