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
        Command::Generate { count, seed, out } => {
            generate::generate(&out, count, seed)?;
            println!("generated {count} datasets into {}", out.display());
            Ok(())
        }
    }
}
