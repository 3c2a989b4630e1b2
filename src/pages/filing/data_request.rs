//! 数据需求 (E2, Xiangxi 43): data a person needs that the catalog does not list.

use super::person::{PersonFields, PersonOf, REQUESTER};
use super::widgets::{bound, TextField};
use super::{draft_key, form_for, use_draft, FormKind, FormTop, SubmitBar};
use crate::i18n::use_i18n;
use kaifang_core::catalog::Dataset;
use kaifang_core::filing::forms::DataRequest;
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
    view! {
        <FormTop/>
        <p class="intro">{t.tr("filing.request.intro")}</p>
        <div class="filing-form" data-form="data_request">
            <PersonFields paths=REQUESTER
                person=PersonOf::in_draft(draft, |r| &r.requester, |r| &mut r.requester)/>
            <fieldset>
                <legend>{t.tr("filing.request.legend")}</legend>
                <TextField path="title" label="filing.request.what" bind=bound!(draft, |r| r.title)/>
                <TextField path="description" label="filing.request.description" multiline=true hint="filing.request.description_hint"
                    bind=bound!(draft, |r| r.description)/>
                <TextField path="purpose" label="filing.request.purpose" multiline=true bind=bound!(draft, |r| r.purpose)/>
            </fieldset>
        </div>
        <SubmitBar filing=filing form=form draft=key submitted=submitted/>
    }
}
