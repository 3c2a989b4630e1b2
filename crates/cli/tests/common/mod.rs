//! Helpers shared by the `kaifang` integration tests: run the binary, copy fixtures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

/// Runs `kaifang ARGS`; returns (success, stdout, stderr).
pub fn kaifang(args: &[&str]) -> (bool, String, String) {
    let Output { status, stdout, stderr } =
        std::process::Command::new(env!("CARGO_BIN_EXE_kaifang")).args(args).output().expect("kaifang runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

pub fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Copies a directory tree, skipping folders named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst, skip);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Reads a TOML file as JSON (the way the checker sees it).
pub fn toml_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let v: toml::Value = toml::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    serde_json::to_value(v).unwrap()
}

pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}
