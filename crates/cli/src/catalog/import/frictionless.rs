//! Frictionless Data Package (`datapackage.json`) → source folder: one dataset per
//! package. Local resources are copied into `files/<id>/` and listed under `[[files]]`
//! (with their sha256 when the package records one), table schema fields become 数据项,
//! remote resources become links.

use super::{department, link, make_id, portal, s, strings, unmapped, Draft, Imported};
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
    let Some(obj) = v.as_object() else {
        bail!("datapackage.json must be a JSON object")
    };
    if !obj.contains_key("resources") {
        bail!("not a data package: no `resources`");
    }
    let base = input.parent().unwrap_or(Path::new("."));
    let mut notes = Vec::new();
    let portal = portal(None, None, s(v, "homepage"), None, &mut notes);
    let mut taken = HashSet::new();
    let origin = s(v, "id")
        .or(s(v, "name"))
        .unwrap_or("datapackage")
        .to_string();
    let mut d = Draft::new(origin.clone());
    let id = make_id(&origin, s(v, "title").unwrap_or(""), &mut taken);
    d.set("id", json!(id));
    d.text("title", s(v, "title").or(s(v, "name")));
    d.text("description", s(v, "description"));
    d.set("keywords", json!(strings(v, "keywords")));
    d.text("landing_page", s(v, "homepage"));
    d.text("version", s(v, "version"));
    if !d.has("version") {
        d.set("version", json!("1.0"));
        d.note("version: not given; set to 1.0");
    }
    d.date(
        "modified",
        s(v, "last_updated").or(s(v, "created")),
        "last_updated",
    );
    d.date(
        "issued",
        s(v, "created").or(s(v, "last_updated")),
        "created",
    );

    // Licence; an open licence means the data is open without conditions.
    let licenses: Vec<&Value> = v
        .get("licenses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if let Some(l) = licenses.first() {
        d.text("license", s(l, "title").or(s(l, "name")).or(s(l, "path")));
        d.set("open", json!({"kind": "unconditional"}));
        d.note("open attribute: unconditional, because the package is published under a licence; confirm it");
        if licenses.len() > 1 {
            d.note("licenses: only the first is kept");
        }
    }

    // Department: a contributor with role publisher; `sources` are upstream, not departments.
    let contributors: Vec<&Value> = v
        .get("contributors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let publisher = contributors
        .iter()
        .find(|c| matches!(s(c, "role"), Some("publisher") | Some("author")))
        .and_then(|c| s(c, "title").or(s(c, "organization")));
    if let Some(p) = publisher {
        d.set("publisher", department(None, p));
        d.set("contact_point", json!({"name": p}));
    } else {
        d.note(
            "no contributor with role publisher: source department (数源部门) and contact left out",
        );
    }
    let sources: Vec<String> = v
        .get("sources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| s(x, "title").or(s(x, "name")).map(String::from))
        .collect();
    if !sources.is_empty() {
        d.text("provider", Some(&sources.join("；")));
        d.note(format!(
            "sources ({}) recorded as the provider (提供单位), not the source department",
            sources.join(", ")
        ));
    }
    if let Some(c) = s(v, "collection") {
        d.note(format!(
            "collection “{c}”: not a domain vocabulary; not mapped (the domain is left out)"
        ));
    }
    d.note(
        "update frequency, security level and region: a data package has none; set them by hand",
    );

    // Resources.
    let mut fields = Vec::new();
    let mut links = Vec::new();
    let mut names = HashSet::new();
    for (i, r) in v["resources"].as_array().into_iter().flatten().enumerate() {
        let title = s(r, "title").or(s(r, "name")).unwrap_or("data").to_string();
        let fmt = s(r, "format").and_then(vocab::format_name);
        match s(r, "path") {
            Some(p) if p.starts_with("http://") || p.starts_with("https://") => {
                links.push(link(Some(&title), p, fmt, s(r, "mediatype")));
            }
            Some(p) => {
                safe_relative_path(p)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("resources[{i}].path"))?;
                let from = base.join(p);
                if !from.is_file() {
                    bail!(
                        "resources[{i}].path: {} does not exist next to the datapackage.json",
                        from.display()
                    );
                }
                let name = p.rsplit('/').next().unwrap_or(p).to_string();
                if !names.insert(name.clone()) {
                    bail!("resources[{i}].path: two resources share the file name {name}");
                }
                let (sha256, byte_size) =
                    match (s(r, "hash"), r.get("bytes").and_then(Value::as_u64)) {
                        (Some(h), b) if h.starts_with("sha256:") => {
                            (Some(h[7..].to_ascii_lowercase()), b)
                        }
                        (Some(h), b) => {
                            d.note(format!("resources[{i}].hash {h}: not sha256; not recorded"));
                            (None, b)
                        }
                        (None, b) => (None, b),
                    };
                let entry = SourceFile {
                    title: title.clone(),
                    file: format!("files/{id}/{name}"),
                    format: fmt,
                    encoding: s(r, "encoding").map(str::to_ascii_lowercase),
                    header_row: None,
                    byte_size,
                    sha256,
                };
                d.files.push((entry, from));
            }
            None => d.note(format!(
                "resources[{i}]: inline or multi-part data (no single path); not mapped"
            )),
        }
        for f in r
            .get("schema")
            .and_then(|sc| sc.get("fields"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = s(f, "name") else { continue };
            let (ty, note) = field_type(s(f, "type").unwrap_or("string"));
            if let Some(n) = note {
                d.note(format!("field “{name}”: {n}"));
            }
            let mut field =
                json!({"name": name, "label": s(f, "title").unwrap_or(name), "type": ty});
            if let Some(desc) = s(f, "description") {
                field["description"] = json!(desc);
            }
            if s(f, "title").is_none() {
                d.note(format!(
                    "field “{name}”: no title; its name is used as the Chinese label (中文名称)"
                ));
            }
            fields.push(field);
        }
    }
    if !fields.is_empty() {
        d.set("fields", json!(fields));
    }
    if !links.is_empty() {
        d.set("links", json!(links));
    }
    if !d.files.is_empty() {
        d.set("access", json!([{"kind": "download"}]));
    }
    let rest = unmapped(obj, KNOWN);
    let rest: Vec<String> = rest.into_iter().filter(|k| k != "collection").collect();
    if !rest.is_empty() {
        d.note(format!("not mapped: {}", rest.join(", ")));
    }
    Ok(Imported {
        portal,
        datasets: vec![d],
        notes,
    })
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
        "time" | "yearmonth" | "duration" => {
            ("string", Some(format!("type {t} recorded as string")))
        }
        other => ("string", Some(format!("type {other} recorded as string"))),
    }
}
