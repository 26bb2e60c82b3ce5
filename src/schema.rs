//! Checks a parsed [`Node`] tree against the inventory's JSON Schema
//! ([`crate::input::json_schema`]), with spans, reporting every problem.
//!
//! This is the bridge between the untyped tree and serde: a subtree that passes
//! here deserializes into the input types. It understands the subset of JSON
//! Schema that schemars emits for those types: `$ref`, `type`, `properties`,
//! `required`, `additionalProperties`, `items`, `enum`, `const`, `anyOf` with
//! `null` (options), `oneOf` discriminated by `kind` (asset kinds), and numeric
//! `minimum`/`maximum`/`exclusiveMinimum`.

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::parse::{Node, NodeKind, PathSeg};
use crate::source::Span;

/// Where the schema check found problems: subtrees that later stages skip.
#[derive(Debug, Default)]
pub struct Broken {
    paths: Vec<Vec<PathSeg>>,
}

impl Broken {
    /// Whether anything at or below `prefix` is broken.
    pub fn contains(&self, prefix: &[PathSeg]) -> bool {
        self.paths.iter().any(|p| p.starts_with(prefix))
    }

    /// The broken paths at or below `prefix`, each without `prefix`.
    pub fn under<'a>(&'a self, prefix: &'a [PathSeg]) -> impl Iterator<Item = &'a [PathSeg]> {
        self.paths
            .iter()
            .filter_map(move |p| p.strip_prefix(prefix))
    }

