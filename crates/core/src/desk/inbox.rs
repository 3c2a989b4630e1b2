//! The desk's inbox: each filing's standing against its statutory reply date, and the
//! order an official works through them — the most urgent reply first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answered;
use crate::calendar::{Calendar, Day};
use crate::filing::state::ApplicationState;
use crate::filing::FilingState;
use crate::rules::FilingKind;

/// A reply due within this many working days is flagged "due soon". No regulation names
/// such a margin; three working days leave time to extend with notice, which every
/// article requires before the original date runs out.
pub const DUE_SOON_WORKING_DAYS: u32 = 3;

/// Where a filing stands against its reply date. `days_left` counts working days after
/// today up to and including the reply date (0: due today), on the official calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "snake_case")]
pub enum Standing {
    /// The department owes a reply and the date has not passed.
    Running { days_left: u32, due_soon: bool },
    /// The date has passed without a reply (C3: highlighted).
    Overdue { working_days_late: u32 },
    /// The department asked for information; the filer holds the filing while the clock
    /// keeps running (no regulation pauses it).
    WithFiler { days_left: u32 },
    /// Answered: decided, corrected, withdrawn…
    Answered,
}

impl Standing {
    /// The standing of a filing in `state` whose reply date is `deadline`, seen `today`;
    /// `estimated` when the count crossed a year without a known official calendar.
    pub fn of(cal: &Calendar, state: FilingState, deadline: Day, today: Day) -> (Standing, bool) {
        if answered(state) {
            return (Standing::Answered, false);
        }
        if today > deadline {
            let late = cal.working_days_between(deadline, today);
            // Matches the intake's `overdue`: a filing with the filer is not the provider's delay.
            if state == FilingState::Application(ApplicationState::InformationRequested) {
                return (Standing::WithFiler { days_left: 0 }, late.estimated);
            }
            return (Standing::Overdue { working_days_late: late.value }, late.estimated);
        }
        let left = cal.working_days_between(today, deadline);
        let standing = if state == FilingState::Application(ApplicationState::InformationRequested) {
            Standing::WithFiler { days_left: left.value }
        } else {
            Standing::Running { days_left: left.value, due_soon: left.value <= DUE_SOON_WORKING_DAYS }
        };
        (standing, left.estimated)
    }

    pub fn overdue(self) -> bool {
        matches!(self, Standing::Overdue { .. })
    }
}

/// Standings of many filings seen on one day. Thousands of filings share a few hundred
/// reply dates, so each date's working-day count is made once (the inbox of 10,000
/// filings would otherwise walk the calendar day by day for each).
pub struct Standings<'a> {
    cal: &'a Calendar,
    today: Day,
    memo: std::collections::HashMap<(Day, u8), (Standing, bool)>,
}

impl<'a> Standings<'a> {
    pub fn new(cal: &'a Calendar, today: Day) -> Standings<'a> {
        Standings { cal, today, memo: Default::default() }
    }

    /// [`Standing::of`] for a filing in `state` due on `deadline`.
    pub fn of(&mut self, state: FilingState, deadline: Day) -> (Standing, bool) {
        // The three ways a state enters `Standing::of`: answered, with the filer, running.
        let class = if answered(state) {
            0
        } else if state == FilingState::Application(ApplicationState::InformationRequested) {
            1
        } else {
            2
        };
        let (cal, today) = (self.cal, self.today);
        *self.memo.entry((deadline, class)).or_insert_with(|| Standing::of(cal, state, deadline, today))
    }
}

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub reference: String,
    pub kind: FilingKind,
    pub state: String,
    pub department_id: String,
    pub dataset_ids: Vec<String>,
    pub received_on: String,
    /// The statutory reply date, extensions included.
    pub deadline: String,
    /// The reply date or the days left rely on a year whose official calendar is unknown.
    pub estimated: bool,
    pub standing: Standing,
}

