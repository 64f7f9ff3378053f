//! The commands: serve, migrate, schema, api-key create, seed.

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use crate::config::{ApiKeyCommand, Cli, Command, Settings};
use crate::startup::App;
use crate::{db, graphql, seed, service};

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("ordergraph=info,tower_http=info"));
    // Logs go to stderr so that stdout carries only what commands print.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs a command; the exit code is 0 on success.
pub async fn run(cli: Cli) -> ExitCode {
    init_tracing();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(settings)) => serve(settings).await,
        Some(Command::Migrate(args)) => {
            async {
                let db = db::connect(&args).await?;
                db::migrate(&db).await?;
                println!("migrations applied");
                Ok(())
            }
            .await
        }
        Some(Command::Schema) => {
            print!("{}", graphql::schema::sdl());
            Ok(())
        }
        Some(Command::ApiKey(ApiKeyCommand::Create {
            database,
            tenant,
            name,
        })) => {
            async {
                let db = db::connect(&database).await?;
                db::migrate(&db).await?;
                let created = service::auth::create_api_key(&db, &tenant, &name).await?;
                eprintln!("API key \"{name}\" for tenant \"{tenant}\" (shown once):");
                println!("{}", created.key);
                Ok(())
            }
            .await
        }
        Some(Command::Seed(args)) => seed::run(&args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

async fn serve(settings: Settings) -> Result<(), AnyError> {
    let app = App::build(settings).await?;
    let url = format!("http://{}/", app.address());
    println!("ordergraph is listening on {}", app.address());
    println!("GraphiQL playground: {url}");
    if let Some(key) = app.demo_key() {
        println!("This database had no API key: created tenant \"demo\" and its key (shown once):");
        println!("  {key}");
        println!(
            "GraphiQL opens with it prefilled; other clients send `Authorization: Bearer {key}`."
        );
    }
    app.run_until_stopped().await?;
    Ok(())
}
