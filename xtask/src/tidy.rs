//! The house rules ARCHITECTURE.md states as invariants, checked by tests (the way
//! rust-analyzer's `tidy` does): `cargo test -p xtask`, part of `cargo xtask test`'s native
//! stage. Each rule says where the code it polices may live; moving code out of its room
//! makes a test here fail with the file and line.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
    }

    /// Every `.rs` file under `dir` (relative to the workspace), with its text.
    fn rust_files(dir: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![root().join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let rel = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
                    out.push((rel, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    fn every_source() -> Vec<(String, String)> {
        ["src", "crates/core/src", "crates/cli/src", "xtask/src", "tests", "fuzz/fuzz_targets"]
            .iter()
            .flat_map(|d| rust_files(d))
            .chain(["build.rs"].iter().map(|f| (f.to_string(), std::fs::read_to_string(root().join(f)).unwrap())))
            .collect()
    }

    /// Lines of code, not comments, with their numbers (1-based).
    fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim_start().starts_with("//"))
    }

    #[test]
    fn every_file_opens_with_what_it_is() {
        let missing: Vec<String> = every_source()
            .into_iter()
            .filter(|(_, text)| {
                // Crate attributes (`#![no_main]`) may come first.
                let first = text.lines().find(|l| !l.starts_with("#!["));
                !first.is_some_and(|l| l.starts_with("//!") || l.starts_with("// The harness"))
            })
            .map(|(path, _)| path)
            .collect();
        assert!(missing.is_empty(), "these files lack their opening `//!` comment: {missing:#?}");
    }

    /// Browser APIs the app may reach only through the modules ARCHITECTURE.md names.
    const DOORS: &[(&str, &[&str], &[&str])] = &[
        (
            "network requests",
            &["fetch_with_", "XmlHttpRequest", "gloo_net", "add_with_str("],
            &["src/net/", "src/intake.rs", "src/offline/files.rs"],
        ),
        ("localStorage", &["local_storage", "localStorage"], &["src/store.rs"]),
        ("IndexedDB", &["indexed_db", "IdbFactory", "IdbDatabase"], &["src/files.rs"]),
        ("the Cache API", &[".caches()", "\"caches\"", "CacheStorage"], &["src/offline/"]),
    ];

    #[test]
    fn the_app_reaches_the_network_and_storage_only_through_their_modules() {
        let mut stray = Vec::new();
        for (path, text) in rust_files("src") {
            for (what, patterns, rooms) in DOORS {
                if rooms.iter().any(|r| path.starts_with(r)) {
                    continue;
                }
                for (n, line) in code_lines(&text) {
                    if patterns.iter().any(|p| line.contains(p)) {
                        stray.push(format!("{path}:{n}: {what} outside {rooms:?}: {}", line.trim()));
                    }
                }
            }
        }
        assert!(stray.is_empty(), "{stray:#?}");
    }

    /// What the pure core never does: files, network, processes, environment, clocks.
    const IO: &[&str] = &[
        "std::fs",
        "std::net",
        "std::process",
        "std::env::",
        "std::io::stdin",
        "std::io::stdout",
        "std::thread",
        "SystemTime",
        "Instant::now",
    ];

    /// The core's dependencies: none of them does I/O. A new one is a decision, made here.
    const CORE_DEPENDENCIES: &[&str] = &["serde", "serde_json", "thiserror", "encoding_rs", "calamine"];

    #[test]
    fn the_core_does_no_io() {
        let mut found = Vec::new();
        for (path, text) in rust_files("crates/core/src") {
            // Unit tests (after `#[cfg(test)]`) may read their fixtures.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code_lines(code) {
                if let Some(p) = IO.iter().find(|p| line.contains(*p)) {
                    found.push(format!("{path}:{n}: {p}"));
                }
            }
        }
        assert!(found.is_empty(), "kaifang-core must stay pure: {found:#?}");
        let manifest = std::fs::read_to_string(root().join("crates/core/Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
        for line in deps.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
            let name = line.split(['=', ' ']).next().unwrap().trim();
            assert!(CORE_DEPENDENCIES.contains(&name), "kaifang-core gained the dependency {name}: does it do I/O?");
        }
    }

    #[test]
    fn formatting_follows_rustfmt_toml() {
        let out = std::process::Command::new("cargo")
            .args(["fmt", "--all", "--check"])
            .current_dir(root())
            .output()
            .expect("cargo fmt runs (rustup component rustfmt, installed by xtask's build tools)");
        let diff = String::from_utf8_lossy(&out.stdout);
        let files: Vec<&str> = diff.lines().filter_map(|l| l.strip_prefix("Diff in ")).collect();
        assert!(out.status.success(), "not formatted as rustfmt.toml says (run `cargo fmt --all`): {files:#?}");
    }
}
