//! `cargo xtask bench`: benchmarks that print figures and ratios against a peer measured
//! in the same run. `cargo xtask bench NAME…` runs only the named ones.
//!
//! - bundle: the release app's wasm + JS, raw, gzip and brotli;
//! - first-list: time until the app shows the first dataset list in headless Chromium,
//!   next to a static HTML page of the same list (the no-JavaScript lower bound);
//! - intake: filings per second and latency of the intake API on loopback, on SQLite and
//!   on a throwaway PostgreSQL cluster, side by side;
//! - chart: drawing a one-million-point chart, downsampled (LTTB) next to every point;
//! - preview: the data preview on a 100 MB CSV (first rows, scan MB/s vs Papa Parse and the
//!   native csv crate, scroll frames) — see bench_preview.rs.

use crate::build::{self, target_dir};
use crate::proc::{self, cmd, root, Result};
use crate::server::Server;
use crate::tools;

pub fn run(args: &[String]) -> Result<()> {
    let only: Vec<&str> = args.iter().map(String::as_str).collect();
    let wants = |name: &str| only.is_empty() || only.contains(&name);
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    tools::ensure_e2e_packages()?;
    let (kaifang, app, _, _) = build::build_all()?;
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;

    if wants("bundle") {
        bundle(&app)?;
    }
    if wants("first-list") {
        let catalog = out.join("catalog");
        build::build_sample_catalog(&kaifang, &catalog)?;
        let server = Server::start(&kaifang, &app, &catalog, &out.join("data"))?;
        proc::run(
            cmd("node")
                .current_dir(root().join("tests/e2e"))
                .args(["bench/first-list.mjs"])
                .env("KAIFANG_URL", &server.url)
                .env("KAIFANG_CATALOG", &catalog),
        )?;
    }
    if wants("chart") {
        let catalog = out.join("catalog");
        build::build_sample_catalog(&kaifang, &catalog)?;
        let server = Server::start(&kaifang, &app, &catalog, &out.join("data"))?;
        proc::run(cmd("node").current_dir(root().join("tests/e2e")).args(["bench/chart.mjs"]).env("KAIFANG_URL", &server.url))?;
    }
    if wants("search") {
        search(&kaifang, &app, &out.join("search"))?;
    }
    if wants("intake") {
        intake(&kaifang, &out.join("intake"))?;
    }
    if wants("preview") {
        crate::bench_preview::run(&kaifang, &app, &out)?;
    }
    Ok(())
}

/// Search at scale (issue 3): a synthetic 100,000-dataset catalog indexed by Kaifang and by
/// Pagefind, cold and warm queries in headless Chromium, side by side (tests/e2e/bench/search.mjs).
/// `BENCH_COUNT` / `BENCH_RUNS` in the environment make it smaller or longer.
fn search(kaifang: &std::path::Path, app: &std::path::Path, dir: &std::path::Path) -> Result<()> {
    println!("\n## search (Kaifang sharded index vs Pagefind)");
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    proc::run(
        cmd("node")
            .current_dir(root().join("tests/e2e"))
            .args(["bench/search.mjs"])
            .env("KAIFANG_BIN", kaifang)
            .env("KAIFANG_DIST", app)
            .env("BENCH_DIR", dir),
    )
}

/// The intake's load benchmark (bounded: a fixed number of filings, loopback only).
fn intake(kaifang: &std::path::Path, dir: &std::path::Path) -> Result<()> {
    let bin = crate::postgres::ensure_installed()?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let bench = |label: &str, url: &str| -> Result<()> {
        println!("\n## intake load, {label}");
        proc::run(cmd(kaifang.to_str().expect("utf-8 path")).args([
            "intake-bench", "--database", url, "--filings", "2000", "--concurrency", "16",
        ]))
    };
    bench("SQLite", &format!("sqlite:{}", dir.join("bench.sqlite").display()))?;
    let pg = crate::postgres::TempCluster::start(&bin)?;
    bench("PostgreSQL", &pg.url())
}

/// Sizes of what a browser downloads to start the app.
fn bundle(app: &std::path::Path) -> Result<()> {
    println!("\n## bundle (release, {})", app.display());
    println!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip -9", "brotli 11");
    let mut totals = (0usize, 0usize, 0usize);
    let mut entries: Vec<_> = std::fs::read_dir(app).map_err(|e| e.to_string())?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if !crate::compress::is_app_asset(&name) {
            continue;
        }
        let bytes = std::fs::read(e.path()).map_err(|e| e.to_string())?;
        let (g, b) = (crate::compress::gzip(&bytes).len(), crate::compress::brotli(&bytes).len());
        println!("{name:<44} {:>10} {:>10} {:>10}", bytes.len(), g, b);
        totals = (totals.0 + bytes.len(), totals.1 + g, totals.2 + b);
    }
    println!("{:<44} {:>10} {:>10} {:>10}", "total", totals.0, totals.1, totals.2);
    println!("ratio brotli/raw: {:.2}", totals.2 as f64 / totals.0.max(1) as f64);
    Ok(())
}
