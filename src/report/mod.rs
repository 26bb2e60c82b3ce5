//! What people read: topology graphs, the runbook, pull-request reports and
//! drills. Everything here renders in memory from the model and the recovery
//! model; the CLI prints or writes it.

pub mod drill;
pub mod explain;
pub mod graph;
pub mod pr;
pub mod runbook;
pub mod topology;

/// Text safe inside a Markdown table cell or paragraph: no HTML, no table pipes,
/// no emphasis or link syntax, one line.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
