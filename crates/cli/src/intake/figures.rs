//! The supervising authority's figures over the intake's database: the facts per filing
//! (kind, state, receipt, reply date, the day of the first answer) read in two queries,
//! counted by `kaifang_core::desk::figures` — one place for SQLite and PostgreSQL alike.

use std::collections::HashMap;

use kaifang_core::desk::{answered, china_day_of, day_of, FigureInput, Figures};
use kaifang_core::filing::FilingState;

use super::service::{HasHead, Intake, Principal, Result, Seen, StoredHead};

/// The columns of `filings` the figures read.
#[derive(sqlx::FromRow)]
struct FigureColumns {
    id: i64,
    #[sqlx(flatten)]
    head: StoredHead,
    received_on: String,
    deadline: String,
}

impl HasHead for FigureColumns {
    fn head(&self) -> &StoredHead {
        &self.head
    }
}

/// A department's (or the authority's) step on a filing, from `timeline`.
#[derive(sqlx::FromRow)]
struct StepRow {
    filing_id: i64,
    at: String,
    state: String,
}

impl Intake {
    /// The figures of every filing `who` may see: a department its own, the authority all
    /// departments' (one row per department, month of receipt and kind).
    pub async fn figures(&self, who: &Principal) -> Result<Figures> {
        let filings = self
            .filings_seen_by::<FigureColumns>(who, "id, kind, department_id, state, received_on, deadline", "")
            .await?;
        let steps = match who {
            Principal::Department { id, .. } => {
                sqlx::query_as::<_, StepRow>(
                    "SELECT t.filing_id, t.at, t.state FROM timeline t JOIN filings f ON f.id = t.filing_id \
                     WHERE f.department_id = $1 AND t.actor <> 'filer' ORDER BY t.id",
                )
                .bind(id)
                .fetch_all(&self.db.pool)
                .await?
            }
            Principal::Authority { .. } => {
                sqlx::query_as::<_, StepRow>(
                    "SELECT filing_id, at, state FROM timeline WHERE actor <> 'filer' ORDER BY id",
                )
                .fetch_all(&self.db.pool)
                .await?
            }
        };
        let mut inputs: HashMap<i64, FigureInput> = HashMap::with_capacity(filings.len());
        for Seen { state, row: r } in filings {
            let date = |col: &str, s: &str| -> Result<_> {
                Ok(day_of(s).ok_or_else(|| anyhow::anyhow!("bad {col} {s} in database"))?)
            };
            let input = FigureInput {
                state,
                received_on: date("received_on", &r.received_on)?,
                deadline: date("deadline", &r.deadline)?,
                department_id: r.head.department_id,
                answered_on: None,
            };
            inputs.insert(r.id, input);
        }
        // The answer is the first step, oldest first, into a state that answers the filer.
        for r in &steps {
            let Some(input) = inputs.get_mut(&r.filing_id) else { continue };
            if input.answered_on.is_some() {
                continue;
            }
            if FilingState::parse(input.state.kind(), &r.state).is_some_and(answered) {
                input.answered_on = china_day_of(&r.at);
            }
        }
        Ok(Figures::compute(&self.calendar, self.today(), inputs.into_values()))
    }
}
