//! What the built catalog publishes for other harvesters (T2, issue 3 item 4):
//! `data.json` (DCAT-US 1.1 / Project Open Data) for national and foreign aggregators, and
//! `catalog.jsonld` (DCAT-AP in JSON-LD) for European-style harvesters.
//!
//! Both carry the standard terms first. What the Chinese regulations add (legal basis,
//! conditions, security level, status, 数据项 …) rides along as extension fields — POD
//! allows extra fields, and in JSON-LD they are properties in the `kf:` namespace — so that
//! a harvester that ignores them loses nothing it knows, and our own importers can read a
//! Kaifang export back without loss (the round-trip tests).

use super::vocab;
use kaifang_core::catalog::{AccessMethod, Dataset, OpenAttribute, Portal};
use serde_json::{json, Map, Value};
use std::path::Path;

pub const DCAT_US_FILE: &str = "data.json";
pub const DCAT_AP_FILE: &str = "catalog.jsonld";

/// Where the built catalog is served under the portal's address (as by `kaifang serve`).
pub fn catalog_base(portal: &Portal) -> String {
    format!("{}/catalog/", portal.url.trim_end_matches('/'))
}

/// The dataset's page in the app.
pub fn landing_page(portal: &Portal, id: &str) -> String {
    format!("{}/datasets/{id}", portal.url.trim_end_matches('/'))
}

pub fn write(out: &Path, portal: &Portal, datasets: &[&Dataset]) -> anyhow::Result<()> {
    std::fs::write(out.join(DCAT_US_FILE), serde_json::to_vec_pretty(&dcat_us(portal, datasets))?)?;
    std::fs::write(out.join(DCAT_AP_FILE), serde_json::to_vec_pretty(&dcat_ap(portal, datasets))?)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// DCAT-US 1.1

pub fn dcat_us(portal: &Portal, datasets: &[&Dataset]) -> Value {
    json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": format!("{}{DCAT_US_FILE}", catalog_base(portal)),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "title": portal.name,
        "publisher": portal.publisher,
        // Kaifang extension fields: what a portal.toml needs besides the above.
        "titleEn": portal.name_en,
        "homepage": portal.url,
        "jurisdiction": portal.jurisdiction,
        "intake": portal.intake,
        "defaultLicense": portal.default_license,
        "dataset": datasets.iter().map(|d| dcat_us_dataset(portal, d)).collect::<Vec<_>>(),
    })
}

fn dcat_us_dataset(portal: &Portal, d: &Dataset) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("dcat:Dataset"));
    o.insert("identifier".into(), json!(d.id));
    o.insert("title".into(), json!(d.title));
    o.insert("description".into(), json!(d.description));
    // POD requires at least one keyword; the domain is the honest fallback.
    let keywords = if d.keywords.is_empty() { vec![d.theme.clone()] } else { d.keywords.clone() };
    o.insert("keyword".into(), json!(keywords));
    o.insert("theme".into(), json!([d.theme]));
    o.insert("issued".into(), json!(d.issued));
    o.insert("modified".into(), json!(d.modified));
    o.insert("accrualPeriodicity".into(), json!(vocab::iso_periodicity(d.accrual_periodicity)));
    o.insert("publisher".into(), json!({"@type": "org:Organization", "name": d.publisher.name}));
    o.insert("contactPoint".into(), dcat_us_contact(d));
    o.insert("accessLevel".into(), json!(vocab::access_level(d.open.kind())));
    if let Some(basis) = d.open.legal_basis() {
        // POD: `rights` explains why access is restricted; required unless public.
        o.insert("rights".into(), json!(basis));
    }
    o.insert("license".into(), json!(d.license));
    if let Some(s) = &d.spatial {
        o.insert("spatial".into(), json!(s));
    }
    if let Some(t) = &d.temporal {
        // ISO 8601 interval; `..` marks an open end (ISO 8601-2).
        let part = |d: &Option<kaifang_core::catalog::Date>| d.as_ref().map_or("..".to_string(), |d| d.to_string());
        if t.start.is_some() || t.end.is_some() {
            o.insert("temporal".into(), json!(format!("{}/{}", part(&t.start), part(&t.end))));
        }
    }
    o.insert("landingPage".into(), json!(d.landing_page.clone().unwrap_or_else(|| landing_page(portal, &d.id))));
    o.insert("language".into(), json!(["zh-CN"]));
    o.insert("distribution".into(), Value::Array(dcat_us_distributions(portal, d)));
    dcat_us_extensions(&mut o, d);
    Value::Object(o)
}

