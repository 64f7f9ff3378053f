//! An input field bound to a variable the request did not send is left out,
//! not set to `null`.
//!
//! async-graphql 7.2 reads `{ url: $url }` with `$url` absent (nullable, no
//! default) as `{ url: null }`, so a partial update would clear `url` (fixed
//! only in 8.0). The server removes such fields (and arguments, so that
//! their defaults apply) from the parsed document before validation, so
//! `MaybeUndefined` sees them as undefined. The HTTP handler applies
//! [`strip_absent`] to every parsed request before it is validated.

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::Name;
use async_graphql::Variables;
use async_graphql_value::Value;

/// Variables neither sent nor given a default in their definition.
fn absent(document: &ExecutableDocument, variables: &Variables) -> HashSet<Name> {
    let mut names = HashSet::new();
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            let name = &definition.node.name.node;
            if !variables.contains_key(name) && definition.node.default_value.is_none() {
                names.insert(name.clone());
            }
        }
    }
    names
}

fn strip_value(value: &mut Value, absent: &HashSet<Name>) {
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !matches!(v, Value::Variable(name) if absent.contains(name)));
            for v in fields.values_mut() {
                strip_value(v, absent);
            }
        }
        Value::List(items) => {
            for v in items {
                strip_value(v, absent);
            }
        }
        _ => {}
    }
}

fn strip_selection_set(set: &mut SelectionSet, absent: &HashSet<Name>) {
    for selection in &mut set.items {
        match &mut selection.node {
            Selection::Field(field) => {
                // An argument bound to an absent variable is left out, so its default applies.
                field
                    .node
                    .arguments
                    .retain(|(_, v)| !matches!(&v.node, Value::Variable(n) if absent.contains(n)));
                for (_, value) in &mut field.node.arguments {
                    strip_value(&mut value.node, absent);
                }
                strip_selection_set(&mut field.node.selection_set.node, absent);
            }
            Selection::InlineFragment(fragment) => {
                strip_selection_set(&mut fragment.node.selection_set.node, absent);
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn used_in_value(value: &Value, used: &mut HashSet<Name>) {
    match value {
        Value::Variable(name) => {
            used.insert(name.clone());
        }
        Value::Object(fields) => fields.values().for_each(|v| used_in_value(v, used)),
        Value::List(items) => items.iter().for_each(|v| used_in_value(v, used)),
        _ => {}
    }
}

fn used_in_selection_set(set: &SelectionSet, used: &mut HashSet<Name>) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                for (_, value) in &field.node.arguments {
                    used_in_value(&value.node, used);
                }
                for directive in &field.node.directives {
                    for (_, value) in &directive.node.arguments {
                        used_in_value(&value.node, used);
                    }
                }
                used_in_selection_set(&field.node.selection_set.node, used);
            }
            Selection::InlineFragment(fragment) => {
                for directive in &fragment.node.directives {
                    for (_, value) in &directive.node.arguments {
                        used_in_value(&value.node, used);
                    }
                }
                used_in_selection_set(&fragment.node.selection_set.node, used);
            }
            Selection::FragmentSpread(spread) => {
                for directive in &spread.node.directives {
                    for (_, value) in &directive.node.arguments {
                        used_in_value(&value.node, used);
                    }
                }
            }
        }
    }
}

/// Removes object fields bound to absent variables, everywhere in the
/// document, and the definitions of absent variables left unused (so that
/// validation does not report them as unused).
pub fn strip_absent(document: &mut ExecutableDocument, variables: &Variables) {
    let absent = absent(document, variables);
    if absent.is_empty() {
        return;
    }
    match &mut document.operations {
        DocumentOperations::Single(operation) => {
            strip_selection_set(&mut operation.node.selection_set.node, &absent);
        }
        DocumentOperations::Multiple(operations) => {
            for operation in operations.values_mut() {
                strip_selection_set(&mut operation.node.selection_set.node, &absent);
            }
        }
    }
    for fragment in document.fragments.values_mut() {
        strip_selection_set(&mut fragment.node.selection_set.node, &absent);
    }
    let mut used = HashSet::new();
    for fragment in document.fragments.values() {
        used_in_selection_set(&fragment.node.selection_set.node, &mut used);
    }
    let mut operations: Vec<
        &mut async_graphql::parser::Positioned<async_graphql::parser::types::OperationDefinition>,
    > = match &mut document.operations {
        DocumentOperations::Single(operation) => vec![operation],
        DocumentOperations::Multiple(operations) => operations.values_mut().collect(),
    };
    for operation in &mut operations {
        let mut used_here = used.clone();
        used_in_selection_set(&operation.node.selection_set.node, &mut used_here);
        for directive in &operation.node.directives {
            for (_, value) in &directive.node.arguments {
                used_in_value(&value.node, &mut used_here);
            }
        }
        operation.node.variable_definitions.retain(|definition| {
            let name = &definition.node.name.node;
            !absent.contains(name) || used_here.contains(name)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_bound_to_absent_variables_are_removed() {
        let mut doc = async_graphql::parser::parse_query(
            "mutation($id: ID!, $a: String, $b: String, $c: String = \"x\") { f(id: $id, input: { a: $a, b: $b, c: $c, d: null }) }",
        )
        .unwrap();
        let variables = Variables::from_json(serde_json::json!({ "id": "1", "a": "sent" }));
        strip_absent(&mut doc, &variables);
        let DocumentOperations::Single(op) = &doc.operations else {
            panic!("one operation")
        };
        let Selection::Field(field) = &op.node.selection_set.node.items[0].node else {
            panic!("a field")
        };
        let Value::Object(input) = &field.node.arguments[1].1.node else {
            panic!("an object")
        };
        let keys: Vec<&str> = input.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["a", "c", "d"]);
    }
}
