//! The dataset table: per dataset, its facet codes and sort keys, in fixed-width
//! columns cut into chunks (`search/d/{n}.bin`). A reader fetches only the chunks that
//! hold datasets a query matched, and counts facets and sorts from them.

use super::codec::{put_varint, DecodeError, Reader};
use super::manifest::Facet;

/// At most this many formats get their own bit; rarer ones share the last ("other").
pub const FORMAT_BITS: usize = 32;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocRow {
    pub theme: u16,
    pub department: u16,
    pub region: u16,
    pub level: u8,
    pub open: u8,
    pub status: u8,
    pub emergency: bool,
    pub frequency: u8,
    /// Bit i set: the dataset has a distribution in format code i.
    pub formats: u32,
    /// Last update, days since 1970-01-01.
    pub modified: u32,
    /// Position of the title in the catalog's title order (collation by code point).
    pub title_rank: u32,
}

impl DocRow {
    /// Does the dataset have value `code` of `facet`?
    pub fn has(&self, facet: Facet, code: u32) -> bool {
        match facet {
            Facet::Theme => u32::from(self.theme) == code,
            Facet::Department => u32::from(self.department) == code,
            Facet::Region => u32::from(self.region) == code,
            Facet::Level => u32::from(self.level) == code,
            Facet::Open => u32::from(self.open) == code,
            Facet::Status => u32::from(self.status) == code,
            Facet::Frequency => u32::from(self.frequency) == code,
            Facet::Format => code < FORMAT_BITS as u32 && self.formats & (1 << code) != 0,
        }
    }
    /// Calls `f` with every code the dataset has for `facet`.
    pub fn codes(&self, facet: Facet, mut f: impl FnMut(u32)) {
        match facet {
            Facet::Format => {
                let mut bits = self.formats;
                while bits != 0 {
                    let i = bits.trailing_zeros();
                    f(i);
                    bits &= bits - 1;
                }
            }
            Facet::Theme => f(self.theme.into()),
            Facet::Department => f(self.department.into()),
            Facet::Region => f(self.region.into()),
            Facet::Level => f(self.level.into()),
            Facet::Open => f(self.open.into()),
            Facet::Status => f(self.status.into()),
            Facet::Frequency => f(self.frequency.into()),
        }
    }
}

/// A chunk is two files: the facet columns (`d/{n}.bin`, `KFD2`), which filters and facet
/// counts need, and the sort keys (`o/{n}.bin`, `KFO2`), which only date and title order
/// and the no-query listing order need. Relevance-ordered queries — the usual case —
/// fetch the small, well-compressing facet part alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TablePart {
    Facets,
    Order,
}

impl TablePart {
    fn magic(self) -> &'static [u8; 4] {
        match self {
            TablePart::Facets => b"KFD2",
            TablePart::Order => b"KFO2",
        }
    }
    /// Its columns, in file order. Each is stored little-endian in the fewest bytes (1–4)
    /// that hold its largest value in the chunk — most portals have fewer than 256
    /// domains, departments and regions, so those columns take one byte a row.
    fn columns(self) -> std::ops::Range<usize> {
        match self {
            TablePart::Facets => 0..6,
            TablePart::Order => 6..8,
        }
    }
}

fn column(r: &DocRow, c: usize) -> u32 {
    match c {
        0 => r.theme.into(),
        1 => r.department.into(),
        2 => r.region.into(),
        // level 2 bits | open 2 bits | status 2 bits | emergency 1 bit
        3 => u32::from((r.level & 3) | (r.open & 3) << 2 | (r.status & 3) << 4 | u8::from(r.emergency) << 6),
        4 => r.frequency.into(),
        5 => r.formats,
        6 => r.modified,
        _ => r.title_rank,
    }
}

