//! What a department (or the authority) does with the filings it answers for: list them,
//! open one (logged, since every filing holds personal data) and act on it. Every
//! actor's step — the filer's too — goes through [`Intake::apply`], the one place a
//! filing changes state, so the rules of `kaifang_core::filing::state` hold for all.

use kaifang_core::calendar::Day;
use kaifang_core::filing::state::transition;
use kaifang_core::filing::{Action, Actor, Progress, TransitionError};
use kaifang_core::rules::FilingKind;
use serde::{Deserialize, Serialize};

use super::audit::audit;
use super::rows::StoredFiling;
use super::{actor_for, FilingRow, FilingView, Intake, IntakeError, Principal, Result, FILING_COLUMNS};

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

impl Intake {
    /// The filings `who` may see, oldest first, optionally of one state and kind.
    pub async fn department_list(
        &self,
        who: &Principal,
        state: Option<&str>,
        kind: Option<FilingKind>,
    ) -> Result<Vec<FilingSummary>> {
        let mut out = Vec::new();
        for seen in self.filings_seen_by::<StoredFiling>(who, FILING_COLUMNS, " ORDER BY id").await? {
            if state.is_some_and(|s| s != seen.state.as_str()) || kind.is_some_and(|k| k != seen.state.kind()) {
                continue;
            }
            let f = FilingRow::try_from(seen.row)?;
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

    /// One step of a filing's life, by any actor: checked against the state machine,
    /// written with its new deadline, timeline entry, dataset statuses, audit entry and the
    /// filer's notification, all in one transaction.
    pub(in crate::intake) async fn apply(
        &self,
        f: &FilingRow,
        action: Action,
        actor: Actor,
        actor_name: &str,
    ) -> Result<()> {
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
            self.follow_datasets(&mut tx, f, status, &action, &now, actor_name).await?;
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
            crate::intake::notify::enqueue(
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
}
