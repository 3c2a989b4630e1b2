//! The dataset page's main actions, right under its title, badges, publisher and
//! description, so that on a phone they are on the first screen: download (the bundle that
//! carries the attribution, as the download panel's), preview, apply or object where the
//! open attribute allows (B5). The full panels stay further down.

use crate::components::download_panel::save_bundle;
use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use crate::today::today;
use kaifang_core::bundle::{self, file_name};
use kaifang_core::catalog::{Dataset, Distribution, OpenAttribute, OpenKind, Portal};
use kaifang_core::mydata::DownloadRecord;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn QuickActions(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let kind = dataset.open.kind();
    let download = dataset.distributions.first().cloned().filter(|_| bundle::downloadable(&dataset));
    let preview = dataset.status.serves_data()
        && matches!(dataset.open, OpenAttribute::Unconditional)
        && dataset.distributions.iter().any(|d| d.previewable());
    let link = {
        let id = dataset.id.clone();
        move |form: &str| format!("/file/{form}?dataset={id}")
    };
    view! {
        <nav class="quick-actions no-print" aria-label=t.tr("dataset.quick.label")>
            {download.map(|dist| view! { <QuickDownload portal=portal dataset=dataset.clone() dist=dist/> })}
            {preview.then(|| view! {
                <a class="button" href="#preview-title" data-testid="quick-preview" on:click=to_preview>{t.tr("dataset.quick.preview")}</a>
            })}
            {(kind == OpenKind::Conditional).then(|| view! {
                <A href=link("apply") attr:class="button primary" attr:data-testid="quick-apply">{t.tr("filing.actions.apply")}</A>
            })}
            {(kind != OpenKind::Closed).then(|| view! {
                <A href=link("object") attr:class="button" attr:data-testid="quick-object">{t.tr("filing.actions.object")}</A>
            })}
        </nav>
    }
}

/// The app follows the link itself: to the preview's heading, without a route change.
fn to_preview(ev: leptos::ev::MouseEvent) {
    let target = crate::browser::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("preview-title"));
    if let Some(el) = target {
        ev.prevent_default();
        el.scroll_into_view();
    }
}

#[component]
fn QuickDownload(portal: Portal, dataset: Dataset, dist: Distribution) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let on_click = move |_| {
        let (portal, dataset, dist) = (portal.clone(), dataset.clone(), dist.clone());
        busy.set(true);
        status.set(t.get("dataset.download.preparing"));
        leptos::task::spawn_local(async move {
            let href = crate::net::catalog_url(&dist.path);
            let result = save_bundle(t, &href, &portal, &dataset, &dist).await;
            busy.set(false);
            status.set(match result {
                Ok(()) => {
                    let day = today();
                    my.record_download(DownloadRecord {
                        dataset_id: dataset.id.clone(),
                        title: dataset.title.clone(),
                        file: file_name(&dist),
                        acquired: day.clone(),
                        kind: "bundle".into(),
                    });
                    format!("{} {day}", t.get("dataset.download.done"))
                }
                Err(e) => format!("{} {e}", t.get("dataset.download.failed")),
            });
        });
    };
    view! {
        <button type="button" class="primary" data-testid="quick-download" on:click=on_click disabled=move || busy.get()>
            {t.tr("dataset.quick.download")}
        </button>
        <span class="quick-status" role="status" aria-live="polite" data-testid="quick-download-status">{move || status.get()}</span>
    }
}
