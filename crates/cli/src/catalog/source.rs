//! Reading a portal's source folder: `portal.toml`, one `datasets/<id>.toml` per dataset,
//! and the data files they name. Descriptions are read as loose JSON values so that the
//! checker (kaifang_core::check) can report every problem, not only the first.

use anyhow::Context;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One description file as read, before checking.
pub struct RawFile {
    /// Absolute (or as given) path on disk, for reading and rewriting.
    pub path: PathBuf,
    /// The path relative to the source folder, `/`-separated, for messages.
    pub rel: String,
    /// File name without `.toml`; must equal the dataset id.
    pub stem: String,
    /// The parsed content, or why it could not be parsed.
    pub value: Result<Value, String>,
}

pub fn read_portal(source: &Path) -> anyhow::Result<RawFile> {
    let path = source.join("portal.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(RawFile { value: parse_toml(&text), rel: "portal.toml".into(), stem: "portal".into(), path })
}

/// The files of `dir` ending in `.ext`, sorted by name so reports and builds are reproducible.
pub fn sorted_files(dir: &Path, ext: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Every `datasets/*.toml`, sorted by name.
pub fn read_datasets(source: &Path) -> anyhow::Result<Vec<RawFile>> {
    let paths = sorted_files(&source.join("datasets"), "toml")?;
    let mut out = Vec::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let value = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => parse_toml(text.trim_start_matches('\u{feff}')),
                Err(_) => Err("is not UTF-8 text".into()),
            },
            Err(e) => Err(format!("cannot be read: {e}")),
        };
        out.push(RawFile {
            stem: name.trim_end_matches(".toml").to_string(),
            rel: format!("datasets/{name}"),
            path,
            value,
        });
    }
    Ok(out)
}

fn parse_toml(text: &str) -> Result<Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| format!("not valid TOML: {}", e.message()))?;
    Ok(to_json(toml::Value::Table(table)))
}

/// TOML → JSON; TOML's own date values become `YYYY-MM-DD…` text, as the model expects.
pub fn to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
    }
}
