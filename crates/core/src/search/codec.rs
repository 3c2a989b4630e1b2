//! Binary encodings of the index files. Everything a reader decodes is outside input
//! (a static host can serve anything), so every decoder returns an error, never panics.
//!
//! - **Doc sets**: sorted dataset numbers, stored either as a list of varint gaps or as
//!   a bitmap, whichever is smaller; a term found in every dataset costs N/8 bytes.
//! - **Postings**: one doc set per field class (title, keywords, labels, description).
//! - **Term shard** (`search/t/{n}.bin`): the terms whose hash falls in bucket n, each
//!   with its postings inline, or, when they are large, the number of a file of their
//!   own (`search/x/{n}.bin`) so that small terms never ride along with big ones.
//! - **Table chunk** (`search/d/{n}.bin`): fixed-width columns with each dataset's facet
//!   codes and sort keys, for counting facets and sorting the datasets a query matched.

use super::fields::{FieldClass, CLASS_COUNT};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "search index file is damaged: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

fn err<T>(msg: &str) -> Result<T, DecodeError> {
    Err(DecodeError(msg.to_string()))
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A cursor over bytes that reports truncation instead of panicking.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }
    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| DecodeError("unexpected end".into()))?;
        self.pos += 1;
        Ok(b)
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| DecodeError("unexpected end".into()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        err("varint too long")
    }
    pub fn varint_u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.varint()?).map_err(|_| DecodeError("number out of range".into()))
    }
    pub fn magic(&mut self, m: &[u8; 4]) -> Result<(), DecodeError> {
        if self.take(4)? != m {
            return err("wrong file kind or version");
        }
        Ok(())
    }
}

const SET_EMPTY: u8 = 0;
const SET_LIST: u8 = 1;
const SET_BITMAP: u8 = 2;
const SET_RUNS: u8 = 3;

