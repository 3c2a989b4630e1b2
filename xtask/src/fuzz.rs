//! `cargo xtask fuzz [SECONDS] [TARGET…]`: runs the cargo-fuzz harnesses in `fuzz/` (all, or
//! the named ones) one after another for SECONDS each (default 600), with nightly Rust and
//! `nice -n 19`. New inputs land in `fuzz/corpus/<target>/`; a crash is written to
//! `fuzz/artifacts/<target>/` — copy it to `fuzz/regressions/<target>/`, where the corpus
//! replay (`crates/core/tests/fuzz_corpus.rs`, part of `cargo xtask test`) keeps it fixed.
//! The test command itself needs neither nightly nor cargo-fuzz.

use crate::proc::{cmd, root, Result};
use crate::tools;

pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

pub fn run(args: &[String]) -> Result<()> {
    let (seconds, names) = match args.first().and_then(|a| a.parse::<u64>().ok()) {
        Some(s) => (s, &args[1..]),
        None => (600, args),
    };
    tools::ensure_cargo_tool("cargo-fuzz", "cargo-fuzz", CARGO_FUZZ_VERSION, true)?;
    let targets: Vec<String> = if names.is_empty() { list()? } else { names.to_vec() };
    for target in &targets {
        let mut c = cmd("nice");
        c.current_dir(root().join("fuzz")).args([
            "-n",
            "19",
            "cargo",
            "+nightly",
            "fuzz",
            "run",
            target,
            "--",
            &format!("-max_total_time={seconds}"),
            "-rss_limit_mb=1024",
            "-timeout=10",
        ]);
        crate::proc::run(&mut c)?;
    }
    Ok(())
}

/// The targets: `fuzz/fuzz_targets/*.rs`.
fn list() -> Result<Vec<String>> {
    let dir = root().join("fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .collect();
    names.sort();
    Ok(names)
}
