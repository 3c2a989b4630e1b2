//! Around the table: what was detected, progress, the filter form, problems, column profiles.

use super::loader::{apply_view, prestart_scan, run_scan};
use super::{use_preview, Task};
use crate::components::data_table::DataTable;
use crate::i18n::use_i18n;
use kaifang_core::lenient_json::Fault;
use kaifang_core::table::encoding::EncodingReason;
use kaifang_core::table::{ColumnType, Filter, FilterOp, ProblemKind};
use leptos::prelude::*;

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

fn delimiter_key(d: &str) -> &'static str {
    match d {
        "," => "preview.delim.comma",
        ";" => "preview.delim.semicolon",
        "\t" => "preview.delim.tab",
        "|" => "preview.delim.pipe",
        _ => "preview.delim.none",
    }
}

fn reason_key(r: EncodingReason) -> &'static str {
    match r {
        EncodingReason::ByteOrderMark => "preview.enc.bom",
        EncodingReason::ValidUtf8 => "preview.enc.valid_utf8",
        EncodingReason::DecodesAsGb18030 => "preview.enc.gb18030",
        EncodingReason::Utf16Pattern => "preview.enc.utf16",
        EncodingReason::AsciiOnly => "preview.enc.ascii",
        EncodingReason::FewestErrors => "preview.enc.fewest_errors",
        EncodingReason::FileFormat => "preview.enc.file_format",
    }
}

pub fn type_key(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Integer => "preview.type.integer",
        ColumnType::Number => "preview.type.number",
        ColumnType::Boolean => "preview.type.boolean",
        ColumnType::Date => "preview.type.date",
        ColumnType::DateTime => "preview.type.datetime",
        ColumnType::String => "preview.type.string",
        ColumnType::Empty => "preview.type.empty",
    }
}

/// Encoding, delimiter, header, row count, progress, errors, and the scan button.
#[component]
pub fn Status() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    let facts = move || {
        let layout = data.layout.get()?;
        let enc = &layout.encoding;
        let mut encoding = format!(
            "{} ({} {}%, {})",
            enc.encoding.label(),
            t.get("preview.confidence"),
            (enc.confidence * 100.0).round(),
            t.get(reason_key(enc.reason))
        );
        if enc.agrees_with_declared == Some(false) {
            encoding.push_str(&t.fmt("preview.enc.disagrees", &[("declared", enc.declared.as_deref().unwrap_or(""))]));
        }
        let delimiter = t.get(delimiter_key(&layout.delimiter));
        let header = t.get(if layout.has_header { "preview.header.yes" } else { "preview.header.no" });
        let rows = match data.report.get() {
            Some(r) => r.rows.to_string(),
            None => t.fmt("preview.rows_at_least", &[("n", &data.first_rows.with(|x| x.rows.len()).to_string())]),
        };
        let columns = layout.columns.len().to_string();
        Some(view! {
            <dl class="preview-facts">
                <div><dt>{t.tr("preview.encoding")}</dt><dd data-testid="encoding">{encoding}</dd></div>
                <div><dt>{t.tr("preview.delimiter")}</dt><dd>{delimiter}</dd></div>
                <div><dt>{t.tr("preview.header")}</dt><dd>{header}</dd></div>
                <div><dt>{t.tr("preview.rows")}</dt><dd data-testid="row-count">{rows}</dd></div>
                <div><dt>{t.tr("preview.columns")}</dt><dd>{columns}</dd></div>
            </dl>
        })
    };
    let progress = move || {
        let p = data.progress.get()?;
        let label = t.get(if p.task == Task::Scan { "preview.scanning" } else { "preview.loading" });
        let text = match p.total {
            Some(total) => {
                format!("{label} {} / {} MB · {} {}", mb(p.bytes), mb(total), p.rows, t.get("preview.rows_unit"))
            }
            None => format!("{label} {} MB · {} {}", mb(p.bytes), p.rows, t.get("preview.rows_unit")),
        };
        Some(view! {
            <div class="preview-progress" role="status">
                <progress max=p.total.unwrap_or(0).to_string() value=p.bytes.to_string()></progress>
                <span>{text}</span>
            </div>
        })
    };
    let scan_button = move || {
        let scanning = data.progress.with(|p| p.as_ref().is_some_and(|p| p.task == Task::Scan));
        let needed = !data.complete.get() && data.layout.with(|l| l.is_some());
        (needed && !scanning).then(|| {
            view! {
                <p class="scan-offer">
                    {t.tr("preview.partial")}" "
                    <button type="button" data-testid="scan"
                        on:pointerenter=move |_| prestart_scan(data)
                        on:focus=move |_| prestart_scan(data)
                        on:click=move |_| run_scan(data)>{t.tr("preview.scan")}</button>
                </p>
            }
        })
    };
    view! {
        <div
            class="preview-status"
            data-first-rows-ms=move || data.timings.with(|t| t.first_rows_ms).map(|v| format!("{v:.1}"))
            data-request-ms=move || data.timings.with(|t| t.request_ms).map(|v| format!("{v:.1}"))
            data-first-chunk-ms=move || data.timings.with(|t| t.first_chunk_ms).map(|v| format!("{v:.1}"))
            data-scan-ms=move || data.timings.with(|t| t.scan_ms).map(|v| format!("{v:.1}"))
            data-scan-parts=move || data.timings.with(|t| t.scan_parts).map(|n| n.to_string())
            data-scan-bytes=move || data.report.get().map(|r| r.bytes.to_string())
        >
            {facts}
            {progress}
            {scan_button}
            {move || data.error.get().map(|e| view! {
                <p class="error" role="alert">{t.tr("preview.error")}" "<span class="detail">{e}</span></p>
            })}
        </div>
    }
}

