//! A small binary form for what a part of a split scan hands back (see `parts`): in the app
//! a Web Worker posts it to the page as one transferable buffer. Row offsets, sort keys and
//! matches are millions of numbers, which JSON would make ten times larger and slow to read.
//! Everything is little-endian; every read is bounds-checked, so a damaged buffer is an error,
//! never a panic.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a scan part's data is damaged: {0}")]
pub struct WireError(pub String);

#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    pub fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        self.buf.reserve(v.len() * 8);
        for x in v {
            self.u64(*x);
        }
    }
    pub fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        self.buf.reserve(v.len() * 4);
        for x in v {
            self.u32(*x);
        }
    }
    pub fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        self.buf.reserve(v.len() * 8);
        for x in v {
            self.f64(*x);
        }
    }
}

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        let end =
            end.ok_or_else(|| WireError(format!("{n} bytes wanted at {}, {} there", self.pos, self.buf.len())))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    pub fn f64(&mut self) -> Result<f64, WireError> {
        Ok(f64::from_bits(self.u64()?))
    }
    /// A length that must fit what is left of the buffer at `unit` bytes an item.
    fn len(&mut self, unit: usize) -> Result<usize, WireError> {
        let n = self.u64()?;
        let left = (self.buf.len() - self.pos) as u64;
        if n.saturating_mul(unit as u64) > left {
            return Err(WireError(format!("a length of {n} with {left} bytes left")));
        }
        Ok(n as usize)
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], WireError> {
        let n = self.len(1)?;
        self.take(n)
    }
    pub fn str(&mut self) -> Result<&'a str, WireError> {
        std::str::from_utf8(self.bytes()?).map_err(|e| WireError(e.to_string()))
    }
    pub fn opt_str(&mut self) -> Result<Option<&'a str>, WireError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            t => Err(WireError(format!("option tag {t}"))),
        }
    }
    pub fn u64s(&mut self) -> Result<Vec<u64>, WireError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    pub fn u32s(&mut self) -> Result<Vec<u32>, WireError> {
        let n = self.len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }
    pub fn f64s(&mut self) -> Result<Vec<f64>, WireError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.f64()).collect()
    }
    /// A count of items of at least `unit` bytes each.
    pub fn count(&mut self, unit: usize) -> Result<usize, WireError> {
        self.len(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let mut w = Writer::new();
        w.u8(7);
        w.str("东城区");
        w.opt_str(None);
        w.u64s(&[1, u64::MAX]);
        w.f64s(&[f64::INFINITY, -0.5]);
        w.u32s(&[3]);
        let b = w.into_bytes();
        let mut r = Reader::new(&b);
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.str().unwrap(), "东城区");
        assert_eq!(r.opt_str().unwrap(), None);
        assert_eq!(r.u64s().unwrap(), vec![1, u64::MAX]);
        assert_eq!(r.f64s().unwrap(), vec![f64::INFINITY, -0.5]);
        assert_eq!(r.u32s().unwrap(), vec![3]);
        assert!(r.at_end());
        // Every truncation is an error, not a panic.
        for cut in 0..b.len() {
            let mut r = Reader::new(&b[..cut]);
            let ok = (|| -> Result<(), WireError> {
                r.u8()?;
                r.str()?;
                r.opt_str()?;
                r.u64s()?;
                r.f64s()?;
                r.u32s()?;
                Ok(())
            })();
            assert!(ok.is_err(), "cut at {cut}");
        }
        // A huge length does not allocate.
        let mut w = Writer::new();
        w.u64(u64::MAX / 2);
        assert!(Reader::new(&w.into_bytes()).u64s().is_err());
    }
}
