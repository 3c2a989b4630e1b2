//! The provider's desk (`/desk`, issue 15): a department official — or the data authority —
//! answers filings in the browser. Thin over the intake's desk routes: every standing,
//! order, count, offered action and figure is computed by the intake with
//! `kaifang_core::desk`; this module fetches and shows.
//!
//! One route, its views chosen by the query (so every view is a link, Back works, and a
//! static host serves `/desk` as one page): `?view=inbox` (default, with `kind`, `state`,
//! `dataset` filters), `?view=queue` (the authority's review 复核 queue), `?view=audit`,
//! `?view=figures`, `?view=datasets`, and `?filing=REF` for one filing.
//!
//! - [`signin`]: signed out — the platform sign-in link and the department-token fallback;
//! - [`inbox`], [`filing`], [`actions`]: the inbox, a filing's full view, its action forms;
//! - [`audit`], [`figures`], [`datasets`]: the audit log (CSV), the figures, dataset status.

pub mod actions;
pub mod audit;
pub mod datasets;
pub mod figures;
pub mod filing;
pub mod inbox;
pub mod signin;

use crate::i18n::use_i18n;
use crate::net::desk::{self, Me, Role};
use crate::net::NetError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// What every part of the desk shares: where the intake is, the token (if one was
/// entered), who is signed in, and a counter bumped after each action so views refetch.
#[derive(Clone, Copy)]
pub struct Desk {
    pub base: Signal<String>,
    pub token: RwSignal<Option<String>>,
    pub me: RwSignal<Option<Me>>,
    pub changed: RwSignal<u32>,
}

impl Desk {
    pub fn auth(&self) -> Option<String> {
        self.token.get_untracked()
    }
    /// Marks the data as changed: the inbox, filing and figures fetch again.
    pub fn bump(&self) {
        self.changed.update(|n| *n += 1);
    }
}

pub fn use_desk() -> Desk {
    expect_context::<Desk>()
}

/// What a view shows while its data is on the way.
pub use crate::components::loading::loading_line as loading;

#[component]
pub fn DeskPage() -> impl IntoView {
    let t = use_i18n();
    crate::head::publish(move || {
        let portal = crate::app::use_catalog_portal()?;
        let mut h = crate::head::page(t, &portal, "desk.title", "desk.description", "/desk");
        h.noindex = true;
        Some(h)
    });
    let desk = Desk {
        base: crate::queue::use_filings().base.into(),
        token: RwSignal::new(crate::store::session::token()),
        me: RwSignal::new(None),
        changed: RwSignal::new(0),
    };
    provide_context(desk);
    // Who is signed in: a session cookie (platform sign-in) or the token entered here.
    let who = LocalResource::new(move || {
        let token = desk.token.get();
        let base = desk.base.get();
        async move { desk::me(&base, &token).await }
    });
    Effect::new(move |_| desk.me.set(who.get().and_then(Result::ok)));
    view! {
        <section class="page desk">
            <h1>{t.tr("desk.title")}</h1>
            // No Suspense around the desk's views: they switch by the query, each showing its own
            // "loading" (`loading`). Under a Suspense, opening a filing from the inbox read a
            // disposed value and panicked (found by tests/e2e/desk.test.mjs).
            {move || match who.get() {
                    // At build time and before the first answer: the sign-in box.
                    None if crate::prerender::built().is_some() => view! { <signin::SignIn error=None/> }.into_any(),
                    None => view! { <p class="loading">{t.tr("app.loading")}</p> }.into_any(),
                    Some(Ok(me)) => view! { <Signed me=me/> }.into_any(),
                    Some(Err(NetError::Http { status: 401, .. })) => {
                        // A token that no longer works is dropped, not retried on every view.
                        let stale = desk.token.get_untracked().is_some();
                        if stale {
                            crate::store::session::clear();
                        }
                        view! { <signin::SignIn error=stale.then_some("desk.signin.token_refused")/> }.into_any()
                    }
                    Some(Err(e)) => view! { <p class="last-error">{move || e.explained(t.lang())}</p> }.into_any(),
            }}
        </section>
    }
}

/// The desk once signed in: who, the views, and the one chosen.
#[component]
fn Signed(me: Me) -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let query = use_query_map();
    let view_name = move || query.with(|q| q.get("view").unwrap_or_default());
    let filing = move || query.with(|q| q.get("filing").filter(|f| !f.is_empty()));
    let authority = me.role == Role::Authority;
    let who = move || {
        if authority {
            t.fmt("desk.who.authority", &[("label", &me.label)])
        } else {
            t.fmt("desk.who.department", &[("dept", &me.department_id), ("label", &me.label)])
        }
    };
    let sign_out = move |_| {
        crate::store::session::clear();
        desk.token.set(None);
    };
    let tab = move |v: &'static str, key: &'static str| {
        let current = move || {
            if view_name() == v || (v == "inbox" && view_name().is_empty() && filing().is_none()) {
                Some("page")
            } else {
                None
            }
        };
        view! { <li><A href=format!("/desk?view={v}") attr:aria-current=current>{t.tr(key)}</A></li> }
    };
    view! {
        <p class="desk-who" data-testid="desk-who" data-role=if authority { "authority" } else { "department" }>
            {who}" "
            {desk.token.get_untracked().is_some().then(|| view! { <button type="button" class="secondary" on:click=sign_out>{t.tr("desk.signout")}</button> })}
        </p>
        <nav class="desk-views" aria-label=t.tr("desk.views")>
            <ul>
                {tab("inbox", "desk.view.inbox")}
                {authority.then(|| tab("queue", "desk.view.queue"))}
                {tab("datasets", "desk.view.datasets")}
                {tab("audit", "desk.view.audit")}
                {tab("figures", "desk.view.figures")}
            </ul>
        </nav>
        {move || match (filing(), view_name().as_str()) {
            (Some(r), _) => view! { <filing::FilingView reference=r/> }.into_any(),
            (None, "queue") => view! { <inbox::InboxView queue=true/> }.into_any(),
            (None, "audit") => view! { <audit::AuditView/> }.into_any(),
            (None, "figures") => view! { <figures::FiguresView/> }.into_any(),
            (None, "datasets") => view! { <datasets::DatasetsView/> }.into_any(),
            (None, _) => view! { <inbox::InboxView queue=false/> }.into_any(),
        }}
    }
}
