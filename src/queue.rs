//! The outbox (MISSION C4): every submission is first written to local storage under a
//! fresh idempotency key, then sent; one that fails for want of an answer (offline,
//! server down, 5xx) stays queued and is retried with the SAME key — on app start, on the
//! browser's `online` event and on an interval — so the intake files it once and only once.
//! After success only what is needed to follow the filing is kept: reference, receipt
//! token, deadline and a masked identity number; the form itself is dropped.
//!
//! Also here: the status overlay (O3), fetched at start and refreshed, shared as context.

use crate::net::intake::{self, DeadlineView, Receipt};
use crate::net::NetError;
use crate::store;
use kaifang_core::catalog::{Dataset, DatasetStatus, DatasetSummary};
use kaifang_core::filing::outbox::{classify, next_delay_secs, SendOutcome};
use kaifang_core::filing::{FieldError, Filing};
use kaifang_core::overlay::StatusOverlay;
use kaifang_core::rules::FilingKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::time::Duration;

const OUTBOX_KEY: &str = "outbox";
const FILED_KEY: &str = "filings";
/// How often queued filings are retried while the app is open, and the overlay refreshed.
const TICK: Duration = Duration::from_secs(5);
const OVERLAY_EVERY_TICKS: u32 = 6;

/// A submission not yet accepted by the intake. Holds the full form: it must be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub key: String,
    pub filing: Filing,
    pub queued_at: String,
    pub attempts: u32,
    /// Milliseconds since the epoch before which no retry is made.
    #[serde(default)]
    pub next_try_ms: f64,
    /// The time the intake asked us not to come back before (`Retry-After` on 429/503):
    /// unlike the backoff, not even a reachable intake shortens it.
    #[serde(default)]
    pub not_before_ms: f64,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub last_error_zh: Option<String>,
    /// The intake refused the form itself; retrying cannot help.
    #[serde(default)]
    pub needs_attention: bool,
    #[serde(default)]
    pub field_errors: Vec<FieldError>,
}

/// A filing the intake accepted: what is needed to follow it, and no identity in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filed {
    pub key: String,
    pub reference: String,
    /// Receipt token: reads this filing's state and nothing else.
    pub token: String,
    pub kind: FilingKind,
    pub dataset_ids: Vec<String>,
    pub received_on: String,
    pub deadline: DeadlineView,
    /// The filer's identity document number, masked (e.g. `1101**********0078`).
    #[serde(default)]
    pub masked_id: Option<String>,
}

#[derive(Clone, Copy)]
pub struct FilingStore {
    pub outbox: RwSignal<Vec<Queued>>,
    pub filed: RwSignal<Vec<Filed>>,
    pub overlay: RwSignal<StatusOverlay>,
    /// The catalog's `built_at`, to decide whether an overlay entry is newer.
    pub built_at: RwSignal<String>,
    pub base: RwSignal<String>,
    /// Files chosen with the filings, uploaded once each filing is accepted.
    pub attachments: crate::attachments::Attachments,
    in_flight: StoredValue<HashSet<String>>,
}

