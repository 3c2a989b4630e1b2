//! Search for Chinese and English over a static, sharded index (MISSION B4, T1).
//!
//! The map:
//! - `text`     — normalising and splitting text into terms (Han bigrams + unigrams, words);
//! - `synonyms` — abbreviations and synonyms (医保 ↔ 医疗保障) expanded at index time;
//! - `fields`   — what is searched and how much each field counts;
//! - `codec`    — the binary shard and postings formats (decoders never panic);
//! - `table`    — per-dataset facet codes and sort keys, in chunks;
//! - `manifest` — the `search` entry of catalog.json and the file layout;
//! - `builder`  — dataset records → index files (used by `kaifang catalog build`);
//! - `query`    — query plans and scoring (coverage, contiguity, field, idf);
//! - `results`  — filters, facet counts that follow the query, sorting, paging;
//! - `state`    — the search state and its shareable URL;
//! - `browse`   — the listings a static host serves as files (`/browse/theme/<key>/`…).
//!
//! A reader (the app) does: `QueryPlan::new(q)` → fetch `plan.shards(..)` (and the
//! external files they point to) → `plan.evaluate(..)` → `first_page_by_score` to show
//! results at once → fetch `table_chunks_needed(..)` → `refine(..)` for filters, facet
//! counts and other sort orders → fetch the summary chunks of the page.

pub mod browse;
pub mod builder;
pub mod codec;
pub mod fields;
pub mod local;
pub mod manifest;
pub mod query;
pub mod results;
pub mod state;
pub mod synonyms;
pub mod table;
pub mod text;

pub use browse::{listing_parts, BrowseView, BROWSE_FACETS};
pub use builder::{build_index, BuiltIndex};
pub use codec::{decode_external, decode_shard, DecodeError, Postings, TermEntry};
pub use manifest::{Facet, FacetValue, FacetVocab, SearchManifest};
pub use query::{Hit, QueryPlan};
pub use results::{
    first_page_by_score, needs_order, outcome_without_tables, refine, table_chunks_needed, Matched, Outcome,
};
pub use state::{SearchState, SortOrder, PAGE_SIZE};
pub use table::{decode_chunk, DocRow, TableChunk, TablePart};
