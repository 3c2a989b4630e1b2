//! CKAN API JSON → source folder: `package_show` (one package), `package_search`
//! (`result.results`), or a list of packages, with or without the `{"success", "result"}`
//! envelope. Understands core CKAN fields, the `extras` written by ckanext-dcat
//! (`dcat_issued`, `dcat_publisher_name` …) and ckanext-dcat's DCAT-AP schema fields
//! (`issued`, `frequency`, `access_rights`, `publisher`, `contact`, `temporal_coverage` …).

use super::mapping::Publisher;
use super::{link, make_id, portal, s, strings, unmapped, Draft, Imported};
use crate::catalog::vocab;
use anyhow::bail;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

const KNOWN: &[&str] = &[
    "id",
    "name",
    "title",
    "notes",
    "url",
    "tags",
    "groups",
    "organization",
    "owner_org",
    "extras",
    "resources",
    "license_id",
    "license_title",
    "license_url",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
    "metadata_created",
    "metadata_modified",
    "issued",
    "modified",
    "version",
    "frequency",
    "access_rights",
    "publisher",
    "contact",
    "temporal_coverage",
    "spatial_coverage",
    "theme",
    "identifier",
    "private",
    "state",
    "type",
    "num_tags",
    "num_resources",
    "isopen",
    "creator_user_id",
    "relationships_as_object",
    "relationships_as_subject",
];

/// Extras that are mapped (others are reported).
const KNOWN_EXTRAS: &[&str] = &[
    "dcat_issued",
    "dcat_modified",
    "dcat_publisher_name",
    "dcat_publisher_email",
    "guid",
    "frequency",
    "access_rights",
    "spatial_text",
    "temporal_start",
    "temporal_end",
    "identifier",
];

pub fn import(v: &Value) -> anyhow::Result<Imported> {
    let body = match v.get("result") {
        Some(r) if v.get("success").is_some() || v.get("help").is_some() => {
            if v.get("success") == Some(&Value::Bool(false)) {
                bail!("the CKAN response reports success: false ({})", v.get("error").unwrap_or(&Value::Null));
            }
            r
        }
        _ => v,
    };
    let packages: Vec<&Value> = match body {
        Value::Array(a) if a.iter().all(Value::is_string) && !a.is_empty() => {
            bail!("this is a package_list response (names only); import a package_search or package_show response instead")
        }
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if o.get("results").is_some_and(Value::is_array) => {
            o["results"].as_array().into_iter().flatten().collect()
        }
        Value::Object(o) if o.contains_key("resources") || o.contains_key("name") || o.contains_key("title") => {
            vec![body]
        }
        _ => bail!("not a CKAN package_show / package_search response"),
    };
    let mut notes = Vec::new();
    let portal = portal(None, None, None, None, &mut notes);
    let mut taken = HashSet::new();
    let mut datasets = Vec::new();
    for (i, p) in packages.iter().enumerate() {
        let Some(obj) = p.as_object() else { bail!("package [{i}] is not a JSON object") };
        datasets.push(package(p, obj, &mut taken));
    }
    Ok(Imported { portal, datasets, notes })
}

fn extras(p: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    for e in p.get("extras").and_then(Value::as_array).into_iter().flatten() {
        if let (Some(k), Some(v)) = (s(e, "key"), e.get("value")) {
            m.insert(k.to_string(), v.clone());
        }
    }
    m
}