pub fn use_filings() -> FilingStore {
    expect_context::<FilingStore>()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A fresh idempotency key (a random UUID: 36 characters, as the intake accepts).
pub fn new_key() -> String {
    crate::browser::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k-{}-{}", now_ms() as u64, (js_sys::Math::random() * 1e15) as u64))
}

/// The identity number kept after filing: masked by the core rule, never in clear.
pub fn masked_id(f: &Filing) -> Option<String> {
    match f.masked() {
        Filing::Application(a) => Some(a.applicant.id_document.number).filter(|n| !n.is_empty()),
        Filing::Objection(o) => o.requester.id_document.map(|d| d.number),
        Filing::ErrorReport(r) => r.reporter.id_document.map(|d| d.number),
        Filing::DataRequest(r) => r.requester.id_document.map(|d| d.number),
    }
}

impl FilingStore {
    fn persist(&self) {
        store::set(OUTBOX_KEY, &self.outbox.get_untracked());
        store::set(FILED_KEY, &self.filed.get_untracked());
    }

    /// Queues a filing and sends it at once. Returns its key.
    pub fn submit(&self, filing: Filing) -> String {
        let key = new_key();
        let item = Queued {
            key: key.clone(),
            filing,
            queued_at: now_iso(),
            attempts: 0,
            next_try_ms: 0.0,
            not_before_ms: 0.0,
            last_error: None,
            last_error_zh: None,
            needs_attention: false,
            field_errors: vec![],
        };
        self.outbox.update(|o| o.push(item));
        // Written before the first byte goes out: a crash now loses nothing.
        self.persist();
        self.send(key.clone());
        key
    }

    /// Sends every queued filing whose retry time has come (`force`: regardless of it).
    pub fn flush(&self, force: bool) {
        let now = now_ms();
        let due: Vec<String> = self
            .outbox
            .get_untracked()
            .into_iter()
            .filter(|q| !q.needs_attention && q.not_before_ms <= now && (force || q.next_try_ms <= now))
            .map(|q| q.key)
            .collect();
        for key in due {
            self.send(key);
        }
    }

    /// Keeps a filing received from another device (its receipt code) like one filed here.
    pub fn add_received(&self, view: &intake::FilingView, token: &str) {
        let filed = Filed {
            key: format!("received-{}", view.reference),
            reference: view.reference.clone(),
            token: token.to_string(),
            kind: view.kind,
            dataset_ids: view.dataset_ids.clone(),
            received_on: view.received_on.clone(),
            deadline: view.deadline.clone(),
            masked_id: None,
        };
        self.filed.update(|f| {
            if !f.iter().any(|x| x.reference == filed.reference) {
                f.insert(0, filed);
            }
        });
        self.persist();
    }

    /// Drops a queued filing the person gave up on (it was never filed).
    pub fn discard(&self, key: &str) {
        self.outbox.update(|o| o.retain(|q| q.key != key));
        self.persist();
    }

    fn send(&self, key: String) {
        let already = self.in_flight.try_update_value(|s| !s.insert(key.clone())).unwrap_or(true);
        if already {
            return;
        }
        let Some(item) = self.outbox.get_untracked().into_iter().find(|q| q.key == key) else {
            self.in_flight.update_value(|s| {
                s.remove(&key);
            });
            return;
        };
        let this = *self;
        let base = self.base.get_untracked();
        leptos::task::spawn_local(async move {
            let body = serde_json::to_value(&item.filing).unwrap_or_default();
            let result = intake::post_filing(&base, &body, &item.key).await;
            this.settle(&item, result);
            this.in_flight.update_value(|s| {
                s.remove(&item.key);
            });
        });
    }

    fn settle(&self, item: &Queued, result: Result<Receipt, NetError>) {
        let outcome = match &result {
            Ok(_) => SendOutcome::Filed,
            Err(e) => classify(e.status()),
        };
        match (outcome, result) {
            (SendOutcome::Filed, Ok(r)) => {
                // The filing is accepted: its files go now (the token lets them in).
                self.attachments.upload_waiting(&item.key, &self.base.get_untracked(), &r.token);
                let filed = Filed {
                    key: item.key.clone(),
                    reference: r.reference,
                    token: r.token,
                    kind: r.kind,
                    dataset_ids: item.filing.dataset_ids(),
                    received_on: r.received_on,
                    deadline: r.deadline,
                    masked_id: masked_id(&item.filing),
                };
                self.filed.update(|f| {
                    if !f.iter().any(|x| x.reference == filed.reference) {
                        f.insert(0, filed);
                    }
                });
                self.outbox.update(|o| o.retain(|q| q.key != item.key));
            }
            (_, Err(e)) => {
                let attention = outcome == SendOutcome::NeedsAttention;
                let fields = match &e {
                    NetError::Http { error: Some(a), .. } => a.fields.clone(),
                    _ => vec![],
                };
                self.outbox.update(|o| {
                    if let Some(q) = o.iter_mut().find(|q| q.key == item.key) {
                        q.attempts += 1;
                        let wait = f64::from(next_delay_secs(q.attempts, e.status(), e.retry_after())) * 1000.0;
                        q.next_try_ms = now_ms() + wait;
                        let told = e.retry_after().is_some() && matches!(e.status(), Some(429 | 503));
                        q.not_before_ms = if told { q.next_try_ms } else { 0.0 };
                        q.last_error = Some(e.message(crate::i18n::Lang::En));
                        q.last_error_zh = Some(e.message(crate::i18n::Lang::Zh));
                        q.needs_attention = attention;
                        q.field_errors = fields;
                    }
                });
            }
            (_, Ok(_)) => {}
        }
        self.persist();
    }

    /// Uploads the waiting files of every accepted filing (after a reload or a failure).
    pub fn resume_uploads(&self) {
        let base = self.base.get_untracked();
        for f in self.filed.get_untracked() {
            self.attachments.upload_waiting(&f.key, &base, &f.token);
        }
    }

    /// Refreshes the status overlay; an unreachable intake keeps the last one.
    pub fn refresh_overlay(&self) {
        let this = *self;
        let base = self.base.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(o) = intake::status_overlay(&base).await {
                this.overlay.set(o);
                // The intake answers again: queued filings need not wait out their backoff.
                if this.outbox.with_untracked(|q| q.iter().any(|x| !x.needs_attention)) {
                    this.flush(true);
                }
            }
        });
    }

    /// A listing summary with the live status laid over the catalog's (O3).
    pub fn effective_status(&self, summary: &DatasetSummary) -> DatasetStatus {
        self.overlay.with(|o| o.effective(&summary.id, summary.status, None, &self.built_at.get()).status)
    }

    /// A dataset's live status and note.
    pub fn effective(&self, id: &str, status: DatasetStatus, note: Option<&str>) -> (DatasetStatus, Option<String>) {
        let e = self.overlay.with(|o| o.effective(id, status, note, &self.built_at.get()));
        (e.status, e.note)
    }
}

