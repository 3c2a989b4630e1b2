//! The append-only audit log (Xiangxi 19 行为溯源): [`audit`] writes an entry inside the
//! transaction of the act it records, so an act is never done unlogged; operators read
//! the log for archiving and prune it only past the retention the database enforces.

use super::{Intake, IntakeError, Result};
use crate::intake::db::AUDIT_RETENTION_YEARS;

/// One entry of the audit log (one definition with the desk, which reads it).
pub use kaifang_core::desk::AuditEntry;

/// A row of `audit_log`, as stored; the desk's reading of the log maps it the same way.
#[derive(sqlx::FromRow)]
pub(in crate::intake) struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry { id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail }
    }
}

impl Intake {
    /// The audit log's entries with `since <= at < until` (RFC 3339 UTC; either bound
    /// open), oldest first: `kaifang review audit` prints them and operators archive them.
    pub async fn audit_log(&self, since: Option<&str>, until: Option<&str>) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE at >= $1 AND at < $2 ORDER BY id",
        )
        .bind(since.unwrap_or(""))
        .bind(until.unwrap_or("~"))
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
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
                    zh: format!("审计日志至少保留 {} 年,不能删除未满期限的记录。", AUDIT_RETENTION_YEARS),
                    en: format!(
                        "Audit entries are kept at least {} years (Xiangxi 19); the database refused: {e}",
                        AUDIT_RETENTION_YEARS
                    ),
                }
            })?;
        let detail = serde_json::json!({ "before": before, "removed": done.rows_affected() });
        audit(&mut tx, &now, "cli", "audit.prune", "audit_log", &detail).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

/// Writes one entry of the audit log in the transaction of the act it records.
pub(in crate::intake) async fn audit(
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
