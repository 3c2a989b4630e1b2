//! Today's date in the user's time zone, as the catalog model's `Date`.
//!
//! A page rendered at build time cannot know the reader's day (the acquisition date of
//! A3 in attributions and citations): there [`today`] is a stand-in that [`shown`] turns
//! into words saying so, until the app takes the page over and fills the day in.

use crate::i18n::I18n;
use kaifang_core::catalog::Date;

/// The day outside a browser: never shown as a date (see [`shown`]).
const STAND_IN: &str = "1900-01-01";

pub fn today() -> Date {
    if !cfg!(target_arch = "wasm32") {
        return Date::parse(STAND_IN).expect("valid date");
    }
    let now = js_sys::Date::new_0();
    let s = format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date());
    Date::parse(&s).unwrap_or_else(|_| Date::parse("1970-01-01").expect("valid date"))
}

/// `text` as a reader sees it: the stand-in day, where a build put it, becomes "the day
/// you read this page" in the page's language.
pub fn shown(t: I18n, text: String) -> String {
    if cfg!(target_arch = "wasm32") {
        return text;
    }
    text.replace(STAND_IN, &t.get("app.reader_day"))
}