fn dcat_us_contact(d: &Dataset) -> Value {
    let mut contact = Map::new();
    contact.insert("@type".into(), json!("vcard:Contact"));
    contact.insert("fn".into(), json!(d.contact_point.name));
    if let Some(e) = &d.contact_point.email {
        contact.insert("hasEmail".into(), json!(format!("mailto:{e}")));
    }
    if let Some(p) = &d.contact_point.phone {
        contact.insert("hasTelephone".into(), json!(p));
    }
    Value::Object(contact)
}

/// The data files (where the dataset serves data now), remote links and APIs.
fn dcat_us_distributions(portal: &Portal, d: &Dataset) -> Vec<Value> {
    let mut dists = Vec::new();
    if d.status.serves_data() {
        for dist in &d.distributions {
            dists.push(json!({
                "@type": "dcat:Distribution",
                "title": dist.title,
                "downloadURL": format!("{}{}", catalog_base(portal), dist.path),
                "mediaType": dist.media_type,
                "format": dist.format,
                "byteSize": dist.byte_size,
                "sha256": dist.sha256,
                "encoding": dist.encoding,
            }));
        }
        for link in &d.links {
            let mut l = json!({"@type": "dcat:Distribution", "title": link.title, "downloadURL": link.url});
            if let Some(f) = &link.format {
                l["format"] = json!(f);
            }
            if let Some(m) = &link.media_type {
                l["mediaType"] = json!(m);
            }
            dists.push(l);
        }
        for a in &d.access {
            if let AccessMethod::Api { endpoint, docs } = a {
                let mut l = json!({"@type": "dcat:Distribution", "title": "API", "accessURL": absolute(portal, endpoint), "format": "API"});
                if let Some(docs) = docs {
                    l["describedBy"] = json!(absolute(portal, docs));
                }
                dists.push(l);
            }
        }
    }
    dists
}

/// Kaifang's own fields (POD allows extending the schema), which our importer reads back.
fn dcat_us_extensions(o: &mut Map<String, Value>, d: &Dataset) {
    o.insert("sourceDepartment".into(), serde_json::to_value(&d.publisher).unwrap_or(Value::Null));
    if let Some(p) = &d.provider {
        o.insert("provider".into(), json!(p));
    }
    if let OpenAttribute::Conditional { conditions, .. } = &d.open {
        o.insert("conditions".into(), json!(conditions));
    }
    o.insert("securityLevel".into(), json!(d.security_level.get()));
    o.insert("region".into(), serde_json::to_value(&d.region).unwrap_or(Value::Null));
    o.insert("version".into(), json!(d.version));
    o.insert("status".into(), json!(d.status.as_str()));
    if let Some(n) = &d.status_note {
        o.insert("statusNote".into(), json!(n));
    }
    if let Some(s) = &d.status_since {
        o.insert("statusSince".into(), json!(s));
    }
    if d.emergency {
        o.insert("emergency".into(), json!(true));
    }
    if let Some(u) = &d.usage_requirements {
        o.insert("usageRequirements".into(), json!(u));
    }
    if let Some(t) = &d.title_en {
        o.insert("titleEn".into(), json!(t));
    }
    if !d.fields.is_empty() {
        o.insert("fields".into(), serde_json::to_value(&d.fields).unwrap_or(Value::Null));
    }
    if !d.access.is_empty() {
        o.insert("accessMethods".into(), serde_json::to_value(&d.access).unwrap_or(Value::Null));
    }
    if !d.history.is_empty() {
        o.insert("history".into(), serde_json::to_value(&d.history).unwrap_or(Value::Null));
    }
}

