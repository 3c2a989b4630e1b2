//! Title, note and source lines the file carries around its table (`数据来源：…`), found by
//! the reader (`kaifang_core::table::shape`) and shown apart from the data: the source line
//! is what a user cites.

use super::use_preview;
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn Notes() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    let list = move |key: &'static str, lines: Vec<String>| {
        (!lines.is_empty()).then(|| {
            view! {
                <div>
                    <dt>{t.tr(key)}</dt>
                    {lines.into_iter().map(|l| view! { <dd>{l}</dd> }).collect_view()}
                </div>
            }
        })
    };
    move || {
        let (above, below) = data.layout.with(|l| {
            l.as_ref().map(|l| (l.notes_above.clone(), l.notes_below.clone())).unwrap_or_default()
        });
        (!above.is_empty() || !below.is_empty()).then(|| {
            view! {
                <dl class="preview-notes" data-testid="file-notes" aria-label=t.get("preview.notes")>
                    {list("preview.notes.above", above)}
                    {list("preview.notes.below", below)}
                </dl>
            }
        })
    }
}