/// Encodes sorted, distinct dataset numbers.
pub fn encode_docset(out: &mut Vec<u8>, docs: &[u32]) {
    let Some((&first, &last)) = docs.first().zip(docs.last()) else {
        out.push(SET_EMPTY);
        return;
    };
    let mut list = Vec::with_capacity(docs.len() * 2);
    put_varint(&mut list, docs.len() as u64);
    let mut prev = 0u32;
    for (i, &d) in docs.iter().enumerate() {
        put_varint(&mut list, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    // Runs of consecutive numbers: (gap from the previous run's end, length - 1).
    // Datasets are numbered by domain and department, so label terms come in runs.
    let mut runs = Vec::new();
    let mut run_count = 0u64;
    let mut i = 0;
    let mut end = 0u32;
    while i < docs.len() {
        let start = docs[i];
        let mut j = i;
        while j + 1 < docs.len() && docs[j + 1] == docs[j] + 1 {
            j += 1;
        }
        put_varint(&mut runs, u64::from(start - end));
        put_varint(&mut runs, u64::from(docs[j] - start));
        end = docs[j] + 1;
        run_count += 1;
        i = j + 1;
    }
    let mut runs_enc = Vec::with_capacity(runs.len() + 4);
    put_varint(&mut runs_enc, run_count);
    runs_enc.extend_from_slice(&runs);
    let bitmap_len = ((last - first) / 8 + 1) as usize;
    if runs_enc.len() < list.len() && runs_enc.len() < bitmap_len + 6 {
        out.push(SET_RUNS);
        out.extend_from_slice(&runs_enc);
    } else if bitmap_len + 6 < list.len() {
        out.push(SET_BITMAP);
        put_varint(out, u64::from(first));
        put_varint(out, bitmap_len as u64);
        let start = out.len();
        out.resize(start + bitmap_len, 0);
        for &d in docs {
            let bit = (d - first) as usize;
            out[start + bit / 8] |= 1 << (bit % 8);
        }
    } else {
        out.push(SET_LIST);
        out.extend_from_slice(&list);
    }
}

/// Decodes a doc set; `limit` is the number of datasets (anything at or above is damage).
pub fn decode_docset(r: &mut Reader<'_>, limit: u32) -> Result<Vec<u32>, DecodeError> {
    match r.byte()? {
        SET_EMPTY => Ok(Vec::new()),
        SET_LIST => {
            let n = r.varint()? as usize;
            if n > limit as usize {
                return err("doc list longer than the catalog");
            }
            let mut out = Vec::with_capacity(n);
            let mut cur: u64 = 0;
            for i in 0..n {
                let gap = r.varint()?;
                if i > 0 && gap == 0 {
                    return err("doc list not strictly increasing");
                }
                // Checked: a damaged gap near u64::MAX must not wrap round to a small number.
                cur = match cur.checked_add(gap) {
                    Some(c) if c < u64::from(limit) => c,
                    _ => return err("doc number beyond the catalog"),
                };
                out.push(cur as u32);
            }
            Ok(out)
        }
        SET_BITMAP => {
            let first = r.varint_u32()?;
            let len = r.varint()? as usize;
            if len > limit as usize / 8 + 1 {
                return err("bitmap larger than the catalog");
            }
            let bytes = r.take(len)?;
            let mut out = Vec::new();
            for (i, &b) in bytes.iter().enumerate() {
                for bit in 0..8 {
                    if b & (1 << bit) != 0 {
                        let d = u64::from(first) + (i * 8 + bit) as u64;
                        if d >= u64::from(limit) {
                            return err("doc number beyond the catalog");
                        }
                        out.push(d as u32);
                    }
                }
            }
            Ok(out)
        }
        SET_RUNS => {
            let n = r.varint()? as usize;
            if n > limit as usize {
                return err("more runs than datasets");
            }
            let mut out = Vec::new();
            let mut end: u64 = 0;
            for i in 0..n {
                let gap = r.varint()?;
                if i > 0 && gap == 0 {
                    return err("runs touch or overlap");
                }
                let len = r.varint()?;
                // Checked, as above: damaged numbers must not wrap round.
                let (start, last) = match end.checked_add(gap).and_then(|s| Some((s, s.checked_add(len)?))) {
                    Some((s, l)) if l < u64::from(limit) => (s, l),
                    _ => return err("doc number beyond the catalog"),
                };
                out.extend(start as u32..=last as u32);
                end = last + 1;
            }
            Ok(out)
        }
        _ => err("unknown doc set kind"),
    }
}

/// Where a term occurs, by field class: `by_class[c]` holds sorted dataset numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    pub by_class: [Vec<u32>; CLASS_COUNT],
}

impl Postings {
    pub fn encode(&self, out: &mut Vec<u8>) {
        for docs in &self.by_class {
            encode_docset(out, docs);
        }
    }
    pub fn decode(r: &mut Reader<'_>, limit: u32) -> Result<Postings, DecodeError> {
        let mut p = Postings::default();
        for slot in p.by_class.iter_mut() {
            *slot = decode_docset(r, limit)?;
        }
        Ok(p)
    }
    /// Number of distinct datasets the term occurs in.
    pub fn doc_count(&self) -> usize {
        let mut all: Vec<u32> = self.by_class.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    }
    pub fn class_docs(&self, class: FieldClass) -> &[u32] {
        &self.by_class[class as usize]
    }
}

/// A term's entry in a shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermEntry {
    Inline(Postings),
    /// Postings live in `search/x/{n}.bin`.
    External(u32),
}

const SHARD_MAGIC: &[u8; 4] = b"KFT1";
const EXTERNAL_MAGIC: &[u8; 4] = b"KFX1";

