//! Small pieces shared by pages.

pub mod attribution_box;
pub mod badges;
pub mod error_box;
