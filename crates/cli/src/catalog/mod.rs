//! `kaifang catalog …`: turn a portal's source folder into a static catalog, check it,
//! import foreign catalogs into a source folder, and generate the sample's large file.

mod build;
mod check;
mod export;
mod generate;
mod vocab;
mod import;
mod source;

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
            println!("built {} datasets into {}", report.datasets, out.display());
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
        Command::Import { from, input, out } => {
            let report = import::run(from, &input, &out)?;
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
