//! The search index reader: fetches the shards, postings, table chunks and summary
//! chunks a query needs, keeps them for the rest of the visit, and hands them to
//! `kaifang_core::search` for scoring, filtering and counting. Files are fetched in
//! parallel; each is fetched at most once per visit (a second query for the same
//! terms fetches nothing).

use crate::net::{catalog_url, NetError};
use futures::future::join_all;
use kaifang_core::catalog::DatasetSummary;
use kaifang_core::search::{
    codec::term_hash, decode_chunk, decode_external, decode_shard, Hit, Postings, QueryPlan, SearchManifest,
    TableChunk, TermEntry,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

type Shard = HashMap<String, TermEntry>;

#[derive(Default)]
struct Cache {
    dir: String,
    shards: HashMap<u32, Rc<Shard>>,
    externals: HashMap<u32, Rc<Postings>>,
    tables: HashMap<u32, Rc<TableChunk>>,
    summaries: HashMap<u32, Rc<Vec<DatasetSummary>>>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

// Files and bytes fetched by the reader during this visit (for the benchmark's figures).
thread_local! {
    static FETCHED: RefCell<(u32, u64)> = const { RefCell::new((0, 0)) };
}

pub fn fetched() -> (u32, u64) {
    FETCHED.with(|f| *f.borrow())
}

async fn get_bytes(path: &str) -> Result<Vec<u8>, NetError> {
    let url = catalog_url(path);
    let bytes = crate::net::get_capped(&url, kaifang_core::catalog::MAX_SEARCH_FILE_BYTES).await?;
    FETCHED.with(|f| {
        let mut f = f.borrow_mut();
        f.0 += 1;
        f.1 += bytes.len() as u64;
    });
    Ok(bytes)
}

fn bad(path: &str, e: impl std::fmt::Display) -> NetError {
    NetError::BadData(format!("{path}: {e}"))
}

fn with_cache<R>(manifest: &SearchManifest, f: impl FnOnce(&mut Cache) -> R) -> R {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.dir != manifest.dir {
            // Another build of the catalog: nothing cached belongs to it.
            *c = Cache { dir: manifest.dir.clone(), ..Cache::default() };
        }
        f(&mut c)
    })
}

/// The postings of each of the plan's terms (`None`: not in the index).
pub async fn postings(manifest: &SearchManifest, plan: &QueryPlan) -> Result<Vec<Option<Rc<Postings>>>, NetError> {
    let missing: Vec<u32> = with_cache(manifest, |c| {
        plan.shards(manifest.shard_count).into_iter().filter(|s| !c.shards.contains_key(s)).collect()
    });
    let loaded = join_all(missing.iter().map(|&s| async move {
        let path = manifest.shard_path(s);
        let bytes = get_bytes(&path).await?;
        let terms = decode_shard(&bytes, manifest.doc_count).map_err(|e| bad(&path, e))?;
        Ok::<_, NetError>((s, terms.into_iter().collect::<Shard>()))
    }))
    .await;
    for r in loaded {
        let (s, shard) = r?;
        with_cache(manifest, |c| c.shards.insert(s, Rc::new(shard)));
    }
    let entries: Vec<Option<TermEntry>> = with_cache(manifest, |c| {
        plan.terms
            .iter()
            .map(|t| c.shards.get(&(term_hash(t) % manifest.shard_count.max(1))).and_then(|s| s.get(t)).cloned())
            .collect()
    });
    let externals: Vec<u32> = with_cache(manifest, |c| {
        entries
            .iter()
            .filter_map(|e| match e {
                Some(TermEntry::External(n)) if !c.externals.contains_key(n) => Some(*n),
                _ => None,
            })
            .collect()
    });
    let loaded = join_all(externals.iter().map(|&n| async move {
        let path = manifest.external_path(n);
        let bytes = get_bytes(&path).await?;
        Ok::<_, NetError>((n, decode_external(&bytes, manifest.doc_count).map_err(|e| bad(&path, e))?))
    }))
    .await;
    for r in loaded {
        let (n, p) = r?;
        with_cache(manifest, |c| c.externals.insert(n, Rc::new(p)));
    }
    Ok(with_cache(manifest, |c| {
        entries
            .into_iter()
            .map(|e| match e {
                None => None,
                Some(TermEntry::Inline(p)) => Some(Rc::new(p)),
                Some(TermEntry::External(n)) => c.externals.get(&n).cloned(),
            })
            .collect()
    }))
}

