//! The department's datasets and their status changes outside any filing (Aba 33 third
//! paragraph, Xiangxi 39/45: found in routine supervision): suspend, withdraw, mark
//! invalid, reopen — each with the note every reader of the catalog sees (O3).

use super::use_desk;
use crate::i18n::use_i18n;
use crate::net::desk;
use leptos::prelude::*;

#[component]
pub fn DatasetsView() -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let filings = crate::queue::use_filings();
    view! {
        <section class="desk-datasets" aria-labelledby="datasets-title">
            <h2 id="datasets-title">{t.tr("desk.view.datasets")}</h2>
            <p class="hint">{t.tr("desk.datasets.intro")}</p>
            <ul class="desk-rows">
                {move || desk.me.get().map(|m| m.datasets).unwrap_or_default().into_iter().map(|id| {
                    let shown = id.clone();
                    let status = move || filings.overlay.with(|o| o.datasets.get(&shown).map(|e| e.status.as_str().to_string())).unwrap_or_else(|| "open".into());
                    view! { <DatasetItem id=id status=Signal::derive(status)/> }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DatasetItem(id: String, status: Signal<String>) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let filings = crate::queue::use_filings();
    let choice = RwSignal::new("suspended".to_string());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let target = id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (base, token, lang, id) = (desk.base.get_untracked(), desk.auth(), t.lang(), target.clone());
        let (s, n) = (choice.get_untracked(), note.get_untracked());
        leptos::task::spawn_local(async move {
            match desk::dataset_status(&base, &token, &id, &s, &n).await {
                Ok(_) => {
                    message.set(None);
                    // The catalog's readers see the change through the overlay; so does the desk.
                    if let Ok(o) = crate::net::intake::status_overlay(&base).await {
                        filings.overlay.set(o);
                    }
                }
                Err(e) => message.set(Some(e.explained(lang))),
            }
        });
    };
    let (sel, txt) = (format!("status-{id}"), format!("note-{id}"));
    view! {
        <li class="desk-row" data-testid="dataset-item" data-dataset=id.clone()>
            <p><strong>{id.clone()}</strong>" · "<span class="badge" data-testid="dataset-status">{move || t.get(&format!("desk.status.{}", status.get()))}</span></p>
            <form on:submit=on_submit>
                <p class="desk-input"><label for=sel.clone()>{t.tr("desk.datasets.change")}</label>
                    <select id=sel on:change=move |ev| choice.set(event_target_value(&ev))>
                        {["suspended", "withdrawn", "invalid", "open"].into_iter().map(|s| view! { <option value=s>{t.tr(status_key(s))}</option> }).collect_view()}
                    </select></p>
                <p class="desk-input"><label for=txt.clone()>{t.tr("desk.input.note")}</label>
                    <textarea id=txt rows="2" required prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea></p>
                <p class="field-error" role="alert">{move || message.get()}</p>
                <button type="submit">{t.tr("desk.datasets.apply")}</button>
            </form>
        </li>
    }
}

fn status_key(s: &str) -> &'static str {
    match s {
        "suspended" => "desk.status.suspended",
        "withdrawn" => "desk.status.withdrawn",
        "invalid" => "desk.status.invalid",
        _ => "desk.status.open",
    }
}
