//! `kaifang`: the native side of Kaifang. Builds and checks static catalogs and serves
//! the app, the catalog and the intake API behind one address.

mod catalog;
mod inspect;
mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "kaifang", version, about = "Kaifang open-data catalog tools and server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build, check or import static catalogs.
    Catalog(catalog::Args),
    /// Serve the built app, a built catalog and the intake API on one address.
    Serve(serve::Args),
    /// Print, as JSON, what the preview makes of a file: encoding, delimiter, header, rows, problems, column profiles.
    Inspect(inspect::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Catalog(args) => catalog::run(args),
        Command::Serve(args) => serve::run(args),
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
