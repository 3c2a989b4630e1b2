//! The query string of the listing routes (`api.rs`'s department list, `desk_api.rs`'s inbox
//! and audit log): read by one extractor, with one reading of the `kind` filter. Each route
//! keeps its own words for a refusal, since clients and the API description rely on them.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use kaifang_core::rules::FilingKind;
use serde::de::DeserializeOwned;

use super::service::IntakeError;

/// A route's query parameters, and what the route says (in Chinese) when they do not read.
pub(super) trait RouteQuery: DeserializeOwned {
    const BAD_QUERY_ZH: &'static str = "查询参数有误。";
}

/// A route's query parameters, read before the handler runs. What does not read (an unknown
/// parameter included) is the client's mistake: `bad_query`, with axum's account in English.
pub(super) struct Params<T>(pub T);

impl<T: RouteQuery, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = IntakeError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params<T>, IntakeError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Params(q)),
            Err(r) => Err(IntakeError::BadRequest { code: "bad_query", zh: T::BAD_QUERY_ZH.into(), en: r.body_text() }),
        }
    }
}

/// A `kind` filter: none when absent, else the kind it names. A name that is no kind is
/// refused with `refuse(zh, en)`, which gives each route its own code for it.
pub(super) fn kind(
    name: Option<&str>,
    refuse: impl FnOnce(&str, &str) -> IntakeError,
) -> Result<Option<FilingKind>, IntakeError> {
    let Some(name) = name else { return Ok(None) };
    FilingKind::parse(name).map(Some).ok_or_else(|| {
        refuse(
            "kind 须为 application、objection、error_report 或 data_request。",
            "kind must be application, objection, error_report or data_request.",
        )
    })
}
