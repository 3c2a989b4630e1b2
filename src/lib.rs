
pub mod charts;
