//! Reading a portal's source folder: `portal.toml`, one `datasets/<id>.toml` per dataset,
//! and the data files they name.

use anyhow::{bail, Context};
use kaifang_core::catalog::{Dataset, Portal};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A data file as the maintainer describes it; size and checksum are computed at build.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceFile {
    pub title: String,
    /// Path relative to the source folder.
    pub file: PathBuf,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
}

/// One dataset description: the catalog record minus what the builder computes.
#[derive(Debug, Clone)]
pub struct SourceDataset {
    /// Where it was read from, for error messages.
    pub path: PathBuf,
    pub dataset: Dataset,
    pub files: Vec<SourceFile>,
}

pub fn read_portal(source: &Path) -> anyhow::Result<Portal> {
    let path = source.join("portal.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: not a valid portal description", path.display()))
}

pub fn read_datasets(source: &Path) -> anyhow::Result<Vec<SourceDataset>> {
    let dir = source.join("datasets");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_dataset(p)).collect()
}

fn read_dataset(path: &Path) -> anyhow::Result<SourceDataset> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut value: toml::Table =
        toml::from_str(&text).with_context(|| format!("{}: not valid TOML", path.display()))?;
    // `files` is the source-side view of `distributions`; everything else is the record.
    let files: Vec<SourceFile> = match value.remove("files") {
        Some(v) => v.try_into().with_context(|| format!("{}: field `files`", path.display()))?,
        None => Vec::new(),
    };
    if value.contains_key("distributions") {
        bail!("{}: `distributions` is computed by the builder; list data files under [[files]]", path.display());
    }
    let dataset: Dataset = toml::Value::Table(value)
        .try_into()
        .with_context(|| format!("{}: not a valid dataset description", path.display()))?;
    Ok(SourceDataset { path: path.to_path_buf(), dataset, files })
}
