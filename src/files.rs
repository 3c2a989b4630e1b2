//! Browser-local file storage: chosen files (`File` objects) kept in IndexedDB
//! (`kaifang-files`, store `files`, keyed by an id), so evidence and attachments survive a
//! reload, a crash and the time a filing waits in the outbox. localStorage cannot hold them
//! (5 MB of strings); IndexedDB stores the `File` itself by structured clone.
//!
//! A small wrapper over web-sys: each IndexedDB request becomes a future.

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DB: &str = "kaifang-files";
const STORE: &str = "files";

/// Resolves with the request's result once it succeeds (rejects on error).
async fn done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let e = r.error().ok().flatten().map(|e| JsValue::from(e.message())).unwrap_or_else(|| "IndexedDB".into());
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = crate::browser::window().ok_or("no window")?.indexed_db()?.ok_or("IndexedDB is not available")?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|d| d.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    done(&req).await?.dyn_into::<IdbDatabase>()
}

async fn request(
    mode: IdbTransactionMode,
    f: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode)?;
    let store = tx.object_store(STORE)?;
    let out = done(&f(&store)?).await;
    db.close();
    out
}

/// Keeps `blob` (a `File` keeps its name and type) under `id`.
pub async fn put(id: &str, blob: &Blob) -> Result<(), String> {
    request(IdbTransactionMode::Readwrite, |s| s.put_with_key(blob, &JsValue::from_str(id)))
        .await
        .map(|_| ())
        .map_err(describe)
}

/// The file kept under `id`, if any.
pub async fn get(id: &str) -> Option<web_sys::File> {
    let v = request(IdbTransactionMode::Readonly, |s| s.get(&JsValue::from_str(id))).await.ok()?;
    v.dyn_into::<web_sys::File>().ok()
}

pub async fn delete(id: &str) {
    let _ = request(IdbTransactionMode::Readwrite, |s| s.delete(&JsValue::from_str(id))).await;
}

/// Drops every kept file ("clear all local data").
pub async fn clear_all() {
    let _ = request(IdbTransactionMode::Readwrite, |s| s.clear()).await;
}

fn describe(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
