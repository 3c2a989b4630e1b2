//! `kaifang catalog check` and `build` on broken sources: one fixture per rule, made by
//! applying one edit to a sound source (tests/data/source-ok), plus all of them at once.
//! MISSION T1 (the builder checks the rules, checksums), B1 (a conditional or closed
//! dataset without its legal basis is an error: Yunnan 22, Aba 24/30, Guangdong 13).

mod common;
use common::{arg, copy_dir, data, kaifang};
use std::path::Path;

/// A broken source: (rule, file, field, what to do to the sound source).
type Edit = fn(&Path);

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

const CASES: &[(&str, &str, &str, Edit)] = &[
    ("legal-basis", "datasets/yb-claims.toml", "open.legal_basis", |d| {
        replace(
            d,
            "datasets/yb-claims.toml",
            ", legal_basis = \"《湘西土家族苗族自治州政务数据资源管理办法》第三十五条\"",
            "",
        )
    }),
    ("legal-basis", "datasets/ga-records.toml", "open.legal_basis", |d| {
        replace(
            d,
            "datasets/ga-records.toml",
            "legal_basis = \"《中华人民共和国个人信息保护法》\"",
            "legal_basis = \"  \"",
        )
    }),
    ("conditions", "datasets/yb-claims.toml", "open.conditions", |d| {
        replace(d, "datasets/yb-claims.toml", "conditions = [\"签署数据使用协议\"]", "conditions = []")
    }),
    ("department", "datasets/hb-aqi.toml", "publisher", |d| {
        replace(d, "datasets/hb-aqi.toml", "publisher = { id = \"sthjj\", name = \"测试市生态环境局\" }\n", "")
    }),
    ("department", "datasets/hb-aqi.toml", "publisher.name", |d| {
        replace(d, "datasets/hb-aqi.toml", "name = \"测试市生态环境局\"", "name = \"\"")
    }),
    ("file-missing", "datasets/hb-aqi.toml", "files[0].file", |d| {
        std::fs::remove_file(d.join("files/aqi.csv")).unwrap()
    }),
    ("file-changed", "datasets/hb-aqi.toml", "files[0].sha256", |d| {
        // Same size, one digit changed: only the checksum can tell.
        replace(d, "files/aqi.csv", "42", "43")
    }),
    ("file-changed", "datasets/hb-aqi.toml", "files[0].byte_size", |d| replace(d, "files/aqi.csv", "42", "142")),
    ("jurisdiction", "portal.toml", "jurisdiction", |d| replace(d, "portal.toml", "\"xiangxi\"", "\"shanghai\"")),
    ("bad-date", "datasets/hb-aqi.toml", "issued", |d| replace(d, "datasets/hb-aqi.toml", "2024-01-01", "2024-02-30")),
    ("date-order", "datasets/hb-aqi.toml", "modified", |d| {
        replace(d, "datasets/hb-aqi.toml", "2026-10-02", "2023-10-02")
    }),
    ("duplicate-id", "datasets/hb-aqi2.toml", "id", |d| {
        std::fs::copy(d.join("datasets/hb-aqi.toml"), d.join("datasets/hb-aqi2.toml")).unwrap();
    }),
    ("id-file-name", "datasets/hb-aqi.toml", "id", |d| {
        replace(d, "datasets/hb-aqi.toml", "id = \"hb-aqi\"", "id = \"hb-air\"")
    }),
    ("id-format", "datasets/hb-aqi.toml", "id", |d| {
        replace(d, "datasets/hb-aqi.toml", "id = \"hb-aqi\"", "id = \"空气\"")
    }),
    ("data-on-restricted", "datasets/ga-records.toml", "files", |d| {
        let p = d.join("datasets/ga-records.toml");
        let mut t = std::fs::read_to_string(&p).unwrap();
        t.push_str("\n[[files]]\ntitle = \"名单\"\nfile = \"files/aqi.csv\"\n");
        std::fs::write(p, t).unwrap();
    }),
    ("data-on-restricted", "datasets/ga-records.toml", "access", |d| {
        replace(
            d,
            "datasets/ga-records.toml",
            "version = \"1.0\"",
            "version = \"1.0\"\naccess = [{ kind = \"download\" }]",
        )
    }),
    ("status-announcement", "datasets/hb-aqi.toml", "status_note", |d| {
        replace(
            d,
            "datasets/hb-aqi.toml",
            "version = \"1.0\"",
            "version = \"1.0\"\nstatus = \"invalid\"\nstatus_since = \"2026-10-03\"",
        )
    }),
    ("status-announcement", "datasets/hb-aqi.toml", "status_since", |d| {
        replace(
            d,
            "datasets/hb-aqi.toml",
            "version = \"1.0\"",
            "version = \"1.0\"\nstatus = \"withdrawn\"\nstatus_note = \"已撤回\"",
        )
    }),
    ("bad-value", "datasets/hb-aqi.toml", "security_level", |d| {
        replace(d, "datasets/hb-aqi.toml", "security_level = 1", "security_level = 5")
    }),
    ("bad-value", "datasets/hb-aqi.toml", "accrual_periodicity", |d| {
        replace(d, "datasets/hb-aqi.toml", "\"daily\"", "\"hourly\"")
    }),
    ("bad-value", "datasets/hb-aqi.toml", "fields[2].type", |d| {
        replace(d, "datasets/hb-aqi.toml", "type = \"integer\"", "type = \"int\"")
    }),
    ("duplicate-field", "datasets/hb-aqi.toml", "fields[1].name", |d| {
        replace(d, "datasets/hb-aqi.toml", "name = \"日期\"", "name = \"站点\"")
    }),
    ("required", "datasets/hb-aqi.toml", "title", |d| {
        replace(d, "datasets/hb-aqi.toml", "title = \"空气质量日报\"\n", "")
    }),
    ("required", "datasets/hb-aqi.toml", "region", |d| {
        replace(d, "datasets/hb-aqi.toml", "region = { name = \"测试市\", level = \"city\" }\n", "")
    }),
    ("file-path", "datasets/hb-aqi.toml", "files[0].file", |d| {
        replace(d, "datasets/hb-aqi.toml", "file = \"files/aqi.csv\"", "file = \"../../etc/passwd\"")
    }),
    ("placeholder", "datasets/hb-aqi.toml", "theme", |d| {
        replace(d, "datasets/hb-aqi.toml", "theme = \"生态环境\"", "theme = \"【待补充】数据领域\"")
    }),
    ("encoding", "datasets/hb-aqi.toml", "files[0].encoding", |d| {
        // 东城站 in GBK, while the description says utf-8.
        std::fs::write(d.join("files/aqi.csv"), b"\xb6\xab\xb3\xc7\xd5\xbe,2026-10-01,42\n").unwrap()
    }),
    ("syntax", "datasets/hb-aqi.toml", "", |d| {
        replace(d, "datasets/hb-aqi.toml", "title = \"空气质量日报\"", "title = 空气质量日报")
    }),
];

