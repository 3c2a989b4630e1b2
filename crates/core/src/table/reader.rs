//! The streaming table reader: bytes in (any chunking), decoded rows out.
//!
//! The first `sniff_bytes` of the file are held back to guess the encoding, delimiter and
//! header; after that every chunk is parsed as it arrives and each completed row is handed to
//! a callback, so neither the app nor `kaifang inspect` ever needs the whole file in memory.
//! Rows that have more or fewer fields than the header are passed on as they are and reported
//! as problems with their row numbers; nothing is dropped.

use super::encoding::{self, EncodingGuess, TextEncoding};
use super::parser::{RawRecord, RecordParser, DEFAULT_MAX_RECORD_BYTES};
use super::shape::{self, TableStart};
use super::sniff;
use super::{Problem, ProblemKind, Problems, TableError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// The encoding the catalog declares, a hint for ASCII-only beginnings.
    pub declared_encoding: Option<String>,
    /// Forces the encoding instead of guessing.
    pub encoding: Option<TextEncoding>,
    /// Forces the delimiter instead of sniffing.
    pub delimiter: Option<u8>,
    /// Forces header / no header instead of sniffing.
    pub has_header: Option<bool>,
    /// The file line (1-based) the header starts on, as the catalog states it where the guess
    /// is wrong: lines above it are notes. None: found by [`shape::find_table`].
    pub header_row: Option<u64>,
    /// Look for title lines above the header and note rows below the data (`shape.rs`);
    /// off, every record after the header is data.
    pub find_notes: bool,
    /// Bytes held back for sniffing before the first row is parsed.
    pub sniff_bytes: usize,
    pub max_record_bytes: usize,
    /// Problems kept with details; all are counted.
    pub max_problems: usize,
    /// Stop at the first record that starts at or past this byte offset: it is not read, and
    /// its start becomes [`TableReader::boundary`] (one part of a split scan, see `parts`).
    pub stop_at: Option<u64>,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            declared_encoding: None,
            encoding: None,
            delimiter: None,
            has_header: None,
            header_row: None,
            find_notes: true,
            sniff_bytes: 32 * 1024,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_problems: 200,
            stop_at: None,
        }
    }
}

/// What the reader decided about the file's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub encoding: EncodingGuess,
    /// The delimiter as a one-character string (`","`, `";"`, `"\t"`, `"|"`).
    pub delimiter: String,
    pub delimiter_confidence: f32,
    pub has_header: bool,
    pub header_confidence: f32,
    /// Column names: the header's, or `column 1`, `column 2` … without one.
    pub columns: Vec<String>,
    /// Title and note lines above the header (`数据库：年度数据`), as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes_above: Vec<String>,
    /// Note and source lines after the last data row (`数据来源：国家统计局`), known once the
    /// file has been read to its end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes_below: Vec<String>,
    /// True when row offsets are byte offsets in the original file (UTF-8 and GB18030); for
    /// UTF-16 they count bytes of the text re-encoded as UTF-8, so Range requests cannot use them.
    pub offsets_are_file_bytes: bool,
}

impl Layout {
    /// The layout of a table read whole from a structured file (JSON, XLSX): no delimiter, a
    /// header by construction.
    pub fn whole(encoding: EncodingGuess, columns: Vec<String>) -> Layout {
        Layout {
            encoding,
            delimiter: String::new(),
            delimiter_confidence: 1.0,
            has_header: true,
            header_confidence: 1.0,
            columns,
            offsets_are_file_bytes: false,
            notes_above: Vec::new(),
            notes_below: Vec::new(),
        }
    }

    pub fn delimiter_byte(&self) -> u8 {
        self.delimiter.as_bytes().first().copied().unwrap_or(b',')
    }
}

/// One data row, decoded.
pub struct Row<'a> {
    /// 1-based number among data rows (the header is not counted).
    pub number: u64,
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// Byte offset of the row's start, and just past its end (see `Layout::offsets_are_file_bytes`).
    pub start: u64,
    pub end: u64,
    text: &'a str,
    ends: &'a [usize],
    columns: &'a [String],
}

