//! One module per route.

pub mod dataset;
pub mod home;
pub mod not_found;
pub mod my;
pub mod search;
