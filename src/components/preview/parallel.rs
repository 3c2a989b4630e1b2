//! The whole-file scan on Web Workers, one part of the file each (`src/worker.rs`), merged on
//! the page by `kaifang_core::table::parts::Merge` into what one scan gives. A page thread
//! that only merges stays free for scrolling and typing while the file is read, and the parts
//! run on every core.
//!
//! The workers also read XLSX workbooks ([`read_sheet`]): the XLSX reader lives in their wasm
//! only, out of the page's module.
//!
//! When workers cannot help — a file too small to split, offsets that are not the file's
//! bytes (UTF-16), a browser or host without the worker script — [`scan`] says so (None) and
//! the caller scans on the page as before; nothing else changes.

use crate::pace::{now_ms, sleep_ms};
use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::StreamExt;
use kaifang_core::table::jobs::{SheetJob, SheetRead, WorkerJob, WorkerReply};
use kaifang_core::table::parts::{plan, Merge, PartJob, PartOutcome, PartRange, ScanSpec, Verdict};
use kaifang_core::table::scan::ScanResult;
use kaifang_core::table::Layout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event as DomEvent, MessageEvent, Worker};

/// The worker's loader, written by Trunk next to the app (`index.html`'s worker link).
const WORKER_URL: &str = "/scan-worker_loader.js";
/// Parts smaller than this cost more in start-up than they save.
const MIN_PART_BYTES: u64 = 8 << 20;
const MAX_WORKERS: usize = 4;
/// How long workers may take to start (fetch and compile their wasm) before the page scans.
const READY_MS: f64 = 10_000.0;
/// How long workers started ahead of a scan ([`prestart`]) wait for it before they stop.
const WARM_MS: f64 = 20_000.0;

