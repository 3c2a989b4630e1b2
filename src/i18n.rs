//! UI strings in zh-CN (first) and English, from the message files in `messages/`.
//!
//! Each area of the app has its own file shaped `{ "area.key": { "zh-CN": "…", "en": "…" } }`
//! so that areas do not collide; register a new file with one line in `FILES`.

use crate::store;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The message files, by area. One line per file.
const FILES: &[(&str, &str)] = &[
    ("app", include_str!("../messages/app.json")),
    ("record", include_str!("../messages/record.json")),
    ("filing", include_str!("../messages/filing.json")),
    ("dataset", include_str!("../messages/dataset.json")),
    ("preview", include_str!("../messages/preview.json")),
    ("search", include_str!("../messages/search.json")),
];

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

struct Message {
    zh: String,
    en: String,
}

/// Parses every message file; an error names the file and key at fault.
pub fn validate() -> Result<usize, String> {
    parse_all().map(|m| m.len())
}

fn parse_all() -> Result<HashMap<String, Message>, String> {
    let mut all = HashMap::new();
    for (area, text) in FILES {
        let file: HashMap<String, HashMap<String, String>> =
            serde_json::from_str(text).map_err(|e| format!("messages/{area}.json: {e}"))?;
        for (key, langs) in file {
            let get = |code: &str| {
                langs
                    .get(code)
                    .filter(|s| !s.trim().is_empty())
                    .cloned()
                    .ok_or_else(|| format!("messages/{area}.json: `{key}` has no {code} text"))
            };
            let msg = Message { zh: get("zh-CN")?, en: get("en")? };
            if all.insert(key.clone(), msg).is_some() {
                return Err(format!("messages/{area}.json: `{key}` is defined twice"));
            }
        }
    }
    Ok(all)
}

fn messages() -> &'static HashMap<String, Message> {
    static MESSAGES: OnceLock<HashMap<String, Message>> = OnceLock::new();
    // The files are compiled in and checked by a browser test; a broken file shows keys.
    MESSAGES.get_or_init(|| parse_all().unwrap_or_default())
}

/// The text for `key` in `lang`; the key itself when it is missing, so a gap is visible.
pub fn lookup(lang: Lang, key: &str) -> &str {
    match messages().get(key) {
        Some(m) => match lang {
            Lang::Zh => &m.zh,
            Lang::En => &m.en,
        },
        None => key,
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
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
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
