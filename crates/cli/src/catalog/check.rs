//! `kaifang catalog check`: reads a source folder, runs the rules of kaifang_core::check
//! over every description, reads every data file once (size, sha256, UTF-8 or not), and optionally
//! records the checksums back into the descriptions (`--update-checksums`).
//! `build` runs the same pass and refuses to write a catalog while any error remains.

use super::source::{read_datasets, read_portal, RawFile};
use anyhow::Context;
use kaifang_core::catalog::{Dataset, Date, Portal};
use kaifang_core::check::{
    check_dataset, check_file_digest, check_file_encoding, check_portal, check_unique_ids, has_errors, Problem, Rule,
    Severity, SourceFile, TextFacts,
};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write each data file's current `byte_size` and `sha256` into its description
    /// instead of reporting a difference.
    pub update_checksums: bool,
    /// Dates after this day are errors; `None` skips that rule (tests pin it).
    pub today: Option<Date>,
}

/// A data file that exists, with what was measured.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub entry: SourceFile,
    pub path: PathBuf,
    pub byte_size: u64,
    pub sha256: String,
}

/// A dataset that passed the checks, ready to build.
#[derive(Debug, Clone)]
pub struct Checked {
    pub dataset: Dataset,
    pub files: Vec<ReadFile>,
}

pub struct Outcome {
    pub portal: Option<Portal>,
    /// Datasets without errors (all of them when `problems` holds no error).
    pub datasets: Vec<Checked>,
    pub problems: Vec<Problem>,
    pub descriptions: usize,
    /// Descriptions whose checksums `--update-checksums` rewrote.
    pub updated: Vec<String>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.problems)
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == severity).count()
    }
    /// One line per problem, then a summary line.
    pub fn render(&self) -> String {
        self.render_at_most(usize::MAX)
    }

    /// Like `render`, but lists at most `limit` problems (errors first), for `build` over
    /// large generated catalogs; `check` lists them all.
    pub fn render_at_most(&self, limit: usize) -> String {
        let mut out = String::new();
        let mut ordered: Vec<&Problem> = self.problems.iter().filter(|p| p.severity == Severity::Error).collect();
        ordered.extend(self.problems.iter().filter(|p| p.severity != Severity::Error));
        for p in ordered.iter().take(limit) {
            out.push_str(&p.to_string());
            out.push('\n');
        }
        if ordered.len() > limit {
            out.push_str(&format!("… and {} more (run `kaifang catalog check` for all)\n", ordered.len() - limit));
        }
        out.push_str(&format!(
            "{} dataset descriptions: {} errors, {} warnings\n",
            self.descriptions,
            self.count(Severity::Error),
            self.count(Severity::Warning)
        ));
        out
    }
}

pub fn check_source(source: &Path, opts: &Options) -> anyhow::Result<Outcome> {
    let mut problems = Vec::new();
    let portal_file = read_portal(source)?;
    let portal = match &portal_file.value {
        Ok(v) => {
            let (portal, mut p) = check_portal(&portal_file.rel, v);
            problems.append(&mut p);
            portal
        }
        Err(e) => {
            problems.push(syntax(&portal_file, e));
            None
        }
    };

    let raws = read_datasets(source)?;
    let ids: Vec<(String, String)> = raws
        .iter()
        .filter_map(|r| {
            let id = r.value.as_ref().ok()?.get("id")?.as_str()?;
            Some((r.rel.clone(), id.to_string()))
        })
        .collect();
    problems.extend(check_unique_ids(ids.iter().map(|(f, i)| (f.as_str(), i.as_str()))));

    let mut datasets = Vec::new();
    let mut updated = Vec::new();
    let mut referenced = std::collections::HashSet::new();
    for raw in &raws {
        let value = match &raw.value {
            Ok(v) => v,
            Err(e) => {
                problems.push(syntax(raw, e));
                continue;
            }
        };
        let checked = check_dataset(&raw.rel, &raw.stem, value, opts.today.as_ref());
        let mut own = checked.problems;
        let mut files = Vec::new();
        let mut records = Vec::new();
        for (i, entry) in checked.files.iter().enumerate() {
            let path = source.join(&entry.file);
            referenced.insert(path.clone());
            match digest(&path) {
                Ok((size, sha, facts)) => {
                    own.extend(check_file_encoding(&raw.rel, i, entry, facts));
                    let recorded = entry.byte_size == Some(size) && entry.sha256.as_deref() == Some(sha.as_str());
                    if opts.update_checksums && !recorded {
                        records.push((i, size, sha.clone()));
                    } else {
                        own.extend(check_file_digest(&raw.rel, i, entry, Ok((size, &sha))));
                    }
                    files.push(ReadFile { entry: entry.clone(), path, byte_size: size, sha256: sha });
                }
                Err(e) => own.extend(check_file_digest(&raw.rel, i, entry, Err(&e.to_string()))),
            }
        }
        if !records.is_empty() {
            record_checksums(&raw.path, &records).with_context(|| format!("recording checksums in {}", raw.rel))?;
            updated.push(raw.rel.clone());
        }
        let ok = !has_errors(&own);
        problems.append(&mut own);
        if let (true, Some(dataset)) = (ok, checked.dataset) {
            datasets.push(Checked { dataset, files });
        }
    }
    problems.extend(unreferenced_files(source, &referenced));
    // Grouped by file, errors first, so a maintainer can work through one file at a time.
    problems.sort_by(|a, b| a.file.cmp(&b.file).then(a.severity.cmp(&b.severity)));
    Ok(Outcome { portal, datasets, problems, descriptions: raws.len(), updated })
}

