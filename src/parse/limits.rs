//! Limits checked over the raw text before a parser sees it: parsers recurse on
//! nesting, and hcl-edit can take time exponential in the nesting of an
//! expression it cannot parse (docs/safety.md, "Limits on hostile input").

use super::span;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::FileId;

/// Deepest nesting of brackets accepted. Real inventories nest a handful of
/// levels; deeper input is hostile or broken, and the parsers recurse on it.
pub const MAX_DEPTH: usize = 64;

/// Deepest nesting inside one HCL expression (an attribute's value): brackets,
/// template interpolations and directives, and conditionals. An inventory's values
/// nest a level or two.
///
/// hcl-edit (0.9 and 0.10) parses some constructs it then rejects twice, once per
/// alternative it tries: a chain of operators whose last operand fails
/// (`b + c + {...`), an index after a traversal (`a.a[-...`), an `%{ if }` without
/// its `%{ endif }`. Each level of nesting inside such a construct doubles the
/// work, so 26 levels in 187 bytes took a minute. With at most this many levels, an
/// expression is read at most 2^8 times.
pub const MAX_EXPRESSION_DEPTH: usize = 8;

/// Report input nested deeper than [`MAX_DEPTH`] before a recursive parser sees
/// it. Counts `{ [ (` outside strings and comments (`#`, `//`, `/* */`). For
/// JSON (HCL has [`hcl_too_deep`]).
pub(crate) fn too_deep(file: FileId, text: &str, diags: &mut Diagnostics) -> bool {
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    diags.push(nesting(file, i));
                    return true;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

fn nesting(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        span(file, at..at + 1),
        format!("nesting deeper than {MAX_DEPTH} levels"),
    )
    .label("too deep")
    .hint("inventories nest a few levels; this looks generated or corrupted")
}

/// What the HCL scanner is inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A block's body (`asset "x" { ... }`).
    Body,
    /// An attribute's value, from its `=` to the end of its line.
    Root,
    /// `{ [ (` inside an expression; holds its closing byte.
    Open(u8),
    /// `${ ... }` or `%{ ... }` in a quoted string or heredoc.
    Template,
    /// A quoted string.
    Quoted,
    /// A heredoc; holds where its delimiter sits in the text.
    Heredoc(usize, usize),
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// Conditionals (`?`) directly in this frame.
    conds: usize,
}

fn is_id_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_id_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The identifier at the start of `s`, if any (byte length).
fn ident_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    if !is_id_start(first) {
        return None;
    }
    Some(
        chars
            .find(|(_, c)| !is_id_continue(*c))
            .map_or(s.len(), |(i, _)| i),
    )
}

