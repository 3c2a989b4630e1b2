//! What the intake answers about a filing (`docs/intake-api.yaml`): the receipt, the filer's
//! view with its timeline and evidence. One definition for both ends — the intake serialises
//! these and the app reads them — so the two cannot drift apart.

use crate::rules::FilingKind;
use serde::{Deserialize, Serialize};

/// The statutory reply date and where it comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeadlineView {
    pub date: String,
    /// The date falls in a year whose official holidays are not yet published.
    pub estimated: bool,
    /// Working days after receipt, extensions included.
    pub working_days: u32,
    /// The article the limit comes from, or `null` when the regulation names no day count.
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub basis_note: Option<String>,
}

/// The answer to a new filing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Receipt {
    pub reference: String,
    pub kind: FilingKind,
    pub state: String,
    pub received_at: String,
    pub received_on: String,
    pub deadline: DeadlineView,
    /// Shown once; only its hash is stored. Reads the filing and nothing else.
    pub token: String,
}

/// One step of a filing's history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub state: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
}

/// An evidence file the intake holds (its bytes are fetched apart).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EvidenceMeta {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
}

/// A filing as its filer sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FilingView {
    pub reference: String,
    pub kind: FilingKind,
    pub state: String,
    pub received_at: String,
    pub received_on: String,
    pub deadline: DeadlineView,
    /// The reply is late: the deadline has passed and the provider still owes a reply.
    pub overdue: bool,
    pub dataset_ids: Vec<String>,
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub evidence: Vec<EvidenceMeta>,
}
