//! Updating an existing draft without losing what the user wrote.
//!
//! The draft is parsed with hcl-edit (for spans) and edited as text: only the
//! values of facts that come from Terraform change, new assets are appended, and
//! every other byte (comments, layout, tiers, `depends_on`, `dr` blocks, assets
//! written by hand) stays as it is. An asset of the draft is the resource its
//! `# From Terraform:` comment names, else the one with the same identity (DB
//! identifier, bucket, table, file system, zone and domain).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};

use super::draft::{self, Lines};
use super::tf::Input;
use super::{
    Asset, CHOOSE, Change, FROM, Fact, FactValue, Finding, Kind, Options, PLACEHOLDER, ids,
};

/// A literal value as the draft has it.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    /// Anything else (a list, an object, an expression).
    Other,
}

impl Lit {
    fn of(e: &Expression) -> Lit {
        match e {
            Expression::String(s) => Lit::Str(s.value().clone()),
            Expression::Number(n) => n.value().as_f64().map_or(Lit::Other, Lit::Num),
            Expression::Bool(b) => Lit::Bool(*b.value()),
            _ => Lit::Other,
        }
    }

    fn is(&self, v: &FactValue) -> bool {
        match (self, v) {
            (Lit::Str(a), FactValue::Str(b)) => a == b,
            (Lit::Num(a), FactValue::Num(b)) => b.as_f64() == Some(*a),
            (Lit::Bool(a), FactValue::Bool(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Debug)]
struct Attr {
    key: String,
    /// Key to the end of the value.
    span: Range<usize>,
    value_span: Range<usize>,
    value: Lit,
}

#[derive(Debug)]
struct Block {
    /// From the block type to the closing brace.
    span: Range<usize>,
    /// Just after the opening brace.
    open: usize,
    oneline: bool,
    attrs: Vec<Attr>,
    blocks: Vec<(String, Block)>,
}

impl Block {
    fn attr(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }

    fn str(&self, key: &str) -> Option<&str> {
        match &self.attr(key)?.value {
            Lit::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct DraftAsset {
    id: String,
    block: Block,
    kind: Option<Kind>,
    /// The `# From Terraform:` lines: address and the line's byte range.
    from: Vec<(String, Range<usize>)>,
}

/// A draft to update.
pub struct Existing<'a> {
    text: &'a str,
    assets: Vec<DraftAsset>,
    project: Option<Block>,
    /// Every asset id of the draft.
    ids: HashSet<String>,
}

fn refuse(message: impl Into<String>) -> Finding {
    Finding::error(message).hint(
        "import updates a draft only when it can tell what every part of it is; fix the draft, or write the new draft elsewhere with -o and compare",
    )
}

impl<'a> Existing<'a> {
    pub fn parse(text: &'a str) -> Result<Existing<'a>, Vec<Finding>> {
        let body = hcl_edit::parser::parse_body(text).map_err(|e| {
            let loc = e.location();
            let mut f = Finding::error(format!(
                "the draft to update is not valid HCL: {}",
                e.message()
            ))
            .hint(if text.trim_start().starts_with('{') {
                "it looks like an inventory in JSON form; import writes and updates HCL only: choose a .hcl file with -o"
            } else {
                "fix it (`lifeboat check` shows where), or move it away to import into a new draft"
            });
            f.location = Some((loc.line(), loc.column()));
            f.in_draft = true;
            vec![f]
        })?;
        let mut assets = Vec::new();
        let mut project = None;
        for s in body.iter() {
            let Structure::Block(b) = s else { continue };
            let ident = b.ident.as_str();
            if !matches!(ident, "asset" | "project") || b.labels.len() != 1 {
                continue;
            }
            let block = read_block(text, b).ok_or_else(|| {
                vec![Finding::internal(format!(
                    "no source position for the `{ident}` block"
                ))]
            })?;
            if ident == "project" {
                project.get_or_insert(block);
                continue;
            }
            let kind = block.str("kind").and_then(Kind::parse);
            let from = from_lines(text, &block.span);
            assets.push(DraftAsset {
                id: b.labels[0].as_str().to_owned(),
                block,
                kind,
                from,
            });
        }
        if assets.is_empty() && project.is_none() {
            return Err(vec![
                Finding::error(
                    "the file to update has no `project` or `asset` block: it is not an inventory",
                )
                .hint("choose another file with -o, or remove this one to write a new draft"),
            ]);
        }
        let ids = assets.iter().map(|a| a.id.clone()).collect();
        Ok(Existing {
            text,
            assets,
            project,
            ids,
        })
    }

    /// The draft's primary Region, once chosen.
    pub fn primary_region(&self) -> Option<String> {
        let r = self.project.as_ref()?.str("primary_region")?;
        (!r.is_empty() && r != PLACEHOLDER).then(|| r.to_owned())
    }

    /// The updated text and what changed.
    pub fn merge(
        &self,
        input: &Input,
        assets: &[Asset],
        primary: Option<&str>,
        opts: &Options,
    ) -> Result<(String, Vec<Change>), Vec<Finding>> {
        let mut ed = Edits::default();
        let mut changes = Vec::new();
        // Which draft asset each resource is.
        let mut by_address: HashMap<&str, usize> = HashMap::new();
        for (j, d) in self.assets.iter().enumerate() {
            for (address, _) in &d.from {
                if let Some(&other) = by_address.get(address.as_str()) {
                    return Err(vec![refuse(format!(
                        "assets `{}` and `{}` both say they come from `{address}`",
                        self.assets[other].id, d.id
                    ))]);
                }
                by_address.insert(address, j);
            }
        }
        let mut used = vec![false; self.assets.len()];
        let mut matched: Vec<Option<(usize, bool)>> = vec![None; assets.len()];
        for (i, a) in assets.iter().enumerate() {
            let Some(&j) = a.addresses.iter().find_map(|x| by_address.get(x.as_str())) else {
                continue;
            };
            if used[j] {
                continue;
            }
            let d = &self.assets[j];
            if d.kind != Some(a.kind) {
                return Err(vec![refuse(format!(
                    "asset `{}` says it comes from `{}`, a resource of kind `{}`, but its kind is {}",
                    d.id,
                    a.addresses[0],
                    a.kind.as_str(),
                    d.block
                        .str("kind")
                        .map_or("not set".to_owned(), |k| format!("`{k}`"))
                ))]);
            }
            used[j] = true;
            matched[i] = Some((j, false));
        }
        // Draft assets by kind and identity (DB identifier, bucket, ...), in order.
        let mut by_identity: HashMap<(Kind, Vec<&str>), Vec<usize>> = HashMap::new();
        for (j, d) in self.assets.iter().enumerate() {
            let Some(kind) = d.kind else { continue };
            let identity: Option<Vec<&str>> =
                kind.identity().iter().map(|k| d.block.str(k)).collect();
            if let Some(identity) = identity {
                by_identity.entry((kind, identity)).or_default().push(j);
            }
        }
        for (i, a) in assets.iter().enumerate() {
            if matched[i].is_some() {
                continue;
            }
            let Some(identity) = a.identity() else {
                continue;
            };
            let found = by_identity
                .get(&(a.kind, identity))
                .and_then(|js| js.iter().copied().find(|&j| !used[j]));
            if let Some(j) = found {
                used[j] = true;
                matched[i] = Some((j, true));
            }
        }
        for (i, a) in assets.iter().enumerate() {
            if let Some((j, linked)) = matched[i] {
                let d = &self.assets[j];
                self.update_from(&mut ed, d, a);
                if linked {
                    changes.push(Change::Linked {
                        id: d.id.clone(),
                        address: a.addresses[0].clone(),
                    });
                }
                self.update_block(&mut ed, &mut changes, d, a, None, &d.block);
                for block in ["primary", "secondary", "health_check"] {
                    let facts: Vec<&Fact> =
                        a.facts.iter().filter(|f| f.block == Some(block)).collect();
                    if facts.is_empty() {
                        // No health check in Terraform: the draft's block (if any) is the user's.
                        continue;
                    }
                    match d.block.blocks.iter().find(|(n, _)| n == block) {
                        Some((_, b)) if !b.oneline => {
                            self.update_block(&mut ed, &mut changes, d, a, Some(block), b)
                        }
                        Some((_, b)) => {
                            let same = b.attrs.len() == facts.len()
                                && facts
                                    .iter()
                                    .all(|f| b.attr(f.key).is_some_and(|x| x.value.is(&f.value)));
                            if !same {
                                let indent = indent_of(self.text, b.span.start);
                                let text = draft::block_lines(a, block, indent);
                                ed.replace(b.span.clone(), text.trim_start().trim_end());
                                changes.push(updated(d, block, Some("{ ... }"), Some("{ ... }")));
                            }
                        }
                        None => {
                            let indent = indent_of(self.text, d.block.span.start) + 2;
                            ed.insert(
                                line_start(self.text, d.block.span.end - 1),
                                draft::block_lines(a, block, indent),
                            );
                            changes.push(updated(d, block, None, Some("{ ... }")));
                        }
                    }
                }
            }
        }
        for (j, d) in self.assets.iter().enumerate() {
            if !used[j]
                && !d.from.is_empty()
                && d.from.iter().all(|(x, _)| !input.addresses.contains(x))
            {
                changes.push(Change::Gone {
                    id: d.id.clone(),
                    address: d.from[0].0.clone(),
                });
            }
        }
        // The project's Region, if it is still a placeholder.
        if let (Some(p), Some(region)) = (&self.project, primary)
            && let Some(attr) = p.attr("primary_region")
            && attr.value == Lit::Str(PLACEHOLDER.to_owned())
        {
            ed.replace(attr.value_span.clone(), crate::emit::hcl::quote(region));
            remove_choose_comment(&mut ed, self.text, attr.span.start);
            changes.push(Change::Updated {
                id: String::new(),
                attribute: "primary_region".to_owned(),
                old: Some(crate::emit::hcl::quote(PLACEHOLDER)),
                new: Some(crate::emit::hcl::quote(region)),
            });
        }
        // New assets go at the end.
        let new: Vec<Asset> = assets
            .iter()
            .zip(&matched)
            .filter(|(_, m)| m.is_none())
            .map(|(a, _)| a.clone())
            .collect();
        let ids = ids::assign(&new, &self.ids);
        let mut tail = String::new();
        if !new.is_empty() && !self.text.ends_with('\n') && !self.text.is_empty() {
            tail.push('\n');
        }
        for (a, id) in new.iter().zip(&ids) {
            let mut l = Lines::default();
            l.blank();
            draft::asset_block(&mut l, a, id, opts.tier.as_deref());
            tail.push_str(&l.finish());
            changes.push(Change::Added {
                id: id.clone(),
                address: a.addresses[0].clone(),
            });
        }
        if !tail.is_empty() {
            ed.insert(self.text.len(), tail);
        }
        let text = ed.apply(self.text)?;
        // A draft laid out as `terraform fmt` does stays so (an edit can join two runs
        // of attributes, e.g. where a `# CHOOSE:` comment went); any other layout is
        // the user's and is left alone.
        let text = if crate::emit::hcl::fmt(self.text) == self.text {
            crate::emit::hcl::fmt(&text)
        } else {
            text
        };
        Ok((text, changes))
    }

    /// Rewrite the `# From Terraform:` lines when the resources changed.
    fn update_from(&self, ed: &mut Edits, d: &DraftAsset, a: &Asset) {
        let had: HashSet<&str> = d.from.iter().map(|(x, _)| x.as_str()).collect();
        let has: HashSet<&str> = a.addresses.iter().map(String::as_str).collect();
        if had == has {
            return;
        }
        let indent = match d.from.first() {
            Some((_, r)) => indent_of(self.text, r.start),
            None => indent_of(self.text, d.block.span.start) + 2,
        };
        let lines: String = a
            .addresses
            .iter()
            .map(|x| format!("{}{FROM}{x}\n", " ".repeat(indent)))
            .collect();
        match d.from.first() {
            Some((_, first)) => {
                ed.replace(first.clone(), lines);
                for (_, r) in &d.from[1..] {
                    ed.replace(r.clone(), String::new());
                }
            }
            None => ed.insert(line_end(self.text, d.block.open), lines),
        }
    }

    /// The facts of one block (`None`: the asset's own attributes).
    fn update_block(
        &self,
        ed: &mut Edits,
        changes: &mut Vec<Change>,
        d: &DraftAsset,
        a: &Asset,
        block: Option<&'static str>,
        b: &Block,
    ) {
        let label = |key: &str| match block {
            Some(n) => format!("{n}.{key}"),
            None => key.to_owned(),
        };
        // Where new attributes go: after the block's last attribute.
        let last = b.attrs.iter().max_by_key(|x| x.span.start);
        let (at, indent, width) = match last {
            Some(x) => {
                let line = line_start(self.text, x.span.start);
                let eq = self.text[x.span.start..x.value_span.start]
                    .find('=')
                    .unwrap_or(x.key.len() + 1);
                (
                    line_end(self.text, x.span.end),
                    x.span.start - line,
                    eq.saturating_sub(1),
                )
            }
            None => (
                line_end(self.text, b.open),
                indent_of(self.text, b.span.start) + 2,
                0,
            ),
        };
        let mut inserted = String::new();
        for f in a.facts.iter().filter(|f| f.block == block) {
            match (b.attr(f.key), &f.value) {
                (Some(_), FactValue::Choose(_)) => {}
                (Some(x), v) if x.value.is(v) => {}
                (Some(x), v) => {
                    ed.replace(x.value_span.clone(), v.hcl());
                    if x.value == Lit::Str(PLACEHOLDER.to_owned()) {
                        remove_choose_comment(ed, self.text, x.span.start);
                    }
                    changes.push(updated(
                        d,
                        &label(f.key),
                        Some(self.text[x.value_span.clone()].trim()),
                        Some(&v.hcl()),
                    ));
                }
                (None, v) => {
                    inserted.push_str(&draft::fact_lines(f, indent, width));
                    changes.push(updated(d, &label(f.key), None, Some(&v.hcl())));
                }
            }
        }
        if !inserted.is_empty() {
            ed.insert(at, inserted);
        }
        for key in a.kind.owned(block) {
            if let Some(x) = b.attr(key)
                && !a.facts.iter().any(|f| f.block == block && f.key == *key)
            {
                ed.replace(whole_lines(self.text, x.span.clone()), String::new());
                changes.push(updated(
                    d,
                    &label(key),
                    Some(self.text[x.value_span.clone()].trim()),
                    None,
                ));
            }
        }
    }
}

fn updated(d: &DraftAsset, attribute: &str, old: Option<&str>, new: Option<&str>) -> Change {
    Change::Updated {
        id: d.id.clone(),
        attribute: attribute.to_owned(),
        old: old.map(str::to_owned),
        new: new.map(str::to_owned),
    }
}

fn read_block(text: &str, b: &hcl_edit::structure::Block) -> Option<Block> {
    let span = b.span()?;
    let after = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())?
        .end;
    let open = after + text[after..span.end].find('{')? + 1;
    Some(Block {
        oneline: b.body.prefer_oneline(),
        attrs: attrs(&b.body),
        blocks: b
            .body
            .iter()
            .filter_map(|s| match s {
                Structure::Block(nb) if nb.labels.is_empty() => {
                    Some((nb.ident.as_str().to_owned(), read_block(text, nb)?))
                }
                _ => None,
            })
            .collect(),
        span,
        open,
    })
}

fn attrs(body: &Body) -> Vec<Attr> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Attribute(a) => {
                let value_span = a.value.span()?;
                let start = a.key.span().map_or(value_span.start, |k| k.start);
                Some(Attr {
                    key: a.key.as_str().to_owned(),
                    span: start..value_span.end,
                    value_span,
                    value: Lit::of(&a.value),
                })
            }
            Structure::Block(_) => None,
        })
        .collect()
}

/// The `# From Terraform: <address>` lines inside a block, with their whole lines.
fn from_lines(text: &str, span: &Range<usize>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = span.start;
    for line in text[span.clone()].split_inclusive('\n') {
        if let Some(address) = line.trim().strip_prefix(FROM.trim_end()) {
            let address = address.trim();
            if !address.is_empty() {
                out.push((address.to_owned(), at..at + line.len()));
            }
        }
        at += line.len();
    }
    out
}

/// Remove the `# CHOOSE:` comment (all its lines) right above the attribute that
/// starts at `at`.
fn remove_choose_comment(ed: &mut Edits, text: &str, at: usize) {
    let mut line = line_start(text, at);
    let end = line;
    while line > 0 {
        let prev = line_start(text, line - 1);
        let l = text[prev..line].trim_start();
        if !l.starts_with('#') {
            return;
        }
        if l.starts_with(&format!("# {CHOOSE}:")) {
            ed.replace(prev..end, String::new());
            return;
        }
        line = prev;
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Just after the newline that ends the line holding `at`.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn indent_of(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// `span` widened to whole lines when nothing but blanks and a comment share them.
fn whole_lines(text: &str, span: Range<usize>) -> Range<usize> {
    let start = line_start(text, span.start);
    let end = line_end(text, span.end);
    let before = &text[start..span.start];
    let after = text[span.end..end].trim();
    if before.trim().is_empty()
        && (after.is_empty() || after.starts_with('#') || after.starts_with("//"))
    {
        start..end
    } else {
        span
    }
}

/// Text edits, applied at once from the end of the text.
#[derive(Default)]
struct Edits {
    edits: Vec<(Range<usize>, String)>,
}

impl Edits {
    fn replace(&mut self, range: Range<usize>, text: impl Into<String>) {
        self.edits.push((range, text.into()));
    }

    fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.edits.push((at..at, text.into()));
    }

    fn apply(mut self, text: &str) -> Result<String, Vec<Finding>> {
        // Last position first; at one position, replacements before insertions, and
        // insertions in reverse so that they end up in the order they were made.
        let mut order: Vec<usize> = (0..self.edits.len()).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&self.edits[a].0, &self.edits[b].0);
            rb.start
                .cmp(&ra.start)
                .then(ra.is_empty().cmp(&rb.is_empty()))
                .then(b.cmp(&a))
        });
        let mut out = text.to_owned();
        let mut limit = usize::MAX;
        for i in order {
            let (range, new) = std::mem::take(&mut self.edits[i]);
            if range.end > limit && !range.is_empty() {
                return Err(vec![Finding::internal("two edits of the draft overlap")]);
            }
            limit = limit.min(range.start);
            out.replace_range(range, &new);
        }
        Ok(out)
    }
}
