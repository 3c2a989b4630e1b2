//! What the intake does, independent of HTTP: the API handlers and `kaifang review` both
//! call these methods, so the command line and the web console obey the same rules.

use std::sync::Arc;

use kaifang_core::calendar::{Calendar, Day};
use kaifang_core::catalog::{DatasetStatus, OpenKind};
use kaifang_core::filing::answers::ApprovalProgress;
use kaifang_core::filing::state::transition;
use kaifang_core::filing::{Action, Actor, FieldError, Filing, FilingState, Progress, TransitionError};
use kaifang_core::identity::VerifiedIdentity;
use kaifang_core::rules::{Basis, FilingKind, RuleSet, TimeLimit};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::catalog_map::CatalogMap;
use super::db::Db;
use super::evidence::{self, Refusal};
use super::token;

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

pub(super) type Result<T> = std::result::Result<T, IntakeError>;

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A provider department (API token or `kaifang review --department`).
    Department { id: String, label: String },
    /// The data authority: decides reviews (复核), handles filings no department owns.
    Authority { label: String },
}

impl Principal {
    pub(super) fn audit_name(&self) -> String {
        match self {
            Principal::Department { id, label } => format!("department:{id} ({label})"),
            Principal::Authority { label } => format!("authority ({label})"),
        }
    }
}

pub use kaifang_core::filing::answers::{DeadlineView, EvidenceMeta, FilingView, Receipt, TimelineEntry};

/// A filing as its department sees it: the view plus the (masked) form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DepartmentView {
    #[serde(flatten)]
    pub view: FilingView,
    pub department_id: String,
    pub filing: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FilingSummary {
    pub reference: String,
    pub kind: FilingKind,
    pub state: String,
    pub received_on: String,
    pub deadline: String,
    pub deadline_estimated: bool,
    pub overdue: bool,
    pub dataset_ids: Vec<String>,
}

pub use kaifang_core::overlay::{OverlayEntry, Reopening};

/// One row of `filings`, as the service uses it.
pub(super) struct FilingRow {
    id: i64,
    reference: String,
    kind: FilingKind,
    pub(super) department_id: String,
    dataset_ids: Vec<String>,
    pub(super) state: FilingState,
    body: String,
    received_at: String,
    received_on: String,
    pub(super) extended_days: u32,
    deadline: String,
    deadline_estimated: bool,
    /// The day the running clock started: the day of receipt, or the day the authority
    /// forwarded the filing to the department (Aba 20 ¶3).
    clock_from: String,
}

pub(super) const FILING_COLUMNS: &str =
    "id, reference, kind, department_id, dataset_ids, state, body, received_at, received_on, \
     extended_days, deadline, deadline_estimated, clock_from";

impl FilingRow {
    pub(super) fn from_row(row: &AnyRow) -> Result<FilingRow> {
        let kind_s: String = row.try_get("kind")?;
        let kind = FilingKind::parse(&kind_s).ok_or_else(|| anyhow::anyhow!("unknown kind {kind_s} in database"))?;
        let state_s: String = row.try_get("state")?;
        let state =
            FilingState::parse(kind, &state_s).ok_or_else(|| anyhow::anyhow!("unknown state {state_s} in database"))?;
        let ids: String = row.try_get("dataset_ids")?;
        let received_on: String = row.try_get("received_on")?;
        Ok(FilingRow {
            clock_from: row.try_get::<Option<String>, _>("clock_from")?.unwrap_or_else(|| received_on.clone()),
            id: row.try_get("id")?,
            reference: row.try_get::<Option<String>, _>("reference")?.unwrap_or_default(),
            kind,
            department_id: row.try_get("department_id")?,
            dataset_ids: serde_json::from_str(&ids).map_err(anyhow::Error::from)?,
            state,
            body: row.try_get("body")?,
            received_at: row.try_get("received_at")?,
            received_on,
            extended_days: row.try_get::<i64, _>("extended_days")?.try_into().unwrap_or(0),
            deadline: row.try_get("deadline")?,
            deadline_estimated: row.try_get::<i64, _>("deadline_estimated")? != 0,
        })
    }
}

pub struct Intake {
    pub db: Db,
    pub catalog: CatalogMap,
    pub rules: RuleSet,
    pub calendar: Calendar,
    pub clock: Clock,
    secret: [u8; 32],
    /// Sign-in with the platform's identity provider, when configured (`auth/`).
    pub sign_in: Option<Arc<super::auth::SignIn>>,
    /// E-mail to filers when their filing's state changes, when configured (`notify.rs`).
    pub notify: Option<Arc<super::notify::Notifier>>,
}

