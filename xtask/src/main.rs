//! `cargo xtask run|test|bench`: Kaifang's set-up, build, test and benchmark steps.
//!
//! Each step installs what it needs when it is missing (a fresh machine has nothing
//! installed by hand; see ../shared/TOOLCHAIN.md) and skips what is already there.

mod bench;
mod bench_preview;
mod build;
mod compress;
mod contract;
mod fuzz;
mod http;
mod postgres;
mod proc;
mod server;
mod split;
mod test;
mod tidy;
mod tools;
mod two_instances;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|bench>
  run    install missing tools, build app + CLI + sample catalog, serve on 127.0.0.1:8080
         (KAIFANG_ADDR overrides the address)
  app    only the app: every page module with Trunk into dist/ (docs/pages.md)
  test   native tests, wasm-bindgen browser tests, end-to-end tests in headless Chromium
  contract  (KAIFANG_BIN=path skips the release build) only the intake's contract test (Schemathesis against docs/intake-api.yaml)
  two-instances  only the two-instance test (two `kaifang serve`, one PostgreSQL, nginx)
  e2e    only the end-to-end tests: all, or the named files (e.g. `cargo xtask e2e filing.test.mjs`)
  fuzz   [SECONDS] [TARGET…]: the cargo-fuzz harnesses in fuzz/ (nightly), 600 s each by default
  bench  bundle size, time to first dataset list, first visit (Lighthouse vs plain HTML), search at 100k
         datasets vs Pagefind, intake load";

/// The `kaifang` binary for a single stage: `KAIFANG_BIN` when set (e.g. a debug build
/// while working on the stage), the release build otherwise.
fn cli() -> Result<std::path::PathBuf, String> {
    match std::env::var_os("KAIFANG_BIN") {
        Some(bin) => Ok(bin.into()),
        None => build::build_cli(),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => build::run(),
        Some("app") => tools::ensure_build_tools().and_then(|_| build::build_app()).map(|_| ()),
        Some("test") => test::run(),
        Some("e2e") => test::run_e2e(&args[1..]),
        Some("contract") => cli().and_then(|k| contract::run(&k)),
        Some("two-instances") => cli().and_then(|k| two_instances::run(&k)),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        // Trunk's wasm-bindgen while the app builds (split.rs), not a command for people.
        Some("split-bindgen") => split::bindgen(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