impl<'a> Row<'a> {
    /// The file's column names (the header's, or `column N`).
    pub fn columns(&self) -> &'a [String] {
        self.columns
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        // Fields are separated by one byte (see `RawRecord::bytes`).
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        Some(&self.text[start..end])
    }
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
    /// The fields in order, without looking each one up (the scan's per-cell loop).
    pub(crate) fn fields(&self) -> impl Iterator<Item = &'a str> + 'a {
        let text = self.text;
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = &text[start..end];
            start = end + 1;
            field
        })
    }
    pub fn to_strings(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

enum Stage {
    Sniffing(Vec<u8>),
    /// A reader resumed in the middle of a file: bytes are dropped up to the end of the
    /// first line, where parsing starts.
    Seeking(Box<Seeking>),
    Parsing(Box<Parsing>),
}

struct Seeking {
    /// Stream offset of the next byte fed.
    pos: u64,
    /// The last byte dropped was a CR (a following LF belongs to the same line end).
    after_cr: bool,
    /// What parsing starts with once the line end is found.
    layout: Layout,
}

/// Where a reader stopped because of [`ReaderOptions::stop_at`]: the first record it did not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    /// Byte offset of the record's start.
    pub start: u64,
    /// Its line, counted from the reader's first record as line 1 (absolute for a reader that
    /// started at the beginning of the file).
    pub line: u64,
}

struct Parsing {
    parser: RecordParser,
    /// Only for UTF-16: turns the input into UTF-8 for the parser.
    transcoder: Option<encoding_rs::Decoder>,
    transcoded: String,
    rows: RowMaker,
}

/// Everything that turns raw records into rows; kept apart from the parser so the parser's
/// callback can borrow it.
struct RowMaker {
    encoding: TextEncoding,
    pending: Option<PendingLayout>,
    layout: Option<Layout>,
    width: usize,
    rows: u64,
    problems: Problems,
    decoded: String,
    ends: Vec<usize>,
    stop_at: Option<u64>,
    boundary: Option<Boundary>,
    /// Start and line of the first record read (the header included).
    first_record: Option<(u64, u64)>,
    /// Note-like rows not yet known to be data or notes below the table.
    held: Vec<HeldRow>,
    /// Past `stop_at` with rows held: reading on (only to decide them) from this record,
    /// which becomes the boundary once a data row shows they were data.
    lookahead: Option<Boundary>,
    find_notes: bool,
}

/// How a reader's rows get their layout.
enum LayoutStart {
    /// Sniffed from the sample; fixed by the first record (the header, if there is one).
    Sniffed(PendingLayout),
    /// Given, for a reader resumed in the middle of a file (no header).
    Known(Layout),
}

struct PendingLayout {
    encoding: EncodingGuess,
    delimiter: u8,
    delimiter_confidence: f32,
    header_confidence: f32,
    /// The file line where the header (or, without one, the data) starts.
    table_line: u64,
    /// 0, 1 or 2 header records (see `shape::TableStart`).
    header_rows: usize,
    /// Title and note lines read so far, and the header records.
    notes: Vec<String>,
    header: Vec<Vec<String>>,
}

/// A data row's parts, borrowed from the parser's record or from a held copy.
struct Rec<'t> {
    line: u64,
    start: u64,
    end: u64,
    text: &'t str,
    ends: &'t [usize],
    unclosed: bool,
    bad: bool,
}

/// A note-like row held back until a data row follows (then it is data) or the input ends
/// (then it is a note below the table).
struct HeldRow {
    line: u64,
    start: u64,
    end: u64,
    text: String,
    ends: Vec<usize>,
    unclosed: bool,
    bad: bool,
}

impl HeldRow {
    fn of(r: &Rec<'_>) -> HeldRow {
        let Rec { line, start, end, text, ends, unclosed, bad } = *r;
        HeldRow { line, start, end, text: text.to_string(), ends: ends.to_vec(), unclosed, bad }
    }
    fn rec(&self) -> Rec<'_> {
        let HeldRow { line, start, end, ref text, ref ends, unclosed, bad } = *self;
        Rec { line, start, end, text, ends, unclosed, bad }
    }
}

pub struct TableReader {
    opts: ReaderOptions,
    stage: Stage,
    bytes_in: u64,
    finished: bool,
}

impl TableReader {
    pub fn new(opts: ReaderOptions) -> TableReader {
        TableReader { opts, stage: Stage::Sniffing(Vec::new()), bytes_in: 0, finished: false }
    }

