//! Which character encoding a file is in, guessed from its first bytes.
//!
//! Chinese portals publish UTF-8 (with or without a BOM), GBK/GB18030 and now and then UTF-16
//! from spreadsheet exports. A BOM settles it; otherwise valid UTF-8 with multi-byte characters
//! is UTF-8 (GBK text is almost never valid UTF-8), text that decodes as GB18030 without errors
//! is GB18030 (a superset of GBK and GB2312), and an ASCII-only prefix follows the catalog's
//! declared encoding. The guess carries a confidence and the reason so the UI can say why.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The encodings the table reader can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    /// GB18030, which covers GBK and GB2312 byte for byte.
    #[serde(rename = "GB18030")]
    Gb18030,
    #[serde(rename = "UTF-16LE")]
    Utf16Le,
    #[serde(rename = "UTF-16BE")]
    Utf16Be,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }

    /// Maps a declared label (`utf-8`, `gbk`, `gb2312`, `GB18030`, `utf-16le` …) to an encoding.
    pub fn from_label(label: &str) -> Option<TextEncoding> {
        let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        Self::from_encoding_rs(enc)
    }

    fn from_encoding_rs(enc: &'static encoding_rs::Encoding) -> Option<TextEncoding> {
        if enc == encoding_rs::UTF_8 {
            Some(TextEncoding::Utf8)
        } else if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
            Some(TextEncoding::Gb18030)
        } else if enc == encoding_rs::UTF_16LE {
            Some(TextEncoding::Utf16Le)
        } else if enc == encoding_rs::UTF_16BE {
            Some(TextEncoding::Utf16Be)
        } else {
            None
        }
    }

    pub(crate) fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }

    /// True when ASCII bytes mean ASCII characters, so delimiters, quotes and newlines can be
    /// found in the raw bytes (and byte offsets of rows point into the original file).
    pub fn ascii_compatible(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Gb18030)
    }

    /// The byte order mark this encoding may start with.
    pub fn bom(self) -> &'static [u8] {
        match self {
            TextEncoding::Utf8 => b"\xEF\xBB\xBF",
            TextEncoding::Gb18030 => b"\x84\x31\x95\x33",
            TextEncoding::Utf16Le => b"\xFF\xFE",
            TextEncoding::Utf16Be => b"\xFE\xFF",
        }
    }
}

/// Why the guess was made; shown to the user next to the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncodingReason {
    /// A byte order mark at the start of the file.
    ByteOrderMark,
    /// Valid UTF-8 containing multi-byte characters.
    ValidUtf8,
    /// Not valid UTF-8, but decodes as GB18030 without errors.
    DecodesAsGb18030,
    /// Zero bytes at every other position, without a BOM.
    Utf16Pattern,
    /// Only ASCII seen so far; the catalog's declared encoding (or UTF-8) is assumed.
    AsciiOnly,
    /// Nothing decodes cleanly; the encoding with the fewest errors was chosen.
    FewestErrors,
    /// The file format fixes it (an XLSX workbook's text is UTF-8 XML).
    FileFormat,
}

/// The encoding chosen for a file, with how sure we are and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncodingGuess {
    pub encoding: TextEncoding,
    /// 0.0–1.0.
    pub confidence: f32,
    pub reason: EncodingReason,
    /// Length of the byte order mark at the start of the file (0 when none).
    pub bom_len: usize,
    /// The encoding the catalog declared, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// Whether the guess agrees with the declared encoding (None when nothing was declared
    /// or the declared label is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agrees_with_declared: Option<bool>,
}

/// Guesses the encoding from the first bytes of a file. `complete` says the prefix is the
/// whole file (so a truncated multi-byte character at the end is an error, not a cut).
pub fn detect(prefix: &[u8], declared: Option<&str>, complete: bool) -> EncodingGuess {
    let declared_enc = declared.and_then(TextEncoding::from_label);
    let (encoding, confidence, reason, bom_len) = guess(prefix, declared_enc, complete);
    EncodingGuess {
        encoding,
        confidence,
        reason,
        bom_len,
        declared: declared.map(str::to_string),
        agrees_with_declared: declared_enc.map(|d| d == encoding),
    }
}

