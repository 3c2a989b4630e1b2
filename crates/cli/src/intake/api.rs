//! The HTTP face of the intake (documented in `docs/intake-api.yaml`). Handlers only
//! translate: bodies in, `service` calls, JSON out. Every error is a JSON value
//! `{"error": {"code", "message", "message_zh", "fields"}}` with a 4xx status — a body the
//! server cannot read is the client's mistake, never a panic.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kaifang_core::filing::{Action, Filing};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::extract::{Official, ReceiptToken};
use super::query::{self, Params, RouteQuery};
use super::service::{Intake, IntakeError};
use super::{desk_api, evidence};

/// JSON bodies: the largest legitimate filing is a few tens of KiB.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

type AppState = Arc<Intake>;

pub fn routes(intake: Arc<Intake>) -> Router {
    let json_routes = Router::new()
        .route("/api/v1/filings", post(create_filing))
        .route("/api/v1/filing", get(filer_view))
        .route("/api/v1/filing/actions", post(filer_act))
        .route("/api/v1/department/filings", get(department_list))
        .route("/api/v1/department/filings/{reference}", get(department_show))
        .route("/api/v1/department/filings/{reference}/actions", post(department_act))
        .route("/api/v1/department/filings/{reference}/evidence/{id}", get(evidence_download))
        .route("/api/v1/department/datasets/{id}/status", post(dataset_status))
        .route("/api/v1/status", get(status_overlay))
        .route("/api/v1/rules", get(rules))
        .route("/api/v1/department/me", get(desk_api::me))
        .route("/api/v1/department/inbox", get(desk_api::inbox))
        .route("/api/v1/department/filings/{reference}/offer", get(desk_api::offer))
        .route("/api/v1/department/audit", get(desk_api::audit_page))
        .route("/api/v1/department/audit.csv", get(desk_api::audit_csv))
        .route("/api/v1/department/figures", get(desk_api::figures))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES));
    // Evidence may be larger; one byte over the limit is enough to tell "too large".
    let upload = Router::new()
        .route("/api/v1/filing/evidence", post(upload_evidence))
        .layer(DefaultBodyLimit::max(evidence::MAX_BYTES + 1));
    let signed_in = super::auth::routes(intake.clone()).merge(super::mine::routes(intake.clone()));
    json_routes.merge(upload).with_state(intake).merge(signed_in).layer(axum::middleware::map_response(no_store))
}

/// Filings hold personal data: no cache, shared or private, may keep a copy.
async fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

impl IntoResponse for IntakeError {
    fn into_response(self) -> Response {
        let (status, code, zh, en, fields) = match &self {
            IntakeError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid".to_string(),
                "提交的内容有误,请按提示修改。".to_string(),
                "Some fields need attention.".to_string(),
                Some(fields.clone()),
            ),
            IntakeError::BadRequest { code, zh, en } => (StatusCode::BAD_REQUEST, code.to_string(), zh.clone(), en.clone(), None),
            IntakeError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized".into(),
                "需要有效的令牌。".into(),
                "A valid bearer token is required.".into(),
                None,
            ),
            IntakeError::SignInRequired { article } => (
                StatusCode::UNAUTHORIZED,
                "sign_in_required".into(),
                format!("根据《{article}》,提交此类申请须先通过统一身份认证登录。"),
                format!("Under {article}, this kind of filing needs you to sign in with the platform's identity service first."),
                None,
            ),
            IntakeError::Forbidden { zh, en } => (StatusCode::FORBIDDEN, "forbidden".into(), zh.clone(), en.clone(), None),
            IntakeError::NotFound => (StatusCode::NOT_FOUND, "not_found".into(), "未找到。".into(), "Not found.".into(), None),
            IntakeError::Conflict { code, zh, en } => (StatusCode::CONFLICT, code.to_string(), zh.clone(), en.clone(), None),
            IntakeError::Transition(t) => {
                let (code, zh, en) = t.messages();
                (StatusCode::CONFLICT, code, zh, en, None)
            }
            IntakeError::TooLarge { zh, en } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into(), zh.clone(), en.clone(), None),
            IntakeError::UnsupportedMedia { zh, en } => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_type".into(), zh.clone(), en.clone(), None)
            }
            IntakeError::RateLimited { retry_after_secs: s } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited".into(),
                format!("请求过于频繁,请 {s} 秒后再试。已填写的内容不会丢失。"),
                format!("Too many requests. Please try again in {s} s; nothing you entered is lost."),
                None,
            ),
            IntakeError::Internal(e) => {
                // The cause goes to the server's log, not to the client.
                eprintln!("intake: internal error: {e:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal".into(), "服务器内部错误。".into(), "Internal server error.".into(), None)
            }
        };
        let body =
            json!({ "error": { "code": code, "message": en, "message_zh": zh, "fields": fields.unwrap_or_default() } });
        let mut res = (status, Json(body)).into_response();
        if let IntakeError::RateLimited { retry_after_secs } = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        res
    }
}

type ApiResult<T> = Result<T, IntakeError>;

