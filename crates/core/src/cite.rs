//! Citations of a dataset (MISSION A2): GB/T 7714-2015 `[DB/OL]`, APA 7, BibTeX, RIS and
//! CSL-JSON, all from one [`CitationSource`] so that every format names the same
//! department, title, platform, dates and address as the attribution box (A1).
//!
//! Decisions, so a reader can check them against the rules:
//! - **GB/T 7714-2015** electronic resource: `主要责任者. 题名[文献类型标志/载体类型标志].
//!   出版地: 出版者, 出版年(更新或修改日期)[引用日期]. 获取和访问路径.` The main creator is the
//!   source department (数源部门), the type mark is `DB/OL` (database, online), the publisher is
//!   the platform, the publication year is the year the dataset was first issued, the update
//!   date is the catalog's `modified`, the citation date is the acquisition date (A3). The
//!   catalog records no place of publication, so `出版地: ` is left out, as the standard's own
//!   examples of online resources do; we do not invent a place. Punctuation is the standard's
//!   half-width `. `, `: `, `, `; the entry ends with a full stop after the address.
//! - **APA 7**: `Author. (Year). Title [English title] (Version v) [Data set]. Publisher.
//!   Retrieved Month D, YYYY, from URL` — the year is the year of the cited version
//!   (`modified`); the retrieval date is given because the data set changes over time; the
//!   publisher is dropped when it is the author; no full stop after the URL.
//! - **BibTeX**: `@misc` (classic BibTeX has no dataset type; biblatex reads `@misc` too) with
//!   `urldate`, `version` and a note saying it is a dataset; the author is a corporate name in
//!   double braces so it is never split into first/last names; special characters escaped.
//! - **RIS**: `TY  - DATA`, one tag per line, CRLF line ends, `Y2` = access date (as Zotero
//!   and EndNote read it); values are single lines so no value can start a tag.
//! - **CSL-JSON**: an array with one item of type `dataset`; `issued` = the version date,
//!   `original-date` = first issue, `accessed` = acquisition date.

use crate::attribution::{dataset_url, one_line};
use crate::catalog::{Dataset, Date, Portal};
use serde_json::json;

/// Everything a citation needs, already one-line and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationSource {
    /// Dataset identifier, used for citation keys.
    pub id: String,
    /// 主要责任者: the source department.
    pub author: String,
    pub title: String,
    pub title_en: Option<String>,
    /// 出版者: the open-data platform.
    pub publisher: String,
    pub version: String,
    /// First issued (出版年).
    pub issued: Date,
    /// Last update (更新或修改日期); the date of the cited version.
    pub modified: Date,
    /// 引用日期: the acquisition date (A3).
    pub accessed: Date,
    /// Address of the dataset page.
    pub url: String,
}

/// The citation formats the panel offers, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationFormat {
    Gbt7714,
    Apa7,
    Bibtex,
    Ris,
    CslJson,
}

impl CitationFormat {
    pub const ALL: [CitationFormat; 5] = [
        CitationFormat::Gbt7714,
        CitationFormat::Apa7,
        CitationFormat::Bibtex,
        CitationFormat::Ris,
        CitationFormat::CslJson,
    ];
    /// Stable key, used for message keys and test ids.
    pub fn key(self) -> &'static str {
        match self {
            CitationFormat::Gbt7714 => "gbt7714",
            CitationFormat::Apa7 => "apa7",
            CitationFormat::Bibtex => "bibtex",
            CitationFormat::Ris => "ris",
            CitationFormat::CslJson => "csljson",
        }
    }
    /// The format's own name (not translated).
    pub fn label(self) -> &'static str {
        match self {
            CitationFormat::Gbt7714 => "GB/T 7714-2015",
            CitationFormat::Apa7 => "APA 7",
            CitationFormat::Bibtex => "BibTeX",
            CitationFormat::Ris => "RIS",
            CitationFormat::CslJson => "CSL-JSON",
        }
    }
}

impl CitationSource {
    pub fn new(portal: &Portal, dataset: &Dataset, accessed: Date) -> CitationSource {
        CitationSource {
            id: dataset.id.clone(),
            author: one_line(&dataset.publisher.name),
            title: one_line(&dataset.title),
            title_en: dataset.title_en.as_deref().map(one_line).filter(|t| !t.is_empty()),
            publisher: one_line(&portal.name),
            version: one_line(&dataset.version),
            issued: dataset.issued.clone(),
            modified: dataset.modified.clone(),
            accessed,
            url: dataset_url(portal, &dataset.id),
        }
    }

