//! Working days on China's official calendar (MISSION C2).
//!
//! A day is a working day when it is a weekday that is not an official holiday, or a
//! weekend day the State Council has made a working day (调休). The official facts for
//! 2020–2026 are embedded from `data/cn-holidays-2020-2026.json`; a catalog may add later
//! years (the next year's notice comes out each winter) with [`Calendar::extend`]. For a
//! year nobody has told us about, weekdays are assumed to be working days and every
//! answer that touched such a year says `estimated: true`.
//!
//! Dates are counted as days since 1970-01-01 ([`Day`]) with Howard Hinnant's
//! days-from-civil algorithm, so no date crate is needed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::catalog::Date;

const OFFICIAL_JSON: &str = include_str!("../data/cn-holidays-2020-2026.json");

/// A calendar day, as the number of days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Day {
        // days_from_civil (Hinnant): shift the year to start in March.
        let y = i64::from(y) - i64::from(m <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }
    pub fn from_date(date: &Date) -> Day {
        let (y, m, d) = date.ymd();
        Day::from_ymd(y, m, d)
    }
    /// (year, month, day)
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y as i32, m, d)
    }
    pub fn to_date(self) -> Date {
        let (y, m, d) = self.ymd();
        Date::parse(&format!("{y:04}-{m:02}-{d:02}")).expect("a Day always names a real date")
    }
    /// ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday.
    pub fn weekday(self) -> u32 {
        ((self.0 + 3).rem_euclid(7) + 1) as u32
    }
    pub fn year(self) -> i32 {
        self.ymd().0
    }
    pub fn next(self) -> Day {
        Day(self.0 + 1)
    }
    /// The day in China (UTC+8, no daylight saving) at a Unix time in seconds: receipts
    /// are dated in the jurisdiction's time, not the server's.
    pub fn in_china_at_unix(secs: i64) -> Day {
        Day((secs + 8 * 3600).div_euclid(86_400))
    }
}

/// A value computed from the calendar, and whether it relied on a year whose official
/// calendar is unknown (weekends only), so a UI can say "estimated".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimated<T> {
    pub value: T,
    pub estimated: bool,
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Workday,
    Weekend,
    /// An official public holiday (including weekend days inside the holiday).
    Holiday,
    /// A weekend day made a working day (调休).
    AdjustedWorkday,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday)
    }
}

/// One year's official notice, in the shape of the shared data file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearNotice {
    #[serde(default)]
    pub holidays: Vec<NamedDay>,
    #[serde(default)]
    pub working_days: Vec<NamedDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDay {
    pub date: Date,
    pub name: String,
}

/// The data file: `{"source": "...", "years": {"2026": {...}}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarData {
    #[serde(default)]
    pub source: String,
    pub years: BTreeMap<String, YearNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar data is not valid JSON of the expected shape: {0}")]
    Json(String),
    #[error("year key “{0}” is not a year")]
    BadYear(String),
    #[error("{date} is listed under year {year}")]
    WrongYear { date: String, year: i32 },
    #[error("{0} is listed both as a holiday and as a working day")]
    Conflict(String),
}

/// Holidays and adjusted working days, with the years they are known for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<Day>,
    working: BTreeSet<Day>,
    known_years: BTreeSet<i32>,
}

impl Calendar {
    /// A calendar with weekends only and no known year: every answer is an estimate.
    pub fn weekends_only() -> Calendar {
        Calendar { holidays: BTreeSet::new(), working: BTreeSet::new(), known_years: BTreeSet::new() }
    }

    /// The official calendar 2020–2026 (embedded).
    pub fn official() -> Calendar {
        let mut cal = Calendar::weekends_only();
        cal.extend_json(OFFICIAL_JSON).expect("embedded holiday data is checked by tests");
        cal
    }

    /// Adds years from JSON in the data file's shape (e.g. a catalog's `calendar.json`).
    pub fn extend_json(&mut self, json: &str) -> Result<(), CalendarError> {
        let data: CalendarData = serde_json::from_str(json).map_err(|e| CalendarError::Json(e.to_string()))?;
        self.extend(&data)
    }