fn expected_line(rule: &str, file: &str, field: &str) -> String {
    if field.is_empty() {
        format!("error[{rule}] {file}: ")
    } else {
        format!("error[{rule}] {file}: field `{field}`: ")
    }
}

#[test]
fn the_sound_source_passes() {
    let (ok, out, err) = kaifang(&["catalog", "check", arg(&data("source-ok"))]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("3 dataset descriptions: 0 errors, 0 warnings"), "{out}");
}

#[test]
fn each_rule_is_reported_with_file_and_field() {
    for (rule, file, field, edit) in CASES {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&data("source-ok"), tmp.path(), &[]);
        edit(tmp.path());
        let (ok, out, err) = kaifang(&["catalog", "check", arg(tmp.path())]);
        assert!(!ok, "{rule}: check passed a broken source\n{out}");
        let want = expected_line(rule, file, field);
        assert!(out.contains(&want), "{rule}: expected a line starting {want:?} in\n{out}{err}");
        // build refuses the same source and names the same problem.
        let site = tmp.path().join("site");
        let (ok, _, err) = kaifang(&["catalog", "build", arg(tmp.path()), "-o", arg(&site)]);
        assert!(!ok && err.contains(&want), "{rule}: build did not refuse with {want:?}:\n{err}");
        assert!(!site.exists(), "{rule}: build wrote a catalog despite errors");
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data("source-ok"), tmp.path(), &[]);
    // Edits to different files/fields that do not undo one another.
    let picks = [0usize, 3, 6, 8, 10, 14, 17];
    for &i in &picks {
        (CASES[i].3)(tmp.path());
    }
    let (ok, out, _) = kaifang(&["catalog", "check", arg(tmp.path())]);
    assert!(!ok);
    for &i in &picks {
        let (rule, file, field, _) = CASES[i];
        assert!(out.contains(&expected_line(rule, file, field)), "missing {rule} {file} {field} in\n{out}");
    }
}

