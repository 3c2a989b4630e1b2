//! The app's one door to the network (ARCHITECTURE.md): every request the app makes goes
//! through a module here, and every failure comes back as a [`NetError`].
//!
//! - `catalog`: the static catalog's JSON (summary, listings, records) and whole files;
//! - `ranges`: data files streamed or read by byte range (the preview, charts, scan workers).
//!
//! The intake's client (`crate::intake`), search shards (`crate::search::reader`, through
//! `catalog::get_capped`) and the offline copies (`crate::offline::files`, the Cache API) are
//! the other places that reach the network; the tidy test names them.

mod catalog;
pub mod ranges;

pub use catalog::*;

/// A failed fetch, as something a person can act on. `message_key` names the UI text.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// The server answered 404.
    NotFound,
    /// No answer at all: offline, or the server is down.
    Unreachable(String),
    /// Another HTTP status.
    Status(u16),
    /// The answer is not what the catalog format says it should be.
    BadData(String),
    /// The answer is larger than such a file can be (`limit` bytes): not read further.
    TooLarge { limit: u64 },
}

impl NetError {
    pub fn message_key(&self) -> &'static str {
        match self {
            NetError::NotFound => "error.not_found",
            NetError::Unreachable(_) => "error.unreachable",
            NetError::Status(_) => "error.status",
            NetError::BadData(_) => "error.bad_data",
            NetError::TooLarge { .. } => "error.too_large",
        }
    }
    /// Technical detail shown under the message.
    pub fn detail(&self) -> String {
        match self {
            NetError::NotFound => String::new(),
            NetError::Unreachable(d) | NetError::BadData(d) => d.clone(),
            NetError::Status(s) => format!("HTTP {s}"),
            NetError::TooLarge { limit } => format!("> {} MB", limit >> 20),
        }
    }
}

impl std::fmt::Display for NetError {
    /// For logs and workers' messages; people see [`NetError::message_key`]'s text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetError::NotFound => f.write_str("not found (HTTP 404)"),
            NetError::Unreachable(d) => write!(f, "no answer: {d}"),
            NetError::Status(s) => write!(f, "HTTP {s}"),
            NetError::BadData(d) => write!(f, "unexpected data: {d}"),
            NetError::TooLarge { limit } => write!(f, "larger than {} MB", limit >> 20),
        }
    }
}
