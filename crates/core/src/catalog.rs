//! The catalog model: what a portal publishes about each dataset (MISSION B1–B3, A1).
//!
//! Field names follow DCAT where DCAT has a term (`title`, `description`, `keywords`,
//! `theme`, `publisher`, `issued`, `modified`, `accrual_periodicity`, `temporal`,
//! `spatial`, `distributions`, `contact_point`, `license`); the rest are what the
//! regulations ask a catalog to say (Zibo 10, Guangdong 10, Aba 14).
//!
//! The same types are read by the builder (native), the app (wasm) and the intake
//! (native), so the rules that can be checked on the model live here too.

use serde::{Deserialize, Serialize};

/// The version of the built catalog format; bumped when a reader must change.
pub const FORMAT_VERSION: u32 = 1;

/// A calendar date as `YYYY-MM-DD`. Kept as a validated string so the model stays
/// dependency-free; `calendar` does arithmetic on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(String);

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("“{s}” is not a date of the form YYYY-MM-DD"));
        }
        let y: u32 = s[0..4].parse().unwrap_or(0);
        let m: u32 = s[5..7].parse().unwrap_or(0);
        let d: u32 = s[8..10].parse().unwrap_or(0);
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(format!("“{s}” is not a real calendar date"));
        }
        Ok(Date(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// (year, month, day)
    pub fn ymd(&self) -> (i32, u32, u32) {
        (self.0[0..4].parse().unwrap_or(0), self.0[5..7].parse().unwrap_or(0), self.0[8..10].parse().unwrap_or(0))
    }
}

pub fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse(&s)
    }
}
impl From<Date> for String {
    fn from(d: Date) -> String {
        d.0
    }
}
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The open attribute (B1). Conditional and closed datasets must state their legal
/// basis; the type makes that field mandatory rather than optional-and-checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpenAttribute {
    /// 无条件开放 (Xiangxi: 普遍开放).
    Unconditional,
    /// 有条件开放 (Xiangxi: 授权受控开放).
    Conditional {
        /// What an applicant must meet or accept (Aba 24/30, Yunnan 22).
        conditions: Vec<String>,
        legal_basis: String,
    },
    /// 不予开放: listed, with its basis, but no data.
    Closed { legal_basis: String },
}

/// The three open attributes without their payload, for facets and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenKind {
    Unconditional,
    Conditional,
    Closed,
}

impl OpenAttribute {
    pub fn kind(&self) -> OpenKind {
        match self {
            OpenAttribute::Unconditional => OpenKind::Unconditional,
            OpenAttribute::Conditional { .. } => OpenKind::Conditional,
            OpenAttribute::Closed { .. } => OpenKind::Closed,
        }
    }
    pub fn legal_basis(&self) -> Option<&str> {
        match self {
            OpenAttribute::Unconditional => None,
            OpenAttribute::Conditional { legal_basis, .. } | OpenAttribute::Closed { legal_basis } => Some(legal_basis),
        }
    }
}

