//! One module per route.

pub mod card;
pub mod dataset;
pub mod desk;
pub mod filing;
pub mod my;
pub mod my_filings;
pub mod not_found;
pub mod rights;
pub mod search;
