//! The chunked CSV record parser: feed bytes as they arrive, get complete records out.
//!
//! It works on the raw bytes of an ASCII-compatible encoding (UTF-8 or GB18030), so every
//! record knows the byte offset where it starts in the original file — the app keeps those
//! offsets, not the rows, and fetches a screen of rows back with an HTTP Range request.
//! Fields stay as bytes until a record is complete, so a multi-byte character cut by a chunk
//! boundary is whole again when it is decoded. In GB18030 a trail byte may be `|` (0x7C), so
//! the parser steps over the byte after a lead byte instead of reading it as a delimiter.
//!
//! Quoting follows RFC 4180 (`""` inside quotes is a quote; newlines inside quotes belong to
//! the field), leniently like most readers: a quote inside an unquoted field is text, and text
//! after a closing quote is kept. CRLF, LF and lone CR end records; blank lines are skipped.

use super::TableError;

/// One complete record as raw bytes.
pub struct RawRecord<'a> {
    /// All fields' bytes (unquoted), each followed by one separator byte except the last —
    /// the delimiter itself. For a record without quotes (or GB18030 lead bytes) this is the
    /// record's own bytes in the chunk, not a copy. Field `i` is
    /// `bytes[ends[i - 1] + 1..ends[i]]` (from 0 for the first); see [`RawRecord::field`].
    /// Because the separator is ASCII, `bytes` is valid UTF-8 exactly when every field is.
    pub bytes: &'a [u8],
    /// End of each field in `bytes`.
    pub ends: &'a [usize],
    /// Byte offset of the record's first byte in the stream fed to the parser.
    pub start: u64,
    /// Byte offset just past the record's terminator (or the end of input).
    pub end: u64,
    /// 1-based line number where the record starts.
    pub line: u64,
    /// The input ended inside a quoted field.
    pub unclosed_quote: bool,
}

impl<'a> RawRecord<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn field(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        Some(&self.bytes[start..end])
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// At the start of a field (and maybe of a record).
    FieldStart,
    Unquoted,
    Quoted,
    /// Just saw a quote inside a quoted field: either `""` or the closing quote.
    QuoteInQuoted,
}

// Byte classes, looked up in a table built for the dialect.
numbered! { u8;
    PLAIN, DELIM, QUOTE, CR, LF,
    /// A GB18030 lead byte: the next byte belongs to the same character.
    LEAD,
}

/// Default cap on one record's size; a file with an unclosed quote would otherwise pull the
/// rest of the file into one field.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 8 * 1024 * 1024;

pub struct RecordParser {
    delimiter: u8,
    /// GB18030 lead-byte stepping is on.
    gb18030: bool,
    /// Byte classes outside quotes (a quote is plain text inside an unquoted field).
    unquoted: [u8; 256],
    /// Byte classes inside quotes (delimiters are plain text there).
    quoted: [u8; 256],
    state: State,
    /// The previous chunk ended on a GB18030 lead byte.
    pending_trail: bool,
    /// The previous record ended with CR; a following LF belongs to it.
    skip_lf: bool,
    /// Stream offset of the last CR inside quotes (an LF right after it is the same line end).
    quoted_cr_at: Option<u64>,
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// Stream offset of the next byte to be fed.
    pos: u64,
    record_start: u64,
    record_line: u64,
    line: u64,
    /// Something (a field or a delimiter) has been seen in the current record.
    in_record: bool,
    max_record_bytes: usize,
}

/// Where a step of [`RecordParser::feed`] left the chunk: at `i`, with or without the
/// record-size check after it (a step that only opened a quote, or stopped at a CR whose
/// LF may come in the next chunk, adds nothing to check), or used up.
enum Step {
    Checked(usize),
    Unchecked(usize),
    ChunkUsed,
}