impl OpenKind {
    pub const ALL: [OpenKind; 3] = [OpenKind::Unconditional, OpenKind::Conditional, OpenKind::Closed];
    pub fn as_str(self) -> &'static str {
        match self {
            OpenKind::Unconditional => "unconditional",
            OpenKind::Conditional => "conditional",
            OpenKind::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<OpenKind> {
        OpenKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a dataset stands (B3). Reopening after processing is a new version, not a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DatasetStatus {
    #[default]
    Open,
    /// 中止开放, e.g. while an objection is verified (Xiangxi 45).
    Suspended,
    /// 撤回 (Aba 33, Xiangxi 45).
    Withdrawn,
    /// 失效, marked and announced (Xiangxi 39).
    Invalid,
}

impl DatasetStatus {
    pub const ALL: [DatasetStatus; 4] =
        [DatasetStatus::Open, DatasetStatus::Suspended, DatasetStatus::Withdrawn, DatasetStatus::Invalid];
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetStatus::Open => "open",
            DatasetStatus::Suspended => "suspended",
            DatasetStatus::Withdrawn => "withdrawn",
            DatasetStatus::Invalid => "invalid",
        }
    }
    pub fn parse(s: &str) -> Option<DatasetStatus> {
        DatasetStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Data may be previewed and downloaded only while the dataset is open.
    pub fn serves_data(self) -> bool {
        self == DatasetStatus::Open
    }
}

/// 更新频率.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateFrequency {
    Realtime,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    Irregular,
    Once,
}

impl UpdateFrequency {
    pub const ALL: [UpdateFrequency; 9] = [
        UpdateFrequency::Realtime,
        UpdateFrequency::Daily,
        UpdateFrequency::Weekly,
        UpdateFrequency::Monthly,
        UpdateFrequency::Quarterly,
        UpdateFrequency::HalfYearly,
        UpdateFrequency::Yearly,
        UpdateFrequency::Irregular,
        UpdateFrequency::Once,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateFrequency::Realtime => "realtime",
            UpdateFrequency::Daily => "daily",
            UpdateFrequency::Weekly => "weekly",
            UpdateFrequency::Monthly => "monthly",
            UpdateFrequency::Quarterly => "quarterly",
            UpdateFrequency::HalfYearly => "half_yearly",
            UpdateFrequency::Yearly => "yearly",
            UpdateFrequency::Irregular => "irregular",
            UpdateFrequency::Once => "once",
        }
    }
    pub fn parse(s: &str) -> Option<UpdateFrequency> {
        UpdateFrequency::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Administrative level of the region a dataset covers (facet "region/level").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// e.g. 示例市 or 示例市东城区
    pub name: String,
    pub level: RegionLevel,
}

/// 数源部门 or provider: a government department.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Department {
    /// Stable identifier used by the intake to authorise provider actions.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

/// One 数据项 (field) of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Column name as it appears in the data file.
    pub name: String,
    /// Chinese label (中文名称).
    pub label: String,
    /// Declared type: string, integer, number, date, datetime, boolean, geo.
    #[serde(rename = "type")]
    pub field_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How the data can be reached (Xiangxi 33).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccessMethod {
    Download,
    Api {
        endpoint: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        docs: Option<String>,
    },
    Sandbox {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

/// One data file (dcat:Distribution). Paths are relative to the built catalog root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub title: String,
    /// Upper-case format name: CSV, JSON, XLSX, …
    pub format: String,
    pub media_type: String,
    /// Path relative to the catalog root, e.g. `files/ds-001/bus-stops.csv`.
    pub path: String,
    pub byte_size: u64,
    /// Lower-case hex sha256 of the file as published.
    pub sha256: String,
    /// Character encoding as declared by the maintainer (`utf-8`, `gbk`, …), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The line (sheet row for XLSX) of the header, where the catalog states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
}

impl Distribution {
    /// How the preview reads this file: by its declared encoding and stated header row.
    pub fn reader_options(&self) -> crate::table::ReaderOptions {
        crate::table::ReaderOptions {
            declared_encoding: self.encoding.clone(),
            header_row: self.header_row,
            ..Default::default()
        }
    }

    /// The dataset page's preview can read this file (delimited text, a JSON array, XLSX).
    pub fn previewable(&self) -> bool {
        matches!(self.format.to_ascii_uppercase().as_str(), "CSV" | "TSV" | "TXT" | "JSON" | "XLSX")
    }

    /// Delimited text: its first bytes alone show the first rows.
    pub fn is_delimited_text(&self) -> bool {
        matches!(self.format.to_ascii_uppercase().as_str(), "CSV" | "TSV" | "TXT")
    }
}

/// A distribution on another host (dcat:Distribution with a remote dcat:downloadURL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    /// Upper-case format name when known: CSV, PDF, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Temporal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

/// One entry of a dataset's version history. Reopening after processing adds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEntry {
    pub version: String,
    pub date: Date,
    pub note: String,
}

/// Security level (安全级别), 1 (lowest) to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SecurityLevel(u8);

impl SecurityLevel {
    pub fn new(level: u8) -> Result<Self, String> {
        if (1..=4).contains(&level) {
            Ok(SecurityLevel(level))
        } else {
            Err(format!("security level must be 1 to 4, not {level}"))
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}
impl TryFrom<u8> for SecurityLevel {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        SecurityLevel::new(v)
    }
}
impl From<SecurityLevel> for u8 {
    fn from(s: SecurityLevel) -> u8 {
        s.0
    }
}

/// A dataset's full record: what the dataset page shows (B2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 数据领域, e.g. 交通出行.
    pub theme: String,
    /// 数源部门: the department the data comes from and that answers filings.
    pub publisher: Department,
    /// 提供单位, when not the source department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub region: Region,
    pub open: OpenAttribute,
    pub security_level: SecurityLevel,
    pub accrual_periodicity: UpdateFrequency,
    pub issued: Date,
    pub modified: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<Temporal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spatial: Option<String>,
    #[serde(default)]
    pub fields: Vec<Field>,
    /// 使用要求.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_requirements: Option<String>,
    pub license: String,
    #[serde(default)]
    pub access: Vec<AccessMethod>,
    #[serde(default)]
    pub distributions: Vec<Distribution>,
    pub contact_point: Contact,
    #[serde(default)]
    pub status: DatasetStatus,
    /// Why the status is what it is (announcement text for invalid/withdrawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_note: Option<String>,
    /// The day the current status took effect (the announcement date for invalid or
    /// withdrawn data, Xiangxi 39/45). `catalog check` requires it for every status but open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_since: Option<Date>,
    /// dcat:landingPage: the dataset's page on the portal it came from, if imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_page: Option<String>,
    /// Distributions held elsewhere (a dcat:downloadURL on another host): listed, not
    /// mirrored, so they carry no checksum. Imported catalogs use these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// 突发事件 data (Yunnan 21, Xiangxi 44): flagged and sorted first in its domain.
    #[serde(default)]
    pub emergency: bool,
    pub version: String,
    #[serde(default)]
    pub history: Vec<VersionEntry>,
}

/// What a listing or a search result needs to show a dataset without its full record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetSummary {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    pub theme: String,
    pub publisher: Department,
    pub open: OpenKind,
    pub status: DatasetStatus,
    #[serde(default)]
    pub emergency: bool,
    pub modified: Date,
    #[serde(default)]
    pub formats: Vec<String>,
}

