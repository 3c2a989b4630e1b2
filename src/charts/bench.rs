//! Chart benchmark hook (issue 4, item 7), called by `tests/e2e/bench/chart.mjs` through
//! Trunk's `window.wasmBindings`: draws a line chart of `n` synthetic rows on an
//! off-screen canvas, from the column cells as strings (what a redraw starts from), and
//! reports where the time went. `downsample: false` is the peer: the same pipeline
//! drawing every point.

use super::draw::{draw, ChartText};
use kaifang_core::chart::{prepare, Aggregate, ChartKind, ChartSpec, ColumnKind, Prepared};
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn now() -> f64 {
    crate::browser::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Returns JSON: `{"rows":…, "points_drawn":…, "prepare_ms":…, "draw_ms":…, "total_ms":…}`.
#[wasm_bindgen]
pub fn bench_chart(n: u32, downsample: bool) -> Result<String, JsValue> {
    let n = n.min(5_000_000) as usize;
    // A noisy seasonal series, deterministic (xorshift), generated outside the timing.
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let xs: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let ys: Vec<String> = (0..n)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed % 1000) as f64 / 100.0;
            format!("{:.3}", (i as f64 / 5000.0).sin() * 50.0 + noise)
        })
        .collect();
    let document = crate::browser::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(800);
    canvas.set_height(500);
    let spec = ChartSpec { kind: ChartKind::Line, x: 0, y: Some(1), aggregate: Aggregate::Sum };
    let kinds = [ColumnKind::Numeric, ColumnKind::Numeric];

    let t0 = now();
    let data = prepare(&spec, &[&xs, &ys], &kinds, 800, downsample).map_err(|e| e.to_string())?;
    let t1 = now();
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    let text = ChartText {
        title: "基准测试 benchmark",
        x: "序号",
        y: "数值",
        others: "其他",
        attribution: "数据来源：基准测试",
    };
    draw(&root, &data, &text)?;
    let t2 = now();
    let drawn = match &data {
        Prepared::Xy { points, .. } => points.len(),
        _ => 0,
    };
    Ok(format!(
        "{{\"rows\":{n},\"points_drawn\":{drawn},\"prepare_ms\":{:.2},\"draw_ms\":{:.2},\"total_ms\":{:.2}}}",
        t1 - t0,
        t2 - t1,
        t2 - t0
    ))
}