impl RecordParser {
    /// `start_offset` is the stream offset of the first byte fed (e.g. after a BOM), `gb18030`
    /// turns on lead-byte stepping.
    pub fn new(delimiter: u8, gb18030: bool, start_offset: u64) -> RecordParser {
        let mut unquoted = [PLAIN; 256];
        if gb18030 {
            unquoted[0x81..=0xFE].fill(LEAD);
        }
        unquoted[b'\r' as usize] = CR;
        unquoted[b'\n' as usize] = LF;
        let mut quoted = unquoted;
        quoted[b'"' as usize] = QUOTE;
        unquoted[delimiter as usize] = DELIM;
        RecordParser {
            delimiter,
            gb18030,
            unquoted,
            quoted,
            state: State::FieldStart,
            pending_trail: false,
            skip_lf: false,
            quoted_cr_at: None,
            buf: Vec::with_capacity(1024),
            ends: Vec::with_capacity(32),
            pos: start_offset,
            record_start: start_offset,
            record_line: 1,
            line: 1,
            in_record: false,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }

    pub fn with_max_record_bytes(mut self, max: usize) -> RecordParser {
        self.max_record_bytes = max;
        self
    }

    /// Stream offset of the next byte to be fed.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Feeds a chunk; calls `sink` for every record completed by it.
    pub fn feed<F: FnMut(&RawRecord<'_>)>(&mut self, chunk: &[u8], sink: &mut F) -> Result<(), TableError> {
        let n = chunk.len();
        let base = self.pos;
        let mut i = 0;
        if self.skip_lf && n > 0 {
            // The record that ended with a CR at the end of the last chunk ends here, with
            // the LF if one follows (so its end offset does not depend on the chunking).
            self.skip_lf = false;
            if chunk[0] == b'\n' {
                i = 1;
            }
            self.end_record(base + i as u64, false, sink);
        }
        if self.pending_trail && i < n {
            self.pending_trail = false;
            self.buf.push(chunk[i]);
            i += 1;
        }
        while i < n {
            if self.state == State::FieldStart && !self.in_record {
                // At a record's first byte (nothing held): most records have no quotes and
                // end in this chunk, and are handed out straight from it.
                if let Some(next) = self.whole_record(chunk, i, base, sink) {
                    i = next;
                    continue;
                }
            }
            let step = match self.state {
                State::FieldStart | State::Unquoted => self.step_unquoted(chunk, i, base, sink),
                State::Quoted => self.step_quoted(chunk, i, base),
                State::QuoteInQuoted => Step::Checked(self.step_after_quote(chunk, i)),
            };
            match step {
                Step::Checked(next) => i = next,
                Step::Unchecked(next) => {
                    i = next;
                    continue;
                }
                Step::ChunkUsed => break,
            }
            if self.content_len() > self.max_record_bytes {
                return Err(TableError::RecordTooLarge { line: self.record_line, limit: self.max_record_bytes });
            }
        }
        self.pos = base + n as u64;
        if self.content_len() > self.max_record_bytes {
            return Err(TableError::RecordTooLarge { line: self.record_line, limit: self.max_record_bytes });
        }
        Ok(())
    }

    /// Outside quotes (or at a field's start): a run of plain bytes, then the byte that
    /// ends it.
    #[inline(always)]
    fn step_unquoted<F: FnMut(&RawRecord<'_>)>(&mut self, chunk: &[u8], mut i: usize, base: u64, sink: &mut F) -> Step {
        let n = chunk.len();
        if self.state == State::FieldStart && chunk[i] == b'"' {
            self.state = State::Quoted;
            self.in_record = true;
            i += 1;
            return Step::Unchecked(i);
        }
        // Fast path: copy the run of ordinary bytes in one go.
        let run = i;
        while i < n && self.unquoted[chunk[i] as usize] == PLAIN {
            i += 1;
        }
        if i > run {
            self.buf.extend_from_slice(&chunk[run..i]);
            self.state = State::Unquoted;
            self.in_record = true;
        }
        if i == n {
            return Step::ChunkUsed;
        }
        let b = chunk[i];
        i += 1;
        match self.unquoted[b as usize] {
            DELIM => {
                self.ends.push(self.buf.len());
                // One separator byte between fields (see `RawRecord::bytes`).
                self.buf.push(b);
                self.state = State::FieldStart;
                self.in_record = true;
            }
            LEAD => {
                self.buf.push(b);
                self.state = State::Unquoted;
                self.in_record = true;
                if i < n {
                    self.buf.push(chunk[i]);
                    i += 1;
                } else {
                    self.pending_trail = true;
                }
            }
            CR | LF => {
                self.line += 1;
                if b == b'\r' {
                    if i < n {
                        i += (chunk[i] == b'\n') as usize;
                    } else {
                        // Ended by the next chunk's first byte (an LF or not).
                        self.skip_lf = true;
                        return Step::Unchecked(i);
                    }
                }
                self.end_record(base + i as u64, false, sink);
            }
            _ => unreachable!("plain bytes are consumed by the run"),
        }
        Step::Checked(i)
    }

    /// Inside quotes: a run of plain bytes, then a quote, a lead byte or a newline (part of
    /// the field).
    #[inline(always)]
    fn step_quoted(&mut self, chunk: &[u8], mut i: usize, base: u64) -> Step {
        let n = chunk.len();
        let run = i;
        while i < n && self.quoted[chunk[i] as usize] == PLAIN {
            i += 1;
        }
        self.buf.extend_from_slice(&chunk[run..i]);
        if i == n {
            return Step::ChunkUsed;
        }
        let b = chunk[i];
        i += 1;
        match self.quoted[b as usize] {
            QUOTE => self.state = State::QuoteInQuoted,
            LEAD => {
                self.buf.push(b);
                if i < n {
                    self.buf.push(chunk[i]);
                    i += 1;
                } else {
                    self.pending_trail = true;
                }
            }
            _ => {
                // A newline inside quotes is part of the field. Count lines so
                // problems can point at them; CRLF counts once, by its CR, whatever
                // the chunking.
                let at = base + i as u64 - 1;
                if b == b'\r' {
                    self.line += 1;
                    self.quoted_cr_at = Some(at);
                } else if self.quoted_cr_at != at.checked_sub(1) {
                    self.line += 1;
                }
                self.buf.push(b);
            }
        }
        Step::Checked(i)
    }

    /// After a quote inside quotes: a second quote is a literal one; anything else closes
    /// the quoted part.
    #[inline(always)]
    fn step_after_quote(&mut self, chunk: &[u8], mut i: usize) -> usize {
        let b = chunk[i];
        match self.quoted[b as usize] {
            QUOTE => {
                self.buf.push(b'"');
                self.state = State::Quoted;
                i += 1;
            }
            // The closing quote: the field goes on (or ends) as unquoted text.
            _ => self.state = State::Unquoted,
        }
        i
    }

    /// Ends the input: emits the last record if the input did not end with a newline.
    pub fn finish<F: FnMut(&RawRecord<'_>)>(&mut self, sink: &mut F) {
        if self.pending_trail {
            // A lead byte with nothing after it; keep it so the decoder reports it.
            self.pending_trail = false;
        }
        if std::mem::take(&mut self.skip_lf) {
            // The input ended on the CR that ends the last record.
            let end = self.pos;
            self.end_record(end, false, sink);
            return;
        }
        let unclosed = self.state == State::Quoted;
        if self.in_record || self.state != State::FieldStart || !self.buf.is_empty() {
            let end = self.pos;
            self.end_record(end, unclosed, sink);
        }
    }

    /// Bytes of the current record's fields held in `buf` (without the separators).
    #[inline]
    fn content_len(&self) -> usize {
        self.buf.len() - self.ends.len()
    }

    /// The zero-copy fast path: when the record starting at `chunk[i]` has no quote (and,
    /// in GB18030, no byte >= 0x80), ends in this chunk and is not over the size cap, hands it
    /// to `sink` as a slice of the chunk and returns the index after its terminator. Anything
    /// else (a quote anywhere, a blank line, a record running past the chunk or ending on the
    /// chunk's last byte with a CR) returns None
    /// with nothing changed, and the byte-by-byte state machine reads the record instead.
    ///
    /// The next special byte (delimiter, quote, CR, LF; GB18030 high bytes) is found 8 bytes
    /// at a time (SWAR on a u64, the same on wasm32 and natively).
    #[inline]
    fn whole_record<F: FnMut(&RawRecord<'_>)>(
        &mut self,
        chunk: &[u8],
        i: usize,
        base: u64,
        sink: &mut F,
    ) -> Option<usize> {
        debug_assert!(self.buf.is_empty() && self.ends.is_empty());
        let n = chunk.len();
        let delim = self.delimiter;
        let pats = Specials::new(delim, self.gb18030);
        let mut j = i;
        let term = 'found: {
            while j + 8 <= n {
                let w = u64::from_le_bytes([
                    chunk[j],
                    chunk[j + 1],
                    chunk[j + 2],
                    chunk[j + 3],
                    chunk[j + 4],
                    chunk[j + 5],
                    chunk[j + 6],
                    chunk[j + 7],
                ]);
                let mut m = pats.candidates(w);
                while m != 0 {
                    let k = j + (m.trailing_zeros() / 8) as usize;
                    let b = chunk[k];
                    if b == delim {
                        self.ends.push(k - i);
                    } else if pats.is_special(b) {
                        break 'found k;
                    }
                    m &= m - 1;
                }
                j += 8;
            }
            while j < n {
                let b = chunk[j];
                if pats.is_special(b) {
                    if b != delim {
                        break 'found j;
                    }
                    self.ends.push(j - i);
                }
                j += 1;
            }
            // The record goes on in the next chunk.
            self.ends.clear();
            return None;
        };
        let b = chunk[term];
        // A quote or a lead byte needs the state machine; a blank line (`term == i`) is
        // skipped there; an oversized record is reported there; a CR that ends the chunk too
        // (the record ends with the next chunk's first byte, an LF or not).
        let next = term + 1;
        if (b != b'\n' && b != b'\r') || term == i || term - i > self.max_record_bytes || (b == b'\r' && next == n) {
            self.ends.clear();
            return None;
        }
        self.ends.push(term - i);
        let next = next + (b == b'\r' && chunk[next] == b'\n') as usize;
        self.line += 1;
        let end = base + next as u64;
        let rec = RawRecord {
            bytes: &chunk[i..term],
            ends: &self.ends,
            start: self.record_start,
            end,
            line: self.record_line,
            unclosed_quote: false,
        };
        sink(&rec);
        self.ends.clear();
        self.record_start = end;
        self.record_line = self.line;
        Some(next)
    }

