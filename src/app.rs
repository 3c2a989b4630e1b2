//! The app shell: routes, header (with the language switch) and footer.

use crate::i18n::{provide_i18n, use_i18n, Lang};
use crate::modules::Module;
use crate::net::{self, NetError};
use crate::pages::{
    dataset::DatasetPage, desk::DeskPage, filing::FilingPage, my::MyDataPage, my_filings::MyFilings,
    not_found::NotFound, rights::Rights, search::SearchPage,
};
use kaifang_core::catalog::CatalogIndex;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// `catalog.json`, loaded once and shared by every page.
#[derive(Clone, Copy)]
pub enum CatalogCtx {
    /// In the browser: fetched once (taken over from index.html's early fetch, or `net`).
    Fetched(LocalResource<Result<CatalogIndex, NetError>>),
    /// While pages are rendered at build time: the catalog they are built from.
    Built(StoredValue<CatalogIndex>),
}

impl CatalogCtx {
    /// The catalog once it is here (reactive, like the resource it stands for).
    pub fn get(&self) -> Option<Result<CatalogIndex, NetError>> {
        match self {
            CatalogCtx::Fetched(r) => r.get(),
            CatalogCtx::Built(c) => Some(Ok(c.get_value())),
        }
    }
}

pub fn use_catalog() -> CatalogCtx {
    expect_context::<CatalogCtx>()
}

/// The portal's description once the catalog is here (reactive).
pub fn use_catalog_portal() -> Option<kaifang_core::catalog::Portal> {
    use_catalog().get()?.ok().map(|c| c.portal)
}

/// The home module (`kaifang-web`, `crate::modules`): the front page, browse pages, rights
/// and the not-found page. Each kind of page is a module of its own, so a
/// visitor downloads only the code of the page they opened; a route of another module is
/// loaded in full ([`Elsewhere`]).
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Shell module=Module::Home>
            <Routes fallback=|| view! { <Elsewhere here=Module::Home/> }>
                <Route path=path!("/") view=SearchPage/>
                // Browse pages (kaifang_core::search::browse): the listing as files.
                <Route path=path!("/page/:n") view=SearchPage/>
                <Route path=path!("/browse/:facet/:key") view=SearchPage/>
                <Route path=path!("/browse/:facet/:key/page/:n") view=SearchPage/>
                <Route path=path!("/rights") view=Rights/>
            </Routes>
        </Shell>
    }
}

/// A dataset's page (`kaifang-dataset`).
#[component]
pub fn DatasetApp() -> impl IntoView {
    view! {
        <Shell module=Module::Dataset>
            <Routes fallback=|| view! { <Elsewhere here=Module::Dataset/> }>
                <Route path=path!("/datasets/:id") view=DatasetPage/>
            </Routes>
        </Shell>
    }
}

/// The filing forms (`kaifang-filing`).
#[component]
pub fn FilingApp() -> impl IntoView {
    view! {
        <Shell module=Module::Filing>
            <Routes fallback=|| view! { <Elsewhere here=Module::Filing/> }>
                <Route path=path!("/file/:kind") view=FilingPage/>
            </Routes>
        </Shell>
    }
}

/// A person's own pages, "my data" and "my filings" (`kaifang-my`).
#[component]
pub fn MyApp() -> impl IntoView {
    view! {
        <Shell module=Module::My>
            <Routes fallback=|| view! { <Elsewhere here=Module::My/> }>
                <Route path=path!("/my") view=MyDataPage/>
                <Route path=path!("/filings") view=MyFilings/>
            </Routes>
        </Shell>
    }
}

/// The provider's desk for departments and the data authority (`kaifang-desk`).
#[component]
pub fn DeskApp() -> impl IntoView {
    view! {
        <Shell module=Module::Desk>
            <Routes fallback=|| view! { <Elsewhere here=Module::Desk/> }>
                <Route path=path!("/desk") view=DeskPage/>
            </Routes>
        </Shell>
    }
}

