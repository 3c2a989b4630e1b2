//! Parts of a page whose code loads on first use (issue 13). The dataset page's preview and
//! charts are split off the dataset module's wasm (`src/bin/dataset.rs`, xtask/src/split.rs):
//! about half its bytes, which a reader needs only once they scroll, sort, filter or draw.
//!
//! A part renders as `<div class="lazy-part" data-lazy-slot=K><div data-lazy=K>…</div></div>`:
//!
//! - at build time, its view at once (the page's HTML holds everything);
//! - in the browser without a built page (a page reached inside the app), its view as soon as
//!   its code has arrived, with a loading line until then;
//! - over a built page, an empty slot. The takeover moves the built part into it
//!   ([`adopt_built_parts`]), so the reader keeps the rows the build showed and the page is
//!   the app's without waiting for the part's code. The code is asked for when the reader first
//!   reaches for the part (a pointer over it, focus, a key, a wheel, a touch). The part's own
//!   view is then built hidden beside the built one and swapped in once it shows everything
//!   the built one shows (the takeover's rule, [`crate::takeover::shows_all_of`]); what the
//!   reader typed, scrolled and focused is carried over and a click that came first is made
//!   again on the same control.
//!
//! A module provides its parts' loaders once at start ([`provide`]); a module without them
//! never renders these parts (`crate::modules`: only the dataset module has dataset pages).

use crate::components::preview::PreviewProps;
use kaifang_core::catalog::{Dataset, Portal};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A part split off a module's wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The preview of one file (`components::preview::Preview`).
    Preview,
    /// The chart panel (`charts::panel::ChartPanel`).
    Charts,
}

impl Part {
    pub fn key(self) -> &'static str {
        match self {
            Part::Preview => "preview",
            Part::Charts => "charts",
        }
    }
}

/// A part's view, once its code has arrived.
pub type Loading = Pin<Box<dyn Future<Output = AnyView>>>;

/// The split functions of a module (`src/bin/dataset.rs`).
#[derive(Clone, Copy)]
pub struct Loaders {
    pub preview: fn(PreviewProps) -> Loading,
    pub charts: fn(Portal, Dataset) -> Loading,
}

static LOADERS: std::sync::OnceLock<Loaders> = std::sync::OnceLock::new();

/// Called by a module's `main` before the app mounts.
pub fn provide(loaders: Loaders) {
    let _ = LOADERS.set(loaders);
}

/// The preview of one file, its code loaded on first use.
pub fn preview(props: PreviewProps) -> AnyView {
    #[cfg(not(target_arch = "wasm32"))]
    return frame(Part::Preview, crate::components::preview::Preview(props).into_any());
    #[cfg(target_arch = "wasm32")]
    return part(Part::Preview, move |l| (l.preview)(props));
}

/// The chart panel, its code loaded on first use.
pub fn charts(portal: Portal, dataset: Dataset) -> AnyView {
    #[cfg(not(target_arch = "wasm32"))]
    return frame(Part::Charts, view! { <crate::charts::panel::ChartPanel portal=portal dataset=dataset/> }.into_any());
    #[cfg(target_arch = "wasm32")]
    return part(Part::Charts, move |l| (l.charts)(portal, dataset));
}

/// At build time: the part's view in its slot.
#[cfg(not(target_arch = "wasm32"))]
fn frame(part: Part, view: AnyView) -> AnyView {
    view! { <div class="lazy-part" data-lazy-slot=part.key()><div data-lazy=part.key()>{view}</div></div> }.into_any()
}

/// Whether the page being taken over holds this part as built (the app then adopts it).
pub fn adopts(part: Part) -> bool {
    #[cfg(target_arch = "wasm32")]
    return browser::built_part(part.key()).is_some();
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = part;
        false
    }
}

