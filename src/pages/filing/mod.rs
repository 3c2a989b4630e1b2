//! Filing from the app (MISSION C1–C4, O1, E1, E2): one module per form, shared widgets,
//! and the page that hosts them at `/file/:kind?dataset=ID`.
//!
//! Every form keeps its draft in a typed signal saved to local storage on every change
//! (restored after a reload or a crash), validates it with the core validator the intake
//! uses, and hands it to the outbox (`crate::queue`) on submit.

pub mod application;
pub mod attachments;
pub mod data_request;
pub mod error_report;
pub mod objection;
pub mod person;
pub mod receipt;
pub mod verified;
pub mod widgets;

use crate::app::use_catalog;
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, Lang};
use crate::net;
use crate::queue::use_filings;
use crate::store;
use kaifang_core::catalog::{Dataset, OpenKind};
use kaifang_core::filing::{FieldError, Filing};
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{de::DeserializeOwned, Serialize};
use widgets::{focus_summary, ErrorSummary, FormCtx};

/// The four forms, by their URL segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Apply,
    Object,
    Report,
    Request,
}

impl FormKind {
    pub const ALL: [FormKind; 4] = [FormKind::Apply, FormKind::Object, FormKind::Report, FormKind::Request];

    pub fn parse(s: &str) -> Option<FormKind> {
        match s {
            "apply" => Some(FormKind::Apply),
            "object" => Some(FormKind::Object),
            "report" => Some(FormKind::Report),
            "request" => Some(FormKind::Request),
            _ => None,
        }
    }
    pub fn title_key(self) -> &'static str {
        match self {
            FormKind::Apply => "filing.apply.title",
            FormKind::Object => "filing.object.title",
            FormKind::Report => "filing.report.title",
            FormKind::Request => "filing.request.title",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            FormKind::Apply => "apply",
            FormKind::Object => "object",
            FormKind::Report => "report",
            FormKind::Request => "request",
        }
    }
}

/// Local-storage key of a form's draft.
pub fn draft_key(kind: FormKind, dataset: Option<&str>) -> String {
    format!("draft.{}.{}", kind.slug(), dataset.unwrap_or("-"))
}

/// A draft restored from local storage (or a fresh one), saved again on every change.
pub fn use_draft<T>(key: String, fresh: impl FnOnce() -> T) -> RwSignal<T>
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let draft = RwSignal::new(store::get::<T>(&key).unwrap_or_else(fresh));
    let saving = StoredValue::new(true);
    Effect::new(move |_| {
        let value = draft.get();
        if saving.get_value() {
            store::set(&key, &value);
        }
    });
    on_cleanup(move || saving.set_value(false));
    draft
}

/// Drops the hand-over parameters a form was opened with (rows and fields picked in the
/// preview) from the address once the draft holds them: a reload then restores the draft,
/// with any later edits, instead of applying the hand-over again.
pub fn settle_query(kind: FormKind, dataset_id: &str) {
    // The history entry is replaced directly rather than through the router: the router
    // would re-render the page, and a navigation queued from a form that is already gone
    // (the person went back at once) must not run. The router reads the address afresh on
    // the next navigation.
    let href = format!("/file/{}?dataset={}", kind.slug(), kaifang_core::search::state::encode(dataset_id));
    let path = format!("/file/{}", kind.slug());
    let Ok(history) = window().history() else { return };
    if window().location().pathname().ok().as_deref() == Some(path.as_str()) {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&href));
    }
}

/// A typed draft as a `Filing`, its validation and the form context, in one call.
pub fn form_for<T>(draft: RwSignal<T>, wrap: fn(T) -> Filing, rules: RuleSet) -> (Memo<Filing>, FormCtx)
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let filing = Memo::new(move |_| wrap(draft.get()));
    let errors = Memo::new(move |_| filing.with(|f| f.validate(&rules).err().unwrap_or_default()));
    let ctx = FormCtx::new(errors);
    provide_context(ctx);
    (filing, ctx)
}

/// The submit button and what follows: on errors, the summary; otherwise the outbox
/// takes the filing, the draft is dropped and the receipt (or the queued notice) shows.
#[component]
pub fn SubmitBar(
    filing: Memo<Filing>,
    form: FormCtx,
    draft: String,
    submitted: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let atts = crate::attachments::use_attachments();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.show_all.set(true);
        if !form.errors.get_untracked().is_empty() {
            focus_summary();
            return;
        }
        let key = filings.submit(filing.get_untracked());
        // The draft's files now belong to the filing (sent once it is accepted).
        atts.rekey(&draft, &key);
        store::remove(&draft);
        submitted.set(Some(key));
        let _ = window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    view! {
        <form class="submit-bar" on:submit=on_submit novalidate>
            <p class="hint">{t.tr("filing.submit_hint")}</p>
            <button type="submit" class="primary">{t.tr("filing.submit")}</button>
        </form>
    }
}

