//! GraphQL over HTTP (the GraphQL-over-HTTP specification): `POST` with
//! `application/json` only (anything else is 415, closing the cross-site
//! `text/plain` hole), `GET` for queries only (405 for mutations), JSON error
//! bodies with `extensions.code` for every malformed request, the response
//! type negotiated from `Accept`, and the request limits that need the
//! request text: body size, query length, aliases, directives, batch size,
//! time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Request, ServerError, Variables};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{authenticate, AppState, REQUEST_ID};
use crate::graphql::errors::coded;
use crate::graphql::loaders;
use crate::graphql::RequestContext;

/// Limits checked on the request text, before execution.
#[derive(Clone, Debug)]
pub struct HttpLimits {
    /// Largest request body.
    pub body_bytes: usize,
    /// Longest query text, in characters.
    pub query_chars: usize,
    /// Most aliases in one document (`__typename` counts like any field).
    pub aliases: usize,
    /// Most operations in one JSON batch.
    pub batch: usize,
    /// Longest time a request may take.
    pub timeout: Duration,
    /// The complexity limit, reported in `extensions.cost`.
    pub complexity: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            body_bytes: 1024 * 1024,
            query_chars: 15_000,
            aliases: 30,
            batch: 10,
            timeout: Duration::from_secs(10),
            complexity: 5_000,
        }
    }
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// The media type of the answer, from `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    /// `application/graphql-response+json`: requests that cannot run are 400.
    GraphqlResponse,
    /// `application/json` (also when `Accept` is missing or `*/*`): they are 200.
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            Media::Json => JSON,
        }
    }
}

/// `None` when the client accepts neither JSON type.
fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut json = false;
    for part in accept.split(',') {
        let mut params = part.split(';');
        let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = params.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            "application/graphql-response+json" => return Some(Media::GraphqlResponse),
            "application/json" | "*/*" | "application/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Media::Json)
}

/// An error response that is not a GraphQL execution: a JSON body with `extensions.code`.
fn reject(status: StatusCode, media: Media, message: &str, code: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}

/// One operation of the request, as sent.
struct Operation {
    query: String,
    operation_name: Option<String>,
    variables: Variables,
    extensions: Value,
}

fn operation_from_json(value: Value) -> Result<Operation, String> {
    let Value::Object(mut map) = value else {
        return Err("a GraphQL request is a JSON object".to_owned());
    };
    let query = match map.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => return Err("`query` must be a string".to_owned()),
        None => return Err("`query` is missing".to_owned()),
    };
    let operation_name = match map.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string".to_owned()),
    };
    let variables = match map.remove("variables") {
        None | Some(Value::Null) => Variables::default(),
        Some(v @ Value::Object(_)) => Variables::from_json(v),
        Some(_) => return Err("`variables` must be an object".to_owned()),
    };
    let extensions = match map.remove("extensions") {
        None | Some(Value::Null) => Value::Null,
        Some(v @ Value::Object(_)) => v,
        Some(_) => return Err("`extensions` must be an object".to_owned()),
    };
    Ok(Operation {
        query,
        operation_name,
        variables,
        extensions,
    })
}

/// `GET /graphql?query=…&variables=…&operationName=…`.
fn operation_from_query_string(uri: &Uri) -> Result<Operation, String> {
    let mut map = serde_json::Map::new();
    for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        let value = match key.as_ref() {
            "variables" | "extensions" => {
                serde_json::from_str(&value).map_err(|_| format!("`{key}` is not valid JSON"))?
            }
            _ => Value::String(value.into_owned()),
        };
        map.insert(key.into_owned(), value);
    }
    operation_from_json(Value::Object(map))
}

fn count_aliases(set: &SelectionSet, fragments_seen: &mut usize) -> usize {
    let mut n = 0;
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                n += usize::from(field.node.alias.is_some());
                n += count_aliases(&field.node.selection_set.node, fragments_seen);
            }
            Selection::InlineFragment(fragment) => {
                n += count_aliases(&fragment.node.selection_set.node, fragments_seen);
            }
            Selection::FragmentSpread(_) => *fragments_seen += 1,
        }
    }
    n
}

