//! `kaifang catalog import --from …`: foreign catalogs → a Kaifang source folder
//! (`portal.toml`, `datasets/<id>.toml`, `files/<id>/…` where the data is local).
//!
//! Importers never invent what the regulations require: a field the foreign catalog does
//! not carry (legal basis of restricted data, security level, source department …) is
//! left out, so `kaifang catalog check` reports it, and the dataset's notes say why. Every
//! foreign field that has no place in the model is listed as "not mapped".

mod ckan;
mod dcat_ap;
mod dcat_us;
mod frictionless;
mod mapping;
pub mod rules;
mod sheet;
mod update;

use super::check::{check_source, Options};
use super::ImportFormat;
use anyhow::{bail, Context};
use kaifang_core::catalog::valid_id;
use kaifang_core::check::SourceFile;
use kaifang_core::lenient_json::{self, Repair};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One dataset on its way to `datasets/<id>.toml`.
#[derive(Debug, Default)]
pub struct Draft {
    /// The identifier in the foreign catalog, for the report.
    pub origin: String,
    /// Fields in the model's names, in the order they are written.
    fields: Vec<(String, Value)>,
    /// Data files to copy: the description entry and where the file is now.
    pub files: Vec<(SourceFile, PathBuf)>,
    /// What the maintainer must know: unmapped fields, gaps `check` will flag, guesses.
    pub notes: Vec<String>,
    /// A frequency the source states in a form not read (for the rules' `[frequency]`).
    pub unread_frequency: Option<String>,
}

/// The fields `check` requires, with the names the report gives them.
pub const REQUIRED: [(&str, &str); 12] = [
    ("title", "title"),
    ("description", "description (摘要)"),
    ("theme", "domain (数据领域)"),
    ("publisher", "source department (数源部门)"),
    ("open", "open attribute (开放属性)"),
    ("security_level", "security level (安全级别)"),
    ("region", "region"),
    ("license", "licence"),
    ("accrual_periodicity", "update frequency (更新频率)"),
    ("contact_point", "contact point"),
    ("issued", "issued"),
    ("modified", "modified"),
];

impl Draft {
    pub fn new(origin: impl Into<String>) -> Self {
        Draft { origin: origin.into(), ..Default::default() }
    }
    pub fn set(&mut self, key: &str, value: Value) {
        if value.is_null() {
            return;
        }
        if let Some(slot) = self.fields.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        } else {
            self.fields.push((key.to_string(), value));
        }
    }
    /// Sets a text field when the text is not blank.
    pub fn text(&mut self, key: &str, value: Option<&str>) -> bool {
        match value.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                self.set(key, json!(s));
                true
            }
            None => false,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    pub fn remove(&mut self, key: &str) {
        self.fields.retain(|(k, _)| k != key);
    }
    /// The fields as written, `files` (the `[[files]]` entries) last when there are any.
    pub fn imported_fields(&self) -> impl Iterator<Item = (String, Value)> + '_ {
        let files = (!self.files.is_empty()).then(|| {
            let entries = self.files.iter().map(|(e, _)| serde_json::to_value(e).expect("an entry serialises"));
            ("files".to_string(), Value::Array(entries.collect()))
        });
        self.fields.iter().cloned().chain(files)
    }
    pub fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }
    /// A date field from an ISO date or date-time; notes what it could not read.
    pub fn date(&mut self, key: &str, value: Option<&str>, from: &str) {
        let Some(v) = value.map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        match date_part(v) {
            Some(d) => self.set(key, json!(d)),
            None => self.note(format!("{from}: “{v}” is not a date; `{key}` left out")),
        }
    }
    /// Notes the gaps `check` will report, so the report says them in one place.
    pub fn note_gaps(&mut self) {
        let missing: Vec<&str> = REQUIRED.iter().filter(|(k, _)| !self.has(k)).map(|(_, w)| *w).collect();
        if !missing.is_empty() {
            self.note(format!("missing, to fill in by hand (check flags them): {}", missing.join(", ")));
        }
        if let Some(open) = self.get("open").cloned() {
            let kind = open.get("kind").and_then(Value::as_str).unwrap_or("");
            if kind != "unconditional" && open.get("legal_basis").is_none() {
                self.note(format!("{kind} data without a stated legal basis (法律依据): check flags it"));
            }
            if kind == "conditional" && open.get("conditions").is_none() {
                self.note("conditional data without conditions: check flags it");
            }
        }
    }
}

/// `YYYY-MM-DD` from a date or a date-time.
pub fn date_part(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    kaifang_core::catalog::Date::parse(d).ok().map(|d| d.to_string())
}

