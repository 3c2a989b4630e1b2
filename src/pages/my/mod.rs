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
        let list = my.data.with(|d| d.favourites.clone());
        if list.is_empty() {
            return view! { <p class="hint" data-testid="no-favourites">{t.tr("dataset.my.none_favourites")}</p> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table data-testid="favourites">
                    <thead><tr>
                        <th scope="col">{t.tr("dataset.my.col_dataset")}</th>
                        <th scope="col">{t.tr("dataset.my.col_added")}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|f| view! {
                            <tr>
                                <td><A href=format!("/datasets/{}", f.dataset_id)>{f.title}</A></td>
                                <td>{f.added.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let downloads = move || {
        let list = my.data.with(|d| d.downloads.clone());
        if list.is_empty() {
            return view! { <p class="hint" data-testid="no-downloads">{t.tr("dataset.my.none_downloads")}</p> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table data-testid="downloads">
                    <thead><tr>
                        <th scope="col">{t.tr("dataset.my.col_dataset")}</th>
                        <th scope="col">{t.tr("dataset.my.col_file")}</th>
                        <th scope="col">{t.tr("dataset.my.col_acquired")}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|d| view! {
                            <tr>
                                <td><A href=format!("/datasets/{}", d.dataset_id)>{d.title}</A></td>
                                <td>{d.file}</td>
                                <td>{d.acquired.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
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
