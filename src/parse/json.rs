//! HCL's JSON form (`*.json`), through jsonc-parser (which keeps byte ranges).
//!
//! Strict JSON: no comments, no trailing commas, no unquoted keys. Block levels may
//! be written as objects or, as HCL's JSON spec allows, as arrays of objects.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind};

use super::{Entry, Node, NodeKind, insert, label_count, span};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::FileId;

pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    if super::limits::too_deep(file, text, diags) {
        return None;
    }
    // Strict JSON: jsonc-parser allows all of these by default.
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let value = match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => result.value,
        Err(err) => {
            let r = err.range();
            let at = span(file, r.start..r.end.max(r.start + 1));
            let d = match err.kind() {
                ParseErrorKind::String(ParseStringErrorKind::InvalidUnicodeEscapeSequence(
                    what,
                )) if what.contains("surrogate") => Diagnostic::new(
                    Code::Syntax,
                    at,
                    "invalid JSON: a `\\u` escape holds half of a UTF-16 surrogate pair",
                )
                .label(surrogate_label(what))
                .hint("a character above U+FFFF is written as two escapes, high then low (`\\ud83d\\ude80` is 🚀), or as the character itself"),
                kind => Diagnostic::new(Code::Syntax, at, format!("invalid JSON: {kind}"))
                    .label("the parser stopped here"),
            };
            diags.push(d);
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

/// jsonc-parser's description of a bad surrogate escape (`d83d (unpaired high
/// surrogate)`) as a label: `` `\ud83d`: unpaired high surrogate ``.
fn surrogate_label(what: &str) -> String {
    match what.split_once(' ') {
        Some((hex, why)) => format!("`\\u{hex}`: {}", why.trim_matches(['(', ')'])),
        None => format!("`\\u{what}`"),
    }
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

/// The JSON Schema `lifeboat schema` prints for editors: `schema` (the inventory's
/// shape, which the schema check uses on the merged tree) plus what HCL's JSON form
/// allows before merging: at every block position, and at every level of labels
/// above a block body, an array of objects as well as an object
/// (`"asset": [{"a": {...}}, {"b": {...}}]`, `"dr": [{...}]`).
pub fn editor_schema(mut schema: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    /// Label levels that are definitions of their own (`$ref`): the definition's
    /// name and how many levels remain below it.
    type Refs = Vec<(String, usize)>;
    fn blocks_in(def: &mut J, parent: Option<&str>, refs: &mut Refs) {
        if let Some(props) = def.get_mut("properties").and_then(J::as_object_mut) {
            for (key, prop) in props.iter_mut() {
                if let Some(labels) = label_count(parent, key) {
                    *prop = block_levels(std::mem::take(prop), labels, refs);
                }
            }
        }
        for variants in ["oneOf", "anyOf", "allOf"] {
            if let Some(J::Array(branches)) = def.get_mut(variants) {
                for b in branches {
                    blocks_in(b, parent, refs);
                }
            }
        }
    }
    /// A block value with `labels` levels of label objects above its body: each
    /// level may also be an array of such objects.
    fn block_levels(mut level: J, labels: usize, refs: &mut Refs) -> J {
        if labels > 0 {
            if let Some(body) = level.get_mut("additionalProperties")
                && body.is_object()
            {
                *body = block_levels(std::mem::take(body), labels - 1, refs);
            } else if let Some(J::String(r)) = level.get("$ref") {
                // Labels as the named properties of a definition (a tier's
                // `scenario "az"`): each property is one level further down.
                let name = r.rsplit('/').next().unwrap_or_default().to_owned();
                refs.push((name, labels - 1));
            }
        }
        let description = level.as_object_mut().and_then(|o| o.remove("description"));
        let mut either = serde_json::json!({
            "anyOf": [level.clone(), {"type": "array", "items": level}]
        });
        if let Some(d) = description {
            either["description"] = d;
        }
        either
    }
    let mut refs = Refs::new();
    blocks_in(&mut schema, None, &mut refs);
    // Nested blocks live in the definitions their parents refer to; a definition
    // is named after its block type (`Tier` holds `scenario` blocks).
    if let Some(defs) = schema.get_mut("$defs").and_then(J::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            blocks_in(def, Some(&name.to_lowercase()), &mut refs);
        }
        for (name, labels) in std::mem::take(&mut refs) {
            let props = defs
                .get_mut(&name)
                .and_then(|d| d.get_mut("properties"))
                .and_then(J::as_object_mut);
            for prop in props.into_iter().flat_map(|p| p.values_mut()) {
                *prop = block_levels(std::mem::take(prop), labels, &mut refs);
            }
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as J;

    /// The schema at a JSON pointer, through `$ref`s.
    fn at<'a>(root: &'a J, pointer: &str) -> &'a J {
        let mut s = root.pointer(pointer).unwrap_or_else(|| panic!("{pointer}"));
        while let Some(J::String(r)) = s.get("$ref") {
            s = root.pointer(r.trim_start_matches('#')).unwrap();
        }
        s
    }

    /// Both forms of a block level: the object as before, and an array of it.
    fn both_forms(s: &J) -> (&J, &J) {
        let any = s["anyOf"]
            .as_array()
            .unwrap_or_else(|| panic!("no anyOf: {s}"));
        assert_eq!(any.len(), 2, "{s}");
        assert_eq!(any[1]["type"], "array");
        assert_eq!(any[1]["items"], any[0]);
        (&any[0], &any[1])
    }

    #[test]
    fn every_block_level_also_takes_an_array_and_nothing_else_changes() {
        let plain = crate::input::json_schema();
        let editor = editor_schema(plain.clone());
        // Labelled top-level blocks: the label level and the body level.
        for block in ["project", "tier", "asset"] {
            let (labels, _) = both_forms(&editor["properties"][block]);
            assert_eq!(labels["type"], "object", "{block}");
            let (body, _) = both_forms(&labels["additionalProperties"]);
            assert_eq!(
                body, &plain["properties"][block]["additionalProperties"],
                "{block}"
            );
            assert!(
                editor["properties"][block]["description"].is_string(),
                "{block}"
            );
        }
        both_forms(&editor["properties"]["assumptions"]);
        // Nested blocks: a tier's labelled scenarios, and an asset's blocks.
        both_forms(&at(&editor, "/$defs/Tier")["properties"]["scenario"]);
        for s in ["az", "region", "corruption"] {
            both_forms(&at(&editor, "/$defs/Scenarios")["properties"][s]);
        }
        for (def, blocks) in [
            ("RdsAsset", &["dr", "measured"][..]),
            ("S3Asset", &["dr", "measured"]),
            ("EndpointAsset", &["primary", "secondary", "health_check"]),
        ] {
            for b in blocks {
                let s = at(&editor, &format!("/$defs/{def}"))
                    .get("properties")
                    .and_then(|p| p.get(*b));
                let Some(s) = s else {
                    // A kind's fields may sit in the `oneOf` branches of `Asset`.
                    let branch = at(&editor, "/$defs/Asset")["oneOf"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|br| br["properties"].get(*b).is_some())
                        .unwrap_or_else(|| panic!("{def}.{b}"));
                    both_forms(&branch["properties"][*b]);
                    continue;
                };
                both_forms(s);
            }
        }
        // Nothing else changes: without the array alternatives, it is the plain
        // schema again.
        assert_eq!(unwrap_arrays(editor), plain);
    }

    /// The schema with every object-or-array alternative replaced by the object
    /// (and its description put back).
    fn unwrap_arrays(s: J) -> J {
        match s {
            J::Object(mut o) => {
                if let Some(J::Array(any)) = o.get("anyOf")
                    && any.len() == 2
                    && any[1]["type"] == "array"
                    && any[1]["items"] == any[0]
                {
                    let mut inner = unwrap_arrays(any[0].clone());
                    if let (Some(d), J::Object(i)) = (o.remove("description"), &mut inner) {
                        i.insert("description".into(), d);
                    }
                    return inner;
                }
                J::Object(o.into_iter().map(|(k, v)| (k, unwrap_arrays(v))).collect())
            }
            J::Array(a) => J::Array(a.into_iter().map(unwrap_arrays).collect()),
            other => other,
        }
    }
}
