//! `cargo xtask bench`: benchmarks that print figures and ratios against a peer measured
//! in the same run. `cargo xtask bench NAME…` runs only the named ones.
//!
//! - bundle: the release app's wasm + JS, raw, gzip and brotli;
//! - first-list: time until the app shows the first dataset list in headless Chromium,
//!   next to a static HTML page of the same list (the no-JavaScript lower bound);
//! - intake: filings per second and latency of the intake API on loopback, on SQLite and
//!   on a throwaway PostgreSQL cluster, side by side;
//! - desk: the provider desk's inbox and figures on 10,000 seeded filings, query and HTTP
//!   load, SQLite and PostgreSQL;
//! - chart: drawing a one-million-point chart, downsampled (LTTB) next to every point;
//! - preview: the data preview on a 100 MB CSV (first rows, scan MB/s vs Papa Parse and the
//!   native csv crate, scroll frames) — see bench_preview.rs.

use crate::build::{self, target_dir};
use crate::proc::{self, cmd, root, Result};
use crate::server::Server;
use crate::tools;
use std::path::Path;

pub fn run(args: &[String]) -> Result<()> {
    let only: Vec<&str> = args.iter().map(String::as_str).collect();
    let wants = |name: &str| only.is_empty() || only.contains(&name);
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    tools::ensure_e2e_packages()?;
    let (kaifang, app, catalog, pages) = build::build_all()?;
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
        proc::run(
            cmd("node").current_dir(root().join("tests/e2e")).args(["bench/chart.mjs"]).env("KAIFANG_URL", &server.url),
        )?;
    }
    if wants("search") {
        search(&kaifang, &app, &out.join("search"))?;
    }
    if wants("intake") {
        intake(&kaifang, &out.join("intake"))?;
    }
    if wants("desk") {
        desk(&kaifang, &out.join("desk"))?;
    }
    if wants("first-visit") {
        first_visit(&kaifang, &app, &catalog, &pages, &out.join("first-visit"))?;
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
            "intake-bench",
            "--database",
            url,
            "--filings",
            "2000",
            "--concurrency",
            "16",
        ]))
    };
    bench("SQLite", &format!("sqlite:{}", dir.join("bench.sqlite").display()))?;
    let pg = crate::postgres::TempCluster::start(&bin)?;
    bench("PostgreSQL", &pg.url())
}

/// The desk on 10,000 filings (issue 15): inbox and figures, the query alone and the whole
/// load over HTTP, on SQLite and on a throwaway PostgreSQL cluster (`kaifang desk-bench`).
/// `BENCH_FILINGS` in the environment seeds another number.
fn desk(kaifang: &std::path::Path, dir: &std::path::Path) -> Result<()> {
    let bin = crate::postgres::ensure_installed()?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let filings = std::env::var("BENCH_FILINGS").unwrap_or_else(|_| "10000".into());
    let bench = |label: &str, url: &str| -> Result<()> {
        println!("\n## desk, {filings} filings, {label}");
        proc::run(cmd(kaifang.to_str().expect("utf-8 path")).args([
            "desk-bench",
            "--database",
            url,
            "--filings",
            &filings,
        ]))
    };
    bench("SQLite", &format!("sqlite:{}", dir.join("desk.sqlite").display()))?;
    let pg = crate::postgres::TempCluster::start(&bin)?;
    bench("PostgreSQL", &pg.url())
}

/// A first visit on a phone (issue 13): Lighthouse's default mobile run (simulated slow 4G,
/// 4× CPU) on the front page and a dataset page, served by `kaifang serve` as a portal runs
/// it, beside the same pages as plain HTML without the app's scripts (the peer, which sets the
/// limit). tests/e2e/bench/first-visit.mjs runs and prints them.
fn first_visit(kaifang: &Path, app: &Path, catalog: &Path, pages: &Path, dir: &Path) -> Result<()> {
    println!("\n## first visit (Lighthouse {}, mobile defaults)", tools::LIGHTHOUSE_VERSION);
    let lighthouse = tools::ensure_lighthouse()?;
    let _ = std::fs::remove_dir_all(dir);
    let peer = dir.join("plain");
    plain_copy(pages, &peer)?;
    let site = Server::start_site(kaifang, app, catalog, pages, &dir.join("data"))?;
    let plain = Server::start_site(kaifang, app, catalog, &peer, &dir.join("data-plain"))?;
    let sizes = module_sizes(app)?;
    proc::run(
        cmd("node")
            .current_dir(root().join("tests/e2e"))
            .args(["bench/first-visit.mjs"])
            .env("LIGHTHOUSE", &lighthouse)
            .env("KAIFANG_URL", &site.url)
            .env("PEER_URL", &plain.url)
            .env("MODULE_SIZES", sizes),
    )
}

/// Each wasm module's size, raw and brotli 11, as JSON: the home module's at the app's root,
/// each page kind's under `modules/<name>/` (src/modules.rs).
fn module_sizes(app: &Path) -> Result<String> {
    let mut dirs = vec![("web".to_string(), app.to_path_buf())];
    for e in std::fs::read_dir(app.join("modules")).map_err(|e| e.to_string())?.flatten() {
        dirs.push((e.file_name().to_string_lossy().into_owned(), e.path()));
    }
    let mut sizes = Vec::new();
    for (name, dir) in dirs {
        let wasm = std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .flatten()
            .find(|e| {
                let f = e.file_name().to_string_lossy().into_owned();
                f.starts_with(&format!("kaifang-{name}-")) && f.ends_with("_bg.wasm")
            })
            .ok_or(format!("no kaifang-{name} wasm in {}", dir.display()))?;
        let bytes = std::fs::read(wasm.path()).map_err(|e| e.to_string())?;
        let brotli = crate::compress::brotli(&bytes).len();
        sizes.push(format!(r#""{name}":{{"raw":{},"brotli":{brotli}}}"#, bytes.len()));
    }
    Ok(format!("{{{}}}", sizes.join(",")))
}

/// The peer: every page as built, without the app's scripts and their preloads.
fn plain_copy(from: &Path, to: &Path) -> Result<()> {
    for e in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let e = e.map_err(|e| e.to_string())?;
        let target = to.join(e.file_name());
        if e.file_type().map_err(|e| e.to_string())?.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            plain_copy(&e.path(), &target)?;
        } else if e.file_name().to_string_lossy().ends_with(".html") {
            let html = std::fs::read_to_string(e.path()).map_err(|e| e.to_string())?;
            std::fs::write(&target, strip_scripts(&html)).map_err(|e| e.to_string())?;
        } else {
            std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
            std::fs::copy(e.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// `html` without `<script>` elements that run (data blocks stay) and without preloads.
fn strip_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next_script = rest.find("<script");
        let next_link =
            rest.find("<link rel=\"modulepreload\"").into_iter().chain(rest.find("<link rel=\"preload\"")).min();
        match (next_script, next_link) {
            (Some(s), l) if l.is_none_or(|l| s < l) => {
                out.push_str(&rest[..s]);
                let end = rest[s..].find("</script>").map(|i| s + i + "</script>".len()).unwrap_or(rest.len());
                let tag = &rest[s..end];
                if tag.contains("application/json") || tag.contains("application/ld+json") {
                    out.push_str(tag);
                }
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                let end = rest[l..].find('>').map(|i| l + i + 1).unwrap_or(rest.len());
                rest = &rest[end..];
            }
            (None, None) => break,
            (Some(_), None) => unreachable!("handled above"),
        }
    }
    out.push_str(rest);
    out
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
