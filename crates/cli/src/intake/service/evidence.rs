//! Evidence files a filer adds to a filing (checked by `kaifang_core::filing::evidence`,
//! stored in the database beside the filing) and their download by the department that
//! answers for it — both logged, since the files are personal data.

use kaifang_core::filing::FilingState;
use sqlx::Row;

use super::audit::audit;
use super::{EvidenceMeta, Intake, IntakeError, Principal, Result};
use crate::intake::evidence::{self, Refusal};
use crate::intake::token;

/// An evidence file's metadata as stored (every column of `evidence` but the bytes).
#[derive(sqlx::FromRow)]
pub(super) struct EvidenceRow {
    id: i64,
    name: String,
    media_type: String,
    size: i64,
    sha256: String,
    uploaded_at: String,
}

impl From<EvidenceRow> for EvidenceMeta {
    fn from(r: EvidenceRow) -> EvidenceMeta {
        EvidenceMeta {
            id: r.id,
            name: r.name,
            media_type: r.media_type,
            size: r.size,
            sha256: r.sha256,
            uploaded_at: r.uploaded_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct EvidenceWithContent {
    #[sqlx(flatten)]
    meta: EvidenceRow,
    content: Vec<u8>,
}

/// An evidence file as [`Intake::evidence_file`] answers it: what it is, and its bytes.
#[derive(Debug)]
pub struct EvidenceFile {
    pub meta: EvidenceMeta,
    pub content: Vec<u8>,
}

impl Intake {
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
        if let Some(r) = sqlx::query_as::<_, EvidenceRow>(
            "SELECT id, name, media_type, size, sha256, uploaded_at FROM evidence \
             WHERE filing_id = $1 AND sha256 = $2 AND name = $3",
        )
        .bind(f.id)
        .bind(&sha)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?
        {
            return Ok(r.into());
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
    pub async fn evidence_file(&self, who: &Principal, reference: &str, id: i64) -> Result<EvidenceFile> {
        let f = self.filing_for(who, reference).await?;
        let r = sqlx::query_as::<_, EvidenceWithContent>(
            "SELECT id, name, media_type, size, sha256, uploaded_at, content FROM evidence WHERE id = $1 AND filing_id = $2",
        )
        .bind(id)
        .bind(f.id)
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or(IntakeError::NotFound)?;
        let meta = EvidenceMeta::from(r.meta);
        // Reading a filer's evidence is an action on personal data: it is traced too.
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let detail = serde_json::json!({ "evidence": meta.id, "sha256": meta.sha256 });
        audit(&mut tx, &now, &who.audit_name(), "evidence.download", &f.reference, &detail).await?;
        tx.commit().await?;
        Ok(EvidenceFile { meta, content: r.content })
    }
}
