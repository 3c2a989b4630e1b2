//! Pages rendered at build time from the app's own components (one source of markup).
//!
//! `kaifang render` (crates/cli/src/render/) hands each page the data that in the browser
//! is fetched — the catalog summary, a dataset's record, a listing's results — as
//! [`Built`] in context; the components read it where they would read their resources,
//! and Leptos renders them to HTML natively (the `ssr` feature). In the browser the app
//! renders the same components off screen and swaps them in once its page is complete
//! (src/takeover.rs), so what a reader or a crawler receives first is the real page.

use crate::search::run::ResultsView;
use kaifang_core::catalog::{CatalogIndex, Dataset};
use kaifang_core::table::{Layout, Table};
use leptos::prelude::*;

/// What a page is built from.
#[derive(Debug, Clone)]
pub struct Built {
    pub catalog: CatalogIndex,
    /// A dataset page's record.
    pub dataset: Option<Dataset>,
    /// A listing's results (front page and browse pages).
    pub results: Option<ResultsView>,
    /// A dataset page's first screen of preview rows: the file the preview opens first.
    pub first_rows: Option<FirstRows>,
}

/// The first rows of a file, read by the build with the parser the preview uses.
#[derive(Debug, Clone)]
pub struct FirstRows {
    /// The file's path in the catalog (`files/…`).
    pub path: String,
    pub layout: Layout,
    pub table: Table,
    /// The rows are the whole file.
    pub whole: bool,
}

/// The build's data, while rendering at build time; `None` in the browser.
pub fn built() -> Option<Built> {
    use_context::<Built>()
}

/// A page's body and head, rendered.
#[cfg(feature = "ssr")]
pub struct Rendered {
    /// The app's markup, to go inside `<div id="app">`.
    pub body: String,
    pub head: Option<crate::head::Head>,
}

/// Renders the app at `path` (a route, without query) over `built`, with the module that
/// holds the route.
#[cfg(feature = "ssr")]
pub fn render(path: &str, built: Built) -> Rendered {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(path));
        provide_context(built);
        // Provided here, above the app, so the head the page publishes can be read after.
        let head = crate::head::ctx();
        use crate::modules::Module;
        let body = match Module::of(path) {
            Module::Home => view! { <crate::app::App/> }.to_html(),
            Module::Dataset => view! { <crate::app::DatasetApp/> }.to_html(),
            Module::Filing => view! { <crate::app::FilingApp/> }.to_html(),
            Module::My => view! { <crate::app::MyApp/> }.to_html(),
            Module::Desk => view! { <crate::app::DeskApp/> }.to_html(),
        };
        Rendered { body, head: head.0.get_untracked() }
    })
}
