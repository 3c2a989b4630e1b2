//! kaifang-web: the Leptos single-page app. Thin by design: it fetches (`net`), stores
//! locally (`store`), renders (`pages`, `components`) and asks `kaifang-core` for every rule.
#![recursion_limit = "256"]

pub mod app;
pub mod attachments;
pub mod browser;
pub mod charts;
pub mod components;
pub mod crossing;
pub mod early;
pub mod files;
pub mod head;
pub mod i18n;
pub mod lazy;
pub mod modules;
pub mod mydata;
pub mod net;
pub mod offline;
pub mod pace;
pub mod pages;
pub mod prerender;
pub mod queue;
pub mod search;
pub mod signin;
pub mod store;
pub mod takeover;
pub mod timing;
pub mod today;
pub mod worker;
