//! The chart panel on a dataset page (B7): pick a chart kind and columns (defaults from the
//! column kinds), draw on a canvas, export PNG or SVG with the attribution in the image.

use super::draw::{draw, to_svg, ChartText};
use super::table::ChartTable;
use crate::browser::{click_link, save_bytes};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::mydata::use_my_data;
use crate::net;
use kaifang_core::attribution::Attribution;
use kaifang_core::bundle::downloadable;
use kaifang_core::catalog::{Dataset, Distribution, Portal};
use kaifang_core::chart::{
    axis_names, prepare, prepare_numeric, suggest, ChartError, ChartKind, ChartSpec, ColumnKind, Prepared,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::IntoDrawingArea;
use std::sync::Arc;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 500;
/// Files larger than this are not fetched whole as text: they are scanned as a stream and
/// only the numbers of their numeric and temporal columns are kept ([`super::large`]).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The first CSV file of a dataset, if any.
fn chartable(dataset: &Dataset) -> Option<Distribution> {
    dataset.distributions.iter().find(|d| d.format.eq_ignore_ascii_case("CSV")).cloned()
}

#[derive(Clone, PartialEq)]
pub(super) enum Load {
    Idle,
    Loading,
    Ready(Arc<ChartTable>),
    Failed(String),
}

#[component]
pub fn ChartPanel(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    // B5: charts are for data the portal serves, i.e. open, unconditional datasets.
    if !downloadable(&dataset) {
        return None;
    }
    let dist = chartable(&dataset);
    let load = RwSignal::new(Load::Idle);
    let spec = RwSignal::new(None::<ChartSpec>);
    let canvas = NodeRef::<Canvas>::new();
    let prepared = StoredValue::new(None::<Prepared>);
    let status = RwSignal::new(String::new());

    let id = dataset.id.clone();
    let attribution = {
        let (portal, dataset) = (portal.clone(), dataset.clone());
        Memo::new(move |_| Attribution::new(&portal, &dataset, my.acquired(&id).date().clone()))
    };
    let title = {
        let d = dataset.clone();
        move || match (t.lang(), &d.title_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => d.title.clone(),
        }
    };

    let on_load = {
        let dist = dist.clone();
        move |_| {
            let Some(dist) = dist.clone() else { return };
            load.set(Load::Loading);
            spawn_local(async move {
                match load_table(t, &dist, status).await {
                    Ok(table) => {
                        spec.set(suggest(&table.kinds));
                        load.set(Load::Ready(Arc::new(table)));
                    }
                    Err(e) => load.set(Load::Failed(format!("{} {e}", t.get("dataset.chart.error.load")))),
                }
            });
        }
    };

    let chart = Chart {
        t,
        load,
        spec,
        canvas,
        prepared,
        status,
        attribution,
        title: Signal::derive(title),
        stem: StoredValue::new(format!("{}-chart", dataset.id)),
    };
    // Redraw whenever the data, the choice of columns or the language changes.
    Effect::new(move |_| chart.redraw());
    let export_png = move |_| chart.save_png();
    let export_svg = move |_| chart.save_svg();

    let has_file = dist.is_some();
    Some(view! {
        <section class="chart-panel" aria-labelledby="chart-title">
            <h2 id="chart-title">{t.tr("dataset.chart.heading")}</h2>
            {(!has_file).then(|| view! { <p class="hint">{t.tr("dataset.chart.error.no_file")}</p> })}
            <Show when=move || has_file && matches!(load.get(), Load::Idle | Load::Failed(_))>
                <button type="button" class="primary" data-testid="chart-draw" on:click=on_load.clone()>
                    {t.tr("dataset.chart.draw")}
                </button>
            </Show>
            {move || match load.get() {
                Load::Loading => Some(view! { <p class="loading" data-testid="chart-loading">{t.tr("dataset.chart.loading")}" "{move || status.get()}</p> }.into_any()),
                Load::Failed(e) => Some(view! { <p class="error" role="alert">{e}</p> }.into_any()),
                _ => None,
            }}
            <super::controls::ChartControls load=load spec=spec/>
            <div class="chart-frame" class:hidden=move || !matches!(load.get(), Load::Ready(_))>
                <canvas node_ref=canvas width=WIDTH height=HEIGHT role="img" data-testid="chart-canvas"
                    aria-label=move || format!("{} — {}", t.get("dataset.chart.aria"), status.get())></canvas>
                <p class="chart-status" role="status" aria-live="polite" data-testid="chart-status">{move || status.get()}</p>
                <p class="chart-export">
                    <button type="button" data-testid="chart-png" on:click=export_png>{t.tr("dataset.chart.export_png")}</button>" "
                    <button type="button" data-testid="chart-svg" on:click=export_svg>{t.tr("dataset.chart.export_svg")}</button>
                </p>
            </div>
        </section>
    })
}

/// The panel's state, shared by drawing and both exports.
#[derive(Clone, Copy)]
struct Chart {
    t: I18n,
    load: RwSignal<Load>,
    spec: RwSignal<Option<ChartSpec>>,
    canvas: NodeRef<Canvas>,
    /// What was last drawn, for the SVG export.
    prepared: StoredValue<Option<Prepared>>,
    status: RwSignal<String>,
    attribution: Memo<Attribution>,
    title: Signal<String>,
    /// Exported files are named `<dataset id>-chart.png` / `.svg`.
    stem: StoredValue<String>,
}

impl Chart {
    fn redraw(self) {
        let t = self.t;
        let (Load::Ready(table), Some(s), Some(el)) = (self.load.get(), self.spec.get(), self.canvas.get()) else {
            return;
        };
        // Draw at the width the page gives the chart (a phone is 360 px wide), so labels
        // keep their size instead of being scaled down with an 800 px bitmap.
        let width = fitted_width();
        el.set_width(width);
        // Narrow charts get relatively taller, leaving room for the plot under the wrapped attribution.
        el.set_height((width * HEIGHT / WIDTH).max(360));
        let prepared = match &table.numbers {
            Some(numbers) => prepare_scanned(&s, numbers, &table.kinds, width),
            None => prepare(&s, &table.refs(), &table.kinds, width, true),
        };
        match prepared {
            Ok(data) => {
                let words = self.attribution.with(|a| Words::new(t, self.title.get(), a, &s, &table.headers));
                let result = plotters_canvas::CanvasBackend::with_canvas_object(el)
                    .ok_or_else(|| "no canvas".to_string())
                    .and_then(|b| draw(&b.into_drawing_area(), &data, &words.text()));
                self.status.set(result.map_or_else(|e| e, |()| summary(t, &data)));
                self.prepared.set_value(Some(data));
            }
            Err(e) => {
                self.prepared.set_value(None);
                self.status.set(t.get(match e {
                    ChartError::NeedsY => "dataset.chart.error.needs_y",
                    _ => "dataset.chart.error.not_numeric",
                }));
            }
        }
    }

    /// The canvas as PNG. The attribution is drawn in the image and also stored as PNG
    /// text (kaifang_core::png), which a program can read back; the plain image if that fails.
    fn save_png(self) {
        let t = self.t;
        let Some(el) = self.canvas.get_untracked() else { return };
        let Ok(url) = el.to_data_url_with_type("image/png") else { return };
        let line = self.attribution.with_untracked(|a| attribution_line(t, a));
        let tagged = crate::browser::data_url_bytes(&url)
            .and_then(|png| kaifang_core::png::with_text(&png, kaifang_core::png::ATTRIBUTION_KEY, &line));
        let name = format!("{}.png", self.stem.get_value());
        let _ = match tagged {
            Some(png) => save_bytes(&name, &png, "image/png"),
            None => click_link(&name, &url),
        };
    }

    /// What was drawn, as SVG at the canvas's size, with the same words.
    fn save_svg(self) {
        let t = self.t;
        let Load::Ready(table) = self.load.get_untracked() else { return };
        let Some(s) = self.spec.get_untracked() else { return };
        let Some(data) = self.prepared.get_value() else { return };
        let words =
            self.attribution.with_untracked(|a| Words::new(t, self.title.get_untracked(), a, &s, &table.headers));
        let size = self.canvas.get_untracked().map_or((WIDTH, HEIGHT), |c| (c.width(), c.height()));
        match to_svg(&data, &words.text(), size) {
            Ok(svg) => {
                let _ = save_bytes(&format!("{}.svg", self.stem.get_value()), svg.as_bytes(), "image/svg+xml");
            }
            Err(e) => self.status.set(e),
        }
    }
}

/// Everything the chart says besides its data, in the reader's language: one answer for the
/// canvas (and so the PNG) and the SVG.
struct Words {
    title: String,
    x: String,
    y: String,
    others: String,
    attribution: String,
}

impl Words {
    fn new(t: I18n, title: String, attribution: &Attribution, spec: &ChartSpec, headers: &[String]) -> Words {
        let count = t.get("dataset.chart.count");
        let (x, y) = axis_names(spec, headers, &count);
        let (x, y) = (x.to_string(), y.to_string());
        Words { title, x, y, others: t.get("dataset.chart.others"), attribution: attribution_line(t, attribution) }
    }

    fn text(&self) -> ChartText<'_> {
        ChartText { title: &self.title, x: &self.x, y: &self.y, others: &self.others, attribution: &self.attribution }
    }
}