/// Sets column `c` of `r` from `v`; false when `v` does not fit the column's type.
fn set_column(r: &mut DocRow, c: usize, v: u32) -> bool {
    let u16v = u16::try_from(v);
    let u8v = u8::try_from(v);
    match c {
        0 => u16v.map(|v| r.theme = v).is_ok(),
        1 => u16v.map(|v| r.department = v).is_ok(),
        2 => u16v.map(|v| r.region = v).is_ok(),
        3 => u8v
            .map(|b| {
                r.level = b & 3;
                r.open = (b >> 2) & 3;
                r.status = (b >> 4) & 3;
                r.emergency = b & 0x40 != 0;
            })
            .is_ok(),
        4 => u8v.map(|v| r.frequency = v).is_ok(),
        5 => {
            r.formats = v;
            true
        }
        6 => {
            r.modified = v;
            true
        }
        _ => {
            r.title_rank = v;
            true
        }
    }
}

/// Bytes needed for `v` (at least one).
fn width(v: u32) -> u8 {
    (4 - v.leading_zeros() / 8).max(1) as u8
}

/// Encodes one part of a chunk column by column (columns compress well: neighbours share
/// values): magic, varint first dataset, varint row count, then per column one width byte
/// and the values in that many little-endian bytes.
pub fn encode_chunk(part: TablePart, first_doc: u32, rows: &[DocRow]) -> Vec<u8> {
    let mut out = part.magic().to_vec();
    put_varint(&mut out, u64::from(first_doc));
    put_varint(&mut out, rows.len() as u64);
    for c in part.columns() {
        let w = width(rows.iter().map(|r| column(r, c)).max().unwrap_or(0));
        out.push(w);
        for r in rows {
            out.extend_from_slice(&column(r, c).to_le_bytes()[..usize::from(w)]);
        }
    }
    out
}

/// A decoded chunk: rows for datasets `first_doc ..first_doc + rows.len()`. Without its
/// order part (`has_order` false) the sort keys of its rows are zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChunk {
    pub first_doc: u32,
    pub rows: Vec<DocRow>,
    pub has_order: bool,
}

impl TableChunk {
    pub fn row(&self, doc: u32) -> Option<&DocRow> {
        doc.checked_sub(self.first_doc).and_then(|i| self.rows.get(i as usize))
    }

    /// Adds the sort keys from the chunk's order part.
    pub fn add_order(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let first = decode_part(TablePart::Order, bytes, &mut self.rows)?;
        if first != self.first_doc {
            return Err(DecodeError(format!("order part starts at {first}, facet part at {}", self.first_doc)));
        }
        self.has_order = true;
        Ok(())
    }
}

/// Decodes a chunk's facet part.
pub fn decode_chunk(bytes: &[u8]) -> Result<TableChunk, DecodeError> {
    let mut rows = Vec::new();
    let first_doc = decode_part(TablePart::Facets, bytes, &mut rows)?;
    Ok(TableChunk { first_doc, rows, has_order: false })
}

/// Decodes one part into `rows` (sized by the first part decoded; a second must match).
/// Returns the first dataset number.
fn decode_part(part: TablePart, bytes: &[u8], rows: &mut Vec<DocRow>) -> Result<u32, DecodeError> {
    let mut r = Reader::new(bytes);
    r.magic(part.magic())?;
    let first_doc = r.varint_u32()?;
    let n = r.varint()? as usize;
    if n.saturating_mul(part.columns().len()) > bytes.len() {
        return Err(DecodeError("table chunk shorter than its row count".into()));
    }
    if rows.is_empty() {
        rows.resize(n, DocRow::default());
    } else if rows.len() != n {
        return Err(DecodeError(format!("table parts disagree: {} rows and {n}", rows.len())));
    }
    for c in part.columns() {
        let w = usize::from(r.byte()?);
        if !(1..=4).contains(&w) {
            return Err(DecodeError(format!("table column {c} has width {w}")));
        }
        for (row, v) in rows.iter_mut().zip(r.take(n * w)?.chunks_exact(w)) {
            let mut le = [0u8; 4];
            le[..w].copy_from_slice(v);
            if !set_column(row, c, u32::from_le_bytes(le)) {
                return Err(DecodeError(format!("table column {c} holds a value too large for it")));
            }
        }
    }
    if !r.is_empty() {
        return Err(DecodeError("trailing bytes after table chunk".into()));
    }
    Ok(first_doc)
}

