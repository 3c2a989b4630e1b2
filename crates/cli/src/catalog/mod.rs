//! `kaifang catalog …`: turn a portal's source folder into a static catalog.

mod build;
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
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Build { source, out } => {
            let report = build::build(&source, &out)?;
            println!("built {} datasets into {}", report.datasets, out.display());
            Ok(())
        }
    }
}
