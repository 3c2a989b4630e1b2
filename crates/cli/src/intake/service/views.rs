//! What a filing's readers are shown: its [`FilingView`] — state, reply date with the
//! article it comes from, whether it is overdue, the approval step, timeline and files —
//! one view for the filer, the department and a signed-in filer's list, so none of them
//! can drift from the others.

use kaifang_core::calendar::Day;
use kaifang_core::filing::answers::ApprovalProgress;
use kaifang_core::rules::{Basis, TimeLimit};

use super::evidence::EvidenceRow;
use super::{DeadlineView, EvidenceMeta, FilingRow, FilingView, Intake, Result, TimelineEntry};

/// A row of `timeline`, as stored.
#[derive(sqlx::FromRow)]
struct TimelineRow {
    at: String,
    actor: String,
    action: String,
    state: String,
    note: Option<String>,
    deadline: Option<String>,
    consented_by: Option<String>,
    entrustment: Option<String>,
}

impl From<TimelineRow> for TimelineEntry {
    fn from(r: TimelineRow) -> TimelineEntry {
        TimelineEntry {
            at: r.at,
            actor: r.actor,
            action: r.action,
            state: r.state,
            note: r.note,
            deadline: r.deadline,
            consented_by: r.consented_by,
            entrustment: r.entrustment,
        }
    }
}

impl Intake {
    /// The reply date as a reader sees it: the working days it allows (extensions
    /// included) and the article it rests on, or the portal's default and why.
    pub(super) fn deadline_view(&self, limit: &TimeLimit, date: &str, estimated: bool, extended: u32) -> DeadlineView {
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

    /// What every reader of a filing is shown: its standing, timeline and files.
    pub(in crate::intake) async fn view(&self, f: &FilingRow) -> Result<FilingView> {
        let rows = sqlx::query_as::<_, TimelineRow>("SELECT at, actor, action, state, note, deadline, consented_by, entrustment FROM timeline WHERE filing_id = $1 ORDER BY id")
            .bind(f.id)
            .fetch_all(&self.db.pool)
            .await?;
        let timeline = rows.into_iter().map(TimelineEntry::from).collect();
        let evidence = sqlx::query_as::<_, EvidenceRow>(
            "SELECT id, name, media_type, size, sha256, uploaded_at FROM evidence WHERE filing_id = $1 ORDER BY id",
        )
        .bind(f.id)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(EvidenceMeta::from)
        .collect();
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

    pub(super) fn overdue(&self, f: &FilingRow) -> bool {
        let deadline = kaifang_core::catalog::Date::parse(&f.deadline).map(|d| Day::from_date(&d));
        f.state.awaiting_reply() && deadline.is_ok_and(|d| self.today() > d)
    }
}
