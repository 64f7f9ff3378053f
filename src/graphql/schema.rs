//! Builds the schema with its limits; the SDL export comes from here too.

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};

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

/// The schema with its limits, without per-server data (added by `startup`).
pub fn builder(limits: &Limits) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    let builder = Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .extension(super::absent::AbsentVariablesFactory)
        .extension(super::limits::LimitsFactory {
            depth: limits.depth,
            complexity: limits.complexity,
        });
    if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    builder(&Limits::default()).finish().sdl()
}
