//! MISSION T2. Every importer on the real catalog files in tests/data/catalogs (copied from
//! ../shared/testdata/catalogs; see SOURCE.md there): what is mapped, what the report says
//! could not be, and what `catalog check` then asks the maintainer to fill in.

mod common;
use common::{arg, data, kaifang, toml_json};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

struct Imported {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    report: String,
}

impl Imported {
    fn dataset(&self, id: &str) -> Value {
        toml_json(&self.out.join(format!("datasets/{id}.toml")))
    }
    fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.out.join("datasets"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".toml").to_string())
            .collect();
        ids.sort();
        ids
    }
    /// (ok, stdout) of `catalog check` on the imported folder.
    fn check(&self) -> (bool, String) {
        let (ok, out, _) = kaifang(&["catalog", "check", arg(&self.out)]);
        (ok, out)
    }
}

fn import(from: &str, input: &Path) -> Imported {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("source");
    let (ok, report, err) = kaifang(&["catalog", "import", "--from", from, arg(input), "-o", arg(&out)]);
    assert!(ok, "import --from {from} {} failed: {err}", input.display());
    assert_eq!(std::fs::read_to_string(out.join("IMPORT-REPORT.md")).unwrap(), report);
    Imported { _tmp: tmp, out, report }
}

fn catalogs(rel: &str) -> PathBuf {
    data(&format!("catalogs/{rel}"))
}

#[test]
fn dcat_us_project_open_data_catalog() {
    let i = import("dcat-us", &catalogs("ckanext-dcat/dcat_catalog_pod.jsonld"));
    assert_eq!(i.ids(), ["widgets-0001"]);
    let d = i.dataset("widgets-0001");
    assert_eq!(d["title"], "U.S. Widget Manufacturing Statistics");
    assert_eq!(d["open"], json!({"kind": "unconditional"}), "accessLevel public");
    assert_eq!(d["accrual_periodicity"], "yearly", "R/P1Y");
    assert_eq!(d["temporal"], json!({"start": "2009-09-01", "end": "2010-05-31"}));
    assert_eq!(d["publisher"]["name"], "Widget Services");
    assert_eq!(d["contact_point"], json!({"name": "Jane Doe", "email": "jane.doe@agency.gov"}));
    assert_eq!(d["keywords"], json!(["widget", "manufacturing", "factory"]));
    assert_eq!(d["links"].as_array().unwrap().len(), 3);
    assert_eq!(d["links"][0]["format"], "CSV");
    assert_eq!(d["access"], json!([{"kind": "api", "endpoint": "https://data.agency.gov/api/widgets-statistics/"}]));
    assert!(i.report.contains("not mapped: conformsTo, describedBy, language, primaryITInvestmentUII, programCode, references, systemOfRecords"), "{}", i.report);
    assert!(i.report.contains("publisher.subOrganizationOf"));
    let (ok, out) = i.check();
    assert!(!ok);
    for want in [
        "error[required] datasets/widgets-0001.toml: field `security_level`",
        "error[required] datasets/widgets-0001.toml: field `region`",
        // The source really says modified 2011-11-19 < issued 2011-11-22.
        "error[date-order] datasets/widgets-0001.toml: field `modified`",
        "error[placeholder] portal.toml: field `publisher`",
    ] {
        assert!(out.contains(want), "missing {want} in\n{out}");
    }
}

#[test]
fn dcat_us_with_a_lone_surrogate_and_a_raw_tab_is_read_and_the_repairs_reported() {
    // The same catalog as the clean one, but for the two repaired strings.
    let clean = import("dcat-us", &catalogs("ckanext-dcat/dcat_catalog_pod.jsonld")).dataset("widgets-0001");
    let i = import("dcat-us", &catalogs("broken/data-lone-surrogate.json"));
    let d = i.dataset("widgets-0001");
    assert_eq!(d["title"].as_str().unwrap(), format!("{} \u{FFFD}", clean["title"].as_str().unwrap()));
    assert_eq!(d["description"].as_str().unwrap(), format!("{}\tsee notes", clean["description"].as_str().unwrap()));
    assert_eq!(d["keywords"], clean["keywords"]);
    assert!(i.report.contains("## Repairs of"), "{}", i.report);
    assert!(
        i.report.contains("- line 198, column 54: lone surrogate escape \\uD83D replaced by U+FFFD"),
        "{}",
        i.report
    );
    assert!(i.report.contains("raw control character U+0009 in a string escaped"), "{}", i.report);
}

