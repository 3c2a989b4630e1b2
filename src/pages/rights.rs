//! "Your rights, in plain words" (`/rights`): generated from the rule set the intake runs
//! (`GET /api/v1/rules`; the catalog's built-in rule set when the intake cannot be
//! reached): what each open attribute means, what a citizen may ask for, and how long the
//! provider has to answer, with the article each limit comes from.

use crate::app::use_catalog;
use crate::i18n::{use_i18n, Lang};
use crate::net::intake;
use crate::queue::use_filings;
use kaifang_core::rules::{Basis, FilingKind, RuleSet, TimeLimit};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Rights() -> impl IntoView {
    let t = use_i18n();
    let catalog = use_catalog();
    let filings = use_filings();
    let rules = LocalResource::new(move || {
        let base = filings.base.get();
        let fallback = catalog.get().and_then(|c| c.ok()).map(|c| c.portal.jurisdiction);
        async move {
            match intake::rules(&base).await {
                Ok(r) => Some((r, false)),
                Err(_) => fallback.and_then(|j| RuleSet::builtin(&j)).map(|r| (r, true)),
            }
        }
    });
    // At build time: the rule set of the catalog's jurisdiction, the one the intake runs
    // unless its operator chose another (the app asks the intake when it takes over).
    let built = crate::prerender::built()
        .map(|b| (RuleSet::builtin(&b.catalog.portal.jurisdiction).map(|r| (r, false)), b.catalog.portal));
    crate::head::publish({
        let portal = built.as_ref().map(|b| b.1.clone());
        move || {
            let portal = portal.clone().or_else(|| catalog.get()?.ok().map(|c| c.portal))?;
            Some(crate::head::page(t, &portal, "rights.title", "rights.description", "/rights"))
        }
    });
    let built = built.map(|b| b.0);
    view! {
        <section class="page rights">
            <h1>{t.tr("rights.title")}</h1>
            <crate::components::loading::Loading>
                {move || built.clone().or_else(|| rules.get()).map(|r| match r {
                    Some((r, offline)) => view! { <RightsBody rules=r offline=offline/> }.into_any(),
                    None => view! { <p class="notice">{t.tr("rights.unavailable")}</p> }.into_any(),
                })}
            </crate::components::loading::Loading>
        </section>
    }
}

fn limit_text(t: crate::i18n::I18n, l: &TimeLimit) -> String {
    let mut s = t.fmt("rights.limit.reply", &[("n", &l.reply_working_days.to_string())]);
    if l.max_extension_working_days > 0 {
        s.push(' ');
        s.push_str(&t.fmt("rights.limit.extension", &[("n", &l.max_extension_working_days.to_string())]));
    } else {
        s.push(' ');
        s.push_str(&t.get("rights.limit.no_extension"));
    }
    s
}

fn basis_text(t: crate::i18n::I18n, b: &Basis) -> String {
    match b {
        Basis::Article { article } => t.fmt("rights.basis.article", &[("article", article)]),
        Basis::PortalDefault { related_article: Some(a), .. } => {
            t.fmt("rights.basis.default_related", &[("article", a)])
        }
        Basis::PortalDefault { related_article: None, .. } => t.get("rights.basis.default"),
    }
}

#[component]
fn RightsBody(rules: RuleSet, offline: bool) -> impl IntoView {
    let t = use_i18n();
    let name = (rules.name.clone(), rules.name_en.clone());
    let kinds: Vec<(FilingKind, &'static str, &'static str, TimeLimit)> = vec![
        (FilingKind::Application, "rights.ask.application", "rights.ask.application.text", rules.application.clone()),
        (FilingKind::Objection, "rights.ask.objection", "rights.ask.objection.text", rules.objection.clone()),
        (
            FilingKind::ErrorReport,
            "rights.ask.error_report",
            "rights.ask.error_report.text",
            rules.error_report.clone(),
        ),
        (
            FilingKind::DataRequest,
            "rights.ask.data_request",
            "rights.ask.data_request.text",
            rules.data_request.clone(),
        ),
    ];
    view! {
        <p class="intro">
            {move || t.fmt("rights.intro", &[("rules", &if t.lang() == Lang::En { name.1.clone() } else { name.0.clone() })])}
        </p>
        {offline.then(|| view! { <p class="notice">{t.tr("rights.offline")}</p> })}
        <section>
            <h2>{t.tr("rights.open.title")}</h2>
            <dl class="rights-open">
                <dt>{t.tr("open.unconditional")}</dt><dd>{t.tr("rights.open.unconditional")}</dd>
                <dt>{t.tr("open.conditional")}</dt><dd>{t.tr("rights.open.conditional")}</dd>
                <dt>{t.tr("open.closed")}</dt><dd>{t.tr("rights.open.closed")}</dd>
            </dl>
        </section>
        <section>
            <h2>{t.tr("rights.ask.title")}</h2>
            <ul class="rights-kinds">
                {kinds.into_iter().map(|(kind, title, text, limit)| { let l2 = limit.clone(); view! {
                    <li data-kind=kind.as_str()>
                        <h3>{t.tr(title)}</h3>
                        <p>{t.tr(text)}</p>
                        <p class="limit"><strong>{t.tr("rights.limit.label")}</strong>" "{move || limit_text(t, &l2)}</p>
                        <p class="basis">{
                            let b = limit.basis.clone();
                            move || basis_text(t, &b)
                        }</p>
                    </li>
                }}).collect_view()}
            </ul>
            {rules.objection_review.then(|| view! { <p>{t.tr("rights.review")}</p> })}
            {rules.volume_and_frequency.then(|| view! { <p>{t.tr("rights.volume")}</p> })}
            {rules.domestic_control_declaration.then(|| view! { <p>{t.tr("rights.domestic")}</p> })}
            {rules.public_interest_declaration.then(|| view! { <p>{t.tr("rights.public_interest")}</p> })}
            <p>{t.tr("rights.working_days")}</p>
        </section>
        <p><A href="/file/request">{t.tr("filing.request.link")}</A>" · "<A href="/filings">{t.tr("filing.my_filings_link")}</A></p>
    }
}
