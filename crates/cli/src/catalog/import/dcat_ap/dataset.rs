//! One `dcat:Dataset` of the graph → a draft: the DCAT-AP terms and Kaifang's `kf:` terms
//! read in sections; the mappings all importers share are `super::super::mapping`.

use super::{iri, short, Graph, Node};
use crate::catalog::import::mapping::Publisher;
use crate::catalog::import::{link, make_id, Draft};
use crate::catalog::vocab::{self, ADMS, DCAT, DCT, FOAF, KF, LOCN, OWL, RDF, RDFS, SCHEMA, SKOS, SPDX, VCARD};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashSet;

/// A term's IRI from its namespace and local name.
fn p(local: &str, ns: &str) -> String {
    format!("{ns}{local}")
}

/// The dataset's node, remembering which of its predicates were read: the others are
/// reported as not mapped.
struct Subject<'g> {
    g: &'g Graph,
    s: &'g str,
    used: RefCell<HashSet<String>>,
}

impl<'g> Subject<'g> {
    fn pred(&self, local: &str, ns: &str) -> String {
        let pred = p(local, ns);
        self.used.borrow_mut().insert(pred.clone());
        pred
    }
    fn text(&self, local: &str, ns: &str) -> Option<String> {
        self.g.text(self.s, &self.pred(local, ns))
    }
    fn texts(&self, local: &str, ns: &str) -> Vec<String> {
        self.g.texts(self.s, &self.pred(local, ns))
    }
    fn node(&self, local: &str, ns: &str) -> Option<String> {
        self.g.node(self.s, &self.pred(local, ns))
    }
    fn nodes(&self, local: &str, ns: &str) -> Vec<String> {
        self.g.nodes(self.s, &self.pred(local, ns))
    }
    fn unread(&self) -> Vec<String> {
        let used = self.used.borrow();
        let rdf_type = p("type", RDF);
        self.g
            .predicates(self.s)
            .into_iter()
            .filter(|pr| !used.contains(pr) && *pr != rdf_type)
            .map(|pr| short(&pr))
            .collect()
    }
}

pub(super) fn dataset(g: &Graph, s: &str, taken: &mut HashSet<String>) -> Draft {
    let ds = Subject { g, s, used: RefCell::default() };
    let origin = ds.text("identifier", DCT).or_else(|| iri(s).map(String::from)).unwrap_or_else(|| s.to_string());
    let mut d = Draft::new(origin.clone());
    let title = ds.text("title", DCT);
    let id_source = ds.text("identifier", DCT).unwrap_or_else(|| iri(s).unwrap_or("").to_string());
    d.set("id", json!(make_id(&id_source, title.as_deref().unwrap_or(""), taken)));
    d.text("title", title.as_deref());
    let title_en = g.text_lang(s, &p("title", DCT), "en");
    d.text("title_en", title_en.as_deref().filter(|t| Some(*t) != title.as_deref()));
    d.text("description", ds.text("description", DCT).as_deref());
    d.set("keywords", json!(ds.texts("keyword", DCAT)));
    // Domain: kf:domain, else a theme (literal, or an IRI's last segment).
    let themes = ds.texts("theme", DCAT);
    match ds.text("domain", KF) {
        Some(dom) => d.set("theme", json!(dom)),
        None => d.domain_from_themes(&themes, "dcat:theme"),
    }
    department_and_contact(&mut d, &ds);
    open_attribute(&mut d, &ds);
    d.dates((ds.text("issued", DCT).as_deref(), "dct:issued"), (ds.text("modified", DCT).as_deref(), "dct:modified"));
    d.frequency(ds.text("accrualPeriodicity", DCT).as_deref(), "dct:accrualPeriodicity");
    d.version(ds.text("versionInfo", OWL).as_deref(), "owl:versionInfo");
    ds.pred("versionNotes", ADMS);
    period_and_place(&mut d, &ds);
    // An IRI node, or (as some RDF/XML writes it) an xsd:anyURI literal.
    d.text("landing_page", ds.text("landingPage", DCAT).as_deref());
    kaifang_terms(&mut d, &ds);
    let explicit = access_methods(&ds);
    let (links, found) = distributions(&mut d, &ds);
    d.remote(links, if explicit.is_empty() { found } else { explicit }, "distribution");
    d.not_mapped(&ds.unread());
    d
}