/// Days since 1970-01-01 of a (valid) civil date, clamped at 0: the index stores dates
/// before 1970 (none in practice) as the epoch rather than widening the column.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> u32 {
    crate::calendar::Day::from_ymd(y, m, d).0.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_round_trips() {
        let rows = vec![
            DocRow {
                theme: 3,
                department: 300,
                region: 2,
                level: 1,
                open: 2,
                status: 3,
                emergency: true,
                frequency: 8,
                formats: 0b101,
                modified: 20_000,
                title_rank: 99_999,
            },
            DocRow::default(),
        ];
        let mut back = decode_chunk(&encode_chunk(TablePart::Facets, 4096, &rows)).unwrap();
        assert!(!back.has_order && back.rows[0].modified == 0 && back.rows[0].theme == 3);
        back.add_order(&encode_chunk(TablePart::Order, 4096, &rows)).unwrap();
        assert!(back.has_order);
        assert_eq!(back.rows, rows);
        // Parts of different chunks, or of different sizes, do not combine.
        let mut other = decode_chunk(&encode_chunk(TablePart::Facets, 0, &rows)).unwrap();
        assert!(other.add_order(&encode_chunk(TablePart::Order, 4096, &rows)).is_err());
        assert!(other.add_order(&encode_chunk(TablePart::Order, 0, &rows[..1])).is_err());
        assert!(decode_chunk(&encode_chunk(TablePart::Order, 0, &rows)).is_err(), "an order part is no facet part");
        assert_eq!(back.row(4097), Some(&rows[1]));
        assert_eq!(back.row(4095), None);
        assert!(back.rows[0].has(Facet::Format, 2) && !back.rows[0].has(Facet::Format, 1));
        let bytes = encode_chunk(TablePart::Facets, 0, &rows);
        assert!(decode_chunk(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn columns_take_the_fewest_bytes_their_values_need() {
        // 2048 rows with small codes: every facet column one byte a row; in the order
        // part dates take two, title ranks three (they reach 100,000).
        let rows: Vec<DocRow> = (0..2048u32)
            .map(|i| DocRow {
                theme: (i % 12) as u16,
                department: (i % 34) as u16,
                region: (i % 10) as u16,
                frequency: 3,
                formats: 0b11,
                modified: 20_000 + i,
                title_rank: 97_952 + i,
                ..DocRow::default()
            })
            .collect();
        let bytes = encode_chunk(TablePart::Facets, 0, &rows);
        assert_eq!(bytes.len(), 4 + 1 + 2 + 6 + 2048 * 6);
        let order = encode_chunk(TablePart::Order, 0, &rows);
        assert_eq!(order.len(), 4 + 1 + 2 + 2 + 2048 * (2 + 3));
        let mut back = decode_chunk(&bytes).unwrap();
        back.add_order(&order).unwrap();
        assert_eq!(back.rows, rows);
        // A width outside 1–4 and a value too large for its column are errors, not panics.
        let mut bad = bytes.clone();
        bad[7] = 5;
        assert!(decode_chunk(&bad).is_err());
        let wide = vec![DocRow { frequency: 0, ..DocRow::default() }];
        let mut b = encode_chunk(TablePart::Facets, 0, &wide);
        // Column 4 (frequency, u8) claiming width 2 with value 256.
        let at = 4 + 1 + 1 + 4 * 2;
        b.splice(at..at + 2, [2u8, 0, 1]);
        assert!(decode_chunk(&b).is_err());
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert!(days_from_civil(2026, 11, 23) > days_from_civil(2026, 11, 22));
    }
}
