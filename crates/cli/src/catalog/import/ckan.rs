//! CKAN API JSON → source folder: `package_show` (one package), `package_search`
//! (`result.results`), or a list of packages, with or without the `{"success", "result"}`
//! envelope. Understands core CKAN fields, the `extras` written by ckanext-dcat
//! (`dcat_issued`, `dcat_publisher_name` …) and ckanext-dcat's DCAT-AP schema fields
//! (`issued`, `frequency`, `access_rights`, `publisher`, `contact`, `temporal_coverage` …).

use super::{date_part, department, link, make_id, portal, s, strings, unmapped, Draft, Imported};
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
                bail!(
                    "the CKAN response reports success: false ({})",
                    v.get("error").unwrap_or(&Value::Null)
                );
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
        Value::Object(o)
            if o.contains_key("resources") || o.contains_key("name") || o.contains_key("title") =>
        {
            vec![body]
        }
        _ => bail!("not a CKAN package_show / package_search response"),
    };
    let mut notes = Vec::new();
    let portal = portal(None, None, None, None, &mut notes);
    let mut taken = HashSet::new();
    let mut datasets = Vec::new();
    for (i, p) in packages.iter().enumerate() {
        let Some(obj) = p.as_object() else {
            bail!("package [{i}] is not a JSON object")
        };
        datasets.push(package(p, obj, &mut taken));
    }
    Ok(Imported {
        portal,
        datasets,
        notes,
    })
}

fn extras(p: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    for e in p
        .get("extras")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(k), Some(v)) = (s(e, "key"), e.get("value")) {
            m.insert(k.to_string(), v.clone());
        }
    }
    m
}

