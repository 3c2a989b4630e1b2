//! The user's own favourites and download log (`kaifang_core::mydata`), kept in local
//! storage and shared by the dataset page and the "my data" page through context.
//! A3: the acquisition date of a dataset comes from here.

use crate::offline::files::{self, Report};
use crate::store;
use crate::today::today;
use kaifang_core::attribution::Acquired;
use kaifang_core::mydata::{DownloadRecord, MyData};
use kaifang_core::offline_files::OfflineLimit;
use leptos::prelude::*;

const KEY: &str = "mydata";

#[derive(Clone, Copy)]
pub struct MyDataCtx {
    pub data: RwSignal<MyData>,
    /// The last run of keeping files offline (`None` before the first).
    pub offline: RwSignal<Option<Report>>,
    /// Runs started; a run's report is shown only if no later run has started since.
    offline_runs: RwSignal<u32>,
}

/// Loads the stored data once, at start; sets up the context.
pub fn provide_my_data() -> MyDataCtx {
    let raw: Option<String> = store::get::<serde_json::Value>(KEY).map(|v| v.to_string());
    let (data, _dropped) = MyData::from_json(raw.as_deref());
    let ctx = MyDataCtx { data: RwSignal::new(data), offline: RwSignal::new(None), offline_runs: RwSignal::new(0) };
    provide_context(ctx);
    ctx
}

pub fn use_my_data() -> MyDataCtx {
    expect_context::<MyDataCtx>()
}

impl MyDataCtx {
    fn save(&self) {
        let value: serde_json::Value =
            serde_json::from_str(&self.data.with_untracked(|d| d.to_json())).unwrap_or_default();
        store::set(KEY, &value);
    }

    /// A3: the day of the user's last download of this dataset, else today (reactive).
    pub fn acquired(&self, dataset_id: &str) -> Acquired {
        Acquired::choose(self.data.with(|d| d.acquired(dataset_id)), today())
    }

    pub fn is_favourite(&self, dataset_id: &str) -> bool {
        self.data.with(|d| d.is_favourite(dataset_id))
    }

    pub fn toggle_favourite(&self, dataset_id: &str, title: &str) {
        self.data.update(|d| {
            d.toggle_favourite(dataset_id, title, today());
        });
        self.save();
        if self.data.with_untracked(|d| d.offline_limit.is_some()) {
            self.keep_files_offline();
        }
    }

    /// The person chose how much space offline copies may take (`None`: keep none).
    pub fn set_offline_limit(&self, limit: Option<OfflineLimit>) {
        self.data.update(|d| d.offline_limit = limit);
        self.save();
        self.keep_files_offline();
    }

    /// Brings the offline copies in line with the favourite and downloaded datasets and the
    /// agreed limit.
    pub fn keep_files_offline(&self) {
        let (datasets, limit) = self.data.with_untracked(|d| (d.kept_datasets(), d.offline_limit));
        self.offline_runs.update(|n| *n += 1);
        let run = self.offline_runs.get_untracked();
        let ctx = *self;
        leptos::task::spawn_local(async move {
            let report = files::sync(datasets, limit).await;
            if ctx.offline_runs.get_untracked() == run {
                ctx.offline.set(Some(report));
            }
        });
    }

    pub fn record_download(&self, rec: DownloadRecord) {
        self.data.update(|d| d.record_download(rec));
        self.save();
        if self.data.with_untracked(|d| d.offline_limit.is_some()) {
            self.keep_files_offline();
        }
    }

    /// X3: removes every key the app keeps in this browser and forgets them here too.
    pub fn clear_all(&self) -> usize {
        let n = store::clear_all();
        // Files chosen for filings live in IndexedDB.
        leptos::task::spawn_local(crate::files::clear_all());
        // Pages and records kept for offline reading (src/sw.js).
        crate::offline::clear_caches();
        self.data.set(MyData::default());
        self.offline.set(None);
        n
    }
}
