//! The dataset page (B5): status banner, metadata, fields, files and the attribution box.

use crate::app::use_catalog;
use crate::components::attribution_box::AttributionBox;
use crate::components::badges::{open_key, EmergencyBadge, OpenBadge, StatusBadge, StatusBanner};
use crate::components::citation_panel::CitationPanel;
use crate::components::data_table::DataTable;
use crate::components::download_panel::DownloadPanel;
use crate::components::error_box::ErrorBox;
use crate::components::favourite_toggle::FavouriteToggle;
use crate::components::preview::PreviewSection;
use crate::components::usage_panel::UsagePanel;
use crate::i18n::{use_i18n, Lang};
use crate::net;
use kaifang_core::catalog::{AccessMethod, CatalogIndex, Dataset, OpenAttribute, RegionLevel};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

mod quick;

#[component]
pub fn DatasetPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let record = LocalResource::new(move || {
        let id = id();
        async move { net::load_dataset(&id).await }
    });
    let catalog = use_catalog();
    let built = crate::prerender::built().and_then(|b| b.dataset);

    view! {
        <article class="page dataset-page">
            <p class="back"><A href="/">{t.tr("record.back")}</A></p>
            <crate::components::loading::Loading>
                {move || {
                    let cat = catalog.get()?;
                    let rec = match &built {
                        Some(d) => Ok(d.clone()),
                        None => record.get()?,
                    };
                    Some(match (cat, rec) {
                        (Ok(c), Ok(d)) => view! { <DatasetView catalog=c dataset=d/> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    })
                }}
            </crate::components::loading::Loading>
        </article>
    }
}

#[component]
fn DatasetView(catalog: CatalogIndex, dataset: Dataset) -> impl IntoView {
    crate::timing::mark(crate::timing::DATASET_PAGE);
    let t = use_i18n();
    let portal = catalog.portal.clone();
    {
        let (portal, d) = (portal.clone(), dataset.clone());
        crate::head::publish(move || Some(crate::head::dataset(t, &portal, &d)));
    }
    let d = dataset.clone();
    let title = {
        let d = d.clone();
        move || match (t.lang(), &d.title_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => d.title.clone(),
        }
    };
    view! {
        <header class="dataset-header">
            <h1>{title}</h1>
            <p class="badges">
                {d.emergency.then(|| view! { <EmergencyBadge/> })}
                <OpenBadge kind=d.open.kind()/>
                {let (id, s) = (d.id.clone(), d.status); move || view! { <StatusBadge status=crate::queue::effective_status_of(&id, s)/> }}
            </p>
            <p class="publisher">{d.publisher.name.clone()}</p>
            <FavouriteToggle dataset_id=d.id.clone() title=d.title.clone()/>
        </header>
        {let d = d.clone(); move || { let (s, n) = crate::queue::effective_of(&d.id, d.status, d.status_note.as_deref()); view! { <StatusBanner status=s note=n/> } }}
        <p class="description">{d.description.clone()}</p>
        // The main actions within a phone's first screen (docs/phone.md).
        <quick::QuickActions portal=portal.clone() dataset=d.clone()/>
        <OpenSection open=d.open.clone()/>
        // The data first: the preview's rows are in the first screen, not under the record's
        // details (they were 2,400 px down at 1280 × 900). The attribution box (A1), the
        // filing actions and the record's details follow it, built with the panels below.
        //
        // The data panels see the live status (O3): a dataset suspended through the intake
        // serves no preview or download. A memo of the status alone (the panels do not show
        // the note), so they re-render only when it changes: an overlay entry that keeps the
        // status and adds a note (a dataset reopened after an objection) must not rebuild a
        // preview that is loading or in use.
        {let live = { let d = d.clone(); Memo::new(move |_| crate::queue::effective_of(&d.id, d.status, d.status_note.as_deref()).0) };
         move || {
            let status = live.get();
            let d = Dataset { status, ..d.clone() };
            let first_screen = RwSignal::new(false);
            let (below_portal, below_dataset) = (portal.clone(), d.clone());
            view! {
                <PreviewSection portal=portal.clone() dataset=d first_screen=first_screen/>
                <BelowPreview when=first_screen>
                    <AttributionBox portal=below_portal.clone() dataset=below_dataset.clone()/>
                    <crate::pages::filing::DatasetActions dataset=below_dataset.clone()/>
                    <Metadata dataset=below_dataset.clone()/>
                    <Fields dataset=below_dataset.clone()/>
                    {crate::lazy::charts(below_portal.clone(), below_dataset.clone())}
                    <DownloadPanel portal=below_portal.clone() dataset=below_dataset.clone()/>
                    <UsagePanel portal=below_portal.clone() dataset=below_dataset.clone()/>
                    <CitationPanel portal=below_portal.clone() dataset=below_dataset.clone()/>
                </BelowPreview>
            }
        }}
    }
}

