//! "My data" (`/my`): the favourites and downloads kept in this browser, with their
//! acquisition dates (A3), the space their files may take offline, and the button that
//! clears all local data (X3).

mod offline;

use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MyDataPage() -> impl IntoView {
    let t = use_i18n();
    crate::head::publish(move || {
        let portal = crate::app::use_catalog_portal()?;
        let mut h = crate::head::page(t, &portal, "dataset.my.link", "my.description", "/my");
        h.noindex = true;
        Some(h)
    });
    let my = use_my_data();
    let cleared = RwSignal::new(false);
    let on_clear = move |_| {
        let confirmed = crate::browser::window()
            .and_then(|w| w.confirm_with_message(&t.get("dataset.my.clear_confirm")).ok())
            .unwrap_or(false);
        if confirmed {
            my.clear_all();
            cleared.set(true);
        }
    };
    let favourites = move || {
        let rows = my.data.with(|d| {
            d.favourites
                .iter()
                .map(|f| (f.dataset_id.clone(), f.title.clone(), vec![f.added.to_string()]))
                .collect::<Vec<_>>()
        });
        view! { <ListOrHint rows testid="favourites" none="dataset.my.none_favourites" columns=&["dataset.my.col_added"]/> }
    };
    let downloads = move || {
        let rows = my.data.with(|d| {
            d.downloads
                .iter()
                .map(|x| (x.dataset_id.clone(), x.title.clone(), vec![x.file.clone(), x.acquired.to_string()]))
                .collect::<Vec<_>>()
        });
        view! { <ListOrHint rows testid="downloads" none="dataset.my.none_downloads" columns=&["dataset.my.col_file", "dataset.my.col_acquired"]/> }
    };
    view! {
        <article class="page my-data">
            <h1>{t.tr("dataset.my.heading")}</h1>
            <p class="hint">{t.tr("dataset.my.intro")}</p>
            <section aria-labelledby="my-fav">
                <h2 id="my-fav">{t.tr("dataset.my.favourites")}</h2>
                {favourites}
            </section>
            <section aria-labelledby="my-dl">
                <h2 id="my-dl">{t.tr("dataset.my.downloads")}</h2>
                {downloads}
            </section>
            <offline::OfflineFiles/>
            <p>
                <button type="button" class="danger" data-testid="clear-local" on:click=on_clear>{t.tr("dataset.my.clear")}</button>
            </p>
            <p role="status" aria-live="polite" data-testid="cleared">
                {move || cleared.get().then(|| t.get("dataset.my.cleared"))}
            </p>
        </article>
    }
}

/// A table of datasets (linked by title) with further `columns`, or the hint `none` when
/// there are no rows.
#[component]
fn ListOrHint(
    rows: Vec<(String, String, Vec<String>)>,
    testid: &'static str,
    none: &'static str,
    columns: &'static [&'static str],
) -> impl IntoView {
    let t = use_i18n();
    if rows.is_empty() {
        return view! { <p class="hint" data-testid=format!("no-{testid}")>{t.tr(none)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table data-testid=testid>
                <thead><tr>
                    <th scope="col">{t.tr("dataset.my.col_dataset")}</th>
                    {columns.iter().map(|c| view! { <th scope="col">{t.tr(c)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(id, title, cells)| view! {
                        <tr>
                            <td><A href=format!("/datasets/{id}")>{title}</A></td>
                            {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