/// Report HCL input nested deeper than [`MAX_DEPTH`] (blocks, brackets and
/// templates) or with an expression nested deeper than [`MAX_EXPRESSION_DEPTH`],
/// before hcl-edit sees it. One linear pass that tokenizes as hcl-edit does:
/// quoted strings (which may span lines) with `\` escapes, `$${` and `%%{`,
/// heredocs (`<<EOT`, `<<-EOT`, ending at a line of their delimiter), comments
/// (`#`, `//`, `/* */`), and template interpolations and directives inside
/// strings and heredocs.
pub(crate) fn hcl_too_deep(file: FileId, text: &str, diags: &mut Diagnostics) -> bool {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // Frames that count towards MAX_DEPTH, and levels of the current expression.
    let (mut depth, mut expr_depth) = (0usize, 0usize);
    // In a heredoc: at the start of a line, where its delimiter may end it.
    let mut line_start = false;
    let mut i = 0usize;
    let too_deep = |at: usize, expr: bool, diags: &mut Diagnostics| {
        let d = if expr {
            Diagnostic::new(
                Code::Syntax,
                span(file, at..at + 1),
                format!("expression nested deeper than {MAX_EXPRESSION_DEPTH} levels"),
            )
            .label("too deep for an inventory")
            .hint("inventory values are literals nested a level or two; deeper expressions are refused because parsing them can take exponential time")
        } else {
            nesting(file, at)
        };
        diags.push(d);
        true
    };
    while i < b.len() {
        let top = stack.last().map(|f| f.kind);
        match top {
            Some(Kind::Quoted) => {
                match b[i] {
                    b'\\' => i += 1,
                    b'"' => {
                        stack.pop();
                    }
                    b'$' | b'%' if b[i + 1..].starts_with(&[b[i], b'{']) => i += 2,
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Frame {
                            kind: Kind::Template,
                            conds: 0,
                        });
                        depth += 1;
                        expr_depth += 1;
                        if depth > MAX_DEPTH || expr_depth > MAX_EXPRESSION_DEPTH {
                            return too_deep(i, depth <= MAX_DEPTH, diags);
                        }
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            Some(Kind::Heredoc(start, end)) => {
                if line_start {
                    line_start = false;
                    let mut j = i;
                    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                        j += 1;
                    }
                    let delim = &text[start..end];
                    if text[j..].starts_with(delim)
                        && !text[j + delim.len()..]
                            .chars()
                            .next()
                            .is_some_and(is_id_continue)
                    {
                        stack.pop();
                        i = j + delim.len();
                        continue;
                    }
                }
                match b[i] {
                    b'\n' => line_start = true,
                    b'$' | b'%' if b[i + 1..].starts_with(&[b[i], b'{']) => i += 2,
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Frame {
                            kind: Kind::Template,
                            conds: 0,
                        });
                        depth += 1;
                        expr_depth += 1;
                        if depth > MAX_DEPTH || expr_depth > MAX_EXPRESSION_DEPTH {
                            return too_deep(i, depth <= MAX_DEPTH, diags);
                        }
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // Code: a body, or an expression.
        let in_expr = matches!(top, Some(Kind::Root | Kind::Open(_) | Kind::Template));
        match b[i] {
            b'"' => stack.push(Frame {
                kind: Kind::Quoted,
                conds: 0,
            }),
            b'#' => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'<' if in_expr && b[i + 1..].starts_with(b"<") => {
                // A heredoc: `<<ID` or `<<-ID`, then the end of the line.
                let at = i + 2 + usize::from(b.get(i + 2) == Some(&b'-'));
                let header = ident_len(&text[at..]).and_then(|n| {
                    let rest = &b[at + n..];
                    let eol = if rest.starts_with(b"\n") {
                        1
                    } else if rest.starts_with(b"\r\n") {
                        2
                    } else {
                        return None;
                    };
                    Some((n, eol))
                });
                if let Some((n, eol)) = header {
                    stack.push(Frame {
                        kind: Kind::Heredoc(at, at + n),
                        conds: 0,
                    });
                    line_start = true;
                    i = at + n + eol;
                    continue;
                }
                i += 1;
            }
            open @ (b'{' | b'[' | b'(') => {
                let kind = match (open, in_expr) {
                    (b'{', false) => Kind::Body,
                    (b'{', true) => Kind::Open(b'}'),
                    (b'[', _) => Kind::Open(b']'),
                    _ => Kind::Open(b')'),
                };
                stack.push(Frame { kind, conds: 0 });
                depth += 1;
                if kind != Kind::Body {
                    expr_depth += 1;
                }
                if depth > MAX_DEPTH || expr_depth > MAX_EXPRESSION_DEPTH {
                    return too_deep(i, depth <= MAX_DEPTH, diags);
                }
            }
            b'}' | b']' | b')' => {
                // The end of a one-line block's attribute (`a { b = 1 }`) ends
                // its expression too.
                if top == Some(Kind::Root) {
                    let root = stack.pop().expect("a root");
                    expr_depth -= root.conds;
                }
                // Closers are not matched (hcl-edit reports a wrong one); any
                // closes the innermost frame, so the count never runs away.
                if let Some(f) = stack.pop() {
                    depth -= 1;
                    if f.kind != Kind::Body {
                        expr_depth -= 1 + f.conds;
                    }
                }
            }
            b'?' if in_expr => {
                let f = stack.last_mut().expect("in an expression");
                f.conds += 1;
                expr_depth += 1;
                if expr_depth > MAX_EXPRESSION_DEPTH {
                    return too_deep(i, true, diags);
                }
            }
            b'=' if !in_expr && b.get(i + 1) != Some(&b'=') => {
                stack.push(Frame {
                    kind: Kind::Root,
                    conds: 0,
                });
            }
            b'\n' if top == Some(Kind::Root) => {
                let root = stack.pop().expect("a root");
                expr_depth -= root.conds;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, expected: None = passes, Some(true) = expression too deep,
    /// Some(false) = too deep overall).
    #[test]
    fn hcl_nesting_is_counted_as_hcl_edit_reads_it() {
        let nest =
            |open: &str, n: usize, close: &str| format!("{}1{}", open.repeat(n), close.repeat(n));
        let blocks = |n: usize| format!("{}{}", "b {\n".repeat(n), "}\n".repeat(n));
        let cases: Vec<(String, Option<bool>)> = vec![
            ("x = 1\n".into(), None),
            (format!("x = {}\n", nest("[", 8, "]")), None),
            (format!("x = {}\n", nest("[", 9, "]")), Some(true)),
            (format!("x = {}\n", nest("{a = ", 9, "}")), Some(true)),
            (format!("x = {}\n", nest("(", 9, ")")), Some(true)),
            // Interpolations and directives are levels, escaped ones are not.
            (format!("x = {}\n", nest("\"${", 9, "}\"")), Some(true)),
            (format!("x = \"{}\"\n", "$${ %%{ [[[ ".repeat(20)), None),
            (
                format!("x = \"{}\"\n", "%{ if a }x%{ endif }".repeat(50)),
                None,
            ),
            // Conditionals count, up to the end of their bracket or line.
            (format!("x = {}1\n", "a ? 1 : ".repeat(9)), Some(true)),
            (format!("x = {}1\n", "a ? 1 : ".repeat(8)), None),
            ("x = a ? 1 : 2\n".repeat(50), None),
            (format!("x = {}\n", "[a ? 1 : 2] ".repeat(50)), None),
            // Brackets in strings, comments and heredocs are text.
            (format!("x = \"{}\"\n", "[".repeat(100)), None),
            (format!("x = \"a\n{}\"\n", "[".repeat(100)), None),
            (format!("# {}\nx = 1\n", "[".repeat(100)), None),
            (format!("// {}\nx = 1\n", "[".repeat(100)), None),
            (format!("/* {}\n */ x = 1\n", "[".repeat(100)), None),
            (format!("x = <<EOT\n{}\nEOT\n", "[".repeat(100)), None),
            (
                format!("x = <<-EOT\n{}\n  EOT\ny = 1\n", "{".repeat(100)),
                None,
            ),
            (format!("x = \"\\\"{}\"\n", "[".repeat(100)), None),
            // A line holding the delimiter only ends a heredoc at its start, and
            // not inside an interpolation.
            (format!("x = <<EOT\nEOTX {}\nEOT\n", "[".repeat(100)), None),
            (
                format!(
                    "x = <<EOT\n${{{}\nEOT\n}} {}\nEOT\n",
                    nest("[", 7, "]"),
                    "{".repeat(100)
                ),
                None,
            ),
            // Blocks count towards the overall limit only.
            (blocks(64), None),
            (blocks(65), Some(false)),
            (format!("a {{ b = {} }}\n", nest("[", 8, "]")), None),
            (
                format!(
                    "{}x = {}\n{}",
                    "b {\n".repeat(60),
                    nest("[", 5, "]"),
                    "}\n".repeat(60)
                ),
                Some(false),
            ),
            // The 187 bytes.
            (format!("x = {}\n", "a?b<c%{".repeat(26)), Some(true)),
        ];
        for (text, want) in cases {
            let mut d = Diagnostics::default();
            let refused = hcl_too_deep(0, &text, &mut d);
            let got = d.iter().next().map(|d| d.message.starts_with("expression"));
            assert_eq!(refused, want.is_some(), "{text:?}");
            assert_eq!(got, want, "{text:?}");
        }
    }
}