    /// A reader over the rest of a file whose layout is already known, fed from byte offset
    /// `from`, with no header and no sniffing. With `seek`, bytes up to the end of the first
    /// line are dropped (`from` is a guess, one byte before where a record may start); without
    /// it, `from` is a record's start. Only for encodings whose bytes are the file's
    /// (ASCII-compatible: row offsets are file offsets).
    pub fn resume(opts: ReaderOptions, layout: Layout, from: u64, seek: bool) -> TableReader {
        let stage = if seek {
            Stage::Seeking(Box::new(Seeking { pos: from, after_cr: false, layout }))
        } else {
            Stage::Parsing(Parsing::resumed(&opts, layout, from))
        };
        TableReader { opts, stage, bytes_in: 0, finished: false }
    }

    /// Set once the reader met a record at or past [`ReaderOptions::stop_at`]; feeding more is
    /// then wasted.
    pub fn boundary(&self) -> Option<Boundary> {
        match &self.stage {
            Stage::Parsing(p) => p.rows.boundary,
            _ => None,
        }
    }

    /// The byte offset and line of the first record this reader read (the header for a fresh
    /// reader). A resumed reader counts lines from where it started, which may be a blank line
    /// before its first record.
    pub fn first_record(&self) -> Option<(u64, u64)> {
        match &self.stage {
            Stage::Parsing(p) => p.rows.first_record,
            _ => None,
        }
    }

    /// Stream offset just past the last byte fed.
    pub fn position(&self) -> u64 {
        match &self.stage {
            Stage::Parsing(p) => p.parser.position(),
            Stage::Seeking(s) => s.pos,
            Stage::Sniffing(b) => b.len() as u64,
        }
    }

    /// The file's layout, known once the first record has been read (or after `finish`).
    pub fn layout(&self) -> Option<&Layout> {
        match &self.stage {
            Stage::Parsing(p) => p.rows.layout.as_ref(),
            Stage::Seeking(s) => Some(&s.layout),
            Stage::Sniffing(_) => None,
        }
    }

