//! HTTP: the router, authentication, GraphiQL, health, readiness and metrics.

pub mod graphql;
mod order;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::graphql::schema::AppSchema;
use crate::service::{self, Principal};

/// The header that carries the request id (set when the client sends none).
pub const REQUEST_ID: &str = "x-request-id";

/// What every request shares; cloned per request by axum's `State`
/// extractor, so it is one `Arc`.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The server's shared state (see [`AppState`]).
pub struct Shared {
    pub schema: AppSchema,
    /// The same schema with the limits, which only validates (see `schema::checker`).
    pub checker: AppSchema,
    pub db: DatabaseConnection,
    pub metrics: Arc<Metrics>,
    /// False while shutting down: `/readyz` answers 503.
    pub accepting: Arc<AtomicBool>,
    /// The demo key created by this process, prefilled in GraphiQL.
    pub demo_key: Option<String>,
    /// Limits checked on the request text.
    pub limits: graphql::HttpLimits,
    /// Where the GraphQL endpoint is served (`/graphql` by default).
    pub graphql_path: String,
    /// Parsed documents by query text.
    pub documents: Arc<graphql::Documents>,
}

/// Prometheus metrics of the server.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    pool: IntGaugeVec,
    statements: IntCounterVec,
    statement_latency: prometheus::Histogram,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("ordergraph_http_requests_total", "HTTP requests answered"),
            &["method", "path", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "ordergraph_http_request_duration_seconds",
                "Time to answer an HTTP request",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "path"],
        )?;
        let errors = IntCounterVec::new(
            Opts::new(
                "ordergraph_graphql_errors_total",
                "GraphQL errors by extensions.code",
            ),
            &["code"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "ordergraph_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )?;
        let statements = IntCounterVec::new(
            Opts::new(
                "ordergraph_db_statements_total",
                "SQL statements run, by outcome",
            ),
            &["outcome"],
        )?;
        let statement_latency = prometheus::Histogram::with_opts(
            HistogramOpts::new(
                "ordergraph_db_statement_duration_seconds",
                "Time to run one SQL statement",
            )
            .buckets(vec![
                0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0, 5.0,
            ]),
        )?;
        registry.register(Box::new(statements.clone()))?;
        registry.register(Box::new(statement_latency.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            errors,
            pool,
            statements,
            statement_latency,
        })
    }

    /// Counts a statement (called by SeaORM's metric callback).
    pub fn record_statement(&self, info: &sea_orm::metric::Info<'_>) {
        let outcome = if info.failed { "failed" } else { "ok" };
        self.statements.with_label_values(&[outcome]).inc();
        self.statement_latency.observe(info.elapsed.as_secs_f64());
    }

    fn count_error(&self, code: &str) {
        self.errors.with_label_values(&[code]).inc();
    }
}

/// Builds the router with its layers.
pub fn router(state: AppState, cors_origins: &[String], request_timeout: Duration) -> Router {
    let cors = CorsLayer::new()
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(3600));
    let cors = if cors_origins.is_empty() {
        cors.allow_origin(Any)
    } else {
        let origins: Vec<HeaderValue> = cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
            .collect();
        cors.allow_origin(AllowOrigin::list(origins))
    };
    let request_id = header::HeaderName::from_static(REQUEST_ID);
    let graphql_path = state.graphql_path.clone();
    Router::new()
        .route(&graphql_path, get(graphql::graphql).post(graphql::graphql))
        .route("/", get(graphiql))
        .route("/assets/graphiql/{file}", get(graphiql_asset))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics))
        // A backstop only: `/graphql` answers its own JSON `TIMEOUT` at
        // `request_timeout`; this cuts anything that still hangs a bit later.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout + Duration::from_secs(2),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(cors)
        .layer(middleware::from_fn(preflight_no_content))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// tower-http answers a CORS preflight with 200; API.md promises 204 No Content.
async fn preflight_no_content(req: Request, next: Next) -> Response {
    let preflight = req.method() == axum::http::Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = next.run(req).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    response
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
        "INTERNAL",
    )
}

/// A GraphQL-shaped error body with `extensions.code`.
pub fn error_response(status: StatusCode, message: &str, code: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

async fn record_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(req).await;
    let metrics = &state.metrics;
    metrics
        .latency
        .with_label_values(&[&method, &path])
        .observe(start.elapsed().as_secs_f64());
    metrics
        .requests
        .with_label_values(&[&method, &path, response.status().as_str()])
        .inc();
    response
}

/// The key of `Authorization: Bearer KEY` or `Authorization: ApiKey KEY`.
fn api_key(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey"))
        .then_some(key)
        .filter(|k| !k.is_empty())
}

pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Principal, Response> {
    let unauthenticated = |message: &str| {
        state.metrics.count_error("UNAUTHENTICATED");
        let mut response = error_response(StatusCode::UNAUTHORIZED, message, "UNAUTHENTICATED");
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"ordergraph\""),
        );
        response
    };
    let Some(key) = api_key(headers) else {
        return Err(unauthenticated(
            "missing API key: send `Authorization: Bearer KEY`",
        ));
    };
    match service::auth::authenticate(&state.db, key).await {
        Ok(Some(principal)) => Ok(principal),
        Ok(None) => Err(unauthenticated("unknown or revoked API key")),
        Err(err) => {
            let code = if service::is_unavailable(&err) {
                "DATABASE_UNAVAILABLE"
            } else {
                tracing::error!(error = %err, "API key lookup failed");
                "INTERNAL"
            };
            state.metrics.count_error(code);
            let mut response = error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable; retry later",
                code,
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Err(response)
        }
    }
}

/// Gives every error raised by the GraphQL library itself (parsing,
/// validation, argument coercion) an `extensions.code`; ours carry one already.
pub(crate) fn assign_code(error: &mut async_graphql::ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if has_code {
        return;
    }
    let message = error.message.as_str();
    let user_input = message.starts_with("Failed to parse")
        || message.starts_with("Invalid value")
        || message.contains("Oneof")
        || message.contains("oneof");
    let code = if message.contains("nested too deep") {
        "QUERY_TOO_DEEP"
    } else if message.contains("too complex") {
        "QUERY_TOO_COMPLEX"
    } else if message.starts_with(" -->") || message.starts_with("-->") {
        "GRAPHQL_PARSE_FAILED"
    } else if user_input {
        "BAD_USER_INPUT"
    } else if error.path.is_empty() {
        "GRAPHQL_VALIDATION_FAILED"
    } else {
        "INTERNAL"
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}

/// The example query GraphiQL opens with.
const DEFAULT_QUERY: &str = r#"# Welcome to ordergraph. Press ▶ (or Ctrl-Enter) to run:
# open orders, newest first, 5 a page, with their items.
# Next page: set Variables to {"after": "<endCursor>"}.
# Schema docs: the book icon, top left.
query OpenOrders($after: String) {
  orders(
    first: 5
    after: $after
    filter: { status: { in: [PENDING, PROCESSING] } }
    sort: [{ field: CREATED_AT, direction: DESC }]
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      number
      status
      paymentStatus
      total
      currency { code }
      customer { email }
      items { sku name quantity unitPrice total }
    }
  }
}
"#;

const GRAPHIQL_HTML: &str = include_str!("../../vendor/graphiql/index.html");

async fn graphiql(State(state): State<AppState>) -> Html<String> {
    let headers = state
        .demo_key
        .as_ref()
        .map(|key| format!("{{\n  \"Authorization\": \"Bearer {key}\"\n}}"));
    let config = json!({
        "endpoint": state.graphql_path,
        "headers": headers,
        "defaultQuery": DEFAULT_QUERY,
    })
    .to_string()
    .replace('<', "\\u003c")
    .replace('>', "\\u003e")
    .replace('&', "\\u0026");
    Html(GRAPHIQL_HTML.replace("__ORDERGRAPH_CONFIG__", &config))
}

async fn graphiql_asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "graphiql.min.js" => (
            include_bytes!("../../vendor/graphiql/graphiql.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql.min.css" => (
            include_bytes!("../../vendor/graphiql/graphiql.min.css"),
            "text/css; charset=utf-8",
        ),
        "react.production.min.js" => (
            include_bytes!("../../vendor/graphiql/react.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../vendor/graphiql/react-dom.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        Body::from(body),
    )
        .into_response()
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> Response {
    if !state.accepting.load(Ordering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "shutting down" })),
        )
            .into_response();
    }
    let ping = tokio::time::timeout(
        Duration::from_secs(2),
        state.db.execute_unprepared("SELECT 1"),
    )
    .await;
    match ping {
        Ok(Ok(_)) => Json(json!({ "status": "ready" })).into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "database unavailable" })),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let (size, idle) = crate::db::pool_usage(&state.db);
    let metrics = &state.metrics;
    metrics
        .pool
        .with_label_values(&["idle"])
        .set(i64::from(idle));
    metrics
        .pool
        .with_label_values(&["in_use"])
        .set(i64::from(size.saturating_sub(idle)));
    let mut buffer = Vec::new();
    if let Err(err) = prometheus::TextEncoder::new().encode(&metrics.registry.gather(), &mut buffer)
    {
        tracing::error!(error = %err, "encoding metrics failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        buffer,
    )
        .into_response()
}
