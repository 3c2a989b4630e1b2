//! The scan worker: one part of a whole-file scan, off the page's thread (see
//! `kaifang_core::table::parts` for how parts split and merge, and
//! `components::preview::parallel` for the page's side).
//!
//! It also reads XLSX workbooks (`kaifang_core::table::jobs`), so that the page's module does
//! not carry the XLSX reader.
//!
//! Messages, worker → page: the string `ready` once it listens; `{"progress": BYTES}` now and
//! then; at the end either a part's binary outcome (a `Uint8Array`, its buffer transferred),
//! a sheet as `{"sheet": SheetRead}`, or `{"error": "…"}`. Page → worker: a `WorkerJob` as
//! JSON, one at a time.

use crate::net::get_capped;
use crate::net::ranges::ByteStream;
use kaifang_core::table::jobs::{SheetJob, SheetRead, WorkerJob, WorkerReply};
use kaifang_core::table::parts::PartJob;
use kaifang_core::table::xlsx::{parse_xlsx_table, MAX_XLSX_BYTES};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// How often progress is posted (ms).
const PROGRESS_MS: f64 = 100.0;

pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(text) = e.data().as_string() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            match serde_json::from_str::<WorkerJob>(&text) {
                Ok(WorkerJob::Part(job)) => match scan(&scope, &job).await {
                    Ok(bytes) => {
                        let array = js_sys::Uint8Array::from(bytes.as_slice());
                        let transfer = js_sys::Array::of1(&array.buffer());
                        if scope.post_message_with_transfer(&array, &transfer).is_err() {
                            post(&scope, &WorkerReply::Error("the result could not be posted".into()));
                        }
                    }
                    Err(e) => post(&scope, &WorkerReply::Error(e)),
                },
                Ok(WorkerJob::Sheet(job)) => match read_sheet(&job).await {
                    Ok(read) => post(&scope, &WorkerReply::Sheet(Box::new(read))),
                    Err(e) => post(&scope, &WorkerReply::Error(e)),
                },
                Err(e) => post(&scope, &WorkerReply::Error(format!("not a scan job: {e}"))),
            }
        });
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &WorkerReply) {
    let text = serde_json::to_string(reply).unwrap_or_default();
    let _ = scope.post_message(&JsValue::from_str(&text));
}

/// Reads the job's part of the file by Range and scans it, stopping at the part's end.
async fn scan(scope: &DedicatedWorkerGlobalScope, job: &PartJob) -> Result<Vec<u8>, String> {
    let mut stream = ByteStream::open_from(&job.spec.url, job.read_from()).await.map_err(|e| e.to_string())?;
    let mut scan = job.start();
    let mut last_post = js_sys::Date::now();
    let mut read = 0u64;
    while scan.boundary().is_none() {
        let Some(chunk) = stream.next().await.map_err(|e| e.to_string())? else { break };
        read += chunk.len() as u64;
        scan.feed(&chunk).map_err(|e| e.to_string())?;
        let now = js_sys::Date::now();
        if now - last_post > PROGRESS_MS {
            post(scope, &WorkerReply::Progress(read));
            last_post = now;
        }
    }
    // The rest of the file belongs to the next parts.
    stream.cancel();
    let part = scan.finish_part().map_err(|e| e.to_string())?;
    Ok(part.encode())
}

/// Reads a workbook whole, refusing one larger than the XLSX reader takes however large the
/// catalog said it was, and reads the sheet asked for.
async fn read_sheet(job: &SheetJob) -> Result<SheetRead, String> {
    let bytes = get_capped(&job.url, MAX_XLSX_BYTES as u64).await.map_err(|e| e.to_string())?;
    let sheet = parse_xlsx_table(&bytes, job.sheet.as_deref(), job.header_row).map_err(|e| e.to_string())?;
    Ok(SheetRead { sheet, bytes: bytes.len() as u64 })
}
