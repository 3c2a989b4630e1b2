//! The status overlay (MISSION O3): datasets suspended, withdrawn or reopened through the
//! intake after the static catalog was built. The intake serves it at `GET /api/v1/status`
//! as `{"datasets": {"<id>": {"status", "since", "note"}}}`; the app lays it over the
//! catalog so every listing, search result and dataset page shows the same status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::catalog::{Dataset, DatasetStatus, DatasetSummary, VersionEntry};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlayEntry {
    pub status: DatasetStatus,
    /// When the change was made (RFC 3339, UTC).
    pub since: String,
    #[serde(default)]
    pub note: Option<String>,
    /// Every time the dataset was reopened after processing (处理后再开放, Aba 33 ¶2,
    /// Xiangxi 45), oldest first. Each is a new version of the dataset (MISSION B3): the data
    /// readers get is no longer the data they got before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reopenings: Vec<Reopening>,
}

/// One reopening after processing, as the intake recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopening {
    /// RFC 3339, UTC.
    pub at: String,
    /// What was done to the data (the department's note, e.g. "已脱敏处理").
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusOverlay {
    #[serde(default)]
    pub datasets: BTreeMap<String, OverlayEntry>,
}

/// A dataset's status as it stands now, with the note that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub status: DatasetStatus,
    pub note: Option<String>,
}

impl StatusOverlay {
    /// The status of dataset `id` whose catalog record says `status`/`note`, in a catalog
    /// built at `built_at`. A change made after the build wins; a catalog rebuilt after the
    /// change already carries it (or a later decision), so the catalog wins then.
    pub fn effective(&self, id: &str, status: DatasetStatus, note: Option<&str>, built_at: &str) -> Effective {
        match self.datasets.get(id) {
            Some(e) if !happened_before(&e.since, built_at) => Effective { status: e.status, note: e.note.clone() },
            _ => Effective { status, note: note.map(str::to_string) },
        }
    }

    /// Lays the reopenings made after the build over a record: each adds a version to its
    /// history, and the last one is its version and its modification day (B3: 处理后再开放
    /// is a new version). Reopenings before the build, and those the record already carries
    /// (a history entry of that day with that note: a page `serve --pages` rendered with them,
    /// a source the maintainer updated), are not added again.
    pub fn apply_versions(&self, d: &mut Dataset, built_at: &str) {
        let Some(e) = self.datasets.get(&d.id) else { return };
        for r in e.reopenings.iter().filter(|r| !happened_before(&r.at, built_at)) {
            let Some(date) = china_day(&r.at) else { continue };
            if d.history.iter().any(|h| h.date == date && h.note == r.note) {
                continue;
            }
            d.version = next_version(&d.version);
            d.modified = date.clone();
            // Histories list the newest version first, as catalogs write them.
            d.history.insert(0, VersionEntry { version: d.version.clone(), date, note: r.note.clone() });
        }
    }

    /// A listing summary with its effective status.
    pub fn apply(&self, mut summary: DatasetSummary, built_at: &str) -> DatasetSummary {
        summary.status = self.effective(&summary.id, summary.status, None, built_at).status;
        summary
    }
}

/// The version after `v`: its last number one higher ("1.2" → "1.3", "v2" → "v3"); a
/// version that ends in no number gets ".1" ("初版" → "初版.1"), so it always changes.
pub fn next_version(v: &str) -> String {
    let digits = v.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (head, tail) = v.split_at(v.len() - digits);
    match tail.parse::<u64>() {
        Ok(n) => format!("{head}{}", n.saturating_add(1)),
        Err(_) => format!("{v}.1"),
    }
}

/// The day in China (UTC+8) of an RFC 3339 UTC time: a version is dated where it was made.
fn china_day(t: &str) -> Option<crate::catalog::Date> {
    let key = utc_key(t)?;
    let num = |r: std::ops::Range<usize>| key.get(r)?.parse::<i64>().ok();
    let day = Day::from_ymd(num(0..4)? as i32, num(5..7)? as u32, num(8..10)? as u32);
    let secs = num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?;
    Some(Day::in_china_at_unix(day.0 * 86_400 + secs).to_date())
}