/// A route this module does not hold. Another module's page reached inside the app (links
/// to them are left to the browser, `crate::crossing`; this catches the rest) is loaded from
/// the server, whose page runs the module that holds it. On a first load the server has
/// answered already (the not-found page, or a host serving one shell for every address):
/// the not-found page, never a reload.
#[component]
fn Elsewhere(here: Module) -> impl IntoView {
    let loc = leptos_router::hooks::use_location();
    let path = loc.pathname.get_untracked();
    let window = crate::browser::window();
    let first_load = window.as_ref().is_none_or(|w| w.location().pathname().ok().as_deref() == Some(path.as_str()));
    if Module::of(&path) == here || first_load {
        return view! { <NotFound/> }.into_any();
    }
    // The router's search comes without its `?`; its hash with or without the `#`.
    let search = loc.search.get_untracked();
    let query = if search.is_empty() { search } else { format!("?{search}") };
    let hash = loc.hash.get_untracked();
    let hash = if hash.is_empty() || hash.starts_with('#') { hash } else { format!("#{hash}") };
    if let Some(w) = window {
        let _ = w.location().assign(&format!("{path}{query}{hash}"));
    }
    crate::components::loading::loading_line().into_any()
}

/// What every page of `module` shares: the contexts (language, my data, catalog, filings, sign-in, head,
/// offline), the router, header, `<main>` and footer.
#[component]
fn Shell(module: Module, children: Children) -> impl IntoView {
    provide_i18n();
    crate::crossing::leave_other_modules_to_the_browser(module);
    crate::mydata::provide_my_data();
    let catalog = match crate::prerender::built() {
        Some(b) => CatalogCtx::Built(StoredValue::new(b.catalog)),
        None => CatalogCtx::Fetched(LocalResource::new(net::load_catalog)),
    };
    provide_context(catalog);
    crate::queue::provide_filings_for(catalog);
    crate::signin::provide_sign_in();
    crate::head::follow_navigation();
    crate::offline::use_offline();
    crate::offline::register();
    view! {
        <Router>
            <Header/>
            <main id="main" tabindex="-1">{children()}</main>
            <Footer/>
            <crate::offline::OfflineNote/>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let t = use_i18n();
    let catalog = use_catalog();
    let portal_name = move || match catalog.get() {
        Some(Ok(c)) => match (t.lang(), c.portal.name_en) {
            (Lang::En, Some(en)) => en,
            _ => c.portal.name,
        },
        _ => t.get("app.name"),
    };
    let other = move || if t.lang() == Lang::Zh { Lang::En } else { Lang::Zh };
    let menu = NodeRef::<leptos::html::Details>::new();
    // A link followed inside the app does not reload the page: close the menu behind it.
    let close_menu = move |_| {
        if let Some(d) = menu.get() {
            let _ = d.remove_attribute("open");
        }
    };
    let links = move |in_menu: bool| {
        let item = move |href: &'static str, key: &'static str| {
            let a = view! { <A href=href on:click=close_menu>{t.tr(key)}</A> };
            if in_menu {
                view! { <li>{a}</li> }.into_any()
            } else {
                a.into_any()
            }
        };
        [
            ("/", "app.nav.catalog"),
            ("/my", "dataset.my.link"),
            ("/filings", "filing.nav.filings"),
            ("/rights", "filing.nav.rights"),
        ]
        .into_iter()
        .map(|(href, key)| item(href, key))
        .collect_view()
    };
    let lang_button = move |class: &'static str| {
        view! {
            <button
                type="button"
                class=class
                lang=move || other().code()
                aria-label=t.tr("app.lang_switch_label")
                on:click=move |_| t.set_lang(other())
            >
                {t.tr("app.lang_switch")}
            </button>
        }
    };
    // Wide screens: the links and the language in the bar. Phones (style/main.css): one line,
    // the site name and a menu (<details>, so it opens in the page as built, before any wasm)
    // holding the links and the language. Only one of the two is displayed at a width, so
    // only one is in the accessibility tree.
    view! {
        <a class="skip-link" href="#main">{t.tr("app.skip_to_content")}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">{portal_name}</A>
            <nav aria-label="main" class="nav-wide">{links(false)}</nav>
            <crate::signin::SignInLink/>
            {lang_button("lang-switch")}
            <details class="nav-menu" node_ref=menu>
                <summary>{t.tr("app.menu")}</summary>
                <nav aria-label=t.tr("app.menu")>
                    <ul>{links(true)}</ul>
                    {lang_button("menu-lang")}
                </nav>
            </details>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let t = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t.tr("app.footer.about")}</p>
            // Officials' way in; not in the header, which is the public's.
            <p><A href="/desk">{t.tr("desk.nav.link")}</A></p>
        </footer>
    }
}
