//! Stage 1, parse: inventory files (HCL or HCL's JSON form) become one spanned
//! [`Node`] tree.
//!
//! Both syntaxes lower to the same tree: blocks become maps keyed by their block
//! type and then by each label, so `asset "db" { ... }` and
//! `{"asset": {"db": {...}}}` are the same tree. Several files merge into one tree;
//! a block defined twice is an error that cites the first definition.
//!
//! **This is the only module that knows HCL or JSON syntax.** Later stages see
//! [`Node`]s (for spans) and the typed input schema (for values).

mod hcl;
mod json;
mod limits;

pub use json::editor_schema;
pub use limits::{MAX_DEPTH, MAX_EXPRESSION_DEPTH};

use indexmap::IndexMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Sources, Span};

/// A value of the inventory with the span it came from.
#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    List(Vec<Node>),
    /// An object, a block body or a level of block labels, keyed (and ordered) as
    /// written. Keys are unique; a hash map, so 100,000 assets stay linear.
    Map(IndexMap<String, Entry>),
    /// A value that was already reported as unusable (e.g. an expression); it
    /// keeps its key present so no "missing attribute" follows.
    Invalid,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    /// The attribute name, block type or label as written.
    pub key_span: Span,
    /// Whether this entry was written as a block (`dr { }`) rather than an attribute.
    pub is_block: bool,
    pub value: Node,
}

impl Node {
    pub fn map(span: Span) -> Node {
        Node {
            span,
            kind: NodeKind::Map(IndexMap::new()),
        }
    }

    /// The entries of a map node in written order (none for other nodes).
    pub fn entries(&self) -> Vec<&Entry> {
        match &self.kind {
            NodeKind::Map(e) => e.values().collect(),
            _ => Vec::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(e) => e.get(key),
            _ => None,
        }
    }

