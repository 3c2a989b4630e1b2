//! "My data" (issue 4, item 5; MISSION A3, X3): the favourites and downloads a user keeps
//! in their own browser. The download log is the source of the acquisition date: a
//! dataset's date is the last day the user downloaded it on this device.
//!
//! Kept as one JSON value in local storage; this module holds the rules so they are tested
//! natively, the app only loads and saves it. Stored data is outside input too (another
//! version or the user may have edited it), so [`MyData::from_json`] never fails: what
//! cannot be read is dropped and reported.

use crate::catalog::Date;
use crate::offline_files::OfflineLimit;
use serde::{Deserialize, Serialize};

/// At most this many download records are kept (oldest dropped first): local storage is
/// small and the list is for people, not an audit log.
pub const MAX_DOWNLOADS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Favourite {
    pub dataset_id: String,
    pub title: String,
    pub added: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadRecord {
    pub dataset_id: String,
    pub title: String,
    /// The file's name as downloaded.
    pub file: String,
    /// The day of the download (A3's acquisition date).
    pub acquired: Date,
    /// `bundle` (ZIP with attribution) or `original`.
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyData {
    #[serde(default)]
    pub favourites: Vec<Favourite>,
    /// Newest first.
    #[serde(default)]
    pub downloads: Vec<DownloadRecord>,
    /// The space the person agreed to give to offline copies of their favourites' files;
    /// `None` until they choose one (nothing is kept without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_limit: Option<OfflineLimit>,
}

impl MyData {
    /// Reads stored JSON. Returns the data and whether anything had to be dropped.
    pub fn from_json(s: Option<&str>) -> (MyData, bool) {
        let Some(s) = s else { return (MyData::default(), false) };
        if let Ok(d) = serde_json::from_str::<MyData>(s) {
            return (d, false);
        }
        // Salvage the entries that still read.
        let v: serde_json::Value = serde_json::from_str(s).unwrap_or_default();
        let list = |key: &str| v.get(key).and_then(|x| x.as_array()).cloned().unwrap_or_default();
        let favourites = list("favourites").into_iter().filter_map(|x| serde_json::from_value(x).ok()).collect();
        let downloads = list("downloads").into_iter().filter_map(|x| serde_json::from_value(x).ok()).collect();
        let offline_limit = v.get("offline_limit").and_then(|x| serde_json::from_value(x.clone()).ok());
        (MyData { favourites, downloads, offline_limit }, true)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn is_favourite(&self, dataset_id: &str) -> bool {
        self.favourites.iter().any(|f| f.dataset_id == dataset_id)
    }

    /// Adds or removes a favourite; returns whether it is a favourite afterwards.
    pub fn toggle_favourite(&mut self, dataset_id: &str, title: &str, today: Date) -> bool {
        if self.is_favourite(dataset_id) {
            self.favourites.retain(|f| f.dataset_id != dataset_id);
            false
        } else {
            self.favourites.push(Favourite { dataset_id: dataset_id.into(), title: title.into(), added: today });
            true
        }
    }

    /// Records a download. A repeat download of the same file replaces the older record
    /// (the acquisition date moves to the new day) and goes to the top.
    pub fn record_download(&mut self, rec: DownloadRecord) {
        self.downloads.retain(|d| !(d.dataset_id == rec.dataset_id && d.file == rec.file && d.kind == rec.kind));
        self.downloads.insert(0, rec);
        self.downloads.truncate(MAX_DOWNLOADS);
    }

    /// The datasets whose files may be kept offline (issue 18), as (id, title): the
    /// favourites in the order added, then the datasets downloaded here, newest first.
    pub fn kept_datasets(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let favourites = self.favourites.iter().map(|f| (&f.dataset_id, &f.title));
        for (id, title) in favourites.chain(self.downloads.iter().map(|d| (&d.dataset_id, &d.title))) {
            if !out.iter().any(|(known, _)| known == id) {
                out.push((id.clone(), title.clone()));
            }
        }
        out
    }

    /// A3: the last day this dataset was downloaded here, if ever.
    pub fn acquired(&self, dataset_id: &str) -> Option<Date> {
        self.downloads.iter().filter(|d| d.dataset_id == dataset_id).map(|d| d.acquired.clone()).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    fn rec(id: &str, file: &str, day: &str) -> DownloadRecord {
        DownloadRecord {
            dataset_id: id.into(),
            title: "t".into(),
            file: file.into(),
            acquired: d(day),
            kind: "bundle".into(),
        }
    }

    #[test]
    fn acquisition_date_is_the_last_download() {
        let mut m = MyData::default();
        assert_eq!(m.acquired("a"), None);
        m.record_download(rec("a", "x.csv", "2026-11-01"));
        m.record_download(rec("b", "y.csv", "2026-11-10"));
        m.record_download(rec("a", "z.csv", "2026-11-05"));
        assert_eq!(m.acquired("a"), Some(d("2026-11-05")));
        m.record_download(rec("a", "x.csv", "2026-11-20"));
        assert_eq!(m.acquired("a"), Some(d("2026-11-20")));
        assert_eq!(m.downloads.len(), 3, "the repeat replaced its older record");
        assert_eq!(m.downloads[0].file, "x.csv");
    }

    #[test]
    fn favourites_toggle() {
        let mut m = MyData::default();
        assert!(m.toggle_favourite("a", "甲", d("2026-11-23")));
        assert!(m.is_favourite("a"));
        assert!(!m.toggle_favourite("a", "甲", d("2026-11-23")));
        assert!(!m.is_favourite("a"));
    }

    #[test]
    fn stored_json_round_trips_and_bad_entries_are_dropped() {
        let mut m = MyData::default();
        m.toggle_favourite("a", "甲", d("2026-11-23"));
        m.record_download(rec("a", "x.csv", "2026-11-01"));
        m.offline_limit = OfflineLimit::from_mb(50);
        assert_eq!(MyData::from_json(Some(&m.to_json())), (m.clone(), false));
        let damaged = r#"{"favourites":[{"dataset_id":"a","title":"甲","added":"2026-11-23"},{"dataset_id":"b"}],
                          "downloads":[{"dataset_id":"a","title":"t","file":"x.csv","acquired":"2026-13-01","kind":"bundle"}]}"#;
        let (got, dropped) = MyData::from_json(Some(damaged));
        assert!(dropped);
        assert_eq!(got.favourites.len(), 1);
        assert!(got.downloads.is_empty(), "an impossible date is not an acquisition date");
        let (got, dropped) = MyData::from_json(Some(r#"{"favourites":[{"dataset_id":"b"}],"offline_limit":50}"#));
        assert!(dropped);
        assert_eq!(got.offline_limit, OfflineLimit::from_mb(50), "the agreed limit survives a damaged list");
        let (got, _) = MyData::from_json(Some(r#"{"offline_limit":123456}"#));
        assert_eq!(got.offline_limit, None, "a limit never offered is not an agreement");
        assert_eq!(MyData::from_json(Some("not json")), (MyData::default(), true));
        assert_eq!(MyData::from_json(None), (MyData::default(), false));
    }

    #[test]
    fn favourites_then_downloads_are_kept_offline_each_once() {
        let mut m = MyData::default();
        m.record_download(rec("b", "y.csv", "2026-11-01"));
        m.toggle_favourite("a", "甲", d("2026-11-23"));
        m.record_download(rec("a", "x.csv", "2026-11-02"));
        m.record_download(rec("c", "z.csv", "2026-11-03"));
        let ids: Vec<String> = m.kept_datasets().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["a", "c", "b"]);
    }

    #[test]
    fn download_log_is_bounded() {
        let mut m = MyData::default();
        for i in 0..(MAX_DOWNLOADS + 10) {
            m.record_download(rec("a", &format!("{i}.csv"), "2026-11-01"));
        }
        assert_eq!(m.downloads.len(), MAX_DOWNLOADS);
        assert_eq!(m.downloads[0].file, format!("{}.csv", MAX_DOWNLOADS + 9));
    }
}
