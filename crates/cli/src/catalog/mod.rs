//! `kaifang catalog …`: turn a portal's source folder into a static catalog, check it,
//! import foreign catalogs into a source folder, and generate the sample's large file.

mod build;
mod check;
mod export;
mod generate;
mod gzip;
mod import;
mod index;
pub mod source;
mod synthetic;
mod vocab;

use clap::{Parser, Subcommand, ValueEnum};
use kaifang_core::catalog::Date;
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
        /// Record each data file's current size and sha256 in its description first.
        #[arg(long)]
        update_checksums: bool,
    },
    /// Check a source folder against the catalog rules; report every problem.
    Check {
        source: PathBuf,
        /// Record each data file's current size and sha256 in its description instead of
        /// reporting a missing or different checksum.
        #[arg(long)]
        update_checksums: bool,
    },
    /// Turn a foreign catalog (a file) into a source folder.
    Import {
        /// What the input is.
        #[arg(long = "from", value_enum)]
        from: ImportFormat,
        /// The catalog file: data.json, a CKAN API response, a DCAT-AP JSON-LD / RDF/XML /
        /// Turtle file, or a datapackage.json (its data files are copied).
        input: PathBuf,
        /// The source folder to create (must not exist or be empty).
        #[arg(short, long)]
        out: PathBuf,
        /// A rules file (TOML) of defaults and mappings for what the source lacks or names
        /// differently: domain from theme or keyword, department from publisher, region,
        /// security level, frequency, legal basis, licence (see docs/catalog-format.md).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// A default for every dataset that lacks the field, over the rules file's
        /// `[defaults]`: `--default security_level=1 --default 'region={ name = "示例市", level = "city" }'`.
        #[arg(long = "default", value_name = "KEY=VALUE")]
        defaults: Vec<String>,
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
    /// Write the sample portal's large generated CSV (deterministic, about 144 MB).
    GenerateLarge {
        /// The portal source folder; the file goes to SOURCE/generated/.
        source: PathBuf,
        /// Rows to write (the sample records its checksum for the default).
        #[arg(long, default_value_t = generate::DEFAULT_ROWS)]
        rows: u64,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ImportFormat {
    /// DCAT-US 1.1 (Project Open Data) data.json, or a JSON list of its dataset records.
    DcatUs,
    /// CKAN API JSON: package_show, package_search, or a list of packages.
    Ckan,
    /// DCAT-AP in JSON-LD (.jsonld/.json), RDF/XML (.rdf/.xml) or Turtle (.ttl).
    DcatAp,
    /// Frictionless Data Package (datapackage.json).
    Frictionless,
    /// A portal's catalog list (开放目录 / 资源目录): XLSX or CSV, one dataset per row,
    /// Chinese column headers (资源名称, 数源部门, 开放属性 …; more names in the rules' [sheet]).
    Sheet,
}

fn today() -> Option<Date> {
    Date::parse(&build::now_utc()[..10]).ok()
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Build { source, out, update_checksums } => {
            let opts = check::Options { update_checksums, today: today() };
            let report = build::build(&source, &out, &opts)?;
            print!("{}", report.check);
            println!(
                "built {} datasets into {} (search index: {} files, {} bytes, {} bytes gzip-compressed)",
                report.datasets,
                out.display(),
                report.index_files,
                report.index_bytes,
                report.index_gzip_bytes
            );
            Ok(())
        }
        Command::Search { catalog, query } => search_cmd(&catalog, &query),
        Command::Generate { count, seed, out } => {
            synthetic::generate(&out, count, seed)?;
            println!("generated {count} datasets into {}", out.display());
            Ok(())
        }
        Command::Check { source, update_checksums } => {
            let opts = check::Options { update_checksums, today: today() };
            let outcome = check::check_source(&source, &opts)?;
            for file in &outcome.updated {
                println!("recorded checksums in {file}");
            }
            print!("{}", outcome.render());
            if outcome.has_errors() {
                anyhow::bail!("the catalog source does not pass the checks");
            }
            Ok(())
        }
        Command::Import { from, input, out, rules, defaults } => {
            let rules = import::rules::Rules::load(rules.as_deref(), &defaults)?;
            let report = import::run(from, &input, &out, &rules)?;
            print!("{report}");
            Ok(())
        }
        Command::GenerateLarge { source, rows } => {
            let path = generate::write_bus_card_records(&source, rows)?;
            println!("wrote {}", path.display());
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
    let state = if query.contains('=') {
        SearchState::from_query(query)
    } else {
        SearchState { q: query.into(), page: 1, ..Default::default() }
    };
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
    println!(
        "{} matches; {} files, {} bytes read; {:.1} ms",
        outcome.total,
        fetched.len(),
        bytes,
        took.as_secs_f64() * 1e3
    );
    for (p, n) in fetched.iter().filter(|f| !f.0.contains("/s/")) {
        println!("  {p} {n}");
    }
    Ok(())
}