/// Whether `a` is strictly earlier than `b`, both RFC 3339 UTC times. Times in another
/// form cannot be compared, and then the overlay (the live source) is trusted.
fn happened_before(a: &str, b: &str) -> bool {
    match (utc_key(a), utc_key(b)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a `…Z` time (fractions ignored), which sorts as text.
fn utc_key(t: &str) -> Option<&str> {
    let t = t.trim();
    if !t.ends_with('Z') || t.len() < 20 || t.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    t.get(..19)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay() -> StatusOverlay {
        serde_json::from_str(
            r#"{"datasets": {
                "jt-bus-stops": {"status": "suspended", "since": "2026-11-23T09:00:00Z", "note": "核实异议中"},
                "hb-air-quality": {"status": "open", "since": "2026-11-20T09:00:00Z", "note": null}
            }}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_change_after_the_build_wins() {
        let e = overlay().effective("jt-bus-stops", DatasetStatus::Open, None, "2026-11-22T00:00:00Z");
        assert_eq!(e, Effective { status: DatasetStatus::Suspended, note: Some("核实异议中".into()) });
    }

    #[test]
    fn a_rebuilt_catalog_wins_over_an_older_change() {
        let e = overlay().effective("jt-bus-stops", DatasetStatus::Withdrawn, Some("已撤回"), "2026-11-24T00:00:00Z");
        assert_eq!(e, Effective { status: DatasetStatus::Withdrawn, note: Some("已撤回".into()) });
    }

    #[test]
    fn datasets_not_in_the_overlay_keep_their_status() {
        let e = overlay().effective("yb-settlement", DatasetStatus::Invalid, Some("x"), "2026-01-01T00:00:00Z");
        assert_eq!(e.status, DatasetStatus::Invalid);
        // A restore after the build reopens a dataset the catalog still shows suspended.
        let e = overlay().effective("hb-air-quality", DatasetStatus::Suspended, None, "2026-11-01T00:00:00Z");
        assert_eq!(e.status, DatasetStatus::Open);
    }

    /// MISSION B3, Aba 33 ¶2 / Xiangxi 45 (处理后再开放): a dataset reopened after processing
    /// is a new version — its version number goes up, the day of the reopening (in China)
    /// is its modification day, and the history names what was done.
    #[test]
    fn reopening_after_processing_is_a_new_version_b3() {
        let mut o = overlay();
        let reopen = |at: &str, note: &str| Reopening { at: at.into(), note: note.into() };
        o.datasets.get_mut("jt-bus-stops").unwrap().reopenings =
            vec![reopen("2026-11-20T09:00:00Z", "旧的"), reopen("2026-11-23T17:30:00Z", "已脱敏处理")];
        let mut d = crate::testutil::bus_stops();
        let before = d.history.len();
        o.apply_versions(&mut d, "2026-11-22T00:00:00Z");
        assert_eq!(d.version, "2.2", "one reopening after the build: one version");
        assert_eq!(d.modified.as_str(), "2026-11-24", "17:30 UTC is the next day in China");
        assert_eq!(d.history.len(), before + 1);
        assert_eq!((d.history[0].version.as_str(), d.history[0].note.as_str()), ("2.2", "已脱敏处理"));
        // Applied again (a page rendered with them, read by the app): nothing changes.
        let once = d.clone();
        o.apply_versions(&mut d, "2026-11-22T00:00:00Z");
        assert_eq!(d, once);
        // A catalog built before both carries neither: two versions.
        let mut d = crate::testutil::bus_stops();
        o.apply_versions(&mut d, "2026-11-01T00:00:00Z");
        assert_eq!(d.version, "2.3");
        // Datasets never reopened are left as they are.
        let mut d = crate::testutil::air_quality_gbk();
        let same = d.clone();
        o.apply_versions(&mut d, "2026-11-01T00:00:00Z");
        assert_eq!(d, same);
    }

    #[test]
    fn next_versions() {
        assert_eq!(next_version("2.1"), "2.2");
        assert_eq!(next_version("v9"), "v10");
        assert_eq!(next_version("2026-11"), "2026-12");
        assert_eq!(next_version("初版"), "初版.1");
        assert_eq!(next_version(""), ".1");
        assert_eq!(
            next_version("99999999999999999999"),
            "99999999999999999999.1",
            "too long to count: still a new name"
        );
    }

    #[test]
    fn unreadable_times_trust_the_overlay() {
        let e = overlay().effective("jt-bus-stops", DatasetStatus::Open, None, "yesterday");
        assert_eq!(e.status, DatasetStatus::Suspended);
        assert!(happened_before("2026-11-23T09:00:00.5Z", "2026-11-23T09:00:01Z"));
    }
}