/// The idempotency key is a client secret like the token (the app makes a UUIDv4):
/// 16–128 characters of `A-Z a-z 0-9 - _`.
fn check_idem_key(key: &str) -> Result<()> {
    let ok =
        (16..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(IntakeError::BadRequest {
            code: "bad_idempotency_key",
            zh: "幂等键须为 16–128 个字母、数字、“-”或“_”。".into(),
            en: "The idempotency key must be 16–128 letters, digits, '-' or '_'.".into(),
        })
    }
}

fn field_error(path: String, code: &str, zh: &str, en: &str) -> FieldError {
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

    pub(super) fn today(&self) -> Day {
        Day::in_china_at_unix(self.clock.now())
    }

    pub(super) fn now(&self) -> String {
        rfc3339(self.clock.now())
    }

    fn deadline_view(&self, limit: &TimeLimit, date: &str, estimated: bool, extended: u32) -> DeadlineView {
        let (article, basis_note) = match &limit.basis {
            Basis::Article { article } => (Some(article.clone()), None),
            Basis::PortalDefault { note, .. } => (None, Some(note.clone())),
        };
        DeadlineView {
            date: date.to_string(),
            estimated,
            working_days: limit.reply_working_days + extended,
            article,
            basis_note,
        }
    }

    /// The department answering a filing, from the catalog; checks every dataset named.
    fn route(&self, filing: &Filing) -> Result<String> {
        let mut errors = Vec::new();
        let mut department: Option<String> = None;
        let paths: Vec<String> = match filing {
            Filing::Application(a) => (0..a.datasets.len()).map(|i| format!("datasets[{i}].id")).collect(),
            Filing::Objection(_) | Filing::ErrorReport(_) => vec!["dataset_id".into()],
            Filing::DataRequest(_) => vec!["related_dataset_id".into()],
        };
        for (id, path) in filing.dataset_ids().iter().zip(paths) {
            match self.catalog.dataset(id) {
                None => errors.push(field_error(
                    path,
                    "unknown_dataset",
                    "目录中没有这个数据集。",
                    "There is no such dataset in the catalog.",
                )),
                Some(entry) => {
                    if matches!(filing, Filing::Application(_)) && entry.open != OpenKind::Conditional {
                        errors.push(field_error(
                            path.clone(),
                            "not_conditional",
                            "只有有条件开放的数据集需要申请。",
                            "Only conditionally open datasets need an application.",
                        ));
                    }
                    match &department {
                        Some(d) if *d != entry.department_id => errors.push(field_error(
                            path,
                            "mixed_departments",
                            "一份申请只能涉及同一提供部门的数据集,请分开申请。",
                            "One filing can only name datasets of one department; please file separately.",
                        )),
                        _ => department = Some(entry.department_id.clone()),
                    }
                }
            }
        }
        if let Filing::DataRequest(r) = filing {
            if let Some(d) = &r.department_id {
                if !self.catalog.has_department(d) {
                    errors.push(field_error(
                        "department_id".into(),
                        "unknown_department",
                        "没有这个部门。",
                        "There is no such department.",
                    ));
                } else if department.is_none() {
                    department = Some(d.clone());
                }
            }
        }
        if !errors.is_empty() {
            return Err(IntakeError::Invalid(errors));
        }
        // A data request naming no department goes to the data authority ("").
        Ok(department.unwrap_or_default())
    }

    /// Files a filing and answers with its receipt. With an idempotency key, a retry of
    /// the same filing answers with the same receipt; the same key with another filing
    /// is a conflict.
    ///
    /// `filer`: the person signed in, if any. Their verified name and document replace what
    /// was typed and the filing is tied to their subject; a kind the rule set keeps for
    /// signed-in people (Xiangxi 35: applications) is refused without one wherever sign-in
    /// is configured.
    pub async fn create(
        &self,
        mut filing: Filing,
        idem_key: Option<&str>,
        filer: Option<&VerifiedIdentity>,
    ) -> Result<(Receipt, bool)> {
        match filer {
            Some(identity) => {
                identity.apply_to(&mut filing);
            }
            None if self.sign_in.is_some() && self.rules.requires_sign_in(filing.kind()) => {
                return Err(IntakeError::SignInRequired { article: self.rules.name.clone() });
            }
            None => {}
        }
        filing.validate(&self.rules).map_err(IntakeError::Invalid)?;
        let department = self.route(&filing)?;
        let canonical = serde_json::to_string(&filing).map_err(anyhow::Error::from)?;
        // Keyed with the server secret: the hash of a form holding an ID number must not
        // allow guessing the number.
        let body_hash = super::db::hex(&token::hmac_sha256(&self.secret, canonical.as_bytes()));
        if let Some(key) = idem_key {
            check_idem_key(key)?;
            if let Some(receipt) = self.replay(key, &body_hash).await? {
                return Ok((receipt, false));
            }
        }
        let kind = filing.kind();
        let now = self.clock.now();
        let received_on = Day::in_china_at_unix(now);
        let state = FilingState::initial(kind, &self.rules);
        let deadline = self.rules.running_deadline(&self.calendar, kind, state.awaiting_forwarding(), received_on, 0);
        let token = match idem_key {
            Some(key) => token::derived_token(&self.secret, key, &body_hash),
            None => token::new_token(),
        };
        let masked = filing.masked();
        let stored = serde_json::to_string(&masked).map_err(anyhow::Error::from)?;
        let dataset_ids = serde_json::to_string(&filing.dataset_ids()).map_err(anyhow::Error::from)?;
        let received_at = rfc3339(now);
        let received_on_s = received_on.to_date().to_string();
        let deadline_s = deadline.value.to_date().to_string();

        let inserted = async {
            let mut tx = self.db.pool.begin().await?;
            let row = sqlx::query(
                "INSERT INTO filings (kind, department_id, dataset_ids, state, body, received_at, received_on, \
                 extended_days, deadline, deadline_estimated, token_hash, idem_key, body_hash, updated_at, filer_subject) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(kind.as_str())
            .bind(&department)
            .bind(&dataset_ids)
            .bind(state.as_str())
            .bind(&stored)
            .bind(&received_at)
            .bind(&received_on_s)
            .bind(&deadline_s)
            .bind(i64::from(deadline.estimated))
            .bind(token::token_hash(&token))
            .bind(idem_key.map(str::to_string))
            .bind(&body_hash)
            .bind(&received_at)
            .bind(filer.map(|i| i.subject.clone()))
            .fetch_one(&mut *tx)
            .await?;
            let id: i64 = row.try_get("id")?;
            let reference = format!("{}-{}-{id:06}", kind.reference_prefix(), received_on.year());
            sqlx::query("UPDATE filings SET reference = $1 WHERE id = $2").bind(&reference).bind(id).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO timeline (filing_id, at, actor, action, state, note, deadline) VALUES ($1, $2, 'filer', 'submit', $3, NULL, $4)",
            )
            .bind(id)
            .bind(&received_at)
            .bind(state.as_str())
            .bind(&deadline_s)
            .execute(&mut *tx)
            .await?;
            let detail = serde_json::json!({
                "kind": kind.as_str(),
                "department": department,
                "datasets": filing.dataset_ids(),
                "identity": identity_for_audit(&masked),
                "idempotency_key": idem_key.is_some(),
            });
            audit(&mut tx, &received_at, "filer", "filing.create", &reference, &detail).await?;
            tx.commit().await?;
            Ok::<String, sqlx::Error>(reference)
        }
        .await;

        let reference = match inserted {
            Ok(r) => r,
            // Two retries racing: the loser's insert hits the unique key; answer as a retry.
            Err(e) if idem_key.is_some() => match self.replay(idem_key.unwrap_or_default(), &body_hash).await? {
                Some(receipt) => return Ok((receipt, false)),
                None => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        };
        let receipt = Receipt {
            reference,
            kind,
            state: state.as_str(),
            received_at,
            received_on: received_on_s,
            deadline: self.deadline_view(
                self.rules.running_limit(kind, state.awaiting_forwarding()),
                &deadline_s,
                deadline.estimated,
                0,
            ),
            token,
        };
        Ok((receipt, true))
    }

    /// The receipt of an earlier filing with this idempotency key, if any.
    async fn replay(&self, key: &str, body_hash: &str) -> Result<Option<Receipt>> {
        let row = sqlx::query(&format!("SELECT {FILING_COLUMNS}, body_hash FROM filings WHERE idem_key = $1"))
            .bind(key)
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let stored_hash: String = row.try_get("body_hash")?;
        if stored_hash != body_hash {
            return Err(IntakeError::Conflict {
                code: "idempotency_key_reused",
                zh: "这个幂等键已用于另一份不同的提交。".into(),
                en: "This idempotency key was already used for a different filing.".into(),
            });
        }
        let f = FilingRow::from_row(&row)?;
        // The receipt as first issued: the initial state and the deadline without extensions.
        let received = Day::from_date(&kaifang_core::catalog::Date::parse(&f.received_on).map_err(anyhow::Error::msg)?);
        let initial = FilingState::initial(f.kind, &self.rules);
        let forwarding = initial.awaiting_forwarding();
        let deadline = self.rules.running_deadline(&self.calendar, f.kind, forwarding, received, 0);
        let deadline_s = deadline.value.to_date().to_string();
        Ok(Some(Receipt {
            reference: f.reference.clone(),
            kind: f.kind,
            state: initial.as_str(),
            received_at: f.received_at.clone(),
            received_on: f.received_on.clone(),
            deadline: self.deadline_view(
                self.rules.running_limit(f.kind, forwarding),
                &deadline_s,
                deadline.estimated,
                0,
            ),
            token: token::derived_token(&self.secret, key, body_hash),
        }))
    }

    async fn filing_by_token(&self, receipt_token: &str) -> Result<FilingRow> {
        if !token::well_formed(receipt_token) {
            return Err(IntakeError::NotFound);
        }
        let row = sqlx::query(&format!("SELECT {FILING_COLUMNS} FROM filings WHERE token_hash = $1"))
            .bind(token::token_hash(receipt_token))
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(FilingRow::from_row).transpose()?.ok_or(IntakeError::NotFound)
    }

    async fn filing_by_reference(&self, reference: &str) -> Result<FilingRow> {
        let row = sqlx::query(&format!("SELECT {FILING_COLUMNS} FROM filings WHERE reference = $1"))
            .bind(reference)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(FilingRow::from_row).transpose()?.ok_or(IntakeError::NotFound)
    }

    /// A department sees its own filings once they have reached it; the authority sees
    /// every filing. Another department's filing — or one the authority has not forwarded
    /// yet (Aba 20 ¶3) — is "not found", so its existence is not revealed.
    pub(super) async fn filing_for(&self, who: &Principal, reference: &str) -> Result<FilingRow> {
        let f = self.filing_by_reference(reference).await?;
        if sees(who, &f) {
            Ok(f)
        } else {
            Err(IntakeError::NotFound)
        }
    }

    pub(super) async fn view(&self, f: &FilingRow) -> Result<FilingView> {
        let rows = sqlx::query("SELECT at, actor, action, state, note, deadline, consented_by, entrustment FROM timeline WHERE filing_id = $1 ORDER BY id")
            .bind(f.id)
            .fetch_all(&self.db.pool)
            .await?;
        let timeline = rows
            .iter()
            .map(|r| {
                Ok(TimelineEntry {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    state: r.try_get("state")?,
                    note: r.try_get("note")?,
                    deadline: r.try_get("deadline")?,
                    consented_by: r.try_get("consented_by")?,
                    entrustment: r.try_get("entrustment")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        let rows = sqlx::query(
            "SELECT id, name, media_type, size, sha256, uploaded_at FROM evidence WHERE filing_id = $1 ORDER BY id",
        )
        .bind(f.id)
        .fetch_all(&self.db.pool)
        .await?;
        let evidence = rows
            .iter()
            .map(|r| {
                Ok(EvidenceMeta {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    media_type: r.try_get("media_type")?,
                    size: r.try_get("size")?,
                    sha256: r.try_get("sha256")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        let limit = self.rules.running_limit(f.kind, f.state.awaiting_forwarding());
        Ok(FilingView {
            reference: f.reference.clone(),
            kind: f.kind,
            state: f.state.as_str(),
            received_at: f.received_at.clone(),
            received_on: f.received_on.clone(),
            deadline: self.deadline_view(limit, &f.deadline, f.deadline_estimated, f.extended_days),
            overdue: self.overdue(f),
            dataset_ids: f.dataset_ids.clone(),
            approval: ApprovalProgress::of(f.state, &self.rules.approval_chain),
            timeline,
            evidence,
        })
    }

    fn overdue(&self, f: &FilingRow) -> bool {
        let deadline = kaifang_core::catalog::Date::parse(&f.deadline).map(|d| Day::from_date(&d));
        f.state.awaiting_reply() && deadline.is_ok_and(|d| self.today() > d)
    }

    /// The filer's view, by receipt token: this filing and nothing else.
    pub async fn filer_view(&self, receipt_token: &str) -> Result<FilingView> {
        let f = self.filing_by_token(receipt_token).await?;
        self.view(&f).await
    }

    /// The filer acts (supplies information, asks for a review).
    pub async fn filer_act(&self, receipt_token: &str, action: Action) -> Result<FilingView> {
        let f = self.filing_by_token(receipt_token).await?;
        self.apply(&f, action, Actor::Filer, "filer").await?;
        let f = self.filing_by_token(receipt_token).await?;
        self.view(&f).await
    }

    pub async fn department_list(
        &self,
        who: &Principal,
        state: Option<&str>,
        kind: Option<FilingKind>,
    ) -> Result<Vec<FilingSummary>> {
        let rows = match who {
            Principal::Department { id, .. } => {
                sqlx::query(&format!("SELECT {FILING_COLUMNS} FROM filings WHERE department_id = $1 ORDER BY id"))
                    .bind(id)
                    .fetch_all(&self.db.pool)
                    .await?
            }
            Principal::Authority { .. } => {
                sqlx::query(&format!("SELECT {FILING_COLUMNS} FROM filings ORDER BY id"))
                    .fetch_all(&self.db.pool)
                    .await?
            }
        };
        let mut out = Vec::new();
        for row in &rows {
            let f = FilingRow::from_row(row)?;
            if !sees(who, &f) || state.is_some_and(|s| s != f.state.as_str()) || kind.is_some_and(|k| k != f.kind) {
                continue;
            }
            out.push(FilingSummary {
                reference: f.reference.clone(),
                kind: f.kind,
                state: f.state.as_str(),
                received_on: f.received_on.clone(),
                deadline: f.deadline.clone(),
                deadline_estimated: f.deadline_estimated,
                overdue: self.overdue(&f),
                dataset_ids: f.dataset_ids.clone(),
            });
        }
        Ok(out)
    }

    /// A department (or the authority) opens a filing. Every filing holds personal data
    /// (names, contacts, identity numbers masked), so each opening is logged before the
    /// filing is shown: if the log cannot be written, nothing is shown (Xiangxi 19 行为溯源).
    pub async fn department_show(&self, who: &Principal, reference: &str) -> Result<DepartmentView> {
        let f = self.filing_for(who, reference).await?;
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let detail = serde_json::json!({ "kind": f.kind.as_str(), "state": f.state.as_str() });
        audit(&mut tx, &now, &who.audit_name(), "filing.view", &f.reference, &detail).await?;
        tx.commit().await?;
        self.department_view(&f).await
    }

    async fn department_view(&self, f: &FilingRow) -> Result<DepartmentView> {
        let view = self.view(f).await?;
        Ok(DepartmentView {
            view,
            department_id: f.department_id.clone(),
            filing: serde_json::from_str(&f.body).map_err(anyhow::Error::from)?,
        })
    }

    /// A department (or the authority) acts on a filing.
    pub async fn department_act(&self, who: &Principal, reference: &str, action: Action) -> Result<DepartmentView> {
        let f = self.filing_for(who, reference).await?;
        let actor = actor_for(who, &f.department_id);
        self.apply(&f, action, actor, &who.audit_name()).await?;
        // The action itself is in the log; the answer is not a second opening.
        self.department_view(&self.filing_for(who, reference).await?).await
    }

    pub(super) async fn apply(&self, f: &FilingRow, action: Action, actor: Actor, actor_name: &str) -> Result<()> {
        let progress = Progress::under(&self.rules, f.kind, f.extended_days);
        let step = transition(f.state, &action, actor, progress).map_err(|e| match e {
            TransitionError::Invalid(errs) => IntakeError::Invalid(errs),
            other => IntakeError::Transition(other),
        })?;
        let extended = f.extended_days + step.extension_added;
        // Forwarded today: the department's own limit runs from today (Aba 20 ¶3).
        let clock_from = if f.state.awaiting_forwarding() && !step.state.awaiting_forwarding() {
            self.today().to_date().to_string()
        } else {
            f.clock_from.clone()
        };
        let from = Day::from_date(&kaifang_core::catalog::Date::parse(&clock_from).map_err(anyhow::Error::msg)?);
        let deadline =
            self.rules.running_deadline(&self.calendar, f.kind, step.state.awaiting_forwarding(), from, extended);
        let deadline_s = deadline.value.to_date().to_string();
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        // Guarded by the old state: of two departments' clerks acting at once, one wins
        // and the other is told to reload rather than overwriting silently.
        let done = sqlx::query(
            "UPDATE filings SET state = $1, extended_days = $2, deadline = $3, deadline_estimated = $4, updated_at = $5, \
             clock_from = $6 WHERE id = $7 AND state = $8",
        )
        .bind(step.state.as_str())
        .bind(i64::from(extended))
        .bind(&deadline_s)
        .bind(i64::from(deadline.estimated))
        .bind(&now)
        .bind(&clock_from)
        .bind(f.id)
        .bind(f.state.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(IntakeError::Conflict {
                code: "state_changed",
                zh: "此件状态已被他人更新,请刷新后重试。".into(),
                en: "The filing changed in the meantime; reload and try again.".into(),
            });
        }
        let actor_label = match actor {
            Actor::Filer => "filer",
            Actor::Department => "department",
            Actor::Authority => "authority",
        };
        sqlx::query(
            "INSERT INTO timeline (filing_id, at, actor, action, state, note, deadline, consented_by, entrustment) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(f.id)
        .bind(&now)
        .bind(actor_label)
        .bind(action.name())
        .bind(step.state.as_str())
        .bind(action.note())
        .bind(&deadline_s)
        .bind(action.consented_by().map(str::to_string))
        .bind(action.entrustment().map(str::to_string))
        .execute(&mut *tx)
        .await?;
        if let Some(status) = step.dataset_status {
            for dataset in &f.dataset_ids {
                set_status(&mut tx, dataset, &f.department_id, status, &now, action.note().as_deref()).await?;
                if let Action::ReopenProcessed { note } = &action {
                    record_reopening(&mut tx, dataset, &now, note).await?;
                }
                let detail = serde_json::json!({ "status": status.as_str(), "filing": f.reference });
                audit(&mut tx, &now, actor_name, "dataset.status", dataset, &detail).await?;
            }
        }
        let detail = serde_json::json!({
            "action": action.name(),
            "from": f.state.as_str(),
            "to": step.state.as_str(),
            "extended_days": extended,
            "deadline": deadline_s,
            "consented_by": action.consented_by(),
            "entrustment": action.entrustment(),
        });
        audit(&mut tx, &now, actor_name, "filing.transition", &f.reference, &detail).await?;
        if step.state != f.state && actor != Actor::Filer {
            let note = action.note();
            super::notify::enqueue(
                self,
                &mut tx,
                f.id,
                &f.body,
                f.kind.as_str(),
                &f.reference,
                &step.state.as_str(),
                note.as_deref(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Suspends, withdraws, invalidates or reopens a dataset outside any filing
    /// (Aba 33 third paragraph, Xiangxi 39/45: found in routine supervision).
    pub async fn set_dataset_status(
        &self,
        who: &Principal,
        dataset_id: &str,
        status: &str,
        note: &str,
    ) -> Result<OverlayEntry> {
        let entry = self.catalog.dataset(dataset_id).ok_or(IntakeError::NotFound)?;
        if let Principal::Department { id, .. } = who {
            if *id != entry.department_id {
                return Err(IntakeError::Forbidden {
                    zh: "只能处理本部门提供的数据集。".into(),
                    en: "A department may act only on its own datasets.".into(),
                });
            }
        }
        let status = DatasetStatus::parse(status).ok_or_else(|| {
            IntakeError::Invalid(vec![field_error(
                "status".into(),
                "invalid_choice",
                "状态须为 open、suspended、withdrawn 或 invalid。",
                "Status must be open, suspended, withdrawn or invalid.",
            )])
        })?;
        let mut e = kaifang_core::filing::check::Errors::default();
        e.text("note", note, 2, 2000);
        e.into_result().map_err(IntakeError::Invalid)?;
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        set_status(&mut tx, dataset_id, &entry.department_id, status, &now, Some(note)).await?;
        let detail = serde_json::json!({ "status": status.as_str(), "note": note });
        audit(&mut tx, &now, &who.audit_name(), "dataset.status", dataset_id, &detail).await?;
        tx.commit().await?;
        Ok(OverlayEntry { status, since: now, note: Some(note.to_string()), reopenings: vec![] })
    }

    /// The status overlay: every dataset whose status changed since the catalog was built.
    pub async fn overlay(&self) -> Result<std::collections::BTreeMap<String, OverlayEntry>> {
        let rows = sqlx::query("SELECT dataset_id, status, since, note FROM dataset_status ORDER BY dataset_id")
            .fetch_all(&self.db.pool)
            .await?;
        let mut out = std::collections::BTreeMap::new();
        for r in rows {
            let status: String = r.try_get("status")?;
            let status =
                DatasetStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("bad status {status} in database"))?;
            let entry =
                OverlayEntry { status, since: r.try_get("since")?, note: r.try_get("note")?, reopenings: vec![] };
            out.insert(r.try_get("dataset_id")?, entry);
        }
        // Oldest first: each reopening after processing is the next version (B3).
        let rows = sqlx::query("SELECT dataset_id, at, note FROM dataset_reopenings ORDER BY id")
            .fetch_all(&self.db.pool)
            .await?;
        for r in rows {
            let id: String = r.try_get("dataset_id")?;
            if let Some(e) = out.get_mut(&id) {
                e.reopenings.push(Reopening { at: r.try_get("at")?, note: r.try_get("note")? });
            }
        }
        Ok(out)
    }

    /// Adds an evidence file to a filing, by its receipt token.
    pub async fn add_evidence(
        &self,
        receipt_token: &str,
        name: &str,
        declared: &str,
        bytes: &[u8],
    ) -> Result<EvidenceMeta> {
        let f = self.filing_by_token(receipt_token).await?;
        let kind = evidence::check(name, declared, bytes).map_err(|r| {
            let (zh, en) = r.messages();
            match r {
                Refusal::TooLarge => IntakeError::TooLarge { zh, en },
                Refusal::Empty | Refusal::BadName => IntakeError::BadRequest { code: r.code(), zh, en },
                Refusal::UnknownType | Refusal::DeclaredTypeMismatch { .. } => IntakeError::UnsupportedMedia { zh, en },
            }
        })?;
        use kaifang_core::filing::state::{ApplicationState as A, ObjectionState as O};
        let open_for_evidence = f.state.awaiting_reply()
            || matches!(
                f.state,
                FilingState::Application(A::InformationRequested) | FilingState::Objection(O::ReviewRequested)
            );
        if !open_for_evidence {
            return Err(IntakeError::Conflict {
                code: "filing_closed",
                zh: "此件已办结,不能再补充材料。".into(),
                en: "This filing is closed; no more files can be added.".into(),
            });
        }
        let now = self.now();
        let sha = token::sha256_hex(bytes);
        let mut tx = self.db.pool.begin().await?;
        // The same file (name and bytes) sent again — a retry whose answer was lost, a second
        // tab — is answered with what is stored, not stored twice.
        if let Some(r) = sqlx::query(
            "SELECT id, media_type, size, uploaded_at FROM evidence WHERE filing_id = $1 AND sha256 = $2 AND name = $3",
        )
        .bind(f.id)
        .bind(&sha)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?
        {
            return Ok(EvidenceMeta {
                id: r.try_get("id")?,
                name: name.to_string(),
                media_type: r.try_get("media_type")?,
                size: r.try_get("size")?,
                sha256: sha,
                uploaded_at: r.try_get("uploaded_at")?,
            });
        }
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM evidence WHERE filing_id = $1")
            .bind(f.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if count >= evidence::MAX_FILES {
            return Err(IntakeError::Conflict {
                code: "too_many_files",
                zh: format!("每件最多 {} 个文件。", evidence::MAX_FILES),
                en: format!("At most {} files per filing.", evidence::MAX_FILES),
            });
        }
        let row = sqlx::query(
            "INSERT INTO evidence (filing_id, name, media_type, size, sha256, content, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(f.id)
        .bind(name)
        .bind(kind.media_type())
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes.to_vec())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let detail =
            serde_json::json!({ "evidence": id, "media_type": kind.media_type(), "size": bytes.len(), "sha256": sha });
        audit(&mut tx, &now, "filer", "evidence.add", &f.reference, &detail).await?;
        tx.commit().await?;
        Ok(EvidenceMeta {
            id,
            name: name.to_string(),
            media_type: kind.media_type().into(),
            size: bytes.len() as i64,
            sha256: sha,
            uploaded_at: now,
        })
    }

    /// An evidence file's bytes, for the department that owns the filing.
    pub async fn evidence_file(&self, who: &Principal, reference: &str, id: i64) -> Result<(EvidenceMeta, Vec<u8>)> {
        let f = self.filing_for(who, reference).await?;
        let r = sqlx::query("SELECT id, name, media_type, size, sha256, uploaded_at, content FROM evidence WHERE id = $1 AND filing_id = $2")
            .bind(id)
            .bind(f.id)
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or(IntakeError::NotFound)?;
        let meta = EvidenceMeta {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            media_type: r.try_get("media_type")?,
            size: r.try_get("size")?,
            sha256: r.try_get("sha256")?,
            uploaded_at: r.try_get("uploaded_at")?,
        };
        let content: Vec<u8> = r.try_get("content")?;
        // Reading a filer's evidence is an action on personal data: it is traced too.
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let detail = serde_json::json!({ "evidence": meta.id, "sha256": meta.sha256 });
        audit(&mut tx, &now, &who.audit_name(), "evidence.download", &f.reference, &detail).await?;
        tx.commit().await?;
        Ok((meta, content))
    }

    /// Issues a token for a department (or the authority); returns it once.
    pub async fn create_token(&self, department_id: Option<&str>, label: &str) -> Result<String> {
        let (dept, role) = match department_id {
            Some(d) => {
                if !self.catalog.has_department(d) {
                    return Err(IntakeError::BadRequest {
                        code: "unknown_department",
                        zh: format!("目录中没有部门“{d}”。"),
                        en: format!("The catalog has no department “{d}”."),
                    });
                }
                (d.to_string(), "department")
            }
            None => (String::new(), "authority"),
        };
        let t = token::new_token();
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        sqlx::query("INSERT INTO department_tokens (token_hash, department_id, role, label, created_at, revoked) VALUES ($1, $2, $3, $4, $5, 0)")
            .bind(token::token_hash(&t))
            .bind(&dept)
            .bind(role)
            .bind(label)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "department": dept, "role": role, "label": label });
        audit(&mut tx, &now, "cli", "token.create", if dept.is_empty() { "authority" } else { &dept }, &detail).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// Revokes every token of a department (or, with `None`, every authority token), e.g.
    /// when one leaked; answers how many were revoked. Issue a new one afterwards.
    pub async fn revoke_tokens(&self, department_id: Option<&str>) -> Result<u64> {
        let (dept, role) = match department_id {
            Some(d) => (d, "department"),
            None => ("", "authority"),
        };
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE department_tokens SET revoked = 1 WHERE department_id = $1 AND role = $2 AND revoked = 0",
        )
        .bind(dept)
        .bind(role)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "department": dept, "role": role, "revoked": done.rows_affected() });
        audit(&mut tx, &now, "cli", "token.revoke", if dept.is_empty() { "authority" } else { dept }, &detail).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Who holds a bearer token, if anyone.
    pub async fn principal(&self, bearer: &str) -> Result<Principal> {
        if !token::well_formed(bearer) {
            return Err(IntakeError::Unauthorized);
        }
        let row = sqlx::query(
            "SELECT department_id, role, label FROM department_tokens WHERE token_hash = $1 AND revoked = 0",
        )
        .bind(token::token_hash(bearer))
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or(IntakeError::Unauthorized)?;
        let role: String = row.try_get("role")?;
        let label: String = row.try_get("label")?;
        Ok(if role == "authority" {
            Principal::Authority { label }
        } else {
            Principal::Department { id: row.try_get("department_id")?, label }
        })
    }

    /// The audit log's entries with `since <= at < until` (RFC 3339 UTC; either bound
    /// open), oldest first: `kaifang review audit` prints them and operators archive them.
    pub async fn audit_log(&self, since: Option<&str>, until: Option<&str>) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE at >= $1 AND at < $2 ORDER BY id",
        )
        .bind(since.unwrap_or(""))
        .bind(until.unwrap_or("~"))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Removes the entries older than `before` (archive them first with [`Intake::audit_log`]).
    /// The database itself refuses if any is younger than the retention period
    /// (Xiangxi 19: at least 3 years) — this method cannot be talked into it. The pruning
    /// is logged.
    pub async fn audit_prune(&self, before: &str) -> Result<u64> {
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let done =
            sqlx::query("DELETE FROM audit_log WHERE at < $1").bind(before).execute(&mut *tx).await.map_err(|e| {
                IntakeError::Conflict {
                    code: "audit_retention",
                    zh: format!("审计日志至少保留 {} 年,不能删除未满期限的记录。", super::db::AUDIT_RETENTION_YEARS),
                    en: format!(
                        "Audit entries are kept at least {} years (Xiangxi 19); the database refused: {e}",
                        super::db::AUDIT_RETENTION_YEARS
                    ),
                }
            })?;
        let detail = serde_json::json!({ "before": before, "removed": done.rows_affected() });
        audit(&mut tx, &now, "cli", "audit.prune", "audit_log", &detail).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

/// One entry of the audit log (one definition with the desk, which reads it).
pub use kaifang_core::desk::AuditEntry;

/// Whether `who` may see `f`: the authority every filing; a department its own, once
/// the authority has forwarded it where the rules route it through the authority.
fn sees(who: &Principal, f: &FilingRow) -> bool {
    may_see(who, &f.department_id, f.state)
}

/// [`sees`] on the columns alone (the desk's inbox reads no more than these).
pub(super) fn may_see(who: &Principal, department_id: &str, state: FilingState) -> bool {
    match who {
        Principal::Authority { .. } => true,
        Principal::Department { id, .. } => id == department_id && !state.awaiting_forwarding(),
    }
}

/// Who `who` acts as on a filing of `department_id`: the authority answers filings no
/// department owns (data requests naming none) as their department, and decides reviews
/// as the authority.
pub(super) fn actor_for(who: &Principal, department_id: &str) -> Actor {
    match who {
        Principal::Department { .. } => Actor::Department,
        Principal::Authority { .. } if department_id.is_empty() => Actor::Department,
        Principal::Authority { .. } => Actor::Authority,
    }
}

/// Who filed, as the audit log may hold it: masked numbers only.
fn identity_for_audit(masked: &Filing) -> serde_json::Value {
    match masked {
        Filing::Application(a) => serde_json::json!({
            "type": a.applicant.applicant_type,
            "document": a.applicant.id_document.kind,
            "number": a.applicant.id_document.number,
        }),
        Filing::Objection(o) => serde_json::json!({
            "relation": o.relation,
            "number": o.requester.id_document.as_ref().map(|d| d.number.clone()),
        }),
        Filing::ErrorReport(_) | Filing::DataRequest(_) => serde_json::Value::Null,
    }
}

pub(super) async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A reopening after processing (Aba 33 ¶2, Xiangxi 45: 处理后再开放), kept so the overlay
/// can give the dataset its new version (B3).
async fn record_reopening(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dataset: &str,
    at: &str,
    note: &str,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO dataset_reopenings (dataset_id, at, note) VALUES ($1, $2, $3)")
        .bind(dataset)
        .bind(at)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn set_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dataset: &str,
    department: &str,
    status: DatasetStatus,
    since: &str,
    note: Option<&str>,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dataset_status (dataset_id, department_id, status, since, note) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (dataset_id) DO UPDATE SET status = excluded.status, since = excluded.since, note = excluded.note",
    )
    .bind(dataset)
    .bind(department)
    .bind(status.as_str())
    .bind(since)
    .bind(note.map(str::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
