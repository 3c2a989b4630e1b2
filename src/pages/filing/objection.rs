//! 异议 / 撤回要求 (O1): who objects and in what capacity, the scope (whole dataset,
//! fields, rows, or some fields of some rows — typed, or picked in the preview and handed
//! over in the query as `rows=2, 4-5&field=…`), grounds, statement, the action asked for;
//! evidence chosen while drafting (kept in this browser, uploaded with progress once the
//! filing is accepted: `super::attachments`).

use super::person::{PersonFields, PersonOf, REQUESTER};
use super::widgets::{bound, dom_id, Bound, CheckField, FieldErrors, SelectField, TextField};
use super::{draft_key, form_for, settle_query, use_draft, FormKind, FormTop, SubmitBar};
use crate::i18n::{use_i18n, Lang};
use kaifang_core::catalog::Dataset;
use kaifang_core::filing::forms::{Objection, ObjectionScope, GROUNDS};
use kaifang_core::filing::pick::Selection;
use kaifang_core::filing::rows::{format_rows, parse_rows};
use kaifang_core::filing::Filing;
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const RELATIONS: [(&str, &str); 3] = [
    ("data_subject", "filing.object.relation.data_subject"),
    ("rights_holder", "filing.object.relation.rights_holder"),
    ("agent", "filing.object.relation.agent"),
];
const SCOPES: [(&str, &str); 4] = [
    ("whole", "filing.object.scope.whole"),
    ("fields", "filing.object.scope.fields"),
    ("rows", "filing.object.scope.rows"),
    ("cells", "filing.object.scope.cells"),
];
const ACTIONS: [(&str, &str); 5] = [
    ("withdraw", "filing.object.action.withdraw"),
    ("suspend", "filing.object.action.suspend"),
    ("desensitise_and_reopen", "filing.object.action.desensitise_and_reopen"),
    ("correct", "filing.object.action.correct"),
    ("delete", "filing.object.action.delete"),
];

pub fn ground_key(g: &str) -> &'static str {
    match g {
        "trade_secret" => "filing.ground.trade_secret",
        "personal_privacy" => "filing.ground.personal_privacy",
        "personal_information" => "filing.ground.personal_information",
        "intellectual_property" => "filing.ground.intellectual_property",
        "contract" => "filing.ground.contract",
        "internal_sensitive" => "filing.ground.internal_sensitive",
        "security_risk" => "filing.ground.security_risk",
        _ => "filing.ground.inaccurate",
    }
}

#[component]
pub fn ObjectionForm(dataset: Dataset, rules: RuleSet, submitted: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let key = draft_key(FormKind::Object, Some(&dataset.id));
    let id = dataset.id.clone();
    let draft = use_draft(key.clone(), move || Objection {
        dataset_id: id,
        scope: ObjectionScope { kind: "whole".into(), ..Default::default() },
        ..Default::default()
    });
    // Rows and fields picked in the preview arrive in the query; they become the scope.
    let picked = use_query_map().with_untracked(|q| {
        Selection::from_query(q.get_str("rows"), &q.get_all("field").unwrap_or_default(), &dataset.fields)
    });
    let pick_error = match picked {
        Ok(sel) if !sel.is_empty() => {
            draft.update(|o| sel.apply_to(o));
            settle_query(FormKind::Object, &dataset.id);
            None
        }
        Ok(_) => None,
        Err(e) => Some(e),
    };
    let (filing, form) = form_for(draft, Filing::Objection, rules);
    let verified = super::verified::keep_verified(draft, Filing::Objection, |f| match f {
        Filing::Objection(o) => Some(o),
        _ => None,
    });
    let up = move |f: Box<dyn FnOnce(&mut Objection)>| draft.update(|o| f(o));
    let scope_kind = Signal::derive(move || draft.with(|o| o.scope.kind.clone()));
    let fields = dataset.fields.clone();

    view! {
        <FormTop/>
        {pick_error.map(|e| view! { <p class="field-error" role="alert" data-testid="pick-error">{move || super::local_message(&e, t.lang())}</p> })}
        <div class="filing-form" data-form="objection">
            <PersonFields paths=REQUESTER with_id=true verified=verified
                person=PersonOf::in_draft(draft, |o| &o.requester, |o| &mut o.requester)/>
            <fieldset>
                <legend>{t.tr("filing.object.legend")}</legend>
                <SelectField path="relation" label="filing.object.relation" options=RELATIONS.to_vec()
                    bind=Bound { value: Signal::derive(move || draft.with(|o| o.relation.clone())), set: Callback::new(move |v: String| up(Box::new(move |o| {
                        if v != "agent" { o.principal = None; }
                        o.relation = v;
                    }))) }/>
                <Show when=move || draft.with(|o| o.relation == "agent")>
                    <TextField path="principal" label="filing.object.principal" bind=bound!(draft, |o| o.principal, Some)/>
                </Show>
                <SelectField path="scope.kind" label="filing.object.scope" options=SCOPES.to_vec()
                    bind=Bound { value: scope_kind, set: Callback::new(move |v: String| up(Box::new(move |o| o.scope.kind = v))) }/>
                <Show when=move || matches!(scope_kind.get().as_str(), "fields" | "cells")>
                    <div class="checks" role="group" aria-label=t.tr("filing.object.pick_fields")>
                        <p class="hint">{t.tr("filing.object.pick_fields")}</p>
                        {fields.iter().map(|f| {
                            let name = f.name.clone();
                            let n2 = name.clone();
                            view! { <CheckField path="scope.fields" id=format!("{}-{}", dom_id("scope.fields"), name)
                                label_text=format!("{} ({})", f.label, f.name)
                                value=Signal::derive(move || draft.with(|o| o.scope.fields.contains(&name)))
                                set=Callback::new(move |on: bool| { let n = n2.clone(); up(Box::new(move |o| {
                                    o.scope.fields.retain(|x| *x != n); if on { o.scope.fields.push(n); }
                                })) })/> }
                        }).collect_view()}
                    </div>
                    <FieldErrors path="scope.fields"/>
                </Show>
                <Show when=move || matches!(scope_kind.get().as_str(), "rows" | "cells")>
                    <RowsField draft=draft form=form/>
                </Show>
                <Grounds draft=draft/>
                <TextField path="statement" label="filing.object.statement" hint="filing.object.statement_hint" multiline=true
                    bind=bound!(draft, |o| o.statement)/>
                <SelectField path="requested_action" label="filing.object.requested_action" options=ACTIONS.to_vec()
                    bind=bound!(draft, |o| o.requested_action)/>
            </fieldset>
            <super::attachments::AttachmentPicker owner=key.clone() legend="filing.attach.evidence_legend" hint="filing.attach.evidence_hint"/>
        </div>
        <SubmitBar filing=filing form=form draft=key submitted=submitted/>
    }
}

