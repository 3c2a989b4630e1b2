//! One search, from state to view, in phases: results by score as soon as the term
//! postings and the page's summaries are in; then filters, facet counts and other sort
//! orders once the table chunks of the matched datasets are in. A newer search makes an
//! older one stop at its next step (its fetches still fill the cache).

use super::reader;
use crate::net::{self, NetError};
use kaifang_core::catalog::{CatalogIndex, DatasetSummary};
use kaifang_core::search::{
    first_page_by_score, needs_order, outcome_without_tables, refine, table_chunks_needed, Facet, Matched, QueryPlan,
    SearchState, SortOrder,
};
use std::cell::Cell;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Phase {
    #[default]
    Loading,
    /// Results by score are shown; facet counts are still coming.
    First,
    Complete,
    Failed(NetError),
}

impl Phase {
    pub fn as_str(&self) -> &'static str {
        match self {
            Phase::Loading => "loading",
            Phase::First => "first",
            Phase::Complete => "complete",
            Phase::Failed(_) => "failed",
        }
    }
}

/// What the search page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsView {
    /// The URL query string of the state these results belong to.
    pub key: String,
    pub phase: Phase,
    pub total: usize,
    pub items: Vec<DatasetSummary>,
    /// Counts per facet value code; `None` until known for this state.
    pub facets: Option<BTreeMap<Facet, Vec<u32>>>,
}

thread_local! {
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// Starts a new search generation; earlier runs see that they are stale.
pub fn next_generation() -> u64 {
    GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

fn current(gen: u64) -> bool {
    GENERATION.with(|g| g.get() == gen)
}

/// Runs `state` over the catalog, calling `show` at each phase (unless superseded).
pub async fn run(catalog: &CatalogIndex, state: &SearchState, gen: u64, show: impl Fn(ResultsView)) {
    let key = state.to_query();
    let shown = |phase: Phase, total: usize, items: Vec<DatasetSummary>, facets: Option<BTreeMap<Facet, Vec<u32>>>| {
        if current(gen) {
            show(ResultsView { key: key.clone(), phase, total, items, facets });
        }
    };
    if let Err(e) = phases(catalog, state, gen, &shown).await {
        shown(Phase::Failed(e), 0, Vec::new(), None);
    }
}

type Show<'a> = dyn Fn(Phase, usize, Vec<DatasetSummary>, Option<BTreeMap<Facet, Vec<u32>>>) + 'a;

async fn phases(catalog: &CatalogIndex, state: &SearchState, gen: u64, show: &Show<'_>) -> Result<(), NetError> {
    let plan = QueryPlan::new(&state.q);
    let Some(manifest) = catalog.search.as_ref() else {
        // A catalog without an index: the listing, in its default order.
        return listing(catalog, state, None, show).await;
    };
    let vocab_counts =
        || Facet::ALL.iter().map(|&f| (f, manifest.facets.values(f).iter().map(|v| v.count).collect())).collect();
    let hits;
    let matched = if plan.is_empty() {
        if !state.has_filters() && state.sort == SortOrder::Relevance {
            return listing(catalog, state, Some(vocab_counts()), show).await;
        }
        Matched::All(manifest.doc_count)
    } else {
        hits = reader::hits(manifest, &plan).await?;
        if !current(gen) {
            return Ok(());
        }
        if !state.has_filters() && state.sort == SortOrder::Relevance {
            let docs = first_page_by_score(&hits, state.page);
            let items = reader::summaries(manifest, &docs).await?;
            show(Phase::First, hits.len(), items, None);
            if !current(gen) {
                return Ok(());
            }
        }
        if let Some(outcome) = outcome_without_tables(manifest, Matched::Hits(&hits), state) {
            // Every dataset matched: the catalog's own counts, no table chunk to fetch.
            let items = reader::summaries(manifest, &outcome.page_docs).await?;
            show(Phase::Complete, outcome.total, items, Some(outcome.facet_counts));
            return Ok(());
        }
        Matched::Hits(&hits)
    };
    reader::load_tables(manifest, &table_chunks_needed(manifest, matched), needs_order(matched, state)).await?;
    if !current(gen) {
        return Ok(());
    }
    let outcome = refine(&manifest.facets, matched, &reader::rows(manifest), state);
    let items = reader::summaries(manifest, &outcome.page_docs).await?;
    show(Phase::Complete, outcome.total, items, Some(outcome.facet_counts));
    Ok(())
}

/// The page of the catalog's default order from its listing pages.
async fn listing(
    catalog: &CatalogIndex,
    state: &SearchState,
    facets: Option<BTreeMap<Facet, Vec<u32>>>,
    show: &Show<'_>,
) -> Result<(), NetError> {
    let mut items = Vec::new();
    for (file, skip, take) in
        kaifang_core::search::listing_parts(state.page, catalog.listing.page_size, catalog.dataset_count)
    {
        let page = net::load_listing(file).await?;
        items.extend(page.items.into_iter().skip(skip).take(take));
    }
    show(Phase::Complete, catalog.dataset_count, items, facets);
    Ok(())
}
