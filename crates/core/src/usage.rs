//! "Use this data" (issue 4, item 5): copyable snippets that fetch a data file by its
//! absolute address in curl, Python (pandas), R and Rust, each opening with the
//! attribution as a comment so the credit travels into the user's code (A1).
//!
//! The declared encoding of the file decides the decoding step, so a GBK file is read as
//! GBK (`encoding="gbk"` in pandas, `fileEncoding = "GBK"` in R, `encoding_rs::GBK` in
//! Rust). Every value placed in code is escaped for that language's string literal, and
//! the attribution lines are single lines, so catalog text cannot break out of a comment.

use crate::attribution::{one_line, Attribution};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetLang {
    Curl,
    Pandas,
    R,
    Rust,
}

impl SnippetLang {
    pub const ALL: [SnippetLang; 4] = [SnippetLang::Curl, SnippetLang::Pandas, SnippetLang::R, SnippetLang::Rust];
    pub fn key(self) -> &'static str {
        match self {
            SnippetLang::Curl => "curl",
            SnippetLang::Pandas => "pandas",
            SnippetLang::R => "r",
            SnippetLang::Rust => "rust",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SnippetLang::Curl => "curl",
            SnippetLang::Pandas => "Python (pandas)",
            SnippetLang::R => "R",
            SnippetLang::Rust => "Rust",
        }
    }
}

/// The character encodings the snippets know how to name, from a catalog's declared label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gbk,
    Gb18030,
}

impl TextEncoding {
    /// From the catalog's `encoding` label; unknown or missing labels mean UTF-8, the
    /// catalog format's default. GB2312 files are read as GBK, its superset.
    pub fn from_label(label: Option<&str>) -> TextEncoding {
        match label.map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l == "gbk" || l == "gb2312" || l == "cp936" => TextEncoding::Gbk,
            Some(l) if l == "gb18030" => TextEncoding::Gb18030,
            _ => TextEncoding::Utf8,
        }
    }
}

/// What the snippets need to know about the file.
#[derive(Debug, Clone)]
pub struct SnippetInput<'a> {
    /// Absolute address of the data file.
    pub file_url: &'a str,
    /// The name to save it under.
    pub file_name: &'a str,
    /// Upper-case format: CSV, JSON, XLSX, …
    pub format: &'a str,
    pub encoding: TextEncoding,
    pub attribution: &'a Attribution,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub lang: SnippetLang,
    pub code: String,
}

pub fn snippets(input: &SnippetInput) -> Vec<Snippet> {
    SnippetLang::ALL.into_iter().map(|lang| Snippet { lang, code: snippet(lang, input) }).collect()
}

pub fn snippet(lang: SnippetLang, i: &SnippetInput) -> String {
    let zh = one_line(&i.attribution.line_zh());
    let en = one_line(&i.attribution.line_en());
    let format = i.format.to_ascii_uppercase();
    match lang {
        SnippetLang::Curl => {
            format!("# {zh}\n# {en}\ncurl -fL -o {} {}\n", sh_quote(i.file_name), sh_quote(i.file_url))
        }
        SnippetLang::Pandas => {
            let url = py_str(i.file_url);
            let read = match format.as_str() {
                "JSON" => format!("pd.read_json({url}{})", py_encoding(i.encoding)),
                "XLSX" | "XLS" => format!("pd.read_excel({url})"),
                _ => format!("pd.read_csv({url}{})", py_encoding(i.encoding)),
            };
            format!("# {zh}\n# {en}\nimport pandas as pd\n\ndf = {read}\nprint(df.head())\n")
        }
        SnippetLang::R => {
            let url = r_str(i.file_url);
            let enc = match i.encoding {
                TextEncoding::Utf8 => "UTF-8",
                TextEncoding::Gbk => "GBK",
                TextEncoding::Gb18030 => "GB18030",
            };
            let read = match format.as_str() {
                "JSON" => format!(
                    "# install.packages(\"jsonlite\")\ndf <- jsonlite::fromJSON(readLines(file({url}, encoding = \"{enc}\"), warn = FALSE))"
                ),
                "XLSX" | "XLS" => format!(
                    "# install.packages(\"readxl\")\npath <- tempfile(fileext = \".xlsx\")\ndownload.file({url}, path, mode = \"wb\")\ndf <- readxl::read_excel(path)"
                ),
                _ => format!("df <- read.csv({url}, fileEncoding = \"{enc}\")"),
            };
            format!("# {zh}\n# {en}\n{read}\nhead(df)\n")
        }
        SnippetLang::Rust => {
            let url = rust_str(i.file_url);
            let (decode, deps) = match i.encoding {
                TextEncoding::Utf8 => (
                    "    let text = String::from_utf8_lossy(&bytes);\n".to_string(),
                    "reqwest = { version = \"0.12\", features = [\"blocking\"] }, csv = \"1\"",
                ),
                enc => (
                    format!(
                        "    let (text, _, _) = encoding_rs::{}.decode(&bytes);\n",
                        if enc == TextEncoding::Gbk { "GBK" } else { "GB18030" }
                    ),
                    "reqwest = { version = \"0.12\", features = [\"blocking\"] }, csv = \"1\", encoding_rs = \"0.8\"",
                ),
            };
            let body = if format == "CSV" || format.is_empty() {
                "    let mut reader = csv::Reader::from_reader(text.as_bytes());\n    \
                 for record in reader.records().take(5) {\n        println!(\"{:?}\", record?);\n    }\n"
            } else {
                "    println!(\"{}\", &text[..text.len().min(500)]);\n"
            };
            format!(
                "// {zh}\n// {en}\n// Cargo.toml: {deps}\nfn main() -> Result<(), Box<dyn std::error::Error>> {{\n    \
                 let url = {url};\n    \
                 let bytes = reqwest::blocking::get(url)?.error_for_status()?.bytes()?;\n\
                 {decode}{body}    Ok(())\n}}\n"
            )
        }
    }
}

