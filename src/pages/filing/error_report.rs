//! 纠错 / 校核申请 (E1): where the error is (row, field), what is there, what it should be,
//! and why. A cell picked in the preview arrives in the query (`row`, `field`, `value`).

use super::person::{PersonFields, PersonOf, REPORTER};
use super::widgets::{bound, dom_id, FieldErrors, TextField};
use super::{draft_key, form_for, settle_query, use_draft, FormKind, FormTop, SubmitBar};
use crate::i18n::use_i18n;
use kaifang_core::catalog::Dataset;
use kaifang_core::filing::forms::ErrorReport;
use kaifang_core::filing::pick::Cell;
use kaifang_core::filing::Filing;
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Unlike the other forms' optional boxes (`widgets::opt`, empty → none), a value here that
/// is only spaces also counts as none (the field choice, the current and proposed values).
fn unless_blank(s: String) -> Option<String> {
    if s.trim().is_empty() {
        None
    } else {
        Some(s)
    }
}

#[component]
pub fn ErrorReportForm(dataset: Dataset, rules: RuleSet, submitted: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let key = draft_key(FormKind::Report, Some(&dataset.id));
    let id = dataset.id.clone();
    let draft = use_draft(key.clone(), move || ErrorReport { dataset_id: id, ..Default::default() });
    let picked = use_query_map().with_untracked(|q| {
        Cell::from_query(q.get_str("row"), q.get_str("field"), q.get_str("value"), &dataset.fields)
    });
    let pick_error = match picked {
        Ok(Some(cell)) => {
            draft.update(|r| cell.apply_to(r));
            settle_query(FormKind::Report, &dataset.id);
            None
        }
        Ok(None) => None,
        Err(e) => Some(e),
    };
    let (filing, form) = form_for(draft, Filing::ErrorReport, rules);
    let up = move |f: Box<dyn FnOnce(&mut ErrorReport)>| draft.update(|r| f(r));
    // The row as typed: a non-number is reported here rather than silently dropped.
    let row_text = RwSignal::new(draft.with_untracked(|r| r.location.row.map(|n| n.to_string()).unwrap_or_default()));
    let row_bad = Memo::new(move |_| {
        let s = row_text.get();
        !s.trim().is_empty() && s.trim().parse::<u64>().is_err()
    });
    let fields = dataset.fields.clone();
    view! {
        <FormTop/>
        {pick_error.map(|e| view! { <p class="field-error" role="alert" data-testid="pick-error">{move || super::local_message(&e, t.lang())}</p> })}
        <div class="filing-form" data-form="error_report">
            <PersonFields paths=REPORTER
                person=PersonOf::in_draft(draft, |r| &r.reporter, |r| &mut r.reporter)/>
            <fieldset>
                <legend>{t.tr("filing.report.legend")}</legend>
                <p class="hint">{t.tr("filing.report.location_hint")}</p>
                <div class="form-field">
                    <label for=dom_id("location.row")>{t.tr("filing.report.row")}</label>
                    <input id=dom_id("location.row") type="text" inputmode="numeric" aria-describedby=format!("{}-err", dom_id("location.row"))
                        prop:value=move || row_text.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            row_text.set(v.clone());
                            let n = v.trim().parse::<u64>().ok();
                            up(Box::new(move |r| r.location.row = n));
                            form.touch("location");
                            form.touch("location.row");
                        }/>
                    <Show when=move || row_bad.get()>
                        <p class="field-error">{t.tr("filing.report.row_not_number")}</p>
                    </Show>
                    <FieldErrors path="location.row"/>
                </div>
                <div class="form-field">
                    <label for=dom_id("location.field")>{t.tr("filing.report.field")}</label>
                    <select id=dom_id("location.field") prop:value=move || draft.with(|r| r.location.field.clone().unwrap_or_default())
                        on:change=move |ev| { let v = unless_blank(event_target_value(&ev)); up(Box::new(move |r| r.location.field = v)); form.touch("location"); }>
                        <option value="">{t.tr("filing.report.any_field")}</option>
                        {fields.iter().map(|f| {
                            let name = f.name.clone();
                            let n2 = name.clone();
                            view! { <option value=name selected=move || draft.with(|r| r.location.field.as_deref() == Some(n2.as_str()))>{format!("{} ({})", f.label, f.name)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <FieldErrors path="location" exact=true/>
                <TextField path="current_value" label="filing.report.current_value" optional=true
                    bind=bound!(draft, |r| r.current_value, unless_blank)/>
                <TextField path="proposed_value" label="filing.report.proposed_value" optional=true
                    bind=bound!(draft, |r| r.proposed_value, unless_blank)/>
                <TextField path="explanation" label="filing.report.explanation" multiline=true
                    bind=bound!(draft, |r| r.explanation)/>
            </fieldset>
        </div>
        <SubmitBar filing=filing form=form draft=key submitted=submitted/>
    }
}
