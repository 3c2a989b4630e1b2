//! The app's one door to the network (ARCHITECTURE.md): every request the app makes goes
//! through a module here, and every failure comes back as a [`NetError`].
//!
//! - `catalog`: the static catalog's JSON (summary, listings, records, search shards through
//!   `get_capped`) and whole files;
//! - `ranges`: data files streamed or read by byte range (the preview, charts, scan workers);
//! - `intake`: the intake API as filers use it; `desk`: as departments use it (`/desk`);
//! - `uploads`: evidence files, with progress.
//!
//! The offline copies (`crate::offline::files`, the Cache API's `add`) are the one other
//! place that reaches the network; the tidy test names it.

mod catalog;
pub mod desk;
pub mod intake;
pub mod ranges;
pub mod uploads;

pub use catalog::*;

pub use intake::ApiError;

/// A failed request, as something a person can act on. `message_key` names the UI text.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// No answer at all: offline, or the server is down.
    Unreachable(String),
    /// An answer with a status other than success: `error`, the intake's error body when it
    /// sent one; `retry_after`, its `Retry-After` in seconds when it had a readable one.
    Http { status: u16, error: Option<ApiError>, retry_after: Option<u32> },
    /// The answer is not what the catalog format or the API says it should be.
    BadData(String),
    /// The answer is larger than such a file can be (`limit` bytes): not read further.
    TooLarge { limit: u64 },
}

impl NetError {
    /// An answer with `status` and nothing more to say.
    pub fn status_only(status: u16) -> NetError {
        NetError::Http { status, error: None, retry_after: None }
    }
    /// The HTTP status, `None` when no answer came. An answer that cannot be read counts as
    /// a server fault (500): a queued filing is tried again later.
    pub fn status(&self) -> Option<u16> {
        match self {
            NetError::Unreachable(_) => None,
            NetError::Http { status, .. } => Some(*status),
            NetError::BadData(_) | NetError::TooLarge { .. } => Some(500),
        }
    }
    /// The server's `Retry-After`, in seconds, when it sent one.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            NetError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
    pub fn message_key(&self) -> &'static str {
        match self {
            NetError::Http { status: 404, .. } => "error.not_found",
            NetError::Unreachable(_) => "error.unreachable",
            NetError::Http { .. } => "error.status",
            NetError::BadData(_) => "error.bad_data",
            NetError::TooLarge { .. } => "error.too_large",
        }
    }
    /// Technical detail shown under the message.
    pub fn detail(&self) -> String {
        match self {
            NetError::Http { status: 404, .. } => String::new(),
            NetError::Unreachable(d) | NetError::BadData(d) => d.clone(),
            NetError::Http { status, .. } => format!("HTTP {status}"),
            NetError::TooLarge { limit } => format!("> {} MB", limit >> 20),
        }
    }
    /// What to tell the person in `lang`: the intake's own message when it sent one, else
    /// the message for the kind of failure and its detail.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            NetError::Http { error: Some(e), .. } => {
                if lang == crate::i18n::Lang::Zh {
                    e.message_zh.clone()
                } else {
                    e.message.clone()
                }
            }
            _ => format!("{} {}", crate::i18n::lookup(lang, self.message_key()), self.detail()).trim_end().to_string(),
        }
    }
    /// [`NetError::message`] followed by what the intake said of each field it names.
    pub fn explained(&self, lang: crate::i18n::Lang) -> String {
        let mut msg = self.message(lang);
        if let NetError::Http { error: Some(e), .. } = self {
            for f in &e.fields {
                msg.push(' ');
                msg.push_str(if lang == crate::i18n::Lang::Zh { &f.zh } else { &f.en });
            }
        }
        msg
    }
}

impl std::fmt::Display for NetError {
    /// For logs and workers' messages; people see [`NetError::message`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetError::Unreachable(d) => write!(f, "no answer: {d}"),
            NetError::Http { status, .. } => write!(f, "HTTP {status}"),
            NetError::BadData(d) => write!(f, "unexpected data: {d}"),
            NetError::TooLarge { limit } => write!(f, "larger than {} MB", limit >> 20),
        }
    }
}
