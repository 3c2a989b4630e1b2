//! Small pieces shared by pages.

pub mod attribution_box;
pub mod badges;
pub mod citation_panel;
pub mod copy_button;
pub mod data_table;
pub mod download_panel;
pub mod error_box;
pub mod favourite_toggle;
pub mod loading;
pub mod preview;
pub mod usage_panel;