/// A path-safe identifier: the foreign one when it is already safe, else a slug of its
/// last URL segment, else a short hash.
pub fn make_id(origin: &str, title: &str, taken: &mut HashSet<String>) -> String {
    let candidate = if valid_id(origin) && origin.len() <= 64 {
        origin.to_string()
    } else {
        // Generic fragments (`…/<uuid>#dataset`) say nothing; the segment before them does.
        let mut segments = origin
            .trim_end_matches('/')
            .rsplit(['/', '#'])
            .filter(|s| !s.is_empty() && !matches!(*s, "dataset" | "distribution" | "catalog"));
        let last = segments.next().unwrap_or("");
        let mut slug = slug(last);
        if slug.len() < 3 {
            // `…/datasets/1` → `datasets-1`
            if let Some(prev) = segments.next().filter(|p| !p.contains(':')) {
                slug = super::import::slug(&format!("{prev}-{last}"));
            }
        }
        if slug.len() >= 2 && valid_id(&slug) {
            slug
        } else {
            slug_or_hash(if origin.is_empty() { title } else { origin }, "ds")
        }
    };
    let mut id = candidate.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{candidate}-{n}");
        n += 1;
    }
    id
}

pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

/// A slug when the text is mostly ASCII, else `prefix-` and 8 hex digits of its hash.
pub fn slug_or_hash(s: &str, prefix: &str) -> String {
    let sl = slug(s);
    if sl.len() >= 2 && s.is_ascii() {
        sl
    } else {
        let h = Sha256::digest(s.as_bytes());
        format!("{prefix}-{}", super::check::hex(&h[..4]))
    }
}

/// Everything an import produced, before it is written.
pub struct Imported {
    pub portal: Vec<(String, Value)>,
    pub datasets: Vec<Draft>,
    /// Catalog-level notes.
    pub notes: Vec<String>,
}

pub fn run(from: ImportFormat, input: &Path, out: &Path, rules: &rules::Rules) -> anyhow::Result<String> {
    let earlier = update::read_state(out)?;
    if earlier.is_none() && out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!(
            "{} exists and is not empty, and no earlier import made it ({} is missing); import into a new folder",
            out.display(),
            update::STATE_FILE
        );
    }
    let (mut imported, repairs) = match from {
        ImportFormat::DcatUs => read_json(input).and_then(|(v, r)| Ok((dcat_us::import(&v)?, r)))?,
        ImportFormat::Ckan => read_json(input).and_then(|(v, r)| Ok((ckan::import(&v)?, r)))?,
        ImportFormat::DcatAp => dcat_ap::import(input)?,
        ImportFormat::Sheet => (sheet::import(input, &rules.sheet)?, Vec::new()),
        ImportFormat::Frictionless => read_json(input).and_then(|(v, r)| Ok((frictionless::import(input, &v)?, r)))?,
    };
    let tally = rules::apply(rules, &mut imported.datasets);
    for d in &mut imported.datasets {
        d.note_gaps();
    }
    apply_portal_rules(rules, &mut imported);
    let summary = match &earlier {
        None => {
            write(&imported, out)?;
            None
        }
        Some(state) => {
            let summary = update::merge(out, &imported.datasets, state, |d| write_dataset(d, out))?;
            for d in imported.datasets.iter().filter(|d| !d.files.is_empty()) {
                copy_files(d, out)?;
            }
            Some(summary)
        }
    };
    let mut report = render_report(&imported, input, out);
    report.push_str(&render_repairs(&repairs, input));
    report.push_str(&tally.render());
    if let Some(s) = summary {
        report.push_str(&s.render());
    }
    // Local files were copied as they are: record their checksums so later changes show.
    let outcome = check_source(out, &Options { update_checksums: true, today: None })?;
    let errors = outcome.count(kaifang_core::check::Severity::Error);
    let _ = writeln!(
        report,
        "\n`kaifang catalog check {}`: {errors} errors, {} warnings — {}",
        out.display(),
        outcome.count(kaifang_core::check::Severity::Warning),
        if errors == 0 { "ready to build." } else { "fill in what is missing before building." }
    );
    std::fs::write(out.join("IMPORT-REPORT.md"), &report)?;
    update::write_state(out, &update::state_after_check(out, &imported.datasets)?)?;
    Ok(report)
}

/// A foreign JSON file, read with its local faults repaired (`lenient_json`): one lone
/// surrogate in a thousand datasets must not refuse the catalog. What is repaired is listed
/// in the report.
pub fn read_json(path: &Path) -> anyhow::Result<(Value, Vec<Repair>)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    lenient_json::parse(&bytes).with_context(|| format!("{} cannot be read", path.display()))
}

