//! `cargo xtask test`: every test, one summary.
//!
//! 1. native tests of every crate (`cargo test --workspace --exclude kaifang-web`);
//! 2. the app's native unit tests, then its browser unit tests (wasm-bindgen-test in headless Chromium);
//! 3. the intake's contract: Schemathesis against `docs/intake-api.yaml` (`contract.rs`);
//!    two instances over one PostgreSQL behind nginx, one killed mid-burst (`two_instances.rs`);
//! 4. end-to-end tests (node + playwright-core driving headless Chromium) against the
//!    release app served by `kaifang serve` on a free loopback port (the sign-in journeys
//!    also start a real OpenID provider and SMTP server, `tests/auth/`).

use crate::build::{self, target_dir};
use crate::proc::{cmd, root, Result};
use crate::server::Server;
use crate::tools;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Stage {
    name: &'static str,
    passed: u64,
    failed: u64,
    /// Set when the stage could not run to the end (build error, crash…).
    error: Option<String>,
}

pub fn run() -> Result<()> {
    let mut stages = Vec::new();
    let setup = tools::ensure_build_tools()
        .and_then(|_| tools::ensure_browser())
        .and_then(|_| tools::ensure_e2e_packages())
        .and_then(|_| ensure_sign_in_parts())
        .and_then(|_| crate::postgres::ensure_installed().map(|_| ()));
    if let Err(e) = setup {
        return Err(format!("set-up failed: {e}"));
    }

    stages.push(counted(
        "native tests",
        cmd("cargo").args(["test", "--no-fail-fast", "--workspace", "--exclude", "kaifang-web"]),
    ));

    // The app's own logic that needs no browser (e.g. SVG chart export), natively.
    stages.push(counted("web native tests", cmd("cargo").args(["test", "--package", "kaifang-web", "--lib"])));

    let mut wasm = cmd("cargo");
    wasm.args(["test", "--target", "wasm32-unknown-unknown", "--package", "kaifang-web"])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    stages.push(counted("browser unit tests", &mut wasm));

    stages.push(contract());
    stages.push(two_instances());

    stages.push(e2e(&[]));

    println!("\n==================== kaifang test summary ====================");
    let (mut passed, mut failed) = (0, 0);
    for s in &stages {
        let verdict = if s.failed == 0 && s.error.is_none() { "ok" } else { "FAILED" };
        println!("{:<22} {:>5} passed {:>4} failed   {verdict}", s.name, s.passed, s.failed);
        if let Some(e) = &s.error {
            println!("    {e}");
        }
        passed += s.passed;
        failed += s.failed + u64::from(s.error.is_some());
    }
    println!("==============================================================");
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

/// `cargo xtask e2e [FILE…]`: only the end-to-end journeys (all, or the named `tests/e2e` files),
/// for working on one journey without the whole suite.
pub fn run_e2e(files: &[String]) -> Result<()> {
    tools::ensure_build_tools().and_then(|_| tools::ensure_browser()).and_then(|_| tools::ensure_e2e_packages())?;
    ensure_sign_in_parts()?;
    let stage = e2e(files);
    println!("{} passed, {} failed", stage.passed, stage.failed);
    match (stage.failed, stage.error) {
        (0, None) => Ok(()),
        (_, Some(e)) => Err(e),
        (n, None) => Err(format!("{n} failed")),
    }
}

fn e2e(files: &[String]) -> Stage {
    let prepared = (|| -> Result<(Server, std::path::PathBuf)> {
        let kaifang = build::build_cli()?;
        let app = build::build_app()?;
        let work = target_dir().join("e2e");
        let _ = std::fs::remove_dir_all(&work);
        let catalog = work.join("catalog");
        build::build_sample_catalog(&kaifang, &catalog)?;
        Ok((Server::start(&kaifang, &app, &catalog, &work.join("data"))?, app))
    })();
    let (server, app) = match prepared {
        Ok(s) => s,
        Err(e) => return Stage { name: "end-to-end tests", passed: 0, failed: 0, error: Some(e) },
    };
    let mut node = cmd("node");
    node.current_dir(root().join("tests/e2e"))
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(files)
        .env("KAIFANG_URL", &server.url)
        .env("KAIFANG_BIN", &server.kaifang)
        .env("KAIFANG_CATALOG", &server.catalog)
        .env("KAIFANG_DATA", &server.data)
        .env("KAIFANG_PAGES", &server.pages)
        // Journeys that stop and restart the intake run their own `kaifang serve` on it.
        .env("KAIFANG_APP", &app)
        // The sign-in journeys start a real OpenID provider and a real SMTP server.
        .env("KAIFANG_OIDC_PROVIDER", tools::ensure_oidc_provider().unwrap_or_default())
        .env("KAIFANG_AIOSMTPD_PYTHON", tools::ensure_aiosmtpd().unwrap_or_default());
    let stage = counted("end-to-end tests", &mut node);
    drop(server);
    stage
}

/// The real OpenID provider (npm `oidc-provider`) and SMTP server (PyPI `aiosmtpd`) the
/// sign-in journeys start (`tests/auth/`), installed into the tools folder when missing.
fn ensure_sign_in_parts() -> Result<()> {
    tools::ensure_oidc_provider()?;
    tools::ensure_aiosmtpd()?;
    Ok(())
}

/// Schemathesis against the served intake (`contract.rs`): one result, its log above.
fn contract() -> Stage {
    single("contract (Schemathesis)", crate::contract::run)
}

/// Two `kaifang serve` over one PostgreSQL behind nginx, one killed mid-burst (`two_instances.rs`).
fn two_instances() -> Stage {
    single("two instances", crate::two_instances::run)
}

/// A stage that is one test run by xtask itself on the release `kaifang`.
fn single(name: &'static str, test: fn(&std::path::Path) -> Result<()>) -> Stage {
    eprintln!("\n---- {name} ----");
    match build::build_cli().and_then(|kaifang| test(&kaifang)) {
        Ok(()) => Stage { name, passed: 1, failed: 0, error: None },
        Err(e) => Stage { name, passed: 0, failed: 1, error: Some(e) },
    }
}

/// Runs a test command, echoing its output and counting results from its summary lines.
fn counted(name: &'static str, c: &mut Command) -> Stage {
    eprintln!("\n---- {name} ----");
    let mut stage = Stage { name, passed: 0, failed: 0, error: None };
    let child = c.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            stage.error = Some(format!("cannot start: {e}"));
            return stage;
        }
    };
    let out = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
        println!("{line}");
        let (p, f) = parse_counts(&line);
        stage.passed += p;
        stage.failed += f;
    }
    match child.wait() {
        Ok(s) if s.success() => {}
        Ok(s) => {
            if stage.failed == 0 {
                stage.error = Some(format!("exited with {s} (build error or crash: see the log above)"));
            }
        }
        Err(e) => stage.error = Some(e.to_string()),
    }
    stage
}