impl InboxRow {
    /// Open filings by reply date, soonest (and so every overdue one) first; answered ones
    /// after them, most recently received first; the reference breaks ties.
    fn order(&self, other: &InboxRow) -> std::cmp::Ordering {
        let done = |r: &InboxRow| r.standing == Standing::Answered;
        done(self).cmp(&done(other)).then_with(|| {
            if done(self) {
                other.received_on.cmp(&self.received_on).then_with(|| other.reference.cmp(&self.reference))
            } else {
                self.deadline.cmp(&other.deadline).then_with(|| self.reference.cmp(&other.reference))
            }
        })
    }
}

/// What the inbox is narrowed to; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub kind: Option<FilingKind>,
    pub state: Option<String>,
    pub dataset: Option<String>,
}

/// The inbox as the desk shows it: one page of rows, in order, and how many filings each
/// state holds under the kind and dataset filters (the state filter's own choices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// The day the standings were computed for (China time).
    pub today: String,
    /// Rows matching every filter, before paging.
    pub total: usize,
    pub overdue: usize,
    pub due_soon: usize,
    pub counts: BTreeMap<String, usize>,
    pub offset: usize,
    pub rows: Vec<InboxRow>,
}

/// The largest page the intake answers: the inbox stays a quick read at 10,000 filings.
pub const MAX_PAGE: usize = 500;