fn package(p: &Value, obj: &Map<String, Value>, taken: &mut HashSet<String>) -> Draft {
    let ex = Value::Object(extras(p));
    let origin = s(p, "name").or(s(p, "id")).unwrap_or("(unnamed package)").to_string();
    let mut d = Draft::new(origin.clone());
    d.set("id", json!(make_id(&origin, s(p, "title").unwrap_or(""), taken)));
    d.text("title", s(p, "title"));
    d.text("description", s(p, "notes"));
    let tags = list(p, "tags").filter_map(|t| s(t, "display_name").or(s(t, "name")).map(String::from));
    d.set("keywords", json!(tags.collect::<Vec<_>>()));
    domain(&mut d, p);
    department_and_contact(&mut d, p, &ex);
    open_attribute(&mut d, p, &ex);
    d.text(
        "license",
        s(p, "license_title")
            .or(s(p, "license_id"))
            .or(p.get("resources").and_then(|r| r.get(0)).and_then(|r| s(r, "license"))),
    );
    d.dates(
        (s(p, "issued").or(s(&ex, "dcat_issued")).or(s(p, "metadata_created")), "issued"),
        (s(p, "modified").or(s(&ex, "dcat_modified")).or(s(p, "metadata_modified")), "modified"),
    );
    d.frequency(s(p, "frequency").or(s(&ex, "frequency")), "frequency");
    d.version(s(p, "version"), "version");
    period_and_place(&mut d, p, &ex);
    d.text("landing_page", s(p, "url"));
    d.note("security level (安全级别) and region: CKAN has no such fields; set them by hand");
    let (links, access) = resources(&mut d, p);
    d.remote(links, access, "resource");
    let mut rest = unmapped(obj, KNOWN);
    let extra_keys = ex.as_object().into_iter().flatten().map(|(k, _)| k);
    rest.extend(extra_keys.filter(|k| !KNOWN_EXTRAS.contains(&k.as_str())).map(|k| format!("extras.{k}")));
    d.not_mapped(&rest);
    d
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// Domain: the first CKAN group, else the DCAT theme (an IRI: its last segment).
fn domain(d: &mut Draft, p: &Value) {
    let groups: Vec<String> = list(p, "groups")
        .filter_map(|g| s(g, "display_name").or(s(g, "title")).or(s(g, "name")).map(String::from))
        .collect();
    let themes = strings(p, "theme");
    match groups.first() {
        Some(g) => d.set("theme", json!(g)),
        None => d.domain_from_themes(&themes[..themes.len().min(1)], "theme"),
    }
    if groups.len() + themes.len() > 1 {
        d.note("only the first group/theme became the domain; the others are not mapped");
    }
}

/// Source department: the organisation, else the DCAT publisher. Contact: contact[0], the
/// maintainer, the author, the publisher.
fn department_and_contact(d: &mut Draft, p: &Value, ex: &Value) {
    let first_publisher = p.get("publisher").and_then(|x| x.get(0).or(Some(x)));
    let publisher_name = p
        .get("organization")
        .and_then(|o| s(o, "title").or(s(o, "name")))
        .or(s(ex, "dcat_publisher_name"))
        .or(first_publisher.and_then(|x| s(x, "name")));
    if let Some(name) = publisher_name {
        d.publisher(Publisher { id: p.get("organization").and_then(|o| s(o, "name")), name, name_en: None });
    }
    let c0 = p.get("contact").and_then(|c| c.get(0)).cloned().unwrap_or(Value::Null);
    let name = s(&c0, "name").or(s(p, "maintainer")).or(s(p, "author")).or(publisher_name);
    let email = s(&c0, "email")
        .or(s(p, "maintainer_email"))
        .or(s(p, "author_email"))
        .or(s(ex, "dcat_publisher_email"))
        .or(p.get("publisher").and_then(|x| x.get(0)).and_then(|x| s(x, "email")));
    d.contact(name, email, None);
    if p.get("contact").and_then(Value::as_array).is_some_and(|c| c.len() > 1) {
        d.note("contact: only the first contact is kept");
    }
}

/// Open attribute: access_rights when it names one; a private package is not public.
fn open_attribute(d: &mut Draft, p: &Value, ex: &Value) {
    let rights = s(p, "access_rights").or(s(ex, "access_rights"));
    match rights.and_then(vocab::open_kind_from_access_rights) {
        Some(kind) => d.set("open", json!({"kind": kind.as_str()})),
        None if p.get("private") == Some(&Value::Bool(true)) => {
            d.note("private package: open attribute left out (restricted? closed?); decide and add the legal basis")
        }
        None => match rights {
            Some(r) => d.note(format!(
                "access_rights “{r}” does not name public / restricted / non-public; open attribute left out"
            )),
            None => d.note("no access rights stated: open attribute left out"),
        },
    }
    if !strings(p, "applicable_legislation").is_empty() {
        d.note("applicable_legislation: listed in the source; copy it into open.legal_basis if the data is restricted");
    }
}

fn period_and_place(d: &mut Draft, p: &Value, ex: &Value) {
    let tc: Vec<&Value> = list(p, "temporal_coverage").collect();
    let (start, end) = match tc.first() {
        Some(t) => (s(t, "start"), s(t, "end")),
        None => (s(ex, "temporal_start"), s(ex, "temporal_end")),
    };
    d.temporal(start, end);
    if tc.len() > 1 {
        d.note("temporal_coverage: only the first period is kept");
    }
    let first_place = p.get("spatial_coverage").and_then(|x| x.get(0));
    d.text("spatial", first_place.and_then(|x| s(x, "text")).or(s(ex, "spatial_text")));
    if first_place.is_some_and(|x| x.get("geom").is_some() || x.get("bbox").is_some()) {
        d.note("spatial_coverage geometry (geom/bbox/centroid): not mapped; only its text is kept");
    }
}

/// Resources: remote files become links, APIs become access methods.
fn resources(d: &mut Draft, p: &Value) -> (Vec<Value>, Vec<Value>) {
    let (mut links, mut access) = (Vec::new(), Vec::new());
    for r in list(p, "resources") {
        let fmt = s(r, "format").and_then(vocab::format_name);
        for svc in list(r, "access_services") {
            access.extend(strings(svc, "endpoint_url").into_iter().map(|e| json!({"kind": "api", "endpoint": e})));
        }
        match s(r, "download_url").or(s(r, "url")) {
            Some(u) if fmt.as_deref() == Some("API") => access.push(json!({"kind": "api", "endpoint": u})),
            Some(u) => links.push(link(s(r, "name").or(s(r, "description")), u, fmt, s(r, "mimetype"))),
            None => d.note("a resource without url: not mapped"),
        }
        if let Some(h) = s(r, "hash") {
            let algorithm = s(r, "hash_algorithm").unwrap_or("algorithm unknown");
            d.note(format!("resource hash {h} ({algorithm}): not a recorded sha256 of a local file; not mapped"));
        }
    }
    (links, access)
}
