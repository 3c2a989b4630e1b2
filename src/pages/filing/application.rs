//! 有条件开放申请 (C1): applicant, the data wanted, purpose, scope of use, scenario, users,
//! security measures, period (and volume/frequency where Yunnan 27 applies), and the
//! declarations the applicant signs — which ones depends on who applies (Xiangxi 35).
//! One application may name several conditional datasets of the same department: the form
//! offers the department's others, found through the search index (`OtherDatasets`).

use super::widgets::{bound, dom_id, opt, Bound, CheckField, Declaration, FieldErrors, SelectField, TextField};
use super::{draft_key, form_for, use_draft, FormKind, FormTop, SubmitBar};
use crate::i18n::{use_i18n, Lang};
use kaifang_core::catalog::{Dataset, DatasetSummary};
use kaifang_core::filing::forms::{Applicant, Application, RequestedDataset};
use kaifang_core::filing::Filing;
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;

const APPLICANT_TYPES: [(&str, &str); 3] = [
    ("natural_person", "filing.applicant.natural_person"),
    ("legal_person", "filing.applicant.legal_person"),
    ("unincorporated_org", "filing.applicant.unincorporated_org"),
];
const ORG_CATEGORIES: [(&str, &str); 5] = [
    ("university", "filing.org.university"),
    ("research_institute", "filing.org.research_institute"),
    ("company", "filing.org.company"),
    ("public_interest_org", "filing.org.public_interest_org"),
    ("other", "filing.org.other"),
];

#[component]
pub fn ApplicationForm(dataset: Dataset, rules: RuleSet, submitted: RwSignal<Option<String>>) -> impl IntoView {
    let key = draft_key(FormKind::Apply, Some(&dataset.id));
    let id = dataset.id.clone();
    let draft = use_draft(key.clone(), move || Application {
        datasets: vec![RequestedDataset { id, fields: vec![] }],
        applicant: Applicant { id_document: Default::default(), ..Default::default() },
        ..Default::default()
    });
    let (filing, form) = form_for(draft, Filing::Application, rules.clone());
    let needs_sign_in = rules.requires_sign_in(kaifang_core::rules::FilingKind::Application);

    view! {
        <FormTop/>
        <div class="filing-form" data-form="application">
            <SignInNotice required=needs_sign_in/>
            <ApplicantFields draft=draft/>
            <DataWanted dataset=dataset volume=rules.volume_and_frequency draft=draft/>
            <super::attachments::AttachmentPicker owner=key.clone() legend="filing.attach.attachments_legend" hint="filing.attach.attachments_hint"/>
            <Declarations rules=rules draft=draft/>
        </div>
        <SubmitBar filing=filing form=form draft=key submitted=submitted/>
    }
}

/// Applies a change to the draft (the form's fields each hand one in).
fn updater(draft: RwSignal<Application>) -> impl Fn(Box<dyn FnOnce(&mut Application)>) + Copy + Send + Sync {
    move |f| draft.update(|a| f(a))
}

/// The applicant's kind (Xiangxi 35 asks organisations for their category), name, ID
/// document and contact; the name and number locked once verified by the platform's sign-in.
#[component]
fn ApplicantFields(draft: RwSignal<Application>) -> impl IntoView {
    let t = use_i18n();
    let up = updater(draft);
    let ty = Signal::derive(move || draft.with(|a| a.applicant.applicant_type.clone()));
    let is_org = move || matches!(ty.get().as_str(), "legal_person" | "unincorporated_org");
    let (name_verified, number_verified) = verified_identity(draft);
    view! {
        <fieldset>
            <legend>{t.tr("filing.applicant.legend")}</legend>
            <Show when=move || name_verified.get() || number_verified.get()>
                <p class="verified-note" data-testid="verified-note">{t.tr("filing.verified.note")}</p>
            </Show>
            <SelectField path="applicant.type" label="filing.applicant.type" options=APPLICANT_TYPES.to_vec()
                bind=Bound { value: ty, set: Callback::new(move |v: String| up(Box::new(move |a| {
                    if v == "natural_person" { a.applicant.org_category = None; }
                    a.applicant.id_document.kind = if v == "natural_person" { "resident_id".into() } else if v.is_empty() { String::new() } else { "uscc".into() };
                    a.applicant.applicant_type = v;
                }))) }/>
            <TextField path="applicant.name" label="filing.applicant.name" autocomplete="name" verified=name_verified
                bind=bound!(draft, |a| a.applicant.name)/>
            <Show when=is_org>
                <SelectField path="applicant.org_category" label="filing.applicant.org_category" options=ORG_CATEGORIES.to_vec()
                    bind=bound!(draft, |a| a.applicant.org_category, opt)/>
            </Show>
            <SelectField path="applicant.id_document.kind" label="filing.id.kind" options=super::person::ID_KINDS.to_vec()
                bind=bound!(draft, |a| a.applicant.id_document.kind)/>
            <TextField path="applicant.id_document.number" label="filing.id.number" hint="filing.id.number_hint" verified=number_verified
                bind=bound!(draft, |a| a.applicant.id_document.number)/>
            <Show when=move || draft.with(|a| a.applicant.id_document.kind == "other")>
                <TextField path="applicant.id_document.description" label="filing.id.description"
                    bind=bound!(draft, |a| a.applicant.id_document.description, opt)/>
            </Show>
            <p class="hint">{t.tr("filing.contact_hint")}</p>
            <TextField path="applicant.contact.phone" label="filing.person.phone" input_type="tel" optional=true autocomplete="tel"
                bind=bound!(draft, |a| a.applicant.contact.phone, opt)/>
            <TextField path="applicant.contact.email" label="filing.person.email" input_type="email" optional=true autocomplete="email"
                bind=bound!(draft, |a| a.applicant.contact.email, opt)/>
            <FieldErrors path="applicant.contact" exact=true/>
        </fieldset>
    }
}

