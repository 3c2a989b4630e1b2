//! DCAT-US 1.1 (Project Open Data `data.json`) → source folder.
//!
//! Accepts a catalog (`{"dataset": [...]}`, also as JSON-LD with `@context`), a bare list
//! of dataset records, or one record. `accessLevel` public / restricted public / non-public
//! maps onto unconditional / conditional / closed, `rights` onto the legal basis. Kaifang's
//! extension fields (written by our exporter) are read when present.

use super::mapping::Publisher;
use super::{date_part, link, make_id, portal, s, strings, unmapped, Draft, Imported};
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
    let publisher = v.get("publisher").and_then(|p| p.as_str().or_else(|| s(p, "name")));
    let url = s(v, "homepage").or(s(v, "@id").map(|u| u.trim_end_matches("data.json").trim_end_matches('/')));
    let mut portal = portal(s(v, "title"), publisher, url, s(v, "defaultLicense"), &mut notes);
    super::portal_extras(&mut portal, s(v, "titleEn"), s(v, "jurisdiction"), s(v, "intake"), &mut notes);
    let mut taken = HashSet::new();
    let mut datasets = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if !r.is_object() {
            bail!("dataset[{i}] is not a JSON object");
        }
        datasets.push(dataset(r, &mut taken));
    }
    Ok(Imported { portal, datasets, notes })
}

fn dataset(r: &Value, taken: &mut HashSet<String>) -> Draft {
    let origin = s(r, "identifier").or(s(r, "@id")).unwrap_or("(no identifier)").to_string();
    let mut d = Draft::new(origin);
    let id = make_id(s(r, "identifier").unwrap_or(""), s(r, "title").unwrap_or(""), taken);
    d.set("id", json!(id));
    d.text("title", s(r, "title"));
    d.text("title_en", s(r, "titleEn"));
    d.text("description", s(r, "description"));
    domain_and_keywords(&mut d, r);
    department_and_contact(&mut d, r);
    open_attribute(&mut d, r);
    let dist_license = distributions(r).find_map(|x| s(x, "license"));
    if !d.text("license", s(r, "license")) && d.text("license", dist_license) {
        d.note("license: taken from a distribution");
    }
    d.dates((s(r, "issued"), "issued"), (s(r, "modified"), "modified"));
    d.frequency(s(r, "accrualPeriodicity"), "accrualPeriodicity");
    period_and_place(&mut d, r);
    d.text("landing_page", s(r, "landingPage"));
    kaifang_extensions(&mut d, r);
    d.version(s(r, "version"), "version");
    let (links, access) = files_and_apis(&mut d, r);
    let access = match r.get("accessMethods").and_then(Value::as_array) {
        Some(explicit) => explicit.clone(),
        None => access,
    };
    d.remote(links, access, "file");
    d.not_mapped(&unmapped(r.as_object().expect("checked object"), KNOWN));
    d
}

fn distributions(r: &Value) -> impl Iterator<Item = &Value> {
    r.get("distribution").and_then(Value::as_array).into_iter().flatten()
}

/// The first theme is the domain; a dataset has one, so the others join the keywords.
fn domain_and_keywords(d: &mut Draft, r: &Value) {
    let mut keywords = strings(r, "keyword");
    let themes = strings(r, "theme");
    if let Some(first) = themes.first() {
        d.set("theme", json!(first));
        if themes.len() > 1 {
            d.note(format!("theme: only one domain per dataset; {} added to keywords", themes[1..].join(", ")));
            keywords.extend(themes[1..].iter().cloned());
        }
    }
    d.set("keywords", json!(keywords));
}

/// Source department: the extension when present, else the publisher; the contact point,
/// else the publisher as the contact.
fn department_and_contact(d: &mut Draft, r: &Value) {
    let publisher = r.get("publisher").and_then(|p| s(p, "name"));
    if let Some(dep) = r.get("sourceDepartment").filter(|x| x.is_object()) {
        d.set("publisher", dep.clone());
    } else if let Some(name) = publisher {
        d.publisher(Publisher { id: None, name, name_en: None });
        if r["publisher"].get("subOrganizationOf").is_some() {
            d.note("publisher.subOrganizationOf (parent organisations): not mapped");
        }
    }
    d.text("provider", s(r, "provider"));
    let cp = r.get("contactPoint").cloned().unwrap_or(Value::Null);
    let mbox = r.get("publisher").and_then(|p| s(p, "mbox"));
    match s(&cp, "fn") {
        Some(name) => d.contact(Some(name), s(&cp, "hasEmail"), s(&cp, "hasTelephone")),
        None if publisher.is_some() => {
            d.contact(publisher, s(&cp, "hasEmail").or(mbox), s(&cp, "hasTelephone"));
            d.note("contactPoint: none given; the publisher is used as the contact");
        }
        None => {}
    }
}

