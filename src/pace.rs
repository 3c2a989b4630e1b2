//! Pacing long work in the browser: yielding to rendering and input between chunks, timers,
//! the next painted frame, and the page's clock (for progress and the benchmark's marks).
//! Works on the page and, where it says so, in a worker.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