/// Endpoints may be written relative to the portal (`/api/open/…`).
fn absolute(portal: &Portal, url: &str) -> String {
    if url.starts_with('/') {
        format!("{}{url}", portal.url.trim_end_matches('/'))
    } else {
        url.to_string()
    }
}

// ---------------------------------------------------------------------------------------
// DCAT-AP (JSON-LD)

pub fn dcat_ap(portal: &Portal, datasets: &[&Dataset]) -> Value {
    json!({
        "@context": {
            "dcat": vocab::DCAT, "dct": vocab::DCT, "foaf": vocab::FOAF, "vcard": vocab::VCARD,
            "xsd": vocab::XSD, "owl": vocab::OWL, "adms": vocab::ADMS, "spdx": vocab::SPDX,
            "rdfs": vocab::RDFS, "locn": vocab::LOCN, "cnt": vocab::CNT, "kf": vocab::KF,
        },
        "@id": format!("{}{DCAT_AP_FILE}", catalog_base(portal)),
        "@type": "dcat:Catalog",
        "dct:title": match &portal.name_en {
            Some(en) => json!([lang(&portal.name), {"@value": en, "@language": "en"}]),
            None => lang(&portal.name),
        },
        "dct:description": lang(&portal.name),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": lang(&portal.publisher)},
        "foaf:homepage": {"@id": portal.url},
        "dct:license": {"@type": "dct:LicenseDocument", "rdfs:label": lang(&portal.default_license)},
        "kf:jurisdiction": portal.jurisdiction,
        "kf:intake": portal.intake,
        "dcat:dataset": datasets.iter().map(|d| dcat_ap_dataset(portal, d)).collect::<Vec<_>>(),
    })
}

fn lang(s: &str) -> Value {
    json!({"@value": s, "@language": "zh-CN"})
}

fn typed(v: impl ToString, t: &str) -> Value {
    json!({"@value": v.to_string(), "@type": t})
}

