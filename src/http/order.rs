//! Puts response fields back in selection order. async-graphql 7.2 resolves
//! sibling fields concurrently and writes each as it completes, so a slow
//! field (`totalCount`) can come out after later ones; the GraphQL spec
//! wants the order of the query.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// The response keys of a selection set in query order, each with the
/// selection sets below it (fragments flattened; a fragment seen twice on one
/// path adds nothing).
fn keys<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    out: &mut Vec<(&'a str, Vec<&'a SelectionSet>)>,
    fragments: &mut Vec<&'a str>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field
                    .node
                    .alias
                    .as_ref()
                    .map_or(field.node.name.node.as_str(), |a| a.node.as_str());
                let child = &field.node.selection_set.node;
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, sets)) => sets.push(child),
                    None => out.push((key, vec![child])),
                }
            }
            Selection::InlineFragment(fragment) => {
                keys(doc, &fragment.node.selection_set.node, out, fragments);
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if fragments.contains(&name) {
                    continue;
                }
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    fragments.push(name);
                    keys(doc, &fragment.node.selection_set.node, out, fragments);
                    fragments.pop();
                }
            }
        }
    }
}

/// The response keys of `sets` in query order, with their child selection sets.
type Keys<'a> = Vec<(&'a str, Vec<&'a SelectionSet>)>;

fn keys_of<'a>(doc: &'a ExecutableDocument, sets: &[&'a SelectionSet]) -> Keys<'a> {
    let mut order = Vec::new();
    for set in sets {
        keys(doc, set, &mut order, &mut Vec::new());
    }
    order
}

fn reorder_value(doc: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    match value {
        Value::List(items) => {
            // Every element has the same selection: its keys are worked out once.
            let mut order = None;
            for item in items {
                reorder_list_item(doc, sets, &mut order, item);
            }
        }
        Value::Object(map) => reorder_object(doc, &keys_of(doc, sets), map),
        _ => {}
    }
}

fn reorder_list_item<'a>(
    doc: &'a ExecutableDocument,
    sets: &[&'a SelectionSet],
    order: &mut Option<Keys<'a>>,
    item: &mut Value,
) {
    match item {
        Value::Object(map) => {
            let order = order.get_or_insert_with(|| keys_of(doc, sets));
            reorder_object(doc, order, map);
        }
        other => reorder_value(doc, sets, other),
    }
}

fn reorder_object(doc: &ExecutableDocument, order: &Keys<'_>, map: &mut IndexMap<Name, Value>) {
    let in_order = map.len() == order.len()
        && map
            .keys()
            .zip(order.iter())
            .all(|(name, (key, _))| name.as_str() == *key);
    if in_order {
        // The common case: nothing moves, only the children are looked at.
        for (value, (_, child_sets)) in map.values_mut().zip(order.iter()) {
            reorder_value(doc, child_sets, value);
        }
        return;
    }
    let mut old = std::mem::take(map);
    let mut new = IndexMap::with_capacity(old.len());
    for (key, child_sets) in order {
        if let Some((name, mut child)) = old.shift_remove_entry(*key) {
            reorder_value(doc, child_sets, &mut child);
            new.insert(name, child);
        }
    }
    // Anything not named by the query keeps its place after the rest.
    for (name, child) in old {
        new.insert(name, child);
    }
    *map = new;
}

/// Reorders `data` after the selection of the operation that ran.
pub fn in_query_order(doc: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = doc
        .operations
        .iter()
        .find(|(name, _)| operation_name.is_none() || name.map(Name::as_str) == operation_name)
        .map(|(_, op)| op);
    if let Some(operation) = operation {
        reorder_value(doc, &[&operation.node.selection_set.node], data);
    }
}
