//! Small browser actions: copying text and saving bytes as a file; and [`window`], the one
//! way the app reaches the browser's window, so that the same components render natively
//! at build time (src/prerender.rs), where there is no window and every browser call
//! would panic.

use wasm_bindgen::{JsCast, JsValue};

/// The browser's window; `None` outside a browser (the build-time renderer, native tests).
pub fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

use wasm_bindgen_futures::JsFuture;

/// Copies text with the Clipboard API; where it is missing (an insecure context) or
/// refused, falls back to a hidden textarea and `document.execCommand("copy")`.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = window() else { return false };
    let navigator = window.navigator();
    let has_api = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|v| !v.is_undefined());
    if has_api && JsFuture::from(navigator.clipboard().write_text(text)).await.is_ok() {
        return true;
    }
    copy_with_textarea(text)
}

fn copy_with_textarea(text: &str) -> bool {
    let Some(doc) = window().and_then(|w| w.document()) else { return false };
    let Some(body) = doc.body() else { return false };
    let Ok(el) = doc.create_element("textarea") else { return false };
    let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else { return false };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;top:-1000px;opacity:0");
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let ok = doc.dyn_ref::<web_sys::HtmlDocument>().and_then(|d| d.exec_command("copy").ok()).unwrap_or(false);
    area.remove();
    ok
}

/// Offers bytes to the user as a download named `name`.
pub fn save_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array.buffer());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob =
        web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
    save_blob(name, &blob)
}

pub fn save_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let res = click_link(name, &url);
    // Revoke after the click has been handled.
    let u = url.clone();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&u);
    });
    if let Some(w) = window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 60_000);
    }
    res
}

/// The bytes of a base64 `data:` URL (as `canvas.toDataURL` makes), decoded by the
/// browser's `atob`.
pub fn data_url_bytes(url: &str) -> Option<Vec<u8>> {
    let (_, b64) = url.split_once(";base64,")?;
    let binary = window()?.atob(b64).ok()?;
    // `atob` answers one char per byte (U+0000–U+00FF).
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

pub fn click_link(name: &str, href: &str) -> Result<(), String> {
    let doc = window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        doc.create_element("a").map_err(|e| format!("{e:?}"))?.dyn_into().map_err(|_| "not an anchor")?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// The page's origin, e.g. `http://127.0.0.1:8080`, for absolute file addresses.
pub fn origin() -> String {
    window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// Saves rows as a CSV file that is safe to open in a spreadsheet: formula-like cells are
/// neutralised and a UTF-8 byte-order mark lets Excel read Chinese (`kaifang_core::export`).
/// For the preview's "export filtered rows".
pub fn save_rows_csv<H: AsRef<str>, S: AsRef<str>, R: AsRef<[S]>>(
    name: &str,
    header: &[H],
    rows: impl IntoIterator<Item = R>,
) -> Result<(), String> {
    let text = kaifang_core::export::to_csv(header, rows, true);
    save_bytes(name, text.as_bytes(), "text/csv;charset=utf-8")
}

/// The tallest element this browser lays out, in CSS pixels (Chromium and WebKit ~33.5 M,
/// Firefox ~17.9 M), measured once by [`measure_layout_limit`]; 16 M, under every engine's
/// limit, until then or where it cannot be measured.
pub fn layout_limit_px() -> f64 {
    LAYOUT_LIMIT.with(|l| l.get())
}

const SAFE_LAYOUT_LIMIT_PX: f64 = 16_000_000.0;

thread_local! {
    static LAYOUT_LIMIT: std::cell::Cell<f64> = const { std::cell::Cell::new(SAFE_LAYOUT_LIMIT_PX) };
}

/// Measures [`layout_limit_px`]: an element asked to be a billion pixels tall is laid out at
/// the engine's limit. Called at start-up, while the page is still empty, so the forced layout
/// costs next to nothing (called later, it would lay out the whole page at once).
pub fn measure_layout_limit() {
    let probe = || -> Option<f64> {
        let doc = window()?.document()?;
        let el = doc.create_element("div").ok()?;
        el.set_attribute("style", "position:absolute;top:0;left:0;width:1px;height:1000000000px;visibility:hidden")
            .ok()?;
        doc.body()?.append_child(&el).ok()?;
        let height = el.get_bounding_client_rect().height();
        el.remove();
        Some(height)
    };
    // A margin under the limit: an element at the very limit may lose its last pixels to
    // rounding, and scroll offsets that close to it are the least exact.
    if let Some(limit) = probe().filter(|h| h.is_finite() && *h > SAFE_LAYOUT_LIMIT_PX) {
        LAYOUT_LIMIT.with(|l| l.set((limit * 0.95).floor()));
    }
}
