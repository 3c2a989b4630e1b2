//! Today's date in the user's time zone, as the catalog model's `Date`.

use kaifang_core::catalog::Date;

pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let s = format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date());
    Date::parse(&s).unwrap_or_else(|_| Date::parse("1970-01-01").expect("valid date"))
}
