//! `kaifang catalog …`: turn a portal's source folder into a static catalog.

mod build;
mod generate;
mod index;
mod source;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a source folder and write the static catalog into OUT.
    Build {
        /// The portal's source folder (portal.toml, datasets/*.toml, files/).
        source: PathBuf,
        /// Where the static catalog is written (replaced).
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Search a built catalog from the command line, as the app would (shows what a
    /// query fetches: files and bytes).
    Search {
        /// The built catalog (the folder with catalog.json).
        catalog: PathBuf,
        /// A URL query string such as `q=公交线路&theme=交通出行`, or plain query text.
        query: String,
    },
    /// Write a synthetic portal source folder (Chinese text) for scale tests and benchmarks.
    Generate {
        /// How many datasets.
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Seed of the generator: the same count and seed give the same catalog.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Where the source folder is written (replaced).
        #[arg(short, long)]
        out: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Build { source, out } => {
            let report = build::build(&source, &out)?;
            println!(
                "built {} datasets into {} (search index: {} files, {} bytes)",
                report.datasets,
                out.display(),
                report.index_files,
                report.index_bytes
            );
            Ok(())
        }
        Command::Search { catalog, query } => search_cmd(&catalog, &query),
        Command::Generate { count, seed, out } => {
            generate::generate(&out, count, seed)?;
            println!("generated {count} datasets into {}", out.display());
            Ok(())
        }
    }
}

fn search_cmd(catalog: &std::path::Path, query: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use kaifang_core::search::{local, SearchState};
    let path = catalog.join("catalog.json");
    let index: kaifang_core::catalog::CatalogIndex =
        serde_json::from_slice(&std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("{} is not a Kaifang catalog", path.display()))?;
    let manifest = index.search.context("this catalog was built without a search index")?;
    let state = if query.contains('=') { SearchState::from_query(query) } else { SearchState { q: query.into(), page: 1, ..Default::default() } };
    let fetched = std::cell::RefCell::new(Vec::new());
    let started = std::time::Instant::now();
    let (outcome, summaries) = local::search(&manifest, &state, &|p| {
        let bytes = std::fs::read(catalog.join(p)).ok()?;
        fetched.borrow_mut().push((p.to_string(), bytes.len()));
        Some(bytes)
    })?;
    let took = started.elapsed();
    for s in &summaries {
        println!("{}  {}  [{} · {}]", s.id, s.title, s.theme, s.publisher.name);
    }
    let fetched = fetched.into_inner();
    let bytes: usize = fetched.iter().map(|f| f.1).sum();
    println!("{} matches; {} files, {} bytes read; {:.1} ms", outcome.total, fetched.len(), bytes, took.as_secs_f64() * 1e3);
    for (p, n) in fetched.iter().filter(|f| !f.0.contains("/s/")) {
        println!("  {p} {n}");
    }
    Ok(())
}
