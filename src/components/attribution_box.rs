//! The data-source attribution shown on every dataset page (A1), with the acquisition
//! date of A3: the day of the user's last download on this device, else today.

use crate::components::copy_button::CopyButton;
use crate::i18n::{use_i18n, Lang};
use crate::mydata::use_my_data;
use kaifang_core::attribution::Attribution;
use kaifang_core::catalog::{Dataset, Portal};
use leptos::prelude::*;

#[component]
pub fn AttributionBox(portal: Portal, dataset: Dataset) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let id = dataset.id.clone();
    let acquired = Memo::new(move |_| my.acquired(&id));
    let attribution = Memo::new(move |_| Attribution::new(&portal, &dataset, acquired.get().date().clone()));
    let line = Signal::derive(move || {
        let a = attribution.get();
        let line = match t.lang() {
            Lang::Zh => a.line_zh(),
            Lang::En => a.line_en(),
        };
        crate::today::shown(t, line)
    });
    let field = move |f: fn(&Attribution) -> String| move || attribution.with(|a| f(a));
    view! {
        <section class="attribution" aria-labelledby="attribution-title" data-testid="attribution-box">
            <h2 id="attribution-title">{t.tr("record.attribution")}</h2>
            <dl class="attribution-parts">
                <div><dt>{t.tr("dataset.attribution.department")}</dt><dd>{field(|a| a.department.clone())}</dd></div>
                <div><dt>{t.tr("dataset.attribution.title")}</dt><dd>{field(|a| a.title.clone())}</dd></div>
                <div><dt>{t.tr("dataset.attribution.platform")}</dt><dd>{field(|a| a.platform.clone())}</dd></div>
                <div>
                    <dt>{t.tr("dataset.attribution.address")}</dt>
                    <dd><a href=field(|a| a.url.clone()) rel="noopener">{field(|a| a.url.clone())}</a></dd>
                </div>
                <div>
                    <dt>{t.tr("dataset.attribution.acquired")}</dt>
                    <dd data-testid="acquired-date">
                        {move || crate::today::shown(t, attribution.with(|a| a.acquired.to_string()))}" "
                        <span class="hint">
                            {move || if acquired.get().was_downloaded() {
                                t.get("dataset.attribution.acquired_downloaded")
                            } else {
                                t.get("dataset.attribution.acquired_today")
                            }}
                        </span>
                    </dd>
                </div>
            </dl>
            <p class="attribution-line" data-testid="attribution-line">{line}</p>
            <CopyButton text=line label="dataset.attribution.copy" testid="attribution".to_string()/>
            <p class="hint">{t.tr("record.attribution_hint")}</p>
        </section>
    }
}