    pub fn rows_read(&self) -> u64 {
        match &self.stage {
            Stage::Parsing(p) => p.rows.rows,
            _ => 0,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    pub fn problems(&self) -> &Problems {
        static NONE: Problems = Problems::empty();
        match &self.stage {
            Stage::Parsing(p) => &p.rows.problems,
            _ => &NONE,
        }
    }

    /// Feeds the next chunk of the file; `sink` gets every row completed by it.
    pub fn feed<F: FnMut(&Row<'_>)>(&mut self, chunk: &[u8], sink: &mut F) -> Result<(), TableError> {
        if self.finished {
            return Err(TableError::FedAfterFinish);
        }
        self.bytes_in += chunk.len() as u64;
        match &mut self.stage {
            Stage::Sniffing(buf) => {
                buf.extend_from_slice(chunk);
                if sample_is_enough(&self.opts, buf) {
                    let buf = std::mem::take(buf);
                    self.start(&buf, false, sink)?;
                }
                Ok(())
            }
            Stage::Seeking(seek) => match seek.line_end(chunk) {
                None => Ok(()),
                Some(at) => {
                    let Stage::Seeking(seek) = std::mem::replace(&mut self.stage, Stage::Sniffing(Vec::new())) else {
                        unreachable!("matched above")
                    };
                    let Seeking { pos, layout, .. } = *seek;
                    let start = pos + at as u64;
                    let mut parsing = Parsing::resumed(&self.opts, layout, start);
                    let result = parsing.feed(&chunk[at..], false, sink);
                    self.stage = Stage::Parsing(parsing);
                    result
                }
            },
            Stage::Parsing(p) => p.feed(chunk, false, sink),
        }
    }

    /// Ends the input, emitting the last row if the file did not end with a newline.
    pub fn finish<F: FnMut(&Row<'_>)>(&mut self, sink: &mut F) -> Result<(), TableError> {
        if self.finished {
            return Ok(());
        }
        if let Stage::Sniffing(buf) = &mut self.stage {
            let buf = std::mem::take(buf);
            self.start(&buf, true, sink)?;
        }
        if let Stage::Seeking(seek) = &self.stage {
            // No line ended: nothing of this part is a record of its own.
            let (pos, layout) = (seek.pos, seek.layout.clone());
            self.stage = Stage::Parsing(Parsing::resumed(&self.opts, layout, pos));
        }
        self.finished = true;
        let Stage::Parsing(p) = &mut self.stage else { unreachable!("started above") };
        p.feed(&[], true, sink)?;
        let Parsing { parser, rows, .. } = &mut **p;
        parser.finish(&mut |raw| rows.on_record(raw, sink));
        rows.finish(sink);
        Ok(())
    }

    fn start<F: FnMut(&Row<'_>)>(&mut self, sample: &[u8], complete: bool, sink: &mut F) -> Result<(), TableError> {
        let mut guess = encoding::detect(sample, self.opts.declared_encoding.as_deref(), complete);
        if let Some(forced) = self.opts.encoding {
            if forced != guess.encoding {
                guess.encoding = forced;
                guess.confidence = 1.0;
                guess.bom_len = if sample.starts_with(forced.bom()) { forced.bom().len() } else { 0 };
            }
        }
        let enc = guess.encoding;
        let body = &sample[guess.bom_len.min(sample.len())..];
        // The parser reads ASCII-compatible bytes; UTF-16 is re-encoded as UTF-8 first.
        let (transcoder, utf8_sample): (Option<encoding_rs::Decoder>, std::borrow::Cow<[u8]>) =
            if enc.ascii_compatible() {
                (None, std::borrow::Cow::Borrowed(body))
            } else {
                let mut dec = enc.encoding_rs().new_decoder_without_bom_handling();
                let mut s = String::with_capacity(body.len());
                transcode(&mut dec, body, &mut s, false);
                (Some(enc.encoding_rs().new_decoder_without_bom_handling()), std::borrow::Cow::Owned(s.into_bytes()))
            };
        let gb = enc == TextEncoding::Gb18030;
        let (delimiter, delimiter_confidence) = match self.opts.delimiter {
            Some(d) => (d, 1.0),
            None => sniff::sniff_delimiter(&utf8_sample, gb, complete),
        };
        let records = sample_records(&utf8_sample, delimiter, enc, complete);
        let (table_line, start) = table_start(&self.opts, &records);
        let start_offset = if enc.ascii_compatible() { guess.bom_len as u64 } else { 0 };
        let parser = RecordParser::new(delimiter, gb, start_offset).with_max_record_bytes(self.opts.max_record_bytes);
        let pending = PendingLayout {
            encoding: guess,
            delimiter,
            delimiter_confidence,
            header_confidence: start.confidence,
            table_line,
            header_rows: start.header_rows,
            notes: Vec::new(),
            header: Vec::new(),
        };
        let encoding = if enc.ascii_compatible() { enc } else { TextEncoding::Utf8 };
        let rows = RowMaker::new(&self.opts, encoding, LayoutStart::Sniffed(pending));
        let mut parsing = Box::new(Parsing { parser, transcoder, transcoded: String::new(), rows });
        parsing.feed(body, false, sink)?;
        self.stage = Stage::Parsing(parsing);
        Ok(())
    }
}

impl Seeking {
    /// Where in `chunk` the first line ends (just past its LF, CRLF or lone CR), if it does.
    fn line_end(&mut self, chunk: &[u8]) -> Option<usize> {
        for (i, &b) in chunk.iter().enumerate() {
            if self.after_cr && b != b'\n' {
                // A lone CR ended the line; this byte starts the next one.
                return Some(i);
            }
            self.after_cr = b == b'\r';
            if b == b'\n' {
                return Some(i + 1);
            }
        }
        self.pos += chunk.len() as u64;
        None
    }
}

impl Parsing {
    /// Parsing from a record's start at `from`, with the layout known (no header).
    fn resumed(opts: &ReaderOptions, layout: Layout, from: u64) -> Box<Parsing> {
        let enc = layout.encoding.encoding;
        debug_assert!(enc.ascii_compatible(), "a resumed reader needs file offsets");
        let parser = RecordParser::new(layout.delimiter_byte(), enc == TextEncoding::Gb18030, from)
            .with_max_record_bytes(opts.max_record_bytes);
        let rows = RowMaker::new(opts, enc, LayoutStart::Known(layout));
        Box::new(Parsing { parser, transcoder: None, transcoded: String::new(), rows })
    }

    fn feed<F: FnMut(&Row<'_>)>(&mut self, chunk: &[u8], last: bool, sink: &mut F) -> Result<(), TableError> {
        let Parsing { parser, transcoder, transcoded, rows } = self;
        match transcoder {
            None => parser.feed(chunk, &mut |raw| rows.on_record(raw, sink)),
            Some(dec) => {
                transcoded.clear();
                transcode(dec, chunk, transcoded, last);
                parser.feed(transcoded.as_bytes(), &mut |raw| rows.on_record(raw, sink))
            }
        }
    }
}

fn transcode(dec: &mut encoding_rs::Decoder, input: &[u8], out: &mut String, last: bool) {
    let mut input = input;
    loop {
        if let Some(need) = dec.max_utf8_buffer_length(input.len()) {
            out.reserve(need);
        }
        let (result, read, _) = dec.decode_to_string(input, out, last);
        input = &input[read..];
        if result == encoding_rs::CoderResult::InputEmpty {
            break;
        }
    }
}

/// Where the table starts: the file line of the header (or first data row) and the sniffed
/// shape, or what the options state.
fn table_start(opts: &ReaderOptions, records: &[(u64, Vec<String>)]) -> (u64, TableStart) {
    let from = match opts.header_row {
        Some(line) => records.iter().position(|(l, _)| *l >= line).unwrap_or(records.len()),
        None => 0,
    };
    let texts: Vec<Vec<String>> = records[from..].iter().map(|(_, r)| r.clone()).collect();
    let forced_header = opts.header_row.map(|_| true).or(opts.has_header);
    let start = match opts.find_notes {
        true => shape::find_table(&texts, forced_header, opts.header_row.map(|_| 0)),
        false => {
            let (header, confidence) = forced_header.map_or_else(|| sniff::sniff_header(&texts), |h| (h, 1.0));
            TableStart { skip: 0, header_rows: usize::from(header), confidence }
        }
    };
    let line = records.get(from + start.skip).map_or(opts.header_row.unwrap_or(1), |(l, _)| *l);
    (line, start)
}

/// The first records of the sample as text with their lines, for the header sniffer.
fn sample_records(sample: &[u8], delimiter: u8, enc: TextEncoding, complete: bool) -> Vec<(u64, Vec<String>)> {
    let mut out = Vec::new();
    let mut parser = RecordParser::new(delimiter, enc == TextEncoding::Gb18030, 0);
    let dec = if enc.ascii_compatible() { enc } else { TextEncoding::Utf8 };
    let mut sink = |r: &RawRecord<'_>| {
        if out.len() < 50 {
            let fields = (0..r.len()).map(|i| encoding::decode_field(r.field(i).unwrap_or(b""), dec).0.into_owned());
            out.push((r.line, fields.collect()));
        }
    };
    if parser.feed(sample, &mut sink).is_ok() && complete {
        parser.finish(&mut sink);
    }
    out
}

impl RowMaker {
    fn new(opts: &ReaderOptions, encoding: TextEncoding, start: LayoutStart) -> RowMaker {
        let (pending, layout) = match start {
            LayoutStart::Sniffed(p) => (Some(p), None),
            // A later part of a split file finds its own notes below (if it is the last).
            LayoutStart::Known(l) => (None, Some(Layout { notes_below: Vec::new(), ..l })),
        };
        RowMaker {
            encoding,
            pending,
            width: layout.as_ref().map_or(0, |l| l.columns.len()),
            layout,
            rows: 0,
            problems: Problems::new(opts.max_problems),
            decoded: String::new(),
            ends: Vec::new(),
            stop_at: opts.stop_at,
            boundary: None,
            first_record: None,
            held: Vec::new(),
            lookahead: None,
            find_notes: opts.find_notes,
        }
    }

