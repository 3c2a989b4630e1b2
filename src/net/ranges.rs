//! Data files without holding them: the response body as a stream of chunks, and byte
//! ranges (HTTP Range) for a screen of rows. `kaifang serve` answers Range on `/catalog/`;
//! offline, the service worker answers from a favourite's kept copy (`src/sw.js`).

use super::NetError;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReadableStreamDefaultReader, RequestInit, Response};

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A body that stopped coming, or a request that got no answer.
fn unreachable(e: JsValue) -> NetError {
    NetError::Unreachable(js_err(e))
}

/// `range`: bytes `[start, end)`, or from `start` to the end of the file when `end` is None.
/// Works on the page and in a worker (the scan workers read their parts with it).
async fn fetch(url: &str, range: Option<(u64, Option<u64>)>) -> Result<Response, NetError> {
    let init = RequestInit::new();
    init.set_method("GET");
    if let Some((start, end)) = range {
        let headers = Headers::new().map_err(unreachable)?;
        // HTTP ranges are inclusive.
        let last = end.map(|e| e.saturating_sub(1).to_string()).unwrap_or_default();
        headers.set("Range", &format!("bytes={start}-{last}")).map_err(unreachable)?;
        init.set_headers(&headers);
    }
    let global = js_sys::global();
    let request = if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.fetch_with_str_and_init(url, &init)
    } else if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        worker.fetch_with_str_and_init(url, &init)
    } else {
        return Err(NetError::Unreachable("no fetch here".into()));
    };
    let resp: Response = JsFuture::from(request).await.map_err(unreachable)?.dyn_into().map_err(unreachable)?;
    match resp.status() {
        200..=299 => Ok(resp),
        404 => Err(NetError::status_only(404)),
        s => Err(NetError::status_only(s)),
    }
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
    pub async fn open(url: &str) -> Result<ByteStream, NetError> {
        Self::open_from(url, 0).await
    }

    /// The file from byte `offset` on (a Range request when `offset` > 0).
    pub async fn open_from(url: &str, offset: u64) -> Result<ByteStream, NetError> {
        let resp = fetch(url, (offset > 0).then_some((offset, None))).await?;
        let length: Option<u64> = resp.headers().get("content-length").ok().flatten().and_then(|s| s.parse().ok());
        let partial = resp.status() == 206;
        let (total, skip) = if partial { (length.map(|l| l + offset), 0) } else { (length, offset) };
        let body = resp.body().ok_or_else(|| NetError::BadData("the response has no body".into()))?;
        let mut stream = Self::from_body(body, total)?;
        stream.skip = skip;
        Ok(stream)
    }

    /// A body already fetched (`net::get_capped` counts its bytes as they come).
    pub fn from_body(body: web_sys::ReadableStream, total: Option<u64>) -> Result<ByteStream, NetError> {
        let reader: ReadableStreamDefaultReader = body.get_reader().dyn_into().map_err(|o| unreachable(o.into()))?;
        Ok(ByteStream { reader, total, skip: 0 })
    }

    /// The next chunk, or None at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        loop {
            let result = JsFuture::from(self.reader.read()).await.map_err(unreachable)?;
            let done = Reflect::get(&result, &JsValue::from_str("done")).map_err(unreachable)?;
            if done.as_bool().unwrap_or(false) {
                return Ok(None);
            }
            let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(unreachable)?;
            let bytes: Uint8Array = value.dyn_into().map_err(unreachable)?;
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
pub async fn fetch_range(url: &str, start: u64, end: u64) -> Result<Vec<u8>, NetError> {
    let resp = fetch(url, Some((start, Some(end)))).await?;
    let partial = resp.status() == 206;
    let buf = JsFuture::from(resp.array_buffer().map_err(unreachable)?).await.map_err(unreachable)?;
    let bytes = Uint8Array::new(&buf).to_vec();
    if partial {
        Ok(bytes)
    } else {
        let (s, e) = (start as usize, (end as usize).min(bytes.len()));
        Ok(bytes.get(s..e).unwrap_or_default().to_vec())
    }
}

/// The whole file (JSON tables, which must be parsed whole).
pub async fn fetch_all(url: &str) -> Result<Vec<u8>, NetError> {
    let resp = fetch(url, None).await?;
    let buf = JsFuture::from(resp.array_buffer().map_err(unreachable)?).await.map_err(unreachable)?;
    Ok(Uint8Array::new(&buf).to_vec())
}