fn unknown_directive(set: &SelectionSet) -> Option<String> {
    const KNOWN: [&str; 2] = ["skip", "include"];
    for selection in &set.items {
        let (directives, inner) = match &selection.node {
            Selection::Field(f) => (&f.node.directives, Some(&f.node.selection_set.node)),
            Selection::InlineFragment(f) => (&f.node.directives, Some(&f.node.selection_set.node)),
            Selection::FragmentSpread(f) => (&f.node.directives, None),
        };
        if let Some(d) = directives
            .iter()
            .find(|d| !KNOWN.contains(&d.node.name.node.as_str()))
        {
            return Some(d.node.name.node.to_string());
        }
        if let Some(found) = inner.and_then(unknown_directive) {
            return Some(found);
        }
    }
    None
}

/// Checks of the parsed document that async-graphql does not make.
fn check_document(doc: &ExecutableDocument, limits: &HttpLimits) -> Result<(), ServerError> {
    let mut sets: Vec<&SelectionSet> = doc
        .fragments
        .values()
        .map(|f| &f.node.selection_set.node)
        .collect();
    let mut operation_directives = Vec::new();
    for (_, op) in doc.operations.iter() {
        sets.push(&op.node.selection_set.node);
        operation_directives.extend(
            op.node
                .directives
                .iter()
                .map(|d| d.node.name.node.to_string()),
        );
    }
    if let Some(name) = operation_directives.first() {
        return Err(coded(
            format!("unknown directive \"@{name}\""),
            "GRAPHQL_VALIDATION_FAILED",
        ));
    }
    let mut spreads = 0;
    let aliases: usize = sets.iter().map(|s| count_aliases(s, &mut spreads)).sum();
    if aliases > limits.aliases {
        return Err(coded(
            format!(
                "the query has {aliases} aliases; at most {} are allowed",
                limits.aliases
            ),
            "TOO_MANY_ALIASES",
        ));
    }
    if let Some(name) = sets.iter().find_map(|s| unknown_directive(s)) {
        return Err(coded(
            format!("unknown directive \"@{name}\""),
            "GRAPHQL_VALIDATION_FAILED",
        ));
    }
    Ok(())
}

/// The type of the operation that would run, if it can be told.
fn operation_type(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    }
}

/// Parsed documents by query text. Clients send the same few documents again
/// and again, and parsing one (pest) was about 6% of the server's work on a
/// page of 50 orders. Bounded: when full it is emptied, then refills with the
/// documents sent next. Documents that do not parse are not kept.
#[derive(Default)]
pub struct Documents(Mutex<HashMap<String, Arc<ExecutableDocument>>>);

/// Most documents kept.
const DOCUMENTS_KEPT: usize = 512;

impl Documents {
    /// The document of `query`, parsed once.
    fn parse(&self, query: &str) -> Result<ExecutableDocument, ServerError> {
        let kept = self
            .0
            .lock()
            .ok()
            .and_then(|documents| documents.get(query).cloned());
        if let Some(document) = kept {
            return Ok(document.as_ref().clone());
        }
        let document = async_graphql::parser::parse_query(query)?;
        if let Ok(mut documents) = self.0.lock() {
            if documents.len() >= DOCUMENTS_KEPT {
                documents.clear();
            }
            documents.insert(query.to_owned(), Arc::new(document.clone()));
        }
        Ok(document)
    }
}

