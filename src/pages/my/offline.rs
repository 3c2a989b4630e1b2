//! "Data files for offline use" on "my data" (issue 18): the person chooses how much space
//! copies of their favourites' files may take, and sees which are kept, which do not fit
//! and which could not be saved. The keeping itself is `crate::offline::files`.

use crate::components::download_panel::format_size;
use crate::i18n::{use_i18n, I18n};
use crate::mydata::{use_my_data, MyDataCtx};
use crate::offline::files::{FileState, FileStatus};
use kaifang_core::offline_files::{OfflineLimit, LIMIT_CHOICES_MB};
use leptos::prelude::*;

#[component]
pub fn OfflineFiles() -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    // A visit checks the copies against the favourites (a file may have been republished).
    Effect::new(move |_| {
        if my.data.with_untracked(|d| d.offline_limit.is_some()) {
            my.keep_files_offline();
        }
    });
    let chosen = move || my.data.with(|d| d.offline_limit.map(OfflineLimit::mb).unwrap_or(0));
    let on_change = move |ev| {
        let mb: u32 = event_target_value(&ev).parse().unwrap_or(0);
        my.set_offline_limit(OfflineLimit::from_mb(mb));
    };
    view! {
        <section aria-labelledby="my-offline" data-testid="offline-files">
            <h2 id="my-offline">{t.tr("dataset.my.offline.heading")}</h2>
            <p class="hint">{t.tr("dataset.my.offline.intro")}</p>
            <p>
                <label for="offline-limit">{t.tr("dataset.my.offline.limit")}</label>" "
                <select id="offline-limit" data-testid="offline-limit" on:change=on_change>
                    <option value="0" selected=move || chosen() == 0>{t.tr("dataset.my.offline.none")}</option>
                    {LIMIT_CHOICES_MB.iter().map(|&mb| view! {
                        <option value=mb.to_string() selected=move || chosen() == mb>{format!("{mb} MB")}</option>
                    }).collect_view()}
                </select>
            </p>
            <p role="status" aria-live="polite" data-testid="offline-summary">{move || summary(t, my, chosen())}</p>
            <ul class="offline-list" data-testid="offline-list">
                {move || my.offline.get().map(|r| r.files.into_iter().map(|f| file_item(t, f)).collect_view())}
            </ul>
        </section>
    }
}

fn summary(t: I18n, my: MyDataCtx, limit_mb: u32) -> String {
    let Some(limit) = OfflineLimit::from_mb(limit_mb) else { return t.get("dataset.my.offline.off") };
    let Some(report) = my.offline.get() else { return t.get("dataset.my.offline.checking") };
    let kept = report.files.iter().filter(|f| f.state == FileState::Kept).count();
    let mut s = t.fmt(
        "dataset.my.offline.summary",
        &[("n", &kept.to_string()), ("used", &format_size(report.used)), ("limit", &format_size(limit.bytes()))],
    );
    if !report.unchecked.is_empty() {
        s = format!("{s} {}", t.get("dataset.my.offline.unchecked"));
    }
    s
}

fn file_item(t: I18n, f: FileStatus) -> impl IntoView {
    let (state, label) = match &f.state {
        FileState::Kept => ("kept", t.get("dataset.my.offline.kept")),
        FileState::OverLimit => ("over", t.get("dataset.my.offline.over")),
        FileState::Failed(why) => ("failed", t.fmt("dataset.my.offline.failed", &[("why", why)])),
    };
    let name = f.path.rsplit('/').next().unwrap_or_default().to_string();
    view! {
        <li data-state=state data-dataset=f.dataset_id.clone()>
            <span class="offline-title">{f.title}</span>" · "{name}" · "{format_size(f.byte_size)}" · "
            <strong>{label}</strong>
        </li>
    }
}