#[test]
fn dcat_us_list_of_records() {
    let i = import("dcat-us", &catalogs("ckanext-dcat/ckan_catalog_datasets_list.json"));
    assert_eq!(i.ids(), ["datasets-1", "datasets-2"]);
    let d1 = i.dataset("datasets-1");
    assert!(d1["description"].as_str().unwrap().ends_with("Θεσσαλονίκη."), "text survives as UTF-8");
    assert_eq!(d1["issued"], "2013-04-26");
    assert_eq!(d1["license"], "https://data.some.org/link/to/license", "taken from a distribution");
    assert_eq!(d1["contact_point"]["email"], "contact@some.org");
    assert!(d1.get("open").is_none(), "no accessLevel: nothing invented");
    assert_eq!(i.dataset("datasets-2")["links"].as_array().unwrap().len(), 2);
    let (ok, out) = i.check();
    assert!(!ok);
    assert!(out.contains("error[required] datasets/datasets-1.toml: field `open`"), "{out}");
    assert!(out.contains("error[required] datasets/datasets-2.toml: field `theme`"), "{out}");
}

#[test]
fn dcat_us_access_levels_map_onto_open_attributes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("data.json");
    let rec = |id: &str, level: &str, rights: Option<&str>| {
        let mut r = json!({"identifier": id, "title": id, "description": "d", "keyword": ["k"], "accessLevel": level,
            "publisher": {"name": "示例市统计局"}, "modified": "2024-01-02"});
        if let Some(r2) = rights {
            r["rights"] = json!(r2);
        }
        r
    };
    let catalog = json!({"dataset": [
        rec("a-public", "public", None),
        rec("b-restricted", "restricted public", Some("《统计法》第二十五条")),
        rec("c-closed", "non-public", None),
    ]});
    std::fs::write(&input, catalog.to_string()).unwrap();
    let i = import("dcat-us", &input);
    assert_eq!(i.dataset("a-public")["open"], json!({"kind": "unconditional"}));
    assert_eq!(
        i.dataset("b-restricted")["open"],
        json!({"kind": "conditional", "legal_basis": "《统计法》第二十五条"})
    );
    assert_eq!(i.dataset("c-closed")["open"], json!({"kind": "closed"}));
    assert!(i.report.contains("closed data without a stated legal basis"), "{}", i.report);
    let (_, out) = i.check();
    assert!(out.contains("error[conditions] datasets/b-restricted.toml: field `open.conditions`"), "{out}");
    assert!(out.contains("error[legal-basis] datasets/c-closed.toml: field `open.legal_basis`"), "{out}");
    assert!(!out.contains("error[legal-basis] datasets/b-restricted.toml"), "{out}");
}

#[test]
fn ckan_package_show() {
    let i = import("ckan", &catalogs("ckanext-dcat/ckan_ckan_dataset.json"));
    let id = "2988a6aa-2802-4f32-b846-d4520c79c4b7";
    assert_eq!(i.ids(), [id]);
    let d = i.dataset(id);
    assert_eq!(d["title"], "Zimbabwe Regional Geochemical Survey.");
    assert_eq!(d["issued"], "2012-05-10", "extras.dcat_issued");
    assert_eq!(d["modified"], "2012-05-10", "date part of extras.dcat_modified");
    assert_eq!(d["publisher"]["name"], "Geological Society");
    assert_eq!(d["contact_point"]["email"], "info@gs.org");
    assert_eq!(d["keywords"].as_array().unwrap().len(), 7);
    assert_eq!(d["links"][0]["url"], "http://www.bgs.ac.uk/gbase/geochemcd/home.html");
    assert!(
        i.report.contains("not mapped: extras.dcat_creator_email, extras.dcat_creator_name, extras.language"),
        "{}",
        i.report
    );
    assert!(!i.check().0);
}