fn department_and_contact(d: &mut Draft, ds: &Subject) {
    let g = ds.g;
    if let Some(pubr) = ds.node("publisher", DCT) {
        if let Some(name) = g.text(&pubr, &p("name", FOAF)) {
            let id = g.text(&pubr, &p("identifier", DCT));
            let en = g.text_lang(&pubr, &p("name", FOAF), "en");
            d.publisher(Publisher { id: id.as_deref(), name: &name, name_en: en.as_deref() });
        }
    }
    d.text("provider", ds.text("provider", KF).as_deref());
    if let Some(c) = ds.node("contactPoint", DCAT) {
        let part = |local: &str| g.text(&c, &p(local, VCARD));
        d.contact(part("fn").as_deref(), part("hasEmail").as_deref(), part("hasTelephone").as_deref());
    }
    if !d.has("contact_point") {
        if let Some(name) = d.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str).map(String::from) {
            d.contact(Some(&name), None, None);
            d.note("dcat:contactPoint: none; the publisher is used as the contact");
        }
    }
}

/// `dct:accessRights` (EU codes or such a word), `kf:legalBasis` and `kf:condition`.
fn open_attribute(d: &mut Draft, ds: &Subject) {
    let rights = ds
        .text("accessRights", DCT)
        .or_else(|| ds.node("accessRights", DCT).and_then(|n| ds.g.text(&n, &p("label", RDFS))));
    match rights.as_deref().map(|r| (r, vocab::open_kind_from_access_rights(r))) {
        Some((_, Some(kind))) => {
            let mut open = json!({"kind": kind.as_str()});
            if let Some(b) = ds.text("legalBasis", KF) {
                open["legal_basis"] = json!(b);
            }
            let conditions = ds.texts("condition", KF);
            if !conditions.is_empty() {
                open["conditions"] = json!(conditions);
            }
            d.set("open", open);
        }
        Some((r, None)) => {
            d.note(format!("dct:accessRights “{r}”: not public / restricted / non-public; open attribute left out"))
        }
        None => d.note("dct:accessRights: not given; open attribute left out"),
    }
    let legislation = ds.texts("applicableLegislation", vocab::DCATAP);
    if !legislation.is_empty() {
        d.note(format!(
            "dcatap:applicableLegislation ({}): copy into open.legal_basis if the data is restricted",
            legislation.join(", ")
        ));
    }
}

fn period_and_place(d: &mut Draft, ds: &Subject) {
    let g = ds.g;
    let periods = ds.nodes("temporal", DCT);
    if let Some(t) = periods.first() {
        let at = |local: &str| g.text(t, &p(local, DCAT)).or_else(|| g.text(t, &p(local, SCHEMA)));
        d.temporal(at("startDate").as_deref(), at("endDate").as_deref());
        // A period without readable dates is kept open at both ends, not dropped.
        if !d.has("temporal") {
            d.set("temporal", json!({"start": null, "end": null}));
        }
    }
    if periods.len() > 1 {
        d.note("dct:temporal: only the first period is kept");
    }
    for sp in g.objects(ds.s, &ds.pred("spatial", DCT)) {
        let name = match sp {
            Node::Lit { value, .. } => Some(value.clone()),
            Node::Iri(_) | Node::Blank(_) => {
                let k = sp.key().unwrap_or_default();
                g.text(&k, &p("geographicName", LOCN)).or_else(|| g.text(&k, &p("prefLabel", SKOS)))
            }
        };
        match name {
            Some(n) if !d.has("spatial") => d.set("spatial", json!(n)),
            Some(_) => {}
            None => d.note(match sp {
                Node::Iri(i) => format!("dct:spatial {i}: a place IRI without a name; not mapped"),
                _ => "dct:spatial: a geometry without a place name; not mapped".to_string(),
            }),
        }
    }
}

/// Kaifang's `kf:` terms, which our own export writes.
fn kaifang_terms(d: &mut Draft, ds: &Subject) {
    let g = ds.g;
    match ds.text("securityLevel", KF).and_then(|l| l.parse::<u8>().ok()) {
        Some(l) => d.set("security_level", json!(l)),
        None => d.note("security level (安全级别): DCAT-AP has no such term; set it by hand"),
    }
    if let Some(r) = ds.node("region", KF) {
        if let (Some(n), Some(l)) = (g.text(&r, &p("regionName", KF)), g.text(&r, &p("regionLevel", KF))) {
            d.set("region", json!({"name": n, "level": l}));
        }
    }
    for (key, local) in [
        ("status", "status"),
        ("status_note", "statusNote"),
        ("status_since", "statusSince"),
        ("usage_requirements", "usageRequirements"),
    ] {
        d.text(key, ds.text(local, KF).as_deref());
    }
    if ds.text("emergency", KF).as_deref() == Some("true") {
        d.set("emergency", json!(true));
    }
    let field = |f: &String| {
        let mut v = json!({"name": g.text(f, &p("name", KF))?, "label": g.text(f, &p("label", RDFS))?, "type": g.text(f, &p("type", KF))?});
        if let Some(unit) = g.text(f, &p("unit", KF)) {
            v["unit"] = json!(unit);
        }
        if let Some(desc) = g.text(f, &p("description", DCT)) {
            v["description"] = json!(desc);
        }
        Some(v)
    };
    let fields = in_order(g, &ds.nodes("field", KF), field);
    if !fields.is_empty() {
        d.set("fields", json!(fields));
    }
    let entry = |h: &String| {
        Some(
            json!({"version": g.text(h, &p("versionInfo", OWL))?, "date": g.text(h, &p("date", DCT))?, "note": g.text(h, &p("comment", RDFS))?}),
        )
    };
    let history = in_order(g, &ds.nodes("history", KF), entry);
    if !history.is_empty() {
        d.set("history", json!(history));
    }
}

