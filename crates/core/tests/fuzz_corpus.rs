//! Replays every kept fuzz input (`fuzz/corpus/<target>/`, seeds and what `cargo fuzz`
//! found, and `fuzz/regressions/<target>/`, inputs that once crashed) through its harness
//! on stable Rust. A harness that panics fails this test and names the file.

use kaifang_core::fuzzing::TARGETS;
use std::path::Path;

fn inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_kept_fuzz_input_runs_without_a_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for (name, harness) in TARGETS {
        let corpus = inputs(&fuzz.join("corpus").join(name));
        assert!(!corpus.is_empty(), "fuzz/corpus/{name} has no inputs");
        for file in corpus.iter().chain(&inputs(&fuzz.join("regressions").join(name))) {
            let data = std::fs::read(file).unwrap();
            let outcome = std::panic::catch_unwind(|| harness(&data));
            assert!(outcome.is_ok(), "{name} panics on {}", file.display());
        }
    }
    // Every harness has its fuzz target, so the two lists cannot drift apart.
    for (name, _) in TARGETS {
        let target = fuzz.join("fuzz_targets").join(format!("{name}.rs"));
        assert!(target.is_file(), "{} is missing", target.display());
    }
}