    /// The ids of assets with a problem, for one lookup per asset rather than a
    /// scan of every problem (a schema change can break every asset).
    pub fn assets(&self) -> std::collections::HashSet<&str> {
        self.paths
            .iter()
            .filter_map(|p| match p.as_slice() {
                [PathSeg::Key(a), PathSeg::Key(id), ..] if a == "asset" => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Stage 2: check the whole tree against the inventory's JSON Schema, report
/// every problem into `diags`, and say where they are.
pub fn check(root: &Node, diags: &mut Diagnostics) -> Broken {
    let schema = crate::input::schema_ref();
    let mut checker = Checker::new(schema);
    checker.check(root, &root.span, schema, &mut Vec::new());
    diags.extend(checker.diags);
    Broken {
        paths: checker.broken,
    }
}

pub struct Checker<'a> {
    defs: &'a Value,
    pub diags: Diagnostics,
    /// Paths of every node with a problem, so callers can skip broken subtrees.
    pub broken: Vec<Vec<PathSeg>>,
}

impl<'a> Checker<'a> {
    pub fn new(schema: &'a Value) -> Self {
        Checker {
            defs: &schema["$defs"],
            diags: Diagnostics::default(),
            broken: Vec::new(),
        }
    }

    /// Whether anything at or below `prefix` is broken.
    pub fn is_broken(&self, prefix: &[PathSeg]) -> bool {
        self.broken.iter().any(|p| p.starts_with(prefix))
    }

    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        while let Some(Value::String(r)) = schema.get("$ref") {
            let name = r.trim_start_matches("#/$defs/");
            schema = &self.defs[name];
        }
        schema
    }

    fn report(&mut self, path: &[PathSeg], d: Diagnostic) {
        self.broken.push(path.to_vec());
        self.diags.push(d);
    }

    /// Check `node` (found under `header`, the span of its key or label) against `schema`.
    pub fn check(
        &mut self,
        node: &Node,
        header: &Span,
        schema: &'a Value,
        path: &mut Vec<PathSeg>,
    ) {
        let schema = self.resolve(schema);
        if matches!(node.kind, NodeKind::Invalid) {
            self.broken.push(path.clone()); // already reported by the parser
            return;
        }
        if let Some(Value::Array(branches)) = schema.get("anyOf") {
            let is_null_branch = |b: &Value| b.get("type") == Some(&Value::String("null".into()));
            if matches!(node.kind, NodeKind::Null) && branches.iter().any(is_null_branch) {
                return;
            }
            if let Some(b) = branches.iter().find(|b| !is_null_branch(b)) {
                return self.check(node, header, b, path);
            }
        }
        if let Some(Value::Array(branches)) = schema.get("oneOf") {
            return self.check_tagged(node, header, branches, path);
        }
        if !self.check_type(node, schema, path) {
            return;
        }
        if let Some(Value::Array(allowed)) = schema.get("enum") {
            self.check_enum(node, allowed, path);
        }
        if let (Some(c), NodeKind::Str(s)) = (schema.get("const"), &node.kind)
            && c.as_str() != Some(s)
        {
            self.check_enum(node, std::slice::from_ref(c), path);
        }
        if let NodeKind::Number(n) = &node.kind {
            self.check_range(node, n.as_f64().unwrap_or(f64::NAN), schema, path);
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                let entries: Vec<&crate::parse::Entry> = entries.values().collect();
                let props = schema.get("properties").and_then(Value::as_object);
                let extra = schema.get("additionalProperties");
                for entry in &entries {
                    path.push(PathSeg::Key(entry.key.clone()));
                    match (props.and_then(|p| p.get(&entry.key)), extra) {
                        (Some(s), _) => self.check(&entry.value, &entry.key_span, s, path),
                        (None, Some(s)) if s.is_object() => {
                            self.check(&entry.value, &entry.key_span, s, path)
                        }
                        (None, _) => self.unknown_field(entry, props, path),
                    }
                    path.pop();
                }
                // A typo of a required name is reported once, as the typo.
                let names: Vec<&str> = props
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let typos: Vec<&str> = entries
                    .iter()
                    .filter(|e| props.is_some_and(|p| !p.contains_key(&e.key)))
                    .filter_map(|e| did_you_mean(&e.key, names.iter().copied()))
                    .collect();
                if let Some(Value::Array(required)) = schema.get("required") {
                    for name in required.iter().filter_map(Value::as_str) {
                        if node.get(name).is_none() && !typos.contains(&name) {
                            let what = describe(path);
                            let kind = props
                                .and_then(|p| p.get(name))
                                .map(|s| self.resolve(s))
                                .filter(|s| s.get("properties").is_some())
                                .map_or("attribute", |_| "block");
                            let example = if kind == "block" {
                                format!("{name} {{ ... }}")
                            } else {
                                format!("{name} = ...")
                            };
                            self.report(
                                path,
                                Diagnostic::new(
                                    Code::MissingField,
                                    header.clone(),
                                    format!("{what} is missing the required {kind} `{name}`"),
                                )
                                .label(format!("`{name}` is required here"))
                                .hint(format!("add `{example}`")),
                            );
                        }
                    }
                }
            }
            NodeKind::List(items) => {
                let bound = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
                let problem = match (bound("minItems"), bound("maxItems")) {
                    (Some(min), _) if items.len() < min => Some(format!("at least {min} items")),
                    (_, Some(max)) if items.len() > max => Some(format!("at most {max} items")),
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.report(
                        path,
                        Diagnostic::new(
                            Code::InvalidValue,
                            node.span.clone(),
                            format!("{} takes {problem}, found {}", describe(path), items.len()),
                        )
                        .label("too many or too few items"),
                    );
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        path.push(PathSeg::Index(i));
                        self.check(item, &item.span, item_schema, path);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn check_tagged(
        &mut self,
        node: &Node,
        header: &Span,
        branches: &'a [Value],
        path: &mut Vec<PathSeg>,
    ) {
        let kind_of = |b: &'a Value| {
            b.get("properties")
                .and_then(|p| p.get("kind"))
                .and_then(|k| k.get("const"))
                .and_then(Value::as_str)
        };
        let consts: Vec<&str> = branches.iter().filter_map(kind_of).collect();
        // Only error messages need the list; a valid asset should not build it.
        let list = || {
            consts
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !matches!(node.kind, NodeKind::Map(_)) {
            self.wrong_type(node, "a block", path);
            return;
        }
        let Some(kind) = node.get("kind") else {
            self.report(
                path,
                Diagnostic::new(
                    Code::MissingField,
                    header.clone(),
                    format!(
                        "{} is missing the required attribute `kind`",
                        describe(path)
                    ),
                )
                .label("`kind` is required here")
                .hint(format!("add `kind = ...`, one of {}", list())),
            );
            return;
        };
        let NodeKind::Str(value) = &kind.value.kind else {
            path.push(PathSeg::Key("kind".into()));
            self.wrong_type(&kind.value, "a string", path);
            path.pop();
            return;
        };
        let Some(branch) = branches.iter().find(|b| kind_of(b) == Some(value.as_str())) else {
            path.push(PathSeg::Key("kind".into()));
            let hint = did_you_mean(value, consts.iter().copied())
                .map(|m| format!("did you mean `{m}`?"))
                .unwrap_or_else(|| format!("kinds are {}", list()));
            self.report(
                path,
                Diagnostic::new(
                    Code::InvalidValue,
                    kind.value.span.clone(),
                    format!("unknown asset kind `{value}`"),
                )
                .label("not a kind lifeboat knows")
                .hint(hint),
            );
            path.pop();
            return;
        };
        self.check(node, header, branch, path);
    }

    /// Whether the node's type is allowed; reports it if not.
    fn check_type(&mut self, node: &Node, schema: &Value, path: &[PathSeg]) -> bool {
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return true,
        };
        let ok = types.iter().any(|t| match (*t, &node.kind) {
            ("null", NodeKind::Null) => true,
            ("boolean", NodeKind::Bool(_)) => true,
            ("string", NodeKind::Str(_)) => true,
            ("number", NodeKind::Number(_)) => true,
            ("integer", NodeKind::Number(n)) => n.is_u64() || n.is_i64(),
            ("array", NodeKind::List(_)) => true,
            ("object", NodeKind::Map(_)) => true,
            _ => false,
        });
        if !ok {
            let wanted = types
                .iter()
                .filter(|t| **t != "null")
                .map(|t| match *t {
                    "boolean" => "a bool (true or false)",
                    "string" => "a string",
                    "number" => "a number",
                    "integer" => "a whole number",
                    "array" => "a list",
                    "object" if schema.get("properties").is_some() => "a block",
                    "object" => "a map",
                    _ => "something else",
                })
                .collect::<Vec<_>>()
                .join(" or ");
            self.wrong_type(node, &wanted, path);
        }
        ok
    }

    fn wrong_type(&mut self, node: &Node, wanted: &str, path: &[PathSeg]) {
        let found = match &node.kind {
            NodeKind::Number(n) if wanted.contains("whole") => format!("`{n}`"),
            _ => node.type_name().to_owned(),
        };
        let mut d = Diagnostic::new(
            Code::WrongType,
            node.span.clone(),
            format!("{} must be {wanted}, found {found}", describe(path)),
        )
        .label(format!("expected {wanted}"));
        if let (NodeKind::Str(s), true) = (&node.kind, wanted.contains("number"))
            && s.parse::<f64>().is_ok()
        {
            d = d.hint(format!("remove the quotes: `{s}`"));
        }
        if let (NodeKind::Str(s), true) = (&node.kind, wanted.contains("bool"))
            && (s == "true" || s == "false")
        {
            d = d.hint(format!("remove the quotes: `{s}`"));
        }
        self.report(path, d);
    }

    fn check_enum(&mut self, node: &Node, allowed: &[Value], path: &[PathSeg]) {
        let NodeKind::Str(s) = &node.kind else { return };
        let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
        if names.contains(&s.as_str()) {
            return;
        }
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = did_you_mean(s, names.iter().copied())
            .or_else(|| names.iter().copied().find(|n| n.eq_ignore_ascii_case(s)))
            .map(|m| format!("did you mean `{m}`?"))
            .unwrap_or_else(|| format!("allowed values: {list}"));
        self.report(
            path,
            Diagnostic::new(
                Code::InvalidValue,
                node.span.clone(),
                format!("`{s}` is not a valid value for {}", describe(path)),
            )
            .label("not an allowed value")
            .hint(hint),
        );
    }

    fn check_range(&mut self, node: &Node, n: f64, schema: &Value, path: &[PathSeg]) {
        let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
        let problem = if let Some(min) = bound("exclusiveMinimum").filter(|m| n <= *m) {
            Some(format!("greater than {min}"))
        } else if let Some(min) = bound("minimum").filter(|m| n < *m) {
            Some(format!("at least {min}"))
        } else {
            bound("maximum")
                .filter(|m| n > *m)
                .map(|max| format!("at most {max}"))
        };
        if let Some(problem) = problem {
            self.report(
                path,
                Diagnostic::new(
                    Code::InvalidValue,
                    node.span.clone(),
                    format!("{} must be {problem}, found {n}", describe(path)),
                )
                .label("out of range"),
            );
        }
    }

    fn unknown_field(
        &mut self,
        entry: &crate::parse::Entry,
        props: Option<&serde_json::Map<String, Value>>,
        path: &[PathSeg],
    ) {
        let what = if entry.is_block && matches!(entry.value.kind, NodeKind::Map(_)) {
            "block"
        } else {
            "attribute"
        };
        let parent = describe(&path[..path.len() - 1]);
        let names: Vec<&str> = props
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let hint = match did_you_mean(&entry.key, names.iter().copied()) {
            Some(m) => Some(format!("did you mean `{m}`?")),
            None if names.is_empty() => None,
            None => Some(format!(
                "{parent} takes: {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        self.report(
            path,
            Diagnostic::new(
                Code::UnknownField,
                entry.key_span.clone(),
                format!("unknown {what} `{}` in {parent}", entry.key),
            )
            .label(format!("not an {what} of {parent}").replace("an block", "a block"))
            .maybe_hint(hint),
        );
    }
}

/// A human name for the thing at `path`, e.g. "asset `orders-db`" or
/// "`storage_gb` of asset `orders-db`".
pub fn describe(path: &[PathSeg]) -> String {
    let key = |i: usize| match path.get(i) {
        Some(PathSeg::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let owner = match (key(0), key(1)) {
        (Some(kind @ ("asset" | "tier" | "project" | "measurement")), Some(name)) => {
            Some(format!("{kind} `{name}`"))
        }
        (Some("assumptions"), _) => Some("`assumptions`".to_owned()),
        _ => None,
    };
    let depth = if owner.as_deref() == Some("`assumptions`") {
        1
    } else {
        2
    };
    let rest: Vec<String> = path.iter().skip(depth).map(ToString::to_string).collect();
    match (owner, rest.is_empty()) {
        (Some(o), true) => o,
        (Some(o), false) => format!("`{}` of {o}", rest.join(".").replace(".[", "[")),
        (None, true) => "the inventory".to_owned(),
        (None, false) => format!(
            "`{}`",
            path.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        ),
    }
}