#[test]
fn checksums_are_recorded_and_then_enforced() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data("source-ok"), tmp.path(), &[]);
    let desc = tmp.path().join("datasets/hb-aqi.toml");
    // Forget the recorded checksums: a warning, not an error.
    let text = std::fs::read_to_string(&desc).unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.starts_with("byte_size") && !l.starts_with("sha256"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&desc, &stripped).unwrap();
    let (ok, out, _) = kaifang(&["catalog", "check", arg(tmp.path())]);
    assert!(ok, "{out}");
    assert!(out.contains("warning[checksum-not-recorded] datasets/hb-aqi.toml: field `files[0]`"), "{out}");

    // Record them: comments and layout survive, the values are the file's.
    std::fs::write(&desc, format!("# 维护说明：保留此注释\n{stripped}")).unwrap();
    let (ok, out, _) = kaifang(&["catalog", "check", "--update-checksums", arg(tmp.path())]);
    assert!(ok && out.contains("recorded checksums in datasets/hb-aqi.toml"), "{out}");
    let text = std::fs::read_to_string(&desc).unwrap();
    assert!(text.starts_with("# 维护说明：保留此注释\n"));
    let bytes = std::fs::read(tmp.path().join("files/aqi.csv")).unwrap();
    assert!(text.contains(&format!("byte_size = {}", bytes.len())), "{text}");
    assert!(text.contains("sha256 = \"389fa14d2ed82761633903a423a80ee06643a283304b5305aee86fdc22ac6d1e\""), "{text}");

    // A later edit of the data is caught by check and by build …
    std::fs::write(tmp.path().join("files/aqi.csv"), [bytes.as_slice(), "南湖站,2026-10-01,61\n".as_bytes()].concat())
        .unwrap();
    let (ok, out, _) = kaifang(&["catalog", "check", arg(tmp.path())]);
    assert!(!ok && out.contains("error[file-changed] datasets/hb-aqi.toml: field `files[0].sha256`"), "{out}");
    // … unless the maintainer re-records on purpose.
    let site = tmp.path().join("site");
    let (ok, _, err) = kaifang(&["catalog", "build", "--update-checksums", arg(tmp.path()), "-o", arg(&site)]);
    assert!(ok, "{err}");
    let record = common::json(&site.join("datasets/hb-aqi.json"));
    assert_eq!(record["distributions"][0]["byte_size"], bytes.len() + "南湖站,2026-10-01,61\n".len());
}

#[test]
fn build_summarises_long_reports_and_check_lists_everything() {
    // 210 datasets whose checksums are not recorded: 210 warnings.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data("source-ok"), tmp.path(), &[]);
    let base = std::fs::read_to_string(tmp.path().join("datasets/hb-aqi.toml")).unwrap();
    let base: String = base
        .lines()
        .filter(|l| !l.starts_with("byte_size") && !l.starts_with("sha256"))
        .map(|l| format!("{l}\n"))
        .collect();
    for i in 0..210 {
        let id = format!("hb-aqi-{i:03}");
        std::fs::write(
            tmp.path().join(format!("datasets/{id}.toml")),
            base.replace("id = \"hb-aqi\"", &format!("id = \"{id}\"")),
        )
        .unwrap();
    }
    let (ok, out, _) = kaifang(&["catalog", "check", arg(tmp.path())]);
    assert!(ok);
    assert_eq!(out.lines().filter(|l| l.starts_with("warning[checksum-not-recorded]")).count(), 210);
    let (ok, out, err) = kaifang(&["catalog", "build", arg(tmp.path()), "-o", arg(&tmp.path().join("site"))]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().filter(|l| l.starts_with("warning[")).count(), 200);
    assert!(out.contains("… and 10 more (run `kaifang catalog check` for all)"), "{out}");
    assert!(out.contains("built 213 datasets"), "{out}");
}

#[test]
fn stray_files_and_doubtful_encodings_are_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data("source-ok"), tmp.path(), &[]);
    std::fs::create_dir_all(tmp.path().join("files/old")).unwrap();
    std::fs::write(tmp.path().join("files/old/forgotten.csv"), "a,b\n").unwrap();
    replace(tmp.path(), "datasets/hb-aqi.toml", "encoding = \"utf-8\"", "encoding = \"gbk\"");
    let (ok, out, _) = kaifang(&["catalog", "check", arg(tmp.path())]);
    assert!(ok, "{out}");
    assert!(out.contains("warning[unreferenced-file] files/old/forgotten.csv: "), "{out}");
    assert!(out.contains("warning[encoding] datasets/hb-aqi.toml: field `files[0].encoding`: files/aqi.csv is declared gbk but reads as valid UTF-8"), "{out}");
}
