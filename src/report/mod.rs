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

/// `s` as a Markdown code span, for text that comes from the user (or quotes
/// it) in a report meant for a pull-request comment. Inside a code span GitHub
/// renders no HTML, no links, no emphasis, and turns neither bare URLs into
/// links nor `@name` into a mention nor `#123` into a reference, which
/// backslash escapes do not prevent. The span is one line with nothing hidden
/// (controls and invisible characters written as escapes), fenced with more
/// backticks than the text holds; `table` escapes `|`, which would end a table
/// cell even inside a span.
pub fn code_span(s: &str, table: bool) -> String {
    let mut text = crate::diag::printable(s);
    if table {
        text = text.replace('|', "\\|");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick or a space needs a space on
    // each side, which the renderer takes off again.
    if text.is_empty() {
        return "` `".to_owned();
    }
    let pad = text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']);
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::code_span;

    #[test]
    fn code_spans_hold_any_text() {
        for (text, table, want) in [
            ("plain", false, "`plain`"),
            ("a `b` c", false, "``a `b` c``"),
            ("``", false, "``` `` ```"),
            ("`x", false, "`` `x ``"),
            (" x ", false, "`  x  `"),
            ("", false, "` `"),
            ("a|b", true, "`a\\|b`"),
            ("a|b", false, "`a|b`"),
            ("line\nbreak", false, "`line\\nbreak`"),
            ("zero\u{200b}width", false, "`zero\\u{200b}width`"),
            ("<img src=x>", false, "`<img src=x>`"),
        ] {
            assert_eq!(code_span(text, table), want, "{text:?}");
        }
    }
}
