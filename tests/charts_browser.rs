//! Browser unit tests for charts (B7): plotters draws on a real canvas in headless Chromium,
//! and the ZIP bundle builds inside wasm. Run by `cargo xtask test` (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use kaifang_core::chart::{bars, Aggregate, Prepared};
use kaifang_web::charts::draw::{draw, ChartText};
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn bars_with_chinese_labels_ink_the_canvas() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(400);
    canvas.set_height(300);
    let cats: Vec<String> = ["东城区", "东城区", "西山区"].iter().map(|s| s.to_string()).collect();
    let data = Prepared::Bars(bars(&cats, None, Aggregate::Count, 30));
    let text = ChartText {
        title: "测试",
        x: "区",
        y: "记录数",
        others: "其他",
        attribution: "数据来源：测试，获取日期：2026-11-23",
    };
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone()).unwrap();
    draw(&backend.into_drawing_area(), &data, &text).unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let px = ctx.get_image_data(0.0, 0.0, 400.0, 300.0).unwrap().data();
    let bar_pixels = px.chunks(4).filter(|p| p[0] == 0x1f && p[1] == 0x6f && p[2] == 0xb2).count();
    // Two bars (2 and 1 rows) cover a good part of the plot; the rest is axes and text.
    assert!(bar_pixels > 3000, "bar pixels: {bar_pixels}");
    let footer_ink = (260..300).flat_map(|y| (0..400).map(move |x| (y * 400 + x) * 4)).filter(|&i| px[i] < 128).count();
    assert!(footer_ink > 50, "the attribution line is drawn inside the image ({footer_ink} dark pixels)");
}
