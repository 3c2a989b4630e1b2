//! Crossing to another kind of page. Each kind is a wasm module of its own
//! (`crate::modules`), so a link to another module's page is followed by the browser as a
//! full page load: it is marked `rel="external"` as it is clicked (capture phase), before the
//! router's click handler, which leaves such links alone, would take it over.

use crate::modules::Module;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Leaves links to pages outside `here` to the browser, for as long as the page lives.
pub fn leave_other_modules_to_the_browser(here: Module) {
    let Some(w) = crate::browser::window() else { return };
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        let path = ev.composed_path();
        if let Some(a) = (0..path.length()).find_map(|i| path.get(i).dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
            mark(&a, here);
        }
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
        "click",
        on_click.as_ref().unchecked_ref(),
        &options,
    );
    on_click.forget();
}

fn mark(a: &web_sys::HtmlAnchorElement, here: Module) {
    let origin = crate::browser::window().and_then(|w| w.location().origin().ok());
    if origin.is_some_and(|o| a.origin() == o) && Module::of(&a.pathname()) != here {
        let rel = a.rel();
        if !rel.split_whitespace().any(|r| r == "external") {
            a.set_rel(format!("{rel} external").trim());
        }
    }
}
