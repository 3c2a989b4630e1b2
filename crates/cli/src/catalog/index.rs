//! Writing the sharded search index of a built catalog (T1). The index itself is built
//! by `kaifang_core::search::build_index` (pure); this module only puts its files on disk.

use anyhow::Context;
use kaifang_core::catalog::Dataset;
use kaifang_core::search::{build_index, synonyms::Synonyms, SearchManifest};
use std::path::Path;

pub struct IndexReport {
    pub manifest: SearchManifest,
    pub files: usize,
    pub bytes: u64,
    /// Bytes of the files as sent gzip-compressed (each file's `.gz` sibling, or the
    /// file itself where gzip would not make it smaller).
    pub gzip_bytes: u64,
}

/// Builds the index of `datasets` and writes it under `out/search/<hash>`, each file
/// with a precompressed `.gz` sibling where that is smaller.
pub fn write(
    out: &Path,
    datasets: &[Dataset],
    synonyms: &[Vec<String>],
    build_hash: &str,
) -> anyhow::Result<IndexReport> {
    if let Some(problem) = Synonyms::validate(synonyms).into_iter().next() {
        anyhow::bail!("portal.toml: {problem}");
    }
    let dir = format!("search/{}", &build_hash[..build_hash.len().min(12)]);
    let built = build_index(datasets, synonyms, &dir);
    let (mut bytes, mut gzip_bytes) = (0u64, 0u64);
    let mut made = std::collections::HashSet::new();
    for (path, contents) in &built.files {
        let to = out.join(path);
        let parent = to.parent().expect("index paths have a parent");
        if made.insert(parent.to_path_buf()) {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let gz = super::gzip::write_with_gzip(&to, contents)?;
        bytes += contents.len() as u64;
        gzip_bytes += if gz > 0 { gz } else { contents.len() as u64 };
    }
    Ok(IndexReport { manifest: built.manifest, files: built.files.len(), bytes, gzip_bytes })
}