/// What lies under the preview, built once the preview has shown its first rows (or failed,
/// or there is none, or [`FIRST_SCREEN_WAIT_MS`] passed) and that frame has been painted:
/// building and laying it out before made the first rows of a large file wait for work nobody
/// sees yet (effects run before the browser renders, so waiting for the rows alone did not
/// keep it out of their frame). It sits below the preview, so nothing above moves when it
/// arrives.
#[component]
fn BelowPreview(when: RwSignal<bool>, children: ChildrenFn) -> impl IntoView {
    // A page rendered at build time holds everything at once: nothing is painted yet.
    if crate::browser::window().is_none() {
        return children().into_any();
    }
    set_timeout(move || when.set(true), std::time::Duration::from_millis(FIRST_SCREEN_WAIT_MS));
    // Built once: `when` is set again (the timeout, later preview events) and each set of a
    // signal notifies — rebuilding would drop a chart being drawn or a download under way. A
    // memo of it changes once, false to true, so the effect asks for one build.
    let wanted = Memo::new(move |_| when.get());
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        if wanted.get() {
            leptos::task::spawn_local(async move {
                crate::pace::after_next_paint(100).await;
                if !shown.is_disposed() {
                    shown.set(true);
                }
            });
        }
    });
    (move || shown.get().then(|| children())).into_any()
}

/// How long the panels under the preview wait for its first rows at most.
const FIRST_SCREEN_WAIT_MS: u64 = 1000;

