//! Building the sharded index from dataset records (pure: returns the files to write).

use super::codec::{encode_external, encode_shard, term_hash, Postings, ShardSlot};
use super::fields::{class_texts, CLASS_COUNT};
use super::manifest::{FacetValue, FacetVocab, SearchManifest, INDEX_VERSION};
use super::synonyms::Synonyms;
use super::table::{days_from_civil, encode_chunk, DocRow, TablePart, FORMAT_BITS};
use super::text::index_terms;
use crate::catalog::{Dataset, DatasetStatus, OpenKind, RegionLevel, UpdateFrequency};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Datasets per table chunk: 2048 rows of 6 bytes of facets (+ 5 of sort keys) before compression.
pub const TABLE_CHUNK: u32 = 2048;
/// Datasets per summary chunk: small, because results are scattered over the catalog.
pub const SUMMARY_CHUNK: u32 = 16;
/// Aim for term shards of about this many bytes.
pub const SHARD_TARGET_BYTES: usize = 12 * 1024;
/// A term whose postings exceed this gets a file of its own.
pub const EXTERNAL_MIN_BYTES: usize = 3 * 1024;

pub struct BuiltIndex {
    pub manifest: SearchManifest,
    /// (path relative to the catalog root, contents)
    pub files: Vec<(String, Vec<u8>)>,
    /// `order[n]` is the position in the input of dataset number n.
    pub order: Vec<usize>,
}

/// Builds the index. `dir` is where the files go (e.g. `search/ab12cd34`).
pub fn build_index(datasets: &[Dataset], portal_synonyms: &[Vec<String>], dir: &str) -> BuiltIndex {
    let synonyms = Synonyms::with_defaults(portal_synonyms);
    // Dataset numbers: by domain, department, id — neighbours in a chunk are alike.
    let mut order: Vec<usize> = (0..datasets.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&datasets[a], &datasets[b]);
        (&x.theme, &x.publisher.id, &x.id).cmp(&(&y.theme, &y.publisher.id, &y.id))
    });
    let docs: Vec<&Dataset> = order.iter().map(|&i| &datasets[i]).collect();
    let n = docs.len() as u32;

    let vocab = facet_vocab(&docs);
    let code = |f: &[FacetValue], key: &str| f.iter().position(|v| v.key == key).unwrap_or(0) as u16;

    // Title order.
    let mut by_title: Vec<u32> = (0..n).collect();
    by_title.sort_by(|&a, &b| (&docs[a as usize].title, a).cmp(&(&docs[b as usize].title, b)));
    let mut title_rank = vec![0u32; docs.len()];
    for (rank, &d) in by_title.iter().enumerate() {
        title_rank[d as usize] = rank as u32;
    }

    let rows: Vec<DocRow> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut formats = 0u32;
            for dist in &d.distributions {
                let c = vocab.format.iter().position(|v| v.key == dist.format).unwrap_or(FORMAT_BITS - 1);
                formats |= 1 << c.min(FORMAT_BITS - 1);
            }
            let (y, m, dd) = d.modified.ymd();
            DocRow {
                theme: code(&vocab.theme, &d.theme),
                department: code(&vocab.department, &d.publisher.id),
                region: code(&vocab.region, &d.region.name),
                level: level_index(d.region.level) as u8,
                open: OpenKind::ALL.iter().position(|k| *k == d.open.kind()).unwrap_or(0) as u8,
                status: DatasetStatus::ALL.iter().position(|k| *k == d.status).unwrap_or(0) as u8,
                emergency: d.emergency,
                frequency: UpdateFrequency::ALL.iter().position(|k| *k == d.accrual_periodicity).unwrap_or(0) as u8,
                formats,
                modified: days_from_civil(y, m, dd),
                title_rank: title_rank[i],
            }
        })
        .collect();

    // Postings: term → per class doc lists (docs visited in order, so lists stay sorted).
    let mut postings: HashMap<String, Postings> = HashMap::new();
    for (doc, d) in docs.iter().enumerate() {
        let texts = class_texts(d, &synonyms);
        for (class, text) in texts.iter().enumerate().take(CLASS_COUNT) {
            let mut seen = HashSet::new();
            for term in index_terms(text) {
                if seen.insert(term.clone()) {
                    postings.entry(term).or_default().by_class[class].push(doc as u32);
                }
            }
        }
    }
    let mut encoded: Vec<(String, Vec<u8>)> = postings
        .into_iter()
        .map(|(t, p)| {
            let mut b = Vec::new();
            p.encode(&mut b);
            (t, b)
        })
        .collect();
    encoded.sort_by(|a, b| a.0.cmp(&b.0));

    let inline_bytes: usize =
        encoded.iter().map(|(t, b)| t.len() + 2 + if b.len() > EXTERNAL_MIN_BYTES { 3 } else { b.len() }).sum();
    let shard_count = (inline_bytes / SHARD_TARGET_BYTES).max(1) as u32;
    let mut files = Vec::new();
    let mut buckets: BTreeMap<u32, Vec<(String, ShardSlot)>> = BTreeMap::new();
    let mut externals = 0u32;
    for (term, bytes) in encoded {
        let slot = if bytes.len() > EXTERNAL_MIN_BYTES {
            files.push((format!("{dir}/x/{externals}.bin"), encode_external(&bytes)));
            externals += 1;
            ShardSlot::External(externals - 1)
        } else {
            ShardSlot::Inline(bytes)
        };
        buckets.entry(term_hash(&term) % shard_count).or_default().push((term, slot));
    }
    for s in 0..shard_count {
        let terms = buckets.remove(&s).unwrap_or_default();
        files.push((format!("{dir}/t/{s}.bin"), encode_shard(&terms)));
    }
    for (c, chunk) in rows.chunks(TABLE_CHUNK as usize).enumerate() {
        files.push((format!("{dir}/d/{c}.bin"), encode_chunk(TablePart::Facets, c as u32 * TABLE_CHUNK, chunk)));
        files.push((format!("{dir}/o/{c}.bin"), encode_chunk(TablePart::Order, c as u32 * TABLE_CHUNK, chunk)));
    }
    for (c, chunk) in docs.chunks(SUMMARY_CHUNK as usize).enumerate() {
        let items: Vec<_> = chunk.iter().map(|d| d.summary()).collect();
        let json = serde_json::to_vec(&items).expect("summaries serialise");
        files.push((format!("{dir}/s/{c}.json"), json));
    }
    let manifest = SearchManifest {
        version: INDEX_VERSION,
        doc_count: n,
        dir: dir.to_string(),
        shard_count,
        table_chunk: TABLE_CHUNK,
        summary_chunk: SUMMARY_CHUNK,
        facets: vocab,
        synonyms: Synonyms::with_defaults(portal_synonyms).groups().to_vec(),
    };
    BuiltIndex { manifest, files, order }
}

