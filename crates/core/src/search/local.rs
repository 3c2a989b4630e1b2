//! A whole search over index files at hand: the same steps the app takes over the
//! network, for tests, the relevance suite and command-line tools.

use super::codec::{decode_external, decode_shard, DecodeError, Postings, TermEntry};
use super::manifest::SearchManifest;
use super::query::QueryPlan;
use super::results::{needs_order, outcome_without_tables, refine, table_chunks_needed, Matched, Outcome};
use super::state::SearchState;
use super::table::{decode_chunk, TableChunk};
use crate::catalog::DatasetSummary;
use std::collections::HashMap;

/// Looks up the postings of a plan's terms. `file(path)` returns a file's bytes.
pub fn lookup_postings(
    manifest: &SearchManifest,
    plan: &QueryPlan,
    file: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<Option<Postings>>, DecodeError> {
    let mut shards: HashMap<u32, Vec<(String, TermEntry)>> = HashMap::new();
    for s in plan.shards(manifest.shard_count) {
        let bytes = file(&manifest.shard_path(s)).ok_or_else(|| DecodeError(format!("shard {s} missing")))?;
        shards.insert(s, decode_shard(&bytes, manifest.doc_count)?);
    }
    plan.terms
        .iter()
        .map(|t| {
            let s = super::codec::term_hash(t) % manifest.shard_count.max(1);
            match shards[&s].iter().find(|(term, _)| term == t).map(|(_, e)| e) {
                None => Ok(None),
                Some(TermEntry::Inline(p)) => Ok(Some(p.clone())),
                Some(TermEntry::External(n)) => {
                    let bytes = file(&manifest.external_path(*n))
                        .ok_or_else(|| DecodeError(format!("postings file {n} missing")))?;
                    Ok(Some(decode_external(&bytes, manifest.doc_count)?))
                }
            }
        })
        .collect()
}

/// Runs a search and returns the outcome with the summaries of the page.
pub fn search(
    manifest: &SearchManifest,
    state: &SearchState,
    file: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<(Outcome, Vec<DatasetSummary>), DecodeError> {
    let plan = QueryPlan::new(&state.q);
    let hits;
    let matched = if plan.is_empty() {
        Matched::All(manifest.doc_count)
    } else {
        let postings = lookup_postings(manifest, &plan, file)?;
        let refs: Vec<Option<&Postings>> = postings.iter().map(|p| p.as_ref()).collect();
        hits = plan.evaluate(&refs, manifest.doc_count);
        Matched::Hits(&hits)
    };
    let outcome = match outcome_without_tables(manifest, matched, state) {
        Some(o) => o,
        None => refine_from_tables(manifest, matched, state, file)?,
    };
    let mut summaries = Vec::new();
    let mut cache: HashMap<u32, Vec<DatasetSummary>> = HashMap::new();
    for &d in &outcome.page_docs {
        let c = manifest.summary_chunk_of(d);
        if !cache.contains_key(&c) {
            let bytes =
                file(&manifest.summary_path(c)).ok_or_else(|| DecodeError(format!("summary chunk {c} missing")))?;
            let items: Vec<DatasetSummary> =
                serde_json::from_slice(&bytes).map_err(|e| DecodeError(format!("summary chunk {c}: {e}")))?;
            cache.insert(c, items);
        }
        let item = cache[&c]
            .get((d - c * manifest.summary_chunk) as usize)
            .ok_or_else(|| DecodeError(format!("summary of dataset {d} missing")))?;
        summaries.push(item.clone());
    }
    Ok((outcome, summaries))
}

/// Filters, counts and sorts over the table chunks the matched datasets are in.
fn refine_from_tables(
    manifest: &SearchManifest,
    matched: Matched<'_>,
    state: &SearchState,
    file: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Outcome, DecodeError> {
    let mut chunks: HashMap<u32, TableChunk> = HashMap::new();
    for c in table_chunks_needed(manifest, matched) {
        let bytes = file(&manifest.table_path(c)).ok_or_else(|| DecodeError(format!("table chunk {c} missing")))?;
        let mut chunk = decode_chunk(&bytes)?;
        if needs_order(matched, state) {
            let order = file(&manifest.order_path(c)).ok_or_else(|| DecodeError(format!("order part {c} missing")))?;
            chunk.add_order(&order)?;
        }
        chunks.insert(c, chunk);
    }
    let row = |d: u32| chunks.get(&manifest.table_chunk_of(d)).and_then(|c| c.row(d)).copied();
    Ok(refine(&manifest.facets, matched, &row, state))
}