fn py_encoding(e: TextEncoding) -> &'static str {
    match e {
        TextEncoding::Utf8 => "",
        TextEncoding::Gbk => ", encoding=\"gbk\"",
        TextEncoding::Gb18030 => ", encoding=\"gb18030\"",
    }
}

/// A POSIX shell single-quoted word.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A double-quoted string literal with `\`, `"` and control characters escaped; Python, R
/// and Rust all read `\\`, `\"` and `\u{..}`-free hex escapes the same way for ASCII.
fn c_like_str(s: &str, hex: impl Fn(u32) -> String) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&hex(c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn py_str(s: &str) -> String {
    c_like_str(s, |u| format!("\\x{u:02x}"))
}
fn r_str(s: &str) -> String {
    c_like_str(s, |u| format!("\\x{u:02x}"))
}
fn rust_str(s: &str) -> String {
    c_like_str(s, |u| format!("\\u{{{u:x}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Date;
    use crate::testutil::{air_quality_gbk, bus_stops, portal};

    fn attribution(gbk: bool) -> Attribution {
        let ds = if gbk { air_quality_gbk() } else { bus_stops() };
        Attribution::new(&portal(), &ds, Date::parse("2026-11-23").unwrap())
    }

    #[test]
    fn gbk_csv_snippets_decode_gbk() {
        let a = attribution(true);
        let input = SnippetInput {
            file_url: "http://127.0.0.1:8080/catalog/files/hb-air-quality/air-quality-gbk.csv",
            file_name: "air-quality-gbk.csv",
            format: "CSV",
            encoding: TextEncoding::from_label(Some("GBK")),
            attribution: &a,
        };
        let s = snippets(&input);
        assert_eq!(s.len(), 4);
        assert_eq!(
            s[1].code,
            "# 数据来源：示例市生态环境局《空气质量日报》，示例市公共数据开放平台（https://data.example.gov.cn/datasets/hb-air-quality），获取日期：2026-11-23\n\
             # Data source: 示例市生态环境局, “空气质量日报”, 示例市公共数据开放平台 (https://data.example.gov.cn/datasets/hb-air-quality), accessed 2026-11-23\n\
             import pandas as pd\n\n\
             df = pd.read_csv(\"http://127.0.0.1:8080/catalog/files/hb-air-quality/air-quality-gbk.csv\", encoding=\"gbk\")\n\
             print(df.head())\n"
        );
        assert!(s[2].code.contains("df <- read.csv(\"http://127.0.0.1:8080/catalog/files/hb-air-quality/air-quality-gbk.csv\", fileEncoding = \"GBK\")"));
        assert!(s[3].code.contains("let (text, _, _) = encoding_rs::GBK.decode(&bytes);"));
        assert!(s[3].code.contains("encoding_rs = \"0.8\""));
        assert!(s[0].code.ends_with(
            "curl -fL -o 'air-quality-gbk.csv' 'http://127.0.0.1:8080/catalog/files/hb-air-quality/air-quality-gbk.csv'\n"
        ));
        for snip in &s {
            assert!(snip.code.contains("获取日期：2026-11-23"), "{:?} lacks the attribution", snip.lang);
        }
    }

    #[test]
    fn utf8_csv_uses_defaults() {
        let a = attribution(false);
        let input = SnippetInput {
            file_url: "https://data.example.gov.cn/catalog/files/jt-bus-stops/bus-stops.csv",
            file_name: "bus-stops.csv",
            format: "CSV",
            encoding: TextEncoding::from_label(Some("utf-8")),
            attribution: &a,
        };
        let pandas = snippet(SnippetLang::Pandas, &input);
        assert!(pandas
            .contains("df = pd.read_csv(\"https://data.example.gov.cn/catalog/files/jt-bus-stops/bus-stops.csv\")\n"));
        assert!(!snippet(SnippetLang::Rust, &input).contains("encoding_rs"));
        assert!(snippet(SnippetLang::R, &input).contains("fileEncoding = \"UTF-8\""));
    }

    #[test]
    fn hostile_values_stay_inside_their_literals() {
        let mut a = attribution(false);
        a.title = "x\nimport os; os.system('rm -rf /')".into();
        let input = SnippetInput {
            file_url: "https://x.cn/a'b\"c\\d",
            file_name: "a'; rm -rf ~; '.csv",
            format: "CSV",
            encoding: TextEncoding::Utf8,
            attribution: &a,
        };
        let curl = snippet(SnippetLang::Curl, &input);
        assert!(curl.contains("curl -fL -o 'a'\\''; rm -rf ~; '\\''.csv' 'https://x.cn/a'\\''b\"c\\d'"));
        let py = snippet(SnippetLang::Pandas, &input);
        assert!(py.contains(r#"pd.read_csv("https://x.cn/a'b\"c\\d")"#));
        // The title's newline was flattened: no line of code starts with the injected import.
        assert!(!py.lines().any(|l| l.starts_with("import os")));
        assert!(snippet(SnippetLang::Rust, &input).contains(r#"let url = "https://x.cn/a'b\"c\\d";"#));
    }

    #[test]
    fn encoding_labels() {
        assert_eq!(TextEncoding::from_label(Some("GB2312")), TextEncoding::Gbk);
        assert_eq!(TextEncoding::from_label(Some("gb18030")), TextEncoding::Gb18030);
        assert_eq!(TextEncoding::from_label(None), TextEncoding::Utf8);
        assert_eq!(TextEncoding::from_label(Some("latin1")), TextEncoding::Utf8);
    }
}
