//! Downloads (B8): for open, unconditional datasets, each file as a ZIP bundle with its
//! attribution and citations (built in the browser by `kaifang_core::bundle`), or the
//! original file alone — the bundle first; after the bare file, its attribution line for
//! that day is shown with a copy button, as the file itself cannot carry it (A1; `kaifang
//! serve` also names the dataset page in a `Link: rel="cite-as"` header). Either records the
//! acquisition date locally (A3). Conditional and closed datasets offer no download, and
//! say why.

use crate::browser::save_bytes;
use crate::components::copy_button::CopyButton;
use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use crate::net;
use crate::today::today;
use kaifang_core::attribution::Attribution;
use kaifang_core::bundle::{self, bundle_name, file_name};
use kaifang_core::catalog::{Dataset, Distribution, OpenKind, Portal};
use kaifang_core::mydata::DownloadRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DownloadPanel(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    if !bundle::downloadable(&dataset) {
        let key = match dataset.open.kind() {
            OpenKind::Conditional => "dataset.download.none_conditional",
            OpenKind::Closed => "dataset.download.none_closed",
            OpenKind::Unconditional => "dataset.download.none_status",
        };
        return view! {
            <section class="downloads" aria-labelledby="download-title">
                <h2 id="download-title">{t.tr("dataset.download.heading")}</h2>
                <p class="notice" data-testid="no-download">{t.tr(key)}</p>
            </section>
        }
        .into_any();
    }
    let files = dataset
        .distributions
        .iter()
        .cloned()
        .map(|dist| view! { <DownloadFile portal=portal.clone() dataset=dataset.clone() dist=dist/> })
        .collect_view();
    view! {
        <section class="downloads" aria-labelledby="download-title">
            <h2 id="download-title">{t.tr("dataset.download.heading")}</h2>
            <p class="hint">{t.tr("dataset.download.bundle_note")}</p>
            <ul class="download-list">{files}</ul>
        </section>
    }
    .into_any()
}

/// Fetches `dist`, wraps it with its attribution and citations (B8, A1) and saves the bundle.
pub async fn save_bundle(
    t: crate::i18n::I18n,
    href: &str,
    portal: &Portal,
    dataset: &Dataset,
    dist: &Distribution,
) -> Result<(), String> {
    let bytes = net::get_bytes(href).await.map_err(|e| format!("{} {}", t.get(e.message_key()), e.detail()))?;
    let day = today();
    let zip = bundle::build(portal, dataset, dist, &bytes, &day).map_err(|e| e.to_string())?;
    save_bytes(&bundle_name(dataset, dist, &day), &zip, "application/zip")
}

#[derive(Clone, PartialEq)]
enum Progress {
    Idle,
    Working,
    Done(String),
    Failed(String),
}

#[component]
fn DownloadFile(portal: Portal, dataset: Dataset, dist: Distribution) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let progress = RwSignal::new(Progress::Idle);
    let name = file_name(&dist);
    let href = net::catalog_url(&dist.path);
    let record = {
        let (id, title, name) = (dataset.id.clone(), dataset.title.clone(), name.clone());
        move |kind: &str| {
            let day = today();
            my.record_download(DownloadRecord {
                dataset_id: id.clone(),
                title: title.clone(),
                file: name.clone(),
                acquired: day.clone(),
                kind: kind.into(),
            });
            day
        }
    };
    let on_bundle = {
        let (href, record) = (href.clone(), record.clone());
        let (portal, dataset, dist) = (portal.clone(), dataset.clone(), dist.clone());
        move |_| {
            progress.set(Progress::Working);
            let (href, record) = (href.clone(), record.clone());
            let (portal, dataset, dist) = (portal.clone(), dataset.clone(), dist.clone());
            spawn_local(async move {
                let result = save_bundle(t, &href, &portal, &dataset, &dist).await.map(|()| record("bundle"));
                progress.set(match result {
                    Ok(day) => Progress::Done(day.to_string()),
                    Err(e) => Progress::Failed(e),
                });
            });
        }
    };
    // The attribution of a bare file saved today, shown after the click.
    let bare = RwSignal::new(None::<Attribution>);
    let on_original = {
        let (portal, dataset) = (portal.clone(), dataset.clone());
        move |_| {
            // The browser follows the link itself; we note the day (A3) and show the line.
            let day = record("original");
            bare.set(Some(Attribution::new(&portal, &dataset, day.clone())));
            progress.set(Progress::Done(day.to_string()));
        }
    };
    let size = format_size(dist.byte_size);
    view! {
        <li class="download-item">
            <p class="file-title">{dist.title.clone()}" · "{dist.format.clone()}" · "{size}</p>
            <p class="download-actions">
                <button type="button" class="primary" data-testid="download-bundle" on:click=on_bundle
                    disabled=move || progress.get() == Progress::Working>
                    {t.tr("dataset.download.bundle")}
                </button>
                " "
                <a href=href download=name data-testid="download-original" on:click=on_original>
                    {t.tr("dataset.download.original")}
                </a>
            </p>
            <p class="download-status" role="status" aria-live="polite" data-testid="download-status">
                {move || match progress.get() {
                    Progress::Idle => String::new(),
                    Progress::Working => t.get("dataset.download.preparing"),
                    Progress::Done(day) => format!("{} {day}", t.get("dataset.download.done")),
                    Progress::Failed(e) => format!("{} {e}", t.get("dataset.download.failed")),
                }}
            </p>
            {move || bare.get().map(|a| {
                let line = Signal::derive(move || a.line_for(t.lang().code()));
                view! {
                    <div class="bare-attribution" data-testid="original-attribution">
                        <p class="hint">{t.tr("dataset.download.original_note")}</p>
                        <p class="attribution-line">{line}</p>
                        <CopyButton text=line label="dataset.cite.copy" testid="original-attribution".to_string()/>
                    </div>
                }
            })}
        </li>
    }
}

/// Bytes for people: B, KB, MB, GB (powers of 1024, one decimal).
pub fn format_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
