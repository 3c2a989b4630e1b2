//! Which department answers for which dataset, read from the built catalog folder
//! (`catalog.json` and its `listing/{n}.json` pages; `publisher.id` of each summary).
//! A provider department may act only on datasets this map gives it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::Context;
use kaifang_core::catalog::{listing_path, CatalogIndex, ListingPage, OpenKind};

#[derive(Debug, Clone, Default)]
pub struct CatalogMap {
    /// The catalog's rule set id (`portal.jurisdiction`), if a catalog was loaded.
    pub jurisdiction: Option<String>,
    datasets: HashMap<String, DatasetEntry>,
    departments: BTreeSet<String>,
    /// Extra calendar years shipped with the catalog (`calendar.json`), if any.
    pub calendar_json: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetEntry {
    pub department_id: String,
    pub open: OpenKind,
}

/// Listing pages are bounded so a corrupt `catalog.json` cannot make us loop for ever.
const MAX_PAGES: usize = 100_000;

impl CatalogMap {
    pub fn load(dir: &Path) -> anyhow::Result<CatalogMap> {
        let index_path = dir.join("catalog.json");
        let text = std::fs::read_to_string(&index_path).with_context(|| format!("reading {}", index_path.display()))?;
        let index: CatalogIndex =
            serde_json::from_str(&text).with_context(|| format!("{} is not a catalog index", index_path.display()))?;
        let mut map = CatalogMap { jurisdiction: Some(index.portal.jurisdiction.clone()), ..Default::default() };
        for n in 1..=index.listing.pages.min(MAX_PAGES) {
            let path = dir.join(listing_path(n));
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let page: ListingPage =
                serde_json::from_str(&text).with_context(|| format!("{} is not a listing page", path.display()))?;
            for item in page.items {
                map.insert(&item.id, &item.publisher.id, item.open);
            }
        }
        let calendar = dir.join("calendar.json");
        if calendar.exists() {
            map.calendar_json =
                Some(std::fs::read_to_string(&calendar).with_context(|| format!("reading {}", calendar.display()))?);
        }
        Ok(map)
    }

    pub fn insert(&mut self, dataset_id: &str, department_id: &str, open: OpenKind) {
        self.departments.insert(department_id.to_string());
        self.datasets.insert(dataset_id.to_string(), DatasetEntry { department_id: department_id.to_string(), open });
    }

    pub fn dataset(&self, id: &str) -> Option<&DatasetEntry> {
        self.datasets.get(id)
    }

    pub fn has_department(&self, id: &str) -> bool {
        self.departments.contains(id)
    }

    /// The datasets a department provides (every dataset for `None`), sorted: the desk's
    /// dataset filter and its status changes offer these.
    pub fn datasets_of(&self, department_id: Option<&str>) -> Vec<String> {
        let mut ids: Vec<String> = self
            .datasets
            .iter()
            .filter(|(_, e)| department_id.is_none_or(|d| e.department_id == d))
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }
}
