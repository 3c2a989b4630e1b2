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

const MAGIC: &[u8; 4] = b"KFD1";

/// Encodes rows column by column (columns compress well: neighbours share values).
pub fn encode_chunk(first_doc: u32, rows: &[DocRow]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    put_varint(&mut out, u64::from(first_doc));
    put_varint(&mut out, rows.len() as u64);
    for r in rows {
        out.extend_from_slice(&r.theme.to_le_bytes());
    }
    for r in rows {
        out.extend_from_slice(&r.department.to_le_bytes());
    }
    for r in rows {
        out.extend_from_slice(&r.region.to_le_bytes());
    }
    for r in rows {
        // level 2 bits | open 2 bits | status 2 bits | emergency 1 bit
        out.push((r.level & 3) | (r.open & 3) << 2 | (r.status & 3) << 4 | u8::from(r.emergency) << 6);
    }
    for r in rows {
        out.push(r.frequency);
    }
    for r in rows {
        out.extend_from_slice(&r.formats.to_le_bytes());
    }
    for r in rows {
        out.extend_from_slice(&r.modified.to_le_bytes());
    }
    for r in rows {
        out.extend_from_slice(&r.title_rank.to_le_bytes());
    }
    out
}

/// A decoded chunk: rows for datasets `first_doc ..first_doc + rows.len()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChunk {
    pub first_doc: u32,
    pub rows: Vec<DocRow>,
}

impl TableChunk {
    pub fn row(&self, doc: u32) -> Option<&DocRow> {
        doc.checked_sub(self.first_doc).and_then(|i| self.rows.get(i as usize))
    }
}

pub fn decode_chunk(bytes: &[u8]) -> Result<TableChunk, DecodeError> {
    let mut r = Reader::new(bytes);
    r.magic(MAGIC)?;
    let first_doc = r.varint_u32()?;
    let n = r.varint()? as usize;
    if n.saturating_mul(18) > bytes.len() {
        return Err(DecodeError("table chunk shorter than its row count".into()));
    }
    let mut rows = vec![DocRow::default(); n];
    let u16s = |r: &mut Reader<'_>| -> Result<Vec<u16>, DecodeError> {
        Ok(r.take(n * 2)?.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    };
    let u32s = |r: &mut Reader<'_>| -> Result<Vec<u32>, DecodeError> {
        Ok(r.take(n * 4)?.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    };
    for (row, v) in rows.iter_mut().zip(u16s(&mut r)?) {
        row.theme = v;
    }
    for (row, v) in rows.iter_mut().zip(u16s(&mut r)?) {
        row.department = v;
    }
    for (row, v) in rows.iter_mut().zip(u16s(&mut r)?) {
        row.region = v;
    }
    for (row, &b) in rows.iter_mut().zip(r.take(n)?) {
        row.level = b & 3;
        row.open = (b >> 2) & 3;
        row.status = (b >> 4) & 3;
        row.emergency = b & 0x40 != 0;
    }
    for (row, &b) in rows.iter_mut().zip(r.take(n)?) {
        row.frequency = b;
    }
    for (row, v) in rows.iter_mut().zip(u32s(&mut r)?) {
        row.formats = v;
    }
    for (row, v) in rows.iter_mut().zip(u32s(&mut r)?) {
        row.modified = v;
    }
    for (row, v) in rows.iter_mut().zip(u32s(&mut r)?) {
        row.title_rank = v;
    }
    if !r.is_empty() {
        return Err(DecodeError("trailing bytes after table chunk".into()));
    }
    Ok(TableChunk { first_doc, rows })
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
            DocRow { theme: 3, department: 300, region: 2, level: 1, open: 2, status: 3, emergency: true, frequency: 8, formats: 0b101, modified: 20_000, title_rank: 99_999 },
            DocRow::default(),
        ];
        let back = decode_chunk(&encode_chunk(4096, &rows)).unwrap();
        assert_eq!(back.rows, rows);
        assert_eq!(back.row(4097), Some(&rows[1]));
        assert_eq!(back.row(4095), None);
        assert!(back.rows[0].has(Facet::Format, 2) && !back.rows[0].has(Facet::Format, 1));
        let bytes = encode_chunk(0, &rows);
        assert!(decode_chunk(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert!(days_from_civil(2026, 11, 23) > days_from_civil(2026, 11, 22));
    }
}