/// What the open attribute means for this dataset: conditions and legal basis (B1).
#[component]
fn OpenSection(open: OpenAttribute) -> impl IntoView {
    let t = use_i18n();
    match open {
        OpenAttribute::Unconditional => None,
        OpenAttribute::Conditional { conditions, legal_basis } => Some(
            view! {
                <section class="open-terms conditional">
                    <h2>{t.tr("record.conditions")}</h2>
                    <p>{t.tr("record.conditional_note")}</p>
                    <ul>{conditions.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                    <p><strong>{t.tr("record.legal_basis")}</strong>" "{legal_basis}</p>
                </section>
            }
            .into_any(),
        ),
        OpenAttribute::Closed { legal_basis } => Some(
            view! {
                <section class="open-terms closed">
                    <p>{t.tr("record.closed_note")}</p>
                    <p><strong>{t.tr("record.legal_basis")}</strong>" "{legal_basis}</p>
                </section>
            }
            .into_any(),
        ),
    }
}

#[component]
fn Metadata(dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let d = dataset;
    let level_key = match d.region.level {
        RegionLevel::Province => "level.province",
        RegionLevel::City => "level.city",
        RegionLevel::County => "level.county",
        RegionLevel::Township => "level.township",
    };
    let freq_key: &'static str = match d.accrual_periodicity.as_str() {
        "realtime" => "freq.realtime",
        "daily" => "freq.daily",
        "weekly" => "freq.weekly",
        "monthly" => "freq.monthly",
        "quarterly" => "freq.quarterly",
        "half_yearly" => "freq.half_yearly",
        "yearly" => "freq.yearly",
        "irregular" => "freq.irregular",
        _ => "freq.once",
    };
    let temporal = d.temporal.as_ref().map(|tp| {
        format!(
            "{} – {}",
            tp.start.as_ref().map(|x| x.to_string()).unwrap_or_default(),
            tp.end.as_ref().map(|x| x.to_string()).unwrap_or_default()
        )
    });
    let access = d
        .access
        .iter()
        .map(|a| match a {
            AccessMethod::Download => t.tr("record.access.download")(),
            AccessMethod::Api { endpoint, .. } => format!("{} ({endpoint})", t.tr("record.access.api")()),
            AccessMethod::Sandbox { .. } => t.tr("record.access.sandbox")(),
        })
        .collect::<Vec<_>>()
        .join("；");
    let contact = [Some(d.contact_point.name.clone()), d.contact_point.phone.clone(), d.contact_point.email.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    // A reopening after processing since the build is a new version (B3): modified day,
    // version and history follow the intake's overlay.
    let live = {
        let d = d.clone();
        Memo::new(move |_| {
            let v = crate::queue::with_versions_of(&d);
            (v.modified, v.version, v.history)
        })
    };
    let row = move |key: &'static str, value: String| {
        view! {
            <div class="meta-row">
                <dt>{t.tr(key)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <section class="metadata">
            <details class="fold"><summary><h2>{t.tr("record.metadata")}</h2></summary>
            <dl>
                {row("record.identifier", d.id.clone())}
                {row("record.publisher", d.publisher.name.clone())}
                {d.provider.clone().map(|p| row("record.provider", p))}
                {row("record.theme", d.theme.clone())}
                {row("record.region", format!("{} ({})", d.region.name, t.tr(level_key)()))}
                <div class="meta-row">
                    <dt>{t.tr("record.open")}</dt>
                    <dd>{t.tr(open_key(d.open.kind()))}</dd>
                </div>
                {row("record.security_level", d.security_level.get().to_string())}
                <div class="meta-row">
                    <dt>{t.tr("record.frequency")}</dt>
                    <dd>{t.tr(freq_key)}</dd>
                </div>
                {row("record.issued", d.issued.to_string())}
                {move || row("record.modified", live.get().0.to_string())}
                {temporal.map(|x| row("record.temporal", x))}
                {d.spatial.clone().map(|x| row("record.spatial", x))}
                {row("record.license", d.license.clone())}
                {d.usage_requirements.clone().map(|x| row("record.usage", x))}
                {(!access.is_empty()).then(|| row("record.access", access))}
                {row("record.contact", contact)}
                <div class="meta-row" data-testid="record-version">
                    <dt>{t.tr("record.version")}</dt>
                    <dd>{move || live.get().1}</dd>
                </div>
            </dl>
            {move || { let (_, _, history) = live.get(); (!history.is_empty()).then(|| view! {
                <h3>{t.tr("record.history")}</h3>
                <ul class="history" data-testid="version-history">
                    {history.iter().map(|h| view! { <li>{format!("{} · {} · {}", h.version, h.date, h.note)}</li> }).collect_view()}
                </ul>
            })}}
            </details>
        </section>
    }
}

/// The fields table's column headings.
const FIELD_COLUMNS: &[&str] =
    &["record.field.name", "record.field.label", "record.field.type", "record.field.unit", "record.field.description"];

#[component]
fn Fields(dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    if dataset.fields.is_empty() {
        return None;
    }
    Some(view! {
        <section class="fields">
            <details class="fold"><summary><h2>{t.tr("record.fields")}</h2></summary>
            <DataTable keys=FIELD_COLUMNS>
                        {dataset.fields.into_iter().map(|f| view! {
                            <tr>
                                <td>{f.name}</td>
                                <td>{f.label}</td>
                                <td>{f.field_type}</td>
                                <td>{f.unit.unwrap_or_default()}</td>
                                <td>{f.description.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
            </DataTable>
        </details>
        </section>
    })
}
