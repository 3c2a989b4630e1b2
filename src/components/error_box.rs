//! The "something went wrong" box: a failed fetch as a message a person can act on, with
//! the technical detail under it.

use crate::i18n::use_i18n;
use crate::net::NetError;
use leptos::prelude::*;

/// A failed load, explained in the user's language, with the technical detail below.
#[component]
pub fn ErrorBox(error: NetError) -> impl IntoView {
    let t = use_i18n();
    let detail = error.detail();
    view! {
        <div class="error-box" role="alert">
            <p>{t.tr(error.message_key())}</p>
            {(!detail.is_empty()).then(|| view! { <p class="detail">{detail}</p> })}
        </div>
    }
}
