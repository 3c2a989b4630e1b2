//! Offline and home screen (issue 18, docs/phone.md): registers the service worker
//! (`src/sw.js`: the app's files, pages and catalog metadata a person opened, kept for
//! offline reading) and shows a note while the browser is offline, saying that what is on
//! screen is a saved copy. "My filings" keeps each filing's last known state itself
//! (`src/pages/my_filings.rs`).

pub mod files;

use crate::i18n::use_i18n;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Registers `/sw.js` for the whole site; a browser without service workers, or a host
/// without the file (`trunk serve`), just goes without.
pub fn register() {
    let Some(w) = crate::browser::window() else { return };
    let nav = w.navigator();
    let Ok(sw) = js_sys::Reflect::get(&nav, &"serviceWorker".into()) else { return };
    if sw.is_undefined() {
        return;
    }
    let Ok(register) = js_sys::Reflect::get(&sw, &"register".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return;
    };
    if let Ok(p) = register.call1(&sw, &"/sw.js".into()).and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = p.catch(&ignore);
        ignore.forget();
    }
}

/// Whether the browser is offline now (reactive; always online at build time).
pub fn use_offline() -> ReadSignal<bool> {
    if let Some(Offline(s)) = use_context::<Offline>() {
        return s;
    }
    let (offline, set) = signal(false);
    if let Some(w) = crate::browser::window() {
        set.set(!w.navigator().on_line());
        let on = window_event_listener(leptos::ev::online, move |_| set.set(false));
        let off = window_event_listener(leptos::ev::offline, move |_| set.set(true));
        on_cleanup(move || {
            on.remove();
            off.remove();
        });
    }
    provide_context(Offline(offline));
    offline
}

#[derive(Clone, Copy)]
struct Offline(ReadSignal<bool>);

/// "Offline: showing a saved copy", fixed at the bottom of the screen (nothing moves).
#[component]
pub fn OfflineNote() -> impl IntoView {
    let t = use_i18n();
    let offline = use_offline();
    view! {
        <Show when=move || offline.get()>
            <p class="offline-note" role="status" data-testid="offline-note">{t.tr("app.offline")}</p>
        </Show>
    }
}

/// Drops every copy the service worker keeps (part of clearing all local data, X3).
pub fn clear_caches() {
    let Some(w) = crate::browser::window() else { return };
    let Ok(caches) = js_sys::Reflect::get(&w, &"caches".into()) else { return };
    if caches.is_undefined() {
        return;
    }
    let call = move |name: &str, arg: Option<&JsValue>| -> Option<js_sys::Promise> {
        let f = js_sys::Reflect::get(&caches, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let r = match arg {
            Some(a) => f.call1(&caches, a),
            None => f.call0(&caches),
        };
        r.ok()?.dyn_into::<js_sys::Promise>().ok()
    };
    let Some(keys) = call("keys", None) else { return };
    leptos::task::spawn_local(async move {
        let Ok(list) = wasm_bindgen_futures::JsFuture::from(keys).await else { return };
        for k in js_sys::Array::from(&list).iter() {
            if let Some(p) = call("delete", Some(&k)) {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            }
        }
    });
}
