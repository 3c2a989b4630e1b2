//! DCAT-US 1.1 (Project Open Data `data.json`) → source folder.
//!
//! Accepts a catalog (`{"dataset": [...]}`, also as JSON-LD with `@context`), a bare list
//! of dataset records, or one record. `accessLevel` public / restricted public / non-public
//! maps onto unconditional / conditional / closed, `rights` onto the legal basis. Kaifang's
//! extension fields (written by our exporter) are read when present.

use super::{date_part, department, link, make_id, portal, s, strings, unmapped, Draft, Imported};
use crate::catalog::vocab;
use anyhow::bail;
use kaifang_core::catalog::OpenKind;
use serde_json::{json, Value};
use std::collections::HashSet;

const KNOWN: &[&str] = &[
    "identifier",
    "title",
    "description",
    "keyword",
    "theme",
    "publisher",
    "contactPoint",
    "accessLevel",
    "rights",
    "license",
    "issued",
    "modified",
    "accrualPeriodicity",
    "temporal",
    "spatial",
    "landingPage",
    "distribution",
    // Kaifang extensions
    "sourceDepartment",
    "provider",
    "conditions",
    "securityLevel",
    "region",
    "version",
    "status",
    "statusNote",
    "statusSince",
    "emergency",
    "usageRequirements",
    "titleEn",
    "fields",
    "accessMethods",
    "history",
];

pub fn import(v: &Value) -> anyhow::Result<Imported> {
    let records: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if o.contains_key("dataset") => match &o["dataset"] {
            Value::Array(a) => a.iter().collect(),
            _ => bail!("`dataset` must be a list of dataset records"),
        },
        Value::Object(o) if o.contains_key("title") => vec![v],
        _ => bail!("not a DCAT-US catalog: expected {{\"dataset\": [...]}}, a list of datasets, or one dataset"),
    };
    let mut notes = Vec::new();
    let publisher = v
        .get("publisher")
        .and_then(|p| p.as_str().or_else(|| s(p, "name")));
    let url = s(v, "homepage")
        .or(s(v, "@id").map(|u| u.trim_end_matches("data.json").trim_end_matches('/')));
    let mut portal = portal(
        s(v, "title"),
        publisher,
        url,
        s(v, "defaultLicense"),
        &mut notes,
    );
    super::portal_extras(
        &mut portal,
        s(v, "titleEn"),
        s(v, "jurisdiction"),
        s(v, "intake"),
        &mut notes,
    );
    let mut taken = HashSet::new();
    let mut datasets = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if !r.is_object() {
            bail!("dataset[{i}] is not a JSON object");
        }
        datasets.push(dataset(r, &mut taken));
    }
    Ok(Imported {
        portal,
        datasets,
        notes,
    })
}

