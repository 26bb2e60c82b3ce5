//! A new draft: the project block and one block per asset, laid out as
//! `terraform fmt` would, every string through lifeboat's HCL escaper.

use super::tf::Input;
use super::{Asset, CHOOSE, FROM, FactValue, Options, PLACEHOLDER};
use crate::emit::hcl::quote;

/// Where comments wrap.
const WIDTH: usize = 88;

/// Lines of HCL, with the `=` of consecutive attributes aligned.
#[derive(Default)]
pub struct Lines {
    lines: Vec<Line>,
}

enum Line {
    Text(usize, String),
    Attr(usize, String, String),
    Blank,
}

impl Lines {
    /// Comment lines, each paragraph line wrapped at 88 columns.
    pub fn comment(&mut self, indent: usize, text: &str) {
        for l in text.lines() {
            if l.is_empty() {
                self.lines.push(Line::Text(indent, "#".to_owned()));
                continue;
            }
            let mut line = String::from("#");
            for word in words(l) {
                if line.len() > 1 && indent + line.len() + 1 + word.len() > WIDTH {
                    self.lines.push(Line::Text(
                        indent,
                        std::mem::replace(&mut line, "#".to_owned()),
                    ));
                }
                line.push(' ');
                line.push_str(word);
            }
            self.lines.push(Line::Text(indent, line));
        }
    }

    pub fn text(&mut self, indent: usize, text: impl Into<String>) {
        self.lines.push(Line::Text(indent, text.into()));
    }