fn dcat_ap_dataset(portal: &Portal, d: &Dataset) -> Value {
    let mut o = Map::new();
    let ds_iri = landing_page(portal, &d.id);
    o.insert("@id".into(), json!(ds_iri));
    o.insert("@type".into(), json!("dcat:Dataset"));
    o.insert("dct:identifier".into(), json!(d.id));
    let mut titles = vec![lang(&d.title)];
    if let Some(t) = &d.title_en {
        titles.push(json!({"@value": t, "@language": "en"}));
    }
    o.insert("dct:title".into(), Value::Array(titles));
    o.insert("dct:description".into(), lang(&d.description));
    o.insert("dcat:keyword".into(), Value::Array(d.keywords.iter().map(|k| lang(k)).collect()));
    let mut themes = vec![];
    if let Some(eu) = vocab::eu_theme(&d.theme) {
        themes.push(json!({"@id": format!("{}{eu}", vocab::EU_THEME)}));
    }
    o.insert("dcat:theme".into(), Value::Array(themes));
    o.insert("kf:domain".into(), lang(&d.theme));
    o.insert("dct:issued".into(), typed(&d.issued, "xsd:date"));
    o.insert("dct:modified".into(), typed(&d.modified, "xsd:date"));
    o.insert(
        "dct:accrualPeriodicity".into(),
        json!({"@id": format!("{}{}", vocab::EU_FREQUENCY, vocab::eu_frequency(d.accrual_periodicity))}),
    );
    o.insert(
        "dct:publisher".into(),
        json!({"@type": "foaf:Organization", "foaf:name": match &d.publisher.name_en {
            Some(en) => json!([lang(&d.publisher.name), {"@value": en, "@language": "en"}]),
            None => lang(&d.publisher.name),
        }, "dct:identifier": d.publisher.id}),
    );
    o.insert("dcat:contactPoint".into(), dcat_ap_contact(d));
    dcat_ap_open(&mut o, d);
    dcat_ap_kaifang_terms(&mut o, d);
    if let Some(s) = &d.spatial {
        o.insert("dct:spatial".into(), json!({"@type": "dct:Location", "locn:geographicName": lang(s)}));
    }
    if let Some(t) = &d.temporal {
        let mut p = json!({"@type": "dct:PeriodOfTime"});
        if let Some(s) = &t.start {
            p["dcat:startDate"] = typed(s, "xsd:date");
        }
        if let Some(e) = &t.end {
            p["dcat:endDate"] = typed(e, "xsd:date");
        }
        o.insert("dct:temporal".into(), p);
    }
    o.insert("dcat:landingPage".into(), json!({"@id": d.landing_page.clone().unwrap_or_else(|| ds_iri.clone())}));
    o.insert("kf:field".into(), dcat_ap_fields(d));
    o.insert("kf:accessMethod".into(), dcat_ap_access(d));
    o.insert(
        "adms:versionNotes".into(),
        Value::Array(
            d.history
                .iter()
                .map(|h| json!({"@value": format!("{} {} {}", h.version, h.date, h.note), "@language": "zh-CN"}))
                .collect(),
        ),
    );
    o.insert(
        "kf:history".into(),
        Value::Array(
            d.history
                .iter()
                .enumerate()
                .map(|(i, h)| json!({"kf:position": typed(i, "xsd:integer"), "owl:versionInfo": h.version, "dct:date": typed(&h.date, "xsd:date"), "rdfs:comment": lang(&h.note)}))
                .collect(),
        ),
    );
    let license = json!({"@type": "dct:LicenseDocument", "rdfs:label": lang(&d.license)});
    // DCAT 2+ allows dct:license on any resource; on the dataset it also covers datasets
    // without distributions (conditional and closed ones).
    o.insert("dct:license".into(), license.clone());
    let dists = dcat_ap_distributions(portal, d, &license);
    o.insert("dcat:distribution".into(), Value::Array(dists));
    Value::Object(o)
}

fn dcat_ap_contact(d: &Dataset) -> Value {
    let mut contact = json!({"@type": "vcard:Kind", "vcard:fn": d.contact_point.name});
    if let Some(e) = &d.contact_point.email {
        contact["vcard:hasEmail"] = json!({"@id": format!("mailto:{e}")});
    }
    if let Some(p) = &d.contact_point.phone {
        contact["vcard:hasTelephone"] = json!({"@id": format!("tel:{}", p.replace(' ', ""))});
    }
    contact
}

/// The open attribute as an EU access-right, with Kaifang's legal basis and conditions.
fn dcat_ap_open(o: &mut Map<String, Value>, d: &Dataset) {
    o.insert(
        "dct:accessRights".into(),
        json!({"@id": format!("{}{}", vocab::EU_ACCESS_RIGHT, vocab::eu_access_right(d.open.kind()))}),
    );
    if let Some(basis) = d.open.legal_basis() {
        o.insert("kf:legalBasis".into(), lang(basis));
    }
    if let OpenAttribute::Conditional { conditions, .. } = &d.open {
        o.insert("kf:condition".into(), Value::Array(conditions.iter().map(|c| lang(c)).collect()));
    }
}

