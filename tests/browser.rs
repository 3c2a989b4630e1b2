//! Browser unit tests of the app's browser-facing pieces, run by wasm-bindgen-test in
//! headless Chromium (`cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use kaifang_web::{i18n, store};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn message_files_are_complete_in_both_languages() {
    let n = i18n::validate().expect("message files parse, with zh-CN and en for every key");
    assert!(n > 50, "only {n} messages");
    assert_eq!(i18n::lookup(i18n::Lang::Zh, "status.suspended"), "中止开放");
    assert_eq!(i18n::lookup(i18n::Lang::En, "status.suspended"), "Suspended");
    // A missing key shows itself rather than an empty string.
    assert_eq!(i18n::lookup(i18n::Lang::En, "no.such.key"), "no.such.key");
}

#[wasm_bindgen_test]
fn local_storage_round_trips_and_clears_only_our_keys() {
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    raw.set_item("someone-else", "keep").unwrap();
    assert!(store::set("draft", &vec!["公交", "医保"]));
    assert_eq!(store::get::<Vec<String>>("draft"), Some(vec!["公交".to_string(), "医保".to_string()]));
    // A value of another shape reads as absent rather than panicking.
    assert_eq!(store::get::<u32>("draft"), None);
    assert!(store::clear_all() >= 1);
    assert_eq!(store::get::<Vec<String>>("draft"), None);
    assert_eq!(raw.get_item("someone-else").unwrap().as_deref(), Some("keep"));
    raw.remove_item("someone-else").unwrap();
}

#[wasm_bindgen_test]
fn today_is_a_valid_date() {
    let d = kaifang_web::today::today();
    let (y, m, _) = d.ymd();
    assert!(y >= 2024 && (1..=12).contains(&m), "{d}");
}