/// Encodes a shard from (term, entry bytes) pairs. `entries` are pre-encoded so the
/// builder can decide inline vs external by size.
pub fn encode_shard(terms: &[(String, ShardSlot)]) -> Vec<u8> {
    let mut out = SHARD_MAGIC.to_vec();
    put_varint(&mut out, terms.len() as u64);
    for (term, slot) in terms {
        put_varint(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        match slot {
            ShardSlot::Inline(bytes) => {
                out.push(0);
                out.extend_from_slice(bytes);
            }
            ShardSlot::External(n) => {
                out.push(1);
                put_varint(&mut out, u64::from(*n));
            }
        }
    }
    out
}

/// What the builder puts in a shard for one term.
#[derive(Debug, Clone)]
pub enum ShardSlot {
    Inline(Vec<u8>),
    External(u32),
}

pub fn encode_external(postings_bytes: &[u8]) -> Vec<u8> {
    let mut out = EXTERNAL_MAGIC.to_vec();
    out.extend_from_slice(postings_bytes);
    out
}

/// Decodes a whole shard into (term, entry) pairs.
pub fn decode_shard(bytes: &[u8], limit: u32) -> Result<Vec<(String, TermEntry)>, DecodeError> {
    let mut r = Reader::new(bytes);
    r.magic(SHARD_MAGIC)?;
    let n = r.varint()? as usize;
    if n > bytes.len() {
        return err("term count larger than the file");
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.varint()? as usize;
        let term = std::str::from_utf8(r.take(len)?).map_err(|_| DecodeError("term is not UTF-8".into()))?;
        let entry = match r.byte()? {
            0 => TermEntry::Inline(Postings::decode(&mut r, limit)?),
            1 => TermEntry::External(r.varint_u32()?),
            _ => return err("unknown term entry kind"),
        };
        out.push((term.to_string(), entry));
    }
    Ok(out)
}

pub fn decode_external(bytes: &[u8], limit: u32) -> Result<Postings, DecodeError> {
    let mut r = Reader::new(bytes);
    r.magic(EXTERNAL_MAGIC)?;
    Postings::decode(&mut r, limit)
}

/// FNV-1a, 32 bits: the bucket of a term is `term_hash(term) % shard_count`.
pub fn term_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for b in term.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docsets_round_trip_as_list_and_bitmap() {
        let mut mixed: Vec<u32> = (100..900).collect();
        mixed.extend([950, 952, 954]);
        mixed.extend(2000..2100);
        let sparse: Vec<u32> = (0..4000).map(|i| i * 2).collect();
        for docs in [vec![], vec![0], vec![3, 9, 700_000], (0..5000).collect::<Vec<u32>>(), mixed, sparse] {
            let mut buf = Vec::new();
            encode_docset(&mut buf, &docs);
            let back = decode_docset(&mut Reader::new(&buf), 1_000_000).unwrap();
            assert_eq!(back, docs);
        }
        let mut dense = Vec::new();
        encode_docset(&mut dense, &(0..8000).map(|i| i * 2).collect::<Vec<u32>>());
        assert_eq!(dense[0], SET_BITMAP);
        assert!(dense.len() < 2010, "dense set should be a bitmap, got {} bytes", dense.len());
        let mut run = Vec::new();
        encode_docset(&mut run, &(0..100_000).collect::<Vec<u32>>());
        assert_eq!(run[0], SET_RUNS);
        assert!(run.len() < 8, "one run should take a few bytes, got {}", run.len());
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let mut buf = Vec::new();
        encode_docset(&mut buf, &[1, 2, 50]);
        assert!(decode_docset(&mut Reader::new(&buf), 10).is_err(), "50 is beyond a 10-doc catalog");
        assert!(decode_docset(&mut Reader::new(&buf[..buf.len() - 1]), 100).is_err());
        assert!(decode_shard(b"KFT1\xff\xff\xff\xff\x0f", 10).is_err());
        assert!(decode_shard(b"nope", 10).is_err());
        assert!(decode_external(b"KFX1\x07", 10).is_err());
    }

    #[test]
    fn shards_round_trip() {
        let mut p = Postings::default();
        p.by_class[0] = vec![1, 4];
        p.by_class[3] = vec![2];
        let mut bytes = Vec::new();
        p.encode(&mut bytes);
        let shard = encode_shard(&[("公交".into(), ShardSlot::Inline(bytes)), ("市".into(), ShardSlot::External(7))]);
        let back = decode_shard(&shard, 10).unwrap();
        assert_eq!(back[0], ("公交".to_string(), TermEntry::Inline(p)));
        assert_eq!(back[1], ("市".to_string(), TermEntry::External(7)));
    }
}
