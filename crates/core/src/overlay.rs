//! The status overlay (MISSION O3): datasets suspended, withdrawn or reopened through the
//! intake after the static catalog was built. The intake serves it at `GET /api/v1/status`
//! as `{"datasets": {"<id>": {"status", "since", "note"}}}`; the app lays it over the
//! catalog so every listing, search result and dataset page shows the same status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{DatasetStatus, DatasetSummary};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlayEntry {
    pub status: DatasetStatus,
    /// When the change was made (RFC 3339, UTC).
    pub since: String,
    #[serde(default)]
    pub note: Option<String>,
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

    /// A listing summary with its effective status.
    pub fn apply(&self, mut summary: DatasetSummary, built_at: &str) -> DatasetSummary {
        summary.status = self.effective(&summary.id, summary.status, None, built_at).status;
        summary
    }
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

    #[test]
    fn unreadable_times_trust_the_overlay() {
        let e = overlay().effective("jt-bus-stops", DatasetStatus::Open, None, "yesterday");
        assert_eq!(e.status, DatasetStatus::Suspended);
        assert!(happened_before("2026-11-23T09:00:00.5Z", "2026-11-23T09:00:01Z"));
    }
}
