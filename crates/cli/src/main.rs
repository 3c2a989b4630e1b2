//! The `kaifang` binary. (Minimal on the intake branch: the lead's main.rs adds
//! `catalog` and `serve`; the intake contributes `review` and the hidden
//! `intake-serve` / `intake-bench` commands.)

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod intake;
mod review;

#[derive(Debug, Parser)]
#[command(name = "kaifang", version, about = "Kaifang: open-data catalog tools and intake")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Provider actions on filings from the command line.
    Review(review::ReviewArgs),
    /// Serve the intake API alone (tests and benchmarks; `serve` mounts it with the app).
    #[command(hide = true)]
    IntakeServe {
        #[arg(long, default_value = intake::DEFAULT_DATABASE_URL)]
        database: String,
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Loopback address to listen on; port 0 picks a free port (printed on stdout).
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
    /// Load benchmark of the intake on 127.0.0.1.
    #[command(hide = true)]
    IntakeBench {
        #[arg(long, default_value = "sqlite:target/intake-bench/bench.sqlite")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        filings: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Review(args) => review::run(args).await,
        Command::IntakeServe { database, catalog, listen } => {
            anyhow::ensure!(listen.ip().is_loopback(), "intake-serve listens on loopback addresses only");
            let mut cfg = intake::IntakeConfig::new(database);
            cfg.catalog_dir = catalog;
            intake::serve(cfg, listen).await
        }
        Command::IntakeBench { database, filings, concurrency } => {
            let report = intake::bench::run(&database, filings, concurrency).await?;
            println!("{report}");
            Ok(())
        }
    }
}