/// What is asked for: the fields of this dataset, the department's others, purpose, scope of
/// use, scenario, users, security measures and period (volume and frequency where the rules
/// ask for them, Yunnan 27).
#[component]
fn DataWanted(dataset: Dataset, volume: bool, draft: RwSignal<Application>) -> impl IntoView {
    let t = use_i18n();
    let up = updater(draft);
    let fields = dataset.fields.clone();
    view! {
        <fieldset>
            <legend>{t.tr("filing.apply.data_legend")}</legend>
            {(!fields.is_empty()).then(|| view! {
                <p class="hint">{t.tr("filing.apply.fields_hint")}</p>
                <div class="checks" role="group" aria-label=t.tr("filing.apply.fields")>
                    {fields.iter().map(|f| {
                        let name = f.name.clone();
                        let n2 = name.clone();
                        view! { <CheckField path="datasets" id=format!("{}-{}", dom_id("datasets.fields"), name)
                            label_text=format!("{} ({})", f.label, f.name)
                            value=Signal::derive(move || draft.with(|a| a.datasets.first().is_some_and(|d| d.fields.contains(&name))))
                            set=Callback::new(move |on: bool| { let n = n2.clone(); up(Box::new(move |a| if let Some(d) = a.datasets.first_mut() {
                                d.fields.retain(|x| *x != n); if on { d.fields.push(n); }
                            })) })/> }
                    }).collect_view()}
                </div>
                <FieldErrors path="datasets"/>
            })}
            <OtherDatasets dataset=dataset.clone() draft=draft/>
            <TextField path="purpose" label="filing.apply.purpose" multiline=true bind=bound!(draft, |a| a.purpose)/>
            <TextField path="scope_of_use" label="filing.apply.scope_of_use" multiline=true hint="filing.apply.scope_of_use_hint" bind=bound!(draft, |a| a.scope_of_use)/>
            <TextField path="scenario" label="filing.apply.scenario" multiline=true bind=bound!(draft, |a| a.scenario)/>
            <TextField path="users" label="filing.apply.users" hint="filing.apply.users_hint" multiline=true
                bind=Bound {
                    value: Signal::derive(move || draft.with(|a| a.users.join("\n"))),
                    set: Callback::new(move |v: String| up(Box::new(move |a| a.users = if v.is_empty() { vec![] } else { v.split('\n').map(str::to_string).collect() }))),
                }/>
            <TextField path="security_measures" label="filing.apply.security_measures" multiline=true bind=bound!(draft, |a| a.security_measures)/>
            <TextField path="period.start" label="filing.apply.period_start" input_type="date" hint="filing.date_hint"
                bind=bound!(draft, |a| a.period.start)/>
            <TextField path="period.end" label="filing.apply.period_end" input_type="date" hint="filing.date_hint"
                bind=bound!(draft, |a| a.period.end)/>
            <TextField path="volume" label="filing.apply.volume" optional=!volume bind=bound!(draft, |a| a.volume, opt)/>
            <TextField path="frequency" label="filing.apply.frequency" optional=!volume bind=bound!(draft, |a| a.frequency, opt)/>
        </fieldset>
    }
}

