//! Who is signed in, for the whole app: the intake's `/api/v1/session` read once at start
//! (the session itself is an HttpOnly cookie the app never sees). Forms prefill verified
//! identity from it (`VerifiedIdentity::apply_to`, the same rule the intake applies),
//! "my filings" lists the account's filings, the header offers sign-in and sign-out.
//!
//! Sign-in is a full-page redirect to the identity provider and back (`/auth/login?return=`);
//! drafts and queued filings live in localStorage (`store.rs`, `queue.rs`), so they are
//! there when the person comes back.

use kaifang_core::identity::VerifiedIdentity;
use leptos::prelude::*;

/// What the app knows about signing in.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SignInState {
    /// Not asked yet, or the intake did not answer.
    #[default]
    Unknown,
    /// This intake has no sign-in configured.
    Unavailable,
    SignedOut,
    SignedIn(VerifiedIdentity),
}

impl SignInState {
    pub fn identity(&self) -> Option<&VerifiedIdentity> {
        match self {
            SignInState::SignedIn(i) => Some(i),
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct SignIn(pub RwSignal<SignInState>);

pub fn use_sign_in() -> SignIn {
    use_context::<SignIn>().unwrap_or_else(|| SignIn(RwSignal::new(SignInState::Unknown)))
}

/// Asks the intake once who is signed in; call after the filing store is provided.
pub fn provide_sign_in() {
    let state = RwSignal::new(SignInState::Unknown);
    provide_context(SignIn(state));
    if crate::browser::window().is_none() {
        return;
    }
    let base = crate::queue::use_filings().base.get_untracked();
    leptos::task::spawn_local(async move {
        if let Ok(v) = crate::net::intake::session(&base).await {
            state.set(read(&v));
        }
    });
}

/// The state an answer of `/api/v1/session` describes.
fn read(v: &serde_json::Value) -> SignInState {
    if v["signed_in"] == serde_json::Value::Bool(true) {
        match serde_json::from_value::<VerifiedIdentity>(v.clone()) {
            Ok(i) => SignInState::SignedIn(i),
            Err(_) => SignInState::Unknown,
        }
    } else if v["sign_in_available"] == serde_json::Value::Bool(true) {
        SignInState::SignedOut
    } else {
        SignInState::Unavailable
    }
}

/// The intake's own address (`/auth/…` sit beside `/api/v1`).
fn auth_base() -> String {
    let base = crate::queue::use_filings().base.get_untracked();
    base.trim_end_matches('/').trim_end_matches("/api/v1").to_string()
}

/// Where the browser is now (path and query), to come back to after signing in.
pub fn here() -> String {
    crate::browser::window()
        .and_then(|w| Some(format!("{}{}", w.location().pathname().ok()?, w.location().search().ok()?)))
        .unwrap_or_else(|| "/".into())
}

fn with_return(path: &str, return_to: &str) -> String {
    format!("{}{path}?return={}", auth_base(), String::from(js_sys::encode_uri_component(return_to)))
}

pub fn login_href(return_to: &str) -> String {
    with_return("/auth/login", return_to)
}

pub fn logout_href(return_to: &str) -> String {
    with_return("/auth/logout", return_to)
}

/// The header's sign-in link, or the signed-in person's name and a sign-out link. Links to
/// `/auth/…` carry `rel="external"`: they leave the app (the server answers them), so the
/// app's router must not take them over.
#[component]
pub fn SignInLink() -> impl IntoView {
    let t = crate::i18n::use_i18n();
    let s = use_sign_in();
    move || match s.0.get() {
        SignInState::SignedOut => view! {
            <a class="sign-in" href=move || login_href(&here()) rel="external nofollow">{t.tr("app.sign_in")}</a>
        }
        .into_any(),
        SignInState::SignedIn(i) => {
            let name = i.name.clone().unwrap_or_else(|| t.get("app.signed_in"));
            view! {
                <span class="signed-in" data-testid="signed-in">{name}" "
                    <a class="sign-out" href=move || logout_href("/") rel="external nofollow">{t.tr("app.sign_out")}</a>
                </span>
            }
            .into_any()
        }
        SignInState::Unknown | SignInState::Unavailable => ().into_any(),
    }
}
