//! kaifang-core: every rule of Kaifang that can be stated without a browser or a socket.
//!
//! Shared by the web app (wasm32) and the `kaifang` binary (native); tested natively.
//! See ARCHITECTURE.md for the map.

pub mod attribution;
pub mod bundle;
pub mod catalog;
pub mod chart;
pub mod cite;
pub mod export;
pub mod mydata;
pub mod usage;
pub mod zip;

#[cfg(test)]
mod testutil;
