//! The desk's routes (`/desk` in the app; described in `docs/intake-api.yaml`), beside the
//! department routes of `api.rs`, in whose one table of the JSON API they stand, and under the
//! same authentication: a department's or the authority's bearer token (and, once sign-in
//! lands, a session mapped to either).
//!
//! - `GET /api/v1/department/me`: who the token belongs to and their datasets;
//! - `GET /api/v1/department/inbox?kind&state&dataset&offset&limit`: the inbox;
//! - `GET /api/v1/department/filings/{reference}/offer`: the actions possible now;
//! - `GET /api/v1/department/audit?before&limit`, `GET /api/v1/department/audit.csv`;
//! - `GET /api/v1/department/figures`: the supervising authority's figures.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kaifang_core::desk::inbox::MAX_PAGE;
use kaifang_core::desk::InboxFilter;
use kaifang_core::filing::FieldError;
use kaifang_core::rules::FilingKind;
use serde::Deserialize;
use serde_json::json;

use super::desk::MAX_AUDIT_PAGE;
use super::extract::Official;
use super::query::{self, Params, RouteQuery};
use super::service::{Intake, IntakeError};

type AppState = Arc<Intake>;
type ApiResult<T> = Result<T, IntakeError>;

/// Unknown parameters are refused (a misspelt filter would otherwise list everything).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InboxQuery {
    kind: Option<String>,
    state: Option<String>,
    dataset: Option<String>,
    /// As documented (`docs/intake-api.yaml`): 0 to 2^32 − 1.
    offset: Option<u32>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AuditQuery {
    before: Option<i64>,
    limit: Option<usize>,
}

// The desk's routes refuse a query that does not read in the general words.
impl RouteQuery for InboxQuery {}
impl RouteQuery for AuditQuery {}

fn invalid(path: &str, zh: &str, en: &str) -> IntakeError {
    IntakeError::Invalid(vec![FieldError {
        path: path.into(),
        code: "invalid_choice".into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

/// How many entries a page holds: `default` unless asked, and never none or more than `max`.
fn page_limit(asked: Option<usize>, default: usize, max: usize) -> ApiResult<usize> {
    let n = asked.unwrap_or(default);
    if n == 0 || n > max {
        let (zh, en) = (format!("limit 须在 1 到 {max} 之间。"), format!("limit must be between 1 and {max}."));
        return Err(invalid("limit", &zh, &en));
    }
    Ok(n)
}

pub(super) async fn me(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
    Ok(Json(intake.me(&who)).into_response())
}

pub(super) async fn inbox(
    State(intake): State<AppState>,
    Official(who): Official,
    Params(q): Params<InboxQuery>,
) -> ApiResult<Response> {
    let kind = query::kind(q.kind.as_deref().filter(|k| !k.is_empty()), |zh, en| invalid("kind", zh, en))?;
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
    let limit = page_limit(q.limit, 100, MAX_PAGE)?;
    let filter = InboxFilter { kind, state, dataset };
    Ok(Json(intake.inbox(&who, &filter, q.offset.unwrap_or(0) as usize, limit).await?).into_response())
}

pub(super) async fn offer(
    State(intake): State<AppState>,
    Path(reference): Path<String>,
    Official(who): Official,
) -> ApiResult<Response> {
    Ok(Json(intake.offer(&who, &reference).await?).into_response())
}

pub(super) async fn audit_page(
    State(intake): State<AppState>,
    Official(who): Official,
    Params(q): Params<AuditQuery>,
) -> ApiResult<Response> {
    let limit = page_limit(q.limit, 200, MAX_AUDIT_PAGE)?;
    Ok(Json(json!({ "entries": intake.department_audit(&who, q.before, limit).await? })).into_response())
}

pub(super) async fn audit_csv(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
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

pub(super) async fn figures(State(intake): State<AppState>, Official(who): Official) -> ApiResult<Response> {
    Ok(Json(intake.figures(&who).await?).into_response())
}