    fn end_record<F: FnMut(&RawRecord<'_>)>(&mut self, end: u64, unclosed: bool, sink: &mut F) {
        if self.in_record {
            self.ends.push(self.buf.len());
            let rec = RawRecord {
                bytes: &self.buf,
                ends: &self.ends,
                start: self.record_start,
                end,
                line: self.record_line,
                unclosed_quote: unclosed,
            };
            sink(&rec);
        }
        // A blank line (nothing in the record) is skipped.
        self.buf.clear();
        self.ends.clear();
        self.state = State::FieldStart;
        self.in_record = false;
        self.record_start = end;
        self.record_line = self.line;
    }
}

/// The bytes the fast path stops at, as u64 patterns for SWAR matching.
#[derive(Clone, Copy)]
struct Specials {
    delim: u64,
    /// All high bits when every byte >= 0x80 must stop the fast path (GB18030), else 0.
    high: u64,
    delim_byte: u8,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

impl Specials {
    #[inline]
    fn new(delim: u8, gb18030: bool) -> Specials {
        Specials { delim: ONES * delim as u64, high: if gb18030 { HIGHS } else { 0 }, delim_byte: delim }
    }

    /// The high bit set in every byte of `w` that may be special (a candidate): every
    /// special byte is flagged, and a few others may be — the classic "has zero byte" test
    /// `(x - 0x01..) & !x & 0x80..` flags every zero byte of `x` but can also flag a byte
    /// just above a flagged one, so each candidate is checked with `is_special`. CR and LF
    /// share one test (bytes below 0x0E); quote and delimiter have one each.
    #[inline]
    fn candidates(self, w: u64) -> u64 {
        #[inline(always)]
        fn below(x: u64, n: u8) -> u64 {
            x.wrapping_sub(ONES * n as u64) & !x
        }
        let hits = below(w, 0x0E) | below(w ^ (ONES * b'"' as u64), 1) | below(w ^ self.delim, 1);
        (hits & HIGHS) | (w & self.high)
    }

    #[inline]
    fn is_special(self, b: u8) -> bool {
        b == self.delim_byte || b == b'"' || b == b'\r' || b == b'\n' || (b & (self.high as u8)) != 0
    }
}