/// Prepares one operation; an `Err` is a response for it that skips execution.
fn prepare(
    operation: Operation,
    limits: &HttpLimits,
    documents: &Documents,
    get: bool,
) -> Result<Prepared, Box<Result<async_graphql::Response, Response>>> {
    let fail = |error: ServerError| Box::new(Ok(async_graphql::Response::from_errors(vec![error])));
    if operation.query.chars().count() > limits.query_chars {
        return Err(fail(coded(
            format!("the query is longer than {} characters", limits.query_chars),
            "PAYLOAD_TOO_LARGE",
        )));
    }
    let mut request = Request::new(operation.query).variables(operation.variables);
    if let Some(name) = &operation.operation_name {
        request = request.operation_name(name.clone());
    }
    if let Value::Object(map) = operation.extensions {
        for (key, value) in map {
            request.extensions.insert(
                key,
                async_graphql::Value::from_json(value).unwrap_or_default(),
            );
        }
    }
    let name = operation.operation_name.clone();
    let mut document = match documents.parse(&request.query) {
        Ok(document) => document,
        Err(mut error) => {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "GRAPHQL_PARSE_FAILED");
            return Err(fail(error));
        }
    };
    if get && operation_type(&document, name.as_deref()) == Some(OperationType::Mutation) {
        let mut response = reject(
            StatusCode::METHOD_NOT_ALLOWED,
            Media::Json,
            "mutations must be sent with POST",
            "BAD_REQUEST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return Err(Box::new(Err(response)));
    }
    check_document(&document, limits).map_err(fail)?;
    crate::graphql::absent::strip_absent(&mut document, &request.variables);
    request.set_parsed_query(document.clone());
    Ok(Prepared {
        request,
        document,
        operation_name: name,
    })
}

/// An operation ready to run, with its document kept to order the response.
struct Prepared {
    request: Request,
    document: ExecutableDocument,
    operation_name: Option<String>,
}

fn code_of(error: &ServerError) -> Option<String> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