    pub fn render(&self, format: CitationFormat) -> String {
        match format {
            CitationFormat::Gbt7714 => self.gbt7714(),
            CitationFormat::Apa7 => self.apa7(),
            CitationFormat::Bibtex => self.bibtex(),
            CitationFormat::Ris => self.ris(),
            CitationFormat::CslJson => self.csl_json(),
        }
    }

    /// GB/T 7714-2015, electronic resource, `[DB/OL]`.
    pub fn gbt7714(&self) -> String {
        format!(
            "{}. {}[DB/OL]. {}, {}({})[{}]. {}.",
            self.author,
            self.title,
            self.publisher,
            self.issued.ymd().0,
            self.modified,
            self.accessed,
            self.url
        )
    }

    /// APA 7, data set.
    pub fn apa7(&self) -> String {
        let mut s = format!("{}. ({}). {}", end_with_period_free(&self.author), self.modified.ymd().0, self.title);
        if let Some(en) = &self.title_en {
            s.push_str(&format!(" [{en}]"));
        }
        if !self.version.is_empty() {
            s.push_str(&format!(" (Version {})", self.version));
        }
        s.push_str(" [Data set].");
        if self.publisher != self.author {
            s.push_str(&format!(" {}.", end_with_period_free(&self.publisher)));
        }
        s.push_str(&format!(" Retrieved {}, from {}", english_date(&self.accessed), self.url));
        s
    }

    /// BibTeX `@misc` entry.
    pub fn bibtex(&self) -> String {
        let key = format!("{}-{}", bib_key(&self.id), self.modified.ymd().0);
        let mut title = bib_escape(&self.title);
        if let Some(en) = &self.title_en {
            title.push_str(&format!(" [{}]", bib_escape(en)));
        }
        let mut fields: Vec<(&str, String)> = vec![
            ("author", format!("{{{{{}}}}}", bib_escape(&self.author))),
            ("title", format!("{{{{{title}}}}}")),
            ("howpublished", format!("{{{}}}", bib_escape(&self.publisher))),
            ("publisher", format!("{{{}}}", bib_escape(&self.publisher))),
            ("year", format!("{{{}}}", self.modified.ymd().0)),
            ("date", format!("{{{}}}", self.modified)),
        ];
        if !self.version.is_empty() {
            fields.push(("version", format!("{{{}}}", bib_escape(&self.version))));
        }
        fields.push(("url", format!("{{{}}}", bib_url(&self.url))));
        fields.push(("urldate", format!("{{{}}}", self.accessed)));
        fields.push(("note", format!("{{Dataset [DB/OL], updated {}, accessed {}}}", self.modified, self.accessed)));
        let mut s = format!("@misc{{{key},\n");
        for (name, value) in fields {
            s.push_str(&format!("  {name:<12} = {value},\n"));
        }
        s.push_str("}\n");
        s
    }

    /// RIS record, `TY  - DATA`, CRLF line ends.
    pub fn ris(&self) -> String {
        let mut lines: Vec<(&str, String)> =
            vec![("TY", "DATA".into()), ("AU", self.author.clone()), ("TI", self.title.clone())];
        if let Some(en) = &self.title_en {
            lines.push(("TT", en.clone()));
        }
        lines.push(("PY", self.modified.ymd().0.to_string()));
        lines.push(("DA", self.modified.as_str().replace('-', "/")));
        lines.push(("PB", self.publisher.clone()));
        if !self.version.is_empty() {
            lines.push(("ET", self.version.clone()));
        }
        lines.push(("UR", self.url.clone()));
        lines.push(("Y2", self.accessed.as_str().replace('-', "/")));
        lines.push(("LA", "zh-CN".into()));
        lines.push(("M3", "Dataset [DB/OL]".into()));
        lines.push(("ER", String::new()));
        let mut s = String::new();
        for (tag, value) in lines {
            // Values are already one line; `ris_value` also removes what could still fake a tag.
            s.push_str(&format!("{tag}  - {}\r\n", ris_value(&value)));
        }
        s
    }