    fn on_record<F: FnMut(&Row<'_>)>(&mut self, raw: &RawRecord<'_>, sink: &mut F) {
        if let Some(stop) = self.stop_at {
            if self.boundary.is_some() {
                return;
            }
            // A part never ends above the header: title lines and header are part 0's.
            if raw.start >= stop && self.lookahead.is_none() && self.layout.is_some() {
                let at = Boundary { start: raw.start, line: raw.line };
                // Rows held at the part's end are notes only if nothing but notes follows:
                // read on to see, as one scan of the whole file would.
                if self.held.is_empty() {
                    self.boundary = Some(at);
                    return;
                }
                self.lookahead = Some(at);
            }
        }
        if self.first_record.is_none() {
            self.first_record = Some((raw.start, raw.line));
        }
        // Most records are valid UTF-8 (or ASCII in a GB18030 file): use their bytes as they
        // are — fields are separated by one ASCII byte, so the record is valid exactly when
        // every field is, and the field ends carry over. Others are decoded field by field
        // into `self.decoded` (with a separator byte between fields too).
        let direct: Option<&str> = if self.encoding == TextEncoding::Utf8 || raw.bytes.is_ascii() {
            super::utf8::to_str(raw.bytes)
        } else {
            None
        };
        let bad_bytes = match direct {
            Some(_) => false,
            None => self.decode(raw),
        };
        let decoded = std::mem::take(&mut self.decoded);
        let ends = std::mem::take(&mut self.ends);
        let (text, field_ends) = match direct {
            Some(text) => (text, raw.ends),
            None => (decoded.as_str(), ends.as_slice()),
        };
        let rec = Rec {
            line: raw.line,
            start: raw.start,
            end: raw.end,
            text,
            ends: field_ends,
            unclosed: raw.unclosed_quote,
            bad: bad_bytes,
        };
        if self.layout.is_some() || !self.above_table(&rec) {
            self.on_data(rec, sink);
        }
        self.decoded = decoded;
        self.ends = ends;
    }