fn dataset(r: &Value, taken: &mut HashSet<String>) -> Draft {
    let origin = s(r, "identifier")
        .or(s(r, "@id"))
        .unwrap_or("(no identifier)")
        .to_string();
    let mut d = Draft::new(origin.clone());
    let id = make_id(
        s(r, "identifier").unwrap_or(""),
        s(r, "title").unwrap_or(""),
        taken,
    );
    d.set("id", json!(id));
    d.text("title", s(r, "title"));
    d.text("title_en", s(r, "titleEn"));
    d.text("description", s(r, "description"));
    let mut keywords = strings(r, "keyword");
    let themes = strings(r, "theme");
    if let Some(first) = themes.first() {
        d.set("theme", json!(first));
        if themes.len() > 1 {
            d.note(format!(
                "theme: only one domain per dataset; {} added to keywords",
                themes[1..].join(", ")
            ));
            keywords.extend(themes[1..].iter().cloned());
        }
    }
    d.set("keywords", json!(keywords));

    // Source department: the extension when present, else the publisher.
    if let Some(dep) = r.get("sourceDepartment").filter(|x| x.is_object()) {
        d.set("publisher", dep.clone());
    } else if let Some(name) = r.get("publisher").and_then(|p| s(p, "name")) {
        d.set("publisher", department(None, name));
        d.note(format!("publisher “{name}” taken as the source department (数源部门) with a derived id; confirm it"));
        if r["publisher"].get("subOrganizationOf").is_some() {
            d.note("publisher.subOrganizationOf (parent organisations): not mapped");
        }
    }
    d.text("provider", s(r, "provider"));

    // Contact.
    let cp = r.get("contactPoint").cloned().unwrap_or(Value::Null);
    let mut contact = serde_json::Map::new();
    if let Some(n) = s(&cp, "fn") {
        contact.insert("name".into(), json!(n));
    }
    if let Some(e) = s(&cp, "hasEmail") {
        contact.insert("email".into(), json!(e.trim_start_matches("mailto:")));
    }
    if let Some(p) = s(&cp, "hasTelephone") {
        contact.insert("phone".into(), json!(p.trim_start_matches("tel:")));
    }
    if !contact.contains_key("name") {
        if let Some(p) = r.get("publisher").and_then(|p| s(p, "name")) {
            contact.insert("name".into(), json!(p));
            if let Some(m) = r["publisher"]
                .get("mbox")
                .and_then(Value::as_str)
                .filter(|m| !m.is_empty())
            {
                contact
                    .entry("email")
                    .or_insert(json!(m.trim_start_matches("mailto:")));
            }
            d.note("contactPoint: none given; the publisher is used as the contact");
        }
    }
    if !contact.is_empty() {
        d.set("contact_point", Value::Object(contact));
    }

    // Open attribute (B1).
    match s(r, "accessLevel").map(|a| (a, vocab::open_kind_from_access_level(a))) {
        Some((_, Some(kind))) => {
            let mut open = json!({"kind": kind.as_str()});
            if kind != OpenKind::Unconditional {
                if let Some(basis) = s(r, "rights") {
                    open["legal_basis"] = json!(basis);
                }
            }
            if kind == OpenKind::Conditional {
                let c = strings(r, "conditions");
                if !c.is_empty() {
                    open["conditions"] = json!(c);
                }
            }
            d.set("open", open);
        }
        Some((other, None)) => d.note(format!("accessLevel “{other}” is not public / restricted public / non-public; open attribute left out")),
        None => d.note("accessLevel: not given; open attribute left out"),
    }
    if s(r, "accessLevel") == Some("public") && s(r, "rights").is_some() {
        d.note("rights: a statement on public data; not mapped");
    }
    let dist_license = r
        .get("distribution")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|x| s(x, "license"));
    if !d.text("license", s(r, "license")) && d.text("license", dist_license) {
        d.note("license: taken from a distribution");
    }
    d.date("issued", s(r, "issued"), "issued");
    d.date("modified", s(r, "modified"), "modified");
    if !d.has("issued") {
        if let Some(m) = d.get("modified").cloned() {
            d.set("issued", m);
            d.note("issued: not given; the modified date is used");
        }
    }
    if !d.has("modified") {
        if let Some(i) = d.get("issued").cloned() {
            d.set("modified", i);
        }
    }
    if let Some(p) = s(r, "accrualPeriodicity") {
        match vocab::frequency_from_any(p) {
            Some(f) => d.set("accrual_periodicity", json!(f.as_str())),
            None => {
                d.note(format!("accrualPeriodicity “{p}”: not a known frequency; left out"));
                d.unread_frequency = Some(p.to_string());
            }
        }
    }
    if let Some(t) = s(r, "temporal") {
        let mut parts = t.splitn(2, '/');
        let (a, b) = (
            parts.next().and_then(date_part),
            parts.next().and_then(date_part),
        );
        if a.is_none() && b.is_none() {
            d.note(format!(
                "temporal “{t}”: not a start/end pair of dates; not mapped"
            ));
        } else {
            d.set("temporal", json!({"start": a, "end": b}));
        }
    }
    match r.get("spatial") {
        Some(Value::String(sp)) if !sp.trim().is_empty() => d.set("spatial", json!(sp.trim())),
        Some(Value::Null) | None => {}
        Some(_) => d.note("spatial: a geometry, not a place name; not mapped"),
    }
    d.text("landing_page", s(r, "landingPage"));

    // Kaifang extensions.
    if let Some(l) = r.get("securityLevel").and_then(Value::as_u64) {
        d.set("security_level", json!(l));
    } else {
        d.note("security level (安全级别): DCAT-US has no such term; set it by hand");
    }
    if let Some(reg) = r.get("region").filter(|x| x.is_object()) {
        d.set("region", reg.clone());
    }
    match s(r, "version") {
        Some(v) => d.set("version", json!(v)),
        None => {
            d.set("version", json!("1.0"));
            d.note("version: not given; set to 1.0");
        }
    }
    d.text("status", s(r, "status"));
    d.text("status_note", s(r, "statusNote"));
    d.text("status_since", s(r, "statusSince"));
    if r.get("emergency").and_then(Value::as_bool) == Some(true) {
        d.set("emergency", json!(true));
    }
    d.text("usage_requirements", s(r, "usageRequirements"));
    for (from, to) in [("fields", "fields"), ("history", "history")] {
        if let Some(a) = r
            .get(from)
            .filter(|x| x.as_array().is_some_and(|a| !a.is_empty()))
        {
            d.set(to, a.clone());
        }
    }
    let explicit_access = r.get("accessMethods").filter(|x| x.is_array()).cloned();

    // Distributions: remote files become links; API access URLs become access methods.
    let mut links = Vec::new();
    let mut access = Vec::new();
    for (i, dist) in r
        .get("distribution")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let title = s(dist, "title");
        let fmt = s(dist, "format")
            .and_then(vocab::format_name)
            .or_else(|| s(dist, "mediaType").and_then(vocab::format_name));
        if let Some(url) = s(dist, "downloadURL") {
            links.push(link(title, url, fmt, s(dist, "mediaType")));
        } else if let Some(url) = s(dist, "accessURL") {
            access.push(json!({"kind": "api", "endpoint": url}));
        } else {
            d.note(format!(
                "distribution[{i}]: neither downloadURL nor accessURL; not mapped"
            ));
        }
    }
    if !links.is_empty() {
        d.note(format!(
            "{} remote file(s) listed under `links` (not mirrored, so no checksum)",
            links.len()
        ));
        d.set("links", json!(links));
    }
    match explicit_access {
        Some(a) => d.set("access", a),
        None if !access.is_empty() => d.set("access", json!(access)),
        None => {}
    }

    let rest = unmapped(r.as_object().expect("checked object"), KNOWN);
    if !rest.is_empty() {
        d.note(format!("not mapped: {}", rest.join(", ")));
    }
    d
}
