//! DCAT-AP → source folder, from JSON-LD, RDF/XML or Turtle (parsed by `oxrdfio`, the
//! Oxigraph project's parsers, into triples; the mapping then works on the graph, so all
//! three syntaxes share it). Remote JSON-LD contexts are not fetched: terms they would
//! define are dropped by the parser and show up as unmapped.
//!
//! `dct:accessRights` (EU access-right codes PUBLIC / RESTRICTED / NON_PUBLIC, or such a
//! word) maps onto the open attribute; Kaifang's `kf:` terms (legal basis, conditions,
//! security level, status, 数据项 …) are read when present, so our own export round-trips.

use super::{date_part, department, link, make_id, Draft, Imported};
use crate::catalog::vocab::{
    self, ADMS, CNT, DCAT, DCT, FOAF, KF, LOCN, OWL, RDF, RDFS, SCHEMA, SKOS, SPDX, VCARD,
};
use anyhow::{bail, Context};
use oxrdf::{NamedOrBlankNode, Term};
use oxrdfio::{RdfFormat, RdfParser};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone)]
enum Node {
    Iri(String),
    Blank(String),
    Lit { value: String, lang: Option<String> },
}

impl Node {
    fn key(&self) -> Option<String> {
        match self {
            Node::Iri(i) => Some(format!("<{i}>")),
            Node::Blank(b) => Some(format!("_:{b}")),
            Node::Lit { .. } => None,
        }
    }
    /// Literal text, or an IRI as text.
    fn text(&self) -> &str {
        match self {
            Node::Iri(i) => i,
            Node::Blank(b) => b,
            Node::Lit { value, .. } => value,
        }
    }
}

/// Triples indexed by subject.
struct Graph {
    by_subject: HashMap<String, Vec<(String, Node)>>,
}

impl Graph {
    fn parse(path: &Path) -> anyhow::Result<Graph> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let format = match ext.as_str() {
            "json" => RdfFormat::from_extension("jsonld"),
            "xml" => Some(RdfFormat::RdfXml),
            e => RdfFormat::from_extension(e),
        }
        .with_context(|| {
            format!(
                "{}: unknown RDF syntax (use .jsonld, .rdf, .xml, .ttl or .nt)",
                path.display()
            )
        })?;
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let mut by_subject: HashMap<String, Vec<(String, Node)>> = HashMap::new();
        for quad in RdfParser::from_format(format).for_slice(&bytes) {
            let quad =
                quad.with_context(|| format!("{}: not valid {}", path.display(), format.name()))?;
            let s = match quad.subject {
                NamedOrBlankNode::NamedNode(n) => format!("<{}>", n.as_str()),
                NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
            };
            let o = match quad.object {
                Term::NamedNode(n) => Node::Iri(n.into_string()),
                Term::BlankNode(b) => Node::Blank(b.as_str().to_string()),
                Term::Literal(l) => Node::Lit {
                    value: l.value().to_string(),
                    lang: l.language().map(String::from),
                },
                #[allow(unreachable_patterns)]
                _ => continue,
            };
            by_subject
                .entry(s)
                .or_default()
                .push((quad.predicate.into_string(), o));
        }
        Ok(Graph { by_subject })
    }

    fn objects<'a>(&'a self, s: &str, p: &str) -> impl Iterator<Item = &'a Node> + 'a {
        let p = p.to_string();
        self.by_subject
            .get(s)
            .into_iter()
            .flatten()
            .filter(move |(pp, _)| *pp == p)
            .map(|(_, o)| o)
    }
    /// Text of a property, preferring Chinese, then untagged, then any language.
    fn text(&self, s: &str, p: &str) -> Option<String> {
        let all: Vec<&Node> = self.objects(s, p).collect();
        let pick = |want: &dyn Fn(&Option<String>) -> bool| {
            all.iter()
                .find(|n| matches!(n, Node::Lit { lang, .. } if want(lang)))
                .map(|n| n.text().trim().to_string())
        };
        pick(&|l| l.as_deref().is_some_and(|l| l.starts_with("zh")))
            .or_else(|| pick(&|l| l.is_none()))
            .or_else(|| pick(&|_| true))
            .or_else(|| all.first().map(|n| n.text().trim().to_string()))
            .filter(|t| !t.is_empty())
    }
    fn text_lang(&self, s: &str, p: &str, lang: &str) -> Option<String> {
        self.objects(s, p)
            .find(|n| matches!(n, Node::Lit { lang: Some(l), .. } if l == lang))
            .map(|n| n.text().trim().to_string())
    }
    fn texts(&self, s: &str, p: &str) -> Vec<String> {
        self.objects(s, p)
            .map(|n| n.text().trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    }
    /// The node a property points at (IRI or blank node).
    fn node(&self, s: &str, p: &str) -> Option<String> {
        self.objects(s, p).find_map(Node::key)
    }
    fn nodes(&self, s: &str, p: &str) -> Vec<String> {
        self.objects(s, p).filter_map(Node::key).collect()
    }
    fn of_type(&self, t: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .by_subject
            .iter()
            .filter(|(_, po)| {
                po.iter()
                    .any(|(p, o)| p == &format!("{RDF}type") && o.text() == t)
            })
            .map(|(s, _)| s.clone())
            .collect();
        out.sort();
        out
    }
    fn predicates(&self, s: &str) -> BTreeSet<String> {
        self.by_subject
            .get(s)
            .into_iter()
            .flatten()
            .map(|(p, _)| p.clone())
            .collect()
    }
}

