//! kaifang-core: every rule of Kaifang that can be stated without a browser or a socket.
//!
//! Shared by the web app (wasm32) and the `kaifang` binary (native); tested natively.
//! See ARCHITECTURE.md for the map.

pub mod attribution;
pub mod bundle;
pub mod calendar;
pub mod catalog;
pub mod chart;
pub mod check;
pub mod cite;
pub mod desk;
pub mod export;
pub mod filing;
pub mod fuzzing;
pub mod identity;
pub mod ids;
pub mod lenient_json;
pub mod mydata;
pub mod offline_files;
pub mod overlay;
pub mod png;
pub mod rules;
pub mod schema_org;
pub mod search;
pub mod table;
pub mod usage;
pub mod zip;

#[cfg(test)]
mod testutil;