    /// Adds (or replaces) whole years. A year added here counts as known.
    pub fn extend(&mut self, data: &CalendarData) -> Result<(), CalendarError> {
        let mut staged = self.clone();
        for (key, notice) in &data.years {
            let year: i32 = key.parse().map_err(|_| CalendarError::BadYear(key.clone()))?;
            staged.holidays.retain(|d| d.year() != year);
            staged.working.retain(|d| d.year() != year);
            for (set, days) in [(&mut staged.holidays, &notice.holidays), (&mut staged.working, &notice.working_days)] {
                for nd in days {
                    let day = Day::from_date(&nd.date);
                    if day.year() != year {
                        return Err(CalendarError::WrongYear { date: nd.date.to_string(), year });
                    }
                    set.insert(day);
                }
            }
            if let Some(d) = staged.holidays.intersection(&staged.working).next() {
                return Err(CalendarError::Conflict(d.to_date().to_string()));
            }
            staged.known_years.insert(year);
        }
        *self = staged;
        Ok(())
    }

    pub fn knows_year(&self, year: i32) -> bool {
        self.known_years.contains(&year)
    }

    pub fn kind(&self, day: Day) -> Estimated<DayKind> {
        let weekend = day.weekday() >= 6;
        let value = if self.holidays.contains(&day) {
            DayKind::Holiday
        } else if self.working.contains(&day) {
            DayKind::AdjustedWorkday
        } else if weekend {
            DayKind::Weekend
        } else {
            DayKind::Workday
        };
        Estimated { value, estimated: !self.knows_year(day.year()) }
    }

    /// The Nth working day after `receipt`. The day of receipt itself is not counted
    /// (the usual rule for legal time limits), so with n = 0 the answer is the receipt day.
    pub fn add_working_days(&self, receipt: Day, n: u32) -> Estimated<Day> {
        let mut day = receipt;
        let mut estimated = false;
        let mut left = n;
        // Bounded: there are at least 4 working days in any 7, even in Golden Week's worst
        // case plus weekends, so 4 * n + 30 days always suffice.
        for _ in 0..(4 * u64::from(n) + 30) {
            if left == 0 {
                break;
            }
            day = day.next();
            let kind = self.kind(day);
            estimated |= kind.estimated;
            if kind.value.is_working() {
                left -= 1;
            }
        }
        Estimated { value: day, estimated }
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: Day, to: Day) -> Estimated<u32> {
        let mut count = 0;
        let mut estimated = false;
        let mut day = from;
        while day < to {
            day = day.next();
            let kind = self.kind(day);
            estimated |= kind.estimated;
            count += u32::from(kind.value.is_working());
        }
        Estimated { value: count, estimated }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::from_date(&Date::parse(s).unwrap())
    }

