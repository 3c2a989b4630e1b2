//! Keeps `docs/traceability.md` true: every requirement ID of the mission has a row, every
//! row names files that exist, every test file a row lists names the row's ID, and every ID
//! is named by at least one test somewhere (a test's name, doc comment or comment).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The mission's requirement IDs (MISSION.md: B, A, C, O, E, I, X, T).
const IDS: [&str; 28] = [
    "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "A1", "A2", "A3", "C1", "C2", "C3", "C4", "O1", "O2", "O3", "E1",
    "E2", "I", "X1", "X2", "X3", "X4", "T1", "T2", "T3",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// How a test names an ID: the ID as a word; the one-letter intake ID as "MISSION I".
fn names(text: &str, id: &str) -> bool {
    let needle = if id.len() == 1 { format!("MISSION {id}") } else { id.to_string() };
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices(&needle)
        .any(|(i, _)| !word(text[..i].chars().next_back()) && !word(text[i + needle.len()..].chars().next()))
}

/// The part of a file that is test code: all of a file under a `tests` folder or a
/// `*.test.mjs` journey; a source file from its `#[cfg(test)]` module on.
fn test_text(rel: &str, text: &str) -> Option<String> {
    if rel.ends_with(".test.mjs") || (rel.split('/').any(|p| p == "tests") && rel.ends_with(".rs")) {
        return Some(text.to_string());
    }
    if rel.ends_with(".rs") {
        return text.find("#[cfg(test)]").map(|i| text[i..].to_string());
    }
    None
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git" | "artifacts") {
                walk(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

/// Test code by file (relative path → text).
fn tests() -> BTreeMap<String, String> {
    let root = root();
    let mut files = Vec::new();
    for dir in ["crates", "src", "tests", "xtask"] {
        walk(&root.join(dir), &mut files);
    }
    files
        .iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&root).ok()?.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(p).ok()?;
            Some((rel.clone(), test_text(&rel, &text)?))
        })
        .collect()
}

/// The table's rows: ID → (code paths, test paths), each the backquoted paths of its column.
fn rows() -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let doc = std::fs::read_to_string(root().join("docs/traceability.md")).expect("docs/traceability.md");
    let paths = |cell: &str| cell.split('`').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>();
    doc.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            (cells.len() == 5 && IDS.contains(&cells[0]))
                .then(|| (cells[0].to_string(), (paths(cells[3]), paths(cells[4]))))
        })
        .collect()
}

#[test]
fn every_requirement_has_a_row_and_the_rows_name_real_files() {
    let rows = rows();
    let missing: Vec<&str> = IDS.iter().copied().filter(|id| !rows.contains_key(*id)).collect();
    assert!(missing.is_empty(), "docs/traceability.md has no row for {missing:?}");
    for (id, (code, tests)) in &rows {
        assert!(!code.is_empty() && !tests.is_empty(), "{id}: a row names its code and its tests");
        for p in code.iter().chain(tests) {
            assert!(root().join(p).exists(), "{id}: {p} does not exist");
        }
    }
}

#[test]
fn every_requirement_is_named_by_a_test_and_the_listed_tests_name_it() {
    let tests = tests();
    assert!(tests.len() > 20, "found only {} test files", tests.len());
    let unnamed: Vec<&str> = IDS.iter().copied().filter(|id| !tests.values().any(|t| names(t, id))).collect();
    assert!(unnamed.is_empty(), "no test names {unnamed:?}: cite the ID in the test that proves it");
    for (id, (_, listed)) in rows() {
        for file in listed {
            let text = tests.get(&file).unwrap_or_else(|| panic!("{id}: {file} holds no test code"));
            assert!(names(text, &id), "{id}: {file} is listed as its test but does not name {id}");
        }
    }
}

#[test]
fn an_id_is_named_as_a_word() {
    assert!(names("// MISSION B3: emergency first", "B3"));
    assert!(!names("cell B30", "B3") && !names("AB3", "B3"));
    assert!(names("(MISSION I)", "I") && !names("I think", "I") && !names("MISSION ID", "I"));
}