/// The report's section on repairs of the input, each with its place (the first 100).
fn render_repairs(repairs: &[Repair], input: &Path) -> String {
    const SHOWN: usize = 100;
    if repairs.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "\n## Repairs of {} ({})\n\nLocal faults in the JSON, repaired so the rest could be read; \
         the text around them may need a look.\n",
        input.display(),
        repairs.len()
    );
    for r in repairs.iter().take(SHOWN) {
        let _ = writeln!(s, "- {r}");
    }
    if repairs.len() > SHOWN {
        let _ = writeln!(s, "- … and {} more", repairs.len() - SHOWN);
    }
    s
}

/// The rules' `[portal]` fields replace what the importer found or left as placeholders.
fn apply_portal_rules(rules: &rules::Rules, imported: &mut Imported) {
    for (k, v) in &rules.portal {
        match imported.portal.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v.clone(),
            None => imported.portal.push((k.clone(), v.clone())),
        }
        imported.notes.retain(|n| !n.starts_with(&format!("portal.toml `{k}`")));
    }
}

fn render_report(imported: &Imported, input: &Path, out: &Path) -> String {
    let mut s = format!(
        "# Import report\n\nImported {} datasets from {} into {}.\n",
        imported.datasets.len(),
        input.display(),
        out.display()
    );
    for n in &imported.notes {
        let _ = writeln!(s, "- {n}");
    }
    for d in &imported.datasets {
        let id = d.get("id").and_then(Value::as_str).unwrap_or("?");
        let _ = writeln!(s, "\n## datasets/{id}.toml (from {})", d.origin);
        if d.notes.is_empty() {
            let _ = writeln!(s, "- everything mapped");
        }
        for n in &d.notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}

fn write(imported: &Imported, out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out.join("datasets"))?;
    let mut portal = toml_edit::DocumentMut::new();
    for (k, v) in &imported.portal {
        portal[k.as_str()] = toml_edit::Item::Value(to_toml(v).context("portal field")?);
    }
    let mut header = String::from("# Imported by `kaifang catalog import`; see IMPORT-REPORT.md.\n");
    for n in &imported.notes {
        let _ = writeln!(header, "# {n}");
    }
    std::fs::write(out.join("portal.toml"), format!("{header}{portal}"))?;
    for d in &imported.datasets {
        write_dataset(d, out)?;
    }
    Ok(())
}

/// Copies a draft's local files into the folder.
fn copy_files(d: &Draft, out: &Path) -> anyhow::Result<()> {
    for (entry, from) in &d.files {
        let to = out.join(&entry.file);
        std::fs::create_dir_all(to.parent().expect("file has a folder"))?;
        std::fs::copy(from, &to).with_context(|| format!("copying {}", from.display()))?;
    }
    Ok(())
}

/// `datasets/<id>.toml` for a draft, its notes as comments on top, its files copied.
fn write_dataset(d: &Draft, out: &Path) -> anyhow::Result<()> {
    let id = d.get("id").and_then(Value::as_str).context("draft without id")?;
    let mut doc = toml_edit::DocumentMut::new();
    for (k, v) in d.imported_fields() {
        set_item(&mut doc, &k, &v)?;
    }
    copy_files(d, out)?;
    let mut header = format!("# Imported from {}\n", d.origin);
    for n in &d.notes {
        let _ = writeln!(header, "# - {}", n.replace('\n', " "));
    }
    std::fs::write(out.join("datasets").join(format!("{id}.toml")), format!("{header}{doc}"))?;
    Ok(())
}

/// Sets one field of a description; `files` (a list of tables) as `[[files]]`.
pub fn set_item(doc: &mut toml_edit::DocumentMut, key: &str, v: &Value) -> anyhow::Result<()> {
    if key != "files" {
        if let Some(tv) = to_toml(v) {
            doc[key] = toml_edit::Item::Value(tv);
        }
        return Ok(());
    }
    let mut files = toml_edit::ArrayOfTables::new();
    for entry in v.as_array().context("files is a list")? {
        let mut t = toml_edit::Table::new();
        for (k, v) in entry.as_object().into_iter().flatten() {
            if let Some(tv) = to_toml(v) {
                t[k.as_str()] = toml_edit::Item::Value(tv);
            }
        }
        files.push(t);
    }
    doc["files"] = toml_edit::Item::ArrayOfTables(files);
    Ok(())
}

