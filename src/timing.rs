//! Performance marks on the way to a dataset page's first rows, read by the preview benchmark
//! (`tests/e2e/bench/preview.mjs`) to say where the time goes. A mark costs microseconds and
//! is harmless where the Performance API is missing.

/// The marks, in the order a deep link to a dataset page passes them.
pub const APP_START: &str = "kaifang:app-start";
pub const DATASET_PAGE: &str = "kaifang:dataset-page";
/// The preview's first pass has begun, holding the early-fetched head if there was one.
pub const PREVIEW_START: &str = "kaifang:preview-start";
pub const FIRST_ROWS: &str = "kaifang:first-rows";
/// The app's page replaced the page the build rendered (src/takeover.rs).
pub const TAKEN_OVER: &str = "kaifang:taken-over";

pub fn mark(name: &str) {
    if let Some(p) = crate::browser::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
