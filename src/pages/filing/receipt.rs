//! After "submit": the receipt (reference, statutory reply date, printable), or the
//! notice that the filing is queued and will be sent when the intake can be reached.
//! Evidence upload with progress, once the receipt token exists.

use crate::i18n::use_i18n;
use crate::intake::{self, DeadlineView};
use crate::queue::{use_filings, Filed};
use kaifang_core::rules::FilingKind;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

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
            view! { <ReceiptCard filed=f/> <EvidenceUpload token=filed.get().map(|f| f.token).unwrap_or_default()/> }.into_any()
        } else if let Some(q) = queued.get() {
            let sending = q.attempts == 0;
            view! {
                <section class="queued-notice" role="status" data-testid="queued-notice">
                    <h2>{move || if sending { t.get("filing.sending") } else if q.needs_attention { t.get("filing.needs_attention") } else { t.get("filing.queued") }}</h2>
                    {(!sending && !q.needs_attention).then(|| view! { <p>{t.tr("filing.queued_text")}</p> })}
                    <p class="last-error">{move || if t.lang() == crate::i18n::Lang::Zh { q.last_error_zh.clone() } else { q.last_error.clone() }}</p>
                    <p><A href="/filings">{t.tr("filing.my_filings_link")}</A></p>
                </section>
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
            <p class="no-print">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{t.tr("filing.receipt.print")}</button>
                " "
                <A href="/filings">{t.tr("filing.my_filings_link")}</A>
            </p>
        </section>
    }
}

/// Evidence files, each checked against the intake's limits first, then uploaded with
/// a progress bar.
#[component]
pub fn EvidenceUpload(token: String) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    #[derive(Clone)]
    struct Upload {
        name: String,
        sent: f64,
        total: f64,
        state: Result<bool, String>,
    }
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let token = StoredValue::new(token);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let idx = uploads.with_untracked(|u| u.len());
            let name = file.name();
            if idx >= intake::EVIDENCE_MAX_FILES {
                uploads.update(|u| u.push(Upload { name, sent: 0.0, total: 0.0, state: Err(t.get("filing.evidence.too_many")) }));
                continue;
            }
            if let Some(refusal) = intake::evidence_refusal(file.size(), &file.type_(), &name) {
                uploads.update(|u| u.push(Upload { name, sent: 0.0, total: file.size(), state: Err(t.get(refusal)) }));
                continue;
            }
            uploads.update(|u| u.push(Upload { name, sent: 0.0, total: file.size(), state: Ok(false) }));
            let zh = t.lang() == crate::i18n::Lang::Zh;
            intake::upload_evidence(
                &filings.base.get_untracked(),
                &token.get_value(),
                file,
                move |sent, total| uploads.update(|u| if let Some(x) = u.get_mut(idx) { x.sent = sent; x.total = total; }),
                move |r| uploads.update(|u| if let Some(x) = u.get_mut(idx) {
                    x.state = match r { Ok(_) => { x.sent = x.total; Ok(true) } Err(e) => Err(e.message(zh)) };
                }),
            );
        }
        input.set_value("");
    };
    view! {
        <section class="evidence no-print">
            <h2>{t.tr("filing.evidence.title")}</h2>
            <p class="hint" id="evidence-hint">{t.tr("filing.evidence.hint")}</p>
            <label for="evidence-input">{t.tr("filing.evidence.choose")}</label>
            <input id="evidence-input" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.txt,.csv" aria-describedby="evidence-hint" on:change=on_change/>
            <ul class="uploads">
                {move || uploads.get().into_iter().map(|u| {
                    let pct = if u.total > 0.0 { (u.sent / u.total * 100.0).round() } else { 0.0 };
                    view! {
                        <li>
                            <span>{u.name.clone()}</span>" "
                            <progress max="100" value=pct.to_string() aria-label=u.name.clone()></progress>
                            " "
                            {match u.state {
                                Ok(true) => view! { <span class="ok">{t.tr("filing.evidence.done")}</span> }.into_any(),
                                Ok(false) => view! { <span>{format!("{pct}%")}</span> }.into_any(),
                                Err(e) => view! { <span class="field-error">{e}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
