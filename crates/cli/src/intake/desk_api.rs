//! The desk's routes (`/desk` in the app; described in `docs/intake-api.yaml`), beside the
//! department routes of `api.rs` and under the same authentication: a department's or the
//! authority's bearer token (and, once sign-in lands, a session mapped to either).
//!
//! - `GET /api/v1/department/me`: who the token belongs to and their datasets;
//! - `GET /api/v1/department/inbox?kind&state&dataset&offset&limit`: the inbox;
//! - `GET /api/v1/department/filings/{reference}/offer`: the actions possible now;
//! - `GET /api/v1/department/audit?before&limit`, `GET /api/v1/department/audit.csv`;
//! - `GET /api/v1/department/figures`: the supervising authority's figures.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kaifang_core::desk::inbox::MAX_PAGE;
use kaifang_core::desk::InboxFilter;
use kaifang_core::filing::FieldError;
use kaifang_core::rules::FilingKind;
use serde::Deserialize;
use serde_json::json;

use super::desk::MAX_AUDIT_PAGE;
use super::extract::Official;
use super::service::{Intake, IntakeError};

type AppState = Arc<Intake>;
type ApiResult<T> = Result<T, IntakeError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/department/me", get(me))
        .route("/api/v1/department/inbox", get(inbox))
        .route("/api/v1/department/filings/{reference}/offer", get(offer))
        .route("/api/v1/department/audit", get(audit_page))
        .route("/api/v1/department/audit.csv", get(audit_csv))
        .route("/api/v1/department/figures", get(figures))
}

fn bad_query(r: QueryRejection) -> IntakeError {
    IntakeError::BadRequest { code: "bad_query", zh: "查询参数有误。".into(), en: r.body_text() }
}

fn invalid(path: &str, zh: &str, en: &str) -> IntakeError {
    IntakeError::Invalid(vec![FieldError {
        path: path.into(),
        code: "invalid_choice".into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

async fn me(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
    Ok(Json(intake.me(&who)).into_response())
}

/// Unknown parameters are refused (a misspelt filter would otherwise list everything).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InboxQuery {
    kind: Option<String>,
    state: Option<String>,
    dataset: Option<String>,
    /// As documented (`docs/intake-api.yaml`): 0 to 2^32 − 1.
    offset: Option<u32>,
    limit: Option<usize>,
}

async fn inbox(
    State(intake): State<AppState>,
    Official(who): Official,
    query: Result<Query<InboxQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(bad_query)?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(FilingKind::parse(k).ok_or_else(|| {
            invalid(
                "kind",
                "kind 须为 application、objection、error_report 或 data_request。",
                "kind must be application, objection, error_report or data_request.",
            )
        })?),
        None => None,
    };
    // A state names itself in snake case; anything else matches no filing, so it is refused.
    let state = q.state.filter(|s| !s.is_empty());
    if let Some(s) = &state {
        let known = FilingKind::ALL.iter().any(|k| kaifang_core::filing::FilingState::parse(*k, s).is_some());
        if !known {
            return Err(invalid("state", "没有这个状态。", "There is no such state."));
        }
    }
    let dataset = q.dataset.filter(|d| !d.is_empty());
    if dataset.as_ref().is_some_and(|d| intake.catalog.dataset(d).is_none()) {
        return Err(invalid("dataset", "目录中没有这个数据集。", "There is no such dataset in the catalog."));
    }
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_PAGE {
        return Err(invalid("limit", "limit 须在 1 到 500 之间。", "limit must be between 1 and 500."));
    }
    let filter = InboxFilter { kind, state, dataset };
    Ok(Json(intake.inbox(&who, &filter, q.offset.unwrap_or(0) as usize, limit).await?).into_response())
}

async fn offer(
    State(intake): State<AppState>,
    Path(reference): Path<String>,
    Official(who): Official,
) -> ApiResult<Response> {
    Ok(Json(intake.offer(&who, &reference).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    before: Option<i64>,
    limit: Option<usize>,
}

async fn audit_page(
    State(intake): State<AppState>,
    Official(who): Official,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(bad_query)?;
    let limit = q.limit.unwrap_or(200);
    if limit == 0 || limit > MAX_AUDIT_PAGE {
        return Err(invalid("limit", "limit 须在 1 到 1000 之间。", "limit must be between 1 and 1000."));
    }
    Ok(Json(json!({ "entries": intake.department_audit(&who, q.before, limit).await? })).into_response())
}

async fn audit_csv(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
    let csv = intake.department_audit_csv(&who).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""),
        ],
        csv,
    )
        .into_response())
}

async fn figures(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
    Ok(Json(intake.figures(&who).await?).into_response())
}