fn iri(key: &str) -> Option<&str> {
    key.strip_prefix('<').and_then(|k| k.strip_suffix('>'))
}

/// `dct:title` → `dct:title`-style short names for the report.
fn short(p: &str) -> String {
    for (prefix, ns) in [
        ("dcat", DCAT),
        ("dct", DCT),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("owl", OWL),
        ("adms", ADMS),
        ("spdx", SPDX),
        ("rdfs", RDFS),
        ("locn", LOCN),
        ("skos", SKOS),
        ("schema", SCHEMA),
        ("cnt", CNT),
        ("dcatap", vocab::DCATAP),
        ("kf", KF),
    ] {
        if let Some(local) = p.strip_prefix(ns) {
            return format!("{prefix}:{local}");
        }
    }
    p.to_string()
}

pub fn import(path: &Path) -> anyhow::Result<Imported> {
    let g = Graph::parse(path)?;
    let datasets = g.of_type(&format!("{DCAT}Dataset"));
    if datasets.is_empty() {
        bail!("{}: no dcat:Dataset found", path.display());
    }
    let mut notes = Vec::new();
    let catalog = g.of_type(&format!("{DCAT}Catalog")).into_iter().next();
    let (
        mut title,
        mut title_en,
        mut publisher,
        mut url,
        mut license,
        mut jurisdiction,
        mut intake,
    ) = (None, None, None, None, None, None, None);
    if let Some(c) = &catalog {
        title = g.text(c, &format!("{DCT}title"));
        title_en = g.text_lang(c, &format!("{DCT}title"), "en");
        publisher = g
            .node(c, &format!("{DCT}publisher"))
            .and_then(|p| g.text(&p, &format!("{FOAF}name")));
        url = g
            .node(c, &format!("{FOAF}homepage"))
            .and_then(|h| iri(&h).map(String::from));
        license = g.node(c, &format!("{DCT}license")).and_then(|l| {
            g.text(&l, &format!("{RDFS}label"))
                .or_else(|| iri(&l).map(String::from))
        });
        jurisdiction = g.text(c, &format!("{KF}jurisdiction"));
        intake = g.text(c, &format!("{KF}intake"));
    } else {
        notes.push("no dcat:Catalog in the file: portal details left as placeholders".into());
    }
    let mut portal = super::portal(
        title.as_deref(),
        publisher.as_deref(),
        url.as_deref(),
        license.as_deref(),
        &mut notes,
    );
    super::portal_extras(
        &mut portal,
        title_en.as_deref(),
        jurisdiction.as_deref(),
        intake.as_deref(),
        &mut notes,
    );
    let mut taken = HashSet::new();
    let drafts = datasets
        .iter()
        .map(|s| dataset(&g, s, &mut taken))
        .collect();
    Ok(Imported {
        portal,
        datasets: drafts,
        notes,
    })
}