/// Kaifang's `kf:` terms (security level, region, status, provider …) and the version.
fn dcat_ap_kaifang_terms(o: &mut Map<String, Value>, d: &Dataset) {
    o.insert("kf:securityLevel".into(), typed(d.security_level.get(), "xsd:integer"));
    o.insert("kf:region".into(), json!({"kf:regionName": lang(&d.region.name), "kf:regionLevel": serde_json::to_value(d.region.level).unwrap_or(Value::Null)}));
    o.insert("kf:status".into(), json!(d.status.as_str()));
    if let Some(n) = &d.status_note {
        o.insert("kf:statusNote".into(), lang(n));
    }
    if let Some(s) = &d.status_since {
        o.insert("kf:statusSince".into(), typed(s, "xsd:date"));
    }
    o.insert("kf:emergency".into(), typed(d.emergency, "xsd:boolean"));
    if let Some(u) = &d.usage_requirements {
        o.insert("kf:usageRequirements".into(), lang(u));
    }
    if let Some(p) = &d.provider {
        o.insert("kf:provider".into(), lang(p));
    }
    o.insert("owl:versionInfo".into(), json!(d.version));
}

/// The 数据项, each with its position (RDF keeps no order).
fn dcat_ap_fields(d: &Dataset) -> Value {
    Value::Array(
        d.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut n = json!({"kf:position": typed(i, "xsd:integer"), "kf:name": f.name, "rdfs:label": lang(&f.label), "kf:type": f.field_type});
                if let Some(u) = &f.unit {
                    n["kf:unit"] = json!(u);
                }
                if let Some(desc) = &f.description {
                    n["dct:description"] = lang(desc);
                }
                n
            })
            .collect(),
    )
}

fn dcat_ap_access(d: &Dataset) -> Value {
    Value::Array(
        d.access
            .iter()
            .map(|a| match a {
                AccessMethod::Download => json!({"kf:kind": "download"}),
                AccessMethod::Api { endpoint, docs } => {
                    let mut n = json!({"kf:kind": "api", "dcat:endpointURL": endpoint});
                    if let Some(docs) = docs {
                        n["dcat:endpointDescription"] = json!(docs);
                    }
                    n
                }
                AccessMethod::Sandbox { note } => {
                    let mut n = json!({"kf:kind": "sandbox"});
                    if let Some(note) = note {
                        n["rdfs:comment"] = lang(note);
                    }
                    n
                }
            })
            .collect(),
    )
}

/// The data files (where the dataset serves data now) and remote links, each under the
/// dataset's licence.
fn dcat_ap_distributions(portal: &Portal, d: &Dataset, license: &Value) -> Vec<Value> {
    let mut dists = Vec::new();
    if d.status.serves_data() {
        for dist in &d.distributions {
            let url = format!("{}{}", catalog_base(portal), dist.path);
            let mut n = json!({
                "@type": "dcat:Distribution",
                "dct:title": lang(&dist.title),
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {"@id": format!("{}{}", vocab::EU_FILE_TYPE, dist.format)},
                "dcat:mediaType": {"@id": format!("{}{}", vocab::IANA_MEDIA, dist.media_type)},
                "dcat:byteSize": typed(dist.byte_size, "xsd:nonNegativeInteger"),
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                    "spdx:checksumValue": typed(&dist.sha256, "xsd:hexBinary"),
                },
                "dct:license": license.clone(),
            });
            if let Some(e) = &dist.encoding {
                n["cnt:characterEncoding"] = json!(e);
            }
            dists.push(n);
        }
        for link in &d.links {
            let mut n = json!({"@type": "dcat:Distribution", "dct:title": lang(&link.title), "dcat:accessURL": {"@id": link.url}, "dcat:downloadURL": {"@id": link.url}, "dct:license": license.clone()});
            if let Some(f) = &link.format {
                n["dct:format"] = json!({"@id": format!("{}{f}", vocab::EU_FILE_TYPE)});
            }
            if let Some(m) = &link.media_type {
                n["dcat:mediaType"] = json!({"@id": format!("{}{m}", vocab::IANA_MEDIA)});
            }
            dists.push(n);
        }
    }
    dists
}
