//! The actions possible on a filing now (the intake's `offer`: the same transition rules
//! `kaifang review` obeys), each a form with what it needs and the rule set's limits:
//! an extension at most the working days the article still allows, with the notice the
//! filer reads and, where the article says, who consented; an approval with scope, period
//! and agreement; a refusal with its reason; objection outcomes with their note; the
//! authority's review decision. The intake checks everything again and its field
//! messages are shown as they come.

use super::use_desk;
use crate::i18n::use_i18n;
use crate::net::desk::{self, Offer};
use crate::pages::my_filings::state_label;
use kaifang_core::rules::{Consent, FilingKind};
use leptos::prelude::*;

/// What one input of an action's form is.
#[derive(Clone, Copy, PartialEq)]
enum Input {
    Text,
    Long,
    Date,
    Days,
    Upheld,
}

/// The inputs of each action: (JSON field, label key, input). `period.start` nests.
fn inputs(action: &str, offer: &Offer) -> Vec<(&'static str, &'static str, Input)> {
    use Input::*;
    let mut v = match action {
        "request_information" => vec![("message", "desk.input.message", Long)],
        "extend" => vec![("working_days", "desk.input.working_days", Days), ("notice", "desk.input.notice", Long)],
        "pass_review" => vec![("opinion", "desk.input.opinion", Long)],
        "approve" => vec![
            ("scope", "desk.input.scope", Long),
            ("period.start", "desk.input.period_start", Date),
            ("period.end", "desk.input.period_end", Date),
            ("agreement", "desk.input.agreement", Text),
        ],
        "reject" => vec![("reason", "desk.input.reason", Long)],
        "decide_review" => vec![("upheld", "desk.input.upheld", Upheld), ("reason", "desk.input.reason", Long)],
        "start_review" => vec![],
        _ => vec![("note", "desk.input.note", Long)],
    };
    if action == "extend" && offer.extension_consent.is_some() {
        v.push(("consented_by", "desk.input.consented_by", Text));
    }
    if offer.needs_entrustment && matches!(action, "pass_review" | "reject") {
        v.push(("entrustment", "desk.input.entrustment", Text));
    }
    v
}

#[component]
pub fn Actions(reference: String, kind: FilingKind) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let r = reference.clone();
    let offer = LocalResource::new(move || {
        desk.changed.track();
        let (base, token, r) = (desk.base.get(), desk.token.get(), r.clone());
        async move { desk::offer(&base, &token, &r).await }
    });
    view! {
        <section class="desk-actions" aria-labelledby="desk-actions-title">
            <h3 id="desk-actions-title">{t.tr("desk.actions.title")}</h3>
            {move || offer.get().map(|o| match o {
                Ok(o) if o.actions.is_empty() => view! { <p class="hint" data-testid="no-actions">{t.tr("desk.actions.none")}</p> }.into_any(),
                Ok(o) => {
                    let limit = (o.actions.iter().any(|a| a == "extend")).then(|| consent_hint(t, &o));
                    view! {
                        {limit.map(|l| view! { <p class="hint" data-testid="extension-limit">{l}</p> })}
                        {o.actions.clone().into_iter().map(|a| view! { <ActionForm reference=reference.clone() action=a offer=o.clone() kind=kind/> }).collect_view()}
                    }.into_any()
                }
                Err(e) => view! { <p class="last-error">{move || e.explained(t.lang())}</p> }.into_any(),
            })}
        </section>
    }
}

fn consent_hint(t: crate::i18n::I18n, o: &Offer) -> String {
    let mut s = t.fmt("desk.actions.extension_left", &[("n", &o.extension_left.to_string())]);
    if let Some(c) = o.extension_consent {
        s.push(' ');
        s.push_str(&t.get(match c {
            Consent::PrincipalHead => "desk.actions.consent_principal_head",
            Consent::Head => "desk.actions.consent_head",
        }));
    }
    s
}

/// One action: a folded form (`<details>`, opened by keyboard like a button) with its inputs.
#[component]
fn ActionForm(reference: String, action: String, offer: Offer, kind: FilingKind) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let fields = inputs(&action, &offer);
    let values: Vec<RwSignal<String>> = fields
        .iter()
        .map(|(_, _, i)| RwSignal::new(if *i == Input::Upheld { "true".into() } else { String::new() }))
        .collect();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let spec = StoredValue::new((fields.clone(), values.clone(), action.clone(), reference));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (fields, values, action, reference) = spec.get_value();
        let mut body = serde_json::json!({ "action": action });
        for ((name, _, input), value) in fields.iter().zip(&values) {
            let v = value.get_untracked();
            let json = match input {
                Input::Days => serde_json::json!(v.trim().parse::<u32>().unwrap_or(0)),
                Input::Upheld => serde_json::json!(v == "true"),
                _ if v.trim().is_empty() && matches!(*name, "consented_by" | "entrustment") => continue,
                _ => serde_json::json!(v),
            };
            match name.split_once('.') {
                Some((outer, inner)) => body[outer][inner] = json,
                None => body[*name] = json,
            }
        }
        let (base, token, lang) = (desk.base.get_untracked(), desk.auth(), t.lang());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match desk::act(&base, &token, &reference, &body).await {
                Ok(_) => {
                    error.set(None);
                    desk.bump();
                }
                Err(e) => error.set(Some(e.explained(lang))),
            }
            busy.set(false);
        });
    };
    let a = action.clone();
    // "Reject" reads as refuse, dismiss or decline by kind (the state it leads to).
    let title = move || match (a.as_str(), kind) {
        ("reject", FilingKind::ErrorReport) => state_label(t, "dismissed"),
        ("reject", FilingKind::DataRequest) => state_label(t, "declined"),
        _ => {
            let k = format!("filing.action.{a}");
            let s = t.get(&k);
            if s == k {
                a.clone()
            } else {
                s
            }
        }
    };
    let max = offer.extension_left.to_string();
    let inputs_view = fields.into_iter().zip(values).map(|((name, label, input), value)| {
        let id = format!("act-{action}-{}", name.replace('.', "-"));
        let control = match input {
            Input::Long => view! { <textarea id=id.clone() rows="3" required prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea> }.into_any(),
            Input::Date => view! { <input id=id.clone() type="date" required prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/> }.into_any(),
            Input::Days => view! { <input id=id.clone() type="number" min="1" max=max.clone() inputmode="numeric" required prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/> }.into_any(),
            Input::Upheld => view! {
                <select id=id.clone() on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="true">{t.tr("desk.input.upheld_yes")}</option>
                    <option value="false">{t.tr("desk.input.upheld_no")}</option>
                </select>
            }.into_any(),
            Input::Text => {
                let optional = name == "entrustment";
                view! { <input id=id.clone() type="text" required=!optional prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/> }.into_any()
            }
        };
        view! { <p class="desk-input"><label for=id>{t.tr(label)}</label>{control}</p> }
    }).collect_view();
    view! {
        <details class="desk-action" data-action=action.clone()>
            <summary>{title.clone()}</summary>
            <form on:submit=on_submit data-testid=format!("act-{action}")>
                {inputs_view}
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{title}</button>
            </form>
        </details>
    }
}