    /// Takes a record above the data — a title or note line, a header record — and sets the
    /// layout once the header is complete; false for a record that is data.
    fn above_table(&mut self, rec: &Rec<'_>) -> bool {
        let Some(p) = self.pending.as_mut() else { return false };
        let fields = || (0..rec.ends.len()).map(|i| field_of(rec.text, rec.ends, i));
        if rec.line < p.table_line {
            p.notes.push(shape::note_text(fields()));
            return true;
        }
        if p.header_rows == 0 {
            self.width = rec.ends.len();
            self.set_layout((1..=rec.ends.len()).map(|i| format!("column {i}")).collect());
            return false;
        }
        p.header.push(fields().map(str::to_string).collect());
        if rec.bad {
            self.problems.push(Problem { row: None, line: rec.line, kind: ProblemKind::InvalidBytes });
        }
        if p.header.len() == p.header_rows {
            let names = match p.header.as_slice() {
                [top, sub] => shape::combine_header(top, sub),
                [one] => one.clone(),
                _ => unreachable!("one or two header records"),
            };
            let columns = name_columns(names, rec.line, &mut self.problems);
            self.width = columns.len();
            self.set_layout(columns);
        }
        true
    }

    /// A data record: held back when it reads as a note (it may be one of the notes below the
    /// table), else passed on after any held rows, which were data after all.
    fn on_data<F: FnMut(&Row<'_>)>(&mut self, rec: Rec<'_>, sink: &mut F) {
        let fields = (0..rec.ends.len()).map(|i| field_of(rec.text, rec.ends, i));
        if self.find_notes && shape::is_note_row(fields, self.width) {
            self.held.push(HeldRow::of(&rec));
            return;
        }
        if let Some(at) = self.lookahead {
            // Data after the held rows: those before the boundary were data of this part; the
            // rest, and this row, are the next part's.
            self.held.retain(|h| h.start < at.start);
            self.release_held(sink);
            self.boundary = Some(at);
            return;
        }
        self.release_held(sink);
        self.emit(rec, sink);
    }

    fn release_held<F: FnMut(&Row<'_>)>(&mut self, sink: &mut F) {
        for held in std::mem::take(&mut self.held) {
            self.emit(held.rec(), sink);
        }
    }

    fn emit<F: FnMut(&Row<'_>)>(&mut self, rec: Rec<'_>, sink: &mut F) {
        self.rows += 1;
        let row_no = self.rows;
        let found = rec.ends.len();
        if found != self.width {
            let kind = if found < self.width {
                ProblemKind::TooFewFields { expected: self.width, found }
            } else {
                ProblemKind::TooManyFields { expected: self.width, found }
            };
            self.problems.push(Problem { row: Some(row_no), line: rec.line, kind });
        }
        if rec.unclosed {
            self.problems.push(Problem { row: Some(row_no), line: rec.line, kind: ProblemKind::UnclosedQuote });
        }
        if rec.bad {
            self.problems.push(Problem { row: Some(row_no), line: rec.line, kind: ProblemKind::InvalidBytes });
        }
        let columns = self.layout.as_ref().map(|l| l.columns.as_slice()).unwrap_or(&[]);
        let row = Row {
            number: row_no,
            line: rec.line,
            start: rec.start,
            end: rec.end,
            text: rec.text,
            ends: rec.ends,
            columns,
        };
        sink(&row);
    }