/// A response that never executed (refused while parsing or validating).
fn never_ran(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// Writes a response; one that never executed has no `data` entry, as the
/// specification asks. Executed ones are written straight from the response.
fn write_json(
    response: &async_graphql::Response,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    if !never_ran(response) {
        return serde_json::to_writer(out, response);
    }
    let mut value = serde_json::to_value(response)?;
    if let Value::Object(map) = &mut value {
        map.remove("data");
    }
    serde_json::to_writer(out, &value)
}

/// Serves `/graphql`.
pub async fn graphql(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let limits = &state.limits;
    let Some(media) = negotiate(&headers) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            "send `Accept: application/graphql-response+json` or `application/json`",
            "BAD_REQUEST",
        );
    };
    let bad_request =
        |message: &str| reject(StatusCode::BAD_REQUEST, media, message, "BAD_REQUEST");

    // The operations as sent.
    let (operations, batch) = if method == Method::GET {
        match operation_from_query_string(&uri) {
            Ok(op) => (vec![op], false),
            Err(message) => return bad_request(&message),
        }
    } else {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return reject(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                media,
                "POST requests must be `Content-Type: application/json`",
                "BAD_REQUEST",
            );
        }
        let bytes = match axum::body::to_bytes(body, limits.body_bytes).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return reject(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    media,
                    &format!(
                        "the request body is larger than {} bytes",
                        limits.body_bytes
                    ),
                    "PAYLOAD_TOO_LARGE",
                );
            }
        };
        let value: Value = match serde_json::from_slice(&bytes) {
            Ok(value) => value,
            Err(_) => return bad_request("the body is not valid JSON"),
        };
        match value {
            Value::Array(items) => {
                if items.is_empty() {
                    return bad_request("an empty batch");
                }
                if items.len() > limits.batch {
                    return reject(
                        StatusCode::BAD_REQUEST,
                        media,
                        &format!("a batch has at most {} operations", limits.batch),
                        "BATCH_TOO_LARGE",
                    );
                }
                let mut ops = Vec::with_capacity(items.len());
                for item in items {
                    match operation_from_json(item) {
                        Ok(op) => ops.push(op),
                        Err(message) => return bad_request(&message),
                    }
                }
                (ops, true)
            }
            other => match operation_from_json(other) {
                Ok(op) => (vec![op], false),
                Err(message) => return bad_request(&message),
            },
        }
    };

    let get = method == Method::GET;
    let mut prepared = Vec::with_capacity(operations.len());
    for op in operations {
        match prepare(op, limits, &state.documents, get) {
            Ok(request) => prepared.push(Ok(request)),
            Err(outcome) => match *outcome {
                Ok(response) => prepared.push(Err(response)),
                Err(http) => return http,
            },
        }
    }

    let principal = match authenticate(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let request_id = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let mut responses = Vec::with_capacity(prepared.len());
    for item in prepared {
        let response = match item {
            Err(response) => response,
            Ok(Prepared {
                request,
                document,
                operation_name,
            }) => {
                // Limits and validation first, on the checking schema: it
                // answers with the errors, or with none and the cost.
                let mut check =
                    Request::new(request.query.clone()).variables(request.variables.clone());
                check.operation_name = request.operation_name.clone();
                check.introspection_mode = request.introspection_mode;
                check.set_parsed_query(document.clone());
                let checked = state.checker.execute(check).await;
                let cost = checked.extensions.get("cost").cloned();
                if checked.is_err() {
                    finish(checked, &state, &request_id, limits, &mut responses);
                    continue;
                }
                let request = request
                    .data(RequestContext {
                        principal: principal.clone(),
                        db: state.db.clone(),
                    })
                    .data(loaders::for_request(state.db.clone(), principal.tenant_id));
                match tokio::time::timeout(limits.timeout, state.schema.execute(request)).await {
                    Ok(mut response) => {
                        super::order::in_query_order(
                            &document,
                            operation_name.as_deref(),
                            &mut response.data,
                        );
                        if let Some(cost) = cost {
                            response.extensions.insert("cost".to_owned(), cost);
                        }
                        response
                    }
                    Err(_) => {
                        tracing::warn!(request_id = ?request_id, "request timed out");
                        state.metrics.count_error("TIMEOUT");
                        let mut response = reject(
                            StatusCode::SERVICE_UNAVAILABLE,
                            media,
                            &format!(
                                "the request took longer than {} s",
                                limits.timeout.as_secs()
                            ),
                            "TIMEOUT",
                        );
                        response
                            .headers_mut()
                            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                        return response;
                    }
                }
            }
        };
        finish(response, &state, &request_id, limits, &mut responses);
    }

    let unavailable = responses
        .iter()
        .flat_map(|r| &r.errors)
        .any(|e| code_of(e).as_deref() == Some("DATABASE_UNAVAILABLE"));
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if !batch && media == Media::GraphqlResponse && responses.iter().all(never_ran) {
        // The request could not be executed (parse, validation, limits).
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut body = Vec::with_capacity(4096);
    let written = if batch {
        body.push(b'[');
        responses
            .iter()
            .enumerate()
            .try_for_each(|(i, r)| {
                if i > 0 {
                    body.push(b',');
                }
                write_json(r, &mut body)
            })
            .map(|()| body.push(b']'))
    } else {
        write_json(&responses[0], &mut body)
    };
    let Ok(()) = written else {
        return reject(
            StatusCode::INTERNAL_SERVER_ERROR,
            media,
            "internal error",
            "INTERNAL",
        );
    };
    let mut response =
        (status, [(header::CONTENT_TYPE, media.content_type())], body).into_response();
    if unavailable {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// Codes, counts and logs a response's errors, adds `requestId` and (when
/// the request never reached the checking schema) a `cost` without
/// `requested`, and appends it to `responses`.
fn finish(
    mut response: async_graphql::Response,
    state: &AppState,
    request_id: &Option<String>,
    limits: &HttpLimits,
    responses: &mut Vec<async_graphql::Response>,
) {
    for error in &mut response.errors {
        super::assign_code(error);
        if let Some(code) = code_of(error) {
            state.metrics.count_error(&code);
            if code == "INTERNAL" {
                tracing::error!(request_id = ?request_id, message = %error.message, "internal error");
                error.message = "internal error".to_owned();
            }
        }
    }
    if let Some(id) = &request_id {
        response.extensions.insert(
            "requestId".to_owned(),
            async_graphql::Value::from(id.as_str()),
        );
    }
    // Refused before the schema saw it: the cost was never computed.
    response
        .extensions
        .entry("cost".to_owned())
        .or_insert_with(|| {
            let mut cost = async_graphql::indexmap::IndexMap::new();
            cost.insert(
                async_graphql::Name::new("requested"),
                async_graphql::Value::Null,
            );
            cost.insert(
                async_graphql::Name::new("limit"),
                async_graphql::Value::from(limits.complexity as u64),
            );
            async_graphql::Value::Object(cost)
        });
    responses.push(response);
}