#[test]
fn ckan_dcat_ap_schema_package() {
    let i = import("ckan", &catalogs("ckanext-dcat/ckan_ckan_full_dataset_dcat_ap.json"));
    let d = i.dataset("test-dataset-shacl");
    assert_eq!(d["version"], "1.0b");
    assert_eq!(d["accrual_periodicity"], "monthly");
    assert_eq!(d["temporal"], json!({"start": "1905-03-01", "end": "2013-01-05"}));
    assert_eq!(d["spatial"], "Tarragona");
    assert_eq!(d["contact_point"], json!({"name": "Contact 1", "email": "contact1@example.org"}));
    assert_eq!(d["publisher"]["name"], "Test Publisher");
    assert_eq!(
        d["access"],
        json!([{"kind": "api", "endpoint": "https://example.org/access_service/1"}, {"kind": "api", "endpoint": "https://example.org/access_service/2"}])
    );
    for want in [
        "checksumAlgorithm_sha1",
        "applicable_legislation",
        "provenance",
        "access_rights “Statement about access rights”",
    ] {
        assert!(i.report.contains(want), "report lacks {want}:\n{}", i.report);
    }
}

#[test]
fn ckan_package_search_envelope_and_package_list() {
    let a: Value = common::json(&catalogs("ckanext-dcat/ckan_ckan_dataset.json"));
    let b: Value = common::json(&catalogs("ckanext-dcat/ckan_ckan_full_dataset_dcat_ap.json"));
    let tmp = tempfile::tempdir().unwrap();
    let search = tmp.path().join("search.json");
    std::fs::write(
        &search,
        json!({"help": "…", "success": true, "result": {"count": 2, "results": [a, b]}}).to_string(),
    )
    .unwrap();
    let i = import("ckan", &search);
    assert_eq!(i.ids(), ["2988a6aa-2802-4f32-b846-d4520c79c4b7", "test-dataset-shacl"]);

    let list = tmp.path().join("list.json");
    std::fs::write(&list, json!({"success": true, "result": ["a", "b"]}).to_string()).unwrap();
    let (ok, _, err) = kaifang(&["catalog", "import", "--from", "ckan", arg(&list), "-o", arg(&tmp.path().join("x"))]);
    assert!(!ok && err.contains("package_list"), "{err}");
}

#[test]
fn dcat_ap_rdf_xml_catalog() {
    let i = import("dcat-ap", &catalogs("ckanext-dcat/dcat_catalog.rdf"));
    assert_eq!(i.ids(), ["datasets-1", "datasets-2"]);
    let portal = toml_json(&i.out.join("portal.toml"));
    assert_eq!(portal["name"], "An example catalog");
    assert_eq!(portal["url"], "https://data.some.org/the/actual/catalog");
    assert_eq!(portal["default_license"], "https://data.some.org/link/to/license");
    let d = i.dataset("datasets-1");
    assert_eq!(d["title"], "Example dataset 1");
    assert_eq!(d["issued"], "2013-04-26");
    assert_eq!(d["license"], "https://data.some.org/link/to/license");
    assert_eq!(d["links"].as_array().unwrap().len(), 3);
    assert_eq!(d["links"][1]["format"], "PDF", "format from dct:IMT rdf:value");
    assert_eq!(i.dataset("datasets-2")["modified"], "2013-04-01");
}

#[test]
fn dcat_ap_rdf_xml_dataset() {
    let i = import("dcat-ap", &catalogs("ckanext-dcat/dcat_dataset.rdf"));
    let id = "9df8df51-63db-37a8-e044-0003ba9b0d98";
    let d = i.dataset(id);
    assert_eq!(d["version"], "2.3");
    assert_eq!(d["accrual_periodicity"], "daily", "purl.org/cld/freq/daily");
    assert_eq!(d["open"], json!({"kind": "unconditional"}), "dct:accessRights public");
    assert_eq!(d["temporal"], json!({"start": "1905-03-01", "end": "2013-01-05"}));
    assert_eq!(d["contact_point"]["name"], "Point of Contact");
    assert_eq!(d["contact_point"]["email"], "contact@some.org");
    assert_eq!(d["landing_page"], "http://dataset.info.org");
    for want in
        ["dct:provenance", "dcat:qualifiedRelation", "not a sha256", "dcatap:applicableLegislation", "no dcat:Catalog"]
    {
        assert!(i.report.contains(want), "report lacks {want}:\n{}", i.report);
    }
}

