//! Builds the application (database, migrations, schema, router, listener)
//! the same way for `serve` and for the tests, and runs it until a signal.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entity::server_setting;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::graphql::loaders::CurrencyTable;
use crate::graphql::pagination::CursorCodec;
use crate::graphql::schema::{self, Limits};
use crate::http::{self, AppState, Metrics};
use crate::{db, service};

/// Name of the setting that holds the cursor signing key.
const CURSOR_KEY: &str = "cursor_hmac_key";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("the cursor key in server_settings is not 32 bytes of base64url")]
    CursorKey,
}

/// A built application, bound to its port, not yet serving.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
    settings: Settings,
    address: SocketAddr,
}

/// Reads the cursor key, creating it on the first start (any process may race; one wins).
async fn cursor_key(db: &DatabaseConnection) -> Result<[u8; 32], StartupError> {
    let mut fresh = [0_u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    server_setting::Entity::insert(server_setting::ActiveModel {
        key: Set(CURSOR_KEY.to_owned()),
        value: Set(URL_SAFE_NO_PAD.encode(fresh)),
    })
    .on_conflict_do_nothing_on([server_setting::Column::Key])
    .exec(db)
    .await?;
    let stored = server_setting::Entity::find_by_id(CURSOR_KEY.to_owned())
        .one(db)
        .await?
        .ok_or(StartupError::CursorKey)?;
    URL_SAFE_NO_PAD
        .decode(stored.value)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or(StartupError::CursorKey)
}

impl App {
    /// Connects, migrates, creates the demo key on a keyless database, and binds the listener.
    pub async fn build(settings: Settings) -> Result<App, StartupError> {
        let metrics = Arc::new(Metrics::new()?);
        // Statements outlive their request by at most a second: the request's own
        // JSON TIMEOUT answers first, then PostgreSQL cancels what still runs.
        let statement_timeout = settings.request_timeout() + std::time::Duration::from_secs(1);
        let mut db = db::connect_with_timeout(&settings.database, statement_timeout).await?;
        let recorder = metrics.clone();
        db.set_metric_callback(move |info| recorder.record_statement(info));
        db::migrate(&db).await?;
        db::ensure_statistics(&db).await?;
        let demo_key = if settings.no_demo_key {
            None
        } else {
            service::auth::ensure_demo_key(&db).await?
        };
        let codec = CursorCodec::new(cursor_key(&db).await?);
        let currencies = CurrencyTable::load(&db).await?;
        let limits = Limits {
            depth: settings.max_depth,
            complexity: settings.max_complexity,
            introspection: !settings.disable_introspection,
        };
        let schema = schema::builder(&limits)
            .data(Arc::new(currencies))
            .data(codec)
            .finish();
        let state = AppState(Arc::new(http::Shared {
            schema,
            checker: schema::checker(&limits),
            db,
            metrics,
            accepting: Arc::new(AtomicBool::new(true)),
            demo_key,
            graphql_path: settings.graphql_path.clone(),
            documents: Arc::default(),
            limits: http::graphql::HttpLimits {
                body_bytes: settings.max_body_bytes,
                query_chars: settings.max_query_chars,
                aliases: settings.max_aliases,
                batch: settings.max_batch,
                timeout: settings.request_timeout(),
                complexity: settings.max_complexity,
            },
        }));
        let router = http::router(
            state.clone(),
            &settings.cors_origins,
            settings.request_timeout(),
        );
        let listener = TcpListener::bind(&settings.listen).await?;
        let address = listener.local_addr()?;
        Ok(App {
            listener,
            router,
            state,
            settings,
            address,
        })
    }

    /// The port bound (useful with `127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The key created for the `demo` tenant by this start, if it created one.
    pub fn demo_key(&self) -> Option<&str> {
        self.state.demo_key.as_deref()
    }

    /// The database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves until SIGTERM or SIGINT, then drains.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes; then `/readyz` turns 503, no new
    /// connections are accepted and requests in flight get the shutdown timeout to finish.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let accepting = self.state.accepting.clone();
        let drain = Arc::new(tokio::sync::Notify::new());
        let drain_signal = drain.clone();
        let server = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async move { drain_signal.notified().await });
        let mut server = std::pin::pin!(std::future::IntoFuture::into_future(server));
        tokio::select! {
            result = &mut server => return result,
            () = stop => {}
        }
        tracing::info!("shutting down: finishing requests in flight");
        accepting.store(false, Ordering::SeqCst);
        drain.notify_one();
        match tokio::time::timeout(self.settings.shutdown_timeout(), server).await {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!("shutdown timeout reached; closing remaining connections");
                Ok(())
            }
        }
    }
}

/// Completes on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
