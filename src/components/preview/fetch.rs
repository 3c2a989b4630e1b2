//! Reading a catalog file without holding it: the response body as a stream of chunks, and
//! byte ranges (HTTP Range) for a screen of rows. `kaifang serve` answers Range on `/catalog/`.

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReadableStreamDefaultReader, RequestInit, Response};

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// `range`: bytes `[start, end)`, or from `start` to the end of the file when `end` is None.
/// Works on the page and in a worker (the scan workers read their parts with it).
async fn fetch(url: &str, range: Option<(u64, Option<u64>)>) -> Result<Response, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    if let Some((start, end)) = range {
        let headers = Headers::new().map_err(js_err)?;
        // HTTP ranges are inclusive.
        let last = end.map(|e| e.saturating_sub(1).to_string()).unwrap_or_default();
        headers.set("Range", &format!("bytes={start}-{last}")).map_err(js_err)?;
        init.set_headers(&headers);
    }
    let global = js_sys::global();
    let request = if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.fetch_with_str_and_init(url, &init)
    } else if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        worker.fetch_with_str_and_init(url, &init)
    } else {
        return Err("no fetch here".into());
    };
    let resp: Response = JsFuture::from(request)
        .await
        .map_err(js_err)?
        .dyn_into()
        .map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    Ok(resp)
}

/// A file's bytes as they arrive.
pub struct ByteStream {
    reader: ReadableStreamDefaultReader,
    /// The whole file's size, from Content-Length, when the server sent it.
    pub total: Option<u64>,
    /// Bytes still to drop from the front (a server that ignored a Range request).
    skip: u64,
}

impl ByteStream {
    pub async fn open(url: &str) -> Result<ByteStream, String> {
        Self::open_from(url, 0).await
    }

    /// The file from byte `offset` on (a Range request when `offset` > 0).
    pub async fn open_from(url: &str, offset: u64) -> Result<ByteStream, String> {
        let resp = fetch(url, (offset > 0).then_some((offset, None))).await?;
        let length: Option<u64> = resp.headers().get("content-length").ok().flatten().and_then(|s| s.parse().ok());
        let partial = resp.status() == 206;
        let (total, skip) = if partial { (length.map(|l| l + offset), 0) } else { (length, offset) };
        let body = resp.body().ok_or("the response has no body")?;
        let mut stream = Self::from_body(body, total)?;
        stream.skip = skip;
        Ok(stream)
    }

    /// A body already fetched (`net::get_capped` counts its bytes as they come).
    pub fn from_body(body: web_sys::ReadableStream, total: Option<u64>) -> Result<ByteStream, String> {
        let reader: ReadableStreamDefaultReader = body.get_reader().dyn_into().map_err(|o| js_err(o.into()))?;
        Ok(ByteStream { reader, total, skip: 0 })
    }

    /// The next chunk, or None at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        loop {
            let result = JsFuture::from(self.reader.read()).await.map_err(js_err)?;
            let done = Reflect::get(&result, &JsValue::from_str("done")).map_err(js_err)?;
            if done.as_bool().unwrap_or(false) {
                return Ok(None);
            }
            let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(js_err)?;
            let bytes: Uint8Array = value.dyn_into().map_err(js_err)?;
            let len = bytes.length() as u64;
            if self.skip >= len {
                self.skip -= len;
                continue;
            }
            let from = std::mem::take(&mut self.skip) as u32;
            return Ok(Some(bytes.subarray(from, len as u32).to_vec()));
        }
    }

    /// Stops the download (the rest of the file is not needed).
    pub fn cancel(self) {
        let _ = self.reader.cancel();
    }
}

/// Bytes `[start, end)` of a file. A server that ignores Range sends the whole file; then
/// the slice is cut out here (correct, only slower).
pub async fn fetch_range(url: &str, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let resp = fetch(url, Some((start, Some(end)))).await?;
    let partial = resp.status() == 206;
    let buf = JsFuture::from(resp.array_buffer().map_err(js_err)?).await.map_err(js_err)?;
    let bytes = Uint8Array::new(&buf).to_vec();
    if partial {
        Ok(bytes)
    } else {
        let (s, e) = (start as usize, (end as usize).min(bytes.len()));
        Ok(bytes.get(s..e).unwrap_or_default().to_vec())
    }
}

/// The whole file (JSON tables, which must be parsed whole).
pub async fn fetch_all(url: &str) -> Result<Vec<u8>, String> {
    let resp = fetch(url, None).await?;
    let buf = JsFuture::from(resp.array_buffer().map_err(js_err)?).await.map_err(js_err)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Lets the browser render and handle input between chunks of a long scan (a resolved
/// promise would not: microtasks run before rendering).
pub async fn yield_to_browser() {
    sleep_ms(0.0).await;
}

/// Resolves after `ms` milliseconds (a timer task, so rendering and input run in between).
pub async fn sleep_ms(ms: f64) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = crate::browser::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since page load (for progress pacing and the benchmark marks).
pub fn now_ms() -> f64 {
    crate::browser::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Resolves once the browser has rendered the next frame (a timer queued from an animation
/// frame callback runs after that frame's style, layout and paint), or after `max_ms` where no
/// frame comes (a hidden tab renders none). Off the page (a worker), at once.
pub async fn after_next_paint(max_ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let Some(w) = crate::browser::window() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, max_ms);
        let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(w) = crate::browser::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        });
        let _ = w.request_animation_frame(after_frame.unchecked_ref());
    });
    let _ = JsFuture::from(promise).await;
}