/// Filter by a column (over the whole file).
#[component]
pub fn Controls() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    let column = RwSignal::new(0usize);
    let op = RwSignal::new("contains".to_string());
    let value = RwSignal::new(String::new());
    let columns = move || data.layout.with(|l| l.as_ref().map(|l| l.columns.clone()).unwrap_or_default());
    let apply = move || {
        let v = value.get_untracked();
        let number = v.trim().parse::<f64>().ok();
        let op = match op.get_untracked().as_str() {
            "equals" => Some(FilterOp::Equals(v)),
            "at_least" => number.map(FilterOp::AtLeast),
            "at_most" => number.map(FilterOp::AtMost),
            "empty" => Some(FilterOp::IsEmpty),
            "not_empty" => Some(FilterOp::NotEmpty),
            _ => Some(FilterOp::Contains(v)),
        };
        match op {
            Some(op) => {
                data.filter.set(Some(Filter { column: column.get_untracked(), op }));
                apply_view(data);
            }
            None => data.error.set(Some(t.get("preview.filter.need_number"))),
        }
    };
    let needs_value = move || !matches!(op.get().as_str(), "empty" | "not_empty");
    view! {
        <form class="preview-controls" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <label>
                {t.tr("preview.filter.column")}
                <select data-testid="filter-column" on:change=move |ev| column.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || columns().into_iter().enumerate().map(|(i, c)| view! { <option value=i.to_string()>{c}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t.tr("preview.filter.op")}
                <select data-testid="filter-op" on:change=move |ev| op.set(event_target_value(&ev))>
                    <option value="contains">{t.tr("preview.filter.contains")}</option>
                    <option value="equals">{t.tr("preview.filter.equals")}</option>
                    <option value="at_least">{t.tr("preview.filter.at_least")}</option>
                    <option value="at_most">{t.tr("preview.filter.at_most")}</option>
                    <option value="empty">{t.tr("preview.filter.empty")}</option>
                    <option value="not_empty">{t.tr("preview.filter.not_empty")}</option>
                </select>
            </label>
            <label class:hidden=move || !needs_value()>
                {t.tr("preview.filter.value")}
                <input type="text" data-testid="filter-value" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
            <button type="submit" data-testid="filter-apply"
                on:pointerenter=move |_| prestart_scan(data)
                on:focus=move |_| prestart_scan(data)>{t.tr("preview.filter.apply")}</button>
            <button
                type="button"
                data-testid="filter-clear"
                disabled=move || data.filter.with(|f| f.is_none()) && data.sort.with(|s| s.is_none())
                on:click=move |_| {
                    data.filter.set(None);
                    data.sort.set(None);
                    apply_view(data);
                }
            >
                {t.tr("preview.filter.clear")}
            </button>
        </form>
    }
}