fn guess(prefix: &[u8], declared: Option<TextEncoding>, complete: bool) -> (TextEncoding, f32, EncodingReason, usize) {
    use EncodingReason::*;
    for enc in [TextEncoding::Utf8, TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
        if prefix.starts_with(enc.bom()) {
            return (enc, 1.0, ByteOrderMark, enc.bom().len());
        }
    }
    if let Some(enc) = utf16_pattern(prefix) {
        return (enc, 0.9, Utf16Pattern, 0);
    }
    let multibyte = prefix.iter().filter(|b| **b >= 0x80).count();
    if multibyte == 0 {
        let enc = declared.filter(|d| d.ascii_compatible()).unwrap_or(TextEncoding::Utf8);
        // Any ASCII-compatible encoding reads an ASCII prefix the same, so the choice only
        // matters for bytes not seen yet: that is what the middling confidence says.
        return (enc, 0.5, AsciiOnly, 0);
    }
    let utf8_errors = utf8_error_count(prefix, complete);
    if utf8_errors == 0 {
        // Each multi-byte UTF-8 sequence that checks out makes a chance match with GBK rarer.
        let chars = prefix.iter().filter(|b| (**b & 0xC0) == 0xC0).count() as i32;
        let confidence = (1.0 - 0.5f32.powi(chars.min(30) + 1)).max(0.75);
        return (TextEncoding::Utf8, confidence, ValidUtf8, 0);
    }
    let (gb_errors, cjk_share) = gb18030_check(prefix, complete);
    if gb_errors == 0 {
        return (TextEncoding::Gb18030, 0.6 + 0.4 * cjk_share, DecodesAsGb18030, 0);
    }
    let enc = if gb_errors < utf8_errors { TextEncoding::Gb18030 } else { TextEncoding::Utf8 };
    (enc, 0.2, FewestErrors, 0)
}

/// UTF-16 without a BOM: most code units of CSV text are ASCII, so one byte of each pair is 0.
fn utf16_pattern(prefix: &[u8]) -> Option<TextEncoding> {
    let n = prefix.len().min(4096) / 2 * 2;
    if n < 8 {
        return None;
    }
    let pairs = n / 2;
    let (mut even0, mut odd0) = (0, 0);
    for pair in prefix[..n].chunks_exact(2) {
        even0 += (pair[0] == 0) as usize;
        odd0 += (pair[1] == 0) as usize;
    }
    if odd0 * 10 >= pairs * 6 && even0 * 10 < pairs {
        Some(TextEncoding::Utf16Le)
    } else if even0 * 10 >= pairs * 6 && odd0 * 10 < pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

fn utf8_error_count(mut bytes: &[u8], complete: bool) -> usize {
    let mut errors = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return errors,
            Err(e) => match e.error_len() {
                Some(len) => {
                    errors += 1;
                    bytes = &bytes[e.valid_up_to() + len..];
                }
                // Cut in the middle of a character: only an error if nothing follows.
                None => return errors + complete as usize,
            },
        }
    }
}

/// (malformed sequences, share of decoded non-ASCII characters that are CJK or CJK punctuation)
fn gb18030_check(bytes: &[u8], complete: bool) -> (usize, f32) {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut errors = 0;
    let mut input = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(input, &mut out, complete);
        input = &input[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => out.reserve(input.len() * 2 + 16),
            encoding_rs::DecoderResult::Malformed(_, _) => errors += 1,
        }
    }
    let (mut wide, mut cjk) = (0usize, 0usize);
    for c in out.chars().filter(|c| !c.is_ascii()) {
        wide += 1;
        cjk += is_cjk(c) as usize;
    }
    (errors, if wide == 0 { 0.0 } else { cjk as f32 / wide as f32 })
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2000..=0x206F)
}

/// Decodes one complete field (never a fragment) from an ASCII-compatible encoding.
/// Returns the text and whether bytes had to be replaced.
pub(crate) fn decode_field(bytes: &[u8], encoding: TextEncoding) -> (Cow<'_, str>, bool) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        // ASCII is the same in both encodings; valid UTF-8 in a GB18030 file is only ASCII in
        // practice, but decode non-ASCII properly anyway.
        if encoding == TextEncoding::Utf8 || s.is_ascii() {
            return (Cow::Borrowed(s), false);
        }
    }
    match encoding {
        TextEncoding::Utf8 => {
            let s = String::from_utf8_lossy(bytes);
            (s, true)
        }
        other => {
            let (s, had_errors) = other.encoding_rs().decode_without_bom_handling(bytes);
            (s, had_errors)
        }
    }
}
