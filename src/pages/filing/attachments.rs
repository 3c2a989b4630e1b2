//! Choosing evidence / attachments in a form, and following their upload after filing
//! (the store and the uploader are `crate::attachments`).

use crate::attachments::{chosen_files, use_attachments, Refused, Stage};
use crate::i18n::{use_i18n, Lang};
use crate::queue::use_filings;
use kaifang_core::filing::evidence;
use leptos::prelude::*;

fn size_text(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", (bytes / 1024.0).ceil())
    }
}

/// The file chooser of a form: each file is checked at once (same rules as the intake) and
/// kept in this browser under the draft (`owner`) until the filing is accepted. On a
/// receipt (`owner` = an accepted filing's key) the files go at once.
#[component]
pub fn AttachmentPicker(owner: String, legend: &'static str, hint: &'static str) -> impl IntoView {
    let t = use_i18n();
    let atts = use_attachments();
    let filings = use_filings();
    let owner = StoredValue::new(owner);
    let refused = RwSignal::new(Vec::<Refused>::new());
    let busy = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = chosen_files(&ev);
        refused.set(vec![]);
        busy.set(true);
        leptos::task::spawn_local(async move {
            for f in chosen {
                if let Err(r) = atts.add(&owner.get_value(), f).await {
                    refused.update(|v| v.push(r));
                }
            }
            busy.set(false);
            let owner = owner.get_value();
            if let Some(token) =
                filings.filed.with_untracked(|f| f.iter().find(|x| x.key == owner).map(|x| x.token.clone()))
            {
                atts.upload_waiting(&owner, &filings.base.get_untracked(), &token);
            }
        });
    };
    view! {
        <fieldset class="attachments" data-testid="attachments">
            <legend>{t.tr(legend)}</legend>
            <p class="hint" id="attach-hint">
                {t.tr(hint)}" "
                {move || t.fmt("filing.attach.limits", &[("mib", &(evidence::MAX_BYTES / (1024 * 1024)).to_string()), ("n", &evidence::MAX_FILES.to_string())])}
            </p>
            <label for="attach-input" class="file-label">{t.tr("filing.attach.choose")}</label>
            <input id="attach-input" type="file" multiple accept=evidence::ACCEPT aria-describedby="attach-hint attach-refused" on:change=on_change/>
            <div id="attach-refused" class="field-errors" role="alert" data-testid="attach-refused">
                {move || refused.get().into_iter().map(|r| view! {
                    <p class="field-error">{r.name.clone()}": "{move || if t.lang() == Lang::Zh { r.zh.clone() } else { r.en.clone() }}</p>
                }).collect_view()}
            </div>
            <Show when=move || busy.get()><p class="hint" role="status">{t.tr("filing.attach.checking")}</p></Show>
            <ul class="attached" data-testid="attached">
                {move || atts.list(&owner.get_value()).into_iter().map(|a| {
                    let id = a.id.clone();
                    let label = a.name.clone();
                    view! {
                        <li data-name=a.name.clone()>
                            <span>{a.name.clone()}</span>" ("{size_text(a.size)}") "
                            <button type="button" class="link" aria-label=move || t.fmt("filing.attach.remove_named", &[("name", &label)])
                                on:click=move |_| atts.remove(&owner.get_value(), &id)>{t.tr("filing.attach.remove")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint">{t.tr("filing.attach.kept_note")}</p>
        </fieldset>
    }
}

/// The files of a submitted filing (`owner` = its idempotency key) on their way to the
/// intake: waiting / uploading n % / done / failed with a retry.
#[component]
pub fn AttachmentStatus(owner: String) -> impl IntoView {
    let t = use_i18n();
    let atts = use_attachments();
    let filings = use_filings();
    let owner = StoredValue::new(owner);
    let token = Memo::new(move |_| {
        filings.filed.with(|f| f.iter().find(|x| x.key == owner.get_value()).map(|x| x.token.clone()))
    });
    move || {
        let list = atts.list(&owner.get_value());
        (!list.is_empty()).then(|| view! {
            <section class="uploads no-print" data-testid="uploads">
                <h2>{t.tr("filing.attach.uploads_title")}</h2>
                <ul>
                    {list.into_iter().map(|a| {
                        let id = a.id.clone();
                        let id2 = a.id.clone();
                        let stage = a.stage.clone();
                        let live = Memo::new(move |_| atts.progress.with(|p| p.get(&id).copied()));
                        let live = move || live.get();
                        let pct = {
                            let stage = stage.clone();
                            move || match (&stage, live()) {
                                (Stage::Done { .. }, _) => 100.0,
                                (_, Some(p)) => p.round(),
                                _ => 0.0,
                            }
                        };
                        let state_name = {
                            let stage = stage.clone();
                            move || match (&stage, live()) {
                                (Stage::Done { .. }, _) => "done",
                                (Stage::Failed { .. }, _) => "failed",
                                (Stage::Waiting, Some(_)) => "uploading",
                                (Stage::Waiting, None) => "waiting",
                            }
                        };
                        let text = {
                            let stage = stage.clone();
                            move || match (&stage, live()) {
                                (Stage::Done { .. }, _) => t.get("filing.attach.done"),
                                (Stage::Failed { zh, en }, _) => format!("{}{}", t.get("filing.attach.failed"), if t.lang() == Lang::Zh { zh } else { en }),
                                (Stage::Waiting, Some(p)) => t.fmt("filing.attach.uploading", &[("pct", &format!("{}", p.round()))]),
                                (Stage::Waiting, None) if token.get().is_some() => t.get("filing.attach.waiting"),
                                (Stage::Waiting, None) => t.get("filing.attach.waiting_for_filing"),
                            }
                        };
                        let failed = matches!(stage, Stage::Failed { .. });
                        let name = a.name.clone();
                        view! {
                            <li data-testid="upload" data-name=a.name.clone() data-state=state_name>
                                <span class="upload-name">{a.name.clone()}</span>" ("{size_text(a.size)}") "
                                <progress data-testid="upload-progress" max="100" value=move || pct().to_string() aria-label=name.clone()></progress>
                                " "<span class="upload-state" aria-live="polite">{text}</span>
                                {failed.then(|| view! {
                                    " "<button type="button" on:click=move |_| {
                                        if let Some(tok) = token.get_untracked() {
                                            atts.retry(&owner.get_value(), &id2, &filings.base.get_untracked(), &tok);
                                        }
                                    }>{t.tr("filing.attach.retry")}</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
