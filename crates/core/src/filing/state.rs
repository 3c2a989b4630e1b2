//! States and transitions of each kind of filing (MISSION C3, O2, E1, E2).
//!
//! Each kind has its own state enum, so an application can never be "dataset suspended".
//! [`transition`] is the only way to move: it checks who acts, whether the action is
//! allowed from the current state and whether its payload is complete, and answers with
//! the next state plus any effect on the dataset (suspension, withdrawal…) — or an error.
//!
//! ```text
//! application   submitted → under_review ⇄ information_requested
//!                             ↓ extend (notice, consent, total ≤ limit) → extended
//!               one step (Yunnan 26, Aba 32 …): the department decides
//!                 submitted / under_review / extended → approved (scope, period, agreement)
//!                                                     → rejected (reason)
//!               two steps (Xiangxi 35): the department reviews (审核), the authority approves (审批)
//!                 submitted / under_review / extended → pass_review → awaiting_approval
//!                                                     → rejected by the department (reason)
//!                 awaiting_approval → approved / rejected by the authority (reason)
//! objection     received → verifying → dataset_suspended
//!               verifying / dataset_suspended → withdrawn / restored / processed_and_reopened
//!               outcome → review_requested (复核, Aba 33) → review_decided
//! error_report  received → verifying → extended → corrected / dismissed (Xiangxi 39, Aba 20)
//!               via the authority (Aba 20 ¶3): awaiting_forwarding → forward → received
//! data_request  received → under_consideration → accepted / declined (Xiangxi 43)
//! ```

use serde::{Deserialize, Serialize};