/// JSON → a TOML value; lists of tables are written one per line for reading.
fn to_toml(v: &Value) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64()?.into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => {
            let mut a = toml_edit::Array::new();
            let tables = items.iter().any(Value::is_object);
            for item in items {
                if let Some(mut tv) = to_toml(item) {
                    if tables {
                        tv.decor_mut().set_prefix("\n  ");
                    }
                    a.push_formatted(tv);
                }
            }
            if tables {
                a.set_trailing("\n");
                a.set_trailing_comma(true);
            }
            toml_edit::Value::Array(a)
        }
        Value::Object(m) => {
            let mut t = toml_edit::InlineTable::new();
            for (k, v) in m {
                if let Some(tv) = to_toml(v) {
                    t.insert(k, tv);
                }
            }
            toml_edit::Value::InlineTable(t)
        }
    })
}

// Small JSON helpers shared by the JSON importers.

pub fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// Text items of a list (or a single text) under `key`.
pub fn strings(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::Array(a)) => {
            a.iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
        }
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        _ => Vec::new(),
    }
}

/// Keys of `obj` not in `known` (and not JSON-LD keywords), for the "not mapped" note.
pub fn unmapped(obj: &Map<String, Value>, known: &[&str]) -> Vec<String> {
    obj.iter()
        .filter(|(k, v)| !k.starts_with('@') && !known.contains(&k.as_str()) && !is_empty(v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The file name of a URL, for titling remote distributions.
pub fn url_file_name(url: &str) -> Option<&str> {
    url.split(['?', '#']).next()?.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty() && !s.contains(':'))
}

/// A remote distribution as a `links` entry (listed, not mirrored).
pub fn link(title: Option<&str>, url: &str, format: Option<String>, media_type: Option<&str>) -> Value {
    let title =
        title.map(String::from).or_else(|| url_file_name(url).map(String::from)).unwrap_or_else(|| url.to_string());
    let mut l = json!({"title": title, "url": url});
    if let Some(f) = format {
        l["format"] = json!(f);
    }
    if let Some(m) = media_type.filter(|m| m.contains('/')) {
        l["media_type"] = json!(m);
    }
    l
}

/// The department, with a stable id derived from its name when none is given.
pub fn department(id: Option<&str>, name: &str) -> Value {
    let id = id.map(String::from).filter(|i| valid_id(i)).unwrap_or_else(|| slug_or_hash(name, "dept"));
    json!({"id": id, "name": name})
}

/// Portal fields common to all importers; `title` etc. from the foreign catalog when known.
pub fn portal(
    title: Option<&str>,
    publisher: Option<&str>,
    url: Option<&str>,
    license: Option<&str>,
    notes: &mut Vec<String>,
) -> Vec<(String, Value)> {
    let ph = kaifang_core::check::PLACEHOLDER;
    let mut p = Vec::new();
    let put = |p: &mut Vec<(String, Value)>, k: &str, v: Option<&str>, what: &str, notes: &mut Vec<String>| {
        let value = match v {
            Some(v) => v.to_string(),
            None => {
                notes.push(format!(
                    "portal.toml `{k}`: the source does not say {what}; placeholder left for check to flag"
                ));
                format!("{ph}{what}")
            }
        };
        p.push((k.to_string(), json!(value)));
    };
    put(&mut p, "name", title, "the portal's name", notes);
    put(&mut p, "publisher", publisher, "who runs the portal", notes);
    put(&mut p, "url", url.filter(|u| u.starts_with("http")), "the portal's address", notes);
    p.push(("jurisdiction".into(), json!("default")));
    p.push(("intake".into(), json!("/api/v1")));
    put(&mut p, "default_license", license, "a default licence", notes);
    notes.push("portal.toml `jurisdiction` set to `default` (no deadlines of a particular regulation); choose yunnan, xiangxi, aba or guangdong if one applies".into());
    p
}

/// A Kaifang export names its rule set and intake; use them instead of the defaults.
pub fn portal_extras(
    portal: &mut Vec<(String, Value)>,
    name_en: Option<&str>,
    jurisdiction: Option<&str>,
    intake: Option<&str>,
    notes: &mut Vec<String>,
) {
    if let Some(n) = name_en {
        portal.insert(1, ("name_en".into(), json!(n)));
    }
    for (k, v) in portal.iter_mut() {
        match (k.as_str(), jurisdiction, intake) {
            ("jurisdiction", Some(j), _) => *v = json!(j),
            ("intake", _, Some(i)) => *v = json!(i),
            _ => {}
        }
    }
    if jurisdiction.is_some() {
        notes.retain(|n| !n.contains("`jurisdiction`"));
    }
}