thread_local! {
    /// Workers started ahead of a scan, with the generation that started them.
    static WARM: std::cell::RefCell<Option<(u64, Pool)>> = const { std::cell::RefCell::new(None) };
    static WARM_GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Starts the workers a scan of a `total`-byte file would use, for the next [`scan`] to take:
/// called when the pointer or keyboard focus reaches a control that scans, they fetch and
/// compile their wasm (~140 ms) while the person clicks. Unused, they stop after [`WARM_MS`].
pub fn prestart(total: u64, layout: &Layout) {
    let Some(n) = parts(total, layout).map(|r| r.len()) else { return };
    if WARM.with(|w| w.borrow().as_ref().is_some_and(|(_, p)| p.workers.len() == n)) {
        return;
    }
    let Some(pool) = Pool::start(n) else { return };
    let generation = WARM_GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    WARM.with(|w| *w.borrow_mut() = Some((generation, pool)));
    wasm_bindgen_futures::spawn_local(async move {
        sleep_ms(WARM_MS).await;
        // Dropping the pool stops its workers; a newer one (or none: taken) is left alone.
        let stale = WARM.with(|w| {
            let mut w = w.borrow_mut();
            if w.as_ref().is_some_and(|(g, _)| *g == generation) {
                w.take()
            } else {
                None
            }
        });
        drop(stale);
    });
}

/// The workers [`prestart`] started, if there are `n` of them.
fn take_warm(n: usize) -> Option<Pool> {
    WARM.with(|w| {
        let mut w = w.borrow_mut();
        if w.as_ref().is_some_and(|(_, p)| p.workers.len() == n) {
            w.take().map(|(_, p)| p)
        } else {
            None
        }
    })
}

/// What to scan.
pub struct Request {
    pub spec: ScanSpec,
    /// The file's size as far as it is known (the last part reads to the end regardless).
    pub total: u64,
    /// The layout the first pass found.
    pub layout: Layout,
}

enum Event {
    Ready,
    Progress(u64),
    Done(Vec<u8>),
    /// A workbook's sheet, read.
    Sheet(Box<SheetRead>),
    Failed(String),
}

/// The workers of one scan; they are stopped when it is dropped (done, failed, or the page
/// left while it ran).
struct Pool {
    workers: Vec<Worker>,
    events: UnboundedReceiver<(usize, Event)>,
    _handlers: Vec<(Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(DomEvent)>)>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        for w in &self.workers {
            // Messages already on their way must not reach the handlers dropped with the pool.
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
    }
}

impl Pool {
    fn start(n: usize) -> Option<Pool> {
        let (tx, events) = unbounded();
        let mut workers = Vec::new();
        let mut handlers = Vec::new();
        for k in 0..n {
            let worker = Worker::new(WORKER_URL).ok()?;
            let on_message = {
                let tx = tx.clone();
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let _ = tx.unbounded_send((k, decode_event(e.data())));
                })
            };
            let on_error = {
                let tx = tx.clone();
                Closure::<dyn FnMut(DomEvent)>::new(move |e: DomEvent| {
                    // A worker that failed to load (no script, a CSP refusal: a plain Event)
                    // or threw (an ErrorEvent with a message).
                    e.prevent_default();
                    let message =
                        js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
                    let _ = tx.unbounded_send((
                        k,
                        Event::Failed(format!("scan worker: {}", message.unwrap_or_else(|| "did not start".into()))),
                    ));
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            workers.push(worker);
            handlers.push((on_message, on_error));
        }
        Some(Pool { workers, events, _handlers: handlers })
    }

    /// The next event from any worker, or None when none came by `deadline` (`now_ms`) or
    /// the workers are gone.
    async fn next_by(&mut self, deadline: f64) -> Option<(usize, Event)> {
        let waited = (deadline - now_ms()).max(0.0);
        match futures::future::select(self.events.next(), Box::pin(sleep_ms(waited))).await {
            futures::future::Either::Left((event, _)) => event,
            futures::future::Either::Right(_) => None,
        }
    }

    fn post(&self, k: usize, job: &WorkerJob) -> Result<(), String> {
        let text = serde_json::to_string(job).map_err(|e| e.to_string())?;
        self.workers[k]
            .post_message(&JsValue::from_str(&text))
            .map_err(|_| "the scan job could not be posted".to_string())
    }
}

fn decode_event(data: JsValue) -> Event {
    if let Some(array) = data.dyn_ref::<js_sys::Uint8Array>() {
        return Event::Done(array.to_vec());
    }
    let Some(text) = data.as_string() else { return Event::Failed("an unreadable message from a scan worker".into()) };
    if text == "ready" {
        return Event::Ready;
    }
    match serde_json::from_str::<WorkerReply>(&text) {
        Ok(WorkerReply::Progress(n)) => Event::Progress(n),
        Ok(WorkerReply::Sheet(read)) => Event::Sheet(read),
        Ok(WorkerReply::Error(e)) => Event::Failed(e),
        Err(e) => Event::Failed(format!("an unreadable message from a scan worker: {e}")),
    }
}

fn worker_count() -> usize {
    let cores = crate::browser::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(1.0);
    (cores as usize).clamp(1, MAX_WORKERS)
}

/// The parts a `total`-byte file with this layout is scanned in on workers; None when workers
/// cannot help (offsets that are not the file's bytes, a file too small to split).
fn parts(total: u64, layout: &Layout) -> Option<Vec<PartRange>> {
    let ranges = plan(total, worker_count(), MIN_PART_BYTES);
    (layout.offsets_are_file_bytes && ranges.len() >= 2).then_some(ranges)
}

/// Scans the file on workers; `progress(bytes)` hears how far they are together. The result
/// comes with the number of parts it ran in. None when workers cannot do it (see the module
/// doc): the caller then scans on the page.
pub async fn scan(req: Request, progress: impl Fn(u64)) -> Option<Result<(ScanResult, usize), String>> {
    let ranges = parts(req.total, &req.layout)?;
    let mut pool = take_warm(ranges.len()).or_else(|| Pool::start(ranges.len()))?;
    let job = |range: PartRange, layout: &Layout, rerun_from: Option<u64>| {
        WorkerJob::Part(PartJob { spec: req.spec.clone(), range, layout: layout.clone(), rerun_from })
    };

    // Every worker says it listens before it gets its part; one that cannot start (or is not
    // heard from in time) means the page scans instead.
    let mut ready = 0;
    let deadline = now_ms() + READY_MS;
    while ready < ranges.len() {
        match pool.next_by(deadline).await? {
            (k, Event::Ready) => {
                ready += 1;
                pool.post(k, &job(ranges[k], &req.layout, None)).ok()?;
            }
            (_, Event::Failed(_)) => return None,
            _ => {}
        }
    }

    let mut merge = Merge::new(&req.spec.options(), ranges.clone());
    let mut done: Vec<Option<Result<Vec<u8>, String>>> = vec![None; ranges.len()];
    let mut read = vec![0u64; ranges.len()];
    let mut k = 0;
    while merge.next_range().is_some() {
        // Parts merge in order: wait for part k.
        while done[k].is_none() {
            let (i, event) = pool.events.next().await?;
            match event {
                Event::Progress(n) => {
                    read[i] = n;
                    progress(read.iter().sum::<u64>().min(req.total));
                }
                Event::Done(bytes) => done[i] = Some(Ok(bytes)),
                Event::Failed(e) => done[i] = Some(Err(e)),
                Event::Ready | Event::Sheet(_) => {}
            }
        }
        let outcome =
            done[k].take().expect("waited for above").and_then(|b| PartOutcome::decode(&b).map_err(|e| e.to_string()));
        match merge.offer(outcome) {
            Ok(Verdict::Taken | Verdict::Skipped) => k += 1,
            // Part k guessed its start (or layout) wrong: its worker reads it again.
            Ok(Verdict::Rerun { from, layout }) => {
                if let Err(e) = pool.post(k, &job(ranges[k], &layout, Some(from))) {
                    return Some(Err(e));
                }
            }
            Err(e) => return Some(Err(e)),
        }
    }
    drop(pool);
    Some(Ok((merge.finish(), ranges.len())))
}

/// Reads one sheet of a workbook on a worker. Unlike a scan there is nothing to fall back on:
/// the page's module has no XLSX reader, so a worker that cannot start is an error to show.
pub async fn read_sheet(job: SheetJob) -> Result<SheetRead, String> {
    let unavailable = || "the XLSX reader (the scan worker) did not start".to_string();
    let mut pool = Pool::start(1).ok_or_else(unavailable)?;
    // Only the start is timed: a large workbook may take its time once it is read.
    let deadline = now_ms() + READY_MS;
    loop {
        match pool.next_by(deadline).await.ok_or_else(unavailable)?.1 {
            Event::Ready => break,
            Event::Failed(e) => return Err(e),
            _ => {}
        }
    }
    pool.post(0, &WorkerJob::Sheet(job))?;
    while let Some((_, event)) = pool.events.next().await {
        match event {
            Event::Sheet(read) => return Ok(*read),
            Event::Failed(e) => return Err(e),
            _ => {}
        }
    }
    Err(unavailable())
}