fn json_fault_key(fault: &Fault) -> &'static str {
    match fault {
        Fault::LoneSurrogate { .. } => "preview.problem.json.lone_surrogate",
        Fault::ControlCharacter { .. } => "preview.problem.json.control_character",
        Fault::UnknownEscape { .. } => "preview.problem.json.unknown_escape",
        Fault::TrailingComma => "preview.problem.json.trailing_comma",
        Fault::InvalidUtf8 => "preview.problem.json.invalid_utf8",
    }
}

/// Problems found in the file (ragged rows, bad bytes, …), each with its row and line.
#[component]
pub fn Problems() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    move || {
        let report = data.report.get()?;
        let problems = report.problems.clone();
        if problems.total == 0 {
            return None;
        }
        let describe = move |k: &ProblemKind| match k {
            ProblemKind::TooFewFields { expected, found } => {
                t.fmt("preview.problem.too_few", &[("expected", &expected.to_string()), ("found", &found.to_string())])
            }
            ProblemKind::TooManyFields { expected, found } => {
                t.fmt("preview.problem.too_many", &[("expected", &expected.to_string()), ("found", &found.to_string())])
            }
            ProblemKind::UnclosedQuote => t.get("preview.problem.unclosed_quote"),
            ProblemKind::InvalidBytes => t.get("preview.problem.invalid_bytes"),
            ProblemKind::EmptyColumnName { column } => {
                t.fmt("preview.problem.empty_name", &[("column", &column.to_string())])
            }
            ProblemKind::DuplicateColumnName { name } => t.fmt("preview.problem.duplicate_name", &[("name", name)]),
            ProblemKind::RepairedJson { column, fault } => {
                t.fmt(json_fault_key(fault), &[("column", &column.to_string())])
            }
        };
        Some(view! {
            <details class="preview-problems" open=problems.total <= 5>
                <summary>{t.fmt("preview.problems", &[("n", &problems.total.to_string())])}</summary>
                <ul>
                    {problems.list.iter().take(50).map(|p| {
                        let place = match (p.row, &p.kind) {
                            (Some(r), _) => t.fmt("preview.problem.at_row", &[("row", &r.to_string()), ("line", &p.line.to_string())]),
                            (None, ProblemKind::RepairedJson { .. }) => t.fmt("preview.problem.at_line", &[("line", &p.line.to_string())]),
                            (None, _) => t.fmt("preview.problem.at_header", &[("line", &p.line.to_string())]),
                        };
                        view! { <li>{place}": "{describe(&p.kind)}</li> }
                    }).collect_view()}
                </ul>
            </details>
        })
    }
}

/// The profile table's column headings.
const PROFILE_COLUMNS: &[&str] = &[
    "preview.profile.column",
    "preview.profile.type",
    "preview.profile.nulls",
    "preview.profile.min",
    "preview.profile.max",
    "preview.profile.mean",
    "preview.profile.distinct",
    "preview.profile.top",
];

/// The column profiles (after a whole-file scan).
#[component]
pub fn Profiles() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    move || {
        let report = data.report.get()?;
        Some(view! {
            <details class="preview-profiles" data-testid="profiles">
                <summary>{t.tr("preview.profile.title")}</summary>
                <DataTable keys=PROFILE_COLUMNS>
                            {report.profiles.iter().map(|p| {
                                let distinct = if p.distinct_exact { p.distinct.to_string() } else { format!("≈{}", p.distinct) };
                                let distinct_title = if p.distinct_exact { String::new() } else { t.get("preview.profile.estimate") };
                                let top = p.top_values.iter().map(|(v, n)| format!("{v} ({n})")).collect::<Vec<_>>().join("、");
                                view! {
                                    <tr>
                                        <th scope="row">{p.name.clone()}</th>
                                        <td>{t.tr(type_key(p.inferred_type))}</td>
                                        <td>{p.nulls.to_string()}</td>
                                        <td>{p.min.clone().unwrap_or_default()}</td>
                                        <td>{p.max.clone().unwrap_or_default()}</td>
                                        <td>{p.mean.map(|m| format!("{m:.4}")).unwrap_or_default()}</td>
                                        <td title=distinct_title>{distinct}</td>
                                        <td>{top}</td>
                                    </tr>
                                }
                            }).collect_view()}
                </DataTable>
            </details>
        })
    }
}