    /// CSL-JSON: an array with one `dataset` item.
    pub fn csl_json(&self) -> String {
        let parts = |d: &Date| {
            let (y, m, dd) = d.ymd();
            json!({ "date-parts": [[y, m, dd]] })
        };
        let mut item = json!({
            "id": self.id,
            "type": "dataset",
            "title": self.title,
            "author": [{ "literal": self.author }],
            "publisher": self.publisher,
            "issued": parts(&self.modified),
            "original-date": parts(&self.issued),
            "accessed": parts(&self.accessed),
            "URL": self.url,
            "medium": "DB/OL",
            "language": "zh-CN",
        });
        if !self.version.is_empty() {
            item["version"] = json!(self.version);
        }
        if let Some(en) = &self.title_en {
            item["title-short"] = json!(self.title);
            item["note"] = json!(format!("English title: {en}"));
        }
        serde_json::to_string_pretty(&json!([item])).unwrap_or_default()
    }
}

/// APA puts a full stop after the author and publisher; avoid a doubled one.
fn end_with_period_free(s: &str) -> &str {
    s.trim_end_matches(['.', '。'])
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `November 23, 2026`, as APA writes retrieval dates.
pub fn english_date(d: &Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{} {}, {}", MONTHS[(m as usize).clamp(1, 12) - 1], day, y)
}

/// Escapes BibTeX's special characters in ordinary text fields.
pub fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            _ => out.push(c),
        }
    }
    out
}

/// URL fields are read verbatim by biblatex/hyperref, so TeX escapes would corrupt them;
/// instead the characters that could break the entry (braces, backslash, space) are
/// percent-encoded, which leaves the address equivalent.
fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            _ => out.push(c),
        }
    }
    out
}

/// Citation keys: ASCII letters, digits, `-`, `_`, `.` and `:` only.
fn bib_key(id: &str) -> String {
    let k: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') { c } else { '-' })
        .collect();
    if k.is_empty() {
        "dataset".into()
    } else {
        k
    }
}

