//! The citation panel (A2): GB/T 7714-2015, APA 7, BibTeX, RIS and CSL-JSON, each one
//! click to copy. The citation date follows the acquisition date (A3).

use crate::components::copy_button::CopyButton;
use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use kaifang_core::catalog::{Dataset, Portal};
use kaifang_core::cite::{CitationFormat, CitationSource};
use leptos::prelude::*;

#[component]
pub fn CitationPanel(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let id = dataset.id.clone();
    let source = Memo::new(move |_| CitationSource::new(&portal, &dataset, my.acquired(&id).date().clone()));
    view! {
        <section class="citations" aria-labelledby="cite-title">
            <details class="fold"><summary><h2 id="cite-title">{t.tr("dataset.cite.heading")}</h2></summary>
            {CitationFormat::ALL
                .into_iter()
                // A page built ahead of time cannot know the access date each format spells in
                // its own way: it carries GB/T 7714 (the day in words) and the app adds the rest.
                .filter(|f| crate::browser::window().is_some() || *f == CitationFormat::ALL[0])
                .map(|format| {
                    let text = Signal::derive(move || crate::today::shown(t, source.with(|s| s.render(format))));
                    let heading_id = format!("cite-{}", format.key());
                    view! {
                        <div class="citation">
                            <h3 id=heading_id.clone()>{format.label()}</h3>
                            <pre class="citation-text" aria-labelledby=heading_id tabindex="0"
                                data-testid=format!("cite-{}", format.key())>{text}</pre>
                            <CopyButton text=text label="dataset.cite.copy" testid=format!("cite-{}", format.key())/>
                        </div>
                    }
                })
                .collect_view()}
            {crate::browser::window().is_none().then(|| view! { <p class="hint">{t.tr("dataset.cite.more_with_js")}</p> })}
        </details>
        </section>
    }
}
