//! Who a request comes from, read once for every route as axum extractors: [`Official`]
//! (a department's or the authority's bearer token, or an official's session) on the
//! department and desk routes, [`ReceiptToken`] (the filer's receipt token) on the
//! filer's routes and [`SignedIn`] on a signed-in filer's own (`mine.rs`). A request without a valid credential is refused before the handler
//! runs, with the intake's own JSON error.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use super::service::{Intake, IntakeError, Principal};
use super::session::Session;

/// The credential of `Authorization: Bearer …`, if the header holds one.
pub(super) fn bearer(headers: &HeaderMap) -> Result<&str, IntakeError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(IntakeError::Unauthorized)
}

/// The department or authority acting (`auth::principal`: a bearer token when one is
/// given, else an official's session).
pub(super) struct Official(pub Principal);

impl FromRequestParts<Arc<Intake>> for Official {
    type Rejection = IntakeError;

    async fn from_request_parts(parts: &mut Parts, intake: &Arc<Intake>) -> Result<Official, IntakeError> {
        super::auth::principal(intake, &parts.headers).await.map(Official)
    }
}

/// The filer's receipt token (`Authorization: Bearer …`); whether it opens a filing is
/// the service's to say.
pub(super) struct ReceiptToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ReceiptToken {
    type Rejection = IntakeError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ReceiptToken, IntakeError> {
        bearer(&parts.headers).map(|t| ReceiptToken(t.to_string()))
    }
}

/// A signed-in person's live session (`auth::session`), on the routes of their own filings.
pub(super) struct SignedIn(pub Session);

impl FromRequestParts<Arc<Intake>> for SignedIn {
    type Rejection = IntakeError;

    async fn from_request_parts(parts: &mut Parts, intake: &Arc<Intake>) -> Result<SignedIn, IntakeError> {
        super::auth::session(intake, &parts.headers).await?.ok_or(IntakeError::Unauthorized).map(SignedIn)
    }
}
