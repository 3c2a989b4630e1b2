//! `kaifang`: the native side of Kaifang. Builds and checks static catalogs, serves the
//! app, the catalog and the intake API behind one address, and lets provider departments
//! decide filings from the command line.

mod catalog;
mod edge;
mod inspect;
mod intake;
mod render;
mod review;
mod serve;
mod serve_pages;

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "kaifang", version, about = "Kaifang open-data catalog tools, server and intake")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build, check or import static catalogs.
    Catalog(catalog::Args),
    /// Write every page as HTML before any wasm runs (front, browse, dataset, rights, forms,
    /// 404), with sitemap.xml, robots.txt and the app's files: a folder any static host serves.
    Render(render::Args),
    /// Serve the built app, a built catalog and the intake API on one address.
    Serve(serve::Args),
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
    /// The desk's inbox and figures on a database seeded with N filings (SQLite or PostgreSQL).
    #[command(hide = true)]
    DeskBench {
        #[arg(long, default_value = "sqlite:target/desk-bench/bench.sqlite")]
        database: String,
        #[arg(long, default_value_t = 10_000)]
        filings: usize,
    },
    /// Copy the intake's SQLite database consistently while it serves (PostgreSQL: pg_dump).
    Backup {
        #[arg(long, env = "KAIFANG_DATABASE", default_value = intake::DEFAULT_DATABASE_URL)]
        database: String,
        /// The backup file to write (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup taken by `kaifang backup` in place of the intake's database (server stopped).
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        #[arg(long, env = "KAIFANG_DATABASE", default_value = intake::DEFAULT_DATABASE_URL)]
        database: String,
        /// Replace an existing database.
        #[arg(long)]
        replace: bool,
    },
    /// Print, as JSON, what the preview makes of a file: encoding, delimiter, header, rows, problems, column profiles.
    Inspect(inspect::Args),
}

/// What a backup or restore holds, as one JSON line.
fn print_counts(counts: anyhow::Result<intake::backup::Counts>) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(&counts?)?);
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Command::Catalog(args) => catalog::run(args),
        Command::Render(args) => render::run(args),
        Command::Serve(args) => serve::run(args).await,
        Command::Review(args) => review::run(args).await,
        Command::IntakeServe { database, catalog, listen } => {
            if listen.ip().is_loopback() {
                let mut cfg = intake::IntakeConfig::new(database);
                cfg.catalog_dir = catalog;
                intake::serve(cfg, listen).await
            } else {
                Err(anyhow::anyhow!("intake-serve listens on loopback addresses only"))
            }
        }
        Command::IntakeBench { database, filings, concurrency } => {
            intake::bench::run(&database, filings, concurrency).await.map(|report| println!("{report}"))
        }
        Command::DeskBench { database, filings } => intake::desk_bench::run(&database, filings).await,
        Command::Backup { database, to } => print_counts(intake::backup::backup(&database, &to).await),
        Command::Restore { from, database, replace } => {
            print_counts(intake::backup::restore(&from, &database, replace).await)
        }
        // Reads the file with blocking I/O: a one-shot command, nothing else runs meanwhile.
        Command::Inspect(args) => inspect::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kaifang: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
