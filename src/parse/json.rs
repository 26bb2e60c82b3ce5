//! HCL's JSON form (`*.json`), through jsonc-parser (which keeps byte ranges).
//!
//! Strict JSON: no comments, no trailing commas, no unquoted keys. Block levels may
//! be written as objects or, as HCL's JSON spec allows, as arrays of objects.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Entry, Node, NodeKind, insert, label_count, span};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::FileId;

pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    if super::too_deep(file, text, diags) {
        return None;
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
    };
    let value = match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => result.value,
        Err(err) => {
            let r = err.range();
            diags.push(
                Diagnostic::new(
                    Code::Syntax,
                    span(file, r.start..r.end.max(r.start + 1)),
                    format!("invalid JSON: {}", err.kind()),
                )
                .label("the parser stopped here"),
            );
            return None;
        }
    };
    let value = value?;
    let Value::Object(_) = &value else {
        diags.push(
            Diagnostic::new(
                Code::WrongType,
                span(file, value.range().start..value.range().end),
                "a JSON inventory must be an object at the top level",
            )
            .hint(r#"write it as {"project": {...}, "asset": {...}}"#),
        );
        return None;
    };
    let node = convert(file, &value, 0, diags)?;
    Some(normalize_blocks(node, None, diags))
}

fn convert(file: FileId, value: &Value, depth: usize, diags: &mut Diagnostics) -> Option<Node> {
    let r = value.range();
    let node_span = span(file, r.start..r.end);
    if depth > super::MAX_DEPTH {
        diags.push(Diagnostic::new(
            Code::Syntax,
            node_span,
            format!("nesting deeper than {} levels", super::MAX_DEPTH),
        ));
        return None;
    }
    let kind = match value {
        Value::NullKeyword(_) => NodeKind::Null,
        Value::BooleanLit(b) => NodeKind::Bool(b.value),
        Value::StringLit(s) => NodeKind::Str(s.value.to_string()),
        Value::NumberLit(n) => match n.value.parse::<serde_json::Number>() {
            Ok(num) => NodeKind::Number(num),
            Err(_) => {
                diags.push(Diagnostic::new(
                    Code::Syntax,
                    node_span,
                    format!("invalid JSON number `{}`", n.value),
                ));
                return None;
            }
        },
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.elements.len());
            for item in &items.elements {
                out.push(convert(file, item, depth + 1, diags)?);
            }
            NodeKind::List(out)
        }
        Value::Object(object) => {
            let mut node = Node::map(node_span.clone());
            for prop in &object.properties {
                let (name, name_range) = match &prop.name {
                    ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                };
                let value = convert(file, &prop.value, depth + 1, diags)?;
                let entry = Entry {
                    key: name,
                    key_span: span(file, name_range.start..name_range.end),
                    // Objects may be blocks; the schema decides what a key is.
                    is_block: matches!(prop.value, Value::Object(_) | Value::Array(_)),
                    value,
                };
                insert(&mut node, entry, 0, "", diags);
            }
            return Some(node);
        }
    };
    Some(Node {
        span: node_span,
        kind,
    })
}

/// Turn arrays of objects at block positions into one object (HCL's JSON spec
/// allows `"asset": [{"a": {...}}, {"b": {...}}]` and `"dr": [{...}]`).
fn normalize_blocks(mut node: Node, parent: Option<&str>, diags: &mut Diagnostics) -> Node {
    let NodeKind::Map(entries) =
        std::mem::replace(&mut node.kind, NodeKind::Map(Default::default()))
    else {
        return node;
    };
    for (_, mut entry) in entries {
        if let Some(labels) = label_count(parent, &entry.key) {
            entry.value = flatten_level(entry.value, labels, &entry.key, diags);
        }
        insert(&mut node, entry, 0, "", diags);
    }
    node
}

/// Normalize one block type's value, which has `labels` levels of label objects
/// above the block body.
fn flatten_level(value: Node, labels: usize, block: &str, diags: &mut Diagnostics) -> Node {
    let value = merge_list(value, diags);
    if labels == 0 {
        return normalize_blocks(value, Some(block), diags);
    }
    let NodeKind::Map(entries) = value.kind else {
        return value;
    };
    let mut out = Node::map(value.span);
    for (_, mut entry) in entries {
        entry.is_block = true;
        entry.value = flatten_level(entry.value, labels - 1, block, diags);
        insert(&mut out, entry, 0, "", diags);
    }
    out
}

fn merge_list(value: Node, diags: &mut Diagnostics) -> Node {
    let NodeKind::List(items) = value.kind else {
        return value;
    };
    if !items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) {
        return Node {
            span: value.span,
            kind: NodeKind::List(items),
        };
    }
    let mut out = Node::map(value.span);
    for item in items {
        if let NodeKind::Map(entries) = item.kind {
            for (_, entry) in entries {
                insert(&mut out, entry, 0, "", diags);
            }
        }
    }
    out
}
