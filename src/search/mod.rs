//! Search in the app: the index reader (network + cache) and the search run that turns a
//! `SearchState` into what the search page shows. Scoring, filtering and counting are
//! `kaifang_core::search`; this module only fetches and sequences.

pub mod reader;
pub mod run;
