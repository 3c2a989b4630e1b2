//! Signed out: the platform's unified identity sign-in (统一身份认证, `/auth/login`, which
//! comes back to `/desk`), and for portals without an identity provider a department
//! token, kept in this tab's sessionStorage only (`store::session`).

use super::use_desk;
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn SignIn(error: Option<&'static str>) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let token = RwSignal::new(String::new());
    let problem = RwSignal::new(error);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = token.get_untracked().trim().to_string();
        // A department token is 64 hex characters (`kaifang review token create`).
        if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            problem.set(Some("desk.signin.token_malformed"));
            return;
        }
        if !crate::store::session::set_token(&value) {
            problem.set(Some("desk.signin.no_storage"));
            return;
        }
        problem.set(None);
        desk.token.set(Some(value));
    };
    view! {
        <div class="desk-signin" data-testid="desk-signin">
            <p>{t.tr("desk.signin.intro")}</p>
            <p><a class="button primary" href="/auth/login?return=/desk" rel="external">{t.tr("desk.signin.sso")}</a></p>
            <form class="desk-token" on:submit=on_submit>
                <h2>{t.tr("desk.signin.token_title")}</h2>
                <p class="hint" id="desk-token-hint">{t.tr("desk.signin.token_hint")}</p>
                <label for="desk-token">{t.tr("desk.signin.token_label")}</label>
                <input id="desk-token" type="password" autocomplete="off" spellcheck="false" aria-describedby="desk-token-hint desk-token-error"
                    aria-invalid=move || problem.get().is_some().then_some("true")
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                <p class="field-error" id="desk-token-error" aria-live="polite">{move || problem.get().map(|k| t.get(k))}</p>
                <button type="submit">{t.tr("desk.signin.token_submit")}</button>
            </form>
        </div>
    }
}
