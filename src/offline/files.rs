//! Offline copies of the data files of favourite and downloaded datasets (issue 18,
//! docs/phone.md; which datasets: `MyData::kept_datasets`), kept with the
//! browser's Cache API under [`FILES_CACHE`]; `src/sw.js` answers from them when the
//! network fails, whole files and byte ranges alike. What to keep is
//! `kaifang_core::offline_files::plan`; this module fetches what is missing and drops what is
//! no longer planned. Nothing is kept until the person has chosen a limit on "my data".

use crate::net;
use js_sys::{Array, Promise, Reflect};
use kaifang_core::offline_files::{plan, Candidate, Fit, OfflineLimit};
use std::collections::BTreeSet;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage};

/// The cache's name; `src/sw.js` reads the same one (`FILES`), checked by a native test.
pub const FILES_CACHE: &str = "kaifang-files-1";

#[derive(Debug, Clone, PartialEq)]
pub enum FileState {
    Kept,
    /// Does not fit in what the limit leaves.
    OverLimit,
    /// Could not be saved now (offline, or the browser refused the space): the reason.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileStatus {
    pub dataset_id: String,
    pub title: String,
    pub path: String,
    pub byte_size: u64,
    pub state: FileState,
}

/// What a run of [`sync`] found, for "my data" to show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub files: Vec<FileStatus>,
    /// Bytes of the files kept on this device now.
    pub used: u64,
    /// Favourites whose record could not be read (offline): their copies are left alone.
    pub unchecked: Vec<String>,
}

fn js_text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

async fn wait(p: Result<Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(p.map_err(js_text)?).await.map_err(js_text)
}

fn storage() -> Option<CacheStorage> {
    let w = crate::browser::window()?;
    // `caches` is missing on plain-http hosts other than localhost: no offline copies there.
    Reflect::get(&w, &"caches".into()).ok().filter(|c| !c.is_undefined())?;
    w.caches().ok()
}

async fn open() -> Result<Cache, String> {
    let caches = storage().ok_or("no Cache API in this browser")?;
    wait(Ok(caches.open(FILES_CACHE))).await?.dyn_into().map_err(js_text)
}

/// The absolute URLs the cache holds now.
async fn cached_urls(cache: &Cache) -> Result<BTreeSet<String>, String> {
    let keys = wait(Ok(cache.keys())).await?;
    Ok(Array::from(&keys).iter().filter_map(|r| r.dyn_into::<web_sys::Request>().ok()).map(|r| r.url()).collect())
}

/// A copy's key: the file's address with the published file's hash as its query, so that
/// a republished file is fetched again and its old copy dropped. The server ignores the
/// query; the worker matches copies by path alone.
fn key(c: &Candidate) -> String {
    let origin = crate::browser::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{}?sha256={}", net::catalog_url(&c.path), c.sha256)
}

/// Asks the browser not to evict the copies under storage pressure (it may decline).
fn ask_to_persist() {
    if let Some(storage) = crate::browser::window().map(|w| w.navigator().storage()) {
        if let Ok(p) = storage.persist() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// Brings the cache in line with the plan for `datasets` (id, title) under `limit`;
/// `None` drops every copy.
pub async fn sync(datasets: Vec<(String, String)>, limit: Option<OfflineLimit>) -> Report {
    let Some(limit) = limit else {
        if let Some(caches) = storage() {
            let _ = wait(Ok(caches.delete(FILES_CACHE))).await;
        }
        return Report::default();
    };
    ask_to_persist();
    let mut report = Report::default();
    let mut candidates = Vec::new();
    let mut titles = std::collections::BTreeMap::new();
    for (id, title) in datasets {
        match net::load_dataset(&id).await {
            Ok(d) => candidates.push(
                d.distributions
                    .iter()
                    .map(|x| Candidate {
                        dataset_id: id.clone(),
                        path: x.path.clone(),
                        byte_size: x.byte_size,
                        sha256: x.sha256.clone(),
                    })
                    .collect::<Vec<_>>(),
            ),
            Err(_) => report.unchecked.push(id.clone()),
        }
        titles.insert(id, title);
    }
    let planned = plan(&candidates, limit);
    let cache = match open().await {
        Ok(c) => c,
        Err(e) => return failed_all(report, &planned.files, &titles, e),
    };
    let held = cached_urls(&cache).await.unwrap_or_default();
    for (c, fit) in &planned.files {
        let url = key(c);
        let state = match fit {
            Fit::OverLimit => FileState::OverLimit,
            Fit::Kept if held.contains(&url) => FileState::Kept,
            Fit::Kept => match wait(Ok(cache.add_with_str(&url))).await {
                Ok(_) => FileState::Kept,
                Err(e) => FileState::Failed(e),
            },
        };
        if state == FileState::Kept {
            report.used += c.byte_size;
        }
        report.files.push(status(c, &titles, state));
    }
    drop_unplanned(&cache, &held, &planned.kept().map(key).collect(), &report.unchecked).await;
    report
}

fn status(c: &Candidate, titles: &std::collections::BTreeMap<String, String>, state: FileState) -> FileStatus {
    FileStatus {
        dataset_id: c.dataset_id.clone(),
        title: titles.get(&c.dataset_id).cloned().unwrap_or_default(),
        path: c.path.clone(),
        byte_size: c.byte_size,
        state,
    }
}

fn failed_all(
    mut report: Report,
    files: &[(Candidate, Fit)],
    titles: &std::collections::BTreeMap<String, String>,
    why: String,
) -> Report {
    report.files = files.iter().map(|(c, _)| status(c, titles, FileState::Failed(why.clone()))).collect();
    report
}

/// Drops copies no longer planned — unless a favourite's record could not be read now
/// (offline): its files are not known, and a person's copies are never thrown away for
/// want of a check.
async fn drop_unplanned(cache: &Cache, held: &BTreeSet<String>, keep: &BTreeSet<String>, unchecked: &[String]) {
    if !unchecked.is_empty() {
        return;
    }
    for url in held.difference(keep) {
        let _ = wait(Ok(cache.delete_with_str(url))).await;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_service_worker_answers_from_the_same_cache() {
        let sw = include_str!("../sw.js");
        assert!(
            sw.contains(&format!("const FILES = '{}';", super::FILES_CACHE)),
            "src/sw.js names {}",
            super::FILES_CACHE
        );
    }
}
