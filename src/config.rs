//! Command line and settings, read once (flags, or the environment).

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// The embedded default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://ordergraph.db?mode=rwc";
/// Where `serve` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// ordergraph: a GraphQL order API. Without a command it serves.
#[derive(Debug, Parser)]
#[command(
    name = "ordergraph",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the GraphQL API, GraphiQL and health endpoints.
    Serve(Settings),
    /// Apply migrations and exit.
    Migrate(DatabaseArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Manage API keys.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
    /// Load deterministic demo data.
    Seed(SeedArgs),
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create the tenant if needed and print a new API key as the last line.
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Tenant the key belongs to.
        #[arg(long)]
        tenant: String,
        /// Name of the key, recorded as the actor of its changes.
        #[arg(long, default_value = "default")]
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// `sqlite://…` or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Connections in the pool (default: on PostgreSQL twice the CPUs, 4 to
    /// 16; on SQLite 8).
    #[arg(long, env = "ORDERGRAPH_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// SQLite only: cap the database file at this many pages (PRAGMA
    /// max_page_count); writes beyond it fail with DATABASE_UNAVAILABLE.
    #[arg(long, env = "ORDERGRAPH_SQLITE_MAX_PAGES")]
    pub sqlite_max_pages: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Number of orders to create.
    #[arg(long, default_value_t = 1000)]
    pub orders: u64,
    /// Tenant that receives the data.
    #[arg(long, default_value = "demo")]
    pub tenant: String,
    /// Orders per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch_size: u64,
    /// Do not draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Everything `serve` needs, read once.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    #[arg(long, env = "ORDERGRAPH_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// Path of the GraphQL endpoint (GraphiQL at `/` follows it).
    #[arg(long, env = "ORDERGRAPH_GRAPHQL_PATH", default_value = "/graphql", value_parser = graphql_path)]
    pub graphql_path: String,
    /// Origins allowed by CORS, comma separated (default: any origin).
    #[arg(long, env = "ORDERGRAPH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Seconds that requests in flight get to finish after SIGTERM/SIGINT.
    #[arg(
        long = "shutdown-timeout",
        env = "ORDERGRAPH_SHUTDOWN_TIMEOUT",
        default_value_t = 10
    )]
    pub shutdown_timeout_secs: u64,
    /// Seconds a request may take.
    #[arg(
        long = "request-timeout",
        env = "ORDERGRAPH_REQUEST_TIMEOUT",
        default_value_t = 10
    )]
    pub request_timeout_secs: u64,
    /// Turn introspection (and field suggestions) off.
    #[arg(long, env = "ORDERGRAPH_DISABLE_INTROSPECTION")]
    pub disable_introspection: bool,
    /// Do not create the `demo` tenant and key on a database without keys.
    #[arg(long, env = "ORDERGRAPH_NO_DEMO_KEY")]
    pub no_demo_key: bool,
    /// Deepest query allowed (introspection fields are not counted).
    #[arg(long, env = "ORDERGRAPH_MAX_DEPTH", default_value_t = 12)]
    pub max_depth: usize,
    /// Highest query cost allowed (a connection costs its page size times its fields).
    #[arg(long, env = "ORDERGRAPH_MAX_COMPLEXITY", default_value_t = 5_000)]
    pub max_complexity: usize,
    /// Most aliases in one query.
    #[arg(long, env = "ORDERGRAPH_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// Longest query text, in characters.
    #[arg(long, env = "ORDERGRAPH_MAX_QUERY_CHARS", default_value_t = 15_000)]
    pub max_query_chars: usize,
    /// Largest request body, in bytes.
    #[arg(long, env = "ORDERGRAPH_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Most operations in one JSON batch.
    #[arg(long, env = "ORDERGRAPH_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
}

/// A path of its own: starts with `/`, is not `/` and not under `/assets/`.
fn graphql_path(value: &str) -> Result<String, String> {
    let ok = value.starts_with('/')
        && value.len() > 1
        && !value.starts_with("/assets/")
        && !["/healthz", "/readyz", "/metrics"].contains(&value)
        && !value.contains(['{', '}', '*', '?', '#', ' ']);
    if ok {
        Ok(value.to_owned())
    } else {
        Err("a path such as /graphql or /api/graphql".to_owned())
    }
}

impl Settings {
    /// Defaults for a given database, ignoring the environment (used by tests).
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Settings {
            database: DatabaseArgs {
                database_url: database_url.into(),
                db_max_connections: None,
                sqlite_max_pages: None,
            },
            listen: DEFAULT_LISTEN.to_owned(),
            graphql_path: "/graphql".to_owned(),
            cors_origins: Vec::new(),
            shutdown_timeout_secs: 10,
            request_timeout_secs: 10,
            disable_introspection: false,
            no_demo_key: false,
            max_depth: 12,
            max_complexity: 5_000,
            max_aliases: 30,
            max_query_chars: 15_000,
            max_body_bytes: 1024 * 1024,
            max_batch: 10,
        }
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}