/// At swap time (`crate::takeover`): each built part moves into the app's empty slot for it.
pub fn adopt_built_parts(built: &web_sys::Element, next: &web_sys::Element) {
    let Ok(slots) = next.query_selector_all("[data-lazy-slot]") else { return };
    for i in 0..slots.length() {
        let Some(slot) = slots.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) else {
            continue;
        };
        let key = slot.get_attribute("data-lazy-slot").unwrap_or_default();
        let own = slot.query_selector(&format!("[data-lazy=\"{key}\"]")).ok().flatten();
        let found = built.query_selector(&format!("[data-lazy=\"{key}\"]")).ok().flatten();
        if let (None, Some(found)) = (own, found) {
            let _ = found.set_attribute("data-adopted", "");
            let _ = slot.prepend_with_node_1(&found);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn part<F: FnOnce(&Loaders) -> Loading + 'static>(part: Part, load: F) -> AnyView {
    let t = crate::i18n::use_i18n();
    let adopting = adopts(part);
    let load = StoredValue::new_local(Some(load));
    let wanted = RwSignal::new(!adopting);
    let slot = NodeRef::<leptos::html::Div>::new();
    if adopting {
        Effect::new(move |_| {
            if let Some(el) = slot.get() {
                browser::arm(&el, wanted);
            }
        });
    }
    // Runs once more, when `wanted` turns true (it never turns back).
    let view = move || {
        if !wanted.get() {
            return None;
        }
        let load = load.try_update_value(Option::take).flatten()?;
        Some(match LOADERS.get() {
            Some(loaders) => view! { <Arriving part=part adopting=adopting loading=load(loaders)/> }.into_any(),
            None => view! { <p class="error" role="alert">{t.tr("preview.error")}" "{part.key()}</p> }.into_any(),
        })
    };
    view! { <div class="lazy-part" data-lazy-slot=part.key() node_ref=slot>{view}</div> }.into_any()
}

/// The part's view once its code has arrived: in view at once (a loading line until then),
/// or, adopting, hidden beside the built part until it can replace it.
#[cfg(target_arch = "wasm32")]
#[component]
fn Arriving(part: Part, adopting: bool, loading: Loading) -> impl IntoView {
    let t = crate::i18n::use_i18n();
    let holder = NodeRef::<leptos::html::Div>::new();
    let arrived = StoredValue::new_local(None::<AnyView>);
    let ready = RwSignal::new(false);
    // With this owner: the part's components read the page's contexts (language, my data…).
    // Dropped with it: a part that arrives after the page moved on (the intake's overlay
    // suspended the dataset, the reader left) must not build its view without those contexts.
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        let view = loading.await;
        arrived.set_value(Some(view));
        ready.set(true);
    });
    if adopting {
        Effect::new(move |_| {
            if let (true, Some(el)) = (ready.get(), holder.get()) {
                browser::replace_when_ready(el.into());
            }
        });
    }
    let content = move || match (ready.get(), adopting) {
        (true, _) => arrived.try_update_value(Option::take).flatten(),
        (false, false) => Some(view! { <p class="loading">{t.tr("preview.loading")}</p> }.into_any()),
        (false, true) => None,
    };
    view! {
        <div data-lazy=part.key() node_ref=holder style=adopting.then_some(browser::HIDDEN_STYLE)
            aria-hidden=adopting.then_some("true") inert=adopting>
            {content}
        </div>
    }
}

