//! `lifeboat graph`: the DR topology as Mermaid (renders on GitHub), Graphviz DOT,
//! or SVG drawn in-process (no Graphviz needed).
//!
//! The SVG layout is lifeboat's own and fixed: two Region panels side by side, one
//! row per asset (services on top, data below), the recovery copy on the same row
//! in the secondary Region, dependency arcs on the left. A general graph layout
//! engine would scatter what matters here: which copy belongs to which asset.

use std::fmt::Write as _;

use super::topology::{Topology, tier_color};

/// GitHub refuses to render Mermaid diagrams above 50,000 characters.
pub const MERMAID_LIMIT: usize = 50_000;

/// Text for a quoted Mermaid label (`a["..."]`, `-->|"..."|`, `subgraph
/// P["..."]`). Mermaid reads a few characters even inside quotes: `"` ends the
/// label, `%%{...}%%` is a directive wherever it appears (a tier named
/// `%%{init: ...}%%` could restyle the diagram and hide breaches), `;` ends a
/// statement, `|` an edge label, `#` starts an entity, and the label is HTML.
/// Those, the characters of HTML and Markdown labels (`< > & \``) and braces
/// become Mermaid's entity codes (`#quot;`, `#37;`, ...), which it shows as the
/// character; brackets and parentheses are safe inside the quotes. Line breaks,
/// controls and invisible characters become spaces.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' | '%' | ';' | '|' | '&' | '`' | '{' | '}' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c if c.is_control() || crate::diag::is_invisible(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn class_name(tier_index: usize) -> String {
    format!("tier{tier_index}")
}

/// A Mermaid flowchart; for inventories whose full diagram would exceed GitHub's
/// limit, assets are collapsed into one node per tier and kind (and the diagram
/// says so).
pub fn mermaid(t: &Topology) -> String {
    let full = mermaid_full(t);
    if full.len() <= MERMAID_LIMIT {
        return full;
    }
    mermaid_collapsed(t)
}

fn mermaid_header(t: &Topology, out: &mut String) {
    let _ = writeln!(out, "flowchart LR");
    for (i, tier) in t.tiers.iter().enumerate() {
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:#555,color:#111",
            class_name(i),
            tier_color(t, tier)
        );
    }
    let _ = writeln!(out, "  classDef breached stroke:#d00,stroke-width:3px");
    let _ = writeln!(
        out,
        "  classDef copy fill:#fff,stroke:#777,stroke-dasharray:4 3,color:#111"
    );
}

fn mermaid_full(t: &Topology) -> String {
    let mut out = String::new();
    mermaid_header(t, &mut out);
    let _ = writeln!(
        out,
        "  subgraph P[\"primary Region {}\"]",
        mermaid_text(&t.primary)
    );
    for (i, n) in t.nodes.iter().enumerate() {
        let mut label = format!(
            "<b>{}</b><br/>{} · {}",
            mermaid_text(&n.id),
            mermaid_text(&n.tier),
            mermaid_text(&n.detail)
        );
        if let Some(l) = &n.local {
            label.push_str(&format!("<br/><i>{}</i>", mermaid_text(l)));
        }
        if n.breached {
            label.push_str("<br/>⚠ objective breached (accepted risk)");
        }
        let _ = writeln!(out, "    a{i}[\"{label}\"]");
    }
    let _ = writeln!(out, "  end");
    let _ = writeln!(
        out,
        "  subgraph S[\"secondary Region {}\"]",
        mermaid_text(&t.secondary)
    );
    for (i, n) in t.nodes.iter().enumerate() {
        if let Some(c) = &n.copy {
            let _ = writeln!(out, "    c{i}[\"{}\"]", mermaid_text(&c.label));
        }
    }
    let _ = writeln!(out, "  end");
    for &(from, to) in &t.edges {
        let _ = writeln!(out, "  a{from} -->|\"depends on\"| a{to}");
    }
    for (i, n) in t.nodes.iter().enumerate() {
        if let Some(c) = &n.copy {
            let _ = writeln!(out, "  a{i} -.->|\"{}\"| c{i}", mermaid_text(&c.mechanism));
        }
    }
    for (i, n) in t.nodes.iter().enumerate() {
        let tier = t.tiers.iter().position(|x| *x == n.tier).unwrap_or(0);
        let _ = writeln!(out, "  class a{i} {}", class_name(tier));
        if n.breached {
            let _ = writeln!(out, "  class a{i} breached");
        }
        if n.copy.is_some() {
            let _ = writeln!(out, "  class c{i} copy");
        }
    }
    out
}

