//! The sample portal (examples/portal, T3): it builds, it has what issue 3 asks of it,
//! its records match docs/catalog.schema.json (so the documented format and the code
//! cannot drift apart), and its DCAT-US and DCAT-AP exports round-trip through our own
//! importers.
//!
//! One test does it all because it first generates the 144 MB CSV (a few seconds).

mod common;
use common::{arg, copy_dir, json, kaifang, repo, toml_json};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn schema_for(def: &str) -> jsonschema::Validator {
    let mut schema = json(&repo("docs/catalog.schema.json"));
    schema["$ref"] = Value::String(format!("#/$defs/{def}"));
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not match the schema:\n{}", errors.join("\n"));
}

fn records(site: &Path) -> Vec<Value> {
    let mut paths: Vec<_> = std::fs::read_dir(site.join("datasets")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| json(p)).collect()
}

/// A record without what a harvester cannot carry back: where the files live.
fn comparable(mut r: Value) -> Value {
    let o = r.as_object_mut().unwrap();
    for k in ["distributions", "links", "landing_page"] {
        o.remove(k);
    }
    r
}

#[test]
fn sample_portal_builds_matches_the_schema_and_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("portal");
    copy_dir(&repo("examples/portal"), &src, &["generated"]);
    let (ok, _, err) = kaifang(&["catalog", "generate-large", arg(&src)]);
    assert!(ok, "{err}");
    let site = tmp.path().join("site");
    let (ok, out, err) = kaifang(&["catalog", "build", arg(&src), "-o", arg(&site)]);
    assert!(ok, "the sample portal does not build:\n{out}{err}");
    assert!(out.contains("0 errors, 0 warnings"), "the sample portal should be clean:\n{out}");

    // What issue 3 asks of the sample.
    let recs = records(&site);
    let set = |f: &dyn Fn(&Value) -> Value| recs.iter().map(f).map(|v| v.to_string()).collect::<BTreeSet<_>>();
    assert!(recs.len() >= 60, "{} datasets", recs.len());
    assert!(set(&|r| r["theme"].clone()).len() >= 10, "domains");
    assert!(set(&|r| r["publisher"]["id"].clone()).len() >= 15, "departments");
    assert_eq!(set(&|r| r["open"]["kind"].clone()).len(), 3, "open attributes");
    assert_eq!(set(&|r| r["status"].clone()).len(), 4, "statuses");
    assert!(recs.iter().any(|r| r["emergency"] == true));
    let dists: Vec<&Value> = recs.iter().flat_map(|r| r["distributions"].as_array().unwrap()).collect();
    let bytes = |d: &Value| std::fs::read(site.join(d["path"].as_str().unwrap())).unwrap();
    let gbk = dists.iter().filter(|d| d["encoding"] == "gbk").collect::<Vec<_>>();
    assert!(gbk.len() >= 3);
    assert!(gbk.iter().all(|d| std::str::from_utf8(&bytes(d)).is_err()), "GBK files really are GBK");
    let utf8: Vec<Vec<u8>> = dists
        .iter()
        .filter(|d| d["encoding"] == "utf-8" && d["byte_size"].as_u64().unwrap() < 1 << 20)
        .map(|d| bytes(d))
        .collect();
    assert!(utf8.iter().any(|b| b.starts_with("\u{feff}".as_bytes())), "a UTF-8 file with BOM");
    assert!(
        utf8.iter().any(|b| !b.starts_with("\u{feff}".as_bytes()) && std::str::from_utf8(b).is_ok()),
        "a UTF-8 file without BOM"
    );
    assert!(dists.iter().any(|d| d["byte_size"].as_u64().unwrap() >= 100_000_000), "the large generated CSV");

    // Records, sources, portal and catalog.json against the documented schema.
    let dataset = schema_for("dataset");
    for r in &recs {
        assert_valid(&dataset, r, &format!("record {}", r["id"]));
    }
    let source = schema_for("sourceDataset");
    for e in std::fs::read_dir(src.join("datasets")).unwrap() {
        let p = e.unwrap().path();
        assert_valid(&source, &toml_json(&p), &p.display().to_string());
    }
    assert_valid(&schema_for("portal"), &toml_json(&src.join("portal.toml")), "portal.toml");
    assert_valid(&schema_for("catalogIndex"), &json(&site.join("catalog.json")), "catalog.json");
    // … and the schema is not vacuous: it rejects what check rejects.
    let mut broken = recs.iter().find(|r| r["open"]["kind"] == "conditional").unwrap().clone();
    broken["open"].as_object_mut().unwrap().remove("legal_basis");
    assert!(!dataset.is_valid(&broken), "a conditional record without legal basis passed the schema");
    let mut broken = recs[0].clone();
    broken["status"] = "invalid".into();
    broken.as_object_mut().unwrap().remove("status_note");
    assert!(!dataset.is_valid(&broken), "an invalid record without announcement passed the schema");

    // The exports round-trip through our importers: everything but file locations.
    let originals: std::collections::BTreeMap<String, Value> =
        recs.iter().map(|r| (r["id"].as_str().unwrap().to_string(), comparable(r.clone()))).collect();
    for (from, file) in [("dcat-us", "data.json"), ("dcat-ap", "catalog.jsonld")] {
        let back = tmp.path().join(format!("back-{from}"));
        let (ok, report, err) =
            kaifang(&["catalog", "import", "--from", from, arg(&site.join(file)), "-o", arg(&back)]);
        assert!(ok, "{from}: {err}");
        assert!(
            report.contains(": 0 errors, 0 warnings — ready to build."),
            "{from} import of our own export is not clean:\n{report}"
        );
        let site2 = tmp.path().join(format!("site-{from}"));
        let (ok, out, err) = kaifang(&["catalog", "build", arg(&back), "-o", arg(&site2)]);
        assert!(ok, "{from}: {out}{err}");
        assert_eq!(
            json(&site2.join("catalog.json"))["portal"],
            json(&site.join("catalog.json"))["portal"],
            "{from}: portal"
        );
        let again = records(&site2);
        assert_eq!(again.len(), recs.len(), "{from}");
        for r in again {
            let id = r["id"].as_str().unwrap().to_string();
            let (got, want) = (comparable(r.clone()), &originals[&id]);
            let keys: BTreeSet<&String> =
                got.as_object().unwrap().keys().chain(want.as_object().unwrap().keys()).collect();
            let diff: Vec<String> = keys
                .into_iter()
                .filter(|k| got.get(k.as_str()) != want.get(k.as_str()))
                .map(|k| format!("{k}: {:?} ≠ {:?}", got.get(k.as_str()), want.get(k.as_str())))
                .collect();
            assert!(diff.is_empty(), "{from}: {id} changed on the way:\n{}", diff.join("\n"));
            // Open data's files come back as links to where the catalog publishes them.
            let n = originals[&id]["status"] == "open";
            let orig = recs.iter().find(|o| o["id"] == id.as_str()).unwrap();
            let want = if n { orig["distributions"].as_array().unwrap().len() } else { 0 };
            assert_eq!(r.get("links").and_then(Value::as_array).map_or(0, Vec::len), want, "{from}: {id} links");
        }
    }
}