use super::check::{Errors, FieldError};
use crate::catalog::DatasetStatus;
use crate::rules::{ApprovalChain, Consent, FilingKind, Routing, RuleSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Submitted,
    UnderReview,
    Extended,
    InformationRequested,
    /// The department's review (审核) passed; the data authority's approval (审批) is due
    /// (two-step chains only, Xiangxi 35).
    AwaitingApproval,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionState {
    Received,
    Verifying,
    DatasetSuspended,
    Withdrawn,
    Restored,
    ProcessedAndReopened,
    ReviewRequested,
    ReviewDecided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorReportState {
    /// Filed with the data authority, to be forwarded to the department (Aba 20 ¶3).
    AwaitingForwarding,
    Received,
    Verifying,
    Extended,
    /// The data was corrected (Xiangxi 39 校核, Aba 20 更正).
    Corrected,
    /// Checked and found correct; the reason is told to the reporter.
    Dismissed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataRequestState {
    Received,
    UnderConsideration,
    /// To be listed in the open catalog (Xiangxi 43: 及时列入开放清单).
    Accepted,
    Declined,
}

/// A filing's state, tagged by its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "snake_case")]
pub enum FilingState {
    Application(ApplicationState),
    Objection(ObjectionState),
    ErrorReport(ErrorReportState),
    DataRequest(DataRequestState),
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string)).unwrap_or_default()
}

impl FilingState {
    /// Where every filing of a kind starts under `rules` (an error report routed through
    /// the authority starts with the authority).
    pub fn initial(kind: FilingKind, rules: &RuleSet) -> FilingState {
        match kind {
            FilingKind::Application => FilingState::Application(ApplicationState::Submitted),
            FilingKind::Objection => FilingState::Objection(ObjectionState::Received),
            FilingKind::ErrorReport => FilingState::ErrorReport(match rules.error_report_routing {
                Routing::Direct => ErrorReportState::Received,
                Routing::ViaAuthority { .. } => ErrorReportState::AwaitingForwarding,
            }),
            FilingKind::DataRequest => FilingState::DataRequest(DataRequestState::Received),
        }
    }

    /// The filing waits for the authority to forward it; the forwarding limit runs.
    pub fn awaiting_forwarding(self) -> bool {
        self == FilingState::ErrorReport(ErrorReportState::AwaitingForwarding)
    }

    /// Which step of its approval chain an application is at (1-based), while one is
    /// running; `None` for other kinds and for decided applications.
    pub fn approval_step(self) -> Option<u32> {
        use ApplicationState as A;
        match self {
            FilingState::Application(A::Submitted | A::UnderReview | A::Extended | A::InformationRequested) => Some(1),
            FilingState::Application(A::AwaitingApproval) => Some(2),
            _ => None,
        }
    }

    pub fn kind(self) -> FilingKind {
        match self {
            FilingState::Application(_) => FilingKind::Application,
            FilingState::Objection(_) => FilingKind::Objection,
            FilingState::ErrorReport(_) => FilingKind::ErrorReport,
            FilingState::DataRequest(_) => FilingKind::DataRequest,
        }
    }

    /// The state's name without its kind, e.g. `under_review` (as stored).
    pub fn as_str(self) -> String {
        match self {
            FilingState::Application(s) => snake(&s),
            FilingState::Objection(s) => snake(&s),
            FilingState::ErrorReport(s) => snake(&s),
            FilingState::DataRequest(s) => snake(&s),
        }
    }

    pub fn parse(kind: FilingKind, s: &str) -> Option<FilingState> {
        let v = serde_json::Value::String(s.to_string());
        match kind {
            FilingKind::Application => serde_json::from_value(v).ok().map(FilingState::Application),
            FilingKind::Objection => serde_json::from_value(v).ok().map(FilingState::Objection),
            FilingKind::ErrorReport => serde_json::from_value(v).ok().map(FilingState::ErrorReport),
            FilingKind::DataRequest => serde_json::from_value(v).ok().map(FilingState::DataRequest),
        }
    }

    /// Whether the provider still owes the filer a reply (the deadline is running).
    pub fn awaiting_reply(self) -> bool {
        use ApplicationState as A;
        use DataRequestState as D;
        use ErrorReportState as E;
        use ObjectionState as O;
        match self {
            FilingState::Application(s) => {
                matches!(s, A::Submitted | A::UnderReview | A::Extended | A::AwaitingApproval)
            }
            FilingState::Objection(s) => matches!(s, O::Received | O::Verifying | O::DatasetSuspended),
            FilingState::ErrorReport(s) => {
                matches!(s, E::AwaitingForwarding | E::Received | E::Verifying | E::Extended)
            }
            FilingState::DataRequest(s) => matches!(s, D::Received | D::UnderConsideration),
        }
    }
}

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The person holding the receipt token.
    Filer,
    /// The provider department that holds the dataset.
    Department,
    /// The data authority (公共数据主管部门), which decides reviews (Aba 33).
    Authority,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalPeriod {
    pub start: String,
    pub end: String,
}

/// Everything that can happen to a filing: `{"action": "extend", "notice": "…", "working_days": 5}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Department takes the filing up (review / verification / consideration).
    StartReview,
    /// Department extends the reply deadline, telling the filer why and naming who
    /// consented where the article requires a head's consent (Xiangxi 35/39, Aba 20, Yunnan 26).
    Extend {
        notice: String,
        working_days: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        consented_by: Option<String>,
    },
    /// Department asks the applicant for more information.
    RequestInformation { message: String },
    /// Applicant answers an information request.
    SupplyInformation { text: String },
    /// Department passes its review (审核) to the data authority's approval (审批), with its
    /// opinion (two-step chains, Xiangxi 35). `entrustment`: the data authority reviews in
    /// the department's place, as Xiangxi 35 allows ("数据提供部门可以委托州大数据管理部门代为
    /// 审核"); it names the entrustment (who entrusted the authority, under what instrument).
    PassReview {
        opinion: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entrustment: Option<String>,
    },
    /// Data authority forwards an error report to the department (Aba 20 ¶3).
    Forward { note: String },
    /// The deciding step approves an application: what, for how long, under which agreement.
    Approve { scope: String, period: ApprovalPeriod, agreement: String },
    /// The deciding step refuses (application), the department finds no error (error
    /// report) or declines (data request). A reason is mandatory. `entrustment`: as for
    /// `PassReview`, the authority refusing at the department's review step in its place.
    Reject {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entrustment: Option<String>,
    },
    /// Department corrects the data (error report).
    Correct { note: String },
    /// Department will list the requested data (data request).
    Accept { note: String },
    /// Department suspends the dataset while it verifies an objection.
    SuspendDataset { note: String },
    /// Department withdraws the dataset after an objection.
    WithdrawDataset { note: String },
    /// Department finds the objection unfounded and reopens the dataset as it was.
    RestoreDataset { note: String },
    /// Department processed the data (e.g. desensitised) and reopens it as a new version.
    ReopenProcessed { note: String },
    /// Objector asks the data authority to review the outcome (复核).
    RequestReview { reason: String },
    /// Data authority decides a review.
    DecideReview { upheld: bool, reason: String },
}

