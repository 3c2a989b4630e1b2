//! What the desk (`/desk`) asks of the intake beyond the filing itself: who is signed in,
//! the inbox with each filing's standing, the actions an official may take now, and the
//! department's audit log (JSON and CSV). The rules are core's (`kaifang_core::desk`);
//! this module only reads the database for them. Routes: `desk_api.rs`.

use kaifang_core::desk::{day_of, offered_actions, Inbox, InboxFilter, InboxRow, Me, Offer, Role, Standings};
use kaifang_core::filing::Progress;

use super::service::{actor_for, audit, AuditEntry, AuditRow, HasHead, Intake, Principal, Result, Seen, StoredHead};

/// The most audit entries one answer holds; older ones are read with `before`.
pub const MAX_AUDIT_PAGE: usize = 1000;
/// The most entries a CSV export holds (about 20 MB): archive larger periods with
/// `kaifang review audit`.
pub const MAX_AUDIT_EXPORT: usize = 100_000;

/// The columns of `filings` the inbox reads.
#[derive(sqlx::FromRow)]
struct InboxColumns {
    reference: Option<String>,
    #[sqlx(flatten)]
    head: StoredHead,
    dataset_ids: String,
    received_on: String,
    deadline: String,
    deadline_estimated: i64,
}

impl HasHead for InboxColumns {
    fn head(&self) -> &StoredHead {
        &self.head
    }
}

impl Intake {
    pub fn me(&self, who: &Principal) -> Me {
        match who {
            Principal::Department { id, label } => Me {
                role: Role::Department,
                department_id: id.clone(),
                label: label.clone(),
                datasets: self.catalog.datasets_of(Some(id)),
            },
            Principal::Authority { label } => Me {
                role: Role::Authority,
                department_id: String::new(),
                label: label.clone(),
                datasets: self.catalog.datasets_of(None),
            },
        }
    }

    /// The inbox: every filing `who` may see, with its standing today, filtered, counted
    /// per state and ordered by reply date (`kaifang_core::desk::inbox`).
    pub async fn inbox(&self, who: &Principal, filter: &InboxFilter, offset: usize, limit: usize) -> Result<Inbox> {
        // Only the columns the inbox shows: the bodies (personal data, and most of the bytes)
        // stay in the database.
        const COLUMNS: &str =
            "reference, kind, department_id, dataset_ids, state, received_on, deadline, deadline_estimated";
        let rows = self.filings_seen_by::<InboxColumns>(who, COLUMNS, "").await?;
        let today = self.today();
        let mut standings = Standings::new(&self.calendar, today);
        let mut out = Vec::with_capacity(rows.len());
        for Seen { state, row: r } in rows {
            let due = day_of(&r.deadline).ok_or_else(|| anyhow::anyhow!("bad deadline {} in database", r.deadline))?;
            let (standing, counted_estimate) = standings.of(state, due);
            out.push(InboxRow {
                reference: r.reference.unwrap_or_default(),
                kind: state.kind(),
                state: r.head.state,
                department_id: r.head.department_id,
                dataset_ids: serde_json::from_str(&r.dataset_ids).map_err(anyhow::Error::from)?,
                received_on: r.received_on,
                deadline: r.deadline,
                estimated: counted_estimate || r.deadline_estimated != 0,
                standing,
            });
        }
        Ok(Inbox::build(today, out, filter, offset, limit))
    }

    /// The actions `who` may take on a filing now, with the extension still allowed.
    pub async fn offer(&self, who: &Principal, reference: &str) -> Result<Offer> {
        let f = self.filing_for(who, reference).await?;
        let progress = Progress::under(&self.rules, f.state.kind(), f.extended_days);
        Ok(offered_actions(f.state, actor_for(who, &f.department_id), progress))
    }

    /// The audit log of what `who` answers for, newest first: entries about its filings
    /// (not those still waiting for the authority to forward them: their existence is not
    /// the department's to know yet), its datasets' status changes and its tokens. The
    /// authority reads the whole log. `before`: only entries with a smaller id (paging).
    pub async fn department_audit(
        &self,
        who: &Principal,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>> {
        let before = before.unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = match who {
            Principal::Department { id, .. } => {
                sqlx::query_as::<_, AuditRow>(
                    "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id < $2 AND ( \
                       subject IN (SELECT reference FROM filings WHERE department_id = $1 AND reference IS NOT NULL \
                                   AND state <> 'awaiting_forwarding') \
                       OR (action = 'dataset.status' AND subject IN (SELECT dataset_id FROM dataset_status WHERE department_id = $1)) \
                       OR subject = $1) \
                     ORDER BY id DESC LIMIT $3",
                )
                .bind(id)
                .bind(before)
                .bind(limit)
                .fetch_all(&self.db.pool)
                .await?
            }
            Principal::Authority { .. } => {
                sqlx::query_as::<_, AuditRow>("SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2")
                    .bind(before)
                    .bind(limit)
                    .fetch_all(&self.db.pool)
                    .await?
            }
        };
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// The audit log as CSV (formula-safe cells, UTF-8 with BOM so spreadsheets read the
    /// Chinese), oldest first. The export is itself logged: the log names officials and
    /// filings, and Xiangxi 19 asks for traceable handling.
    pub async fn department_audit_csv(&self, who: &Principal) -> Result<String> {
        let mut entries = self.department_audit(who, None, MAX_AUDIT_EXPORT).await?;
        entries.reverse();
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let detail = serde_json::json!({ "entries": entries.len() });
        let subject = match who {
            Principal::Department { id, .. } => id.as_str(),
            Principal::Authority { .. } => "authority",
        };
        audit(&mut tx, &now, &who.audit_name(), "audit.export", subject, &detail).await?;
        tx.commit().await?;
        let rows = entries.iter().map(|e| {
            [e.id.to_string(), e.at.clone(), e.actor.clone(), e.action.clone(), e.subject.clone(), e.detail.clone()]
        });
        Ok(kaifang_core::export::to_csv(&["id", "at", "actor", "action", "subject", "detail"], rows, true))
    }
}