impl Dataset {
    /// The file whose first bytes a deep link to this dataset's page fetches before the app
    /// has started (index.html's early fetch): the file the preview opens first, when it is
    /// delimited text and the preview is shown at all (open, without conditions).
    pub fn early_preview_file(&self) -> Option<&Distribution> {
        if !self.status.serves_data() || !matches!(self.open, OpenAttribute::Unconditional) {
            return None;
        }
        self.distributions.iter().find(|d| d.previewable()).filter(|d| d.is_delimited_text())
    }

    pub fn summary(&self) -> DatasetSummary {
        let mut formats: Vec<String> = self.distributions.iter().map(|d| d.format.clone()).collect();
        formats.sort();
        formats.dedup();
        DatasetSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            title_en: self.title_en.clone(),
            theme: self.theme.clone(),
            publisher: self.publisher.clone(),
            open: self.open.kind(),
            status: self.status,
            emergency: self.emergency,
            modified: self.modified.clone(),
            formats,
        }
    }
}

/// The portal itself: who publishes the catalog and under which rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portal {
    /// e.g. 示例市公共数据开放平台
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The data authority that runs the platform.
    pub publisher: String,
    /// Public address of the portal, used in attributions and citations.
    pub url: String,
    /// Identifier of the jurisdiction's rule set (see `rules`), e.g. `yunnan`.
    pub jurisdiction: String,
    /// Base address of the intake API (`/api/v1` on the same host by default).
    pub intake: String,
    /// Licence applied where a dataset names none.
    pub default_license: String,
    /// Groups of equivalent search terms (abbreviations, synonyms) added to the built-in
    /// table of `search::synonyms`, e.g. `[["一网通办", "政务服务"]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
}

/// `catalog.json`: the entry point the app fetches first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogIndex {
    pub format_version: u32,
    /// Content hash of the build; changes whenever any record changes.
    pub build_hash: String,
    pub built_at: String,
    pub portal: Portal,
    pub dataset_count: usize,
    /// Listing pages at `listing/{n}.json`, n from 1, each a `ListingPage`.
    pub listing: ListingInfo,
    /// The sharded search index (layout in `search::manifest`); absent in catalogs
    /// built before search existed, which the app then lists without search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<crate::search::SearchManifest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingInfo {
    pub page_size: usize,
    pub pages: usize,
}

