//! The inbox: the filings by statutory reply date as the intake orders them, each with its
//! working days left (estimates marked) and its due-soon / overdue flag; filters by kind,
//! state and dataset (in the URL, so a filtered inbox is a link), a count per state. For
//! the authority, `queue` is its review (复核) queue: objections whose outcome the objector
//! asked it to review, then applications awaiting its approval (审批) and reports to forward.

use super::use_desk;
use crate::i18n::{use_i18n, I18n};
use crate::net::desk::{self, enc, InboxRow, Standing};
use crate::pages::filing::receipt::kind_key;
use crate::pages::my_filings::state_label;
use kaifang_core::rules::FilingKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The states the authority's queue lists, in the order it works them.
const QUEUE_STATES: [&str; 3] = ["review_requested", "awaiting_approval", "awaiting_forwarding"];

#[component]
pub fn InboxView(queue: bool) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    let default_state = if queue { Some(QUEUE_STATES[0].to_string()) } else { None };
    let state = move || param("state").or_else(|| default_state.clone());
    let inbox = LocalResource::new(move || {
        desk.changed.track();
        let mut q = Vec::new();
        for (k, v) in
            [("kind", param("kind")), ("state", state()), ("dataset", param("dataset")), ("offset", param("offset"))]
        {
            if let Some(v) = v {
                q.push(format!("{k}={}", enc(&v)));
            }
        }
        let (base, token) = (desk.base.get(), desk.token.get());
        async move { desk::inbox(&base, &token, &q.join("&")).await }
    });
    view! {
        <section class="desk-inbox" aria-labelledby="inbox-title">
            <h2 id="inbox-title">{t.tr(if queue { "desk.view.queue" } else { "desk.view.inbox" })}</h2>
            {queue.then(|| view! { <p class="hint">{t.tr("desk.queue.intro")}</p> })}
            <Filters queue=queue/>
            {move || inbox.get().map(|r| match r {
                    Ok(i) => {
                        let summary = t.fmt("desk.inbox.summary", &[("today", &i.today), ("n", &i.total.to_string()),
                            ("overdue", &i.overdue.to_string()), ("soon", &i.due_soon.to_string())]);
                        let counts = i.counts.clone();
                        let more = (i.offset + i.rows.len() < i.total).then_some(i.offset + i.rows.len());
                        view! {
                            <p class="desk-summary" data-testid="inbox-summary" aria-live="polite">{summary}</p>
                            <Counts counts=counts/>
                            {if i.rows.is_empty() {
                                view! { <p class="empty">{t.tr("desk.inbox.empty")}</p> }.into_any()
                            } else {
                                view! { <ol class="desk-rows" data-testid="inbox-rows">{i.rows.into_iter().map(|r| view! { <Row row=r/> }).collect_view()}</ol> }.into_any()
                            }}
                            {more.map(|next| view! { <NextPage offset=next/> })}
                        }.into_any()
                    }
                    Err(e) => view! { <p class="last-error">{move || e.explained(t.lang())}</p> }.into_any(),
                }).unwrap_or_else(super::loading)}
        </section>
    }
}

/// The inbox's URL with one parameter set (or removed), the others kept, paging reset.
fn with_param(query: &leptos_router::params::ParamsMap, key: &str, value: &str) -> String {
    let mut parts = Vec::new();
    for k in ["view", "kind", "state", "dataset"] {
        let v = if k == key { Some(value.to_string()) } else { query.get(k) };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", enc(&v)));
        }
    }
    format!("/desk?{}", parts.join("&"))
}