fn dataset(g: &Graph, s: &str, taken: &mut HashSet<String>) -> Draft {
    let p = |local: &str, ns: &str| format!("{ns}{local}");
    let mut used: HashSet<String> = HashSet::new();
    let mut u = |pred: String| {
        used.insert(pred.clone());
        pred
    };
    let origin = g
        .text(s, &p("identifier", DCT))
        .or_else(|| iri(s).map(String::from))
        .unwrap_or_else(|| s.to_string());
    let mut d = Draft::new(origin.clone());
    let title_pred = u(p("title", DCT));
    let title = g.text(s, &title_pred);
    d.set(
        "id",
        json!(make_id(
            &g.text(s, &u(p("identifier", DCT)))
                .unwrap_or_else(|| iri(s).unwrap_or("").to_string()),
            title.as_deref().unwrap_or(""),
            taken
        )),
    );
    d.text("title", title.as_deref());
    d.text(
        "title_en",
        g.text_lang(s, &title_pred, "en")
            .as_deref()
            .filter(|t| Some(*t) != title.as_deref()),
    );
    d.text(
        "description",
        g.text(s, &u(p("description", DCT))).as_deref(),
    );
    d.set("keywords", json!(g.texts(s, &u(p("keyword", DCAT)))));

    // Domain: kf:domain, else a theme (literal, or an IRI's last segment).
    let themes = g.texts(s, &u(p("theme", DCAT)));
    if let Some(dom) = g.text(s, &u(p("domain", KF))) {
        d.set("theme", json!(dom));
    } else if let Some(t) = themes.first() {
        let short_t = t
            .trim_end_matches('/')
            .rsplit(['/', '#'])
            .next()
            .unwrap_or(t)
            .to_string();
        d.set("theme", json!(short_t));
        if short_t != *t {
            d.note(format!(
                "dcat:theme {t} became the domain “{short_t}”; replace it with a 数据领域"
            ));
        }
        if themes.len() > 1 {
            d.note(format!(
                "dcat:theme: {} more theme(s) not mapped (one domain per dataset)",
                themes.len() - 1
            ));
        }
    }

    if let Some(pubr) = g.node(s, &u(p("publisher", DCT))) {
        if let Some(name) = g.text(&pubr, &p("name", FOAF)) {
            let id = g
                .text(&pubr, &p("identifier", DCT))
                .filter(|i| kaifang_core::catalog::valid_id(i));
            if id.is_none() {
                d.note(format!("publisher “{name}” taken as the source department (数源部门) with a derived id; confirm it"));
            }
            let mut dep = department(id.as_deref(), &name);
            if let Some(en) = g
                .text_lang(&pubr, &p("name", FOAF), "en")
                .filter(|en| *en != name)
            {
                dep["name_en"] = json!(en);
            }
            d.set("publisher", dep);
        }
    }
    d.text("provider", g.text(s, &u(p("provider", KF))).as_deref());
    if let Some(c) = g.node(s, &u(p("contactPoint", DCAT))) {
        let mut contact = serde_json::Map::new();
        if let Some(n) = g.text(&c, &p("fn", VCARD)) {
            contact.insert("name".into(), json!(n));
        }
        if let Some(e) = g.text(&c, &p("hasEmail", VCARD)) {
            contact.insert("email".into(), json!(e.trim_start_matches("mailto:")));
        }
        if let Some(t) = g.text(&c, &p("hasTelephone", VCARD)) {
            contact.insert("phone".into(), json!(t.trim_start_matches("tel:")));
        }
        if contact.contains_key("name") {
            d.set("contact_point", Value::Object(contact));
        }
    }
    if !d.has("contact_point") {
        if let Some(name) = d.get("publisher").and_then(|p| p.get("name")).cloned() {
            d.set("contact_point", json!({"name": name}));
            d.note("dcat:contactPoint: none; the publisher is used as the contact");
        }
    }

    // Open attribute.
    let rights = g.text(s, &u(p("accessRights", DCT))).or_else(|| {
        g.node(s, &p("accessRights", DCT))
            .and_then(|n| g.text(&n, &p("label", RDFS)))
    });
    match rights
        .as_deref()
        .map(|r| (r, vocab::open_kind_from_access_rights(r)))
    {
        Some((_, Some(kind))) => {
            let mut open = json!({"kind": kind.as_str()});
            if let Some(b) = g.text(s, &u(p("legalBasis", KF))) {
                open["legal_basis"] = json!(b);
            }
            let conditions = g.texts(s, &u(p("condition", KF)));
            if !conditions.is_empty() {
                open["conditions"] = json!(conditions);
            }
            d.set("open", open);
        }
        Some((r, None)) => d.note(format!(
            "dct:accessRights “{r}”: not public / restricted / non-public; open attribute left out"
        )),
        None => d.note("dct:accessRights: not given; open attribute left out"),
    }
    let legislation = g.texts(s, &u(p("applicableLegislation", vocab::DCATAP)));
    if !legislation.is_empty() {
        d.note(format!("dcatap:applicableLegislation ({}): copy into open.legal_basis if the data is restricted", legislation.join(", ")));
    }

    d.date(
        "issued",
        g.text(s, &u(p("issued", DCT))).as_deref(),
        "dct:issued",
    );
    d.date(
        "modified",
        g.text(s, &u(p("modified", DCT))).as_deref(),
        "dct:modified",
    );
    if !d.has("modified") {
        if let Some(i) = d.get("issued").cloned() {
            d.set("modified", i);
        }
    }
    if let Some(f) = g.text(s, &u(p("accrualPeriodicity", DCT))) {
        match vocab::frequency_from_any(&f) {
            Some(f) => d.set("accrual_periodicity", json!(f.as_str())),
            None => d.note(format!(
                "dct:accrualPeriodicity {f}: not a known frequency; left out"
            )),
        }
    }
    match g.text(s, &u(p("versionInfo", OWL))) {
        Some(v) => d.set("version", json!(v)),
        None => {
            d.set("version", json!("1.0"));
            d.note("owl:versionInfo: not given; version set to 1.0");
        }
    }
    u(p("versionNotes", ADMS));
    if let Some(t) = g.node(s, &u(p("temporal", DCT))) {
        let start = g
            .text(&t, &p("startDate", DCAT))
            .or_else(|| g.text(&t, &p("startDate", SCHEMA)));
        let end = g
            .text(&t, &p("endDate", DCAT))
            .or_else(|| g.text(&t, &p("endDate", SCHEMA)));
        d.set("temporal", json!({"start": start.as_deref().and_then(date_part), "end": end.as_deref().and_then(date_part)}));
    }
    if g.nodes(s, &p("temporal", DCT)).len() > 1 {
        d.note("dct:temporal: only the first period is kept");
    }
    let spatial_pred = u(p("spatial", DCT));
    for sp in g.objects(s, &spatial_pred) {
        let name = match sp {
            Node::Lit { value, .. } => Some(value.clone()),
            Node::Iri(_) | Node::Blank(_) => {
                let k = sp.key().unwrap_or_default();
                g.text(&k, &p("geographicName", LOCN))
                    .or_else(|| g.text(&k, &p("prefLabel", SKOS)))
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
    // An IRI node, or (as some RDF/XML writes it) an xsd:anyURI literal.
    if let Some(l) = g.text(s, &u(p("landingPage", DCAT))) {
        d.set("landing_page", json!(l));
    }

    // Kaifang terms.
    match g
        .text(s, &u(p("securityLevel", KF)))
        .and_then(|l| l.parse::<u8>().ok())
    {
        Some(l) => d.set("security_level", json!(l)),
        None => d.note("security level (安全级别): DCAT-AP has no such term; set it by hand"),
    }
    if let Some(r) = g.node(s, &u(p("region", KF))) {
        if let (Some(n), Some(l)) = (
            g.text(&r, &p("regionName", KF)),
            g.text(&r, &p("regionLevel", KF)),
        ) {
            d.set("region", json!({"name": n, "level": l}));
        }
    }
    d.text("status", g.text(s, &u(p("status", KF))).as_deref());
    d.text("status_note", g.text(s, &u(p("statusNote", KF))).as_deref());
    d.text(
        "status_since",
        g.text(s, &u(p("statusSince", KF))).as_deref(),
    );
    if g.text(s, &u(p("emergency", KF))).as_deref() == Some("true") {
        d.set("emergency", json!(true));
    }
    d.text(
        "usage_requirements",
        g.text(s, &u(p("usageRequirements", KF))).as_deref(),
    );
    let mut fields: Vec<(i64, Value)> = g
        .nodes(s, &u(p("field", KF)))
        .iter()
        .filter_map(|f| {
            let pos = g.text(f, &p("position", KF)).and_then(|x| x.parse().ok()).unwrap_or(i64::MAX);
            let mut v = json!({"name": g.text(f, &p("name", KF))?, "label": g.text(f, &p("label", RDFS))?, "type": g.text(f, &p("type", KF))?});
            if let Some(unit) = g.text(f, &p("unit", KF)) {
                v["unit"] = json!(unit);
            }
            if let Some(desc) = g.text(f, &p("description", DCT)) {
                v["description"] = json!(desc);
            }
            Some((pos, v))
        })
        .collect();
    fields.sort_by_key(|(pos, _)| *pos);
    if !fields.is_empty() {
        d.set(
            "fields",
            json!(fields.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
        );
    }
    let mut history: Vec<(i64, Value)> = g
        .nodes(s, &u(p("history", KF)))
        .iter()
        .filter_map(|h| {
            let pos = g.text(h, &p("position", KF)).and_then(|x| x.parse().ok()).unwrap_or(i64::MAX);
            let v = json!({"version": g.text(h, &p("versionInfo", OWL))?, "date": g.text(h, &p("date", DCT))?, "note": g.text(h, &p("comment", RDFS))?});
            Some((pos, v))
        })
        .collect();
    history.sort_by_key(|(pos, _)| *pos);
    if !history.is_empty() {
        d.set(
            "history",
            json!(history.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
        );
    }
    let mut access: Vec<Value> = g
        .nodes(s, &u(p("accessMethod", KF)))
        .iter()
        .filter_map(|a| {
            Some(match g.text(a, &p("kind", KF))?.as_str() {
                "download" => json!({"kind": "download"}),
                "api" => {
                    let mut v =
                        json!({"kind": "api", "endpoint": g.text(a, &p("endpointURL", DCAT))?});
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
        })
        .collect();
    let kaifang_access = !access.is_empty();

    // Distributions: remote files become links, data services become API access.
    let dataset_license = g.node(s, &u(p("license", DCT)));
    if let Some(l) = &dataset_license {
        let text = g
            .text(l, &p("label", RDFS))
            .or_else(|| iri(l).map(String::from));
        d.text("license", text.as_deref());
    }
    let mut links = Vec::new();
    for dist in g.nodes(s, &u(p("distribution", DCAT))) {
        let title = g.text(&dist, &p("title", DCT));
        let download = g
            .node(&dist, &p("downloadURL", DCAT))
            .and_then(|x| iri(&x).map(String::from))
            .or_else(|| g.text(&dist, &p("downloadURL", DCAT)));
        let access_url = g
            .node(&dist, &p("accessURL", DCAT))
            .and_then(|x| iri(&x).map(String::from))
            .or_else(|| g.text(&dist, &p("accessURL", DCAT)));
        let format = g
            .text(&dist, &p("format", DCT))
            .and_then(|f| vocab::format_name(&f))
            .or_else(|| {
                g.node(&dist, &p("format", DCT))
                    .and_then(|f| g.text(&f, &p("value", RDF)))
                    .and_then(|f| vocab::format_name(&f))
            })
            .or_else(|| {
                g.text(&dist, &p("mediaType", DCAT))
                    .and_then(|m| vocab::format_name(&m))
            });
        let media = g
            .text(&dist, &p("mediaType", DCAT))
            .map(|m| m.trim_start_matches(vocab::IANA_MEDIA).to_string());
        for svc in g.nodes(&dist, &p("accessService", DCAT)) {
            if let Some(e) = g.text(&svc, &p("endpointURL", DCAT)) {
                if !kaifang_access {
                    access.push(json!({"kind": "api", "endpoint": e}));
                }
            }
        }
        match download.or(access_url) {
            Some(url) => links.push(link(title.as_deref(), &url, format, media.as_deref())),
            None => d.note(format!(
                "distribution {dist}: no downloadURL or accessURL; not mapped"
            )),
        }
        if let Some(cs) = g.node(&dist, &p("checksum", SPDX)) {
            let algo = g.text(&cs, &p("algorithm", SPDX)).unwrap_or_default();
            if !algo.ends_with("sha256") {
                d.note(format!(
                    "spdx:checksum with {algo}: not a sha256; not mapped"
                ));
            }
        }
        if d.get("license").is_none() {
            if let Some(l) = g.node(&dist, &p("license", DCT)) {
                let text = g
                    .text(&l, &p("label", RDFS))
                    .or_else(|| iri(&l).map(String::from));
                d.text("license", text.as_deref());
            }
        }
    }
    if !links.is_empty() {
        d.note(format!(
            "{} distribution(s) listed under `links` (remote, not mirrored, no checksum)",
            links.len()
        ));
        d.set("links", json!(links));
    }
    if !access.is_empty() {
        d.set("access", json!(access));
    }

    let rest: Vec<String> = g
        .predicates(s)
        .into_iter()
        .filter(|pr| !used.contains(pr) && pr != &format!("{RDF}type"))
        .map(|pr| short(&pr))
        .collect();
    if !rest.is_empty() {
        d.note(format!("not mapped: {}", rest.join(", ")));
    }
    d
}
