//! After "submit": the receipt (reference, statutory reply date, printable), or the
//! notice that the filing is queued and will be sent when the intake can be reached.
//! The files chosen with the filing upload with progress once it is accepted; more can be
//! added here (`super::attachments`).

use crate::i18n::use_i18n;
use crate::net::intake::DeadlineView;
use crate::queue::{use_filings, Filed};
use kaifang_core::rules::FilingKind;
use leptos::prelude::*;
use leptos_router::components::A;

pub fn kind_key(k: FilingKind) -> &'static str {
    match k {
        FilingKind::Application => "filing.kind.application",
        FilingKind::Objection => "filing.kind.objection",
        FilingKind::ErrorReport => "filing.kind.error_report",
        FilingKind::DataRequest => "filing.kind.data_request",
    }
}

#[component]
pub fn AfterSubmit(key: String) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let k1 = key.clone();
    let filed = Memo::new(move |_| filings.filed.with(|f| f.iter().find(|x| x.key == k1).cloned()));
    let k2 = key.clone();
    let queued = Memo::new(move |_| filings.outbox.with(|o| o.iter().find(|q| q.key == k2).cloned()));
    move || {
        if let Some(f) = filed.get() {
            view! {
                <ReceiptCard filed=f/>
                <super::attachments::AttachmentStatus owner=key.clone()/>
                <super::attachments::AttachmentPicker owner=key.clone() legend="filing.evidence.title" hint="filing.evidence.hint"/>
            }
            .into_any()
        } else if let Some(q) = queued.get() {
            let sending = q.attempts == 0;
            view! {
                <section class="queued-notice" role="status" data-testid="queued-notice">
                    <h2>{move || if sending { t.get("filing.sending") } else if q.needs_attention { t.get("filing.needs_attention") } else { t.get("filing.queued") }}</h2>
                    {(!sending && !q.needs_attention).then(|| view! { <p>{t.tr("filing.queued_text")}</p> })}
                    <p class="last-error">{move || if t.lang() == crate::i18n::Lang::Zh { q.last_error_zh.clone() } else { q.last_error.clone() }}</p>
                    <p><A href="/filings">{t.tr("filing.my_filings_link")}</A></p>
                </section>
                <super::attachments::AttachmentStatus owner=key.clone()/>
            }
            .into_any()
        } else {
            view! { <p><A href="/filings">{t.tr("filing.my_filings_link")}</A></p> }.into_any()
        }
    }
}

/// The statutory reply date, with "estimated" marked when the holiday calendar for the
/// year is not yet published, and the article it comes from.
#[component]
pub fn DeadlineLine(deadline: DeadlineView) -> impl IntoView {
    let t = use_i18n();
    let d = deadline;
    view! {
        <span class="deadline" data-testid="deadline">
            <strong>{d.date.clone()}</strong>
            {d.estimated.then(|| view! { " " <span class="estimated" title=t.tr("filing.estimated_title")>{t.tr("filing.estimated")}</span> })}
            " "
            <span class="deadline-basis">
                {move || t.fmt("filing.working_days", &[("n", &d.working_days.to_string())])}
                {d.article.clone().map(|a| format!(" · {a}"))}
            </span>
        </span>
    }
}

#[component]
pub fn ReceiptCard(filed: Filed) -> impl IntoView {
    let t = use_i18n();
    let f = filed;
    view! {
        <section class="receipt" data-testid="receipt" aria-labelledby="receipt-title">
            <h2 id="receipt-title">{t.tr("filing.receipt.title")}</h2>
            <dl>
                <div class="meta-row"><dt>{t.tr("filing.receipt.reference")}</dt><dd class="reference" data-testid="reference">{f.reference.clone()}</dd></div>
                <div class="meta-row"><dt>{t.tr("filing.receipt.kind")}</dt><dd>{t.tr(kind_key(f.kind))}</dd></div>
                <div class="meta-row"><dt>{t.tr("filing.receipt.datasets")}</dt><dd>{f.dataset_ids.join(", ")}</dd></div>
                <div class="meta-row"><dt>{t.tr("filing.receipt.received_on")}</dt><dd>{f.received_on.clone()}</dd></div>
                <div class="meta-row"><dt>{t.tr("filing.receipt.reply_by")}</dt><dd><DeadlineLine deadline=f.deadline.clone()/></dd></div>
                {f.masked_id.clone().map(|m| view! { <div class="meta-row"><dt>{t.tr("filing.receipt.id")}</dt><dd>{m}</dd></div> })}
            </dl>
            <p class="hint">{t.tr("filing.receipt.keep")}</p>
            // The receipt token as a code to type on another device (`/filings` adds it):
            // printed with the receipt, so the filing is not bound to this browser.
            <section class="transfer" aria-labelledby="transfer-title">
                <h3 id="transfer-title">{t.tr("filing.receipt.transfer_title")}</h3>
                <p class="hint">{t.tr("filing.receipt.transfer_hint")}</p>
                <p><code class="receipt-code" data-testid="receipt-code">{kaifang_core::filing::transfer::code_of(&f.token)}</code></p>
            </section>
            <p class="no-print">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{t.tr("filing.receipt.print")}</button>
                " "
                <A href="/filings">{t.tr("filing.my_filings_link")}</A>
            </p>
        </section>
    }
}