#[test]
fn dcat_ap_json_ld_with_graph() {
    let i = import("dcat-ap", &catalogs("ckanext-dcat/dcat_catalog_with_at_graph.jsonld"));
    let id = "d4ce4e6e-ab89-44cb-bf5c-33a162c234de";
    assert_eq!(i.ids(), [id]);
    let d = i.dataset(id);
    assert_eq!(d["title"], "Title dataset");
    assert_eq!(
        d["contact_point"],
        json!({"name": "Jane Doe", "email": "jane.doe@agency.gov", "phone": "+49 40 123 45678"})
    );
    assert_eq!(d["links"][0]["url"], "http://example2.org/files/download.zip");
    assert_eq!(d["license"], "http://www.opendefinition.org/licenses/cc-zero");
    assert_eq!(toml_json(&i.out.join("portal.toml"))["name"], "Title example.org");
    assert!(i.report.contains("source department (数源部门)"), "no publisher on the dataset: {}", i.report);
}

#[test]
fn dcat_ap_reads_the_pod_file_as_json_ld() {
    // The same file as dcat_us_project_open_data_catalog, through a JSON-LD processor:
    // terms its @context does not define (accessLevel) are dropped and reported missing.
    let i = import("dcat-ap", &catalogs("ckanext-dcat/dcat_catalog_pod.jsonld"));
    let d = i.dataset("widgets-data");
    assert_eq!(d["title"], "U.S. Widget Manufacturing Statistics");
    assert_eq!(d["links"].as_array().unwrap().len(), 4);
    assert!(d.get("open").is_none());
    assert!(i.report.contains("adms:contactPoint"), "{}", i.report);
}

#[test]
fn dcat_ap_json_ld_with_a_lone_surrogate_is_read_and_the_repairs_reported() {
    // The broken POD file through the JSON-LD reader: repaired as the JSON importers do,
    // not refused by the JSON-LD processor.
    let clean = import("dcat-ap", &catalogs("ckanext-dcat/dcat_catalog_pod.jsonld"));
    let i = import("dcat-ap", &catalogs("broken/data-lone-surrogate.json"));
    assert_eq!(i.ids(), clean.ids());
    assert!(i.report.contains("## Repairs of"), "{}", i.report);
    assert!(
        i.report.contains("- line 198, column 54: lone surrogate escape \\uD83D replaced by U+FFFD"),
        "{}",
        i.report
    );
    let titles: Vec<String> =
        i.ids().iter().map(|id| i.dataset(id)["title"].as_str().unwrap_or("").to_string()).collect();
    assert!(titles.iter().any(|t| t.ends_with('\u{FFFD}')), "{titles:?}");
}

#[test]
fn frictionless_data_package() {
    let i = import("frictionless", &catalogs("frictionless-population/datapackage.json"));
    let d = i.dataset("population");
    assert_eq!(
        d["fields"],
        json!([
            {"name": "Country Name", "label": "Country Name", "type": "string"},
            {"name": "Country Code", "label": "Country Code", "type": "string"},
            {"name": "Year", "label": "Year", "type": "integer"},
            {"name": "Value", "label": "Value", "type": "number"},
        ])
    );
    assert_eq!(d["license"], "Open Data Commons Public Domain Dedication and License v1.0");
    assert_eq!(d["provider"], "World Bank");
    assert_eq!(d["modified"], "2023-05-04");
    // The CSV is copied and its checksum recorded, so a later change is caught.
    let original = std::fs::read(catalogs("frictionless-population/data/population.csv")).unwrap();
    let copied = std::fs::read(i.out.join("files/population/population.csv")).unwrap();
    assert_eq!(original, copied);
    assert_eq!(d["files"][0]["byte_size"], original.len());
    assert_eq!(d["files"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(i.report.contains("type year recorded as integer"));
    assert!(i.report.contains("collection “demographics”"));
    let (ok, out) = i.check();
    assert!(!ok);
    assert!(out.contains("error[department] datasets/population.toml: field `publisher`"), "{out}");
    assert!(!out.contains("checksum-not-recorded"), "{out}");
}

#[test]
fn import_refuses_a_non_empty_folder_and_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "x").unwrap();
    let (ok, _, err) = kaifang(&[
        "catalog",
        "import",
        "--from",
        "dcat-us",
        arg(&catalogs("ckanext-dcat/dcat_catalog_pod.jsonld")),
        "-o",
        arg(tmp.path()),
    ]);
    assert!(!ok && err.contains("not empty"), "{err}");
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{\"dataset\": [1, 2]").unwrap();
    let (ok, _, err) =
        kaifang(&["catalog", "import", "--from", "dcat-us", arg(&bad), "-o", arg(&tmp.path().join("o"))]);
    assert!(!ok && err.contains("not valid JSON"), "{err}");
}

