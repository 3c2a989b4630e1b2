//! What a dataset page tells search engines: schema.org `Dataset` JSON-LD (read by Google
//! Dataset Search and others), and the XML of `sitemap.xml`. Written into the pages the
//! build renders (src/prerender.rs) and checked there by the end-to-end tests.

use crate::attribution::dataset_url;
use crate::bundle::downloadable;
use crate::catalog::{Dataset, OpenAttribute, Portal};
use serde_json::{json, Map, Value};

/// The schema.org `Dataset` of a record. Only what the record states: a property the
/// record lacks is left out rather than guessed, and `distribution` lists only files a
/// reader may download (open without conditions, and open now).
pub fn dataset(portal: &Portal, d: &Dataset) -> Value {
    let base = portal.url.trim_end_matches('/');
    let publisher = json!({ "@type": "GovernmentOrganization", "name": d.publisher.name });
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("Dataset"));
    o.insert("name".into(), json!(d.title));
    o.insert("description".into(), json!(d.description));
    o.insert("url".into(), json!(dataset_url(portal, &d.id)));
    o.insert("identifier".into(), json!(d.id));
    if !d.keywords.is_empty() {
        o.insert("keywords".into(), json!(d.keywords));
    }
    o.insert("license".into(), json!(d.license));
    o.insert("creator".into(), publisher.clone());
    o.insert("publisher".into(), publisher);
    o.insert("dateModified".into(), json!(d.modified.as_str()));
    o.insert("datePublished".into(), json!(d.issued.as_str()));
    o.insert("version".into(), json!(d.version));
    if let Some(t) = &d.temporal {
        let part = |x: &Option<crate::catalog::Date>| x.as_ref().map(|d| d.as_str().to_string()).unwrap_or("..".into());
        o.insert("temporalCoverage".into(), json!(format!("{}/{}", part(&t.start), part(&t.end))));
    }
    let place = d.spatial.clone().unwrap_or_else(|| d.region.name.clone());
    o.insert("spatialCoverage".into(), json!({ "@type": "Place", "name": place }));
    o.insert("isAccessibleForFree".into(), json!(true));
    if let OpenAttribute::Conditional { conditions, legal_basis } = &d.open {
        let text = format!("{} ({legal_basis})", conditions.join("；"));
        o.insert("conditionsOfAccess".into(), json!(text));
    }
    if downloadable(d) && !d.distributions.is_empty() {
        let files: Vec<Value> = d
            .distributions
            .iter()
            .map(|f| {
                json!({
                    "@type": "DataDownload",
                    "name": f.title,
                    "contentUrl": format!("{base}/catalog/{}", f.path),
                    "encodingFormat": f.media_type,
                    "contentSize": f.byte_size.to_string(),
                })
            })
            .collect();
        o.insert("distribution".into(), Value::Array(files));
    }
    Value::Object(o)
}

/// JSON-LD to put inside `<script type="application/ld+json">`: `<`, `>` and `&` are
/// escaped as JSON `\u` escapes, so catalog text can never close the element.
pub fn script_text(v: &Value) -> String {
    script_json(&v.to_string())
}

/// JSON text made safe inside any `<script>` data block: `<`, `>` and `&` as `\u` escapes
/// (valid JSON, since they can only occur inside strings), so no `</script>`, `<!--` or
/// `<script` of catalog text reaches the HTML parser.
pub fn script_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// One `<url>` of a sitemap: an absolute address and its last change (YYYY-MM-DD).
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// `sitemap.xml` (sitemaps.org 0.9). A sitemap holds at most 50,000 addresses; the build
/// splits larger sites with [`sitemap_index`].
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        s.push_str("<url><loc>");
        s.push_str(&xml_escape(&e.loc));
        s.push_str("</loc>");
        if let Some(m) = &e.lastmod {
            s.push_str("<lastmod>");
            s.push_str(&xml_escape(m));
            s.push_str("</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// A sitemap index naming the parts of a large sitemap.
pub fn sitemap_index(parts: &[String]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in parts {
        s.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", xml_escape(p)));
    }
    s.push_str("</sitemapindex>\n");
    s
}

/// Most addresses one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{DatasetStatus, OpenAttribute};
    use crate::testutil::{bus_stops, portal};

    #[test]
    fn an_open_dataset_lists_its_files_and_a_closed_one_does_not() {
        let p = portal();
        let d = bus_stops();
        let v = dataset(&p, &d);
        assert_eq!(v["@type"], "Dataset");
        assert_eq!(v["name"], d.title);
        assert_eq!(v["publisher"]["@type"], "GovernmentOrganization");
        assert_eq!(v["isAccessibleForFree"], true);
        assert!(v["url"].as_str().unwrap().ends_with(&format!("/datasets/{}", d.id)));
        let files = v["distribution"].as_array().expect("open data lists its files");
        assert!(files[0]["contentUrl"].as_str().unwrap().contains("/catalog/files/"));
        assert!(v.get("conditionsOfAccess").is_none());

        let conditional = Dataset {
            open: OpenAttribute::Conditional {
                conditions: vec!["仅用于科研".into()],
                legal_basis: "《条例》第十条".into(),
            },
            ..d.clone()
        };
        let v = dataset(&p, &conditional);
        assert!(v.get("distribution").is_none(), "conditional files are not offered");
        assert!(v["conditionsOfAccess"].as_str().unwrap().contains("仅用于科研"));
        let suspended = Dataset { status: DatasetStatus::Suspended, ..d };
        assert!(dataset(&p, &suspended).get("distribution").is_none());
    }

    #[test]
    fn script_text_cannot_close_its_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & more" });
        let s = script_text(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v, "still the same JSON");
    }

    #[test]
    fn sitemap_escapes_and_dates() {
        let xml = sitemap(&[SitemapEntry { loc: "https://x.cn/a?b=1&c=2".into(), lastmod: Some("2026-01-02".into()) }]);
        assert!(xml.contains("<loc>https://x.cn/a?b=1&amp;c=2</loc><lastmod>2026-01-02</lastmod>"));
        assert!(sitemap_index(&["https://x.cn/sitemap-1.xml".into()])
            .contains("<sitemap><loc>https://x.cn/sitemap-1.xml</loc>"));
    }
}
