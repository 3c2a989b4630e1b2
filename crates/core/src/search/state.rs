//! A search as the user sees it, and its URL: `?q=…&theme=…&dept=…&sort=…&page=…`.
//! Every view is a shareable link, and back/forward restore it (B4).

use super::manifest::Facet;
use std::collections::BTreeMap;

/// Results per page.
pub const PAGE_SIZE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// By score; without a query, the catalog's default order (emergency first, then
    /// the most recently updated).
    #[default]
    Relevance,
    /// Most recently updated first.
    Modified,
    /// By title.
    Title,
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Relevance, SortOrder::Modified, SortOrder::Title];
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Modified => "modified",
            SortOrder::Title => "title",
        }
    }
    pub fn parse(s: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchState {
    pub q: String,
    /// Selected facet values by key; values of one facet are alternatives (OR), facets
    /// combine with AND.
    pub filters: BTreeMap<Facet, Vec<String>>,
    pub sort: SortOrder,
    /// 1-based.
    pub page: usize,
}

/// Longest query kept from a URL or the search box.
pub const MAX_QUERY_CHARS: usize = 200;

impl SearchState {
    /// Reads a URL query string (with or without the leading `?`). Unknown parameters
    /// and malformed values are ignored, so an old or hand-edited link still opens.
    pub fn from_query(query: &str) -> SearchState {
        let mut s = SearchState { page: 1, ..Default::default() };
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            match k.as_str() {
                "q" => s.q = v.chars().take(MAX_QUERY_CHARS).collect(),
                "sort" => s.sort = SortOrder::parse(&v).unwrap_or_default(),
                "page" => s.page = v.parse().ok().filter(|&p| p >= 1 && p <= 100_000).unwrap_or(1),
                other => {
                    if let Some(f) = Facet::from_param(other) {
                        let vals = s.filters.entry(f).or_default();
                        if !v.is_empty() && !vals.contains(&v) && vals.len() < 50 {
                            vals.push(v);
                        }
                    }
                }
            }
        }
        s.filters.retain(|_, v| !v.is_empty());
        s
    }

    /// The URL query string (without `?`), parameters in a fixed order; empty for the
    /// default view.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", encode(self.q.trim())));
        }
        for f in super::manifest::Facet::ALL {
            for v in self.filters.get(&f).into_iter().flatten() {
                parts.push(format!("{}={}", f.param(), encode(v)));
            }
        }
        if self.sort != SortOrder::Relevance {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    pub fn is_selected(&self, facet: Facet, key: &str) -> bool {
        self.filters.get(&facet).is_some_and(|v| v.iter().any(|x| x == key))
    }

    /// Selects or clears one facet value; the view returns to page 1.
    pub fn toggle(&mut self, facet: Facet, key: &str) {
        let vals = self.filters.entry(facet).or_default();
        if let Some(i) = vals.iter().position(|x| x == key) {
            vals.remove(i);
        } else {
            vals.push(key.to_string());
        }
        self.filters.retain(|_, v| !v.is_empty());
        self.page = 1;
    }

    pub fn has_filters(&self) -> bool {
        !self.filters.is_empty()
    }
}

/// Percent-encodes a URL query component (UTF-8; unreserved characters stay).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a URL query component (`+` is a space); invalid escapes stay as they are
/// and invalid UTF-8 becomes U+FFFD.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trips() {
        let mut s = SearchState { q: "公交 线路&".into(), page: 3, sort: SortOrder::Title, ..Default::default() };
        s.toggle(Facet::Theme, "交通出行");
        s.toggle(Facet::Open, "unconditional");
        s.page = 3;
        let q = s.to_query();
        assert!(q.starts_with("q=%E5%85%AC"), "{q}");
        assert_eq!(SearchState::from_query(&format!("?{q}")), s);
    }

    #[test]
    fn bad_urls_still_open() {
        let s = SearchState::from_query("q=%E5%85&page=-4&sort=nope&theme=&zzz=1&dept=a&dept=a");
        assert_eq!(s.page, 1);
        assert_eq!(s.sort, SortOrder::Relevance);
        assert_eq!(s.filters.get(&Facet::Department), Some(&vec!["a".to_string()]));
        assert!(!s.filters.contains_key(&Facet::Theme));
        assert_eq!(SearchState::from_query("q=a%2").q, "a%2");
        assert_eq!(SearchState::from_query("").to_query(), "");
    }

    #[test]
    fn toggling_twice_clears() {
        let mut s = SearchState::from_query("page=4");
        s.toggle(Facet::Format, "CSV");
        assert_eq!(s.page, 1);
        s.toggle(Facet::Format, "CSV");
        assert!(!s.has_filters());
    }
}