impl Action {
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("action").and_then(|a| a.as_str()).map(str::to_string))
            .unwrap_or_default()
    }

    /// The text shown on the timeline for this step (notice, reason, note…).
    pub fn note(&self) -> Option<String> {
        match self {
            Action::Approve { scope, period, agreement } => {
                Some(format!("{scope}\n{} – {}\n{agreement}", period.start, period.end))
            }
            _ => self.words().map(|w| w.text.to_string()),
        }
    }

    /// The one free text the action carries, if it has one: what the timeline shows and what
    /// `check_payload` measures, so each action's field and its limits stand here alone.
    fn words(&self) -> Option<Words<'_>> {
        let (field, text, min, max) = match self {
            Action::StartReview | Action::Approve { .. } => return None,
            Action::Extend { notice, .. } => ("notice", notice, 5, 2000),
            Action::PassReview { opinion, .. } => ("opinion", opinion, 2, 2000),
            Action::RequestInformation { message } => ("message", message, 5, 2000),
            Action::SupplyInformation { text } => ("text", text, 1, 5000),
            Action::Reject { reason, .. } | Action::RequestReview { reason } | Action::DecideReview { reason, .. } => {
                ("reason", reason, 2, 5000)
            }
            Action::Correct { note }
            | Action::Forward { note }
            | Action::Accept { note }
            | Action::SuspendDataset { note }
            | Action::WithdrawDataset { note }
            | Action::RestoreDataset { note }
            | Action::ReopenProcessed { note } => ("note", note, 2, 2000),
        };
        Some(Words { field, text, min, max })
    }

    /// The entrustment under which the data authority took the department's review step
    /// (Xiangxi 35: 委托代为审核), if it did.
    pub fn entrustment(&self) -> Option<&str> {
        match self {
            Action::PassReview { entrustment, .. } | Action::Reject { entrustment, .. } => entrustment.as_deref(),
            _ => None,
        }
    }

    /// Who consented to an extension, if the action names anyone.
    pub fn consented_by(&self) -> Option<&str> {
        match self {
            Action::Extend { consented_by, .. } => consented_by.as_deref(),
            _ => None,
        }
    }

    fn check_payload(&self, progress: &Progress) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if let Some(w) = self.words() {
            e.text(w.field, w.text, w.min, w.max);
        }
        match self {
            Action::Extend { working_days, consented_by, .. } => {
                if *working_days == 0 {
                    e.push(
                        "working_days",
                        "required",
                        "延长天数须至少 1 个工作日。",
                        "Extend by at least 1 working day.",
                    );
                }
                match (progress.extension_consent, consented_by) {
                    (Some(consent), None) => {
                        let (zh, en) = consent_missing(consent);
                        e.push("consented_by", "required", &zh, &en);
                    }
                    (_, Some(who)) => {
                        e.text("consented_by", who, 2, 200);
                    }
                    (None, None) => {}
                }
            }
            Action::Approve { scope, period, agreement } => {
                e.text("scope", scope, 2, 2000);
                e.text("agreement", agreement, 2, 2000);
                let s = e.date("period.start", &period.start);
                let t = e.date("period.end", &period.end);
                if let (Some(s), Some(t)) = (s, t) {
                    if t <= s {
                        e.push(
                            "period.end",
                            "date_order",
                            "结束日期须晚于开始日期。",
                            "The end must be after the start.",
                        );
                    }
                }
            }
            _ => {}
        }
        if let Some(who) = self.entrustment() {
            e.text("entrustment", who, 2, 500);
        }
        e.into_result()
    }
}

/// An action's free text (see [`Action::words`]): its field and how many characters it takes.
struct Words<'a> {
    field: &'static str,
    text: &'a str,
    min: usize,
    max: usize,
}

/// The extension's missing consent, in the article's words.
fn consent_missing(consent: Consent) -> (String, String) {
    match consent {
        Consent::PrincipalHead => (
            "延长期限须经数据提供部门主要负责人同意,请写明同意人。".into(),
            "An extension needs the consent of the department's principal head (主要负责人); name who consented."
                .into(),
        ),
        Consent::Head => (
            "延长期限须经负责人批准,请写明批准人。".into(),
            "An extension needs the approval of the head (负责人); name who approved.".into(),
        ),
    }
}

