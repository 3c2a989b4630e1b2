//! DCAT-AP → source folder, from JSON-LD, RDF/XML or Turtle (parsed by `oxrdfio`, the
//! Oxigraph project's parsers, into triples; the mapping then works on the graph, so all
//! three syntaxes share it). Remote JSON-LD contexts are not fetched: terms they would
//! define are dropped by the parser and show up as unmapped.
//!
//! `dct:accessRights` (EU access-right codes PUBLIC / RESTRICTED / NON_PUBLIC, or such a
//! word) maps onto the open attribute; Kaifang's `kf:` terms (legal basis, conditions,
//! security level, status, 数据项 …) are read when present, so our own export round-trips.

mod dataset;

use super::Imported;
use crate::catalog::vocab::{self, ADMS, CNT, DCAT, DCT, FOAF, KF, LOCN, OWL, RDF, RDFS, SCHEMA, SKOS, SPDX, VCARD};
use anyhow::{bail, Context};
use kaifang_core::lenient_json::Repair;
use oxrdf::{NamedOrBlankNode, Term};
use oxrdfio::{RdfFormat, RdfParser};
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
    /// The file's triples, and what had to be repaired to read it: JSON-LD from elsewhere is
    /// read with its local faults repaired (`lenient_json`, as the other JSON importers do)
    /// before the JSON-LD processor sees it.
    fn parse(path: &Path) -> anyhow::Result<(Graph, Vec<Repair>)> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let format = match ext.as_str() {
            "json" => RdfFormat::from_extension("jsonld"),
            "xml" => Some(RdfFormat::RdfXml),
            e => RdfFormat::from_extension(e),
        }
        .with_context(|| format!("{}: unknown RDF syntax (use .jsonld, .rdf, .xml, .ttl or .nt)", path.display()))?;
        let (bytes, repairs) = read_repaired(path, format)?;
        let mut by_subject: HashMap<String, Vec<(String, Node)>> = HashMap::new();
        for quad in RdfParser::from_format(format).for_slice(&bytes) {
            let quad = quad.with_context(|| format!("{}: not valid {}", path.display(), format.name()))?;
            let s = match quad.subject {
                NamedOrBlankNode::NamedNode(n) => format!("<{}>", n.as_str()),
                NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
            };
            let o = match quad.object {
                Term::NamedNode(n) => Node::Iri(n.into_string()),
                Term::BlankNode(b) => Node::Blank(b.as_str().to_string()),
                Term::Literal(l) => Node::Lit { value: l.value().to_string(), lang: l.language().map(String::from) },
                #[allow(unreachable_patterns)]
                _ => continue,
            };
            by_subject.entry(s).or_default().push((quad.predicate.into_string(), o));
        }
        Ok((Graph { by_subject }, repairs))
    }

    fn objects<'a>(&'a self, s: &str, p: &str) -> impl Iterator<Item = &'a Node> + 'a {
        let p = p.to_string();
        self.by_subject.get(s).into_iter().flatten().filter(move |(pp, _)| *pp == p).map(|(_, o)| o)
    }
    /// Text of a property, preferring Chinese, then untagged, then any language.
    fn text(&self, s: &str, p: &str) -> Option<String> {
        let all: Vec<&Node> = self.objects(s, p).collect();
        let pick = |want: &dyn Fn(&Option<String>) -> bool| {
            all.iter().find(|n| matches!(n, Node::Lit { lang, .. } if want(lang))).map(|n| n.text().trim().to_string())
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
        self.objects(s, p).map(|n| n.text().trim().to_string()).filter(|t| !t.is_empty()).collect()
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
            .filter(|(_, po)| po.iter().any(|(p, o)| p == &format!("{RDF}type") && o.text() == t))
            .map(|(s, _)| s.clone())
            .collect();
        out.sort();
        out
    }
    fn predicates(&self, s: &str) -> BTreeSet<String> {
        self.by_subject.get(s).into_iter().flatten().map(|(p, _)| p.clone()).collect()
    }
}

/// The file's bytes; JSON-LD re-serialised after `lenient_json` repaired its local faults
/// (a lone surrogate escape in one title must not refuse a whole catalog).
fn read_repaired(path: &Path, format: RdfFormat) -> anyhow::Result<(Vec<u8>, Vec<Repair>)> {
    if matches!(format, RdfFormat::JsonLd { .. }) {
        let (value, repairs) = super::read_json(path)?;
        // serde_json writes keys sorted, so `@context` comes first, as a streaming JSON-LD
        // reader needs.
        return Ok((serde_json::to_vec(&value)?, repairs));
    }
    Ok((std::fs::read(path).with_context(|| format!("reading {}", path.display()))?, Vec::new()))
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

/// The catalog's datasets, and the repairs its JSON-LD needed (listed in the report).
pub fn import(path: &Path) -> anyhow::Result<(Imported, Vec<Repair>)> {
    let (g, repairs) = Graph::parse(path)?;
    let datasets = g.of_type(&format!("{DCAT}Dataset"));
    if datasets.is_empty() {
        bail!("{}: no dcat:Dataset found", path.display());
    }
    let mut notes = Vec::new();
    let catalog = g.of_type(&format!("{DCAT}Catalog")).into_iter().next();
    let (mut title, mut title_en, mut publisher, mut url, mut license, mut jurisdiction, mut intake) =
        (None, None, None, None, None, None, None);
    if let Some(c) = &catalog {
        title = g.text(c, &format!("{DCT}title"));
        title_en = g.text_lang(c, &format!("{DCT}title"), "en");
        publisher = g.node(c, &format!("{DCT}publisher")).and_then(|p| g.text(&p, &format!("{FOAF}name")));
        url = g.node(c, &format!("{FOAF}homepage")).and_then(|h| iri(&h).map(String::from));
        license = g
            .node(c, &format!("{DCT}license"))
            .and_then(|l| g.text(&l, &format!("{RDFS}label")).or_else(|| iri(&l).map(String::from)));
        jurisdiction = g.text(c, &format!("{KF}jurisdiction"));
        intake = g.text(c, &format!("{KF}intake"));
    } else {
        notes.push("no dcat:Catalog in the file: portal details left as placeholders".into());
    }
    let mut portal =
        super::portal(title.as_deref(), publisher.as_deref(), url.as_deref(), license.as_deref(), &mut notes);
    super::portal_extras(&mut portal, title_en.as_deref(), jurisdiction.as_deref(), intake.as_deref(), &mut notes);
    let mut taken = HashSet::new();
    let drafts = datasets.iter().map(|s| dataset::dataset(&g, s, &mut taken)).collect();
    Ok((Imported { portal, datasets: drafts, notes }, repairs))
}