/// The browser side: finding the built part, the first use, and the swap.
#[cfg(target_arch = "wasm32")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// A part's view while it is built beside the built one: laid out (the grid measures its
    /// rows) but unseen, out of the tab order and the accessibility tree.
    pub const HIDDEN_STYLE: &str = "position:absolute;top:0;left:0;right:0;visibility:hidden;pointer-events:none";

    /// What counts as reaching for a part: the first of these asks for its code.
    const FIRST_USE: &[&str] = &["pointerover", "pointerdown", "focusin", "keydown", "wheel", "touchstart"];

    pub fn built_part(key: &str) -> Option<web_sys::Element> {
        let w = crate::browser::window()?;
        if w.location().search().ok().is_some_and(|q| !q.is_empty()) {
            return None;
        }
        let doc = w.document()?;
        doc.query_selector(&format!("#app[data-prerendered] [data-lazy=\"{key}\"]")).ok().flatten()
    }

    /// Listens on the slot for the first use; a click before the part is swapped in is held
    /// (and made again after, [`replace_when_ready`]).
    pub fn arm(slot: &web_sys::Element, wanted: RwSignal<bool>) {
        let want = Closure::<dyn Fn()>::new(move || {
            if !wanted.get_untracked() {
                wanted.set(true);
            }
        });
        for kind in FIRST_USE {
            let _ = slot.add_event_listener_with_callback_and_bool(kind, want.as_ref().unchecked_ref(), true);
        }
        want.forget();
        let root = slot.clone();
        let hold = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let Some(adopted) = adopted_in(&root) else { return };
            if !adopted.contains(Some(&target)) {
                return;
            }
            ev.prevent_default();
            ev.stop_propagation();
            if let Some(path) = path_of(&adopted, &target) {
                let _ = adopted
                    .set_attribute("data-held-click", &path.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
            }
            if !wanted.get_untracked() {
                wanted.set(true);
            }
        });
        let _ = slot.add_event_listener_with_callback_and_bool("click", hold.as_ref().unchecked_ref(), true);
        hold.forget();
    }

    fn adopted_in(slot: &web_sys::Element) -> Option<web_sys::Element> {
        slot.query_selector(":scope > [data-adopted]").ok().flatten()
    }

    /// Swaps the part's view (`fresh`, hidden in the slot) in for the adopted built part once
    /// it shows all the built part shows; after the takeover's longest wait, regardless.
    pub fn replace_when_ready(fresh: web_sys::Element) {
        let started = crate::pace::now_ms();
        wait(fresh, started);
    }

    fn wait(fresh: web_sys::Element, started: f64) {
        request_animation_frame(move || {
            let Some(slot) = fresh.parent_element() else { return };
            let Some(adopted) = adopted_in(&slot) else {
                show(&fresh);
                return;
            };
            let timed_out = crate::pace::now_ms() - started > crate::takeover::MAX_WAIT_MS;
            if crate::takeover::shows_all_of(&adopted, &fresh, ".loading") || timed_out {
                swap(&adopted, &fresh);
            } else {
                wait(fresh, started);
            }
        });
    }

    fn show(fresh: &web_sys::Element) {
        for a in ["style", "aria-hidden", "inert"] {
            let _ = fresh.remove_attribute(a);
        }
    }

    fn swap(adopted: &web_sys::Element, fresh: &web_sys::Element) {
        let focused = crate::browser::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .filter(|a| adopted.contains(Some(a)))
            .and_then(|a| path_of(adopted, &a));
        let held = adopted.get_attribute("data-held-click");
        carry_fields(adopted, fresh);
        let scrolls = scrolled(adopted);
        adopted.remove();
        show(fresh);
        for (path, top, left) in scrolls {
            if let Some(el) = at_path(fresh, &path) {
                el.set_scroll_top(top);
                el.set_scroll_left(left);
            }
        }
        if let Some(el) =
            focused.and_then(|p| at_path(fresh, &p)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
        let held = held.map(|h| h.split('.').filter_map(|i| i.parse().ok()).collect::<Vec<u32>>());
        if let Some(el) = held.and_then(|p| at_path(fresh, &p)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.click();
        }
    }

    /// What the reader typed or picked in the built part's fields, into the same fields, and
    /// the sections they opened.
    fn carry_fields(from: &web_sys::Element, to: &web_sys::Element) {
        if let Ok(open) = from.query_selector_all("details[open]") {
            for i in 0..open.length() {
                let Some(old) = open.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
                if let Some(new) = path_of(from, &old).and_then(|p| at_path(to, &p)) {
                    let _ = new.set_attribute("open", "");
                }
            }
        }
        let Ok(fields) = from.query_selector_all("input, select, textarea") else { return };
        for i in 0..fields.length() {
            let Some(old) = fields.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            let Some(new) = path_of(from, &old).and_then(|p| at_path(to, &p)) else { continue };
            let (old_value, new_value) = (value_of(&old), value_of(&new));
            if old_value.is_some() && old_value != new_value {
                set_value(&new, old_value.as_deref().unwrap_or_default());
                for kind in ["input", "change"] {
                    if let Ok(ev) = web_sys::Event::new_with_event_init_dict(kind, &{
                        let init = web_sys::EventInit::new();
                        init.set_bubbles(true);
                        init
                    }) {
                        let _ = new.dispatch_event(&ev);
                    }
                }
            }
        }
    }

    fn value_of(el: &web_sys::Element) -> Option<String> {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            return Some(i.value());
        }
        if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            return Some(s.value());
        }
        el.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|t| t.value())
    }

    fn set_value(el: &web_sys::Element, value: &str) {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            i.set_value(value);
        } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            s.set_value(value);
        } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            t.set_value(value);
        }
    }

    /// Elements scrolled away from their start, by path.
    fn scrolled(root: &web_sys::Element) -> Vec<(Vec<u32>, i32, i32)> {
        let mut out = Vec::new();
        let Ok(all) = root.query_selector_all("*") else { return out };
        for i in 0..all.length() {
            let Some(el) = all.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            if el.scroll_top() != 0 || el.scroll_left() != 0 {
                if let Some(p) = path_of(root, &el) {
                    out.push((p, el.scroll_top(), el.scroll_left()));
                }
            }
        }
        out
    }

    /// The element's place under `root`: the index among its element siblings at each level.
    fn path_of(root: &web_sys::Element, el: &web_sys::Element) -> Option<Vec<u32>> {
        let mut path = Vec::new();
        let mut at = el.clone();
        while &at != root {
            let mut index = 0;
            let mut sibling = at.previous_element_sibling();
            while let Some(s) = sibling {
                index += 1;
                sibling = s.previous_element_sibling();
            }
            path.push(index);
            at = at.parent_element()?;
        }
        path.reverse();
        Some(path)
    }

    fn at_path(root: &web_sys::Element, path: &[u32]) -> Option<web_sys::Element> {
        let mut at = root.clone();
        for &index in path {
            let mut child = at.first_element_child()?;
            for _ in 0..index {
                child = child.next_element_sibling()?;
            }
            at = child;
        }
        Some(at)
    }
}
