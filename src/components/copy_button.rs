//! A copy button with a visible, announced confirmation ("已复制" / "Copied").

use crate::browser::copy_text;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Idle,
    Copied,
    Failed,
}

/// `text` is read when clicked, so it can follow the language or the acquisition date.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    label: &'static str,
    /// Names the button for tests: `copy-<testid>`.
    testid: String,
) -> impl IntoView {
    let t = use_i18n();
    let state = RwSignal::new(State::Idle);
    let on_click = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let ok = copy_text(&value).await;
            state.set(if ok { State::Copied } else { State::Failed });
            // The confirmation goes away after a while, so the next copy is noticed too.
            set_timeout(move || state.set(State::Idle), std::time::Duration::from_millis(2500));
        });
    };
    view! {
        <span class="copy">
            <button type="button" class="copy-button" data-testid=format!("copy-{testid}") on:click=on_click>
                {t.tr(label)}
            </button>
            <span class="copy-status" role="status" aria-live="polite" data-testid=format!("copied-{testid}")>
                {move || match state.get() {
                    State::Idle => String::new(),
                    State::Copied => t.get("dataset.copy.done"),
                    State::Failed => t.get("dataset.copy.failed"),
                }}
            </span>
        </span>
    }
}