/// B1: `accessLevel` public / restricted public / non-public, `rights` as the legal basis.
fn open_attribute(d: &mut Draft, r: &Value) {
    match s(r, "accessLevel").map(|a| (a, vocab::open_kind_from_access_level(a))) {
        Some((_, Some(kind))) => {
            let mut open = json!({"kind": kind.as_str()});
            if kind != OpenKind::Unconditional {
                if let Some(basis) = s(r, "rights") {
                    open["legal_basis"] = json!(basis);
                }
            }
            let conditions = strings(r, "conditions");
            if kind == OpenKind::Conditional && !conditions.is_empty() {
                open["conditions"] = json!(conditions);
            }
            d.set("open", open);
        }
        Some((other, None)) => d.note(format!(
            "accessLevel “{other}” is not public / restricted public / non-public; open attribute left out"
        )),
        None => d.note("accessLevel: not given; open attribute left out"),
    }
    if s(r, "accessLevel") == Some("public") && s(r, "rights").is_some() {
        d.note("rights: a statement on public data; not mapped");
    }
}

fn period_and_place(d: &mut Draft, r: &Value) {
    if let Some(t) = s(r, "temporal") {
        let mut parts = t.splitn(2, '/');
        let (a, b) = (parts.next().filter(|x| date_part(x).is_some()), parts.next().filter(|x| date_part(x).is_some()));
        if a.is_none() && b.is_none() {
            d.note(format!("temporal “{t}”: not a start/end pair of dates; not mapped"));
        }
        d.temporal(a, b);
    }
    match r.get("spatial") {
        Some(Value::String(sp)) if !sp.trim().is_empty() => d.set("spatial", json!(sp.trim())),
        Some(Value::Null) | None => {}
        Some(_) => d.note("spatial: a geometry, not a place name; not mapped"),
    }
}

/// Kaifang's own fields, which our exporter writes beside DCAT-US's.
fn kaifang_extensions(d: &mut Draft, r: &Value) {
    match r.get("securityLevel").and_then(Value::as_u64) {
        Some(l) => d.set("security_level", json!(l)),
        None => d.note("security level (安全级别): DCAT-US has no such term; set it by hand"),
    }
    if let Some(reg) = r.get("region").filter(|x| x.is_object()) {
        d.set("region", reg.clone());
    }
    d.text("status", s(r, "status"));
    d.text("status_note", s(r, "statusNote"));
    d.text("status_since", s(r, "statusSince"));
    if r.get("emergency").and_then(Value::as_bool) == Some(true) {
        d.set("emergency", json!(true));
    }
    d.text("usage_requirements", s(r, "usageRequirements"));
    for key in ["fields", "history"] {
        if let Some(a) = r.get(key).filter(|x| x.as_array().is_some_and(|a| !a.is_empty())) {
            d.set(key, a.clone());
        }
    }
}

/// Distributions: remote files become links; API access URLs become access methods.
fn files_and_apis(d: &mut Draft, r: &Value) -> (Vec<Value>, Vec<Value>) {
    let (mut links, mut access) = (Vec::new(), Vec::new());
    for (i, dist) in distributions(r).enumerate() {
        let fmt = s(dist, "format")
            .and_then(vocab::format_name)
            .or_else(|| s(dist, "mediaType").and_then(vocab::format_name));
        if let Some(url) = s(dist, "downloadURL") {
            links.push(link(s(dist, "title"), url, fmt, s(dist, "mediaType")));
        } else if let Some(url) = s(dist, "accessURL") {
            access.push(json!({"kind": "api", "endpoint": url}));
        } else {
            d.note(format!("distribution[{i}]: neither downloadURL nor accessURL; not mapped"));
        }
    }
    (links, access)
}