fn mermaid_collapsed(t: &Topology) -> String {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<(usize, &str), (usize, usize, usize)> = BTreeMap::new();
    for n in &t.nodes {
        let tier = t.tiers.iter().position(|x| *x == n.tier).unwrap_or(0);
        let g = groups.entry((tier, n.kind)).or_default();
        g.0 += 1;
        g.1 += usize::from(n.breached);
        g.2 += usize::from(n.copy.is_some());
    }
    let mut out = String::new();
    mermaid_header(t, &mut out);
    let _ = writeln!(
        out,
        "  note[\"{} assets: collapsed by tier and kind to stay under GitHub's {} character limit; run lifeboat graph --format svg for every asset\"]",
        t.nodes.len(),
        MERMAID_LIMIT
    );
    let _ = writeln!(
        out,
        "  subgraph P[\"primary Region {}\"]",
        mermaid_text(&t.primary)
    );
    for (i, ((tier, kind), (count, breached, _))) in groups.iter().enumerate() {
        let warn = if *breached > 0 {
            format!("<br/>⚠ {breached} breached (accepted risks)")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "    g{i}[\"{} × {kind}<br/>tier {}{warn}\"]",
            count,
            mermaid_text(&t.tiers[*tier])
        );
    }
    let _ = writeln!(out, "  end");
    let _ = writeln!(
        out,
        "  subgraph S[\"secondary Region {}\"]",
        mermaid_text(&t.secondary)
    );
    for (i, (_, (_, _, copies))) in groups.iter().enumerate() {
        if *copies > 0 {
            let _ = writeln!(out, "    h{i}[\"{copies} recovery copies\"]");
        }
    }
    let _ = writeln!(out, "  end");
    for (i, ((tier, _), (_, breached, copies))) in groups.iter().enumerate() {
        if *copies > 0 {
            let _ = writeln!(out, "  g{i} -.-> h{i}");
        }
        let _ = writeln!(out, "  class g{i} {}", class_name(*tier));
        if *breached > 0 {
            let _ = writeln!(out, "  class g{i} breached");
        }
    }
    out
}

fn dot_text(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' | '\r' => vec![' '],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect()
}

