//! How the service reads `filings`: one row type derived from the columns
//! (`sqlx::FromRow`), the lookups by receipt token and reference, and the one place that
//! decides which rows a principal may see — the desk's inbox, the figures and the
//! department list all read through it, so the rule is written once.

use kaifang_core::filing::FilingState;
use kaifang_core::rules::FilingKind;
use sqlx::any::AnyRow;

use super::{may_see, Intake, IntakeError, Principal, Result};
use crate::intake::token;

/// The columns that say what a filing is, where it stands and who answers for it, as
/// stored; every reader of `filings` parses them through [`StoredHead::state`].
#[derive(sqlx::FromRow)]
pub(in crate::intake) struct StoredHead {
    kind: String,
    pub(in crate::intake) state: String,
    pub(in crate::intake) department_id: String,
}

impl StoredHead {
    /// The stored state (which names its kind); a value the code does not know is an error,
    /// never a guess.
    pub(in crate::intake) fn state(&self) -> Result<FilingState> {
        let kind =
            FilingKind::parse(&self.kind).ok_or_else(|| anyhow::anyhow!("unknown kind {} in database", self.kind))?;
        let state = FilingState::parse(kind, &self.state)
            .ok_or_else(|| anyhow::anyhow!("unknown state {} in database", self.state))?;
        Ok(state)
    }
}

/// A row type that carries a [`StoredHead`], so [`Intake::filings_seen_by`] can tell
/// whether its reader may see it.
pub(in crate::intake) trait HasHead: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin {
    fn head(&self) -> &StoredHead;
}

/// One row of `filings` as stored (the columns of [`FILING_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub(in crate::intake) struct StoredFiling {
    id: i64,
    reference: Option<String>,
    #[sqlx(flatten)]
    head: StoredHead,
    dataset_ids: String,
    body: String,
    received_at: String,
    received_on: String,
    extended_days: i64,
    deadline: String,
    deadline_estimated: i64,
    clock_from: Option<String>,
}

impl HasHead for StoredFiling {
    fn head(&self) -> &StoredHead {
        &self.head
    }
}

/// One row of `filings`, as the service uses it.
pub(in crate::intake) struct FilingRow {
    pub(super) id: i64,
    pub(super) reference: String,
    pub(super) kind: FilingKind,
    pub(in crate::intake) department_id: String,
    pub(super) dataset_ids: Vec<String>,
    pub(in crate::intake) state: FilingState,
    pub(in crate::intake) body: String,
    pub(super) received_at: String,
    pub(super) received_on: String,
    pub(in crate::intake) extended_days: u32,
    pub(super) deadline: String,
    pub(super) deadline_estimated: bool,
    /// The day the running clock started: the day of receipt, or the day the authority
    /// forwarded the filing to the department (Aba 20 ¶3).
    pub(super) clock_from: String,
}

pub(in crate::intake) const FILING_COLUMNS: &str =
    "id, reference, kind, department_id, dataset_ids, state, body, received_at, received_on, \
     extended_days, deadline, deadline_estimated, clock_from";

impl TryFrom<StoredFiling> for FilingRow {
    type Error = IntakeError;

    fn try_from(s: StoredFiling) -> Result<FilingRow> {
        let state = s.head.state()?;
        Ok(FilingRow {
            clock_from: s.clock_from.unwrap_or_else(|| s.received_on.clone()),
            id: s.id,
            reference: s.reference.unwrap_or_default(),
            kind: state.kind(),
            department_id: s.head.department_id,
            dataset_ids: serde_json::from_str(&s.dataset_ids).map_err(anyhow::Error::from)?,
            state,
            body: s.body,
            received_at: s.received_at,
            received_on: s.received_on,
            extended_days: s.extended_days.try_into().unwrap_or(0),
            deadline: s.deadline,
            deadline_estimated: s.deadline_estimated != 0,
        })
    }
}

impl FilingRow {
    /// The row `sql` (selecting [`FILING_COLUMNS`]) finds with `binds`, or "not found".
    pub(in crate::intake) async fn find(intake: &Intake, sql: &str, binds: &[&str]) -> Result<FilingRow> {
        let mut q = sqlx::query_as::<_, StoredFiling>(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.fetch_optional(&intake.db.pool).await?.ok_or(IntakeError::NotFound)?.try_into()
    }
}

/// A row [`Intake::filings_seen_by`] let through, with the state it parsed.
pub(in crate::intake) struct Seen<T> {
    pub(in crate::intake) state: FilingState,
    pub(in crate::intake) row: T,
}

impl Intake {
    pub(super) async fn filing_by_token(&self, receipt_token: &str) -> Result<FilingRow> {
        if !token::well_formed(receipt_token) {
            return Err(IntakeError::NotFound);
        }
        let sql = format!("SELECT {FILING_COLUMNS} FROM filings WHERE token_hash = $1");
        FilingRow::find(self, &sql, &[&token::token_hash(receipt_token)]).await
    }

    async fn filing_by_reference(&self, reference: &str) -> Result<FilingRow> {
        FilingRow::find(self, &format!("SELECT {FILING_COLUMNS} FROM filings WHERE reference = $1"), &[reference]).await
    }

    /// A department sees its own filings once they have reached it; the authority sees
    /// every filing. Another department's filing — or one the authority has not forwarded
    /// yet (Aba 20 ¶3) — is "not found", so its existence is not revealed.
    pub(in crate::intake) async fn filing_for(&self, who: &Principal, reference: &str) -> Result<FilingRow> {
        let f = self.filing_by_reference(reference).await?;
        if may_see(who, &f.department_id, f.state) {
            Ok(f)
        } else {
            Err(IntakeError::NotFound)
        }
    }

    /// The rows of `filings` `who` may see, with their parsed state, reading only `columns`
    /// (which must hold `kind, state, department_id`) and ending the query with `tail`
    /// (an `ORDER BY`, or nothing). The department's own rows are chosen in SQL, the
    /// forwarding rule ([`may_see`]) in code.
    pub(in crate::intake) async fn filings_seen_by<T: HasHead>(
        &self,
        who: &Principal,
        columns: &str,
        tail: &str,
    ) -> Result<Vec<Seen<T>>> {
        let rows = match who {
            Principal::Department { id, .. } => {
                sqlx::query_as::<_, T>(&format!("SELECT {columns} FROM filings WHERE department_id = $1{tail}"))
                    .bind(id)
                    .fetch_all(&self.db.pool)
                    .await?
            }
            Principal::Authority { .. } => {
                sqlx::query_as::<_, T>(&format!("SELECT {columns} FROM filings{tail}")).fetch_all(&self.db.pool).await?
            }
        };
        let mut seen = Vec::with_capacity(rows.len());
        for row in rows {
            let state = row.head().state()?;
            if may_see(who, &row.head().department_id, state) {
                seen.push(Seen { state, row });
            }
        }
        Ok(seen)
    }
}