/// Reads a JSON body, turning every failure into a JSON 4xx.
fn parse_json<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> ApiResult<T> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            IntakeError::TooLarge {
                zh: format!("请求体不能超过 {} KiB。", MAX_JSON_BYTES / 1024),
                en: format!("The request body may be at most {} KiB.", MAX_JSON_BYTES / 1024),
            }
        } else {
            IntakeError::BadRequest {
                code: "unreadable_body",
                zh: "无法读取请求体。".into(),
                en: rejection.body_text(),
            }
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| IntakeError::BadRequest {
        code: "invalid_json",
        zh: format!("请求不是所需格式的 JSON:{e}"),
        en: format!("The body is not JSON of the expected shape: {e}"),
    })
}

async fn create_filing(
    State(intake): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let filing: Filing = parse_json(body)?;
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| IntakeError::BadRequest {
            code: "bad_idempotency_key",
            zh: "幂等键含有非法字符。".into(),
            en: "The idempotency key has characters that are not allowed.".into(),
        })?),
        None => None,
    };
    let session = super::auth::session(&intake, &headers).await?;
    let filed = intake.create(filing, key, session.as_ref().map(|s| &s.identity)).await?;
    let status = if filed.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(filed.receipt)).into_response())
}

async fn filer_view(State(intake): State<AppState>, ReceiptToken(token): ReceiptToken) -> ApiResult<Response> {
    Ok(Json(intake.filer_view(&token).await?).into_response())
}

async fn filer_act(
    State(intake): State<AppState>,
    ReceiptToken(token): ReceiptToken,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let action: Action = parse_json(body)?;
    Ok(Json(intake.filer_act(&token, action).await?).into_response())
}

#[derive(Deserialize)]
struct UploadQuery {
    name: String,
}

async fn upload_evidence(
    State(intake): State<AppState>,
    headers: HeaderMap,
    ReceiptToken(token): ReceiptToken,
    query: Result<Query<UploadQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(|_| IntakeError::BadRequest {
        code: "missing_name",
        zh: "请在 name 参数中给出文件名。".into(),
        en: "Give the file name in the `name` query parameter.".into(),
    })?;
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            IntakeError::TooLarge {
                zh: "文件不能超过 10 MiB。".into(), en: "Files may be at most 10 MiB.".into()
            }
        } else {
            IntakeError::BadRequest {
                code: "unreadable_body", zh: "无法读取上传的文件。".into(), en: r.body_text()
            }
        }
    })?;
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let meta = intake.add_evidence(&token, &q.name, declared, &bytes).await?;
    Ok((StatusCode::CREATED, Json(meta)).into_response())
}

/// Unknown parameters are refused rather than ignored: a misspelt filter would otherwise
/// silently list everything.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    state: Option<String>,
    kind: Option<String>,
}

impl RouteQuery for ListQuery {
    const BAD_QUERY_ZH: &'static str = "查询参数有误,只接受 state 和 kind。";
}

async fn department_list(
    State(intake): State<AppState>,
    Official(who): Official,
    Params(q): Params<ListQuery>,
) -> ApiResult<Response> {
    let kind = query::kind(q.kind.as_deref(), |zh, en| IntakeError::BadRequest {
        code: "bad_kind",
        zh: zh.into(),
        en: en.into(),
    })?;
    Ok(Json(json!({ "filings": intake.department_list(&who, q.state.as_deref(), kind).await? })).into_response())
}

async fn department_show(
    State(intake): State<AppState>,
    Path(reference): Path<String>,
    Official(who): Official,
) -> ApiResult<Response> {
    Ok(Json(intake.department_show(&who, &reference).await?).into_response())
}

async fn department_act(
    State(intake): State<AppState>,
    Path(reference): Path<String>,
    Official(who): Official,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let action: Action = parse_json(body)?;
    Ok(Json(intake.department_act(&who, &reference, action).await?).into_response())
}

async fn evidence_download(
    State(intake): State<AppState>,
    Official(who): Official,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> ApiResult<Response> {
    // An id that is not a 64-bit integer names no file.
    let Path((reference, id)) = path.map_err(|_| IntakeError::NotFound)?;
    let file = intake.evidence_file(&who, &reference, id).await?;
    let (meta, bytes) = (file.meta, file.content);
    // Always a download, never rendered inline: evidence is untrusted content.
    let disposition = format!("attachment; filename=\"evidence-{}\"", meta.id);
    Ok((
        [
            (header::CONTENT_TYPE, meta.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
    note: String,
}

async fn dataset_status(
    State(intake): State<AppState>,
    Path(id): Path<String>,
    Official(who): Official,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let b: StatusBody = parse_json(body)?;
    Ok(Json(intake.set_dataset_status(&who, &id, &b.status, &b.note).await?).into_response())
}

async fn status_overlay(State(intake): State<AppState>) -> ApiResult<Response> {
    Ok(Json(json!({ "datasets": intake.overlay().await? })).into_response())
}

async fn rules(State(intake): State<AppState>) -> ApiResult<Response> {
    Ok(Json(&intake.rules).into_response())
}
