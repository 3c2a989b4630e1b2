//! Data tables: column headings from message keys, the same way everywhere
//! (`<th scope="col">`, which screen readers announce with each cell), and the scrolling
//! frame a wide table sits in on a phone.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// `<thead>` with one column heading per message key, in order.
#[component]
pub fn ColumnHeads(keys: &'static [&'static str]) -> impl IntoView {
    let t = use_i18n();
    view! {
        <thead>
            <tr>{keys.iter().map(|&key| view! { <th scope="col">{t.tr(key)}</th> }).collect_view()}</tr>
        </thead>
    }
}

/// A table that scrolls sideways on its own (`.table-scroll`), headed by `keys`, with
/// `children` as its rows.
#[component]
pub fn DataTable(keys: &'static [&'static str], children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table>
                <ColumnHeads keys=keys/>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