impl Inbox {
    /// Filters, counts, orders and pages `rows` (every filing the official may see).
    pub fn build(today: Day, rows: Vec<InboxRow>, filter: &InboxFilter, offset: usize, limit: usize) -> Inbox {
        let mut counts = BTreeMap::new();
        let mut matching: Vec<InboxRow> = rows
            .into_iter()
            .filter(|r| filter.kind.is_none_or(|k| k == r.kind))
            .filter(|r| filter.dataset.as_ref().is_none_or(|d| r.dataset_ids.contains(d)))
            .inspect(|r| *counts.entry(r.state.clone()).or_insert(0) += 1)
            .filter(|r| filter.state.as_ref().is_none_or(|s| *s == r.state))
            .collect();
        matching.sort_by(InboxRow::order);
        let overdue = matching.iter().filter(|r| r.standing.overdue()).count();
        let due_soon =
            matching.iter().filter(|r| matches!(r.standing, Standing::Running { due_soon: true, .. })).count();
        let total = matching.len();
        let rows = matching.into_iter().skip(offset).take(limit.min(MAX_PAGE)).collect();
        Inbox { today: today.to_date().to_string(), total, overdue, due_soon, counts, offset, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::day_of;
    use crate::filing::state::ObjectionState;

    fn d(s: &str) -> Day {
        day_of(s).unwrap()
    }
    const UNDER_REVIEW: FilingState = FilingState::Application(ApplicationState::UnderReview);

    /// C2/C3: days left count working days on the official calendar, holidays skipped.
    #[test]
    fn days_left_skip_national_day_and_count_the_adjusted_saturday() {
        let cal = Calendar::official();
        // 2026-09-30 (Wed) to 2026-10-12 (Mon): National Day 10-01..10-07 is off, Saturday 10-10
        // is a working day (调休), so 10-08, 10-09, 10-10, 10-12 are the four left.
        let (s, est) = Standing::of(&cal, UNDER_REVIEW, d("2026-10-12"), d("2026-09-30"));
        assert_eq!(s, Standing::Running { days_left: 4, due_soon: false });
        assert!(!est);
        let (s, _) = Standing::of(&cal, UNDER_REVIEW, d("2026-10-09"), d("2026-09-30"));
        assert_eq!(s, Standing::Running { days_left: 2, due_soon: true });
        let (s, _) = Standing::of(&cal, UNDER_REVIEW, d("2026-09-30"), d("2026-09-30"));
        assert_eq!(s, Standing::Running { days_left: 0, due_soon: true }, "due today");
    }

    #[test]
    fn remembered_standings_are_the_computed_ones() {
        let cal = Calendar::official();
        let today = d("2026-10-20");
        let mut memo = Standings::new(&cal, today);
        let info = FilingState::Application(ApplicationState::InformationRequested);
        for state in [UNDER_REVIEW, info, FilingState::Objection(ObjectionState::Withdrawn), UNDER_REVIEW, info] {
            for due in ["2026-10-09", "2026-10-20", "2026-11-02"] {
                assert_eq!(memo.of(state, d(due)), Standing::of(&cal, state, d(due), today), "{state:?} {due}");
            }
        }
    }

    #[test]
    fn past_the_date_is_overdue_by_working_days_and_unknown_years_are_estimates() {
        let cal = Calendar::official();
        // Due Friday 2026-11-20; on Tuesday 11-24 two working days (Mon, Tue) are late.
        let (s, _) = Standing::of(&cal, UNDER_REVIEW, d("2026-11-20"), d("2026-11-24"));
        assert_eq!(s, Standing::Overdue { working_days_late: 2 });
        // On Saturday the day after, it is overdue although no working day has passed.
        let (s, _) = Standing::of(&cal, UNDER_REVIEW, d("2026-11-20"), d("2026-11-21"));
        assert_eq!(s, Standing::Overdue { working_days_late: 0 });
        // 2027's calendar is not published in the data: an estimate.
        let (s, est) = Standing::of(&cal, UNDER_REVIEW, d("2027-01-11"), d("2026-12-21"));
        assert!(matches!(s, Standing::Running { .. }) && est);
        let info = FilingState::Application(ApplicationState::InformationRequested);
        assert_eq!(Standing::of(&cal, info, d("2026-11-20"), d("2026-11-24")).0, Standing::WithFiler { days_left: 0 });
        let done = FilingState::Objection(ObjectionState::Withdrawn);
        assert_eq!(Standing::of(&cal, done, d("2026-11-20"), d("2026-11-24")).0, Standing::Answered);
    }

    fn row(
        reference: &str,
        kind: FilingKind,
        state: &str,
        deadline: &str,
        standing: Standing,
        dataset: &str,
    ) -> InboxRow {
        InboxRow {
            reference: reference.into(),
            kind,
            state: state.into(),
            department_id: "dept-transport".into(),
            dataset_ids: vec![dataset.into()],
            received_on: format!("2026-{}", &reference[3..8]),
            deadline: deadline.into(),
            estimated: false,
            standing,
        }
    }

    /// The inbox order: overdue and soonest first, answered last; counts per state ignore
    /// the state filter so its choices keep their numbers.
    #[test]
    fn inbox_orders_by_reply_date_and_counts_per_state() {
        let running = |n| Standing::Running { days_left: n, due_soon: n <= DUE_SOON_WORKING_DAYS };
        let rows = vec![
            row("SQ-09-01", FilingKind::Application, "under_review", "2026-10-20", running(8), "a"),
            row("YY-09-02", FilingKind::Objection, "withdrawn", "2026-10-01", Standing::Answered, "b"),
            row(
                "SQ-09-03",
                FilingKind::Application,
                "submitted",
                "2026-09-20",
                Standing::Overdue { working_days_late: 3 },
                "a",
            ),
            row("SQ-09-04", FilingKind::Application, "submitted", "2026-10-09", running(2), "b"),
            row("YY-09-05", FilingKind::Objection, "restored", "2026-10-02", Standing::Answered, "a"),
        ];
        let today = d("2026-09-30");
        let all = Inbox::build(today, rows.clone(), &InboxFilter::default(), 0, 100);
        let order: Vec<&str> = all.rows.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(order, ["SQ-09-03", "SQ-09-04", "SQ-09-01", "YY-09-05", "YY-09-02"]);
        assert_eq!((all.total, all.overdue, all.due_soon), (5, 1, 1));
        assert_eq!(all.counts.get("submitted"), Some(&2));

        let f = InboxFilter { kind: Some(FilingKind::Application), state: Some("submitted".into()), dataset: None };
        let some = Inbox::build(today, rows.clone(), &f, 0, 100);
        assert_eq!(some.total, 2);
        assert_eq!(some.counts.get("under_review"), Some(&1), "the state filter's choices keep their counts");
        assert_eq!(some.counts.get("withdrawn"), None, "kind filter applies to counts");

        let f = InboxFilter { dataset: Some("a".into()), ..Default::default() };
        let page = Inbox::build(today, rows, &f, 1, 1);
        assert_eq!((page.total, page.rows.len(), page.rows[0].reference.as_str()), (3, 1, "SQ-09-01"));
    }
}
