//! The favourite toggle on a dataset page; favourites are listed on "my data" (`/my`).

use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use leptos::prelude::*;

#[component]
pub fn FavouriteToggle(dataset_id: String, title: String) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let id = dataset_id.clone();
    let on = Memo::new(move |_| my.is_favourite(&id));
    view! {
        <button type="button" class="favourite" aria-pressed=move || on.get().to_string() data-testid="favourite"
            on:click=move |_| my.toggle_favourite(&dataset_id, &title)>
            <span aria-hidden="true">{move || if on.get() { "★ " } else { "☆ " }}</span>
            {move || if on.get() { t.get("dataset.favourite.remove") } else { t.get("dataset.favourite.add") }}
        </button>
    }
}
