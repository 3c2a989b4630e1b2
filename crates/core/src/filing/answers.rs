//! What the intake answers about a filing (`docs/intake-api.yaml`): the receipt, the filer's
//! view with its timeline and evidence. One definition for both ends — the intake serialises
//! these and the app reads them — so the two cannot drift apart. A field added later is an
//! `Option` (a missing one reads as `None`, serde's rule for options) or has a default, so an
//! answer from before it still reads.

use crate::filing::state::{Actor, FilingState};
use crate::rules::{ApprovalChain, FilingKind};
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
    pub article: Option<String>,
    pub basis_note: Option<String>,
}

/// Declares an answer about one filing: what every such answer opens with (which filing, its
/// state, when it came in, its deadline), then its own fields. One list, so the receipt and the
/// filer's view cannot come to name these facts differently.
macro_rules! filing_answer {
    ($(#[$attr:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
        pub struct $name {
            pub reference: String,
            pub kind: FilingKind,
            pub state: String,
            pub received_at: String,
            pub received_on: String,
            pub deadline: DeadlineView,
            $($own)*
        }
    };
}

filing_answer! {
    /// The answer to a new filing.
    pub struct Receipt {
        /// Shown once; only its hash is stored. Reads the filing and nothing else.
        pub token: String,
    }
}

/// One step of a filing's history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub state: String,
    pub note: Option<String>,
    pub deadline: Option<String>,
    /// Who consented to an extension (Xiangxi 35/39: the department's 主要负责人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consented_by: Option<String>,
    /// The entrustment under which the data authority took the department's review
    /// (Xiangxi 35: 委托代为审核).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrustment: Option<String>,
}

/// Which step of its approval chain an application is at, e.g. step 2 of 2 with the
/// data authority (Xiangxi 35), so the filer knows who holds it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApprovalProgress {
    pub step: u32,
    pub steps: u32,
    /// Who holds the filing at this step.
    pub with: Actor,
}

impl ApprovalProgress {
    /// The progress of an application in `state` under `chain`; `None` once decided.
    pub fn of(state: FilingState, chain: &ApprovalChain) -> Option<ApprovalProgress> {
        let step = state.approval_step()?;
        let with = if step == 1 { Actor::Department } else { Actor::Authority };
        Some(ApprovalProgress { step, steps: chain.steps(), with })
    }
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

filing_answer! {
    /// A filing as its filer sees it.
    pub struct FilingView {
        /// The reply is late: the deadline has passed and the provider still owes a reply.
        pub overdue: bool,
        pub dataset_ids: Vec<String>,
        /// Where an undecided application stands in its approval chain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub approval: Option<ApprovalProgress>,
        pub timeline: Vec<TimelineEntry>,
        #[serde(default)]
        pub evidence: Vec<EvidenceMeta>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::state::ApplicationState as A;
    use crate::rules::RuleSet;

    /// MISSION C3: the filer sees which step of Xiangxi 35's two it is at.
    #[test]
    fn approval_progress_names_the_step_and_who_holds_it() {
        let two = RuleSet::builtin("xiangxi").unwrap().approval_chain;
        let at = |s| ApprovalProgress::of(FilingState::Application(s), &two);
        assert_eq!(at(A::UnderReview), Some(ApprovalProgress { step: 1, steps: 2, with: Actor::Department }));
        assert_eq!(at(A::AwaitingApproval), Some(ApprovalProgress { step: 2, steps: 2, with: Actor::Authority }));
        assert_eq!(at(A::Approved), None);
        let one = RuleSet::builtin("yunnan").unwrap().approval_chain;
        assert_eq!(ApprovalProgress::of(FilingState::Application(A::Extended), &one).map(|p| p.steps), Some(1));
    }

    /// Answers written before the optional fields existed still read, with them empty.
    #[test]
    fn missing_optional_fields_read_as_none() {
        let d: DeadlineView =
            serde_json::from_str(r#"{"date":"2026-01-05","estimated":false,"working_days":20}"#).unwrap();
        assert_eq!((d.article, d.basis_note), (None, None));
        let e: TimelineEntry =
            serde_json::from_str(r#"{"at":"t","actor":"filer","action":"submit","state":"received"}"#).unwrap();
        assert_eq!((e.note, e.deadline, e.consented_by, e.entrustment), (None, None, None, None));
    }
}