/// Graphviz DOT with one cluster per Region.
pub fn dot(t: &Topology) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_text(&t.project));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    let _ = writeln!(
        out,
        "  subgraph cluster_primary {{\n    label=\"primary Region {}\";",
        dot_text(&t.primary)
    );
    for (i, n) in t.nodes.iter().enumerate() {
        let mut label = format!(
            "{}\\n{} · {}",
            dot_text(&n.id),
            dot_text(&n.tier),
            dot_text(&n.detail)
        );
        if let Some(l) = &n.local {
            label.push_str(&format!("\\n{}", dot_text(l)));
        }
        let border = if n.breached {
            label.push_str("\\n⚠ objective breached (accepted risk)");
            ", color=\"#dd0000\", penwidth=3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    a{i} [label=\"{label}\", fillcolor=\"{}\"{border}];",
            tier_color(t, &n.tier)
        );
    }
    let _ = writeln!(out, "  }}");
    let _ = writeln!(
        out,
        "  subgraph cluster_secondary {{\n    label=\"secondary Region {}\";",
        dot_text(&t.secondary)
    );
    for (i, n) in t.nodes.iter().enumerate() {
        if let Some(c) = &n.copy {
            let _ = writeln!(
                out,
                "    c{i} [label=\"{}\", fillcolor=\"#ffffff\", style=\"rounded,dashed\"];",
                dot_text(&c.label)
            );
        }
    }
    let _ = writeln!(out, "  }}");
    for &(from, to) in &t.edges {
        let _ = writeln!(out, "  a{from} -> a{to} [label=\"depends on\"];");
    }
    for (i, n) in t.nodes.iter().enumerate() {
        if let Some(c) = &n.copy {
            let _ = writeln!(
                out,
                "  a{i} -> c{i} [label=\"{}\", style=dashed];",
                dot_text(&c.mechanism)
            );
        }
    }
    let _ = writeln!(out, "}}");
    out
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            // Not XML characters at all (XML 1.0, production 2): a document
            // holding them does not parse.
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Truncate to `max` characters with an ellipsis, for fixed-width boxes.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A standalone SVG of the topology.
pub fn svg(t: &Topology) -> String {
    const ROW: i64 = 78;
    const BOX_W: i64 = 330;
    const BOX_H: i64 = 62;
    const ARC: i64 = 120; // room for dependency arcs on the left of the primary panel
    const GAP: i64 = 210; // between the Regions, for mechanism labels
    const TOP: i64 = 96;
    let n = t.nodes.len() as i64;
    let px = 20; // primary panel x
    let pw = ARC + BOX_W + 30;
    let sx = px + pw + GAP;
    let sw = BOX_W + 40;
    let legend_h = 30 + 22 * (t.tiers.len() as i64 + 2);
    let height = TOP + n.max(1) * ROW + 40 + legend_h;
    let width = sx + sw + 20;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(
        o,
        r##"<defs><marker id="dep" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker><marker id="rep" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1f5fa8"/></marker></defs>"##
    );
    let _ = writeln!(o, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        o,
        r##"<text x="20" y="32" font-size="20" font-weight="bold" fill="#111">{} — disaster-recovery topology</text>"##,
        xml(&t.project)
    );
    let breached = t.nodes.iter().filter(|n| n.breached).count();
    let sub = if breached > 0 {
        format!(
            "{} assets, {breached} with a breached objective accepted as a known risk (red)",
            t.nodes.len()
        )
    } else {
        format!("{} assets, every objective met", t.nodes.len())
    };
    let _ = writeln!(
        o,
        r##"<text x="20" y="54" font-size="13" fill="#444">{}</text>"##,
        xml(&sub)
    );
    let panel_h = n.max(1) * ROW + 30;
    for (x, w, title) in [
        (px, pw, format!("primary Region {}", t.primary)),
        (sx, sw, format!("secondary Region {}", t.secondary)),
    ] {
        let _ = writeln!(
            o,
            r##"<rect x="{x}" y="{}" width="{w}" height="{panel_h}" rx="10" fill="#f7f8fa" stroke="#9aa3ad"/>"##,
            TOP - 26
        );
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#333">{}</text>"##,
            x + 12,
            TOP - 8,
            xml(&title)
        );
    }
    let row_y = |i: usize| TOP + 8 + i as i64 * ROW;
    let bx = px + ARC;
    // Dependency arcs: from the left edge of the dependent to the left edge of the dependency.
    let mut out_count = vec![0i64; t.nodes.len()];
    for (k, &(from, to)) in t.edges.iter().enumerate() {
        // Spread the arcs leaving one box over its left edge.
        let y1 = row_y(from) + 10 + (out_count[from] * 9) % (BOX_H - 16);
        out_count[from] += 1;
        let y2 = row_y(to) + BOX_H / 2;
        let reach = 20 + ((k as i64 * 13) % (ARC - 30));
        let _ = writeln!(
            o,
            r##"<path d="M{bx},{y1} C{},{y1} {},{y2} {bx},{y2}" fill="none" stroke="#444" stroke-width="1.3" marker-end="url(#dep)"/>"##,
            bx - reach,
            bx - reach
        );
    }
    for (i, node) in t.nodes.iter().enumerate() {
        let y = row_y(i);
        let (stroke, sw_) = if node.breached {
            ("#d00000", 3)
        } else {
            ("#555", 1)
        };
        let _ = writeln!(
            o,
            r##"<rect x="{bx}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{}" stroke="{stroke}" stroke-width="{sw_}"/>"##,
            tier_color(t, &node.tier)
        );
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#111">{}</text>"##,
            bx + 10,
            y + 18,
            xml(&fit(&node.id, 30))
        );
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" font-size="11" fill="#333" text-anchor="end">{}</text>"##,
            bx + BOX_W - 8,
            y + 18,
            xml(&fit(&node.tier, 18))
        );
        let _ = writeln!(
            o,
            r##"<text x="{}" y="{}" font-size="11" fill="#333">{}</text>"##,
            bx + 10,
            y + 35,
            xml(&fit(&node.detail, 48))
        );
        if let Some(l) = &node.local {
            let _ = writeln!(
                o,
                r##"<text x="{}" y="{}" font-size="11" fill="#555" font-style="italic">{}</text>"##,
                bx + 10,
                y + 52,
                xml(&fit(l, 48))
            );
        }
        if node.breached {
            let _ = writeln!(
                o,
                r##"<text x="{}" y="{}" font-size="11" fill="#d00000" text-anchor="end" font-weight="bold">accepted risk</text>"##,
                bx + BOX_W - 8,
                y + 52
            );
        }
        if let Some(c) = &node.copy {
            let cx = sx + 20;
            let _ = writeln!(
                o,
                r##"<rect x="{cx}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#ffffff" stroke="#1f5fa8" stroke-dasharray="5 3"/>"##
            );
            let _ = writeln!(
                o,
                r##"<text x="{}" y="{}" font-size="12" fill="#111">{}</text>"##,
                cx + 10,
                y + 26,
                xml(&fit(&c.label, 46))
            );
            let _ = writeln!(
                o,
                r##"<text x="{}" y="{}" font-size="11" fill="#555">recovery copy of {}</text>"##,
                cx + 10,
                y + 44,
                xml(&fit(&node.id, 30))
            );
            let (x1, x2, ym) = (bx + BOX_W, cx, y + BOX_H / 2);
            let _ = writeln!(
                o,
                r##"<line x1="{x1}" y1="{ym}" x2="{}" y2="{ym}" stroke="#1f5fa8" stroke-width="1.6" stroke-dasharray="6 3" marker-end="url(#rep)"/>"##,
                x2 - 2
            );
            let _ = writeln!(
                o,
                r##"<text x="{}" y="{}" font-size="11" fill="#1f5fa8" text-anchor="middle">{}</text>"##,
                (x1 + x2) / 2,
                ym - 6,
                xml(&fit(&c.mechanism, 34))
            );
        }
    }
    // Legend.
    let ly = TOP + panel_h;
    let _ = writeln!(
        o,
        r##"<text x="20" y="{}" font-size="13" font-weight="bold" fill="#333">Legend</text>"##,
        ly + 4
    );
    for (k, tier) in t.tiers.iter().enumerate() {
        let y = ly + 16 + k as i64 * 22;
        let _ = writeln!(
            o,
            r##"<rect x="20" y="{y}" width="26" height="16" rx="3" fill="{}" stroke="#555"/><text x="54" y="{}" font-size="12" fill="#333">tier {}</text>"##,
            tier_color(t, tier),
            y + 12,
            xml(tier)
        );
    }
    let y = ly + 16 + t.tiers.len() as i64 * 22;
    let _ = writeln!(
        o,
        r##"<rect x="20" y="{y}" width="26" height="16" rx="3" fill="#fff" stroke="#d00000" stroke-width="3"/><text x="54" y="{}" font-size="12" fill="#333">objective breached, accepted as a known risk</text>"##,
        y + 12
    );
    let _ = writeln!(
        o,
        r##"<line x1="220" y1="{}" x2="260" y2="{}" stroke="#444" marker-end="url(#dep)"/><text x="268" y="{}" font-size="12" fill="#333">depends on</text>"##,
        y + 8,
        y + 8,
        y + 12
    );
    let _ = writeln!(
        o,
        r##"<line x1="380" y1="{}" x2="420" y2="{}" stroke="#1f5fa8" stroke-dasharray="6 3" marker-end="url(#rep)"/><text x="428" y="{}" font-size="12" fill="#333">replication, copy or failover</text>"##,
        y + 8,
        y + 8,
        y + 12
    );
    let _ = writeln!(o, "</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "%%{init:{'themeCSS':'.breached{display:none}'}}%%",
        "%% comment",
        "a\"] --> x[\"pwn",
        "x; click a0 call alert()",
        "x|y|z -->|e| q",
        "<img src=x onerror=alert(1)>",
        "#quot; &lt; #35; `md` **b**",
        "Route 53 failover (10 s x 3)",
        "(a) [b] {c} ((d)) >e]",
        "back\\slash",
        "line\nbreak\ttab\u{1b}[31m",
        "zero\u{200b}width\u{feff}",
        "日本語 🚀",
        "",
    ];

    /// Mermaid's entity codes back to their characters (`#quot;`, `#lt;`,
    /// `#gt;`, decimal `#35;`), as Mermaid reads them.
    fn decode(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find('#') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';').expect("entity ends") + at;
            let code = &rest[at + 1..end];
            out.push(match code {
                "quot" => '"',
                "lt" => '<',
                "gt" => '>',
                n => char::from_u32(n.parse().expect("decimal code")).unwrap(),
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn mermaid_labels_hold_nothing_mermaid_reads_and_read_back() {
        for s in HOSTILE {
            let text = mermaid_text(s);
            // Once the entity codes are taken out, nothing Mermaid (or the HTML
            // and Markdown of a label) reads is left.
            let mut plain = String::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find('#') {
                plain.push_str(&rest[..at]);
                let end = rest[at..].find(';').unwrap() + at;
                let code = &rest[at + 1..end];
                assert!(
                    ["quot", "lt", "gt"].contains(&code) || code.parse::<u32>().is_ok(),
                    "{s:?}: {text}"
                );
                rest = &rest[end + 1..];
            }
            plain.push_str(rest);
            for c in [
                '"', '%', ';', '|', '#', '<', '>', '&', '`', '{', '}', '\n', '\r',
            ] {
                assert!(!plain.contains(c), "{s:?} leaves {c:?}: {text}");
            }
            assert!(
                !plain
                    .chars()
                    .any(|c| c.is_control() || crate::diag::is_invisible(c))
            );
            // And the label shows the text (controls and invisible characters as
            // spaces).
            let shown: String = s
                .chars()
                .map(|c| {
                    if c.is_control() || crate::diag::is_invisible(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(decode(&text), shown, "{s:?}");
        }
    }

    #[test]
    fn svg_text_is_xml_whatever_the_name() {
        for s in HOSTILE.iter().copied().chain(["\u{fffe}\u{ffff}", "a&b'c"]) {
            let text = xml(s);
            // XML 1.0 characters only, and no markup but entities.
            assert!(
                text.chars().all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)),
                "{s:?}: {text:?}"
            );
            assert!(!text.contains(['<', '>', '"', '\'']), "{s:?}: {text}");
            let amps = text.matches('&').count();
            let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .map(|e| text.matches(e).count())
                .sum::<usize>();
            assert_eq!(amps, entities, "{s:?}: {text}");
        }
    }
}
