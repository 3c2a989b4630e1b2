//! The figures a supervising authority asks of a department's handling of filings: how
//! many of each kind and state, the share answered within the statutory time, and the
//! median working days to answer — per department, month of receipt and kind. Computed
//! here from plain facts so the intake (SQLite or PostgreSQL), its benchmark and the tests
//! count the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answered;
use crate::calendar::{Calendar, Day};
use crate::filing::FilingState;
use crate::rules::FilingKind;

/// One filing, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureInput {
    pub department_id: String,
    pub state: FilingState,
    pub received_on: Day,
    /// The statutory reply date, lawful extensions included.
    pub deadline: Day,
    /// The day (China time) the provider first answered, if it has.
    pub answered_on: Option<Day>,
}

/// One department's filings of one kind received in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub department_id: String,
    /// `YYYY-MM` of receipt.
    pub month: String,
    pub kind: FilingKind,
    pub total: u32,
    pub by_state: BTreeMap<String, u32>,
    pub answered: u32,
    /// Answered on or before the reply date.
    pub answered_in_time: u32,
    /// Not answered and past the reply date today.
    pub overdue: u32,
    /// `answered_in_time / (answered + overdue)`: of the filings whose reply was due or
    /// given, the share given in time; `None` while none was. Filings still within their
    /// time are not counted either way yet.
    pub share_in_time: Option<f64>,
    /// Median working days from receipt to the answer, over the answered filings.
    pub median_working_days: Option<f64>,
    /// A working-day count crossed a year without a known official calendar.
    pub estimated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// The day "overdue" was judged on (China time).
    pub today: String,
    pub rows: Vec<FigureRow>,
}

#[derive(Default)]
struct Acc {
    total: u32,
    by_state: BTreeMap<String, u32>,
    answered: u32,
    in_time: u32,
    overdue: u32,
    days: Vec<u32>,
    estimated: bool,
}

impl Figures {
    /// The figures of `filings` as of `today`, ordered by department, month and kind.
    pub fn compute(cal: &Calendar, today: Day, filings: impl IntoIterator<Item = FigureInput>) -> Figures {
        let mut groups: BTreeMap<(String, String, FilingKind), Acc> = BTreeMap::new();
        for f in filings {
            let (y, m, _) = f.received_on.ymd();
            let acc = groups.entry((f.department_id.clone(), format!("{y:04}-{m:02}"), f.state.kind())).or_default();
            acc.total += 1;
            *acc.by_state.entry(f.state.as_str()).or_insert(0) += 1;
            match f.answered_on {
                Some(on) if answered(f.state) => {
                    acc.answered += 1;
                    acc.in_time += u32::from(on <= f.deadline);
                    let days = cal.working_days_between(f.received_on, on);
                    acc.estimated |= days.estimated;
                    acc.days.push(days.value);
                }
                _ => acc.overdue += u32::from(f.state.awaiting_reply() && today > f.deadline),
            }
        }
        let rows = groups
            .into_iter()
            .map(|((department_id, month, kind), mut a)| {
                let due = a.answered + a.overdue;
                FigureRow {
                    department_id,
                    month,
                    kind,
                    total: a.total,
                    by_state: a.by_state,
                    answered: a.answered,
                    answered_in_time: a.in_time,
                    overdue: a.overdue,
                    share_in_time: (due > 0).then(|| f64::from(a.in_time) / f64::from(due)),
                    median_working_days: median(&mut a.days),
                    estimated: a.estimated,
                }
            })
            .collect();
        Figures { today: today.to_date().to_string(), rows }
    }
}

fn median(xs: &mut [u32]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_unstable();
    let n = xs.len();
    Some(if n % 2 == 1 { f64::from(xs[n / 2]) } else { (f64::from(xs[n / 2 - 1]) + f64::from(xs[n / 2])) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::day_of;
    use crate::filing::state::{ApplicationState as A, ObjectionState as O};

    fn d(s: &str) -> Day {
        day_of(s).unwrap()
    }

    fn f(dept: &str, state: FilingState, received: &str, deadline: &str, answered_on: Option<&str>) -> FigureInput {
        FigureInput {
            department_id: dept.into(),
            state,
            received_on: d(received),
            deadline: d(deadline),
            answered_on: answered_on.map(d),
        }
    }

    /// The supervising authority's figures: per department, month and kind; in-time share
    /// over what was due; median working days on the official calendar.
    #[test]
    fn share_in_time_and_median_working_days() {
        let cal = Calendar::official();
        let approved = FilingState::Application(A::Approved);
        let open = FilingState::Application(A::UnderReview);
        let filings = vec![
            // Received Wed 09-30, answered Mon 10-12: 10-08, 09, 10 (调休 Saturday), 12 → 4 working days.
            f("t", approved, "2026-09-30", "2026-10-27", Some("2026-10-12")),
            // Answered two working days late (deadline 11-20 Fri, answered Tue 11-24).
            f("t", FilingState::Application(A::Rejected), "2026-09-02", "2026-11-20", Some("2026-11-24")),
            // Open and overdue on 12-01.
            f("t", open, "2026-09-10", "2026-10-09", None),
            // Open, still within its time: neither in time nor late yet.
            f("t", open, "2026-09-28", "2026-12-20", None),
            f("t", FilingState::Objection(O::Withdrawn), "2026-09-15", "2026-09-22", Some("2026-09-16")),
            f("h", approved, "2026-10-09", "2026-10-30", Some("2026-10-12")),
        ];
        let fig = Figures::compute(&cal, d("2026-12-01"), filings);
        let keys: Vec<(&str, &str, FilingKind)> =
            fig.rows.iter().map(|r| (r.department_id.as_str(), r.month.as_str(), r.kind)).collect();
        assert_eq!(
            keys,
            [
                ("h", "2026-10", FilingKind::Application),
                ("t", "2026-09", FilingKind::Application),
                ("t", "2026-09", FilingKind::Objection)
            ]
        );
        let t = &fig.rows[1];
        assert_eq!((t.total, t.answered, t.answered_in_time, t.overdue), (4, 2, 1, 1));
        assert_eq!(t.share_in_time, Some(1.0 / 3.0));
        assert_eq!(t.by_state.get("under_review"), Some(&2));
        // 4 and (09-02 → 11-24: many) working days: the median of two is their mean.
        let long = cal.working_days_between(d("2026-09-02"), d("2026-11-24")).value;
        assert_eq!(t.median_working_days, Some((4.0 + f64::from(long)) / 2.0));
        assert_eq!(fig.rows[2].median_working_days, Some(1.0));
        assert_eq!(fig.rows[0].share_in_time, Some(1.0));
        assert!(!t.estimated);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }
}
