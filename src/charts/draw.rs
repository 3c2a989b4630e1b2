//! Draws prepared chart data (`kaifang_core::chart::Prepared`) with plotters on any
//! backend: the page's canvas (plotters-canvas) and SVG export (plotters' SVGBackend into
//! a String) run this same code, so the exported image is the chart on screen.
//!
//! Text uses the generic `sans-serif` family: the browser resolves it to the installed CJK
//! font (Noto Sans CJK here) for Chinese labels; no web font is loaded from anywhere.
//! The attribution line (A1) is drawn inside the image, under the plot.

use kaifang_core::chart::{format_day, ChartKind, Prepared};
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The texts a chart shows, already in the user's language.
pub struct ChartText<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
    /// Label of the bar that folds the remaining categories.
    pub others: &'a str,
    /// The attribution line drawn at the bottom of the image.
    pub attribution: &'a str,
}

const BAR: RGBColor = RGBColor(0x1f, 0x6f, 0xb2);
const LINE: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const FONT: &str = "sans-serif";
/// Space under the plot for the attribution: padding plus one row per wrapped line.
const FOOTER_PAD: u32 = 8;
const FOOTER_LINE: u32 = 16;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Splits the attribution into lines that fit `width` pixels at `px` size, breaking after
/// a comma or before an opening bracket where possible. CJK glyphs are about `px` wide,
/// Latin about half; the estimate only needs to keep the text inside the image.
pub fn wrap_attribution(text: &str, width: u32, px: u32) -> Vec<String> {
    let max = width.saturating_sub(16).max(px * 4) as f64;
    let w = |c: char| if c.is_ascii() { 0.55 * px as f64 } else { px as f64 };
    let mut lines = Vec::new();
    let (mut cur, mut cur_w, mut brk) = (String::new(), 0.0, None::<usize>);
    for c in text.chars() {
        if cur_w + w(c) > max && !cur.is_empty() {
            let rest = match brk {
                Some(b) if b > 0 => cur.split_off(b),
                _ => String::new(),
            };
            lines.push(cur.trim().to_string());
            cur_w = rest.chars().map(w).sum();
            cur = rest;
            brk = None;
        }
        if matches!(c, '（' | '(') {
            brk = Some(cur.len());
        }
        cur.push(c);
        cur_w += w(c);
        if matches!(c, '，' | ',') {
            brk = Some(cur.len());
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim().to_string());
    }
    lines
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &Prepared,
    text: &ChartText,
) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    root.fill(&WHITE).map_err(err)?;
    let lines = wrap_attribution(text.attribution, w, 12);
    let (plot, foot) = root.split_vertically(h.saturating_sub(FOOTER_PAD + FOOTER_LINE * lines.len() as u32));
    let foot_style = TextStyle::from((FONT, 12).into_font()).color(&RGBColor(0x33, 0x33, 0x33));
    for (i, line) in lines.iter().enumerate() {
        foot.draw_text(line, &foot_style, (8, 4 + i as i32 * 16)).map_err(err)?;
    }
    let mut builder = ChartBuilder::on(&plot);
    builder
        .caption(text.title, (FONT, 18).into_font())
        .margin(12)
        // Room for the last x label, which is centred on the right edge.
        .margin_right(32)
        .x_label_area_size(44)
        .y_label_area_size(64);
    let label_font = (FONT, 12).into_font();
    match data {
        Prepared::Bars(b) => {
            let mut labels = b.labels.clone();
            let mut values = b.values.clone();
            if let Some((n, v)) = b.others {
                labels.push(format!("{} ({n})", text.others));
                values.push(v);
            }
            let n = values.len().max(1) as u32;
            let (lo, hi) = values.iter().fold((0f64, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
            let hi = if hi == lo { lo + 1.0 } else { hi + (hi - lo) * 0.05 };
            let mut chart = builder.build_cartesian_2d((0u32..n).into_segmented(), lo..hi).map_err(err)?;
            axes(&mut chart, text, &label_font)
                .disable_x_mesh()
                .x_labels(labels.len().min(30))
                .x_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => labels.get(*i as usize).map(|s| short(s, 6)).unwrap_or_default(),
                    _ => String::new(),
                })
                .draw()
                .map_err(err)?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, &v)| {
                    let i = i as u32;
                    let mut r =
                        Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), v)], BAR.filled());
                    r.set_margin(0, 0, 3, 3);
                    r
                }))
                .map_err(err)?;
        }
        Prepared::Histogram { bins, .. } => {
            let (x0, x1) = match (bins.first(), bins.last()) {
                (Some(a), Some(b)) => (a.lo, b.hi),
                _ => (0.0, 1.0),
            };
            let top = bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64 * 1.05;
            let mut chart = builder.build_cartesian_2d(x0..x1, 0.0..top).map_err(err)?;
            axes(&mut chart, text, &label_font).disable_x_mesh().draw().map_err(err)?;
            chart
                .draw_series(bins.iter().map(|b| {
                    let mut r = Rectangle::new([(b.lo, 0.0), (b.hi, b.count as f64)], BAR.filled());
                    r.set_margin(0, 0, 1, 1);
                    r
                }))
                .map_err(err)?;
        }
        Prepared::Xy { kind, points, x_temporal, .. } => {
            let ((x0, x1), (y0, y1)) = kaifang_core::chart::extent(points).unwrap_or(((0.0, 1.0), (0.0, 1.0)));
            let pad =
                |a: f64, b: f64| if a == b { (a - 1.0, b + 1.0) } else { (a - (b - a) * 0.02, b + (b - a) * 0.02) };
            let (x0, x1) = pad(x0, x1);
            let (y0, y1) = pad(y0, y1);
            let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(err)?;
            let temporal = *x_temporal;
            // Spans of a few days need the time of day, or ticks repeat the same date.
            let short_span = x1 - x0 <= 3.0;
            let fmt_x = move |v: &f64| match (temporal, short_span) {
                (true, false) => format_day(*v),
                (true, true) => format_day_time(*v),
                (false, _) => format_number(*v),
            };
            axes(&mut chart, text, &label_font)
                .x_label_formatter(&fmt_x)
                .y_label_formatter(&|v| format_number(*v))
                .x_labels(if temporal { 5 } else { 8 })
                .draw()
                .map_err(err)?;
            if *kind == ChartKind::Line {
                chart.draw_series(LineSeries::new(points.iter().copied(), LINE.stroke_width(1))).map_err(err)?;
            } else {
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, BAR.mix(0.6).filled()))).map_err(err)?;
            }
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

/// The axes as every kind of chart draws them: named as `text` says (the SVG export's labels
/// are these same ones), in the label font.
fn axes<'a, 'b, DB, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    text: &ChartText,
    font: &FontDesc<'b>,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    XT: std::fmt::Debug,
    YT: std::fmt::Debug,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(text.x).y_desc(text.y).label_style(font.clone()).axis_desc_style(font.clone());
    mesh
}

/// `MM-DD HH:MM` for a fractional day number.
pub fn format_day_time(days: f64) -> String {
    let day = format_day(days);
    let minutes = ((days - days.floor()) * 1440.0).round() as u32;
    let (h, m) = if minutes >= 1440 { (23, 59) } else { (minutes / 60, minutes % 60) };
    format!("{} {h:02}:{m:02}", &day[5..])
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// Axis numbers without float noise: integers plainly, others with up to 4 significant
/// decimals, large values in scientific notation.
pub fn format_number(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1e7 {
        return format!("{v:.2e}");
    }
    if v.fract() == 0.0 {
        return format!("{v:.0}");
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Draws into an SVG string (export).
pub fn to_svg(data: &Prepared, text: &ChartText, size: (u32, u32)) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root, data, text)?;
    }
    Ok(out)
}
