//! Importing again into a source folder made by an earlier import: what changed in the
//! foreign catalog is updated, what a person edited by hand is kept — so a portal can sync
//! nightly.
//!
//! How edits are told apart: every import writes `IMPORT-STATE.json`, a sha256 (64 bits) of each
//! imported field's value per dataset (canonical JSON). On the next import a field whose
//! value in the TOML file still has the recorded hash was not touched by hand, and takes the
//! new value (or goes, when the source no longer gives it); a field whose value differs was
//! edited and is kept (reported when the source changed it too); a field never imported was
//! added by hand and is kept. The file is edited with toml_edit, so comments and layout stay.
//! Datasets are matched by id (ids derive from the foreign identifiers); a dataset the source
//! no longer has is reported, not deleted. `portal.toml` is left as it is.

use super::Draft;
use anyhow::Context;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

pub const STATE_FILE: &str = "IMPORT-STATE.json";

/// Per dataset id, per field: the hash of the value last imported.
pub type State = BTreeMap<String, BTreeMap<String, String>>;

fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect::<BTreeMap<_, _>>().into_iter().collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The first 64 bits of the sha256 of the value's canonical JSON: enough to tell a change,
/// and the state of 100,000 datasets stays a few tens of MB.
pub fn hash(v: &Value) -> String {
    let text = serde_json::to_string(&canonical(v)).expect("JSON serialises");
    super::super::check::hex(&Sha256::digest(text.as_bytes())[..8])
}

/// The state of an import: the hashes of the drafts' fields (with `files` as one field).
pub fn state_of(datasets: &[Draft]) -> State {
    datasets
        .iter()
        .filter_map(|d| {
            let id = d.get("id")?.as_str()?.to_string();
            let fields = d.imported_fields().map(|(k, v)| (k, hash(&v))).collect();
            Some((id, fields))
        })
        .collect()
}

/// The state to record once `check` has added the files' checksums to `[[files]]`: those
/// entries are recorded as they stand on disk (so the checksums do not read as hand edits;
/// `[[files]]` of imported local files follow the source).
pub fn state_after_check(out: &Path, datasets: &[Draft]) -> anyhow::Result<State> {
    let mut state = state_of(datasets);
    for d in datasets.iter().filter(|d| !d.files.is_empty()) {
        let id = d.get("id").and_then(Value::as_str).context("draft without id")?;
        let path = out.join("datasets").join(format!("{id}.toml"));
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let doc: Map<String, Value> =
            toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))?;
        if let (Some(files), Some(fields)) = (doc.get("files"), state.get_mut(id)) {
            fields.insert("files".into(), hash(files));
        }
    }
    Ok(state)
}

pub fn read_state(out: &Path) -> anyhow::Result<Option<State>> {
    let path = out.join(STATE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .map(Some)
        .with_context(|| format!("{} is damaged; remove it to import into a new folder", path.display()))
}

pub fn write_state(out: &Path, state: &State) -> anyhow::Result<()> {
    std::fs::write(out.join(STATE_FILE), serde_json::to_string_pretty(state)? + "\n")
        .context("writing the import state")
}

/// What an update did, for the report.
#[derive(Default)]
pub struct Summary {
    pub new: Vec<String>,
    pub updated: BTreeMap<String, Vec<String>>,
    pub kept: BTreeMap<String, Vec<String>>,
    pub gone: Vec<String>,
}

impl Summary {
    pub fn render(&self) -> String {
        let mut s = format!(
            "\n## Update of an earlier import\n\n{} new datasets, {} updated, {} with hand edits kept where the source changed too, {} no longer in the source (left as they are).\n",
            self.new.len(),
            self.updated.len(),
            self.kept.len(),
            self.gone.len()
        );
        for (id, fields) in &self.updated {
            let _ = writeln!(s, "- updated datasets/{id}.toml: {}", fields.join(", "));
        }
        for (id, fields) in &self.kept {
            let _ = writeln!(
                s,
                "- kept hand edits in datasets/{id}.toml although the source changed: {}",
                fields.join(", ")
            );
        }
        for id in &self.gone {
            let _ = writeln!(s, "- no longer in the source: datasets/{id}.toml");
        }
        s
    }
}

/// Merges one draft into its existing description; returns (updated, kept) field names.
fn merge_one(
    path: &Path,
    draft: &Draft,
    before: &BTreeMap<String, String>,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut doc: toml_edit::DocumentMut =
        text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
    let current: Map<String, Value> =
        toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))?;
    let new: BTreeMap<String, Value> = draft.imported_fields().collect();
    let (mut updated, mut kept) = (Vec::new(), Vec::new());
    let keys: std::collections::BTreeSet<&String> = new.keys().chain(before.keys()).collect();
    for key in keys {
        let now = current.get(key.as_str());
        let untouched = match (before.get(key.as_str()), now) {
            (Some(h), Some(v)) => *h == hash(v),
            (Some(_), None) => false, // removed by hand
            (None, now) => now.is_none(),
        };
        let incoming = new.get(key.as_str());
        if incoming.map(hash) == now.map(hash) {
            continue;
        }
        if !untouched {
            if incoming.map(hash).as_ref() != before.get(key.as_str()) {
                kept.push(key.clone());
            }
            continue;
        }
        match incoming {
            Some(v) => super::set_item(&mut doc, key, v)?,
            None => {
                doc.remove(key);
            }
        }
        updated.push(key.clone());
    }
    if !updated.is_empty() {
        std::fs::write(path, doc.to_string()).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok((updated, kept))
}

/// Updates the existing descriptions from `datasets`; writes new ones with `write_new`.
pub fn merge(
    out: &Path,
    datasets: &[Draft],
    state: &State,
    mut write_new: impl FnMut(&Draft) -> anyhow::Result<()>,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let empty = BTreeMap::new();
    for d in datasets {
        let id = d.get("id").and_then(Value::as_str).context("draft without id")?.to_string();
        let path = out.join("datasets").join(format!("{id}.toml"));
        if !path.exists() {
            write_new(d)?;
            summary.new.push(id);
            continue;
        }
        let (updated, kept) = merge_one(&path, d, state.get(&id).unwrap_or(&empty))?;
        if !updated.is_empty() {
            summary.updated.insert(id.clone(), updated);
        }
        if !kept.is_empty() {
            summary.kept.insert(id, kept);
        }
    }
    let ids: std::collections::HashSet<&str> = datasets.iter().filter_map(|d| d.get("id")?.as_str()).collect();
    summary.gone = state.keys().filter(|id| !ids.contains(id.as_str())).cloned().collect();
    Ok(summary)
}
