//! Depth and complexity limits with coded errors, and `extensions.cost`
//! (`{ requested, limit }`) on every response, so clients see how close
//! they are.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextValidation,
};
use async_graphql::{Response, ServerError, ValidationResult, Value};

/// Installs [`Limits`] on a schema.
pub struct LimitsFactory {
    pub depth: usize,
    pub complexity: usize,
}

impl ExtensionFactory for LimitsFactory {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Limits {
            depth: self.depth,
            complexity: self.complexity,
            requested: Mutex::new(None),
        })
    }
}

/// One request's limits and the complexity it asked for.
pub struct Limits {
    depth: usize,
    complexity: usize,
    requested: Mutex<Option<usize>>,
}

fn coded(message: String, code: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    error
}

#[async_trait::async_trait]
impl Extension for Limits {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Ok(mut requested) = self.requested.lock() {
            *requested = Some(result.complexity);
        }
        if result.depth > self.depth {
            return Err(vec![coded(
                format!(
                    "the query is {} levels deep; at most {} are allowed",
                    result.depth, self.depth
                ),
                "QUERY_TOO_DEEP",
            )]);
        }
        if result.complexity > self.complexity {
            return Err(vec![coded(
                format!(
                    "the query costs {}; at most {} is allowed (a connection costs its page size times its fields)",
                    result.complexity, self.complexity
                ),
                "QUERY_TOO_COMPLEX",
            )]);
        }
        Ok(result)
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        let requested = self
            .requested
            .lock()
            .ok()
            .and_then(|r| *r)
            .map_or(Value::Null, |n| Value::from(n as u64));
        let cost = Value::from_json(serde_json::json!({ "limit": self.complexity }))
            .map(|v| match v {
                Value::Object(mut map) => {
                    map.insert(async_graphql::Name::new("requested"), requested);
                    Value::Object(map)
                }
                other => other,
            })
            .unwrap_or(Value::Null);
        response.extensions.insert("cost".to_owned(), cost);
        response
    }
}
