//! One filing in full, as its department sees it: the form as stored (identity numbers
//! masked by the intake before they were ever written), the scope as picked (rows, fields,
//! cells), evidence and attachments to open, the timeline, and the actions possible now.
//! Opening it is written to the intake's audit log (`filing.view`) before it is shown.

use super::use_desk;
use crate::i18n::use_i18n;
use crate::net::desk::{self, enc, DeskFiling};
use crate::net::intake::EvidenceMeta;
use crate::pages::filing::receipt::{kind_key, DeadlineLine};
use crate::pages::my_filings::{state_label, TimelineItem};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::Value;

#[component]
pub fn FilingView(reference: String) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let r = reference.clone();
    let filing = LocalResource::new(move || {
        desk.changed.track();
        let (base, token, r) = (desk.base.get(), desk.token.get(), r.clone());
        async move { desk::filing(&base, &token, &r).await }
    });
    view! {
        <article class="desk-filing" data-testid="desk-filing" data-reference=reference.clone()>
            <p><A href="/desk">{t.tr("desk.back_to_inbox")}</A></p>
            {move || filing.get().map(|r| match r {
                    Ok(f) => view! { <Loaded f=f/> }.into_any(),
                    Err(e) => view! { <p class="last-error">{move || e.explained(t.lang())}</p> }.into_any(),
                }).unwrap_or_else(super::loading)}
        </article>
    }
}

#[component]
fn Loaded(f: DeskFiling) -> impl IntoView {
    let t = use_i18n();
    let v = f.view;
    let state = v.state.clone();
    let (state_class, state_attr) = (format!("badge state state-{state}"), state.clone());
    let reference = v.reference.clone();
    let evidence = v.evidence.clone();
    view! {
        <h2><span class="reference">{v.reference.clone()}</span>" · "{t.tr(kind_key(v.kind))}</h2>
        <p class="state-line">
            <span class=state_class data-testid="desk-state" data-state=state_attr>{move || state_label(t, &state)}</span>
            {v.overdue.then(|| view! { " " <span class="badge overdue" data-testid="desk-overdue">{t.tr("filings.overdue")}</span> })}
            " "{t.tr("filing.receipt.reply_by")}" "<DeadlineLine deadline=v.deadline.clone()/>
        </p>
        <p class="meta">
            {(!v.dataset_ids.is_empty()).then(|| view! { {t.tr("desk.filing.datasets")}{v.dataset_ids.join(", ")}" · " })}
            {move || t.fmt("desk.inbox.received", &[("date", &v.received_on)])}
        </p>
        <super::actions::Actions reference=reference.clone() kind=v.kind/>
        <section aria-labelledby="desk-form-title">
            <h3 id="desk-form-title">{t.tr("desk.filing.form")}</h3>
            {fields(t, f.filing, true)}
        </section>
        {(!evidence.is_empty()).then(|| view! {
            <section aria-labelledby="desk-evidence-title">
                <h3 id="desk-evidence-title">{t.tr("filing.evidence.title")}</h3>
                <ul class="desk-evidence">{evidence.into_iter().map(|e| view! { <Evidence reference=reference.clone() e=e/> }).collect_view()}</ul>
            </section>
        })}
        <section aria-labelledby="desk-timeline-title">
            <h3 id="desk-timeline-title">{t.tr("filings.timeline")}</h3>
            <ol class="timeline">{v.timeline.into_iter().map(|e| view! { <TimelineItem e=e/> }).collect_view()}</ol>
        </section>
    }
}

/// The form as stored, whatever its kind: each field under its label (`desk.field.<name>`,
/// the name itself for a field the app has no words for), nested parts as nested lists.
/// Text is shown as text, never as markup (X4). The top level's `kind` is the heading's.
fn fields(t: crate::i18n::I18n, value: Value, top: bool) -> AnyView {
    match value {
        Value::Object(map) => view! {
            <dl class="desk-fields">
                {map.into_iter().filter(|(k, _)| !(top && k == "kind")).map(|(k, v)| {
                    let key = format!("desk.field.{k}");
                    let label = move || { let s = t.get(&key); if s == key { k.clone() } else { s } };
                    view! { <div class="meta-row"><dt>{label}</dt><dd>{fields(t, v, false)}</dd></div> }
                }).collect_view()}
            </dl>
        }
        .into_any(),
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            view! { <span>{items.iter().map(scalar).collect::<Vec<_>>().join(", ")}</span> }.into_any()
        }
        Value::Array(items) => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{fields(t, i, false)}</li> }).collect_view()}</ol> }
                .into_any()
        }
        Value::Bool(b) => view! { <span>{t.tr(if b { "desk.yes" } else { "desk.no" })}</span> }.into_any(),
        other => view! { <span class="value">{scalar(&other)}</span> }.into_any(),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// An evidence file: fetched with the desk's credentials and saved, never opened inline
/// (it is the filer's content; the intake also sends it as an attachment in a sandbox).
#[component]
fn Evidence(reference: String, e: EvidenceMeta) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let error = RwSignal::new(None::<String>);
    let path = format!("/department/filings/{}/evidence/{}", enc(&reference), e.id);
    let name = e.name.clone();
    let save = move |_| {
        let (base, token, path, name) = (desk.base.get_untracked(), desk.auth(), path.clone(), name.clone());
        let lang = t.lang();
        leptos::task::spawn_local(async move {
            match desk::bytes(&base, &path, &token).await {
                Ok(b) => error.set(crate::browser::save_bytes(&name, &b, "application/octet-stream").err()),
                Err(err) => error.set(Some(err.explained(lang))),
            }
        });
    };
    let size = format!("{:.1} KB", e.size as f64 / 1024.0);
    view! {
        <li>
            <button type="button" class="link" on:click=save data-testid="evidence-open">{e.name.clone()}</button>
            " · "{e.media_type.clone()}" · "{size}
            <span class="field-error" aria-live="polite">{move || error.get()}</span>
        </li>
    }
}