/// Sets up the store for the app; the catalog (once loaded) names the intake's address
/// and the build time the overlay is compared with.
pub fn provide_filings_for(catalog: crate::app::CatalogCtx) -> FilingStore {
    let s = provide_filings();
    Effect::new(move |_| {
        if let Some(Ok(c)) = catalog.get() {
            let base = c.portal.intake.trim_end_matches('/').to_string();
            // Only a same-origin path: the app makes no third-party requests (X3).
            if base.starts_with('/') && !base.starts_with("//") && base != s.base.get_untracked() {
                s.base.set(base);
            }
            s.built_at.set(c.built_at.clone());
            // The intake's address is known now: files left waiting (a reload mid-upload) go.
            s.resume_uploads();
        }
    });
    s
}

/// Sets up the store: restores the outbox, sends what is queued, and keeps retrying.
pub fn provide_filings() -> FilingStore {
    let s = FilingStore {
        outbox: RwSignal::new(store::get(OUTBOX_KEY).unwrap_or_default()),
        filed: RwSignal::new(store::get(FILED_KEY).unwrap_or_default()),
        overlay: RwSignal::new(StatusOverlay::default()),
        built_at: RwSignal::new(String::new()),
        base: RwSignal::new(intake::DEFAULT_BASE.to_string()),
        attachments: crate::attachments::provide_attachments(),
        in_flight: StoredValue::new(HashSet::new()),
    };
    provide_context(s);
    // A page rendered at build time has no outbox to send and no intake to ask.
    if crate::browser::window().is_none() {
        return s;
    }
    s.flush(true);
    s.refresh_overlay();
    let ticks = std::cell::Cell::new(0u32);
    let _ = set_interval_with_handle(
        move || {
            s.flush(false);
            ticks.set(ticks.get() + 1);
            if ticks.get() % OVERLAY_EVERY_TICKS == 0 {
                s.refresh_overlay();
            }
        },
        TICK,
    );
    let _ = window_event_listener(leptos::ev::online, move |_| {
        s.flush(true);
        s.refresh_overlay();
    });
    // Another tab sent or queued something: follow it.
    let _ = window_event_listener(leptos::ev::storage, move |_| {
        s.outbox.set(store::get(OUTBOX_KEY).unwrap_or_default());
        s.filed.set(store::get(FILED_KEY).unwrap_or_default());
    });
    s
}

/// The helper listing and search pages call: `effective_status(&summary)` (reactive).
pub fn effective_status(summary: &DatasetSummary) -> DatasetStatus {
    effective_status_of(&summary.id, summary.status)
}

/// A dataset's live status from its id and catalog status (reactive).
pub fn effective_status_of(id: &str, status: DatasetStatus) -> DatasetStatus {
    effective_of(id, status, None).0
}

/// A record with the versions made since the build — each reopening after processing is
/// one (B3) — laid over it (reactive).
pub fn with_versions_of(d: &Dataset) -> Dataset {
    let mut d = d.clone();
    if let Some(s) = use_context::<FilingStore>() {
        let built_at = s.built_at.get();
        s.overlay.with(|o| o.apply_versions(&mut d, &built_at));
    }
    d
}

/// A dataset's live status and note (reactive).
pub fn effective_of(id: &str, status: DatasetStatus, note: Option<&str>) -> (DatasetStatus, Option<String>) {
    match use_context::<FilingStore>() {
        Some(s) => s.effective(id, status, note),
        None => (status, note.map(str::to_string)),
    }
}
