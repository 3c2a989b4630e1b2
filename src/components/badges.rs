//! Badges for a dataset's open attribute, status and emergency flag (B1, B3).

use crate::i18n::use_i18n;
use kaifang_core::catalog::{DatasetStatus, OpenKind};
use leptos::prelude::*;

pub fn open_key(kind: OpenKind) -> &'static str {
    match kind {
        OpenKind::Unconditional => "open.unconditional",
        OpenKind::Conditional => "open.conditional",
        OpenKind::Closed => "open.closed",
    }
}

pub fn status_key(status: DatasetStatus) -> &'static str {
    match status {
        DatasetStatus::Open => "status.open",
        DatasetStatus::Suspended => "status.suspended",
        DatasetStatus::Withdrawn => "status.withdrawn",
        DatasetStatus::Invalid => "status.invalid",
    }
}

#[component]
pub fn OpenBadge(kind: OpenKind) -> impl IntoView {
    let t = use_i18n();
    view! { <span class=format!("badge open-{}", kind.as_str())>{t.tr(open_key(kind))}</span> }
}

#[component]
pub fn StatusBadge(status: DatasetStatus) -> impl IntoView {
    let t = use_i18n();
    view! { <span class=format!("badge status-{}", status.as_str())>{t.tr(status_key(status))}</span> }
}

#[component]
pub fn EmergencyBadge() -> impl IntoView {
    let t = use_i18n();
    view! { <span class="badge emergency">{t.tr("emergency.flag")}</span> }
}

/// The banner every view of a non-open dataset carries (B3, O3).
#[component]
pub fn StatusBanner(status: DatasetStatus, note: Option<String>) -> impl IntoView {
    let t = use_i18n();
    let key = match status {
        DatasetStatus::Open => return None,
        DatasetStatus::Suspended => "status.banner.suspended",
        DatasetStatus::Withdrawn => "status.banner.withdrawn",
        DatasetStatus::Invalid => "status.banner.invalid",
    };
    Some(view! {
        <div class=format!("status-banner status-{}", status.as_str()) role="status">
            <strong>{t.tr(status_key(status))}</strong>
            " "
            <span>{t.tr(key)}</span>
            {note.map(|n| view! { <p class="status-note">{n}</p> })}
        </div>
    })
}
