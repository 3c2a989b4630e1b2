//! Filings: what a person sends to a provider department (MISSION C1, O1, E1, E2), how
//! each field is validated, and how each kind moves through its states.
//!
//! - [`forms`]: the four forms as the app drafts them and the server receives them;
//!   `validate` returns every problem at once, each with a stable field path, a code
//!   and messages in zh-CN and English, so the app can show them as the user types.
//! - [`check`]: the field checks (text, phone, e-mail, identity documents).
//! - [`rows`]: row selections typed as `3, 10-12`.
//! - [`pick`]: rows, fields or a cell picked in the dataset preview, handed to a form by URL.
//! - [`evidence`]: which evidence files are accepted (checked by the intake and the app).
//! - [`outbox`]: what the app does with a submission's answer (keep, retry, drop).
//! - [`state`]: states and transitions; an illegal transition is an error value.
//! - [`answers`]: what the intake answers (receipt, the filer's view), read by the app.

pub mod answers;
pub mod check;
pub mod evidence;
pub mod forms;
pub mod outbox;
pub mod pick;
pub mod rows;
pub mod state;
pub mod transfer;

pub use check::{FieldError, IdDocument};
pub use forms::{Application, DataRequest, ErrorReport, Filing, Objection};
pub use state::{Action, Actor, FilingState, Progress, Step, TransitionError};
