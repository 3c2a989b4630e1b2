//! 数据需求 (E2, Xiangxi 43): data a person needs that the catalog does not list.

use super::person::{PersonFields, REQUESTER};
use super::widgets::TextField;
use super::{draft_key, form_for, use_draft, FormKind, FormTop, SubmitBar};
use crate::i18n::use_i18n;
use kaifang_core::catalog::Dataset;
use kaifang_core::filing::forms::{DataRequest, Person};
use kaifang_core::filing::Filing;
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;

#[component]
pub fn DataRequestForm(dataset: Option<Dataset>, rules: RuleSet, submitted: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let related = dataset.as_ref().map(|d| d.id.clone());
    let department = dataset.as_ref().map(|d| d.publisher.id.clone());
    let key = draft_key(FormKind::Request, related.as_deref());
    let draft = use_draft(key.clone(), move || DataRequest {
        related_dataset_id: related,
        department_id: department,
        ..Default::default()
    });
    let (filing, form) = form_for(draft, Filing::DataRequest, rules);
    let up = move |f: Box<dyn FnOnce(&mut DataRequest)>| draft.update(|r| f(r));
    view! {
        <FormTop/>
        <p class="intro">{t.tr("filing.request.intro")}</p>
        <div class="filing-form" data-form="data_request">
            <PersonFields paths=REQUESTER
                get=Signal::derive(move || draft.with(|r| r.requester.clone()))
                update=Callback::new(move |f: Box<dyn FnOnce(&mut Person) + Send + Sync>| draft.update(|r| f(&mut r.requester)))/>
            <fieldset>
                <legend>{t.tr("filing.request.legend")}</legend>
                <TextField path="title" label="filing.request.what"
                    value=Signal::derive(move || draft.with(|r| r.title.clone()))
                    set=Callback::new(move |v: String| up(Box::new(move |r| r.title = v)))/>
                <TextField path="description" label="filing.request.description" multiline=true hint="filing.request.description_hint"
                    value=Signal::derive(move || draft.with(|r| r.description.clone()))
                    set=Callback::new(move |v: String| up(Box::new(move |r| r.description = v)))/>
                <TextField path="purpose" label="filing.request.purpose" multiline=true
                    value=Signal::derive(move || draft.with(|r| r.purpose.clone()))
                    set=Callback::new(move |v: String| up(Box::new(move |r| r.purpose = v)))/>
            </fieldset>
        </div>
        <SubmitBar filing=filing form=form draft=key submitted=submitted/>
    }
}
