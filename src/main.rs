//! The `ordergraph` binary: parse the command line, run the command.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = ordergraph::config::Cli::parse();
    ordergraph::cli::run(cli).await
}
