//! The figures the supervising authority asks for, per department, month of receipt and
//! kind: filings per state, answered, answered within the statutory time and its share,
//! overdue, median working days to answer (computed by the intake, `kaifang_core::desk::figures`).

use super::use_desk;
use crate::components::data_table::ColumnHeads;
use crate::i18n::use_i18n;
use crate::net::desk::{self, Figures};
use crate::pages::filing::receipt::kind_key;
use crate::pages::my_filings::state_label;
use leptos::prelude::*;

/// The figures table's column headings.
const COLUMNS: &[&str] = &[
    "desk.figures.department",
    "desk.figures.month",
    "desk.filter.kind",
    "desk.figures.total",
    "desk.figures.by_state",
    "desk.figures.answered",
    "desk.figures.in_time",
    "desk.figures.overdue",
    "desk.figures.share",
    "desk.figures.median",
];

#[component]
pub fn FiguresView() -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let figures = LocalResource::new(move || {
        desk.changed.track();
        let (base, token) = (desk.base.get(), desk.token.get());
        async move { desk::figures(&base, &token).await }
    });
    view! {
        <section class="desk-figures" aria-labelledby="figures-title">
            <h2 id="figures-title">{t.tr("desk.view.figures")}</h2>
            <p class="hint">{t.tr("desk.figures.intro")}</p>
            {move || figures.get().map(|r| match r {
                    Ok(f) => view! { <Table f=f/> }.into_any(),
                    Err(e) => view! { <p class="last-error">{move || e.explained(t.lang())}</p> }.into_any(),
                }).unwrap_or_else(super::loading)}
        </section>
    }
}

#[component]
fn Table(f: Figures) -> impl IntoView {
    let t = use_i18n();
    if f.rows.is_empty() {
        return view! { <p class="empty">{t.tr("desk.figures.none")}</p> }.into_any();
    }
    let pct = |x: Option<f64>| x.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_else(|| "—".into());
    let num = |x: Option<f64>| x.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".into());
    view! {
        <p class="meta">{move || t.fmt("desk.figures.as_of", &[("today", &f.today)])}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=t.tr("desk.view.figures")>
            <table class="desk-table" data-testid="figures-table">
                <ColumnHeads keys=COLUMNS/>
                <tbody>
                    {f.rows.into_iter().map(|r| {
                        let states = r.by_state.clone();
                        view! {
                            <tr data-testid="figures-row" data-department=r.department_id.clone() data-kind=r.kind.as_str() data-overdue=r.overdue>
                                <th scope="row">{r.department_id.clone()}</th><td>{r.month.clone()}</td><td>{t.tr(kind_key(r.kind))}</td>
                                <td>{r.total}</td>
                                <td>{move || states.iter().map(|(s, n)| format!("{} {n}", state_label(t, s))).collect::<Vec<_>>().join(" · ")}</td>
                                <td>{r.answered}</td><td>{r.answered_in_time}</td><td class="overdue-count">{r.overdue}</td>
                                <td>{pct(r.share_in_time)}</td>
                                <td>{num(r.median_working_days)}{r.estimated.then(|| view! { " " <span class="estimated">{t.tr("filing.estimated")}</span> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