/// The rows objected to, as typed ("3, 10-12"): parsed by core on every keystroke, kept in
/// the draft when valid, the reason shown beside the field when not.
#[component]
fn RowsField(draft: RwSignal<Objection>, form: super::FormCtx) -> impl IntoView {
    let t = use_i18n();
    let up = move |f: Box<dyn FnOnce(&mut Objection)>| draft.update(|o| f(o));
    let rows_text = RwSignal::new(draft.with_untracked(|o| format_rows(&o.scope.rows)));
    let rows_error = Memo::new(move |_| {
        let text = rows_text.get();
        if text.trim().is_empty() {
            None
        } else {
            parse_rows(&text).err()
        }
    });
    view! {
        <div class="form-field">
            <label for=dom_id("scope.rows")>{t.tr("filing.object.rows")}<span class="required" aria-hidden="true">" *"</span></label>
            <p class="hint" id=format!("{}-hint", dom_id("scope.rows"))>{t.tr("filing.object.rows_hint")}</p>
            <input id=dom_id("scope.rows") type="text" inputmode="numeric"
                aria-describedby=format!("{0}-hint {0}-err {0}-local", dom_id("scope.rows"))
                prop:value=move || rows_text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    rows_text.set(v.clone());
                    let rows = parse_rows(&v).unwrap_or_default();
                    up(Box::new(move |o| o.scope.rows = rows));
                    form.touch("scope.rows");
                }/>
            <p class="field-error" id=format!("{}-local", dom_id("scope.rows")) aria-live="polite">
                {move || rows_error.get().map(|e| if t.lang() == Lang::Zh { e.zh } else { e.en })}
            </p>
            <Show when=move || rows_error.get().is_none()>
                <FieldErrors path="scope.rows"/>
            </Show>
            <p class="rows-echo">{move || draft.with(|o| (!o.scope.rows.is_empty()).then(|| t.fmt("filing.object.rows_echo", &[("n", &o.scope.rows.len().to_string()), ("rows", &format_rows(&o.scope.rows))])))}</p>
        </div>
    }
}

/// The grounds (at least one), from core's list (`GROUNDS`).
#[component]
fn Grounds(draft: RwSignal<Objection>) -> impl IntoView {
    let t = use_i18n();
    let up = move |f: Box<dyn FnOnce(&mut Objection)>| draft.update(|o| f(o));
    view! {
        <div class="checks" role="group" aria-labelledby="grounds-label">
            <p id="grounds-label" class="group-label">{t.tr("filing.object.grounds")}<span class="required" aria-hidden="true">" *"</span></p>
            {GROUNDS.iter().map(|g| {
                let g = *g;
                view! { <CheckField path="grounds" id=format!("{}-{}", dom_id("grounds"), g) label=ground_key(g)
                    value=Signal::derive(move || draft.with(|o| o.grounds.iter().any(|x| x == g)))
                    set=Callback::new(move |on: bool| up(Box::new(move |o| {
                        o.grounds.retain(|x| x != g); if on { o.grounds.push(g.to_string()); }
                    })))/> }
            }).collect_view()}
            <FieldErrors path="grounds"/>
        </div>
    }
}
