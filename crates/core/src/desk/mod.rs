//! The provider's desk (`/desk`, issue 15): what an official sees of the filings their
//! department owes a reply, computed once here so the intake, its benchmark and the app
//! agree to the day.
//!
//! - [`inbox`]: each filing's standing against its statutory reply date — working days left
//!   on the official calendar (estimates marked), due soon, overdue — and the inbox order;
//! - [`offer`]: which actions the acting official may take on a filing now, with the
//!   extension still allowed, so the desk shows only forms that can succeed;
//! - [`figures`]: what the supervising authority asks for — filings per kind and state,
//!   share answered within the statutory time, median working days to answer — per
//!   department and month.

pub mod figures;
pub mod inbox;
pub mod offer;

pub use figures::{FigureInput, FigureRow, Figures};
pub use inbox::{Inbox, InboxFilter, InboxRow, Standing, Standings, DUE_SOON_WORKING_DAYS};
pub use offer::{offered_actions, Offer};

use serde::{Deserialize, Serialize};

use crate::calendar::Day;
use crate::filing::state::ApplicationState;
use crate::filing::FilingState;

/// Whom the desk acts for: a provider department, or the data authority (which decides
/// reviews, 复核, and sees every department's filings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Department,
    Authority,
}

/// Who a desk token (or, with sign-in, a session) belongs to (`GET /api/v1/department/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub role: Role,
    /// Empty for the authority.
    pub department_id: String,
    pub label: String,
    /// The datasets whose status this person may change (the dataset filter's choices).
    pub datasets: Vec<String>,
}

/// One entry of the intake's audit log; `detail` is JSON text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Whether the provider has given its answer (a decision, an outcome, a correction…).
/// An information request is not an answer: the statutory clock keeps running
/// (`docs/intake.md`: an information request does not pause the deadline).
pub fn answered(state: FilingState) -> bool {
    !state.awaiting_reply() && state != FilingState::Application(ApplicationState::InformationRequested)
}

/// The day in China of an RFC 3339 UTC instant as the intake writes them
/// (`2026-09-30T02:00:00Z`); `None` for anything else.
pub fn china_day_of(instant: &str) -> Option<Day> {
    let b = instant.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| instant.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let day = Day::from_ymd(y as i32, m as u32, d as u32);
    Some(Day::in_china_at_unix(day.0 * 86_400 + hh * 3600 + mm * 60 + ss))
}

/// A `YYYY-MM-DD` date as a [`Day`].
pub fn day_of(date: &str) -> Option<Day> {
    crate::catalog::Date::parse(date).ok().map(|d| Day::from_date(&d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::state::ObjectionState;

    #[test]
    fn instants_fall_on_their_day_in_china() {
        // 16:30 UTC is 00:30 the next day in Beijing.
        assert_eq!(china_day_of("2026-09-30T16:30:00Z"), day_of("2026-10-01"));
        assert_eq!(china_day_of("2026-09-30T15:59:59Z"), day_of("2026-09-30"));
        assert_eq!(china_day_of("2026-09-30 15:59:59"), None);
        assert_eq!(china_day_of("2026-13-30T15:59:59Z"), None);
    }

    #[test]
    fn an_information_request_is_not_an_answer() {
        assert!(!answered(FilingState::Application(ApplicationState::InformationRequested)));
        assert!(!answered(FilingState::Application(ApplicationState::Extended)));
        assert!(answered(FilingState::Application(ApplicationState::Approved)));
        assert!(answered(FilingState::Objection(ObjectionState::Withdrawn)));
        assert!(answered(FilingState::Objection(ObjectionState::ReviewRequested)));
    }
}