#[component]
pub fn FilingPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let kind = move || params.read().get("kind").and_then(|k| FormKind::parse(&k));
    // A memo: a form dropping its hand-over parameters from the query (see `settle_query`)
    // must not reload the dataset and remount the form.
    let dataset_id = Memo::new(move |_| query.read().get("dataset").filter(|d| kaifang_core::catalog::valid_id(d)));
    let catalog = use_catalog();
    let record = LocalResource::new(move || {
        let id = dataset_id.get();
        async move {
            match id {
                Some(id) => net::load_dataset(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // At build time a form page is built without a dataset: the dataset comes in the query.
    let built = crate::prerender::built().is_some();
    crate::head::publish(move || {
        let portal = crate::app::use_catalog_portal()?;
        let title = kind().map(|k| k.title_key()).unwrap_or("app.not_found.title");
        let path = format!("/file/{}", params.read().get("kind").unwrap_or_default());
        Some(crate::head::page(t, &portal, title, "filing.description", &path))
    });
    view! {
        <article class="page filing-page">
            <noscript><p class="notice">{t.tr("filing.needs_js")}</p></noscript>
            <crate::components::loading::Loading>
                {move || {
                    let cat = catalog.get()?;
                    let rec = if built { Ok(None) } else { record.get()? };
                    let Some(kind) = kind() else {
                        return Some(view! { <crate::pages::not_found::NotFound/> }.into_any());
                    };
                    Some(match (cat, rec) {
                        (Ok(c), Ok(d)) => {
                            let rules = RuleSet::builtin(&c.portal.jurisdiction)
                                .or_else(|| RuleSet::builtin("default"))
                                .expect("the default rule set is built in");
                            view! { <FormFor kind=kind dataset=d rules=rules/> }.into_any()
                        }
                        (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    })
                }}
            </crate::components::loading::Loading>
        </article>
    }
}

#[component]
fn FormFor(kind: FormKind, dataset: Option<Dataset>, rules: RuleSet) -> impl IntoView {
    let t = use_i18n();
    let submitted = RwSignal::new(None::<String>);
    let title = dataset.as_ref().map(|d| (d.title.clone(), d.title_en.clone(), d.id.clone()));
    let needs_dataset = kind != FormKind::Request;
    let allowed = match (&dataset, kind) {
        (None, FormKind::Request) => true,
        (None, _) => false,
        (Some(d), FormKind::Apply) => d.open.kind() == OpenKind::Conditional,
        (Some(d), _) => d.open.kind() != OpenKind::Closed || kind == FormKind::Request,
    };
    let header = view! {
        <h1>{t.tr(kind.title_key())}</h1>
        {title.clone().map(|(zh, en, id)| view! {
            <p class="about-dataset">
                {t.tr("filing.about_dataset")}" "
                <A href=format!("/datasets/{id}")>{move || match (t.lang(), &en) { (Lang::En, Some(e)) => e.clone(), _ => zh.clone() }}</A>
            </p>
        })}
    };
    let body = if !allowed {
        let key = if needs_dataset && dataset.is_none() { "filing.needs_dataset" } else { "filing.not_offered" };
        view! { <p class="notice">{t.tr(key)}</p> }.into_any()
    } else {
        let form = match kind {
            FormKind::Apply => view! { <application::ApplicationForm dataset=dataset.clone().expect("checked") rules=rules submitted=submitted/> }.into_any(),
            FormKind::Object => view! { <objection::ObjectionForm dataset=dataset.clone().expect("checked") rules=rules submitted=submitted/> }.into_any(),
            FormKind::Report => view! { <error_report::ErrorReportForm dataset=dataset.clone().expect("checked") rules=rules submitted=submitted/> }.into_any(),
            FormKind::Request => view! { <data_request::DataRequestForm dataset=dataset.clone() rules=rules submitted=submitted/> }.into_any(),
        };
        let form = StoredValue::new_local(Some(form));
        view! {
            {move || match submitted.get() {
                Some(key) => view! { <receipt::AfterSubmit key=key/> }.into_any(),
                None => form.try_update_value(|f| f.take()).flatten().map(|f| f.into_any()).unwrap_or_else(|| ().into_any()),
            }}
        }
        .into_any()
    };
    view! { {header} {body} }
}

/// Messages of one path in the current language (for errors outside the validator).
pub fn local_message(e: &FieldError, lang: Lang) -> String {
    if lang == Lang::Zh {
        e.zh.clone()
    } else {
        e.en.clone()
    }
}

/// The top of every form: the error summary and the "saved locally" note.
#[component]
pub fn FormTop() -> impl IntoView {
    let t = use_i18n();
    view! {
        <ErrorSummary/>
        <p class="draft-note" role="note">{t.tr("filing.draft_note")}</p>
    }
}

/// The filing links on a dataset page: apply (conditional datasets only), object or ask
/// to withdraw, report an error (every published dataset).
#[component]
pub fn DatasetActions(dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let id = dataset.id.clone();
    let kind = dataset.open.kind();
    let link = move |form: &str| format!("/file/{form}?dataset={id}");
    view! {
        <section class="filing-actions no-print" aria-labelledby="filing-actions-title">
            <h2 id="filing-actions-title">{t.tr("filing.actions.title")}</h2>
            <ul>
                {(kind == OpenKind::Conditional).then(|| view! {
                    <li><A href=link("apply") attr:class="button primary" attr:data-testid="action-apply">{t.tr("filing.actions.apply")}</A></li>
                })}
                {(kind != OpenKind::Closed).then(|| view! {
                    <li><A href=link("object") attr:class="button" attr:data-testid="action-object">{t.tr("filing.actions.object")}</A></li>
                    <li><A href=link("report") attr:class="button" attr:data-testid="action-report">{t.tr("filing.actions.report")}</A></li>
                })}
                <li><A href=link("request") attr:data-testid="action-request">{t.tr("filing.actions.request")}</A></li>
            </ul>
            <p class="hint"><A href="/rights">{t.tr("filing.actions.rights")}</A></p>
        </section>
    }
}

/// "Nothing fits? Ask for the data": under listings, search results and the 404 page.
#[component]
pub fn RequestLink() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="request-link">
            {t.tr("filing.request.nothing_fits")}" "
            <A href="/file/request" attr:data-testid="request-link">{t.tr("filing.request.link")}</A>
        </p>
    }
}