fn attribution_line(t: I18n, a: &Attribution) -> String {
    if t.lang() == Lang::Zh {
        a.line_zh()
    } else {
        a.line_en()
    }
}

/// What was drawn, for the status line under the chart.
fn summary(t: I18n, data: &Prepared) -> String {
    match data {
        Prepared::Xy { points, total, skipped, .. } => t.fmt(
            "dataset.chart.summary",
            &[("drawn", &points.len().to_string()), ("total", &total.to_string()), ("skipped", &skipped.to_string())],
        ),
        Prepared::Bars(b) => t.fmt(
            "dataset.chart.bars_summary",
            &[
                ("bars", &(b.labels.len() + b.others.map_or(0, |o| o.0)).to_string()),
                ("skipped", &b.skipped.to_string()),
            ],
        ),
        Prepared::Histogram { bins, skipped } => t.fmt(
            "dataset.chart.summary",
            &[
                ("drawn", &bins.len().to_string()),
                ("total", &bins.iter().map(|b| b.count).sum::<usize>().to_string()),
                ("skipped", &skipped.to_string()),
            ],
        ),
    }
}

/// The file as a chart table: read whole and decoded, or, past [`MAX_BYTES`], scanned as a
/// stream keeping only numbers (progress in `status`).
async fn load_table(t: I18n, dist: &Distribution, status: RwSignal<String>) -> Result<ChartTable, String> {
    let url = net::catalog_url(&dist.path);
    if dist.byte_size > MAX_BYTES {
        return super::large::load(&url, dist, |bytes, total| {
            let pct = total.filter(|t| *t > 0).map_or(0, |t| bytes * 100 / t);
            status.set(t.fmt("dataset.chart.scanning", &[("pct", &pct.to_string())]));
        })
        .await;
    }
    let bytes = net::get_bytes(&url).await.map_err(|e| format!("{} {}", t.get(e.message_key()), e.detail()))?;
    let text = decode(&bytes, dist.encoding.as_deref())?;
    ChartTable::from_csv_text(&text)
}