/// Counts from `test result: ok. 3 passed; 0 failed; …` (cargo, wasm-bindgen-test-runner)
/// and `ℹ pass 3` / `ℹ fail 0` (node's spec reporter).
fn parse_counts(line: &str) -> (u64, u64) {
    let num_before = |word: &str| -> u64 {
        line.split(';')
            .find_map(|part| part.trim().strip_suffix(word).and_then(|n| n.trim().rsplit(' ').next()?.parse().ok()))
            .unwrap_or(0)
    };
    if line.contains("test result:") {
        return (num_before("passed"), num_before("failed"));
    }
    let t = line.trim_start();
    let after = |prefix: &str| t.strip_prefix(prefix).and_then(|n| n.trim().parse().ok()).unwrap_or(0);
    (after("ℹ pass"), after("ℹ fail"))
}

#[cfg(test)]
mod tests {
    use super::parse_counts;

    #[test]
    fn reads_cargo_and_node_summaries() {
        assert_eq!(parse_counts("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured"), (12, 0));
        assert_eq!(parse_counts("test result: FAILED. 3 passed; 2 failed; 0 ignored"), (3, 2));
        assert_eq!(parse_counts("ℹ pass 7"), (7, 0));
        assert_eq!(parse_counts("ℹ fail 1"), (0, 1));
        assert_eq!(parse_counts("running 3 tests"), (0, 0));
    }
}