/// What the transition needs to know beyond the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Working days of extension already granted.
    pub extended_days: u32,
    /// The rule set's limit for this kind of filing.
    pub max_extension_days: u32,
    /// Whose consent an extension needs, if the article names one.
    pub extension_consent: Option<Consent>,
    /// Whether the jurisdiction provides a review (复核) of objection outcomes.
    pub review_provided: bool,
    /// Applications pass the authority's approval (审批) after the department's review.
    pub two_step: bool,
}

impl Progress {
    /// The progress of a filing of `kind` under `rules`, `extended_days` already granted.
    pub fn under(rules: &RuleSet, kind: FilingKind, extended_days: u32) -> Progress {
        let limit = rules.limit(kind);
        Progress {
            extended_days,
            max_extension_days: limit.max_extension_working_days,
            extension_consent: limit.extension_consent,
            review_provided: rules.objection_review,
            two_step: matches!(rules.approval_chain, ApprovalChain::ReviewThenApproval { .. }),
        }
    }
}

/// The result of a successful transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub state: FilingState,
    /// Working days added to the deadline by this step.
    pub extension_added: u32,
    /// The dataset's new status in the overlay, if this step changes it.
    pub dataset_status: Option<DatasetStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("action {action} is not possible for a {kind} in state {state}")]
    NotAllowed { kind: &'static str, state: String, action: String },
    #[error("action {action} is for the {expected:?}, not the {actual:?}")]
    WrongActor { action: String, expected: Actor, actual: Actor },
    #[error("extension of {requested} working days exceeds the {remaining} still allowed")]
    ExtensionTooLong { requested: u32, remaining: u32 },
    #[error("this jurisdiction provides no review (复核) of objection outcomes")]
    ReviewNotProvided,
    #[error("the action is incomplete")]
    Invalid(Vec<FieldError>),
}

impl TransitionError {
    /// Stable code and messages in both languages, for API answers.
    pub fn messages(&self) -> (String, String, String) {
        match self {
            TransitionError::NotAllowed { state, action, .. } => {
                ("illegal_transition".into(), format!("当前状态({state})下不能执行“{action}”。"), self.to_string())
            }
            TransitionError::WrongActor { action, .. } => {
                ("wrong_actor".into(), format!("您无权执行“{action}”。"), self.to_string())
            }
            TransitionError::ExtensionTooLong { requested, remaining } => (
                "extension_too_long".into(),
                format!("延长 {requested} 个工作日超过了尚可延长的 {remaining} 个工作日。"),
                self.to_string(),
            ),
            TransitionError::ReviewNotProvided => {
                ("review_not_provided".into(), "本地规定未设复核程序。".into(), self.to_string())
            }
            TransitionError::Invalid(_) => ("invalid_action".into(), "请补全操作所需的内容。".into(), self.to_string()),
        }
    }
}

/// The transition function: the only way a filing changes state.
pub fn transition(
    state: FilingState,
    action: &Action,
    actor: Actor,
    progress: Progress,
) -> Result<Step, TransitionError> {
    let (expected, next) = allowed(state, action, progress)?;
    if expected != actor {
        return Err(TransitionError::WrongActor { action: action.name(), expected, actual: actor });
    }
    // Legality and actor first (an action that cannot happen now is refused whatever it
    // says), then completeness of what it says.
    action.check_payload(&progress).map_err(TransitionError::Invalid)?;
    Ok(next)
}

