//! Evidence files: the rules are in `kaifang_core::filing::evidence`, shared with the app
//! (which checks a file when it is chosen); the intake stores them (`service/evidence.rs`).

pub use kaifang_core::filing::evidence::*;
