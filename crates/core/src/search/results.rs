//! From matched datasets to what the page shows: filters, facet counts that follow the
//! query, sort order and the page of dataset numbers.

use super::manifest::{Facet, FacetVocab, SearchManifest};
use super::query::Hit;
use super::state::{SearchState, SortOrder, PAGE_SIZE};
use super::table::DocRow;
use std::collections::BTreeMap;

/// The datasets a search is over: all of them (no query), or the hits of a query.
#[derive(Debug, Clone, Copy)]
pub enum Matched<'a> {
    All(u32),
    Hits(&'a [Hit]),
}

impl Matched<'_> {
    pub fn len(&self) -> usize {
        match self {
            Matched::All(n) => *n as usize,
            Matched::Hits(h) => h.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn docs(&self) -> Box<dyn Iterator<Item = (u32, f32)> + '_> {
        match self {
            Matched::All(n) => Box::new((0..*n).map(|d| (d, 0.0))),
            Matched::Hits(h) => Box::new(h.iter().map(|h| (h.doc, h.score))),
        }
    }
}

/// Table chunks needed to filter, count and sort `matched` (sorted, distinct).
pub fn table_chunks_needed(manifest: &SearchManifest, matched: Matched<'_>) -> Vec<u32> {
    let mut chunks: Vec<u32> = match matched {
        Matched::All(_) => (0..manifest.table_chunk_count()).collect(),
        Matched::Hits(h) => h.iter().map(|h| manifest.table_chunk_of(h.doc)).collect(),
    };
    chunks.dedup();
    chunks
}

/// Do the sort keys (table order parts) matter? For date and title order, and for the
/// default order of a search without query (emergency first, then last update); a
/// query in relevance order sorts by score.
pub fn needs_order(matched: Matched<'_>, state: &SearchState) -> bool {
    match state.sort {
        SortOrder::Modified | SortOrder::Title => true,
        SortOrder::Relevance => matches!(matched, Matched::All(_)),
    }
}

/// The first page by score alone, before any table chunk has arrived: what a query
/// sorted by relevance without filters shows first. Ties go to the lower number.
pub fn first_page_by_score(hits: &[Hit], page: usize) -> Vec<u32> {
    let mut order: Vec<&Hit> = hits.iter().collect();
    order.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    order.into_iter().skip((page.max(1) - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|h| h.doc).collect()
}

/// The complete answer without any table chunk, when one exists: a query that matched
/// **every** dataset (示例 in a 示例市 catalog), without filters, in relevance order.
/// Its facet counts are the catalog's own (in the manifest) and its order is the score,
/// so the ~50 table chunks of a 100,000-dataset catalog need not be fetched.
pub fn outcome_without_tables(manifest: &SearchManifest, matched: Matched<'_>, state: &SearchState) -> Option<Outcome> {
    let Matched::Hits(hits) = matched else { return None };
    if hits.len() != manifest.doc_count as usize || state.has_filters() || state.sort != SortOrder::Relevance {
        return None;
    }
    let facet_counts =
        Facet::ALL.iter().map(|&f| (f, manifest.facets.values(f).iter().map(|v| v.count).collect())).collect();
    Some(Outcome { total: hits.len(), page_docs: first_page_by_score(hits, state.page), facet_counts })
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Datasets after filters.
    pub total: usize,
    /// Dataset numbers on the requested page, in order.
    pub page_docs: Vec<u32>,
    /// Per facet, per value code: how many datasets would match if that value were
    /// (also) selected — counted with the other facets' filters applied, not its own.
    pub facet_counts: BTreeMap<Facet, Vec<u32>>,
}

/// Filters, counts and sorts. `row(doc)` gives the table row of a dataset; a dataset
/// whose row is missing (a chunk that failed to load) is left out rather than guessed.
pub fn refine(
    vocab: &FacetVocab,
    matched: Matched<'_>,
    row: &dyn Fn(u32) -> Option<DocRow>,
    state: &SearchState,
) -> Outcome {
    // Selected keys → codes; a key the catalog lacks matches nothing but stays selected.
    let filters: Vec<(Facet, Vec<u32>)> = state
        .filters
        .iter()
        .map(|(&f, keys)| (f, keys.iter().map(|k| vocab.code(f, k).unwrap_or(u32::MAX)).collect()))
        .collect();
    let mut counts: BTreeMap<Facet, Vec<u32>> =
        Facet::ALL.iter().map(|&f| (f, vec![0; vocab.values(f).len()])).collect();
    let mut kept: Vec<(u32, f32, DocRow)> = Vec::new();
    for (doc, score) in matched.docs() {
        let Some(r) = row(doc) else { continue };
        let mut failed: Option<Facet> = None;
        let mut failures = 0;
        for (f, codes) in &filters {
            if !codes.iter().any(|&c| r.has(*f, c)) {
                failures += 1;
                failed = Some(*f);
            }
        }
        match failures {
            0 => {
                for f in Facet::ALL {
                    let c = counts.get_mut(&f).expect("every facet has counts");
                    r.codes(f, |code| {
                        if let Some(n) = c.get_mut(code as usize) {
                            *n += 1
                        }
                    });
                }
                kept.push((doc, score, r));
            }
            1 => {
                let f = failed.expect("one failure recorded");
                let c = counts.get_mut(&f).expect("every facet has counts");
                r.codes(f, |code| {
                    if let Some(n) = c.get_mut(code as usize) {
                        *n += 1
                    }
                });
            }
            _ => {}
        }
    }
    let has_query = matches!(matched, Matched::Hits(_));
    let default_order = |a: &(u32, f32, DocRow), b: &(u32, f32, DocRow)| {
        b.2.emergency.cmp(&a.2.emergency).then(b.2.modified.cmp(&a.2.modified)).then(a.0.cmp(&b.0))
    };
    match state.sort {
        SortOrder::Relevance if has_query => kept.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))),
        SortOrder::Relevance => kept.sort_by(default_order),
        SortOrder::Modified => kept.sort_by(|a, b| b.2.modified.cmp(&a.2.modified).then(a.0.cmp(&b.0))),
        SortOrder::Title => kept.sort_by(|a, b| a.2.title_rank.cmp(&b.2.title_rank).then(a.0.cmp(&b.0))),
    }
    let page_docs = kept.iter().skip((state.page.max(1) - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|k| k.0).collect();
    Outcome { total: kept.len(), page_docs, facet_counts: counts }
}