    pub fn attr(&mut self, indent: usize, key: &str, value: String) {
        self.lines.push(Line::Attr(indent, key.to_owned(), value));
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::Blank);
    }

    pub fn finish(self) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < self.lines.len() {
            match &self.lines[i] {
                Line::Blank => out.push('\n'),
                Line::Text(indent, t) => {
                    out.push_str(&" ".repeat(*indent));
                    out.push_str(t);
                    out.push('\n');
                }
                Line::Attr(indent, ..) => {
                    let mut j = i;
                    while let Some(Line::Attr(n, ..)) = self.lines.get(j)
                        && n == indent
                    {
                        j += 1;
                    }
                    let width = self.lines[i..j]
                        .iter()
                        .map(|l| match l {
                            Line::Attr(_, k, _) => k.len(),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    for l in &self.lines[i..j] {
                        if let Line::Attr(indent, k, v) = l {
                            out.push_str(&format!("{}{k:<width$} = {v}\n", " ".repeat(*indent)));
                        }
                    }
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        out
    }
}

/// The words of a line; a `code span` is one word.
fn words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut in_code) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
    out
}

/// The comment above a placeholder; `lifeboat check` then points at the line
/// below it.
fn choose(lines: &mut Lines, indent: usize, why: &str) {
    lines.comment(indent, &format!("{CHOOSE}: {why}"));
}

pub fn render(
    input: &Input,
    assets: &[Asset],
    ids: &[String],
    primary: Option<&str>,
    opts: &Options,
) -> String {
    let mut l = Lines::default();
    let tool = input
        .terraform_version
        .as_deref()
        .map(|v| format!(", Terraform {v}"))
        .unwrap_or_default();
    l.comment(
        0,
        &format!(
            "Draft inventory written by `lifeboat import` from {} ({}{tool}).\n\
             \n\
             Every {CHOOSE} below is a decision Terraform cannot make for you (list them with `grep -n {CHOOSE} <this file>`); `lifeboat check` reports each one until it is made. Then add `depends_on` (what each asset needs to serve again) and run `lifeboat check` again.\n\
             \n\
             Running `lifeboat import` again updates what comes from Terraform (identifiers, engines, sizes, Multi-AZ, encryption, names, DNS targets) and adds new resources; everything else here stays as you write it. See docs/adoption.md.",
            opts.source_name,
            input.form.describe(),
        ),
    );
    l.blank();
    project(&mut l, primary, opts);
    for (asset, id) in assets.iter().zip(ids) {
        l.blank();
        asset_block(&mut l, asset, id, opts.tier.as_deref());
    }
    l.finish()
}

fn project(l: &mut Lines, primary: Option<&str>, opts: &Options) {
    let name = match &opts.project {
        Some(name) => name.clone(),
        None => {
            choose(
                l,
                0,
                "name the project: it becomes part of the AWS names lifeboat generates",
            );
            String::new()
        }
    };
    l.text(0, format!("project {} {{", quote(&name)));
    match primary {
        Some(r) => l.attr(2, "primary_region", quote(r)),
        None => {
            choose(l, 2, "the Region the assets are in (Terraform did not say)");
            l.attr(2, "primary_region", quote(PLACEHOLDER));
        }
    }
    match &opts.secondary_region {
        Some(r) => l.attr(2, "secondary_region", quote(r)),
        None => {
            choose(
                l,
                2,
                "the Region to recover into, e.g. one in the same geography",
            );
            l.attr(2, "secondary_region", quote(PLACEHOLDER));
        }
    }
    l.text(0, "}");
}

/// One asset block, as a new draft or an update appends it.
pub fn asset_block(l: &mut Lines, a: &Asset, id: &str, tier: Option<&str>) {
    l.text(0, format!("asset {} {{", quote(id)));
    for address in &a.addresses {
        l.text(2, format!("{FROM}{address}"));
    }
    for note in &a.notes {
        l.comment(2, note);
    }
    // The tier first: its comment then does not split the block's aligned attributes.
    match tier {
        Some(t) => l.attr(2, "tier", quote(t)),
        None => {
            choose(l, 2, &tier_hint());
            l.attr(2, "tier", quote(PLACEHOLDER));
        }
    }
    l.attr(2, "kind", quote(a.kind.as_str()));
    facts(l, a, None, 2);
    for block in ["primary", "secondary", "health_check"] {
        if a.facts.iter().any(|f| f.block == Some(block)) {
            l.text(2, format!("{block} {{"));
            facts(l, a, Some(block), 4);
            l.text(2, "}");
        }
    }
    l.text(0, "}");
}

pub fn tier_hint() -> String {
    format!(
        "a tier ({}, or your own)",
        crate::model::tiers::BUILTIN.join(", ")
    )
}

/// The facts of one block of an asset.
pub fn facts(l: &mut Lines, a: &Asset, block: Option<&str>, indent: usize) {
    for f in a.facts.iter().filter(|f| f.block == block) {
        if let FactValue::Choose(why) = &f.value {
            choose(l, indent, why);
        }
        l.attr(indent, f.key, f.value.hcl());
    }
}

/// The text of one fact for a merge: its `CHOOSE` comment (if any) and the line.
pub fn fact_lines(f: &super::Fact, indent: usize, width: usize) -> String {
    let mut l = Lines::default();
    if let FactValue::Choose(why) = &f.value {
        choose(&mut l, indent, why);
    }
    // Align with the attributes around it where the key fits.
    let key = format!("{:<width$}", f.key, width = width.max(f.key.len()));
    l.text(indent, format!("{key} = {}", f.value.hcl()));
    l.finish()
}

/// A nested block of facts (`primary { ... }`) for a merge.
pub fn block_lines(a: &Asset, block: &str, indent: usize) -> String {
    let mut l = Lines::default();
    l.text(indent, format!("{block} {{"));
    facts(&mut l, a, Some(block), indent + 2);
    l.text(indent, "}");
    l.finish()
}

/// How many placeholders a draft has: `"<CHOOSE>"` values and a project without a name.
pub fn placeholders(text: &str) -> usize {
    fn count(body: &hcl_edit::structure::Body) -> usize {
        body.iter()
            .map(|s| match s {
                hcl_edit::structure::Structure::Attribute(a) => usize::from(matches!(
                    &a.value,
                    hcl_edit::expr::Expression::String(v) if v.value() == PLACEHOLDER
                )),
                hcl_edit::structure::Structure::Block(b) => {
                    let unnamed = b.ident.as_str() == "project"
                        && b.labels.first().is_some_and(|l| l.as_str().is_empty());
                    usize::from(unnamed) + count(&b.body)
                }
            })
            .sum()
    }
    hcl_edit::parser::parse_body(text).map_or(0, |b| count(&b))
}