/// Kind, state and dataset: changing one navigates, so the filter is in the URL.
#[component]
fn Filters(queue: bool) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let query = use_query_map();
    let navigate = use_navigate();
    let go = move |key: &'static str| {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            navigate(&query.with(|q| with_param(q, key, &event_target_value(&ev))), Default::default())
        }
    };
    let current = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let datasets = move || desk.me.get().map(|m| m.datasets).unwrap_or_default();
    let states: Vec<&str> = if queue { QUEUE_STATES.to_vec() } else { Vec::new() };
    view! {
        <div class="desk-filters" role="group" aria-label=t.tr("desk.filters")>
            <label>{t.tr("desk.filter.kind")}
                <select on:change=go("kind") prop:value=move || current("kind")>
                    <option value="">{t.tr("desk.filter.any")}</option>
                    {FilingKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || current("kind") == k.as_str()>{t.tr(kind_key(k))}</option> }).collect_view()}
                </select>
            </label>
            {(!queue).then(|| view! {
                <label>{t.tr("desk.filter.dataset")}
                    <select on:change=go("dataset") prop:value=move || current("dataset")>
                        <option value="">{t.tr("desk.filter.any")}</option>
                        {move || datasets().into_iter().map(|d| { let (v, value) = (d.clone(), d.clone()); view! { <option value=value selected=move || current("dataset") == v>{d}</option> } }).collect_view()}
                    </select>
                </label>
            })}
            {queue.then(|| view! {
                <label>{t.tr("desk.filter.state")}
                    <select on:change=go("state") prop:value=move || current("state")>
                        {states.iter().map(|s| { let s = *s; view! { <option value=s selected=move || current("state") == s>{move || state_label(t, s)}</option> } }).collect_view()}
                    </select>
                </label>
            })}
        </div>
    }
}

/// A count per state; each is a link to the inbox narrowed to it (and "all").
#[component]
fn Counts(counts: std::collections::BTreeMap<String, usize>) -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let chosen = move || query.with(|q| q.get("state").unwrap_or_default());
    let all = move || query.with(|q| with_param(q, "state", ""));
    view! {
        <ul class="desk-counts" aria-label=t.tr("desk.counts")>
            <li><A href=all attr:aria-current=move || chosen().is_empty().then_some("true")>{t.tr("desk.filter.all_states")}</A></li>
            {counts.into_iter().map(|(state, n)| {
                let href = { let s = state.clone(); move || query.with(|q| with_param(q, "state", &s)) };
                let current = { let s = state.clone(); move || (chosen() == s).then_some("true") };
                let label = state.clone();
                view! { <li data-state=state.clone()><A href=href attr:aria-current=current>{move || state_label(t, &label)}" "<span class="count">{n}</span></A></li> }
            }).collect_view()}
        </ul>
    }
}

/// "Due in 3 working days", "overdue by 2 working days"… with its flag.
pub fn standing_text(t: I18n, s: Standing) -> (String, &'static str) {
    match s {
        Standing::Running { days_left: 0, .. } => (t.get("desk.standing.due_today"), "due-soon"),
        Standing::Running { days_left, due_soon } => (
            t.fmt("desk.standing.days_left", &[("n", &days_left.to_string())]),
            if due_soon { "due-soon" } else { "running" },
        ),
        Standing::Overdue { working_days_late } => {
            (t.fmt("desk.standing.overdue", &[("n", &working_days_late.to_string())]), "overdue")
        }
        Standing::WithFiler { days_left } => {
            (t.fmt("desk.standing.with_filer", &[("n", &days_left.to_string())]), "with-filer")
        }
        Standing::Answered => (t.get("desk.standing.answered"), "answered"),
    }
}

#[component]
fn Row(row: InboxRow) -> impl IntoView {
    let t = use_i18n();
    let href = format!("/desk?filing={}", enc(&row.reference));
    let standing = row.standing;
    let flag = standing_text(t, standing).1;
    let state = row.state.clone();
    let (reference, shown) = (row.reference.clone(), row.reference.clone());
    view! {
        <li class=format!("desk-row {flag}") data-testid="inbox-row" data-reference=reference data-flag=flag>
            <A href=href attr:class="reference">{shown}</A>
            " · "{t.tr(kind_key(row.kind))}" · "<span class=format!("badge state state-{}", row.state)>{move || state_label(t, &state)}</span>
            <p class="meta">{row.dataset_ids.join(", ")}" · "{move || t.fmt("desk.inbox.received", &[("date", &row.received_on)])}</p>
            <p class="due">
                {move || t.fmt("desk.inbox.reply_by", &[("date", &row.deadline)])}" · "
                <strong class=format!("standing {flag}") data-testid="standing">{move || standing_text(t, standing).0}</strong>
                {row.estimated.then(|| view! { " " <span class="estimated" title=t.tr("filing.estimated_title")>{t.tr("filing.estimated")}</span> })}
            </p>
        </li>
    }
}

#[component]
fn NextPage(offset: usize) -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let href = move || query.with(|q| format!("{}&offset={offset}", with_param(q, "offset", "")));
    view! { <p><A href=href>{t.tr("desk.inbox.next")}</A></p> }
}