    /// Decodes `raw` into `self.decoded`/`self.ends`; true when bytes had to be replaced.
    fn decode(&mut self, raw: &RawRecord<'_>) -> bool {
        self.decoded.clear();
        self.ends.clear();
        let mut bad = false;
        for i in 0..raw.len() {
            let (text, had_errors) = encoding::decode_field(raw.field(i).unwrap_or(b""), self.encoding);
            bad |= had_errors;
            if i > 0 {
                // The separator `Row::get` skips (any one ASCII byte).
                self.decoded.push(',');
            }
            self.decoded.push_str(&text);
            self.ends.push(self.decoded.len());
        }
        bad
    }

    fn set_layout(&mut self, columns: Vec<String>) {
        if let Some(p) = self.pending.take() {
            let offsets_are_file_bytes = p.encoding.encoding.ascii_compatible();
            self.layout = Some(Layout {
                encoding: p.encoding,
                delimiter: (p.delimiter as char).to_string(),
                delimiter_confidence: p.delimiter_confidence,
                has_header: p.header_rows > 0,
                header_confidence: p.header_confidence,
                columns,
                offsets_are_file_bytes,
                notes_above: p.notes,
                notes_below: Vec::new(),
            });
        }
    }

    /// At the end of the input: rows still held are notes below the table — unless this
    /// reader stopped at a boundary, when the file goes on and they are data. An empty file
    /// (or one of notes only) still gets a layout.
    fn finish<F: FnMut(&Row<'_>)>(&mut self, sink: &mut F) {
        if self.boundary.is_some() {
            self.release_held(sink);
        }
        if self.layout.is_none() {
            self.set_layout(Vec::new());
        }
        let held = std::mem::take(&mut self.held);
        if let Some(layout) = self.layout.as_mut() {
            let fields = |h: &HeldRow| {
                (0..h.ends.len()).map(|i| field_of(&h.text, &h.ends, i)).map(str::to_string).collect::<Vec<_>>()
            };
            layout.notes_below.extend(held.iter().map(|h| shape::note_text(fields(h).iter().map(String::as_str))));
        }
    }
}

fn field_of<'a>(text: &'a str, ends: &[usize], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] + 1 };
    &text[start..ends[i]]
}

/// Sniffing needs `sniff_bytes` and, unless delimiter and header are given, a few complete
/// lines (a long first line must not leave the sniffer without records); the sample is never
/// held past 1 MiB.
fn sample_is_enough(opts: &ReaderOptions, buf: &[u8]) -> bool {
    const MIN_LINES: usize = 5;
    const MAX_SAMPLE: usize = 1 << 20;
    if buf.len() < opts.sniff_bytes {
        return false;
    }
    let forced = opts.delimiter.is_some() && opts.has_header.is_some();
    forced || buf.len() >= MAX_SAMPLE || buf.iter().filter(|b| **b == b'\n').count() >= MIN_LINES
}

/// Header names as the preview shows them (CSV and XLSX alike): empty ones become `column N`,
/// repeated ones get a ` (2)` suffix; each change is reported against the header's `line`.
pub(super) fn name_columns(names: Vec<String>, line: u64, problems: &mut Problems) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let mut name = name.trim().to_string();
        if name.is_empty() {
            name = format!("column {}", i + 1);
            problems.push(Problem { row: None, line, kind: ProblemKind::EmptyColumnName { column: i + 1 } });
        }
        if out.contains(&name) {
            problems.push(Problem { row: None, line, kind: ProblemKind::DuplicateColumnName { name: name.clone() } });
            let mut k = 2;
            while out.contains(&format!("{name} ({k})")) {
                k += 1;
            }
            name = format!("{name} ({k})");
        }
        out.push(name);
    }
    out
}