#[test]
fn dcat_ap_turtle_gives_the_same_result_as_rdf_xml() {
    // No real Turtle catalog in the test data: convert the real RDF/XML one with oxrdfio
    // and check that the importer maps both syntaxes the same way.
    use oxrdfio::{RdfFormat, RdfParser, RdfSerializer};
    let xml = std::fs::read(catalogs("ckanext-dcat/dcat_dataset.rdf")).unwrap();
    let mut ser = RdfSerializer::from_format(RdfFormat::Turtle).for_writer(Vec::new());
    for q in RdfParser::from_format(RdfFormat::RdfXml).for_slice(&xml) {
        let q = q.unwrap();
        ser.serialize_triple(oxrdf::TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref()))
            .unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let ttl = tmp.path().join("dataset.ttl");
    std::fs::write(&ttl, ser.finish().unwrap()).unwrap();
    let a = import("dcat-ap", &catalogs("ckanext-dcat/dcat_dataset.rdf"));
    let b = import("dcat-ap", &ttl);
    let id = "9df8df51-63db-37a8-e044-0003ba9b0d98";
    assert_eq!(a.dataset(id), b.dataset(id));
    assert_eq!(b.dataset(id)["version"], "2.3");
}

/// Real agency catalogs may not be committed here (they come from another repository); they
/// belong in the shared test data beside the project: `../shared/testdata/catalogs/us-agencies/`
/// (see tests/data/catalogs/SOURCE.md). The two tests that read them are ignored until they
/// are there: `cargo test -p kaifang-cli --test catalog_import -- --ignored` runs them.
fn shared_catalogs(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/catalogs").join(rel)
}

/// A gzipped catalog from the shared test data, unpacked into `dir`.
fn gunzip(rel: &str, dir: &Path) -> PathBuf {
    use std::io::Read;
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(shared_catalogs(rel)).unwrap()).read_to_end(&mut text).unwrap();
    let to = dir.join(rel.rsplit('/').next().unwrap().trim_end_matches(".gz"));
    std::fs::write(&to, text).unwrap();
    to
}

#[test]
#[ignore = "needs ../shared/testdata/catalogs/us-agencies/usaid.json.gz (not committed here)"]
fn usaid_catalog_with_lone_surrogates_imports_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let i = import("dcat-us", &gunzip("us-agencies/usaid.json.gz", tmp.path()));
    assert_eq!(i.ids().len(), 316);
    // The line a strict reader stopped at (issue 16), now repaired and reported.
    assert!(i.report.contains("## Repairs of"), "{}", i.report);
    assert!(
        i.report.contains("- line 8575, column 1352: lone surrogate escape \\uDC92 replaced by U+FFFD"),
        "{}",
        i.report
    );
}