/// Scores the datasets matching `plan` (sorted by dataset number).
pub async fn hits(manifest: &SearchManifest, plan: &QueryPlan) -> Result<Vec<Hit>, NetError> {
    let postings = postings(manifest, plan).await?;
    let refs: Vec<Option<&Postings>> = postings.iter().map(|p| p.as_deref()).collect();
    Ok(plan.evaluate(&refs, manifest.doc_count))
}

/// Makes sure the given table chunks are loaded: their facet parts, and with `order`
/// their sort keys too (fetched only for orders that need them, see `needs_order`).
pub async fn load_tables(manifest: &SearchManifest, chunks: &[u32], order: bool) -> Result<(), NetError> {
    // (chunk, what is cached already)
    let missing: Vec<(u32, Option<Rc<TableChunk>>)> = with_cache(manifest, |c| {
        chunks
            .iter()
            .filter_map(|&n| match c.tables.get(&n) {
                None => Some((n, None)),
                Some(t) if order && !t.has_order => Some((n, Some(t.clone()))),
                Some(_) => None,
            })
            .collect()
    });
    let loaded = join_all(missing.into_iter().map(|(n, cached)| async move {
        let mut chunk = match cached {
            Some(t) => (*t).clone(),
            None => {
                let path = manifest.table_path(n);
                decode_chunk(&get_bytes(&path).await?).map_err(|e| bad(&path, e))?
            }
        };
        if order {
            let path = manifest.order_path(n);
            chunk.add_order(&get_bytes(&path).await?).map_err(|e| bad(&path, e))?;
        }
        Ok::<_, NetError>((n, chunk))
    }))
    .await;
    for r in loaded {
        let (n, t) = r?;
        with_cache(manifest, |c| c.tables.insert(n, Rc::new(t)));
    }
    Ok(())
}

/// A row getter over the loaded table chunks.
pub fn rows(manifest: &SearchManifest) -> impl Fn(u32) -> Option<kaifang_core::search::DocRow> + '_ {
    move |d| with_cache(manifest, |c| c.tables.get(&manifest.table_chunk_of(d)).and_then(|t| t.row(d)).copied())
}

/// The summaries of `docs`, in order.
pub async fn summaries(manifest: &SearchManifest, docs: &[u32]) -> Result<Vec<DatasetSummary>, NetError> {
    let mut wanted: Vec<u32> = docs.iter().map(|&d| manifest.summary_chunk_of(d)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let missing: Vec<u32> =
        with_cache(manifest, |c| wanted.into_iter().filter(|n| !c.summaries.contains_key(n)).collect());
    let loaded = join_all(missing.iter().map(|&n| async move {
        let path = manifest.summary_path(n);
        let bytes = get_bytes(&path).await?;
        let items: Vec<DatasetSummary> = serde_json::from_slice(&bytes).map_err(|e| bad(&path, e))?;
        Ok::<_, NetError>((n, items))
    }))
    .await;
    for r in loaded {
        let (n, items) = r?;
        with_cache(manifest, |c| c.summaries.insert(n, Rc::new(items)));
    }
    with_cache(manifest, |c| {
        docs.iter()
            .map(|&d| {
                let n = manifest.summary_chunk_of(d);
                c.summaries
                    .get(&n)
                    .and_then(|items| items.get((d - n * manifest.summary_chunk) as usize))
                    .cloned()
                    .ok_or_else(|| NetError::BadData(format!("summary of dataset {d} missing")))
            })
            .collect()
    })
}
