//! The chart's controls: its kind, the columns on each axis, and how values are combined.
//! Defaults come from the column kinds (`kaifang_core::chart::suggest`).

use super::panel::Load;
use crate::i18n::use_i18n;
use kaifang_core::chart::{Aggregate, ChartKind, ChartSpec};
use leptos::prelude::*;

#[component]
pub(super) fn ChartControls(load: RwSignal<Load>, spec: RwSignal<Option<ChartSpec>>) -> impl IntoView {
    let t = use_i18n();
    move || {
        let Load::Ready(table) = load.get() else { return None };
        let options = |with_none: bool| {
            let mut v: Vec<(String, String)> = Vec::new();
            if with_none {
                v.push(("".into(), t.get("dataset.chart.y_none")));
            }
            v.extend(table.headers.iter().enumerate().map(|(i, h)| (i.to_string(), h.clone())));
            v
        };
        let cur = spec.get()?;
        Some(view! {
            <div class="chart-controls">
                <label>{t.tr("dataset.chart.kind")}" "
                    <select data-testid="chart-kind" prop:value=cur.kind.key()
                        on:change=move |ev| {
                            if let Some(k) = ChartKind::parse(&event_target_value(&ev)) {
                                spec.update(|s| if let Some(s) = s { s.kind = k });
                            }
                        }>
                        {ChartKind::ALL.into_iter().map(|k| view! {
                            <option value=k.key() selected=cur.kind == k>{t.get(kind_key(k))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.tr("dataset.chart.x")}" "
                    <select data-testid="chart-x" on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            spec.update(|s| if let Some(s) = s { s.x = i });
                        }
                    }>
                        {options(false).into_iter().map(|(v, l)| {
                            let sel = v == cur.x.to_string();
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.tr("dataset.chart.y")}" "
                    <select data-testid="chart-y" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        spec.update(|s| if let Some(s) = s { s.y = v.parse::<usize>().ok() });
                    }>
                        {options(true).into_iter().map(|(v, l)| {
                            let sel = v == cur.y.map(|y| y.to_string()).unwrap_or_default();
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.tr("dataset.chart.aggregate")}" "
                    <select data-testid="chart-aggregate" on:change=move |ev| {
                        if let Some(a) = Aggregate::parse(&event_target_value(&ev)) {
                            spec.update(|s| if let Some(s) = s { s.aggregate = a });
                        }
                    }>
                        {Aggregate::ALL.into_iter().map(|a| view! {
                            <option value=a.key() selected=cur.aggregate == a>{t.get(aggregate_key(a))}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
        })
    }
}

fn kind_key(k: ChartKind) -> &'static str {
    match k {
        ChartKind::Bar => "dataset.chart.kind.bar",
        ChartKind::Line => "dataset.chart.kind.line",
        ChartKind::Scatter => "dataset.chart.kind.scatter",
        ChartKind::Histogram => "dataset.chart.kind.histogram",
    }
}

fn aggregate_key(a: Aggregate) -> &'static str {
    match a {
        Aggregate::Count => "dataset.chart.aggregate.count",
        Aggregate::Sum => "dataset.chart.aggregate.sum",
        Aggregate::Mean => "dataset.chart.aggregate.mean",
    }
}