/// Who may take `action` in `state`, and where it leads.
fn allowed(state: FilingState, action: &Action, progress: Progress) -> Result<(Actor, Step), TransitionError> {
    use Actor::{Authority as Au, Department as De, Filer as Fi};
    use ApplicationState as A;
    use DataRequestState as D;
    use ErrorReportState as E;
    use FilingState as F;
    use ObjectionState as O;

    let step = |state| Step { state, extension_added: 0, dataset_status: None };
    let with_status = |state, s| Step { state, extension_added: 0, dataset_status: Some(s) };
    let extend = |state, days: u32| {
        let remaining = progress.max_extension_days.saturating_sub(progress.extended_days);
        if days > remaining {
            Err(TransitionError::ExtensionTooLong { requested: days, remaining })
        } else {
            Ok(Step { state, extension_added: days, dataset_status: None })
        }
    };
    let reviewing = |s| matches!(s, A::Submitted | A::UnderReview | A::Extended);
    // Xiangxi 35: the department's review step is the department's, unless it entrusted the
    // data authority with it (委托州大数据管理部门代为审核) — only where that chain exists.
    let reviewer = |entrustment: &Option<String>| if entrustment.is_some() { Au } else { De };

    Ok(match (state, action) {
        (F::Application(A::Submitted), Action::StartReview) => (De, step(F::Application(A::UnderReview))),
        (F::Application(A::UnderReview | A::Extended), Action::Extend { working_days, .. }) => {
            (De, extend(F::Application(A::Extended), *working_days)?)
        }
        // One clock runs across both steps; the department's head may still extend it
        // while the authority decides (the article names no other consent).
        (F::Application(A::AwaitingApproval), Action::Extend { working_days, .. }) => {
            (De, extend(F::Application(A::AwaitingApproval), *working_days)?)
        }
        (F::Application(A::UnderReview | A::Extended), Action::RequestInformation { .. }) => {
            (De, step(F::Application(A::InformationRequested)))
        }
        (F::Application(A::InformationRequested), Action::SupplyInformation { .. }) => {
            (Fi, step(F::Application(A::UnderReview)))
        }
        (F::Application(s), Action::PassReview { entrustment, .. }) if progress.two_step && reviewing(s) => {
            (reviewer(entrustment), step(F::Application(A::AwaitingApproval)))
        }
        // Yunnan 26: a department that can answer at once answers at once, so deciding
        // straight from `submitted` is allowed.
        (F::Application(s), Action::Approve { .. }) if !progress.two_step && reviewing(s) => {
            (De, step(F::Application(A::Approved)))
        }
        // The authority's approval (审批) closes a two-step chain (Xiangxi 35).
        (F::Application(A::AwaitingApproval), Action::Approve { .. }) => (Au, step(F::Application(A::Approved))),
        // Either step may refuse, each with its reason (Xiangxi 35: 审核或审批不通过的,必须说明理由).
        (F::Application(s), Action::Reject { entrustment, .. })
            if (reviewing(s) || s == A::InformationRequested) && (progress.two_step || entrustment.is_none()) =>
        {
            (reviewer(entrustment), step(F::Application(A::Rejected)))
        }
        (F::Application(A::AwaitingApproval), Action::Reject { entrustment: None, .. }) => {
            (Au, step(F::Application(A::Rejected)))
        }

        (F::Objection(O::Received), Action::StartReview) => (De, step(F::Objection(O::Verifying))),
        // "必要时即刻中止开放": suspension may come before verification starts.
        (F::Objection(O::Received | O::Verifying), Action::SuspendDataset { .. }) => {
            (De, with_status(F::Objection(O::DatasetSuspended), DatasetStatus::Suspended))
        }
        (F::Objection(O::Verifying | O::DatasetSuspended), Action::WithdrawDataset { .. }) => {
            (De, with_status(F::Objection(O::Withdrawn), DatasetStatus::Withdrawn))
        }
        (F::Objection(O::Verifying | O::DatasetSuspended), Action::RestoreDataset { .. }) => {
            (De, with_status(F::Objection(O::Restored), DatasetStatus::Open))
        }
        (F::Objection(O::Verifying | O::DatasetSuspended), Action::ReopenProcessed { .. }) => {
            (De, with_status(F::Objection(O::ProcessedAndReopened), DatasetStatus::Open))
        }
        (F::Objection(O::Withdrawn | O::Restored | O::ProcessedAndReopened), Action::RequestReview { .. }) => {
            if !progress.review_provided {
                return Err(TransitionError::ReviewNotProvided);
            }
            (Fi, step(F::Objection(O::ReviewRequested)))
        }
        (F::Objection(O::ReviewRequested), Action::DecideReview { .. }) => (Au, step(F::Objection(O::ReviewDecided))),

        (F::ErrorReport(E::AwaitingForwarding), Action::Forward { .. }) => (Au, step(F::ErrorReport(E::Received))),
        (F::ErrorReport(E::Received), Action::StartReview) => (De, step(F::ErrorReport(E::Verifying))),
        (F::ErrorReport(E::Verifying | E::Extended), Action::Extend { working_days, .. }) => {
            (De, extend(F::ErrorReport(E::Extended), *working_days)?)
        }
        (F::ErrorReport(E::Received | E::Verifying | E::Extended), Action::Correct { .. }) => {
            (De, step(F::ErrorReport(E::Corrected)))
        }
        (F::ErrorReport(E::Received | E::Verifying | E::Extended), Action::Reject { entrustment: None, .. }) => {
            (De, step(F::ErrorReport(E::Dismissed)))
        }

        (F::DataRequest(D::Received), Action::StartReview) => (De, step(F::DataRequest(D::UnderConsideration))),
        (F::DataRequest(D::Received | D::UnderConsideration), Action::Accept { .. }) => {
            (De, step(F::DataRequest(D::Accepted)))
        }
        (F::DataRequest(D::Received | D::UnderConsideration), Action::Reject { entrustment: None, .. }) => {
            (De, step(F::DataRequest(D::Declined)))
        }

        (state, action) => {
            return Err(TransitionError::NotAllowed {
                kind: state.kind().as_str(),
                state: state.as_str(),
                action: action.name(),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Progress = Progress {
        extended_days: 0,
        max_extension_days: 15,
        extension_consent: None,
        review_provided: true,
        two_step: false,
    };

    fn extend(days: u32, consented_by: Option<&str>) -> Action {
        Action::Extend {
            notice: "需要会同相关部门研究".into(),
            working_days: days,
            consented_by: consented_by.map(str::to_string),
        }
    }

    fn xiangxi() -> RuleSet {
        RuleSet::builtin("xiangxi").unwrap()
    }

    fn reason() -> Action {
        Action::Reject { reason: "不符合开放条件".into(), entrustment: None }
    }

    #[test]
    fn application_happy_path_and_extension_limit() {
        let s = FilingState::initial(FilingKind::Application, &xiangxi());
        let s = transition(s, &Action::StartReview, Actor::Department, P).unwrap().state;
        let ext = extend(10, None);
        let step = transition(s, &ext, Actor::Department, P).unwrap();
        assert_eq!(step.state, FilingState::Application(ApplicationState::Extended));
        assert_eq!(step.extension_added, 10);
        // 10 already used of 15: another 10 is too long, 5 is fine.
        let used = Progress { extended_days: 10, ..P };
        assert_eq!(
            transition(step.state, &ext, Actor::Department, used).unwrap_err(),
            TransitionError::ExtensionTooLong { requested: 10, remaining: 5 }
        );
        let five = extend(5, None);
        assert!(transition(step.state, &five, Actor::Department, used).is_ok());
    }

    #[test]
    fn illegal_and_unauthorised_transitions_are_errors() {
        let approved = FilingState::Application(ApplicationState::Approved);
        assert!(matches!(
            transition(approved, &reason(), Actor::Department, P),
            Err(TransitionError::NotAllowed { .. })
        ));
        let s = FilingState::initial(FilingKind::Application, &xiangxi());
        assert!(matches!(transition(s, &reason(), Actor::Filer, P), Err(TransitionError::WrongActor { .. })));
        let empty = Action::Reject { reason: " ".into(), entrustment: None };
        match transition(s, &empty, Actor::Department, P) {
            Err(TransitionError::Invalid(errs)) => assert_eq!(errs[0].path, "reason"),
            other => panic!("{other:?}"),
        }
        // Objection actions do not apply to applications.
        let suspend = Action::SuspendDataset { note: "核实中".into() };
        assert!(matches!(transition(s, &suspend, Actor::Department, P), Err(TransitionError::NotAllowed { .. })));
    }

    #[test]
    fn objection_path_changes_dataset_status() {
        let s = FilingState::initial(FilingKind::Objection, &xiangxi());
        let st = transition(s, &Action::SuspendDataset { note: "核实中".into() }, Actor::Department, P).unwrap();
        assert_eq!(st.dataset_status, Some(DatasetStatus::Suspended));
        let st =
            transition(st.state, &Action::WithdrawDataset { note: "确有问题".into() }, Actor::Department, P).unwrap();
        assert_eq!(st.dataset_status, Some(DatasetStatus::Withdrawn));
        let rr = Action::RequestReview { reason: "处理结果不当".into() };
        assert_eq!(
            transition(st.state, &rr, Actor::Filer, Progress { review_provided: false, ..P }).unwrap_err(),
            TransitionError::ReviewNotProvided
        );
        let st = transition(st.state, &rr, Actor::Filer, P).unwrap();
        let dr = Action::DecideReview { upheld: true, reason: "维持原处理".into() };
        assert!(transition(st.state, &dr, Actor::Department, P).is_err(), "reviews are the authority's");
        assert_eq!(
            transition(st.state, &dr, Actor::Authority, P).unwrap().state,
            FilingState::Objection(ObjectionState::ReviewDecided)
        );
    }

    /// Xiangxi 35: the department's 审核, then the data authority's 审批, each able to refuse
    /// with a reason; other rule sets keep one step (MISSION C3).
    #[test]
    fn xiangxi_35_two_steps_department_review_then_authority_approval() {
        let two = Progress::under(&xiangxi(), FilingKind::Application, 0);
        assert!(two.two_step);
        let s = FilingState::initial(FilingKind::Application, &xiangxi());
        let approve = Action::Approve {
            scope: "全部字段".into(),
            period: ApprovalPeriod { start: "2027-01-01".into(), end: "2027-12-31".into() },
            agreement: "协议 XY-17".into(),
        };
        // The department cannot approve on its own, and cannot skip to the authority's step.
        assert!(matches!(transition(s, &approve, Actor::Department, two), Err(TransitionError::NotAllowed { .. })));
        let pass = Action::PassReview { opinion: "审核通过,用途合规".into(), entrustment: None };
        assert!(matches!(transition(s, &pass, Actor::Authority, two), Err(TransitionError::WrongActor { .. })));
        let s = transition(s, &pass, Actor::Department, two).unwrap().state;
        assert_eq!(s, FilingState::Application(ApplicationState::AwaitingApproval));
        assert_eq!(s.approval_step(), Some(2));
        assert!(s.awaiting_reply(), "one clock runs across both steps");
        // The second step is the authority's alone.
        assert!(matches!(transition(s, &approve, Actor::Department, two), Err(TransitionError::WrongActor { .. })));
        assert_eq!(
            transition(s, &approve, Actor::Authority, two).unwrap().state,
            FilingState::Application(ApplicationState::Approved)
        );
        assert_eq!(
            transition(s, &reason(), Actor::Authority, two).unwrap().state,
            FilingState::Application(ApplicationState::Rejected)
        );
        // A refusal without a reason is incomplete at either step.
        let bare = Action::Reject { reason: "".into(), entrustment: None };
        assert!(matches!(transition(s, &bare, Actor::Authority, two), Err(TransitionError::Invalid(_))));
        // Yunnan keeps one step: no pass_review, the department decides.
        let one = Progress::under(&RuleSet::builtin("yunnan").unwrap(), FilingKind::Application, 0);
        let s = FilingState::initial(FilingKind::Application, &xiangxi());
        assert!(matches!(transition(s, &pass, Actor::Department, one), Err(TransitionError::NotAllowed { .. })));
        assert!(transition(s, &approve, Actor::Department, one).is_ok());
    }

    /// Xiangxi 35: "授权受控开放的数据的数据提供部门可以委托州大数据管理部门代为审核和管理" — the
    /// department may entrust the data authority with its review. The authority then takes
    /// step 1 (pass or refuse) naming the entrustment; without one step 1 stays the
    /// department's, and where the rule set has one step there is nothing to entrust.
    #[test]
    fn xiangxi_35_entrusted_review_by_the_authority() {
        let two = Progress::under(&xiangxi(), FilingKind::Application, 0);
        let s = FilingState::initial(FilingKind::Application, &xiangxi());
        let entrusted = |e: &str| Some(e.to_string());
        let pass = Action::PassReview {
            opinion: "代为审核通过".into(),
            entrustment: entrusted("州交通运输局委托(委托书 2026-3 号)"),
        };
        assert_eq!(pass.entrustment(), Some("州交通运输局委托(委托书 2026-3 号)"));
        assert!(matches!(transition(s, &pass, Actor::Department, two), Err(TransitionError::WrongActor { .. })));
        let next = transition(s, &pass, Actor::Authority, two).unwrap().state;
        assert_eq!(next, FilingState::Application(ApplicationState::AwaitingApproval), "审批 still follows");
        let refuse =
            Action::Reject { reason: "用途不明".into(), entrustment: entrusted("州交通运输局委托") };
        assert_eq!(
            transition(s, &refuse, Actor::Authority, two).unwrap().state,
            FilingState::Application(ApplicationState::Rejected)
        );
        // An entrustment must say something, and is not part of the authority's own 审批.
        let blank = Action::PassReview { opinion: "通过".into(), entrustment: entrusted(" ") };
        assert!(matches!(transition(s, &blank, Actor::Authority, two), Err(TransitionError::Invalid(_))));
        assert!(transition(next, &refuse, Actor::Authority, two).is_err());
        // One-step rule sets (Yunnan) and other filings have no review to entrust.
        let one = Progress::under(&RuleSet::builtin("yunnan").unwrap(), FilingKind::Application, 0);
        assert!(transition(s, &refuse, Actor::Authority, one).is_err());
        let report = FilingState::ErrorReport(ErrorReportState::Verifying);
        let p = Progress::under(&xiangxi(), FilingKind::ErrorReport, 0);
        assert!(transition(report, &refuse, Actor::Authority, p).is_err());
        assert!(transition(report, &refuse, Actor::Department, p).is_err());
    }

    /// Xiangxi 35/39: an extension needs the consent of the department's 主要负责人, at most
    /// 10 working days; Aba 20: the head's (负责人) approval, up to 10 in total (5 + 5).
    #[test]
    fn extensions_name_who_consented_xiangxi_35_39_aba_20() {
        let x = Progress::under(&xiangxi(), FilingKind::ErrorReport, 0);
        assert_eq!(x.extension_consent, Some(Consent::PrincipalHead));
        let s = FilingState::ErrorReport(ErrorReportState::Verifying);
        match transition(s, &extend(5, None), Actor::Department, x) {
            Err(TransitionError::Invalid(errs)) => {
                assert_eq!(errs[0].path, "consented_by");
                assert!(errs[0].zh.contains("主要负责人"), "{}", errs[0].zh);
            }
            other => panic!("{other:?}"),
        }
        let ok = transition(s, &extend(10, Some("张主任(主要负责人)")), Actor::Department, x).unwrap();
        assert_eq!(ok.extension_added, 10);
        assert_eq!(
            transition(ok.state, &extend(1, Some("张主任")), Actor::Department, Progress { extended_days: 10, ..x })
                .unwrap_err(),
            TransitionError::ExtensionTooLong { requested: 1, remaining: 0 }
        );
        let a = Progress::under(&RuleSet::builtin("aba").unwrap(), FilingKind::ErrorReport, 0);
        assert_eq!((a.extension_consent, a.max_extension_days), (Some(Consent::Head), 5));
        assert!(matches!(
            transition(s, &extend(6, Some("李局长")), Actor::Department, a),
            Err(TransitionError::ExtensionTooLong { .. })
        ));
        // Where no article names a consent, none is demanded.
        let d = Progress::under(&RuleSet::builtin("default").unwrap(), FilingKind::ErrorReport, 0);
        assert!(transition(s, &extend(2, None), Actor::Department, d).is_ok());
    }

    /// Aba 20 ¶3: a report filed with the data authority waits for it to forward the report;
    /// the department cannot act before.
    #[test]
    fn aba_20_error_reports_are_forwarded_by_the_authority() {
        let aba = RuleSet::builtin("aba").unwrap();
        let s = FilingState::initial(FilingKind::ErrorReport, &aba);
        assert!(s.awaiting_forwarding() && s.awaiting_reply());
        let p = Progress::under(&aba, FilingKind::ErrorReport, 0);
        assert!(matches!(
            transition(s, &Action::StartReview, Actor::Department, p),
            Err(TransitionError::NotAllowed { .. })
        ));
        let fwd = Action::Forward { note: "已转交市交通运输局".into() };
        assert!(matches!(transition(s, &fwd, Actor::Department, p), Err(TransitionError::WrongActor { .. })));
        let s = transition(s, &fwd, Actor::Authority, p).unwrap().state;
        assert_eq!(s, FilingState::ErrorReport(ErrorReportState::Received));
        // Xiangxi 39 files straight with the department.
        assert_eq!(FilingState::initial(FilingKind::ErrorReport, &xiangxi()), s);
    }

    #[test]
    fn states_round_trip_through_their_names() {
        let all = [
            FilingState::Application(ApplicationState::InformationRequested),
            FilingState::Objection(ObjectionState::ProcessedAndReopened),
            FilingState::ErrorReport(ErrorReportState::Dismissed),
            FilingState::DataRequest(DataRequestState::UnderConsideration),
        ];
        for s in all {
            assert_eq!(FilingState::parse(s.kind(), &s.as_str()), Some(s));
        }
        assert_eq!(FilingState::parse(FilingKind::Application, "dataset_suspended"), None);
    }
}
