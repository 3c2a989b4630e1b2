//! The audit log of the department's filings, datasets and tokens (the whole log for the
//! authority), newest first, older pages on demand, and the CSV export (UTF-8 with BOM,
//! formula-safe; the intake logs the export itself).

use super::use_desk;
use crate::components::data_table::ColumnHeads;
use crate::i18n::use_i18n;
use crate::net::desk::{self, AuditEntry};
use leptos::prelude::*;

/// The audit table's column headings.
const COLUMNS: &[&str] = &["desk.audit.at", "desk.audit.actor", "desk.audit.action", "desk.audit.subject"];

#[component]
pub fn AuditView() -> impl IntoView {
    let t = use_i18n();
    let desk = use_desk();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let load = move |before: Option<i64>| {
        let (base, token, lang) = (desk.base.get_untracked(), desk.auth(), t.lang());
        leptos::task::spawn_local(async move {
            match desk::audit(&base, &token, before).await {
                Ok(page) => {
                    done.set(page.is_empty());
                    entries.update(|e| e.extend(page));
                }
                Err(e) => error.set(Some(e.explained(lang))),
            }
        });
    };
    load(None);
    let older = move |_| load(entries.with_untracked(|e| e.last().map(|x| x.id)));
    let export = move |_| {
        let (base, token, lang) = (desk.base.get_untracked(), desk.auth(), t.lang());
        leptos::task::spawn_local(async move {
            match desk::bytes(&base, "/department/audit.csv", &token).await {
                Ok(b) => error.set(crate::browser::save_bytes("audit-log.csv", &b, "text/csv").err()),
                Err(e) => error.set(Some(e.explained(lang))),
            }
        });
    };
    view! {
        <section class="desk-audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{t.tr("desk.view.audit")}</h2>
            <p><button type="button" on:click=export data-testid="audit-export">{t.tr("desk.audit.export")}</button></p>
            <p class="last-error" aria-live="polite">{move || error.get()}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=t.tr("desk.view.audit")>
                <table class="desk-table" data-testid="audit-table">
                    <ColumnHeads keys=COLUMNS/>
                    <tbody>
                        <For each=move || entries.get() key=|e| e.id let:e>
                            <tr data-action=e.action.clone()>
                                <td>{e.at.replace('T', " ").trim_end_matches('Z').to_string()}" UTC"</td>
                                <td>{e.actor.clone()}</td><td>{e.action.clone()}</td><td>{e.subject.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            {move || (!done.get() && !entries.with(Vec::is_empty)).then(|| view! {
                <p><button type="button" class="secondary" on:click=older>{t.tr("desk.audit.older")}</button></p>
            })}
        </section>
    }
}