/// Nodes read by `read`, in the order of their `kf:position` (unpositioned last).
fn in_order(g: &Graph, nodes: &[String], read: impl Fn(&String) -> Option<Value>) -> Vec<Value> {
    let mut out: Vec<(i64, Value)> = nodes
        .iter()
        .filter_map(|n| {
            let pos = g.text(n, &p("position", KF)).and_then(|x| x.parse().ok()).unwrap_or(i64::MAX);
            Some((pos, read(n)?))
        })
        .collect();
    out.sort_by_key(|(pos, _)| *pos);
    out.into_iter().map(|(_, v)| v).collect()
}

/// Kaifang's own access methods (`kf:accessMethod`); when present they replace what the
/// distributions' data services say.
fn access_methods(ds: &Subject) -> Vec<Value> {
    let g = ds.g;
    let method = |a: &String| {
        Some(match g.text(a, &p("kind", KF))?.as_str() {
            "download" => json!({"kind": "download"}),
            "api" => {
                let mut v = json!({"kind": "api", "endpoint": g.text(a, &p("endpointURL", DCAT))?});
                if let Some(docs) = g.text(a, &p("endpointDescription", DCAT)) {
                    v["docs"] = json!(docs);
                }
                v
            }
            "sandbox" => match g.text(a, &p("comment", RDFS)) {
                Some(n) => json!({"kind": "sandbox", "note": n}),
                None => json!({"kind": "sandbox"}),
            },
            _ => return None,
        })
    };
    ds.nodes("accessMethod", KF).iter().filter_map(method).collect()
}

/// A licence node's label, else its IRI.
fn licence(g: &Graph, node: &str) -> Option<String> {
    g.text(node, &p("label", RDFS)).or_else(|| iri(node).map(String::from))
}

/// Distributions: remote files become links, data services become API access; the
/// dataset's licence, else the first distribution's.
fn distributions(d: &mut Draft, ds: &Subject) -> (Vec<Value>, Vec<Value>) {
    let g = ds.g;
    if let Some(l) = ds.node("license", DCT) {
        d.text("license", licence(g, &l).as_deref());
    }
    let (mut links, mut access) = (Vec::new(), Vec::new());
    for dist in ds.nodes("distribution", DCAT) {
        let at = |local: &str| {
            g.node(&dist, &p(local, DCAT))
                .and_then(|x| iri(&x).map(String::from))
                .or_else(|| g.text(&dist, &p(local, DCAT)))
        };
        let media = g.text(&dist, &p("mediaType", DCAT));
        let format = g
            .text(&dist, &p("format", DCT))
            .and_then(|f| vocab::format_name(&f))
            .or_else(|| {
                g.node(&dist, &p("format", DCT))
                    .and_then(|f| g.text(&f, &p("value", RDF)))
                    .and_then(|f| vocab::format_name(&f))
            })
            .or_else(|| media.as_deref().and_then(vocab::format_name));
        let media = media.map(|m| m.trim_start_matches(vocab::IANA_MEDIA).to_string());
        for svc in g.nodes(&dist, &p("accessService", DCAT)) {
            access.extend(g.text(&svc, &p("endpointURL", DCAT)).map(|e| json!({"kind": "api", "endpoint": e})));
        }
        match at("downloadURL").or_else(|| at("accessURL")) {
            Some(url) => links.push(link(g.text(&dist, &p("title", DCT)).as_deref(), &url, format, media.as_deref())),
            None => d.note(format!("distribution {dist}: no downloadURL or accessURL; not mapped")),
        }
        if let Some(cs) = g.node(&dist, &p("checksum", SPDX)) {
            let algo = g.text(&cs, &p("algorithm", SPDX)).unwrap_or_default();
            if !algo.ends_with("sha256") {
                d.note(format!("spdx:checksum with {algo}: not a sha256; not mapped"));
            }
        }
        if !d.has("license") {
            if let Some(l) = g.node(&dist, &p("license", DCT)) {
                d.text("license", licence(g, &l).as_deref());
            }
        }
    }
    (links, access)
}
