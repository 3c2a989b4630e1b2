//! A minimal ZIP writer: stored entries only (no compression), CRC-32, UTF-8 names.
//!
//! Download bundles (MISSION B8) are built in the browser from the original file plus a
//! few small text files; the data files are usually already compact or small, and storing
//! keeps the writer short and fast enough to bundle a 100 MB file without a compression
//! library in the wasm. The format follows PKWARE's APPNOTE 6.3: local headers, the data,
//! a central directory and its end record; no ZIP64, so entries and the archive stay under
//! 4 GiB and 65 535 entries, which [`ZipWriter::add`] checks.

use crate::catalog::Date;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("file name “{0}” cannot go into a ZIP archive (empty, absolute, or with “..” or “\\”)")]
    BadName(String),
    #[error("“{0}” is larger than 4 GiB, which a plain ZIP archive cannot hold")]
    TooLarge(String),
    #[error("a ZIP archive holds at most 65 535 files")]
    TooManyEntries,
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP and PNG use it.
pub struct Crc32 {
    table: [[u32; 256]; 4],
    value: u32,
}

impl Default for Crc32 {
    fn default() -> Self {
        Crc32::new()
    }
}

impl Crc32 {
    pub fn new() -> Crc32 {
        let mut table = [[0u32; 256]; 4];
        for i in 0..256u32 {
            let mut c = i;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            table[0][i as usize] = c;
        }
        // Slicing-by-4 tables: four bytes per step, a few times faster than one.
        for i in 0..256 {
            for k in 1..4 {
                let prev = table[k - 1][i];
                table[k][i] = (prev >> 8) ^ table[0][(prev & 0xFF) as usize];
            }
        }
        Crc32 { table, value: 0xFFFF_FFFF }
    }

    pub fn update(&mut self, data: &[u8]) {
        let t = &self.table;
        let mut c = self.value;
        let mut chunks = data.chunks_exact(4);
        for w in &mut chunks {
            c ^= u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            c = t[3][(c & 0xFF) as usize]
                ^ t[2][((c >> 8) & 0xFF) as usize]
                ^ t[1][((c >> 16) & 0xFF) as usize]
                ^ t[0][(c >> 24) as usize];
        }
        for &b in chunks.remainder() {
            c = t[0][((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
        }
        self.value = c;
    }

    pub fn finish(&self) -> u32 {
        self.value ^ 0xFFFF_FFFF
    }
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(data);
    c.finish()
}

/// General-purpose flag bit 11: names are UTF-8 (so 数据.csv shows right everywhere).
const FLAG_UTF8: u16 = 1 << 11;
/// "Version needed to extract": 2.0 is what every unzip supports.
const VERSION: u16 = 20;

/// Builds a ZIP archive in memory.
#[derive(Default)]
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl ZipWriter {
    pub fn new() -> ZipWriter {
        ZipWriter::default()
    }

    /// Adds a file, stored as is, dated `date` at 00:00 local time (ZIP's DOS time has
    /// no zone).
    pub fn add(&mut self, name: &str, data: &[u8], date: &Date) -> Result<(), ZipError> {
        if name.is_empty()
            || name.len() > u16::MAX as usize
            || name.starts_with('/')
            || name.contains('\\')
            || name.split('/').any(|seg| seg == ".." || seg.is_empty())
        {
            return Err(ZipError::BadName(name.to_string()));
        }
        if self.entries == u16::MAX {
            return Err(ZipError::TooManyEntries);
        }
        let size = u32::try_from(data.len()).map_err(|_| ZipError::TooLarge(name.to_string()))?;
        let offset = u32::try_from(self.out.len()).map_err(|_| ZipError::TooLarge(name.to_string()))?;
        if (self.out.len() as u64) + data.len() as u64 + 30 + name.len() as u64 > u32::MAX as u64 {
            return Err(ZipError::TooLarge(name.to_string()));
        }
        let crc = crc32(data);
        let (y, m, d) = date.ymd();
        let dos_date = (((y - 1980).clamp(0, 127) as u16) << 9) | ((m as u16) << 5) | d as u16;
        let dos_time = 0u16;

        let o = &mut self.out;
        put32(o, 0x0403_4b50);
        put16(o, VERSION);
        put16(o, FLAG_UTF8);
        put16(o, 0); // method: stored
        put16(o, dos_time);
        put16(o, dos_date);
        put32(o, crc);
        put32(o, size);
        put32(o, size);
        put16(o, name.len() as u16);
        put16(o, 0); // extra field length
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(data);

        let c = &mut self.central;
        put32(c, 0x0201_4b50);
        put16(c, (3 << 8) | VERSION); // made by: Unix, so the mode below is read
        put16(c, VERSION);
        put16(c, FLAG_UTF8);
        put16(c, 0);
        put16(c, dos_time);
        put16(c, dos_date);
        put32(c, crc);
        put32(c, size);
        put32(c, size);
        put16(c, name.len() as u16);
        put16(c, 0); // extra
        put16(c, 0); // comment
        put16(c, 0); // disk number
        put16(c, 0); // internal attributes
        put32(c, 0o100644 << 16); // external attributes: a regular file, rw-r--r--
        put32(c, offset);
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
        Ok(())
    }

    /// Writes the central directory and returns the archive.
    pub fn finish(mut self) -> Vec<u8> {
        let cd_offset = self.out.len() as u32;
        let cd_size = self.central.len() as u32;
        self.out.extend_from_slice(&self.central);
        let o = &mut self.out;
        put32(o, 0x0605_4b50);
        put16(o, 0);
        put16(o, 0);
        put16(o, self.entries);
        put16(o, self.entries);
        put32(o, cd_size);
        put32(o, cd_offset);
        put16(o, 0); // comment length
        self.out
    }
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn crc32_known_values() {
        // The standard check value, and the empty string.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
        // Incremental updates with odd splits give the same value as one pass.
        let data: Vec<u8> = (0..10_007u32).map(|i| (i * 31 % 251) as u8).collect();
        let mut c = Crc32::new();
        for part in data.chunks(7) {
            c.update(part);
        }
        assert_eq!(c.finish(), crc32(&data));
    }

    #[test]
    fn archive_reads_back_with_the_zip_crate() {
        let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/air-quality-gbk.csv")).unwrap();
        let date = Date::parse("2026-11-23").unwrap();
        let mut w = ZipWriter::new();
        w.add("air-quality-gbk.csv", &csv, &date).unwrap();
        w.add("ATTRIBUTION.txt", "数据来源：示例市生态环境局".as_bytes(), &date).unwrap();
        w.add("docs/空.txt", b"", &date).unwrap();
        let bytes = w.finish();

        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 3);
        let mut got = Vec::new();
        z.by_name("air-quality-gbk.csv").unwrap().read_to_end(&mut got).unwrap(); // checks the CRC
        assert_eq!(got, csv);
        let mut text = String::new();
        let mut f = z.by_name("ATTRIBUTION.txt").unwrap();
        f.read_to_string(&mut text).unwrap();
        assert_eq!(text, "数据来源：示例市生态环境局");
        let dt = f.last_modified().unwrap();
        assert_eq!((dt.year(), dt.month(), dt.day()), (2026, 11, 23));
        drop(f);
        assert_eq!(z.by_name("docs/空.txt").unwrap().size(), 0);
    }

    #[test]
    fn unsafe_names_are_refused() {
        let d = Date::parse("2026-11-23").unwrap();
        let mut w = ZipWriter::new();
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "a//b"] {
            assert!(matches!(w.add(bad, b"x", &d), Err(ZipError::BadName(_))), "{bad}");
        }
    }
}
