//! The search manifest (`CatalogIndex::search` in catalog.json): where the index files
//! are, how they are cut, and the facet vocabularies with their catalog-wide counts.
//!
//! Files, relative to the catalog root, under `dir` (which carries the build hash so a
//! cache never mixes two builds):
//! - `{dir}/t/{n}.bin`  term shard n (bucket = FNV-1a(term) % shard_count), see `codec`;
//! - `{dir}/x/{n}.bin`  the postings of one large term, named from its shard entry;
//! - `{dir}/d/{n}.bin`  table chunk n: facet codes and sort keys of datasets
//!                      [n·table_chunk, (n+1)·table_chunk), see `table`;
//! - `{dir}/s/{n}.json` summary chunk n: `DatasetSummary` of datasets
//!                      [n·summary_chunk, (n+1)·summary_chunk), to show results.
//!
//! Dataset numbers order datasets by domain, then department, then id, so that the
//! datasets a query matches tend to share table and summary chunks.

use serde::{Deserialize, Serialize};

pub const INDEX_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchManifest {
    pub version: u32,
    pub doc_count: u32,
    pub dir: String,
    pub shard_count: u32,
    pub table_chunk: u32,
    pub summary_chunk: u32,
    pub facets: FacetVocab,
    /// Synonym groups the index was built with (built-in plus the portal's own).
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

impl SearchManifest {
    pub fn shard_path(&self, n: u32) -> String {
        format!("{}/t/{n}.bin", self.dir)
    }
    pub fn external_path(&self, n: u32) -> String {
        format!("{}/x/{n}.bin", self.dir)
    }
    /// Facet part of table chunk n.
    pub fn table_path(&self, n: u32) -> String {
        format!("{}/d/{n}.bin", self.dir)
    }
    /// Order part (sort keys) of table chunk n.
    pub fn order_path(&self, n: u32) -> String {
        format!("{}/o/{n}.bin", self.dir)
    }
    pub fn summary_path(&self, n: u32) -> String {
        format!("{}/s/{n}.json", self.dir)
    }
    pub fn table_chunk_of(&self, doc: u32) -> u32 {
        doc / self.table_chunk.max(1)
    }
    pub fn summary_chunk_of(&self, doc: u32) -> u32 {
        doc / self.summary_chunk.max(1)
    }
    pub fn table_chunk_count(&self) -> u32 {
        self.doc_count.div_ceil(self.table_chunk.max(1))
    }
}

/// One value of a facet: `key` goes in URLs, `label` is shown, `count` is catalog-wide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    pub count: u32,
}

/// Facet vocabularies; a dataset's code for a facet is the index of its value here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetVocab {
    pub theme: Vec<FacetValue>,
    pub department: Vec<FacetValue>,
    pub region: Vec<FacetValue>,
    pub level: Vec<FacetValue>,
    pub open: Vec<FacetValue>,
    pub format: Vec<FacetValue>,
    pub frequency: Vec<FacetValue>,
    pub status: Vec<FacetValue>,
}

/// The facets of B4 (plus status), in the order the UI shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Theme,
    Department,
    Open,
    Format,
    Frequency,
    Region,
    Level,
    Status,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Theme,
        Facet::Department,
        Facet::Open,
        Facet::Format,
        Facet::Frequency,
        Facet::Region,
        Facet::Level,
        Facet::Status,
    ];
    /// Name of the URL query parameter.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Theme => "theme",
            Facet::Department => "dept",
            Facet::Open => "open",
            Facet::Format => "format",
            Facet::Frequency => "freq",
            Facet::Region => "region",
            Facet::Level => "level",
            Facet::Status => "status",
        }
    }
    pub fn from_param(p: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.param() == p)
    }
}

impl FacetVocab {
    pub fn values(&self, facet: Facet) -> &[FacetValue] {
        match facet {
            Facet::Theme => &self.theme,
            Facet::Department => &self.department,
            Facet::Region => &self.region,
            Facet::Level => &self.level,
            Facet::Open => &self.open,
            Facet::Format => &self.format,
            Facet::Frequency => &self.frequency,
            Facet::Status => &self.status,
        }
    }
    pub fn values_mut(&mut self, facet: Facet) -> &mut Vec<FacetValue> {
        match facet {
            Facet::Theme => &mut self.theme,
            Facet::Department => &mut self.department,
            Facet::Region => &mut self.region,
            Facet::Level => &mut self.level,
            Facet::Open => &mut self.open,
            Facet::Format => &mut self.format,
            Facet::Frequency => &mut self.frequency,
            Facet::Status => &mut self.status,
        }
    }
    /// The code of a value key, if the catalog has it.
    pub fn code(&self, facet: Facet, key: &str) -> Option<u32> {
        self.values(facet).iter().position(|v| v.key == key).map(|i| i as u32)
    }
}
