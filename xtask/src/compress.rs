//! gzip and brotli at their best settings: the bundle bench's sizes, and the `.gz`/`.br`
//! siblings written next to the built app so `kaifang serve` sends them as they are instead
//! of compressing the 2 MB wasm on every request (that took 150–250 ms of a cold page load).

use crate::proc::Result;
use std::io::Write;
use std::path::Path;

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory gzip")
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory brotli");
    out
}

/// The files a browser downloads to start the app.
pub fn is_app_asset(name: &str) -> bool {
    [".wasm", ".js", ".css", ".html"].iter().any(|ext| name.ends_with(ext))
}

/// Writes `NAME.gz` and `NAME.br` beside every app asset in `dir` and its folders (a module's
/// split parts are under `snippets/`, xtask/src/split.rs).
pub fn precompress_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_dir() {
            precompress_dir(&path)?;
            continue;
        }
        if !path.is_file() || !is_app_asset(&name) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (ext, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            let out = dir.join(format!("{name}.{ext}"));
            std::fs::write(&out, packed).map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    Ok(())
}
