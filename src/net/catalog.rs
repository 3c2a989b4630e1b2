//! The static catalog: its summary, listing pages, records, and files fetched whole (for
//! the download bundle and charts), each read only up to the size such a file can be.

use super::NetError;
use gloo_net::http::Request;
use kaifang_core::catalog::{
    listing_path, record_path, CatalogIndex, Dataset, ListingPage, MAX_INDEX_BYTES, MAX_LISTING_BYTES, MAX_RECORD_BYTES,
};
use serde::de::DeserializeOwned;

/// Where the static catalog is served, relative to the app's origin.
pub const CATALOG_BASE: &str = "/catalog";

/// A catalog JSON file, read only up to `limit` bytes.
pub async fn get_json<T: DeserializeOwned>(url: &str, limit: u64) -> Result<T, NetError> {
    let bytes = get_capped(url, limit).await?;
    serde_json::from_slice(&bytes).map_err(|e| NetError::BadData(format!("{url}: {e}")))
}

/// A file's bytes, refused as soon as they pass `limit`: at once when the declared length
/// says so, else while they stream in (a chunked or lying answer), so at most `limit` plus
/// one chunk is ever held.
pub async fn get_capped(url: &str, limit: u64) -> Result<Vec<u8>, NetError> {
    let resp = Request::get(url).send().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    match resp.status() {
        200..=299 => {}
        404 => return Err(NetError::status_only(404)),
        s => return Err(NetError::status_only(s)),
    }
    let declared: Option<u64> = resp.headers().get("content-length").and_then(|s| s.parse().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(NetError::TooLarge { limit });
    }
    let Some(body) = resp.body() else { return Ok(Vec::new()) };
    let mut stream = super::ranges::ByteStream::from_body(body, declared)?;
    let mut out = Vec::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(chunk) = stream.next().await? {
        if (out.len() + chunk.len()) as u64 > limit {
            stream.cancel();
            return Err(NetError::TooLarge { limit });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

pub fn catalog_url(path: &str) -> String {
    format!("{CATALOG_BASE}/{path}")
}

pub async fn load_catalog() -> Result<CatalogIndex, NetError> {
    if let Some(text) = crate::early::take_catalog().await.filter(|t| t.len() as u64 <= MAX_INDEX_BYTES) {
        if let Ok(c) = serde_json::from_str(&text) {
            return Ok(c);
        }
    }
    get_json(&catalog_url("catalog.json"), MAX_INDEX_BYTES).await
}

pub async fn load_listing(page: usize) -> Result<ListingPage, NetError> {
    get_json(&catalog_url(&listing_path(page)), MAX_LISTING_BYTES).await
}

pub async fn load_dataset(id: &str) -> Result<Dataset, NetError> {
    if !kaifang_core::catalog::valid_id(id) {
        return Err(NetError::status_only(404));
    }
    // The shell's early fetch read the record whole; one past the cap is dropped here and
    // fetched again under the cap, which then refuses it with its message.
    if let Some(text) = crate::early::take_record(id).await.filter(|t| t.len() as u64 <= MAX_RECORD_BYTES) {
        if let Ok(d) = serde_json::from_str(&text) {
            return Ok(d);
        }
    }
    get_json(&catalog_url(&record_path(id)), MAX_RECORD_BYTES).await
}

/// Fetches a data file's bytes (for the download bundle and charts).
pub async fn get_bytes(url: &str) -> Result<Vec<u8>, NetError> {
    let resp = Request::get(url).send().await.map_err(|e| NetError::Unreachable(e.to_string()))?;
    match resp.status() {
        200..=299 => {}
        404 => return Err(NetError::status_only(404)),
        s => return Err(NetError::status_only(s)),
    }
    resp.binary().await.map_err(|e| NetError::Unreachable(e.to_string()))
}
