//! UI strings in zh-CN (first) and English, from the message files in `messages/`.
//!
//! Each area of the app has its own file shaped `{ "area.key": { "zh-CN": "…", "en": "…" } }`
//! so that areas do not collide; register a new file with one line in `build.rs`, which checks
//! every file and compiles them into one sorted table (no JSON is parsed at start-up).

use crate::store;
use leptos::prelude::*;

mod table {
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}
use table::MESSAGES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The number of messages, after checking the table the build made: keys in strictly
/// increasing order (so lookups find them) and every text present in both languages.
pub fn validate() -> Result<usize, String> {
    for pair in MESSAGES.windows(2) {
        if pair[0].0 >= pair[1].0 {
            return Err(format!("messages out of order or twice: `{}`, `{}`", pair[0].0, pair[1].0));
        }
    }
    if let Some((key, _, _)) = MESSAGES.iter().find(|(_, zh, en)| zh.trim().is_empty() || en.trim().is_empty()) {
        return Err(format!("`{key}` lacks a text"));
    }
    Ok(MESSAGES.len())
}

/// The text for `key` in `lang`; the key itself when it is missing, so a gap is visible.
pub fn lookup(lang: Lang, key: &str) -> &str {
    match MESSAGES.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
        Ok(i) => match lang {
            Lang::Zh => MESSAGES[i].1,
            Lang::En => MESSAGES[i].2,
        },
        Err(_) => key,
    }
}

/// The language in use, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        store::set("lang", &lang.code());
        set_document_lang(lang);
    }
    /// A reactive view of `key`, for use inside `view!`.
    pub fn tr(&self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || lookup(lang.get(), key).to_string()
    }
    /// The text of `key` now (tracks the language when called in a reactive scope).
    pub fn get(&self, key: &str) -> String {
        lookup(self.lang.get(), key).to_string()
    }
    /// The text of `key` with `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(el) = crate::browser::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("lang", lang.code());
    }
}

/// Sets up the language from local storage (X1: remembered), zh-CN by default.
pub fn provide_i18n() -> I18n {
    let lang = store::get::<String>("lang").and_then(|s| Lang::parse(&s)).unwrap_or(Lang::Zh);
    set_document_lang(lang);
    let i18n = I18n { lang: RwSignal::new(lang) };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_table_is_sorted_and_complete() {
        let n = validate().expect("build.rs wrote a sorted table with both languages");
        assert!(n > 300, "all message files are in the table ({n} messages)");
    }

    #[test]
    fn lookup_finds_both_languages_and_shows_a_missing_key() {
        assert_eq!(lookup(Lang::Zh, "app.name"), "开放数据目录");
        assert_eq!(lookup(Lang::En, "app.name"), "Open Data Catalog");
        // First and last keys of the table: the binary search reaches both ends.
        let (first, last) = (MESSAGES[0], MESSAGES[MESSAGES.len() - 1]);
        assert_eq!(lookup(Lang::Zh, first.0), first.1);
        assert_eq!(lookup(Lang::En, last.0), last.2);
        assert_eq!(lookup(Lang::Zh, "no.such.key"), "no.such.key");
    }
}
