//! The status overlay: a dataset suspended, withdrawn, invalidated or reopened after its
//! catalog was built — by a decision on a filing or in routine supervision — and the
//! overlay the app reads so every reader sees the dataset's standing today (MISSION B3).

use std::collections::BTreeMap;

use kaifang_core::catalog::DatasetStatus;
use kaifang_core::filing::Action;

use super::audit::audit;
use super::{field_error, FilingRow, Intake, IntakeError, OverlayEntry, Principal, Reopening, Result};

/// A row of `dataset_status`, as stored.
#[derive(sqlx::FromRow)]
struct StatusRow {
    dataset_id: String,
    status: String,
    since: String,
    note: Option<String>,
}

/// A row of `dataset_reopenings`, as stored.
#[derive(sqlx::FromRow)]
struct ReopeningRow {
    dataset_id: String,
    at: String,
    note: String,
}

impl Intake {
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
    pub async fn overlay(&self) -> Result<BTreeMap<String, OverlayEntry>> {
        let rows = sqlx::query_as::<_, StatusRow>(
            "SELECT dataset_id, status, since, note FROM dataset_status ORDER BY dataset_id",
        )
        .fetch_all(&self.db.pool)
        .await?;
        let mut out = BTreeMap::new();
        for r in rows {
            let status = DatasetStatus::parse(&r.status)
                .ok_or_else(|| anyhow::anyhow!("bad status {} in database", r.status))?;
            out.insert(r.dataset_id, OverlayEntry { status, since: r.since, note: r.note, reopenings: vec![] });
        }
        // Oldest first: each reopening after processing is the next version (B3).
        let rows = sqlx::query_as::<_, ReopeningRow>("SELECT dataset_id, at, note FROM dataset_reopenings ORDER BY id")
            .fetch_all(&self.db.pool)
            .await?;
        for r in rows {
            if let Some(e) = out.get_mut(&r.dataset_id) {
                e.reopenings.push(Reopening { at: r.at, note: r.note });
            }
        }
        Ok(out)
    }

    /// A decision's consequence for the filing's datasets (e.g. an objection upheld
    /// suspends them), each status change logged in the decision's transaction.
    pub(super) async fn follow_datasets(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        f: &FilingRow,
        status: DatasetStatus,
        action: &Action,
        now: &str,
        actor_name: &str,
    ) -> Result<()> {
        for dataset in &f.dataset_ids {
            set_status(tx, dataset, &f.department_id, status, now, action.note().as_deref()).await?;
            if let Action::ReopenProcessed { note } = action {
                record_reopening(tx, dataset, now, note).await?;
            }
            let detail = serde_json::json!({ "status": status.as_str(), "filing": f.reference });
            audit(tx, now, actor_name, "dataset.status", dataset, &detail).await?;
        }
        Ok(())
    }
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
