//! Depth and complexity limits with coded errors, and `extensions.cost`
//! (`{ requested, limit }`) on every response, so clients see how close
//! they are. Installed only on the checking schema (`schema::checker`),
//! which validates a request and never runs it.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest,
    NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::errors::coded;
use async_graphql::{
    Name, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};

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

/// Fields whose subtrees are introspection: left out of the depth limit
/// (the standard introspection query is 13 to 15 levels deep), still
/// counted by the complexity limit.
const INTROSPECTION: [&str; 2] = ["__schema", "__type"];

fn set_depth<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    stack: &mut Vec<&'a Name>,
) -> usize {
    let mut deepest = 0;
    for selection in &set.items {
        let depth = match &selection.node {
            Selection::Field(field) => {
                if INTROSPECTION.contains(&field.node.name.node.as_str()) {
                    0
                } else {
                    1 + set_depth(doc, &field.node.selection_set.node, stack)
                }
            }
            Selection::InlineFragment(fragment) => {
                set_depth(doc, &fragment.node.selection_set.node, stack)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                match doc.fragments.get(name) {
                    // A cycle is reported by validation; it adds no depth here.
                    Some(fragment) if !stack.contains(&name) => {
                        stack.push(name);
                        let depth = set_depth(doc, &fragment.node.selection_set.node, stack);
                        stack.pop();
                        depth
                    }
                    _ => 0,
                }
            }
        };
        deepest = deepest.max(depth);
    }
    deepest
}

/// Depth of the deepest operation, counting every field level (leaves
/// included) and following fragments, outside introspection.
pub fn document_depth(doc: &ExecutableDocument) -> usize {
    doc.operations
        .iter()
        .map(|(_, op)| set_depth(doc, &op.node.selection_set.node, &mut Vec::new()))
        .max()
        .unwrap_or(0)
}

#[async_trait::async_trait]
impl Extension for Limits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let depth = document_depth(&document);
        if depth > self.depth {
            return Err(coded(
                format!(
                    "the query is {depth} levels deep; at most {} are allowed",
                    self.depth
                ),
                "QUERY_TOO_DEEP",
            ));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Ok(mut requested) = self.requested.lock() {
            *requested = Some(result.complexity);
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

    /// A request that passed validation stops here: this extension is only
    /// installed on the schema that checks requests (`schema::checker`).
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> Response {
        Response::default()
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