/// [`prepare`] for a large file's scanned numbers (see [`ChartTable::numbers`]).
fn prepare_scanned(
    s: &ChartSpec,
    numbers: &[Option<Vec<f64>>],
    kinds: &[ColumnKind],
    width: u32,
) -> Result<Prepared, ChartError> {
    let column = |i: usize| numbers.get(i).and_then(|c| c.as_deref()).ok_or(ChartError::NotNumeric(i));
    let kind = |i: usize| kinds.get(i).copied().unwrap_or(ColumnKind::Categorical);
    match s.kind {
        ChartKind::Histogram => {
            let c = s.y.unwrap_or(s.x);
            if kind(c) != ColumnKind::Numeric {
                return Err(ChartError::NotNumeric(c));
            }
            prepare_numeric(s, None, column(c)?, width, true)
        }
        ChartKind::Line | ChartKind::Scatter => {
            let y = s.y.ok_or(ChartError::NeedsY)?;
            if kind(y) != ColumnKind::Numeric {
                return Err(ChartError::NotNumeric(y));
            }
            prepare_numeric(s, Some((column(s.x)?, kind(s.x))), column(y)?, width, true)
        }
        // Bars need the category text, which a large file's scan does not keep.
        ChartKind::Bar => Err(ChartError::NotNumeric(s.x)),
    }
}

/// The chart's pixel width: the viewport minus the page's padding, between 320 and 800.
fn fitted_width() -> u32 {
    let viewport =
        crate::browser::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(WIDTH as f64);
    ((viewport - 40.0) as u32).clamp(320, WIDTH)
}

/// Decodes a file with the browser's TextDecoder (which knows GBK and GB18030), from the
/// catalog's declared encoding; a UTF-8 byte-order mark is dropped.
fn decode(bytes: &[u8], label: Option<&str>) -> Result<String, String> {
    let label = match label.map(|l| l.trim().to_ascii_lowercase()) {
        Some(l) if l == "gbk" || l == "gb2312" || l == "gb18030" => l,
        _ => "utf-8".to_string(),
    };
    let decoder = web_sys::TextDecoder::new_with_label(&label).map_err(|e| format!("{e:?}"))?;
    decoder.decode_with_u8_array(bytes).map_err(|e| format!("{e:?}"))
}
