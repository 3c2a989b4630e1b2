//! Which actions an official may take on a filing now. The desk shows a form only for
//! these, so a form that can only fail is never offered; the intake still decides every
//! action through [`transition`], the one place the rules live.

use serde::{Deserialize, Serialize};

use crate::filing::state::{transition, Action, Actor, ApprovalPeriod, Progress, TransitionError};
use crate::filing::FilingState;
use crate::rules::Consent;

/// What the desk may offer on one filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Action names (`start_review`, `extend`, `approve` …), in the order the desk lists them.
    pub actions: Vec<String>,
    /// Working days of extension still allowed by the article (0: none left).
    pub extension_left: u32,
    /// Whose consent an extension needs, where the article names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_consent: Option<Consent>,
    /// The authority acts at the department's review step only under an entrustment
    /// (Xiangxi 35), which its form must then name.
    pub needs_entrustment: bool,
}

/// Every action an official or the authority can take, each with a placeholder payload:
/// [`transition`] checks legality and the actor before the payload, so an incomplete
/// payload (`Invalid`) still tells that the action itself is possible.
fn candidates() -> Vec<Action> {
    let s = String::new;
    let period = ApprovalPeriod { start: s(), end: s() };
    vec![
        Action::StartReview,
        Action::RequestInformation { message: s() },
        Action::Extend { notice: s(), working_days: 1, consented_by: None },
        Action::PassReview { opinion: s(), entrustment: None },
        Action::PassReview { opinion: s(), entrustment: Some(s()) },
        Action::Approve { scope: s(), period, agreement: s() },
        Action::Reject { reason: s(), entrustment: None },
        Action::Reject { reason: s(), entrustment: Some(s()) },
        Action::Forward { note: s() },
        Action::Correct { note: s() },
        Action::Accept { note: s() },
        Action::SuspendDataset { note: s() },
        Action::WithdrawDataset { note: s() },
        Action::RestoreDataset { note: s() },
        Action::ReopenProcessed { note: s() },
        Action::DecideReview { upheld: true, reason: s() },
    ]
}

/// The actions `actor` may take on a filing in `state` with `progress`.
pub fn offered_actions(state: FilingState, actor: Actor, progress: Progress) -> Offer {
    let mut actions: Vec<String> = Vec::new();
    let mut needs_entrustment = false;
    for action in candidates() {
        let possible = matches!(transition(state, &action, actor, progress), Ok(_) | Err(TransitionError::Invalid(_)));
        let name = action.name();
        if possible && !actions.contains(&name) {
            needs_entrustment |= action.entrustment().is_some();
            actions.push(name);
        }
    }
    Offer {
        actions,
        extension_left: progress.max_extension_days.saturating_sub(progress.extended_days),
        extension_consent: progress.extension_consent,
        needs_entrustment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::state::{ApplicationState as A, ObjectionState as O};
    use crate::rules::{FilingKind, RuleSet};

    fn offer(rules: &str, state: FilingState, actor: Actor, extended: u32) -> Offer {
        let rules = RuleSet::builtin(rules).unwrap();
        offered_actions(state, actor, Progress::under(&rules, state.kind(), extended))
    }

    #[test]
    fn each_state_offers_what_review_can_do_there() {
        let o = offer("yunnan", FilingState::Application(A::Submitted), Actor::Department, 0);
        assert_eq!(o.actions, ["start_review", "approve", "reject"]);
        let o = offer("yunnan", FilingState::Application(A::UnderReview), Actor::Department, 0);
        assert_eq!(o.actions, ["request_information", "extend", "approve", "reject"]);
        assert_eq!(
            (o.extension_left, o.extension_consent),
            (15, Some(Consent::Head)),
            "Yunnan 26: 15, the head approving"
        );
        // The extension used up: no extension offered.
        let o = offer("yunnan", FilingState::Application(A::Extended), Actor::Department, 15);
        assert!(!o.actions.contains(&"extend".to_string()) && o.extension_left == 0);
        // Nothing for the department while the filer holds it.
        assert!(
            offer("yunnan", FilingState::Application(A::InformationRequested), Actor::Department, 0).actions
                == ["reject"]
        );
    }

    /// O2: the objection's outcomes for the department, the review (复核) for the authority.
    #[test]
    fn objections_and_the_authoritys_review() {
        let o = offer("aba", FilingState::Objection(O::Verifying), Actor::Department, 0);
        assert_eq!(o.actions, ["suspend_dataset", "withdraw_dataset", "restore_dataset", "reopen_processed"]);
        let o = offer("aba", FilingState::Objection(O::ReviewRequested), Actor::Authority, 0);
        assert_eq!(o.actions, ["decide_review"]);
        assert!(offer("aba", FilingState::Objection(O::ReviewRequested), Actor::Department, 0).actions.is_empty());
        // Xiangxi 35: the authority takes the department's review step only when entrusted.
        let o = offer("xiangxi", FilingState::Application(A::UnderReview), Actor::Authority, 0);
        assert_eq!(
            (o.actions.clone(), o.needs_entrustment),
            (vec!["pass_review".to_string(), "reject".to_string()], true)
        );
        let o = offer("xiangxi", FilingState::Application(A::AwaitingApproval), Actor::Authority, 0);
        assert_eq!(
            (o.actions.clone(), o.needs_entrustment),
            (vec!["approve".to_string(), "reject".to_string()], false)
        );
        let _ = FilingKind::Objection;
    }
}
