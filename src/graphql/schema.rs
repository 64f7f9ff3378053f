//! Builds the schema with its limits; the SDL export comes from here too.

use async_graphql::{EmptySubscription, Schema, SchemaBuilder, ValidationMode};

use super::mutation::MutationRoot;
use super::query::QueryRoot;

/// The schema type served.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Limits applied to every request.
#[derive(Clone, Debug)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 12,
            complexity: 5_000,
            introspection: true,
        }
    }
}

/// The schema that runs requests, without per-server data (added by
/// `startup`). It has no extensions: with any extension installed,
/// async-graphql 7.2 resolves every field through the extension chain (a
/// boxed future per extension and field, and a registry lookup), which cost
/// about a sixth of the server's CPU time on a page of 50 orders. The limits
/// are checked before by [`checker`].
pub fn builder(limits: &Limits) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    // The checker validated the request fully: here only the fast checks run again.
    let builder = Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .validation_mode(ValidationMode::Fast);
    if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// The same schema with the depth and complexity limits installed, used
/// only to parse and validate a request (it never resolves a field): its
/// response carries the validation errors, or none, and `extensions.cost`.
pub fn checker(limits: &Limits) -> AppSchema {
    builder(limits)
        .validation_mode(ValidationMode::Strict)
        .extension(super::limits::LimitsFactory {
            depth: limits.depth,
            complexity: limits.complexity,
        })
        .finish()
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    builder(&Limits::default()).finish().sdl()
}