fn syntax(raw: &RawFile, message: &str) -> Problem {
    Problem {
        severity: Severity::Error,
        rule: Rule::Syntax,
        file: raw.rel.clone(),
        field: String::new(),
        message: message.into(),
    }
}

/// Rewrites `byte_size`/`sha256` of the given `[[files]]` entries, keeping the rest of the
/// file (comments, order, layout) as the maintainer wrote it.
fn record_checksums(path: &Path, records: &[(usize, u64, String)]) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let bom = text.starts_with('\u{feff}');
    let mut doc: toml_edit::DocumentMut = text.trim_start_matches('\u{feff}').parse()?;
    let files = doc.get_mut("files").context("no `files` entry")?;
    for (i, size, sha) in records {
        let size = i64::try_from(*size).context("file too large to record")?;
        if let Some(tables) = files.as_array_of_tables_mut() {
            let t = tables.get_mut(*i).context("files entry vanished")?;
            t["byte_size"] = toml_edit::value(size);
            t["sha256"] = toml_edit::value(sha.as_str());
        } else if let Some(array) = files.as_array_mut() {
            let t = array.get_mut(*i).and_then(|v| v.as_inline_table_mut()).context("files entry is not a table")?;
            t.insert("byte_size", size.into());
            t.insert("sha256", sha.as_str().into());
        }
    }
    let mut out = doc.to_string();
    if bom {
        out.insert(0, '\u{feff}');
    }
    std::fs::write(path, out)?;
    Ok(())
}

/// Size, sha256 and encoding facts of a file, in one streaming pass.
pub fn digest(path: &Path) -> std::io::Result<(u64, String, TextFacts)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    let mut utf8 = Utf8Scan::default();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
        utf8.feed(&buf[..n]);
    }
    Ok((size, hex(&hasher.finalize()), utf8.finish()))
}

/// UTF-8 validation across chunk boundaries (a character may straddle two reads).
#[derive(Default)]
struct Utf8Scan {
    pending: Vec<u8>,
    invalid: bool,
    non_ascii: bool,
}

impl Utf8Scan {
    fn feed(&mut self, chunk: &[u8]) {
        self.non_ascii |= !chunk.is_ascii();
        if self.invalid || (self.pending.is_empty() && chunk.is_ascii()) {
            return;
        }
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        if let Err(e) = std::str::from_utf8(&data) {
            match e.error_len() {
                // An incomplete character at the end: keep it for the next chunk.
                None => self.pending = data[e.valid_up_to()..].to_vec(),
                Some(_) => self.invalid = true,
            }
        }
    }
    fn finish(self) -> TextFacts {
        TextFacts { valid_utf8: !self.invalid && self.pending.is_empty(), non_ascii: self.non_ascii }
    }
}

/// Files under `files/` that no description names: forgotten uploads, or a typo in a path.
fn unreferenced_files(source: &Path, referenced: &std::collections::HashSet<PathBuf>) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut stack = vec![source.join("files")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !referenced.contains(&p) {
                let rel = p.strip_prefix(source).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                out.push(Problem {
                    severity: Severity::Warning,
                    rule: Rule::UnreferencedFile,
                    file: rel,
                    field: String::new(),
                    message: "no dataset description lists this file under [[files]]; it is not published".into(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
