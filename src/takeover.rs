//! How the app takes over a page the build rendered (src/prerender.rs).
//!
//! The page's HTML already shows everything a reader needs. The app renders the same
//! components into a hidden sibling laid out at the same width, and swaps it in at once when
//! its page is complete — every part the built page shows is there, nothing is loading — so
//! the reader sees no flash and no jump. Not Leptos's hydration: the first render in the
//! browser legitimately differs from the build's (the reader's language, day, favourites and
//! the intake's live status), which hydration would have to match node for node.
//!
//! A page without pre-rendered content (`trunk serve`, an old host) is mounted as before.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Parts of a built page the app's page must show before it replaces it.
const LANDMARKS: &[&str] = &[
    "main h1",
    "[data-testid=attribution-box]",
    "section.metadata",
    "section.fields",
    "#search-results li",
    ".preview-body table tbody tr",
    "ul.rights-kinds",
];

/// Longest wait for the app's page to be complete; it is swapped in then regardless, so
/// the reader gets a working page (with its own error or loading line) rather than none.
pub const MAX_WAIT_MS: f64 = 10_000.0;

/// A module's `main` (`src/main.rs`, `src/bin/*.rs`; `crate::modules`): the panic hook, the
/// app's start for the timing benchmark, the layout limit measured while the page is still
/// empty, then `app` mounted.
pub fn main_of<V: IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    crate::timing::mark(crate::timing::APP_START);
    // Before anything is mounted: measuring lays out the (still empty) page.
    crate::browser::measure_layout_limit();
    start(app);
}

/// Mounts `app` (one module's, `crate::app`): over the built page when there is one, else
/// into the empty body.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    let built = doc.get_element_by_id("app").filter(|e| e.has_attribute("data-prerendered"));
    let Some(next) = built.as_ref().and_then(|b| hidden_sibling(&doc, b)) else {
        leptos::mount::mount_to_body(app);
        return;
    };
    leptos::mount::mount_to(next.clone(), app).forget();
    let started = crate::pace::now_ms();
    wait_then_swap(built.expect("a sibling needs the built page"), next, started);
}

/// `<div id="app-next">` after the built page: laid out (so the grid measures its rows),
/// invisible, out of the tab order and the accessibility tree.
fn hidden_sibling(doc: &web_sys::Document, built: &web_sys::Element) -> Option<web_sys::HtmlElement> {
    let next: web_sys::HtmlElement = doc.create_element("div").ok()?.dyn_into().ok()?;
    next.set_id("app-next");
    let _ = next.set_attribute("aria-hidden", "true");
    let _ = next.set_attribute("inert", "");
    let _ = next.set_attribute("style", "position:absolute;top:0;left:0;right:0;visibility:hidden;pointer-events:none");
    built.parent_node()?.insert_before(&next, built.next_sibling().as_ref()).ok()?;
    Some(next)
}

fn wait_then_swap(built: web_sys::Element, next: web_sys::HtmlElement, started: f64) {
    request_animation_frame(move || {
        let waited = crate::pace::now_ms() - started;
        if complete(&built, &next) || waited > MAX_WAIT_MS {
            swap(&built, &next);
        } else {
            wait_then_swap(built, next, started);
        }
    });
}

/// Nothing is loading in the app's page, and it shows every landmark the built page shows —
/// unless the address has a query (a search, a form's dataset), which the build could not
/// know: then the built page is not this page, and the app's replaces it once it is ready.
fn complete(built: &web_sys::Element, next: &web_sys::HtmlElement) -> bool {
    let queried = crate::browser::window().and_then(|w| w.location().search().ok()).is_some_and(|q| !q.is_empty());
    if queried {
        return !has(next, "main .loading") && !has(next, "[aria-busy=true]");
    }
    shows_all_of(built, next, "main .loading")
}

/// Nothing in `next` is loading (`loading`, or marked busy), and it shows every landmark
/// `built` shows. A landmark inside a built part that `next` has a slot for counts as shown:
/// the swap moves the built part there (crate::lazy).
pub fn shows_all_of(built: &web_sys::Element, next: &web_sys::Element, loading: &str) -> bool {
    let shown = |sel: &str| {
        let Some(found) = built.query_selector(sel).ok().flatten() else { return true };
        let adopted = found.closest("[data-lazy]").ok().flatten().and_then(|p| p.get_attribute("data-lazy"));
        has(next, sel) || adopted.is_some_and(|key| has(next, &format!("[data-lazy-slot=\"{key}\"]")))
    };
    !has(next, loading) && !has(next, "[aria-busy=true]") && LANDMARKS.iter().all(|sel| shown(sel))
}

fn has(el: &web_sys::Element, sel: &str) -> bool {
    el.query_selector(sel).ok().flatten().is_some()
}

/// Replaces the built page with the app's, keeping what the reader typed and where they are.
fn swap(built: &web_sys::Element, next: &web_sys::HtmlElement) {
    carry_search_text(built, next);
    crate::lazy::adopt_built_parts(built, next);
    built.remove();
    next.set_id("app");
    for a in ["aria-hidden", "inert", "style"] {
        let _ = next.remove_attribute(a);
    }
    let _ = next.set_attribute("data-taken-over", "");
    crate::timing::mark(crate::timing::TAKEN_OVER);
}

/// A reader who started typing into the built page's search box keeps the text and focus.
fn carry_search_text(built: &web_sys::Element, next: &web_sys::HtmlElement) {
    let find = |el: &web_sys::Element| -> Option<web_sys::HtmlInputElement> {
        el.query_selector("#search-q").ok().flatten()?.dyn_into().ok()
    };
    let (Some(old), Some(new)) = (find(built), find(next)) else { return };
    let typed = old.value();
    let focused = crate::browser::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|a| &a == AsRef::<web_sys::Element>::as_ref(&old));
    if !typed.is_empty() && typed != new.value() {
        new.set_value(&typed);
        // The app's search follows its input event, as if the reader had typed here.
        if let Ok(ev) = web_sys::Event::new("input") {
            let _ = new.dispatch_event(&ev);
        }
    }
    if focused {
        let _ = new.focus();
    }
}