#[test]
#[ignore = "needs ../shared/testdata/catalogs/us-agencies/dhs.json.gz (not committed here)"]
fn dhs_catalog_of_1093_datasets_imports_with_rules_and_builds_unedited() {
    let tmp = tempfile::tempdir().unwrap();
    let input = gunzip("us-agencies/dhs.json.gz", tmp.path());
    let out = tmp.path().join("source");
    let rules = catalogs("us-agencies/dhs-rules.toml");
    let (ok, report, err) = kaifang(&[
        "catalog",
        "import",
        "--from",
        "dcat-us",
        arg(&input),
        "-o",
        arg(&out),
        "--rules",
        arg(&rules),
        // A flag over the file's default.
        "--default",
        "security_level=2",
    ]);
    assert!(ok, "{err}");
    assert!(report.contains("## Fields over all 1093 datasets"), "{report}");
    assert!(report.contains("| security level (安全级别) | 0 | 0 | 1093 | 0 |"), "{report}");
    assert!(report.contains("| legal basis (conditional/closed only) | 0 | 149 | 0 | 0 |"), "{report}");
    assert!(report.contains("0 errors, 0 warnings — ready to build."), "{report}");
    let d = toml_json(&out.join("datasets/IA-Information-Access-and-Protection-1.toml"));
    assert_eq!(d["security_level"], 2);
    assert_eq!(d["theme"], "机构团体", "keyword FOIA");
    let (ok, built, err) = kaifang(&["catalog", "build", arg(&out), "--out", arg(&tmp.path().join("site"))]);
    assert!(ok, "{built}{err}");
    assert!(built.contains("built 1093 datasets"), "{built}");
    // Without rules the same catalog is far from ready: the report counts what is missing.
    let (_, bare, _) =
        kaifang(&["catalog", "import", "--from", "dcat-us", arg(&input), "-o", arg(&tmp.path().join("bare"))]);
    assert!(bare.contains("| region | 0 | 0 | 0 | 1093 |"), "{bare}");
    assert!(bare.contains("fill in what is missing before building."), "{bare}");
}

/// A rules file written into `dir`.
fn rules_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("rules.toml");
    std::fs::write(&p, text).unwrap();
    p
}

const SHEET_RULES: &str = r#"
[portal]
name = "示例市公共数据开放平台"
publisher = "示例市大数据局"
url = "https://data.example.gov.cn"
default_license = "示例市公共数据开放许可协议 1.0"
[defaults]
region = { name = "示例市", level = "city" }
license = "示例市公共数据开放许可协议 1.0"
keywords = ["公共数据"]
"#;

#[test]
fn catalog_list_spreadsheet_with_chinese_headers_imports_and_builds() {
    for file in ["catalog-list.xlsx", "catalog-list-gbk.csv"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("source");
        let input = common::repo(&format!("crates/core/tests/data/xlsx/{file}"));
        let rules = rules_file(tmp.path(), SHEET_RULES);
        let (ok, report, err) =
            kaifang(&["catalog", "import", "--from", "sheet", arg(&input), "-o", arg(&out), "--rules", arg(&rules)]);
        assert!(ok, "{file}: {err}");
        assert!(
            report.contains("title ← “数据目录名称”") && report.contains("columns not mapped: 序号"),
            "{file}: {report}"
        );
        assert!(report.contains("0 errors, 0 warnings — ready to build."), "{file}: {report}");
        let d = toml_json(&out.join("datasets/SZ-WS-014.toml"));
        assert_eq!(d["title"], "医疗机构执业登记信息");
        assert_eq!(d["publisher"]["name"], "示例市卫生健康委员会");
        assert_eq!(d["open"]["kind"], "conditional");
        assert_eq!(d["open"]["conditions"], json!(["签订数据利用协议", "仅限科研使用"]));
        assert_eq!(d["open"]["legal_basis"], "《示例市公共数据管理办法》第二十条");
        assert_eq!((d["accrual_periodicity"].as_str(), d["security_level"].as_u64()), (Some("quarterly"), Some(2)));
        assert_eq!(d["fields"].as_array().unwrap().len(), 4);
        let bus = toml_json(&out.join("datasets/SZ-JT-001.toml"));
        assert_eq!((bus["issued"].as_str(), bus["modified"].as_str()), (Some("2023-03-01"), Some("2024-01-15")));
        assert_eq!(bus["keywords"], json!(["公交", "站点"]));
        let closed = toml_json(&out.join("datasets/SZ-GA-007.toml"));
        assert_eq!((closed["open"]["kind"].as_str(), closed["security_level"].as_u64()), (Some("closed"), Some(4)));
        let (ok, built, err) = kaifang(&["catalog", "build", arg(&out), "--out", arg(&tmp.path().join("site"))]);
        assert!(ok && built.contains("built 4 datasets"), "{file}: {built}{err}");
    }
}

