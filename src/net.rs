//! The one module that talks to the network: the static catalog (and, later, the intake).

use gloo_net::http::Request;
use kaifang_core::catalog::{listing_path, record_path, CatalogIndex, Dataset, ListingPage};
use serde::de::DeserializeOwned;

/// Where the static catalog is served, relative to the app's origin.
pub const CATALOG_BASE: &str = "/catalog";

/// A failed fetch, as something a person can act on. `message_key` names the UI text.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// The server answered 404.
    NotFound,
    /// No answer at all: offline, or the server is down.
    Unreachable(String),
    /// Another HTTP status.
    Status(u16),
    /// The answer is not what the catalog format says it should be.
    BadData(String),
}

impl NetError {
    pub fn message_key(&self) -> &'static str {
        match self {
            NetError::NotFound => "error.not_found",
            NetError::Unreachable(_) => "error.unreachable",
            NetError::Status(_) => "error.status",
            NetError::BadData(_) => "error.bad_data",
        }
    }
    /// Technical detail shown under the message.
    pub fn detail(&self) -> String {
        match self {
            NetError::NotFound => String::new(),
            NetError::Unreachable(d) | NetError::BadData(d) => d.clone(),
            NetError::Status(s) => format!("HTTP {s}"),
        }
    }
}

pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, NetError> {
    let resp = Request::get(url).send().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    match resp.status() {
        200..=299 => {}
        404 => return Err(NetError::NotFound),
        s => return Err(NetError::Status(s)),
    }
    let text = resp.text().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| NetError::BadData(format!("{url}: {e}")))
}

pub fn catalog_url(path: &str) -> String {
    format!("{CATALOG_BASE}/{path}")
}

pub async fn load_catalog() -> Result<CatalogIndex, NetError> {
    if let Some(text) = crate::early::take_catalog().await {
        if let Ok(c) = serde_json::from_str(&text) {
            return Ok(c);
        }
    }
    get_json(&catalog_url("catalog.json")).await
}

pub async fn load_listing(page: usize) -> Result<ListingPage, NetError> {
    get_json(&catalog_url(&listing_path(page))).await
}

pub async fn load_dataset(id: &str) -> Result<Dataset, NetError> {
    if !kaifang_core::catalog::valid_id(id) {
        return Err(NetError::NotFound);
    }
    if let Some(text) = crate::early::take_record(id).await {
        if let Ok(d) = serde_json::from_str(&text) {
            return Ok(d);
        }
    }
    get_json(&catalog_url(&record_path(id))).await
}

/// Fetches a data file's bytes (for the download bundle and charts).
pub async fn get_bytes(url: &str) -> Result<Vec<u8>, NetError> {
    let resp = Request::get(url).send().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    match resp.status() {
        200..=299 => {}
        404 => return Err(NetError::NotFound),
        s => return Err(NetError::Status(s)),
    }
    resp.binary().await.map_err(|e| NetError::Unreachable(e.to_string()))
}
