//! JSON as foreign catalogs and portals publish it: read whole where the fault is local.
//!
//! Real `data.json` files carry lone UTF-16 surrogate escapes (`"\ud83d"` — half an emoji cut
//! by a truncating exporter), raw tabs and line breaks inside strings, unknown escapes
//! (`"C:\data"`), trailing commas and bytes that are not UTF-8. Strict readers refuse the
//! whole document for one such character; most JSON readers in other languages accept them.
//! Here the document is first parsed strictly (no cost for clean input); when that fails, one
//! pass repairs what has an obvious reading — a bad character becomes U+FFFD, a raw control
//! character its escape, a stray backslash itself, a trailing comma nothing — and records
//! each repair with its line and column. Only what still does not parse is refused, with
//! serde_json's message and place.

use serde_json::Value;

/// One repair, at a 1-based line and column (in characters) of the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Repair {
    pub line: u64,
    pub column: u64,
    pub fault: Fault,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// `\uD800`–`\uDFFF` without its other half: replaced by U+FFFD.
    LoneSurrogate { escape: String },
    /// A raw control character inside a string: escaped.
    ControlCharacter { code: u32 },
    /// A backslash before a character that has no escape (`\d`): kept as a backslash.
    UnknownEscape { escape: String },
    /// A comma before `]` or `}`: dropped.
    TrailingComma,
    /// Bytes that are not UTF-8: replaced by U+FFFD.
    InvalidUtf8,
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match &self.fault {
            Fault::LoneSurrogate { escape } => format!("lone surrogate escape {escape} replaced by U+FFFD"),
            Fault::ControlCharacter { code } => format!("raw control character U+{code:04X} in a string escaped"),
            Fault::UnknownEscape { escape } => format!("unknown escape {escape} read as a backslash and the character"),
            Fault::TrailingComma => "trailing comma dropped".into(),
            Fault::InvalidUtf8 => "bytes that are not UTF-8 replaced by U+FFFD".into(),
        };
        write!(f, "line {}, column {}: {what}", self.line, self.column)
    }
}

/// A document that could not be read even with repairs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("not valid JSON: {message} (at line {line}, column {column})")]
pub struct Unreadable {
    pub message: String,
    pub line: u64,
    pub column: u64,
}

/// Parses `bytes` (UTF-8, a BOM allowed), repairing what can be repaired.
pub fn parse(bytes: &[u8]) -> Result<(Value, Vec<Repair>), Unreadable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(v) = serde_json::from_str(text) {
            return Ok((v, Vec::new()));
        }
    }
    let (text, mut repairs) = decode_lossy(bytes);
    let (fixed, more) = repair(&text);
    repairs.extend(more);
    repairs.sort_by_key(|r| (r.line, r.column));
    serde_json::from_str(&fixed).map(|v| (v, repairs)).map_err(|e| Unreadable {
        message: e.to_string().split(" at line ").next().unwrap_or("").to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
    })
}

/// The text with invalid UTF-8 replaced by U+FFFD, each run reported where it starts.
fn decode_lossy(bytes: &[u8]) -> (String, Vec<Repair>) {
    let mut out = String::with_capacity(bytes.len());
    let mut repairs = Vec::new();
    let mut at = Place::default();
    for chunk in bytes.utf8_chunks() {
        at.advance(chunk.valid());
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            repairs.push(at.repair(Fault::InvalidUtf8));
            out.push('\u{FFFD}');
            at.column += 1;
        }
    }
    (out, repairs)
}

/// Line and column while walking the text.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: u64,
    column: u64,
}

impl Default for Place {
    fn default() -> Self {
        Place { line: 1, column: 1 }
    }
}

impl Place {
    fn step(&mut self, c: char) {
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }
    fn advance(&mut self, s: &str) {
        s.chars().for_each(|c| self.step(c));
    }
    fn repair(&self, fault: Fault) -> Repair {
        Repair { line: self.line, column: self.column, fault }
    }
}

/// One pass over the text: strings are copied with their faults repaired; outside strings,
/// commas that close nothing are dropped.
fn repair(text: &str) -> (String, Vec<Repair>) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut repairs = Vec::new();
    let mut chars = text.chars().peekable();
    let mut at = Place::default();
    while let Some(c) = chars.next() {
        let here = at;
        at.step(c);
        match c {
            '"' => {
                out.push('"');
                string_body(&mut chars, &mut at, &mut out, &mut repairs);
            }
            ',' if closes_next(&mut chars.clone()) => repairs.push(here.repair(Fault::TrailingComma)),
            _ => out.push(c),
        }
    }
    (out, repairs)
}

