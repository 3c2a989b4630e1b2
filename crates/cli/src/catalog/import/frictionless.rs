//! Frictionless Data Package (`datapackage.json`) → source folder: one dataset per
//! package. Local resources are copied into `files/<id>/` and listed under `[[files]]`
//! (with their sha256 when the package records one), table schema fields become 数据项,
//! remote resources become links.

use super::mapping::Publisher;
use super::{link, make_id, portal, s, strings, unmapped, Draft, Imported};
use crate::catalog::vocab;
use anyhow::{bail, Context};
use kaifang_core::check::{safe_relative_path, SourceFile};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::Path;

const KNOWN: &[&str] = &[
    "name",
    "id",
    "title",
    "description",
    "keywords",
    "licenses",
    "resources",
    "version",
    "created",
    "last_updated",
    "homepage",
    "contributors",
    "sources",
    "profile",
    "$schema",
];

pub fn import(input: &Path, v: &Value) -> anyhow::Result<Imported> {
    let Some(obj) = v.as_object() else { bail!("datapackage.json must be a JSON object") };
    if !obj.contains_key("resources") {
        bail!("not a data package: no `resources`");
    }
    let mut notes = Vec::new();
    let portal = portal(None, None, s(v, "homepage"), None, &mut notes);
    let origin = s(v, "id").or(s(v, "name")).unwrap_or("datapackage").to_string();
    let mut d = Draft::new(origin.clone());
    let id = make_id(&origin, s(v, "title").unwrap_or(""), &mut HashSet::new());
    d.set("id", json!(id));
    d.text("title", s(v, "title").or(s(v, "name")));
    d.text("description", s(v, "description"));
    d.set("keywords", json!(strings(v, "keywords")));
    d.text("landing_page", s(v, "homepage"));
    d.version(s(v, "version"), "version");
    d.dates((s(v, "created"), "created"), (s(v, "last_updated"), "last_updated"));
    licence(&mut d, v);
    department_and_sources(&mut d, v);
    if let Some(c) = s(v, "collection") {
        d.note(format!("collection “{c}”: not a domain vocabulary; not mapped (the domain is left out)"));
    }
    d.note("update frequency, security level and region: a data package has none; set them by hand");
    let (fields, links) = resources(&mut d, v, input.parent().unwrap_or(Path::new(".")), &id)?;
    if !fields.is_empty() {
        d.set("fields", json!(fields));
    }
    let access = if d.files.is_empty() { vec![] } else { vec![json!({"kind": "download"})] };
    d.remote(links, access, "resource");
    let rest: Vec<String> = unmapped(obj, KNOWN).into_iter().filter(|k| k != "collection").collect();
    d.not_mapped(&rest);
    Ok(Imported { portal, datasets: vec![d], notes })
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// Licence; an open licence means the data is open without conditions.
fn licence(d: &mut Draft, v: &Value) {
    let licenses: Vec<&Value> = list(v, "licenses").collect();
    if let Some(l) = licenses.first() {
        d.text("license", s(l, "title").or(s(l, "name")).or(s(l, "path")));
        d.set("open", json!({"kind": "unconditional"}));
        d.note("open attribute: unconditional, because the package is published under a licence; confirm it");
        if licenses.len() > 1 {
            d.note("licenses: only the first is kept");
        }
    }
}

/// Department: a contributor with role publisher (or author); `sources` are upstream, so
/// they become the provider (提供单位), not the department.
fn department_and_sources(d: &mut Draft, v: &Value) {
    let publisher = list(v, "contributors")
        .find(|c| matches!(s(c, "role"), Some("publisher") | Some("author")))
        .and_then(|c| s(c, "title").or(s(c, "organization")));
    match publisher {
        Some(p) => {
            d.publisher(Publisher { id: None, name: p, name_en: None });
            d.contact(Some(p), None, None);
        }
        None => d.note("no contributor with role publisher: source department (数源部门) and contact left out"),
    }
    let sources: Vec<String> =
        list(v, "sources").filter_map(|x| s(x, "title").or(s(x, "name")).map(String::from)).collect();
    if !sources.is_empty() {
        d.text("provider", Some(&sources.join("；")));
        d.note(format!(
            "sources ({}) recorded as the provider (提供单位), not the source department",
            sources.join(", ")
        ));
    }
}

/// Resources: local files are copied (with their sha256 when the package states one),
/// remote ones become links; every resource's Table Schema fields are collected.
fn resources(d: &mut Draft, v: &Value, base: &Path, id: &str) -> anyhow::Result<(Vec<Value>, Vec<Value>)> {
    let (mut fields, mut links, mut names) = (Vec::new(), Vec::new(), HashSet::new());
    for (i, r) in list(v, "resources").enumerate() {
        let title = s(r, "title").or(s(r, "name")).unwrap_or("data").to_string();
        let fmt = s(r, "format").and_then(vocab::format_name);
        match s(r, "path") {
            Some(p) if p.starts_with("http://") || p.starts_with("https://") => {
                links.push(link(Some(&title), p, fmt, s(r, "mediatype")));
            }
            Some(p) => {
                let from = local_path(base, p, i)?;
                let name = p.rsplit('/').next().unwrap_or(p).to_string();
                if !names.insert(name.clone()) {
                    bail!("resources[{i}].path: two resources share the file name {name}");
                }
                let (sha256, byte_size) = checksum(d, r, i);
                let encoding = s(r, "encoding").map(str::to_ascii_lowercase);
                let file = format!("files/{id}/{name}");
                let entry = SourceFile { title, file, format: fmt, encoding, header_row: None, byte_size, sha256 };
                d.files.push((entry, from));
            }
            None => d.note(format!("resources[{i}]: inline or multi-part data (no single path); not mapped")),
        }
        fields.extend(schema_fields(d, r));
    }
    Ok((fields, links))
}

/// A resource's path, refused unless it is relative, stays inside the package's folder
/// and names a file there.
fn local_path(base: &Path, p: &str, i: usize) -> anyhow::Result<std::path::PathBuf> {
    safe_relative_path(p).map_err(anyhow::Error::msg).with_context(|| format!("resources[{i}].path"))?;
    let from = base.join(p);
    if !from.is_file() {
        bail!("resources[{i}].path: {} does not exist next to the datapackage.json", from.display());
    }
    Ok(from)
}

/// The stated sha256 (another algorithm is noted, not recorded) and size.
fn checksum(d: &mut Draft, r: &Value, i: usize) -> (Option<String>, Option<u64>) {
    let bytes = r.get("bytes").and_then(Value::as_u64);
    match s(r, "hash") {
        Some(h) if h.starts_with("sha256:") => (Some(h[7..].to_ascii_lowercase()), bytes),
        Some(h) => {
            d.note(format!("resources[{i}].hash {h}: not sha256; not recorded"));
            (None, bytes)
        }
        None => (None, bytes),
    }
}

/// A resource's Table Schema fields as the model's 数据项 (types mapped, untitled ones noted).
fn schema_fields(d: &mut Draft, r: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for f in r.get("schema").map(|sc| list(sc, "fields")).into_iter().flatten() {
        let Some(name) = s(f, "name") else { continue };
        let (ty, note) = field_type(s(f, "type").unwrap_or("string"));
        if let Some(n) = note {
            d.note(format!("field “{name}”: {n}"));
        }
        let mut field = json!({"name": name, "label": s(f, "title").unwrap_or(name), "type": ty});
        if let Some(desc) = s(f, "description") {
            field["description"] = json!(desc);
        }
        if s(f, "title").is_none() {
            d.note(format!("field “{name}”: no title; its name is used as the Chinese label (中文名称)"));
        }
        out.push(field);
    }
    out
}

/// Table Schema types → the model's field types.
fn field_type(t: &str) -> (&'static str, Option<String>) {
    match t {
        "string" | "any" => ("string", None),
        "integer" => ("integer", None),
        "number" => ("number", None),
        "boolean" => ("boolean", None),
        "date" => ("date", None),
        "datetime" => ("datetime", None),
        "geopoint" | "geojson" => ("geo", None),
        "year" => ("integer", Some("type year recorded as integer".into())),
        "time" | "yearmonth" | "duration" => ("string", Some(format!("type {t} recorded as string"))),
        other => ("string", Some(format!("type {other} recorded as string"))),
    }
}