/// The declarations the applicant signs: which ones depends on who applies and the rules
/// (public interest for universities and institutes, domestic control for companies).
#[component]
fn Declarations(rules: RuleSet, draft: RwSignal<Application>) -> impl IntoView {
    let t = use_i18n();
    let up = updater(draft);
    let ty = Signal::derive(move || draft.with(|a| a.applicant.applicant_type.clone()));
    let category = Signal::derive(move || draft.with(|a| a.applicant.org_category.clone().unwrap_or_default()));
    let is_org = move || matches!(ty.get().as_str(), "legal_person" | "unincorporated_org");
    let public_interest = rules.public_interest_declaration;
    let domestic = rules.domestic_control_declaration;
    view! {
        <fieldset class="declarations">
            <legend>{t.tr("filing.apply.declarations")}</legend>
            <Show when=move || public_interest && matches!(category.get().as_str(), "university" | "research_institute") && is_org()>
                <Declaration path="public_interest_declaration" title="filing.decl.public_interest.title"
                    text="filing.decl.public_interest.text" accept="filing.decl.public_interest.accept"
                    value=Signal::derive(move || draft.with(|a| a.public_interest_declaration))
                    set=Callback::new(move |v: bool| up(Box::new(move |a| a.public_interest_declaration = v)))/>
            </Show>
            <Show when=move || domestic && ty.get() == "legal_person" && category.get() == "company">
                <Declaration path="domestic_control_declaration" title="filing.decl.domestic.title"
                    text="filing.decl.domestic.text" accept="filing.decl.domestic.accept"
                    value=Signal::derive(move || draft.with(|a| a.domestic_control_declaration))
                    set=Callback::new(move |v: bool| up(Box::new(move |a| a.domestic_control_declaration = v)))/>
            </Show>
            <Declaration path="security_commitment_ack" title="filing.decl.security.title"
                text="filing.decl.security.text" accept="filing.decl.security.accept"
                value=Signal::derive(move || draft.with(|a| a.security_commitment_ack))
                set=Callback::new(move |v: bool| up(Box::new(move |a| a.security_commitment_ack = v)))/>
            <Declaration path="data_use_agreement_ack" title="filing.decl.agreement.title"
                text="filing.decl.agreement.text" accept="filing.decl.agreement.accept"
                value=Signal::derive(move || draft.with(|a| a.data_use_agreement_ack))
                set=Callback::new(move |v: bool| up(Box::new(move |a| a.data_use_agreement_ack = v)))/>
        </fieldset>
    }
}

/// The department's other conditionally open datasets, each a box to add it to this
/// application and, once added, its fields to narrow the request (none ticked: the whole
/// dataset). Found with the search index's department and open filters, so it works the same
/// for a catalog of 65 or 100 000 datasets; the first page of results is offered.
#[component]
fn OtherDatasets(dataset: Dataset, draft: RwSignal<Application>) -> impl IntoView {
    let t = use_i18n();
    let catalog = crate::app::use_catalog();
    let others = RwSignal::new(Vec::<DatasetSummary>::new());
    let (main_id, dept) = (dataset.id.clone(), dataset.publisher.id.clone());
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(Ok(cat)) = catalog.get() else { return false };
        let state = kaifang_core::search::SearchState::from_query(&format!(
            "dept={}&open=conditional",
            kaifang_core::search::state::encode(&dept)
        ));
        let main_id = main_id.clone();
        leptos::task::spawn_local(async move {
            let gen = crate::search::run::next_generation();
            crate::search::run::run(&cat, &state, gen, move |view| {
                if view.phase == crate::search::run::Phase::Complete {
                    others.set(view.items.into_iter().filter(|d| d.id != main_id).collect());
                }
            })
            .await;
        });
        true
    });
    move || {
        let list = others.get();
        (!list.is_empty()).then(|| view! {
            <fieldset class="more-datasets" data-testid="more-datasets">
                <legend>{t.tr("filing.apply.more_legend")}</legend>
                <p class="hint">{t.tr("filing.apply.more_hint")}</p>
                {list.into_iter().map(|d| {
                    let id = d.id.clone();
                    let id2 = d.id.clone();
                    let id3 = d.id.clone();
                    let for_id = format!("f-more-{}", d.id);
                    let chosen = Signal::derive(move || draft.with(|a| a.datasets.iter().skip(1).any(|x| x.id == id)));
                    let title = move || match (t.lang(), &d.title_en) { (Lang::En, Some(e)) => format!("{e} ({})", d.id), _ => format!("{} ({})", d.title, d.id) };
                    view! {
                        <div class="check">
                            <input type="checkbox" id=for_id.clone()
                                prop:checked=move || chosen.get()
                                on:change=move |ev| {
                                    let (id, on) = (id2.clone(), event_target_checked(&ev));
                                    // The page's own dataset stays first; the others come after it.
                                    draft.update(|a| if !on { a.datasets.retain(|x| x.id != id) }
                                        else if !a.datasets.iter().any(|x| x.id == id) { a.datasets.push(RequestedDataset { id, fields: vec![] }) });
                                }/>
                            <label for=for_id>{title}</label>
                        </div>
                        <Show when=move || chosen.get()>
                            <ExtraFields id=id3.clone() draft=draft/>
                        </Show>
                    }
                }).collect_view()}
            </fieldset>
        })
    }
}

