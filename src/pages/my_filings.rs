//! "My filings" (`/filings`): every filing made from this browser — queued ones from the
//! outbox, filed ones with their live state and timeline from the intake (by receipt
//! token) — with overdue replies marked, decisions shown, and the filer's own actions:
//! asking for review (复核) of an objection's outcome — only where the rule set offers it
//! (`RuleSet::objection_review_offer`; elsewhere the page says why not) — and answering an
//! information request. Signed in, the filings on the person's account (any device) are
//! listed too (`AccountFilings`); a filing from another device is added with the code on
//! its receipt (`AddFromReceipt`); what changed since the last visit is marked.

use crate::i18n::{use_i18n, Lang};
use crate::net::intake::{self, FilerDoor, FilingView, TimelineEntry};
use crate::pages::filing::receipt::{kind_key, DeadlineLine};
use crate::queue::{use_filings, Filed, Queued};
use kaifang_core::filing::answers::ApprovalProgress;
use kaifang_core::filing::Actor;
use kaifang_core::rules::RuleSet;
use leptos::prelude::*;
use leptos_router::components::A;

/// The rule set the intake applies (`GET /api/v1/rules`; the catalog's built-in one when the
/// intake cannot be reached), shared by the items of the page.
#[derive(Clone, Copy)]
struct Rules(LocalResource<Option<RuleSet>>);

