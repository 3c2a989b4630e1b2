//! "Use this data": snippets (curl, pandas, R, Rust) that fetch each file by its absolute
//! address and carry the attribution as a comment (`kaifang_core::usage`).

use crate::browser::origin;
use crate::components::copy_button::CopyButton;
use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use crate::net;
use kaifang_core::attribution::Attribution;
use kaifang_core::bundle::{downloadable, file_name};
use kaifang_core::catalog::{Dataset, Portal};
use kaifang_core::usage::{snippet, SnippetInput, SnippetLang, TextEncoding};
use leptos::prelude::*;

#[component]
pub fn UsagePanel(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    if !downloadable(&dataset) || dataset.distributions.is_empty() {
        return None;
    }
    // Snippets name the first file; datasets with several files show one block per file.
    let blocks = dataset
        .distributions
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, dist)| {
            let (portal, dataset) = (portal.clone(), dataset.clone());
            // At build time the page's own address is the portal's public one.
            let here = if crate::browser::window().is_some() {
                origin()
            } else {
                portal.url.trim_end_matches('/').to_string()
            };
            let url = format!("{here}{}", net::catalog_url(&dist.path));
            let name = file_name(&dist);
            let id = dataset.id.clone();
            let attribution = Memo::new(move |_| Attribution::new(&portal, &dataset, my.acquired(&id).date().clone()));
            let langs = SnippetLang::ALL
                .into_iter()
                .map(|lang| {
                    let (url, name, format, enc) =
                        (url.clone(), name.clone(), dist.format.clone(), dist.encoding.clone());
                    let code = Signal::derive(move || {
                        crate::today::shown(
                            t,
                            attribution.with(|a| {
                                snippet(
                                    lang,
                                    &SnippetInput {
                                        file_url: &url,
                                        file_name: &name,
                                        format: &format,
                                        encoding: TextEncoding::from_label(enc.as_deref()),
                                        attribution: a,
                                    },
                                )
                            }),
                        )
                    });
                    let testid = format!("snippet-{i}-{}", lang.key());
                    view! {
                        <div class="snippet">
                            <h4>{lang.label()}</h4>
                            <pre tabindex="0" data-testid=testid.clone()><code>{code}</code></pre>
                            <CopyButton text=code label="dataset.cite.copy" testid=testid/>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="usage-file">
                    <h3>{dist.title.clone()}</h3>
                    {langs}
                </div>
            }
        })
        .collect_view();
    Some(view! {
        <section class="usage" aria-labelledby="usage-title">
            <details class="fold"><summary><h2 id="usage-title">{t.tr("dataset.usage.heading")}</h2></summary>
            <p class="hint">{t.tr("dataset.usage.intro")}</p>
            {blocks}
        </details>
        </section>
    })
}