    #[test]
    fn civil_day_round_trip() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Day(0));
        assert_eq!(d("2000-03-01").0 - d("2000-02-28").0, 2, "2000 is a leap year");
        assert_eq!(d("1900-03-01").0 - d("1900-02-28").0, 1, "1900 is not");
        for n in (-800_000..800_000).step_by(997) {
            let day = Day(n);
            let (y, m, dd) = day.ymd();
            assert_eq!(Day::from_ymd(y, m, dd), day);
        }
        assert_eq!(d("2026-11-23").weekday(), 1, "2026-11-23 is a Monday");
        assert_eq!(d("2026-10-01").weekday(), 4, "National Day 2026 is a Thursday");
    }

    #[test]
    fn official_calendar_loads_every_year() {
        let cal = Calendar::official();
        for y in 2020..=2026 {
            assert!(cal.knows_year(y), "{y}");
        }
        assert!(!cal.knows_year(2027));
        assert_eq!(cal.kind(d("2026-10-01")).value, DayKind::Holiday);
        assert_eq!(cal.kind(d("2026-10-10")).value, DayKind::AdjustedWorkday, "Saturday made a working day");
        assert_eq!(cal.kind(d("2026-10-09")).value, DayKind::Workday);
        assert_eq!(cal.kind(d("2026-10-11")).value, DayKind::Weekend);
    }

    /// MISSION C2: working days on the official calendar with its adjusted working days.
    #[test]
    fn receipt_before_national_day_2026() {
        // 2026: 10-01..10-07 holiday; Sunday 09-20 and Saturday 10-10 are working days.
        // Receipt Wednesday 09-30 (last working day before the holiday): day 1 = Thu 10-08,
        // 2 = Fri 10-09, 3 = Sat 10-10 (调休), 4 = Mon 10-12, 5 = Tue 10-13.
        let cal = Calendar::official();
        let r = d("2026-09-30");
        assert_eq!(cal.add_working_days(r, 1).value, d("2026-10-08"));
        assert_eq!(cal.add_working_days(r, 3).value, d("2026-10-10"));
        assert_eq!(cal.add_working_days(r, 5).value, d("2026-10-13"));
        // 10 working days: 10-14 (6), 15 (7), 16 (8), 19 (9), 20 (10).
        let ten = cal.add_working_days(r, 10);
        assert_eq!(ten.value, d("2026-10-20"));
        assert!(!ten.estimated);
        // 15 working days: 10-21 (11), 22, 23, 26, 27 (15).
        assert_eq!(cal.add_working_days(r, 15).value, d("2026-10-27"));
        // Receipt on the holiday itself counts the same as receipt the day before.
        assert_eq!(cal.add_working_days(d("2026-10-03"), 1).value, d("2026-10-08"));
    }

    #[test]
    fn spring_festival_2026() {
        // 2026: 02-15..02-23 holiday; Saturday 02-14 and Saturday 02-28 are working days.
        let cal = Calendar::official();
        // Receipt Friday 02-13: 1 = Sat 02-14 (调休), 2 = Tue 02-24 (after the holiday),
        // 3 = 02-25, 4 = 02-26, 5 = 02-27, 6 = Sat 02-28 (调休), 7 = Mon 03-02.
        let r = d("2026-02-13");
        assert_eq!(cal.add_working_days(r, 1).value, d("2026-02-14"));
        assert_eq!(cal.add_working_days(r, 2).value, d("2026-02-24"));
        assert_eq!(cal.add_working_days(r, 6).value, d("2026-02-28"));
        assert_eq!(cal.add_working_days(r, 7).value, d("2026-03-02"));
        assert_eq!(cal.working_days_between(r, d("2026-03-02")).value, 7);
    }

    #[test]
    fn spring_festival_2025_and_national_day_2025() {
        let cal = Calendar::official();
        // 2025 Spring Festival: 01-28..02-04 holiday, Sunday 01-26 and Saturday 02-08 worked.
        // Receipt Friday 01-24: 1 = Sun 01-26, 2 = Mon 01-27, 3 = Wed 02-05.
        assert_eq!(cal.add_working_days(d("2025-01-24"), 3).value, d("2025-02-05"));
        // National Day 2025: 10-01..10-08, Sunday 09-28 and Saturday 10-11 worked.
        // Receipt Friday 09-26: 1 = Sun 09-28, 2 = Mon 09-29, 3 = Tue 09-30, 4 = Thu 10-09,
        // 5 = Fri 10-10, 6 = Sat 10-11.
        assert_eq!(cal.add_working_days(d("2025-09-26"), 5).value, d("2025-10-10"));
        assert_eq!(cal.add_working_days(d("2025-09-26"), 6).value, d("2025-10-11"));
    }

    #[test]
    fn unknown_years_are_estimates_and_can_be_added() {
        let mut cal = Calendar::official();
        // Thursday 2026-12-31 + 1 working day = Friday 2027-01-01: weekends only, estimated.
        let est = cal.add_working_days(d("2026-12-31"), 1);
        assert_eq!(est.value, d("2027-01-01"));
        assert!(est.estimated);
        // A catalog adds 2027 with New Year's Day as a holiday.
        cal.extend_json(r#"{"years":{"2027":{"holidays":[{"date":"2027-01-01","name":"New Year's Day"}]}}}"#).unwrap();
        let known = cal.add_working_days(d("2026-12-31"), 1);
        assert_eq!(known.value, d("2027-01-04"), "Friday is a holiday, then the weekend");
        assert!(!known.estimated);
        // Bad additions are refused and leave the calendar as it was.
        let before = cal.clone();
        assert!(matches!(
            cal.extend_json(r#"{"years":{"2028":{"holidays":[{"date":"2029-01-01","name":"x"}]}}}"#),
            Err(CalendarError::WrongYear { .. })
        ));
        assert!(cal.extend_json("{").is_err());
        assert_eq!(cal, before);
    }

    #[test]
    fn china_day_from_unix_time() {
        // 2026-09-30T16:30:00Z is already 10-01 00:30 in Beijing.
        let secs = (d("2026-09-30").0 * 86_400) + 16 * 3600 + 1800;
        assert_eq!(Day::in_china_at_unix(secs), d("2026-10-01"));
    }
}