/// The fields of an added dataset (its record is read when it is added), to narrow the request.
#[component]
fn ExtraFields(id: String, draft: RwSignal<Application>) -> impl IntoView {
    let t = use_i18n();
    let record = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            async move { crate::net::load_dataset(&id).await }
        })
    };
    let id = StoredValue::new(id);
    view! {
        <details class="more-fields" data-testid=move || format!("more-fields-{}", id.get_value())>
            <summary>{t.tr("filing.apply.more_fields")}</summary>
            {move || record.get().map(|r| match r {
                Ok(d) => d.fields.into_iter().map(|f| {
                    let (name, n2) = (f.name.clone(), f.name.clone());
                    let box_id = format!("f-more-{}-{}", id.get_value(), f.name);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=box_id.clone()
                                prop:checked=move || draft.with(|a| a.datasets.iter().any(|x| x.id == id.get_value() && x.fields.contains(&name)))
                                on:change=move |ev| {
                                    let (n, on) = (n2.clone(), event_target_checked(&ev));
                                    draft.update(|a| if let Some(x) = a.datasets.iter_mut().find(|x| x.id == id.get_value()) {
                                        x.fields.retain(|y| *y != n);
                                        if on { x.fields.push(n); }
                                    });
                                }/>
                            <label for=box_id>{format!("{} ({})", f.label, f.name)}</label>
                        </div>
                    }
                }).collect_view().into_any(),
                Err(e) => view! { <p class="field-error">{move || t.get(e.message_key())}</p> }.into_any(),
            })}
        </details>
    }
}

/// Puts a signed-in person's verified name and document into the draft (the rule the
/// intake applies again: `VerifiedIdentity::apply_to`) whenever the applicant type changes,
/// and answers whether the name and the number are verified (then shown, not editable).
fn verified_identity(draft: RwSignal<Application>) -> (Signal<bool>, Signal<bool>) {
    let me = crate::signin::use_sign_in();
    let ty = Memo::new(move |_| draft.with(|a| a.applicant.applicant_type.clone()));
    Effect::new(move |_| {
        let Some(identity) = me.0.with(|s| s.identity().cloned()) else { return };
        let _ = ty.get();
        let current = draft.get_untracked();
        let mut a = current.clone();
        // A person with a verified resident ID and no organisation applies as themselves.
        if a.applicant.applicant_type.is_empty() && identity.id_number.is_some() && identity.credit_code.is_none() {
            a.applicant.applicant_type = "natural_person".into();
        }
        let mut f = Filing::Application(a);
        identity.apply_to(&mut f);
        if let Filing::Application(a) = f {
            if a != current {
                draft.set(a);
            }
        }
    });
    let person = move || ty.get() == "natural_person";
    let name = Signal::derive(move || {
        me.0.with(|s| s.identity().is_some_and(|i| if person() { i.name.is_some() } else { i.organisation.is_some() }))
    });
    let number = Signal::derive(move || {
        me.0.with(|s| {
            s.identity().is_some_and(|i| if person() { i.id_number.is_some() } else { i.credit_code.is_some() })
        })
    });
    (name, number)
}

/// Where the rule set keeps applications for signed-in people (Xiangxi 20/35), a notice
/// with the way to sign in; elsewhere, where sign-in exists, the offer. The draft is in
/// this browser's storage, so it is here again after the provider sends the person back.
#[component]
fn SignInNotice(required: bool) -> impl IntoView {
    let t = use_i18n();
    let me = crate::signin::use_sign_in();
    move || {
        (me.0.get() == crate::signin::SignInState::SignedOut).then(|| {
            let (class, text) = if required { ("notice sign-in-required", "filing.sign_in.required") } else { ("hint", "filing.sign_in.offer") };
            view! {
                <p class=class data-testid="sign-in-notice" role=required.then_some("note")>
                    {t.tr(text)}" "
                    <a href=move || crate::signin::login_href(&crate::signin::here()) rel="external" data-testid="sign-in-link">{t.tr("filing.sign_in.link")}</a>
                </p>
            }
        })
    }
}