    /// The node at a path of map keys and list indices.
    pub fn at(&self, path: &[PathSeg]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match (seg, &node.kind) {
                (PathSeg::Key(k), NodeKind::Map(_)) => &node.get(k)?.value,
                (PathSeg::Index(i), NodeKind::List(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The entry (key and value) at a path ending in a key.
    pub fn entry_at(&self, path: &[PathSeg]) -> Option<&Entry> {
        let (PathSeg::Key(last), parent) = path.split_last()? else {
            return None;
        };
        self.at(parent)?.get(last)
    }

    /// A short description of the kind of value, for "found a ..." messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a bool",
            NodeKind::Number(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::List(_) => "a list",
            NodeKind::Map(_) => "a block or object",
            NodeKind::Invalid => "an invalid value",
        }
    }

    /// The plain JSON value, without spans (what serde deserializes).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null | NodeKind::Invalid => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::List(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .values()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// One step of a path into the tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

impl std::fmt::Display for PathSeg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathSeg::Key(k) => write!(f, "{k}"),
            PathSeg::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// How many labels a block type takes, given the block type of its parent
/// (`None` at the top level). Unknown block types keep the labels they have.
pub fn label_count(parent: Option<&str>, block: &str) -> Option<usize> {
    match (parent, block) {
        (None, "project" | "tier" | "asset" | "measurement") => Some(1),
        (None, "assumptions") => Some(0),
        (Some("tier"), "scenario") => Some(1),
        (Some(_), "dr" | "measured" | "primary" | "secondary" | "health_check") => Some(0),
        _ => None,
    }
}

/// Parse every file and merge them into one tree. Files that fail to parse
/// contribute nothing (and their syntax errors are reported).
pub fn parse(sources: &Sources, diags: &mut Diagnostics) -> Option<Node> {
    let mut root: Option<Node> = None;
    for (id, why) in &sources.unreadable {
        diags.push(
            Diagnostic::new(
                Code::InputFile,
                Span::new(*id, 0..0),
                format!("cannot read `{}`: {why}", sources.file(*id).name),
            )
            .hint("inventories are UTF-8 text files in HCL (*.hcl) or JSON (*.json)"),
        );
    }
    // Files parse independently (on every core); they merge in order, so the
    // result and the diagnostics do not depend on the number of threads.
    let readable: Vec<usize> = (0..sources.files.len())
        .filter(|id| !sources.unreadable.iter().any(|(u, _)| u == id))
        .collect();
    let parse_one = |id: usize| {
        let file = &sources.files[id];
        let mut d = Diagnostics::default();
        // A UTF-8 byte order mark is no part of the text: the parsers see it as
        // three spaces, so every span still points into the file as it is.
        let without_bom;
        let text = match file.text.strip_prefix('\u{feff}') {
            Some(rest) => {
                without_bom = format!("   {rest}");
                &without_bom
            }
            None => &file.text,
        };
        let tree = if file.is_json() {
            json::parse(id, text, &mut d)
        } else {
            hcl::parse(id, text, &mut d)
        };
        (tree, d)
    };
    let parsed: Vec<(Option<Node>, Diagnostics)> = crate::par::runs(&readable, 1, |ids| {
        ids.iter().map(|&id| parse_one(id)).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    for (tree, d) in parsed {
        diags.extend(d);
        let Some(tree) = tree else { continue };
        match &mut root {
            None => root = Some(tree),
            Some(root) => merge_roots(root, tree, diags),
        }
    }
    let empty = root.as_ref().is_none_or(|r| r.entries().is_empty());
    if empty && !diags.has_errors() {
        let span = sources.files.first().map(|_| Span::new(0, 0..0));
        diags.push(
            Diagnostic::new(
                Code::EmptyInventory,
                span,
                "the inventory is empty: no `project` and no `asset` blocks",
            )
            .hint("run `lifeboat init` to write a starter lifeboat.hcl"),
        );
    }
    root
}

/// Merge the top level of another file into `root`: labelled blocks merge per
/// label, everything else is a duplicate.
fn merge_roots(root: &mut Node, other: Node, diags: &mut Diagnostics) {
    let NodeKind::Map(entries) = other.kind else {
        return;
    };
    for (_, entry) in entries {
        let depth = label_count(None, &entry.key).unwrap_or(0);
        insert(root, entry, depth, "", diags);
    }
}

/// Insert `entry` into the map `into`. `labels` is how many levels of block labels
/// sit under this key (they merge); at the last level a repeat is a duplicate.
pub(crate) fn insert(
    into: &mut Node,
    entry: Entry,
    labels: usize,
    what_prefix: &str,
    diags: &mut Diagnostics,
) {
    let NodeKind::Map(entries) = &mut into.kind else {
        return;
    };
    match entries.get_mut(&entry.key) {
        None => {
            entries.insert(entry.key.clone(), entry);
        }
        Some(existing) if labels > 0 && existing.is_block && entry.is_block => {
            let prefix = format!("{what_prefix}{} ", entry.key);
            if let NodeKind::Map(children) = entry.value.kind {
                for (_, child) in children {
                    insert(&mut existing.value, child, labels - 1, &prefix, diags);
                }
            }
        }
        Some(existing) => {
            let what = if what_prefix.is_empty() {
                format!("`{}`", entry.key)
            } else {
                format!("{}`{}`", what_prefix, entry.key)
            };
            let code = if what_prefix.starts_with("asset") || what_prefix.starts_with("tier") {
                Code::DuplicateAsset
            } else {
                Code::DuplicateKey
            };
            diags.push(
                Diagnostic::new(
                    code,
                    entry.key_span.clone(),
                    format!("{what} is defined twice"),
                )
                .label("defined again here")
                .note(existing.key_span.clone(), "first defined here")
                .hint("remove one of the two definitions, or rename one"),
            );
        }
    }
}

pub(crate) fn span(file: FileId, range: std::ops::Range<usize>) -> Span {
    Span::new(file, range)
}
