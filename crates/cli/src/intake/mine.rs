//! A signed-in filer's own filings, on any device: `GET /api/v1/my/filings` lists the
//! filings tied to their subject (filed while signed in, or claimed with a receipt
//! token), `POST /api/v1/my/filings/claim` ties a receipt's filing to the account, and
//! `POST /api/v1/my/filings/{reference}/actions` acts as the filer (supply information,
//! ask for review) without the receipt token, which another device does not have.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kaifang_core::filing::{Action, Actor};
use serde::Deserialize;
use serde_json::json;

use super::extract::SignedIn;
use super::service::{FilingRow, FilingView, Intake, IntakeError, StoredFiling, FILING_COLUMNS};
use super::token;

type AppState = Arc<Intake>;

pub fn routes(intake: Arc<Intake>) -> Router {
    Router::new()
        .route("/api/v1/my/filings", get(list))
        .route("/api/v1/my/filings/claim", post(claim))
        .route("/api/v1/my/filings/{reference}/actions", post(act))
        .with_state(intake)
}

impl Intake {
    /// The filings tied to `subject`, newest first.
    pub async fn my_filings(&self, subject: &str) -> Result<Vec<FilingView>, IntakeError> {
        let rows = sqlx::query_as::<_, StoredFiling>(&format!(
            "SELECT {FILING_COLUMNS} FROM filings WHERE filer_subject = $1 ORDER BY id DESC"
        ))
        .bind(subject)
        .fetch_all(&self.db.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.view(&FilingRow::try_from(row)?).await?);
        }
        Ok(out)
    }

    /// Ties the filing a receipt token opens to `subject`. A filing already tied to
    /// someone else stays theirs (answered as not found, revealing nothing).
    pub async fn claim_filing(&self, subject: &str, receipt_token: &str) -> Result<FilingView, IntakeError> {
        if !token::well_formed(receipt_token) {
            return Err(IntakeError::NotFound);
        }
        let done = sqlx::query("UPDATE filings SET filer_subject = $1 WHERE token_hash = $2 AND (filer_subject IS NULL OR filer_subject = $1)")
            .bind(subject)
            .bind(token::token_hash(receipt_token))
            .execute(&self.db.pool)
            .await?;
        if done.rows_affected() != 1 {
            return Err(IntakeError::NotFound);
        }
        self.filer_view(receipt_token).await
    }

    async fn my_filing(&self, subject: &str, reference: &str) -> Result<FilingRow, IntakeError> {
        let sql = format!("SELECT {FILING_COLUMNS} FROM filings WHERE reference = $1 AND filer_subject = $2");
        FilingRow::find(self, &sql, &[reference, subject]).await
    }

    /// The filer acts on one of their filings through their session.
    pub async fn my_act(&self, subject: &str, reference: &str, action: Action) -> Result<FilingView, IntakeError> {
        let f = self.my_filing(subject, reference).await?;
        self.apply(&f, action, Actor::Filer, "filer (signed in)").await?;
        self.view(&self.my_filing(subject, reference).await?).await
    }
}

async fn list(State(intake): State<AppState>, SignedIn(s): SignedIn) -> Result<Response, IntakeError> {
    Ok(Json(json!({ "filings": intake.my_filings(&s.identity.subject).await? })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimBody {
    token: String,
}

fn json_body<T: serde::de::DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, IntakeError> {
    let bytes = body.map_err(|r| IntakeError::BadRequest {
        code: "unreadable_body",
        zh: "无法读取请求体。".into(),
        en: r.body_text(),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| IntakeError::BadRequest {
        code: "invalid_json",
        zh: format!("请求不是所需格式的 JSON:{e}"),
        en: format!("The body is not JSON of the expected shape: {e}"),
    })
}

async fn claim(
    State(intake): State<AppState>,
    SignedIn(s): SignedIn,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, IntakeError> {
    let b: ClaimBody = json_body(body)?;
    Ok(Json(intake.claim_filing(&s.identity.subject, b.token.trim()).await?).into_response())
}

async fn act(
    State(intake): State<AppState>,
    Path(reference): Path<String>,
    SignedIn(s): SignedIn,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, IntakeError> {
    let action: Action = json_body(body)?;
    Ok(Json(intake.my_act(&s.identity.subject, &reference, action).await?).into_response())
}
