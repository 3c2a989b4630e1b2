//! Data files kept for offline reading (issue 18, docs/phone.md): which files of a
//! person's favourite and downloaded datasets are kept on their device, within the space
//! they agreed to.
//!
//! Nothing is kept until the person picks a limit on "my data"; the app then keeps what
//! [`plan`] says, and the service worker answers from those copies when the network fails.
//! The rule is here so that it is tested natively: every favourite's first file (the one
//! its page previews first) comes before any favourite's second file, favourites in the
//! order the person added them, and a file that does not fit in what is left is skipped —
//! a smaller one after it may still fit.

use serde::{Deserialize, Serialize};

/// The limits offered, in MB of 2^20 bytes — the unit of every size label in the app.
pub const LIMIT_CHOICES_MB: [u32; 4] = [10, 50, 200, 1000];

/// The space a person agreed to give to offline copies of data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct OfflineLimit(u32);

impl OfflineLimit {
    /// One of the offered limits; anything else (an edited or older store) is refused.
    pub fn from_mb(mb: u32) -> Option<OfflineLimit> {
        LIMIT_CHOICES_MB.contains(&mb).then_some(OfflineLimit(mb))
    }
    pub fn mb(self) -> u32 {
        self.0
    }
    pub fn bytes(self) -> u64 {
        u64::from(self.0) << 20
    }
}

impl TryFrom<u32> for OfflineLimit {
    type Error = String;
    fn try_from(mb: u32) -> Result<Self, String> {
        OfflineLimit::from_mb(mb).ok_or_else(|| format!("{mb} MB is not an offered limit"))
    }
}

impl From<OfflineLimit> for u32 {
    fn from(l: OfflineLimit) -> u32 {
        l.0
    }
}

/// One data file of a favourite dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub dataset_id: String,
    /// Path relative to the catalog root (`files/<id>/<name>`), as the record gives it.
    pub path: String,
    pub byte_size: u64,
    /// The file as published: a copy of another version is not this file.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Kept,
    /// Larger than what the limit leaves after the files before it.
    OverLimit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Every candidate with its fate, in the order they were weighed.
    pub files: Vec<(Candidate, Fit)>,
    /// Bytes of the kept files together; never more than the limit.
    pub used: u64,
}

impl Plan {
    pub fn kept(&self) -> impl Iterator<Item = &Candidate> {
        self.files.iter().filter(|(_, f)| *f == Fit::Kept).map(|(c, _)| c)
    }
}

/// `favourites`: each dataset's files in record order, datasets in the order the person
/// chose them (`MyData::kept_datasets`).
pub fn plan(favourites: &[Vec<Candidate>], limit: OfflineLimit) -> Plan {
    let rounds = favourites.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Plan { files: Vec::new(), used: 0 };
    for round in 0..rounds {
        for c in favourites.iter().filter_map(|files| files.get(round)) {
            let fits = out.used + c.byte_size <= limit.bytes();
            if fits {
                out.used += c.byte_size;
            }
            out.files.push((c.clone(), if fits { Fit::Kept } else { Fit::OverLimit }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, name: &str, mb: u64) -> Candidate {
        Candidate {
            dataset_id: id.into(),
            path: format!("files/{id}/{name}"),
            byte_size: mb << 20,
            sha256: String::new(),
        }
    }
    fn fates(p: &Plan) -> Vec<(&str, Fit)> {
        p.files.iter().map(|(c, f)| (c.path.as_str(), *f)).collect()
    }

    #[test]
    fn first_files_before_second_files_and_a_smaller_file_after_a_miss_still_fits() {
        let favs =
            vec![vec![c("a", "a.csv", 4), c("a", "a.xlsx", 3)], vec![c("b", "b.csv", 7)], vec![c("c", "c.csv", 2)]];
        let p = plan(&favs, OfflineLimit::from_mb(10).unwrap());
        assert_eq!(
            fates(&p),
            vec![
                ("files/a/a.csv", Fit::Kept),
                ("files/b/b.csv", Fit::OverLimit),
                ("files/c/c.csv", Fit::Kept),
                ("files/a/a.xlsx", Fit::Kept),
            ]
        );
        assert_eq!(p.used, 9 << 20);
        assert_eq!(p.kept().count(), 3);
    }

    #[test]
    fn the_limit_is_never_passed_and_an_exact_fit_is_kept() {
        let favs = vec![vec![c("a", "a.csv", 6)], vec![c("b", "b.csv", 4)], vec![c("c", "c.csv", 1)]];
        let p = plan(&favs, OfflineLimit::from_mb(10).unwrap());
        assert_eq!(p.used, 10 << 20);
        assert_eq!(fates(&p)[2], ("files/c/c.csv", Fit::OverLimit));
        assert!(plan(&[], OfflineLimit::from_mb(50).unwrap()).files.is_empty());
    }

    #[test]
    fn only_offered_limits_are_read_back() {
        assert_eq!(OfflineLimit::from_mb(50).map(OfflineLimit::bytes), Some(50 << 20));
        assert_eq!(OfflineLimit::from_mb(0), None);
        assert_eq!(OfflineLimit::from_mb(7), None);
        assert!(serde_json::from_str::<OfflineLimit>("200").is_ok());
        assert!(serde_json::from_str::<OfflineLimit>("999999").is_err());
    }
}
