//! What each page says it is, in the document's `<head>`: its own title and description in
//! the page's language, a canonical address, Open Graph tags (a shared link shows the
//! dataset's name and publisher) and, on dataset pages, schema.org JSON-LD.
//!
//! Computed once, here. A page publishes its [`Head`] with [`publish`]; the build-time
//! renderer (src/prerender.rs) writes it into the page's HTML, and in the browser
//! [`follow_navigation`] keeps `document.title` and the meta tags in step as the app
//! navigates.

use crate::i18n::{I18n, Lang};
use kaifang_core::catalog::{Dataset, Portal};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Head {
    pub title: String,
    pub description: String,
    /// The page's address on the portal, from the root (`/datasets/x`).
    pub path: String,
    /// Open Graph type: `website`, or `article` for a dataset.
    pub og_type: &'static str,
    /// schema.org JSON-LD, ready for a `<script type="application/ld+json">`.
    pub json_ld: Option<String>,
    /// Pages no search engine should list (personal pages, not-found).
    pub noindex: bool,
    pub lang: &'static str,
}

/// The current page's head, shared through context.
#[derive(Clone, Copy)]
pub struct HeadCtx(pub RwSignal<Option<Head>>);

/// The head context of this page (provided here when the page is the first to ask).
pub fn ctx() -> HeadCtx {
    match use_context::<HeadCtx>() {
        Some(c) => c,
        None => {
            let c = HeadCtx(RwSignal::new(None));
            provide_context(c);
            c
        }
    }
}

/// A page's head: computed now at build time; followed reactively in the browser.
pub fn publish(compute: impl Fn() -> Option<Head> + Send + Sync + 'static) {
    let c = ctx();
    if crate::browser::window().is_none() {
        c.0.set(compute());
        return;
    }
    Effect::new(move |_| {
        if let Some(h) = compute() {
            c.0.set(Some(h));
        }
    });
}

/// The portal's name in the page's language.
pub fn portal_name(t: I18n, p: &Portal) -> String {
    match (t.lang(), &p.name_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => p.name.clone(),
    }
}

/// A page of the portal's own (front page, rights, forms…): `key` names its title.
pub fn page(t: I18n, portal: &Portal, title_key: &str, description_key: &str, path: &str) -> Head {
    let name = portal_name(t, portal);
    Head {
        title: format!("{} · {name}", t.get(title_key)),
        description: t.get(description_key),
        path: path.to_string(),
        og_type: "website",
        json_ld: None,
        noindex: false,
        lang: t.lang().code(),
    }
}

/// A dataset's page: its title and publisher, the start of its description, JSON-LD.
pub fn dataset(t: I18n, portal: &Portal, d: &Dataset) -> Head {
    let title = match (t.lang(), &d.title_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => d.title.clone(),
    };
    let ld = kaifang_core::schema_org::dataset(portal, d);
    Head {
        title: format!("{title} · {} · {}", d.publisher.name, portal_name(t, portal)),
        description: short(&format!("{}：{}", d.publisher.name, d.description), 160),
        path: format!("/datasets/{}", d.id),
        og_type: "article",
        json_ld: Some(kaifang_core::schema_org::script_text(&ld)),
        noindex: false,
        lang: t.lang().code(),
    }
}

/// At most `max` characters, cut at a character boundary with an ellipsis.
pub fn short(s: &str, max: usize) -> String {
    let flat = kaifang_core::attribution::one_line(s);
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// In the browser: keeps the document's title, description, canonical link and Open Graph
/// tags in step with the page shown.
pub fn follow_navigation() {
    let c = ctx();
    if crate::browser::window().is_none() {
        return;
    }
    Effect::new(move |_| {
        if let Some(h) = c.0.get() {
            apply(&h);
        }
    });
}

fn apply(h: &Head) {
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    doc.set_title(&h.title);
    let set = |selector: &str, attr: &str, value: &str| {
        if let Ok(Some(el)) = doc.query_selector(selector) {
            let _ = el.set_attribute(attr, value);
        }
    };
    set("meta[name=description]", "content", &h.description);
    set("meta[property='og:title']", "content", &h.title);
    set("meta[property='og:description']", "content", &h.description);
    if let Ok(Some(el)) = doc.query_selector("link[rel=canonical]") {
        let base = el.get_attribute("data-base").unwrap_or_default();
        let _ = el.set_attribute("href", &format!("{base}{}", h.path));
        set("meta[property='og:url']", "content", &format!("{base}{}", h.path));
    }
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn short_cuts_at_characters_and_flattens_lines() {
        assert_eq!(short("公交站点\n数据", 10), "公交站点 数据");
        assert_eq!(short("一二三四五六", 4), "一二三…");
    }
}