fn package(p: &Value, obj: &Map<String, Value>, taken: &mut HashSet<String>) -> Draft {
    let ex = Value::Object(extras(p));
    let origin = s(p, "name")
        .or(s(p, "id"))
        .unwrap_or("(unnamed package)")
        .to_string();
    let mut d = Draft::new(origin.clone());
    d.set(
        "id",
        json!(make_id(&origin, s(p, "title").unwrap_or(""), taken)),
    );
    d.text("title", s(p, "title"));
    d.text("description", s(p, "notes"));
    let keywords: Vec<String> = p
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| s(t, "display_name").or(s(t, "name")).map(String::from))
        .collect();
    d.set("keywords", json!(keywords));

    // Domain: the first CKAN group, else the DCAT theme (an IRI: its last segment).
    let groups: Vec<String> = p
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| {
            s(g, "display_name")
                .or(s(g, "title"))
                .or(s(g, "name"))
                .map(String::from)
        })
        .collect();
    let themes = strings(p, "theme");
    if let Some(g) = groups.first() {
        d.set("theme", json!(g));
    } else if let Some(t) = themes.first() {
        let short = t
            .trim_end_matches('/')
            .rsplit(['/', '#'])
            .next()
            .unwrap_or(t);
        d.set("theme", json!(short));
        d.note(format!(
            "theme: the IRI {t} became the domain “{short}”; replace it with a 数据领域"
        ));
    }
    if groups.len() + themes.len() > 1 {
        d.note("only the first group/theme became the domain; the others are not mapped");
    }

    // Source department: organisation, else the DCAT publisher.
    let publisher_name = p
        .get("organization")
        .and_then(|o| s(o, "title").or(s(o, "name")))
        .or(s(&ex, "dcat_publisher_name"))
        .or(p
            .get("publisher")
            .and_then(|x| x.get(0).or(Some(x)))
            .and_then(|x| s(x, "name")));
    if let Some(name) = publisher_name {
        let org_id = p.get("organization").and_then(|o| s(o, "name"));
        d.set("publisher", department(org_id, name));
        d.note(format!(
            "“{name}” taken as the source department (数源部门); confirm it"
        ));
    }

    // Contact: contact[0], maintainer, author, publisher email.
    let c0 = p
        .get("contact")
        .and_then(|c| c.get(0))
        .cloned()
        .unwrap_or(Value::Null);
    let name = s(&c0, "name")
        .or(s(p, "maintainer"))
        .or(s(p, "author"))
        .or(publisher_name);
    let email = s(&c0, "email")
        .or(s(p, "maintainer_email"))
        .or(s(p, "author_email"))
        .or(s(&ex, "dcat_publisher_email"))
        .or(p
            .get("publisher")
            .and_then(|x| x.get(0))
            .and_then(|x| s(x, "email")));
    if let Some(n) = name {
        let mut c = json!({"name": n});
        if let Some(e) = email {
            c["email"] = json!(e);
        }
        d.set("contact_point", c);
    }
    if p.get("contact")
        .and_then(Value::as_array)
        .is_some_and(|c| c.len() > 1)
    {
        d.note("contact: only the first contact is kept");
    }

    // Open attribute: access_rights when it names one; a private package is not public.
    let rights = s(p, "access_rights").or(s(&ex, "access_rights"));
    match rights.and_then(vocab::open_kind_from_access_rights) {
        Some(kind) => d.set("open", json!({"kind": kind.as_str()})),
        None => {
            if p.get("private") == Some(&Value::Bool(true)) {
                d.note("private package: open attribute left out (restricted? closed?); decide and add the legal basis");
            } else if let Some(r) = rights {
                d.note(format!("access_rights “{r}” does not name public / restricted / non-public; open attribute left out"));
            } else {
                d.note("no access rights stated: open attribute left out");
            }
        }
    }
    if !strings(p, "applicable_legislation").is_empty() {
        d.note("applicable_legislation: listed in the source; copy it into open.legal_basis if the data is restricted");
    }

    let license = s(p, "license_title").or(s(p, "license_id")).or(p
        .get("resources")
        .and_then(|r| r.get(0))
        .and_then(|r| s(r, "license")));
    d.text("license", license);
    d.date(
        "issued",
        s(p, "issued")
            .or(s(&ex, "dcat_issued"))
            .or(s(p, "metadata_created")),
        "issued",
    );
    d.date(
        "modified",
        s(p, "modified")
            .or(s(&ex, "dcat_modified"))
            .or(s(p, "metadata_modified")),
        "modified",
    );
    if !d.has("modified") {
        if let Some(i) = d.get("issued").cloned() {
            d.set("modified", i);
        }
    }
    if let Some(f) = s(p, "frequency").or(s(&ex, "frequency")) {
        match vocab::frequency_from_any(f) {
            Some(f) => d.set("accrual_periodicity", json!(f.as_str())),
            None => d.note(format!("frequency “{f}”: not a known frequency; left out")),
        }
    }
    match s(p, "version") {
        Some(v) => d.set("version", json!(v)),
        None => {
            d.set("version", json!("1.0"));
            d.note("version: not given; set to 1.0");
        }
    }
    let tc: Vec<&Value> = p
        .get("temporal_coverage")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let (start, end) = match tc.first() {
        Some(t) => (s(t, "start"), s(t, "end")),
        None => (s(&ex, "temporal_start"), s(&ex, "temporal_end")),
    };
    if start.is_some() || end.is_some() {
        d.set(
            "temporal",
            json!({"start": start.and_then(date_part), "end": end.and_then(date_part)}),
        );
    }
    if tc.len() > 1 {
        d.note("temporal_coverage: only the first period is kept");
    }
    let spatial = p
        .get("spatial_coverage")
        .and_then(|x| x.get(0))
        .and_then(|x| s(x, "text"))
        .or(s(&ex, "spatial_text"));
    d.text("spatial", spatial);
    if p.get("spatial_coverage")
        .and_then(|x| x.get(0))
        .is_some_and(|x| x.get("geom").is_some() || x.get("bbox").is_some())
    {
        d.note("spatial_coverage geometry (geom/bbox/centroid): not mapped; only its text is kept");
    }
    d.text("landing_page", s(p, "url"));
    d.note("security level (安全级别) and region: CKAN has no such fields; set them by hand");

    // Resources: remote files become links, APIs become access methods.
    let mut links = Vec::new();
    let mut access = Vec::new();
    for r in p
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let fmt = s(r, "format").and_then(vocab::format_name);
        for svc in r
            .get("access_services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for e in strings(svc, "endpoint_url") {
                access.push(json!({"kind": "api", "endpoint": e}));
            }
        }
        let url = s(r, "download_url").or(s(r, "url"));
        match url {
            Some(u) if fmt.as_deref() == Some("API") => {
                access.push(json!({"kind": "api", "endpoint": u}))
            }
            Some(u) => links.push(link(
                s(r, "name").or(s(r, "description")),
                u,
                fmt,
                s(r, "mimetype"),
            )),
            None => d.note("a resource without url: not mapped"),
        }
        if let Some(h) = s(r, "hash") {
            d.note(format!(
                "resource hash {h} ({}): not a recorded sha256 of a local file; not mapped",
                s(r, "hash_algorithm").unwrap_or("algorithm unknown")
            ));
        }
    }
    if !links.is_empty() {
        d.note(format!(
            "{} resource(s) listed under `links` (remote, not mirrored, no checksum)",
            links.len()
        ));
        d.set("links", json!(links));
    }
    if !access.is_empty() {
        d.set("access", json!(access));
    }

    let mut rest = unmapped(obj, KNOWN);
    rest.extend(
        ex.as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .filter(|k| !KNOWN_EXTRAS.contains(&k.as_str()))
            .map(|k| format!("extras.{k}")),
    );
    if !rest.is_empty() {
        d.note(format!("not mapped: {}", rest.join(", ")));
    }
    d
}
