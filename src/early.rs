//! What `index.html` started before the app loaded (its inline script): the catalog summary on
//! every page, and on a deep link to a dataset page the record and the first 64 KB of the dataset's first table file are fetched
//! while the wasm downloads, so the first rows do not wait for app start + record + file.
//!
//! Each is taken at most once, and only when it is what the app asks for (same dataset id,
//! same file address); otherwise the app fetches as it always does. A failed early fetch is
//! never an error: the normal fetch runs instead and reports its own.

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const GLOBAL: &str = "__kaifangEarly";

fn early() -> Option<JsValue> {
    let w = crate::browser::window()?;
    let v = Reflect::get(&w, &JsValue::from_str(GLOBAL)).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// Removes `key` from the early object and returns it (a promise) — it is used once.
fn take(key: &str) -> Option<Promise> {
    let e = early()?;
    let v = Reflect::get(&e, &JsValue::from_str(key)).ok()?;
    let _ = Reflect::delete_property(e.unchecked_ref::<js_sys::Object>(), &JsValue::from_str(key));
    v.dyn_into::<Promise>().ok()
}

fn str_field(v: &JsValue, key: &str) -> Option<String> {
    Reflect::get(v, &JsValue::from_str(key)).ok()?.as_string()
}

fn num_field(v: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(v, &JsValue::from_str(key)).ok()?.as_f64()
}

/// The catalog summary's JSON text (`catalog.json`), fetched on every page.
pub async fn take_catalog() -> Option<String> {
    JsFuture::from(take("catalog")?).await.ok()?.as_string()
}

/// The record's JSON text, if the page was opened on `/datasets/{id}` and it arrived.
pub async fn take_record(id: &str) -> Option<String> {
    if str_field(&early()?, "id").as_deref() != Some(id) {
        return None;
    }
    JsFuture::from(take("record")?).await.ok()?.as_string()
}

/// The first bytes of a file, fetched early.
pub struct Head {
    pub bytes: Vec<u8>,
    /// The file's full size, from Content-Range.
    pub total: u64,
    /// performance.now() when it was requested and when it had arrived.
    pub requested_ms: f64,
    pub arrived_ms: f64,
}

impl Head {
    /// The head is the whole file.
    pub fn is_whole_file(&self) -> bool {
        self.bytes.len() as u64 >= self.total
    }
}

/// The early head of the file at `url`, if that is the file that was fetched early.
pub async fn take_head(url: &str) -> Option<Head> {
    let head = JsFuture::from(take("head")?).await.ok()?;
    if head.is_null() || head.is_undefined() || str_field(&head, "url").as_deref() != Some(url) {
        return None;
    }
    let bytes: Uint8Array = Reflect::get(&head, &JsValue::from_str("bytes")).ok()?.dyn_into().ok()?;
    // Without the file's size the rest could not be asked for safely: fetch as usual.
    let total = num_field(&head, "total").filter(|t| *t > 0.0)? as u64;
    Some(Head {
        bytes: bytes.to_vec(),
        total,
        requested_ms: num_field(&head, "requested").unwrap_or(0.0),
        arrived_ms: num_field(&head, "arrived").unwrap_or(0.0),
    })
}
