//! The results of browse pages (front page, `/page/n`, `/browse/<facet>/<key>`), computed at
//! build time with the same core steps the app runs over the network (`refine` over the
//! search index's table chunks), each chunk read and decoded once for every page.

use anyhow::{anyhow, Context};
use kaifang_core::catalog::{listing_path, CatalogIndex, DatasetSummary, ListingPage};
use kaifang_core::search::{
    decode_chunk, listing_parts, refine, BrowseView, DocRow, Facet, Matched, SearchManifest, TableChunk,
};
use kaifang_web::search::run::{Phase, ResultsView};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Listings {
    manifest: SearchManifest,
    dir: PathBuf,
    rows: Vec<DocRow>,
    summaries: RefCell<HashMap<u32, Vec<DatasetSummary>>>,
}

impl Listings {
    /// Reads every table chunk (facet codes and sort keys) of the catalog at `dir`.
    pub fn load(dir: &Path, manifest: SearchManifest) -> anyhow::Result<Listings> {
        let mut rows = Vec::with_capacity(manifest.doc_count as usize);
        for c in 0..manifest.table_chunk_count() {
            let mut chunk: TableChunk =
                decode_chunk(&read(dir, &manifest.table_path(c))?).map_err(|e| anyhow!("table chunk {c}: {e:?}"))?;
            chunk.add_order(&read(dir, &manifest.order_path(c))?).map_err(|e| anyhow!("order part {c}: {e:?}"))?;
            for d in c * manifest.table_chunk..((c + 1) * manifest.table_chunk).min(manifest.doc_count) {
                rows.push(*chunk.row(d).ok_or_else(|| anyhow!("table chunk {c} lacks dataset {d}"))?);
            }
        }
        Ok(Listings { manifest, dir: dir.to_path_buf(), rows, summaries: RefCell::default() })
    }

    /// What the search page shows for `view`: its page of results and the facet counts.
    pub fn results(&self, view: &BrowseView, catalog: &CatalogIndex) -> anyhow::Result<ResultsView> {
        let state = view.state();
        if view.filter.is_none() {
            return self.default_order(view.page, catalog);
        }
        let row = |d: u32| self.rows.get(d as usize).copied();
        let outcome = refine(&self.manifest.facets, Matched::All(self.manifest.doc_count), &row, &state);
        let items = outcome.page_docs.iter().map(|&d| self.summary(d)).collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ResultsView {
            key: state.to_query(),
            phase: Phase::Complete,
            total: outcome.total,
            items,
            facets: Some(outcome.facet_counts),
        })
    }

    /// The whole catalog in its default order, from the listing files, as the app reads it
    /// (src/search/run.rs) — with the catalog's own facet counts.
    fn default_order(&self, page: usize, catalog: &CatalogIndex) -> anyhow::Result<ResultsView> {
        let mut items = Vec::new();
        for (file, skip, take) in listing_parts(page, catalog.listing.page_size, catalog.dataset_count) {
            let listing: ListingPage = serde_json::from_slice(&read(&self.dir, &listing_path(file))?)
                .with_context(|| format!("listing {file}"))?;
            items.extend(listing.items.into_iter().skip(skip).take(take));
        }
        let facets =
            Facet::ALL.iter().map(|&f| (f, self.manifest.facets.values(f).iter().map(|v| v.count).collect())).collect();
        let state = BrowseView { filter: None, page }.state();
        Ok(ResultsView {
            key: state.to_query(),
            phase: Phase::Complete,
            total: catalog.dataset_count,
            items,
            facets: Some(facets),
        })
    }

    /// How many pages `view`'s listing has.
    pub fn pages(&self, total: usize) -> usize {
        total.div_ceil(kaifang_core::search::PAGE_SIZE).max(1)
    }

    fn summary(&self, doc: u32) -> anyhow::Result<DatasetSummary> {
        let c = self.manifest.summary_chunk_of(doc);
        let mut cache = self.summaries.borrow_mut();
        if !cache.contains_key(&c) {
            let bytes = read(&self.dir, &self.manifest.summary_path(c))?;
            let items = serde_json::from_slice(&bytes).with_context(|| format!("summary chunk {c}"))?;
            cache.insert(c, items);
        }
        let i = (doc - c * self.manifest.summary_chunk) as usize;
        cache[&c].get(i).cloned().ok_or_else(|| anyhow!("summary of dataset {doc} missing"))
    }
}

fn read(dir: &Path, rel: &str) -> anyhow::Result<Vec<u8>> {
    let p = dir.join(rel);
    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
}
