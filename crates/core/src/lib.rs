//! kaifang-core: every rule of Kaifang that can be stated without a browser or a socket.
//!
//! Shared by the web app (wasm32) and the `kaifang` binary (native); tested natively.
//! See ARCHITECTURE.md for the map.

pub mod attribution;
pub mod calendar;
pub mod catalog;
pub mod filing;
pub mod ids;
pub mod overlay;
pub mod rules;
