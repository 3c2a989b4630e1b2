//! Precompressed siblings: `x.json` is written with `x.json.gz` beside it, which
//! `kaifang serve` (tower-http `ServeDir::precompressed_gzip`) — or nginx's
//! `gzip_static`, or any static host that knows the convention — sends to browsers that
//! accept gzip. The catalog's metadata and search index shrink to a quarter or less on
//! the wire at no cost per request. Data files under `files/` never get one: they are
//! served byte-exact, with Range, because previews and download bundles check them.

use anyhow::Context;
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::Path;

/// Files smaller than this are sent as they are (a gzip header and trailer cost 18 bytes).
const MIN_BYTES: usize = 256;

/// Writes `contents` to `path`, and `path.gz` when gzip makes it smaller.
/// Returns the bytes written to `path.gz` (0 when none was).
pub fn write_with_gzip(path: &Path, contents: &[u8]) -> anyhow::Result<u64> {
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    if contents.len() < MIN_BYTES {
        return Ok(0);
    }
    let mut enc = GzEncoder::new(Vec::with_capacity(contents.len() / 3), Compression::best());
    enc.write_all(contents)?;
    let gz = enc.finish()?;
    if gz.len() + MIN_BYTES / 4 >= contents.len() {
        return Ok(0);
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    std::fs::write(&name, &gz).with_context(|| format!("writing {}", Path::new(&name).display()))?;
    Ok(gz.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn writes_a_sibling_only_when_it_saves_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let text = "{\"title\":\"公交车线路站点信息\"},".repeat(100);
        let p = dir.path().join("a.json");
        let gz_len = write_with_gzip(&p, text.as_bytes()).unwrap();
        assert!(gz_len > 0 && (gz_len as usize) < text.len() / 4);
        assert_eq!(std::fs::read(&p).unwrap(), text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(dir.path().join("a.json.gz")).unwrap()[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        // Small, or incompressible: no sibling.
        let small = dir.path().join("b.json");
        assert_eq!(write_with_gzip(&small, b"{}").unwrap(), 0);
        assert!(!dir.path().join("b.json.gz").exists());
        // xorshift64: bytes gzip cannot shrink.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 56) as u8
            })
            .collect();
        let n = dir.path().join("c.bin");
        assert_eq!(write_with_gzip(&n, &noise).unwrap(), 0);
        assert!(!dir.path().join("c.bin.gz").exists());
    }
}