/// `listing/{n}.json`: one page of summaries in the catalog's default order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingPage {
    pub page: usize,
    pub items: Vec<DatasetSummary>,
}

/// The most bytes a reader holds of one catalog file (issue 14, MISSION X4): a hostile or
/// broken catalog must not make a browser tab hold an unbounded answer. Each is far above
/// what the builder writes — a listing page holds 50 summaries (the sample's: 17 KB), a
/// record a few KB, `catalog.json` the facets (9 KB for the sample) — so only a file
/// that cannot be a real one is refused.
pub const MAX_RECORD_BYTES: u64 = 8 << 20;
pub const MAX_LISTING_BYTES: u64 = 8 << 20;
pub const MAX_INDEX_BYTES: u64 = 32 << 20;
/// A search shard, postings file or summary chunk (`search/`; shards aim at 12 KB).
pub const MAX_SEARCH_FILE_BYTES: u64 = 16 << 20;

/// Path of a dataset's record relative to the catalog root.
pub fn record_path(id: &str) -> String {
    format!("datasets/{id}.json")
}

/// Path of a listing page relative to the catalog root.
pub fn listing_path(page: usize) -> String {
    format!("listing/{page}.json")
}

/// A dataset identifier must be safe as a file name and a URL segment.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !id.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert_eq!(Date::parse("2026-11-23").unwrap().ymd(), (2026, 11, 23));
    }

    #[test]
    fn conditional_without_basis_does_not_parse() {
        let missing = r#"{"kind":"conditional","conditions":["实名认证"]}"#;
        assert!(serde_json::from_str::<OpenAttribute>(missing).is_err());
        let ok = r#"{"kind":"closed","legal_basis":"《条例》第十三条"}"#;
        let attr: OpenAttribute = serde_json::from_str(ok).unwrap();
        assert_eq!(attr.kind(), OpenKind::Closed);
        assert_eq!(attr.legal_basis(), Some("《条例》第十三条"));
    }

    #[test]
    fn ids_are_path_safe() {
        assert!(valid_id("sz-jt-0001"));
        assert!(!valid_id("../etc/passwd"));
        assert!(!valid_id(".hidden"));
        assert!(!valid_id(""));
        assert!(!valid_id("公交"));
    }

    #[test]
    fn early_preview_file_is_the_first_previewable_when_it_is_delimited_text() {
        let mut d = crate::testutil::bus_stops();
        assert_eq!(d.early_preview_file().map(|f| f.path.as_str()), Some("files/jt-bus-stops/bus-stops.csv"));
        // The preview opens the first previewable file: an XLSX before the CSV is not
        // delimited text, so nothing is fetched early; a PDF before it is skipped.
        let csv = d.distributions[0].clone();
        let other =
            |format: &str| Distribution { format: format.into(), path: format!("files/x.{format}"), ..csv.clone() };
        d.distributions = vec![other("XLSX"), csv.clone()];
        assert_eq!(d.early_preview_file(), None);
        d.distributions = vec![other("PDF"), csv.clone()];
        assert_eq!(d.early_preview_file().map(|f| f.path.as_str()), Some(csv.path.as_str()));
        // No preview, no early fetch: suspended, or open only on conditions.
        d.status = DatasetStatus::Suspended;
        assert_eq!(d.early_preview_file(), None);
        d.status = DatasetStatus::Open;
        d.open =
            OpenAttribute::Conditional { conditions: vec!["实名认证".into()], legal_basis: "第十条".into() };
        assert_eq!(d.early_preview_file(), None);
    }

    #[test]
    fn security_level_range() {
        assert!(SecurityLevel::new(0).is_err());
        assert!(SecurityLevel::new(5).is_err());
        assert_eq!(serde_json::from_str::<SecurityLevel>("3").unwrap().get(), 3);
        assert!(serde_json::from_str::<SecurityLevel>("9").is_err());
    }
}