#[component]
pub fn MyFilings() -> impl IntoView {
    let t = use_i18n();
    crate::head::publish(move || {
        let portal = crate::app::use_catalog_portal()?;
        let mut h = crate::head::page(t, &portal, "filings.title", "filings.description", "/filings");
        h.noindex = true;
        Some(h)
    });
    let filings = use_filings();
    let catalog = crate::app::use_catalog();
    provide_context(Rules(LocalResource::new(move || {
        let base = filings.base.get();
        let fallback = catalog.get().and_then(|c| c.ok()).map(|c| c.portal.jurisdiction);
        async move { intake::rules(&base).await.ok().or_else(|| fallback.and_then(|j| RuleSet::builtin(&j))) }
    })));
    view! {
        <section class="page my-filings">
            <h1>{t.tr("filings.title")}</h1>
            <p class="hint">{t.tr("filings.intro")}</p>
            {move || {
                let queued = filings.outbox.get();
                (!queued.is_empty()).then(|| view! {
                    <section class="outbox" aria-labelledby="outbox-title">
                        <h2 id="outbox-title">{t.tr("filings.outbox")}</h2>
                        <ul>{queued.into_iter().map(|q| view! { <QueuedItem q=q/> }).collect_view()}</ul>
                    </section>
                })
            }}
            <AddFromReceipt/>
            <AccountFilings/>
            {move || {
                let filed = filings.filed.get();
                if filed.is_empty() && filings.outbox.with(Vec::is_empty) {
                    view! { <p class="empty">{t.tr("filings.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="filed-list">
                            <For each=move || filings.filed.get() key=|f| f.reference.clone() let:f>
                                <FiledItem filed=f/>
                            </For>
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn QueuedItem(q: Queued) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let key = StoredValue::new(q.key.clone());
    let fields = q.field_errors.clone();
    view! {
        <li class="queued-item" data-testid="queued-item" data-key=q.key.clone()>
            <p>
                <strong>{t.tr(kind_key(q.filing.kind()))}</strong>" · "{q.filing.dataset_ids().join(", ")}
                " · "<span class="badge queued">{move || if q.needs_attention { t.get("filing.needs_attention") } else { t.get("filing.queued") }}</span>
            </p>
            <p class="hint">{move || t.fmt("filings.queued_meta", &[("at", &q.queued_at), ("n", &q.attempts.to_string())])}</p>
            {q.last_error.clone().map(|en| {
                let zh = q.last_error_zh.clone().unwrap_or_else(|| en.clone());
                view! { <p class="last-error">{move || if t.lang() == Lang::Zh { zh.clone() } else { en.clone() }}</p> }
            })}
            {(!fields.is_empty()).then(|| view! {
                <ul class="field-errors">{fields.into_iter().map(|e| view! {
                    <li>{move || if t.lang() == Lang::Zh { e.zh.clone() } else { e.en.clone() }}</li>
                }).collect_view()}</ul>
            })}
            <p>
                <button type="button" on:click=move |_| filings.flush(true)>{t.tr("filings.retry_now")}</button>
                " "
                <button type="button" class="secondary" on:click=move |_| {
                    if window().confirm_with_message(&t.get("filings.discard_confirm")).unwrap_or(false) {
                        filings.discard(&key.get_value());
                    }
                }>{t.tr("filings.discard")}</button>
            </p>
            <crate::pages::filing::attachments::AttachmentStatus owner=key.get_value()/>
        </li>
    }
}

/// The message `filing.{group}.{code}`, or the code itself when the intake sends one the app
/// has no words for yet (a newer intake), so nothing shows blank.
fn code_label(t: crate::i18n::I18n, group: &str, code: &str) -> String {
    let key = format!("filing.{group}.{code}");
    let s = t.get(&key);
    if s == key {
        code.to_string()
    } else {
        s
    }
}

pub(crate) fn state_label(t: crate::i18n::I18n, state: &str) -> String {
    code_label(t, "state", state)
}

fn action_label(t: crate::i18n::I18n, action: &str) -> String {
    code_label(t, "action", action)
}

/// Each filing's last state as fetched, and when (local time), for reading offline.
mod saved {
    use crate::net::intake::FilingView;

    fn key(reference: &str) -> String {
        format!("filing-view.{reference}")
    }

    pub fn keep(reference: &str, v: &FilingView) {
        let d = js_sys::Date::new_0();
        let at = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        );
        crate::store::set(&key(reference), &(v, at));
    }

    pub fn get(reference: &str) -> Option<(FilingView, String)> {
        crate::store::get(&key(reference))
    }

    /// Whether `new` says more than `old`: another state or more timeline entries.
    pub fn moved_on(old: &FilingView, new: &FilingView) -> bool {
        old.state != new.state || new.timeline.len() > old.timeline.len()
    }
}

/// The filings on the signed-in person's account that this browser does not hold by
/// receipt token (filed on another device, or claimed there), read from the intake. The
/// filer acts on them through the account (answering a request for information, asking for
/// review) as on those kept here.
#[component]
fn AccountFilings() -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let me = crate::signin::use_sign_in();
    let reload = RwSignal::new(0u32);
    let account = LocalResource::new(move || {
        reload.track();
        let signed_in = me.0.with(|s| s.identity().is_some());
        let base = filings.base.get();
        async move {
            if signed_in {
                intake::my_filings(&base).await.ok()
            } else {
                None
            }
        }
    });
    move || {
        let list = account.get().flatten()?;
        let here: Vec<String> = filings.filed.with(|f| f.iter().map(|x| x.reference.clone()).collect());
        let others: Vec<FilingView> = list.into_iter().filter(|v| !here.contains(&v.reference)).collect();
        Some(view! {
            <section class="account-filings" aria-labelledby="account-title" data-testid="account-filings">
                <h2 id="account-title">{t.tr("filings.account.title")}</h2>
                {if others.is_empty() {
                    view! { <p class="hint">{t.tr("filings.account.none")}</p> }.into_any()
                } else {
                    let items = others.into_iter().map(|v| view! { <AccountItem view=v reload=reload/> });
                    view! { <ul class="filed-list">{items.collect_view()}</ul> }.into_any()
                }}
            </section>
        })
    }
}

#[component]
fn AccountItem(view: FilingView, reload: RwSignal<u32>) -> impl IntoView {
    let t = use_i18n();
    let v = view;
    let changed = saved::get(&v.reference).is_some_and(|(old, _)| saved::moved_on(&old, &v));
    saved::keep(&v.reference, &v);
    let door = StoredValue::new(FilerDoor::Account(v.reference.clone()));
    let (reference, received, datasets) = (v.reference.clone(), v.received_on.clone(), v.dataset_ids.clone());
    let attr = reference.clone();
    view! {
        <li class="filed-item account-item" data-testid="account-item" data-reference=attr>
            <h3>
                <span class="reference">{reference}</span>" · "{t.tr(kind_key(v.kind))}" "
                <span class="badge">{t.tr("filings.account.badge")}</span>
                {changed.then(|| view! { " " <span class="badge changed" data-testid="changed">{t.tr("filings.changed")}</span> })}
            </h3>
            <p class="meta">
                {datasets.into_iter().map(|d| view! { <DatasetLink id=d/>" " }).collect_view()}
                {move || t.fmt("filings.received", &[("date", &received)])}
            </p>
            <LiveView view=v door=door reload=reload/>
        </li>
    }
}

/// Adds a filing from the code printed on its receipt (the receipt token): checked with the
/// intake, then kept in this browser like one filed here, and tied to the account when
/// signed in.
#[component]
fn AddFromReceipt() -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let me = crate::signin::use_sign_in();
    let typed = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = kaifang_core::filing::transfer::token_of(&typed.get_untracked()) else {
            message.set(Some(t.get("filings.add.bad")));
            return;
        };
        let base = filings.base.get_untracked();
        let signed_in = me.0.with_untracked(|s| s.identity().is_some());
        leptos::task::spawn_local(async move {
            match intake::get_filing(&base, &token).await {
                Ok(v) => {
                    if signed_in {
                        let _ = intake::claim(&base, &token).await;
                    }
                    filings.add_received(&v, &token);
                    typed.set(String::new());
                    message.set(Some(t.get("filings.add.done")));
                }
                Err(e) if e.status() == Some(404) => message.set(Some(t.get("filings.add.not_found"))),
                Err(e) => message.set(Some(e.message(t.lang()))),
            }
        });
    };
    view! {
        <details class="add-from-receipt">
            <summary>{t.tr("filings.add.title")}</summary>
            <form on:submit=add>
                <div class="form-field">
                    <label for="receipt-code">{t.tr("filings.add.label")}</label>
                    <input id="receipt-code" name="receipt-code" autocomplete="off" spellcheck="false"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </div>
                <button type="submit">{t.tr("filings.add.submit")}</button>
                <p role="status" data-testid="add-status">{move || message.get()}</p>
            </form>
        </details>
    }
}

#[component]
fn FiledItem(filed: Filed) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let token = StoredValue::new(filed.token.clone());
    let door = StoredValue::new(FilerDoor::Receipt(filed.token.clone()));
    let reload = RwSignal::new(0u32);
    let reference = StoredValue::new(filed.reference.clone());
    let changed = RwSignal::new(false);
    let live = LocalResource::new(move || {
        reload.track();
        let base = filings.base.get_untracked();
        let token = token.get_value();
        async move {
            let r = intake::get_filing(&base, &token).await;
            if let Ok(v) = &r {
                // Marked when the state moved on since the copy kept at the last visit.
                if saved::get(&reference.get_value()).is_some_and(|(old, _)| saved::moved_on(&old, v)) {
                    changed.set(true);
                }
                saved::keep(&reference.get_value(), v);
            }
            r
        }
    });
    let f = filed.clone();
    view! {
        <li class="filed-item" data-testid="filed-item" data-reference=f.reference.clone()>
            <h2>
                <span class="reference">{f.reference.clone()}</span>" · "{t.tr(kind_key(f.kind))}
                {move || changed.get().then(|| view! { " " <span class="badge changed" data-testid="changed">{t.tr("filings.changed")}</span> })}
            </h2>
            <p class="meta">
                {f.dataset_ids.clone().into_iter().map(|d| view! { <DatasetLink id=d/>" " }).collect_view()}
                {move || t.fmt("filings.received", &[("date", &f.received_on)])}
            </p>
            <crate::pages::filing::attachments::AttachmentStatus owner=f.key.clone()/>
            <crate::components::loading::Loading>
                {move || live.get().map(|r| match r {
                    Ok(v) => view! { <LiveView view=v door=door reload=reload/> }.into_any(),
                    // Offline (or the intake down): the last state fetched, with its time.
                    Err(e) if e.status().is_none_or(|s| s >= 500) && saved::get(&reference.get_value()).is_some() => {
                        let (v, at) = saved::get(&reference.get_value()).expect("checked above");
                        view! {
                            <p class="saved-note" data-testid="filing-saved-at">{move || t.fmt("filings.saved_at", &[("time", &at)])}</p>
                            <LiveView view=v door=door reload=reload/>
                        }.into_any()
                    }
                    Err(e) => {
                        let d = filed.deadline.clone();
                        view! {
                            <p class="last-error">{move || e.message(t.lang())}</p>
                            <p>{t.tr("filing.receipt.reply_by")}" "<DeadlineLine deadline=d.clone()/></p>
                        }.into_any()
                    }
                })}
            </crate::components::loading::Loading>
        </li>
    }
}

#[component]
fn LiveView(view: FilingView, door: StoredValue<FilerDoor>, reload: RwSignal<u32>) -> impl IntoView {
    let t = use_i18n();
    let v = view;
    let state = v.state.clone();
    let can_review = v.kind == kaifang_core::rules::FilingKind::Objection
        && matches!(state.as_str(), "withdrawn" | "restored" | "processed_and_reopened");
    let can_supply = state == "information_requested";
    let st = state.clone();
    view! {
        <p class="state-line">
            <span class=format!("badge state state-{}", state) data-testid="filing-state" data-state=state.clone()>{move || state_label(t, &st)}</span>
            {v.overdue.then(|| view! { " " <span class="badge overdue" data-testid="overdue">{t.tr("filings.overdue")}</span> })}
            " "{t.tr("filing.receipt.reply_by")}" "<DeadlineLine deadline=v.deadline.clone()/>
        </p>
        {v.approval.map(|a| view! { <ApprovalStep a=a/> })}
        <ol class="timeline" aria-label=t.tr("filings.timeline")>
            {v.timeline.into_iter().map(|e| view! { <TimelineItem e=e/> }).collect_view()}
        </ol>
        {(!v.evidence.is_empty()).then(|| view! {
            <p class="hint">{t.tr("filing.evidence.title")}": "{v.evidence.iter().map(|e| e.name.clone()).collect::<Vec<_>>().join(", ")}</p>
        })}
        {can_review.then(|| view! { <ReviewOffer door=door reload=reload/> })}
        {can_supply.then(|| view! { <FilerAction action="supply_information" field="text" door=door reload=reload/> })}
    }
}

/// A link to a dataset named by its title (read from the catalog), or by its id until then —
/// and for good if the record is gone, e.g. withdrawn from a later catalog.
#[component]
fn DatasetLink(id: String) -> impl IntoView {
    let lookup = id.clone();
    let title = LocalResource::new(move || {
        let id = lookup.clone();
        async move { crate::net::load_dataset(&id).await.ok().map(|d| d.title) }
    });
    let shown = id.clone();
    view! {
        <A href=format!("/datasets/{id}")>
            {move || title.get().flatten().unwrap_or_else(|| shown.clone())}
        </A>
    }
}

/// The "ask for review" form where the rule set offers review (with its basis), else the
/// reason there is none, citing the rule set.
#[component]
fn ReviewOffer(door: StoredValue<FilerDoor>, reload: RwSignal<u32>) -> impl IntoView {
    let t = use_i18n();
    let rules = expect_context::<Rules>().0;
    move || {
        rules.get().flatten().map(|r| match r.objection_review_offer() {
            Ok((zh, en)) => view! {
                <p class="hint review-basis">{move || if t.lang() == Lang::Zh { zh.clone() } else { en.clone() }}</p>
                <FilerAction action="request_review" field="reason" door=door reload=reload/>
            }
            .into_any(),
            Err((zh, en)) => view! {
                <p class="notice" data-testid="no-review">{move || if t.lang() == Lang::Zh { zh.clone() } else { en.clone() }}</p>
            }
            .into_any(),
        })
    }
}

/// "Step 2 of 2: the data authority's approval" — who holds an undecided application
/// (Xiangxi 35's two steps; one step elsewhere).
#[component]
fn ApprovalStep(a: ApprovalProgress) -> impl IntoView {
    let t = use_i18n();
    let who = match a.with {
        Actor::Authority => "filings.step.authority",
        _ => "filings.step.department",
    };
    let (step, steps) = (a.step.to_string(), a.steps.to_string());
    let attr = step.clone();
    view! {
        <p class="approval-step" data-testid="approval-step" data-step=attr>
            {move || t.fmt("filings.step", &[("step", &step), ("steps", &steps), ("who", &t.get(who))])}
        </p>
    }
}

#[component]
pub(crate) fn TimelineItem(e: TimelineEntry) -> impl IntoView {
    let t = use_i18n();
    let action = e.action.clone();
    let action_attr = action.clone();
    let note = e.note.clone();
    // An approval's note is "scope\nstart – end\nagreement" (core Action::note).
    let decision = match (action.as_str(), note) {
        ("approve", Some(n)) => {
            let mut lines = n.splitn(3, '\n').map(str::to_string);
            let (scope, period, agreement) = (lines.next(), lines.next(), lines.next());
            Some(
                view! {
                    <dl class="decision approval" data-testid="decision">
                        <div class="meta-row"><dt>{t.tr("filings.approved_scope")}</dt><dd>{scope}</dd></div>
                        <div class="meta-row"><dt>{t.tr("filings.approved_period")}</dt><dd>{period}</dd></div>
                        <div class="meta-row"><dt>{t.tr("filings.agreement")}</dt><dd>{agreement}</dd></div>
                    </dl>
                }
                .into_any(),
            )
        }
        (_, Some(n)) => {
            let label = match action.as_str() {
                "reject" => Some("filings.reason"),
                "pass_review" => Some("filings.opinion"),
                "withdraw_dataset" | "restore_dataset" | "reopen_processed" | "decide_review" | "correct"
                | "accept" => Some("filings.outcome"),
                _ => None,
            };
            Some(view! {
                <p class="note" data-testid="decision">{label.map(|l| view! { <strong>{t.tr(l)}": "</strong> })}{n}</p>
            }
            .into_any())
        }
        _ => None,
    };
    let at = e.at.replace('T', " ").trim_end_matches('Z').to_string();
    let actor = format!("filings.actor.{}", e.actor);
    let state = e.state.clone();
    view! {
        <li data-action=action_attr>
            <span class="when">{at}" UTC"</span>" · "
            <span class="who">{move || { let s = t.get(&actor); if s == actor { String::new() } else { s } }}</span>" · "
            <strong>{move || action_label(t, &action)}</strong>" → "{move || state_label(t, &state)}
            {decision}
            {e.consented_by.map(|who| view! {
                <p class="note consent" data-testid="consented-by">{t.tr("filings.consented_by")}{who}</p>
            })}
            {e.entrustment.map(|by| view! {
                <p class="note entrusted" data-testid="entrustment">{t.tr("filings.entrustment")}{by}</p>
            })}
        </li>
    }
}

#[component]
fn FilerAction(
    action: &'static str,
    field: &'static str,
    door: StoredValue<FilerDoor>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let t = use_i18n();
    let filings = use_filings();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = format!("{action}-text");
    let (label, button) = if action == "request_review" {
        ("filings.review.reason", "filings.review.submit")
    } else {
        ("filings.supply.text", "filings.supply.submit")
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({ "action": action, field: text.get_untracked() });
        let base = filings.base.get_untracked();
        let lang = t.lang();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match intake::act(&base, &door.get_value(), &body).await {
                Ok(_) => {
                    error.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    error.set(Some(e.explained(lang)));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="filer-action" on:submit=on_submit data-testid=action>
            {(action == "request_review").then(|| view! { <p class="hint">{t.tr("filings.review.hint")}</p> })}
            <label for=id.clone()>{t.tr(label)}</label>
            <textarea id=id rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            <button type="submit" disabled=move || busy.get()>{t.tr(button)}</button>
        </form>
    }
}