/// RIS has no escapes: a value must be a single line.
fn ris_value(s: &str) -> String {
    one_line(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{bus_stops, portal};

    fn source() -> CitationSource {
        CitationSource::new(&portal(), &bus_stops(), Date::parse("2026-11-23").unwrap())
    }

    // The expected texts below were written out by hand from the rules quoted in the
    // module documentation, not produced by the code.

    #[test]
    fn gbt7714_database_online() {
        assert_eq!(
            source().gbt7714(),
            "示例市交通运输局. 公交车线路站点信息[DB/OL]. 示例市公共数据开放平台, \
             2023(2026-10-28)[2026-11-23]. https://data.example.gov.cn/datasets/jt-bus-stops."
        );
    }

    #[test]
    fn apa7_data_set() {
        assert_eq!(
            source().apa7(),
            "示例市交通运输局. (2026). 公交车线路站点信息 [Bus routes and stops] (Version 2.1) \
             [Data set]. 示例市公共数据开放平台. Retrieved November 23, 2026, from \
             https://data.example.gov.cn/datasets/jt-bus-stops"
        );
    }

    #[test]
    fn apa7_drops_publisher_equal_to_author_and_missing_translation() {
        let mut s = source();
        s.publisher = s.author.clone();
        s.title_en = None;
        assert_eq!(
            s.apa7(),
            "示例市交通运输局. (2026). 公交车线路站点信息 (Version 2.1) [Data set]. \
             Retrieved November 23, 2026, from https://data.example.gov.cn/datasets/jt-bus-stops"
        );
    }

    #[test]
    fn bibtex_misc() {
        let expected = "@misc{jt-bus-stops-2026,\n\
            \x20 author       = {{示例市交通运输局}},\n\
            \x20 title        = {{公交车线路站点信息 [Bus routes and stops]}},\n\
            \x20 howpublished = {示例市公共数据开放平台},\n\
            \x20 publisher    = {示例市公共数据开放平台},\n\
            \x20 year         = {2026},\n\
            \x20 date         = {2026-10-28},\n\
            \x20 version      = {2.1},\n\
            \x20 url          = {https://data.example.gov.cn/datasets/jt-bus-stops},\n\
            \x20 urldate      = {2026-11-23},\n\
            \x20 note         = {Dataset [DB/OL], updated 2026-10-28, accessed 2026-11-23},\n\
            }\n";
        assert_eq!(source().bibtex(), expected);
    }

    #[test]
    fn bibtex_escapes_special_characters() {
        let mut s = source();
        s.title = r"50% of {bus} stops & R_1 #2 $x^2~\".into();
        s.url = "https://x.cn/a b{c}".into();
        let b = s.bibtex();
        assert!(
            b.contains(r"{{50\% of \{bus\} stops \& R\_1 \#2 \$x\^{}2\~{}\textbackslash{} [Bus routes and stops]}}"),
            "{b}"
        );
        assert!(b.contains("url          = {https://x.cn/a%20b%7Bc%7D}"), "{b}");
        // Braces balance, so the entry cannot be closed early by a title.
        let depth = b.chars().fold(0i32, |d, c| match c {
            '{' => d + 1,
            '}' => d - 1,
            _ => d,
        });
        let escaped = b.matches("\\{").count() as i32 - b.matches("\\}").count() as i32;
        assert_eq!(depth - escaped, 0);
    }

    #[test]
    fn ris_data_record() {
        let expected = "TY  - DATA\r\n\
            AU  - 示例市交通运输局\r\n\
            TI  - 公交车线路站点信息\r\n\
            TT  - Bus routes and stops\r\n\
            PY  - 2026\r\n\
            DA  - 2026/10/28\r\n\
            PB  - 示例市公共数据开放平台\r\n\
            ET  - 2.1\r\n\
            UR  - https://data.example.gov.cn/datasets/jt-bus-stops\r\n\
            Y2  - 2026/11/23\r\n\
            LA  - zh-CN\r\n\
            M3  - Dataset [DB/OL]\r\n\
            ER  - \r\n";
        assert_eq!(source().ris(), expected);
    }

    #[test]
    fn ris_title_cannot_inject_tags() {
        let mut ds = bus_stops();
        ds.title = "公交\r\nER  - \r\nTY  - JOUR".into();
        let s = CitationSource::new(&portal(), &ds, Date::parse("2026-11-23").unwrap());
        let ris = s.ris();
        assert_eq!(ris.matches("\r\n").count(), 13);
        assert!(ris.contains("\r\nTI  - 公交 ER - TY - JOUR\r\n"), "{ris}");
        assert_eq!(ris.lines().filter(|l| l.starts_with("ER  -")).count(), 1);
        assert_eq!(ris.lines().filter(|l| l.starts_with("TY  -")).count(), 1);
    }

    #[test]
    fn csl_json_dataset() {
        let v: serde_json::Value = serde_json::from_str(&source().csl_json()).unwrap();
        let expected = json!([{
            "id": "jt-bus-stops",
            "type": "dataset",
            "title": "公交车线路站点信息",
            "title-short": "公交车线路站点信息",
            "note": "English title: Bus routes and stops",
            "author": [{ "literal": "示例市交通运输局" }],
            "publisher": "示例市公共数据开放平台",
            "issued": { "date-parts": [[2026, 10, 28]] },
            "original-date": { "date-parts": [[2023, 3, 15]] },
            "accessed": { "date-parts": [[2026, 11, 23]] },
            "URL": "https://data.example.gov.cn/datasets/jt-bus-stops",
            "medium": "DB/OL",
            "language": "zh-CN",
            "version": "2.1"
        }]);
        assert_eq!(v, expected);
    }

    #[test]
    /// MISSION A2 (GB/T 7714, APA 7, BibTeX, RIS, CSL-JSON), A3.
    fn every_format_names_the_acquisition_date() {
        let s = source();
        for f in CitationFormat::ALL {
            let text = s.render(f);
            let has_date = match f {
                CitationFormat::CslJson => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    v[0]["accessed"] == json!({ "date-parts": [[2026, 11, 23]] })
                }
                CitationFormat::Apa7 => text.contains("Retrieved November 23, 2026"),
                CitationFormat::Ris => text.contains("Y2  - 2026/11/23\r\n"),
                CitationFormat::Bibtex => text.contains("urldate      = {2026-11-23}"),
                CitationFormat::Gbt7714 => text.contains("[2026-11-23]"),
            };
            assert!(has_date, "{} lacks the acquisition date: {text}", f.label());
        }
    }
}
