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
}

/// Builds the index of `datasets` and writes it under `out/search/<hash>`.
pub fn write(out: &Path, datasets: &[Dataset], synonyms: &[Vec<String>], build_hash: &str) -> anyhow::Result<IndexReport> {
    if let Some(problem) = Synonyms::validate(synonyms).into_iter().next() {
        anyhow::bail!("portal.toml: {problem}");
    }
    let dir = format!("search/{}", &build_hash[..build_hash.len().min(12)]);
    let built = build_index(datasets, synonyms, &dir);
    let mut bytes = 0u64;
    let mut made = std::collections::HashSet::new();
    for (path, contents) in &built.files {
        let to = out.join(path);
        let parent = to.parent().expect("index paths have a parent");
        if made.insert(parent.to_path_buf()) {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&to, contents).with_context(|| format!("writing {}", to.display()))?;
        bytes += contents.len() as u64;
    }
    Ok(IndexReport { manifest: built.manifest, files: built.files.len(), bytes })
}