/// After a comma: only blanks and then `]` or `}`.
fn closes_next(rest: &mut impl Iterator<Item = char>) -> bool {
    matches!(rest.find(|c| !c.is_whitespace()), Some(']' | '}'))
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Copies a string's body up to and including its closing quote.
fn string_body(chars: &mut Chars<'_>, at: &mut Place, out: &mut String, repairs: &mut Vec<Repair>) {
    while let Some(c) = chars.next() {
        let here = *at;
        at.step(c);
        match c {
            '"' => {
                out.push('"');
                return;
            }
            '\\' => escape(chars, at, here, out, repairs),
            c if (c as u32) < 0x20 => {
                repairs.push(here.repair(Fault::ControlCharacter { code: c as u32 }));
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
}

/// An escape after its backslash (at `here`).
fn escape(chars: &mut Chars<'_>, at: &mut Place, here: Place, out: &mut String, repairs: &mut Vec<Repair>) {
    match chars.peek().copied() {
        Some('u') => {
            chars.next();
            at.step('u');
            unicode_escape(chars, at, here, out, repairs);
        }
        Some(c @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't')) => {
            chars.next();
            at.step(c);
            out.push('\\');
            out.push(c);
        }
        other => {
            let escape = format!("\\{}", other.map(String::from).unwrap_or_default());
            repairs.push(here.repair(Fault::UnknownEscape { escape }));
            out.push_str("\\\\");
        }
    }
}

/// `\uXXXX` after its `\u`: a surrogate pair is kept, a lone surrogate becomes U+FFFD; a
/// malformed escape is left for the parser to refuse.
fn unicode_escape(chars: &mut Chars<'_>, at: &mut Place, here: Place, out: &mut String, repairs: &mut Vec<Repair>) {
    let Some(code) = hex4(chars, at) else {
        out.push_str("\\u");
        return;
    };
    let lone = match code {
        0xD800..=0xDBFF => match low_surrogate_next(chars) {
            Some(low) => {
                for _ in 0..6 {
                    let c = chars.next().expect("peeked");
                    at.step(c);
                }
                out.push_str(&format!("\\u{code:04x}\\u{low:04x}"));
                return;
            }
            None => true,
        },
        0xDC00..=0xDFFF => true,
        _ => false,
    };
    if lone {
        repairs.push(here.repair(Fault::LoneSurrogate { escape: format!("\\u{code:04X}") }));
        out.push_str("\\ufffd");
    } else {
        out.push_str(&format!("\\u{code:04x}"));
    }
}

fn hex4(chars: &mut Chars<'_>, at: &mut Place) -> Option<u32> {
    let mut code = 0;
    for _ in 0..4 {
        let d = chars.peek()?.to_digit(16)?;
        at.step(chars.next()?);
        code = code * 16 + d;
    }
    Some(code)
}

/// The low surrogate of a `\uDC00`–`\uDFFF` escape coming next, without consuming it.
fn low_surrogate_next(chars: &Chars<'_>) -> Option<u32> {
    let mut ahead = chars.clone();
    if ahead.next()? != '\\' || ahead.next()? != 'u' {
        return None;
    }
    let mut code = 0;
    for _ in 0..4 {
        code = code * 16 + ahead.next()?.to_digit(16)?;
    }
    (0xDC00..=0xDFFF).contains(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clean_json_is_parsed_without_repairs() {
        let (v, r) = parse(b"\xEF\xBB\xBF{\"a\": [1, \"\\ud83d\\ude00\"]}").unwrap();
        assert_eq!(v, json!({"a": [1, "😀"]}));
        assert!(r.is_empty());
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_with_their_place() {
        let text = "{\"dataset\": [\n  {\"title\": \"Fish \\ud83d counts\"},\n  {\"title\": \"x\\uDE00\"}\n]}";
        let (v, r) = parse(text.as_bytes()).unwrap();
        assert_eq!(v["dataset"][0]["title"], "Fish \u{FFFD} counts");
        assert_eq!(v["dataset"][1]["title"], "x\u{FFFD}");
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].line, r[0].column), (2, 19));
        assert_eq!(r[0].fault, Fault::LoneSurrogate { escape: "\\uD83D".into() });
        assert_eq!(r[1].line, 3);
        assert!(r[0].to_string().starts_with("line 2, column 19: lone surrogate escape \\uD83D"));
        // A proper pair next to a lone half is kept.
        let (v, r) = parse(br#"["\ud83d\ude00\ud83d"]"#).unwrap();
        assert_eq!(v[0], "😀\u{FFFD}");
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn other_local_faults_are_repaired_and_reported() {
        let bytes = b"{\"path\": \"C:\\data\", \"note\": \"a\tb\nc\", \"list\": [1, 2,], \"bad\": \"\xFF\",}";
        let (v, r) = parse(bytes).unwrap();
        assert_eq!(v, json!({"path": "C:\\data", "note": "a\tb\nc", "list": [1, 2], "bad": "\u{FFFD}"}));
        let kinds: Vec<_> = r.iter().map(|r| &r.fault).collect();
        assert_eq!(
            kinds,
            [
                &Fault::UnknownEscape { escape: "\\d".into() },
                &Fault::ControlCharacter { code: 9 },
                &Fault::ControlCharacter { code: 10 },
                &Fault::TrailingComma,
                &Fault::InvalidUtf8,
                &Fault::TrailingComma,
            ]
        );
    }

    #[test]
    fn what_cannot_be_read_is_refused_with_its_place() {
        let e = parse(b"{\"a\": [1, 2}\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("not valid JSON: "), "{e}");
        assert!(parse(b"").is_err());
        assert!(parse(b"{\"a\": \"\\u12\"}").is_err(), "a malformed escape is not guessed");
        // A comma inside a string is not a trailing comma.
        let (v, r) = parse(br#"{"a": ",]", "b": [1,],}"#).unwrap();
        assert_eq!(v, json!({"a": ",]", "b": [1]}));
        assert_eq!(r.len(), 2);
    }
}