pub fn level_index(l: RegionLevel) -> usize {
    LEVELS.iter().position(|x| *x == l).unwrap_or(0)
}

pub const LEVELS: [RegionLevel; 4] =
    [RegionLevel::Province, RegionLevel::City, RegionLevel::County, RegionLevel::Township];

fn level_key(l: RegionLevel) -> &'static str {
    match l {
        RegionLevel::Province => "province",
        RegionLevel::City => "city",
        RegionLevel::County => "county",
        RegionLevel::Township => "township",
    }
}

fn facet_vocab(docs: &[&Dataset]) -> FacetVocab {
    fn tally<'a>(items: impl Iterator<Item = (String, String, Option<String>)>) -> Vec<FacetValue> {
        let mut m: BTreeMap<String, FacetValue> = BTreeMap::new();
        for (key, label, label_en) in items {
            m.entry(key.clone()).or_insert(FacetValue { key, label, label_en, count: 0 }).count += 1;
        }
        m.into_values().collect()
    }
    let fixed = |keys: &[&str], counts: Vec<u32>| -> Vec<FacetValue> {
        keys.iter()
            .zip(counts)
            .map(|(k, c)| FacetValue { key: k.to_string(), label: k.to_string(), label_en: None, count: c })
            .collect()
    };
    let count_by = |f: &dyn Fn(&Dataset) -> usize, len: usize| {
        let mut c = vec![0u32; len];
        for d in docs {
            c[f(d)] += 1;
        }
        c
    };
    let mut format = tally(docs.iter().flat_map(|d| {
        let mut f: Vec<String> = d.distributions.iter().map(|x| x.format.clone()).collect();
        f.sort();
        f.dedup();
        f.into_iter().map(|k| (k.clone(), k, None))
    }));
    // Most common formats get their own bit; the rest are counted under OTHER.
    format.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    if format.len() > FORMAT_BITS {
        let rest: u32 = format[FORMAT_BITS - 1..].iter().map(|v| v.count).sum();
        format.truncate(FORMAT_BITS - 1);
        format.push(FacetValue { key: "OTHER".into(), label: "OTHER".into(), label_en: None, count: rest });
    }
    FacetVocab {
        theme: tally(docs.iter().map(|d| (d.theme.clone(), d.theme.clone(), None))),
        department: tally(
            docs.iter().map(|d| (d.publisher.id.clone(), d.publisher.name.clone(), d.publisher.name_en.clone())),
        ),
        region: tally(docs.iter().map(|d| (d.region.name.clone(), d.region.name.clone(), None))),
        level: fixed(&LEVELS.map(level_key), count_by(&|d| level_index(d.region.level), LEVELS.len())),
        open: fixed(
            &OpenKind::ALL.map(|k| k.as_str()),
            count_by(&|d| OpenKind::ALL.iter().position(|k| *k == d.open.kind()).unwrap_or(0), 3),
        ),
        format,
        frequency: fixed(
            &UpdateFrequency::ALL.map(|k| k.as_str()),
            count_by(&|d| UpdateFrequency::ALL.iter().position(|k| *k == d.accrual_periodicity).unwrap_or(0), 9),
        ),
        status: fixed(
            &DatasetStatus::ALL.map(|k| k.as_str()),
            count_by(&|d| DatasetStatus::ALL.iter().position(|k| *k == d.status).unwrap_or(0), 4),
        ),
    }
}