#[test]
fn catalog_list_column_names_come_from_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let sheet = tmp.path().join("list.csv");
    std::fs::write(&sheet, "目录名称（中文）,责任处室,开放属性\n公交站点,示例市交通运输局,无条件开放\n").unwrap();
    let out = tmp.path().join("a");
    let (ok, _, err) = kaifang(&["catalog", "import", "--from", "sheet", arg(&sheet), "-o", arg(&out)]);
    assert!(!ok && err.contains("no title column"), "{err}");
    let rules = rules_file(tmp.path(), "[sheet]\ntitle = [\"目录名称（中文）\"]\npublisher = [\"责任处室\"]\n");
    let (ok, report, err) =
        kaifang(&["catalog", "import", "--from", "sheet", arg(&sheet), "-o", arg(&out), "--rules", arg(&rules)]);
    assert!(ok, "{err}");
    assert!(report.contains("publisher ← “责任处室”"), "{report}");
    assert!(report.contains("| region | 0 | 0 | 0 | 1 |"), "{report}");
}

#[test]
fn importing_again_updates_what_changed_and_keeps_hand_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let sheet = tmp.path().join("list.csv");
    let out = tmp.path().join("source");
    let rules = rules_file(tmp.path(), SHEET_RULES);
    let import = |rows: &str| {
        std::fs::write(&sheet, format!("资源代码,资源名称,摘要,数源部门,开放属性,更新频率,发布日期,安全级别\n{rows}"))
            .unwrap();
        let (ok, report, err) =
            kaifang(&["catalog", "import", "--from", "sheet", arg(&sheet), "-o", arg(&out), "--rules", arg(&rules)]);
        assert!(ok, "{err}");
        report
    };
    import("A1,公交站点,站点位置。,示例市交通运输局,无条件开放,每月,2024-01-01,1\nB2,路灯,路灯位置。,示例市城管局,无条件开放,每年,2024-01-01,1\n");
    // A person edits A's description and adds a field; the source then changes A and B.
    let a = out.join("datasets/A1.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, text.replace("站点位置。", "全市公交站点的位置（人工校订）。") + "spatial = \"全市\"\n")
        .unwrap();
    let report = import("A1,公交站点和线路,站点与线路位置。,示例市交通运输局,无条件开放,每月,2024-01-01,1\nB2,路灯,路灯位置。,示例市城管局,无条件开放,每季度,2024-01-01,1\nC3,公厕,公厕位置。,示例市城管局,无条件开放,每年,2024-01-01,1\n");
    assert!(report.contains("1 new datasets, 2 updated, 1 with hand edits kept"), "{report}");
    assert!(report.contains("- updated datasets/A1.toml: title"), "{report}");
    assert!(
        report.contains("- kept hand edits in datasets/A1.toml although the source changed: description"),
        "{report}"
    );
    assert!(report.contains("- updated datasets/B2.toml: accrual_periodicity"), "{report}");
    let a = toml_json(&a);
    assert_eq!(a["title"], "公交站点和线路");
    assert_eq!(a["description"], "全市公交站点的位置（人工校订）。");
    assert_eq!(a["spatial"], "全市");
    assert_eq!(toml_json(&out.join("datasets/B2.toml"))["accrual_periodicity"], "quarterly");
    assert!(out.join("datasets/C3.toml").exists());
    assert!(
        std::fs::read_to_string(out.join("datasets/A1.toml")).unwrap().starts_with("# Imported from"),
        "comments kept"
    );
    // A dataset the source drops is reported and left alone.
    let report = import("A1,公交站点和线路,站点与线路位置。,示例市交通运输局,无条件开放,每月,2024-01-01,1\n");
    assert!(report.contains("- no longer in the source: datasets/B2.toml"), "{report}");
    assert!(report.contains("0 updated"), "nothing changed in A1: {report}");
    assert!(out.join("datasets/B2.toml").exists());
}
