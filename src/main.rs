//! The `ordergraph` binary: parse the command line, run the command.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: a page of 50 orders makes
/// thousands of small short-lived allocations (rows, strings, response
/// values), and glibc's malloc and free were about a quarter of the server's
/// instructions (bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = ordergraph::config::Cli::parse();
    ordergraph::cli::run(cli).await
}
