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
            &["src/net/", "src/offline/files.rs"],
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

    /// The longest a function may be outside tests, in lines: about one screen.
    const MAX_FUNCTION_LINES: usize = 120;

    /// The code with comments, string and character literals blanked (newlines kept), so
    /// braces and keywords left are the code's own.
    fn blank_literals(text: &str) -> String {
        let c: Vec<char> = text.chars().collect();
        let (mut out, mut i) = (String::with_capacity(text.len()), 0);
        let blank = |out: &mut String, s: &[char]| out.extend(s.iter().map(|&ch| if ch == '\n' { '\n' } else { ' ' }));
        while i < c.len() {
            let rest = &c[i..];
            let end = if rest.starts_with(&['/', '/']) {
                rest.iter().position(|&ch| ch == '\n').unwrap_or(rest.len())
            } else if rest.starts_with(&['/', '*']) {
                (2..rest.len()).find(|&k| rest[k - 1] == '*' && rest[k] == '/').map_or(rest.len(), |k| k + 1)
            } else if rest[0] == 'r' && raw_string_opens(rest) && (i == 0 || !c[i - 1].is_alphanumeric()) {
                let hashes = rest[1..].iter().take_while(|&&ch| ch == '#').count();
                let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                (2 + hashes..rest.len())
                    .find(|&k| rest[k..].starts_with(&close))
                    .map_or(rest.len(), |k| k + close.len())
            } else if rest[0] == '"' {
                let mut k = 1;
                while k < rest.len() && rest[k] != '"' {
                    k += if rest[k] == '\\' { 2 } else { 1 };
                }
                k + 1
            } else if rest[0] == '\'' && rest.get(1) == Some(&'\\') {
                // An escaped char literal ('\'', '\n', '\u{7b}'): up to the next quote after the escape.
                (3..rest.len()).find(|&k| rest[k] == '\'').map_or(rest.len(), |k| k + 1)
            } else if rest[0] == '\'' && rest.get(2) == Some(&'\'') {
                3 // a plain char literal ('{'), not a lifetime ('a)
            } else {
                out.push(rest[0]);
                i += 1;
                continue;
            };
            let end = end.min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        }
        out
    }

    /// Whether `r…` opens a raw string (`r"`, `r#"`), not a raw identifier (`r#type`).
    fn raw_string_opens(rest: &[char]) -> bool {
        let hashes = rest[1..].iter().take_while(|&&ch| ch == '#').count();
        rest.get(1 + hashes) == Some(&'"')
    }

    /// Each function with a body: its name, first line and length in lines.
    fn functions(text: &str) -> Vec<(String, usize, usize)> {
        let code = blank_literals(text);
        let b = code.as_bytes();
        let line_of = |at: usize| code[..at].matches('\n').count() + 1;
        let mut found = Vec::new();
        for (at, _) in code.match_indices("fn ") {
            if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
                continue;
            }
            let name: String = code[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let Some(open) = code[at..].find(['{', ';']).map(|k| at + k).filter(|&k| b[k] == b'{') else { continue };
            let mut depth = 0;
            let close = (open..b.len()).find(|&k| {
                depth += i32::from(b[k] == b'{') - i32::from(b[k] == b'}');
                depth == 0
            });
            if let (false, Some(close)) = (name.is_empty(), close) {
                found.push((name, line_of(at), line_of(close) - line_of(at) + 1));
            }
        }
        found
    }

    #[test]
    fn the_function_scanner_sees_braces_only_in_code() {
        let text = "fn a() {\n    let s = \"}}{\";\n    let c = '}';\n    // }\n    x::<'static>();\n}\nfn b();\nfn c() { r#\"{\"# }\n";
        assert_eq!(functions(text), vec![("a".to_string(), 1, 6), ("c".to_string(), 8, 1)]);
    }

    #[test]
    fn no_function_outside_tests_is_longer_than_a_screen() {
        let mut long = Vec::new();
        for (path, text) in ["src", "crates/core/src", "crates/cli/src", "xtask/src"].iter().flat_map(|d| rust_files(d))
        {
            if path.contains("/tests/") || path.ends_with("/tests.rs") {
                continue;
            }
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (name, line, lines) in functions(code) {
                if lines > MAX_FUNCTION_LINES {
                    long.push(format!("{path}:{line}: {name} is {lines} lines"));
                }
            }
        }
        assert!(long.is_empty(), "split these into named steps (at most {MAX_FUNCTION_LINES} lines each): {long:#?}");
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
