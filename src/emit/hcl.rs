//! HCL values and layout: strings go through lifeboat's escaper ([`quote`]),
//! other scalars through [`scalar`], and every file goes through [`fmt`] (terraform
//! fmt's alignment, which hcl-rs's formatter does not do) and is re-parsed.

use hcl::expr::Expression;
use hcl::format::{Format, Formatter};
use serde_json::Value;

/// A JSON scalar that is not a string (null, a bool, a number) as HCL text.
/// Strings never go through here: they are written with [`quote`] (hcl-rs 0.19's
/// own string formatting mis-escapes `${` after `$` or `%`); lists and objects are
/// laid out by the caller.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Whether an object key can be written bare: an identifier that HCL does not
/// read as a keyword (`for` would start a for-expression, `true` is a bool).
pub fn bare_key(k: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "for", "in", "if", "else", "endif", "endfor", "true", "false", "null",
    ];
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !KEYWORDS.contains(&k)
}

/// Render an expression; `compact` keeps arrays and objects on one line.
pub fn render(e: &Expression, compact: bool) -> String {
    let mut f = Formatter::builder().compact(compact).build_vec();
    e.format(&mut f)
        .expect("formatting into memory cannot fail");
    String::from_utf8(f.into_inner()).expect("hcl-rs writes UTF-8")
}

/// The inside of an HCL string literal for `s` (no surrounding quotes).
///
/// Written here rather than taken from hcl-rs: its marker escaping (hcl-primitives
/// 0.1.13) leaves a `${` unescaped when a `$` or `%` precedes it (`%${x}` stays
/// live), which would let a user string become a Terraform interpolation. The
/// rule is HCL's: every `${` becomes `$${` and every `%{` becomes `%%{`; quotes,
/// backslashes and control characters use backslash escapes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let n = c as u32;
                if n <= 0xFFFF {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A string as an HCL string literal, quotes included.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// Lay out HCL text as `terraform fmt` does: consecutive single-line attributes at
/// the same indentation align their `=`; a multi-line value, a blank line, a
/// comment or a block line ends the run. Trailing spaces go; the file ends with
/// exactly one newline.
pub fn fmt(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let parsed: Vec<Option<Attr<'_>>> = lines.iter().map(|l| attr(l)).collect();
    let mut out = Out {
        text: String::with_capacity(text.len() + text.len() / 8),
        blank: true,
    };
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = parsed[i].as_ref().filter(|a| a.single_line) else {
            // A multi-line value's first line stands alone: `key = {`.
            match &parsed[i] {
                Some(a) => out.attr(a, a.key.chars().count()),
                None => out.line(lines[i]),
            }
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < lines.len()
            && parsed[j]
                .as_ref()
                .is_some_and(|a| a.single_line && a.indent == first.indent)
        {
            j += 1;
        }
        let width = parsed[i..j]
            .iter()
            .flatten()
            .map(|a| a.key.chars().count())
            .max()
            .unwrap_or(0);
        for a in parsed[i..j].iter().flatten() {
            out.attr(a, width);
        }
        i = j;
    }
    let mut text = out.text;
    while text.ends_with("\n\n") {
        text.pop();
    }
    text
}

/// Formatted lines, with runs of blank lines collapsed and none at the start, as
/// fmt does.
struct Out {
    text: String,
    /// The last line written was blank (or nothing was written yet).
    blank: bool,
}

impl Out {
    fn line(&mut self, line: &str) {
        if line.is_empty() {
            if !self.blank {
                self.text.push('\n');
            }
            self.blank = true;
        } else {
            self.text.push_str(line);
            self.text.push('\n');
            self.blank = false;
        }
    }

    /// `key = value` with the key padded to `width` characters.
    fn attr(&mut self, a: &Attr<'_>, width: usize) {
        let pad = width.saturating_sub(a.key.chars().count());
        self.text.extend(std::iter::repeat_n(' ', a.indent));
        self.text.push_str(a.key);
        self.text.extend(std::iter::repeat_n(' ', pad));
        self.text.push_str(" = ");
        self.text.push_str(a.value);
        self.text.push('\n');
        self.blank = false;
    }
}

struct Attr<'a> {
    indent: usize,
    key: &'a str,
    value: &'a str,
    /// The value ends on this line (brackets balance).
    single_line: bool,
}

/// An attribute line `key = value`.
fn attr(line: &str) -> Option<Attr<'_>> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let key_len = if let Some(stripped) = rest.strip_prefix('"') {
        let end = string_end(stripped)?;
        end + 2
    } else {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?
    };
    if key_len == 0 {
        return None;
    }
    let key = &rest[..key_len];
    let after = rest[key_len..].trim_start();
    let value = after.strip_prefix('=')?;
    if value.starts_with('=') || value.starts_with('>') {
        return None;
    }
    let value = value.trim_start();
    if value.is_empty() || value.starts_with("<<") {
        return None;
    }
    Some(Attr {
        indent,
        key,
        value,
        single_line: balanced(value),
    })
}

/// Index of the closing quote of a string whose opening quote was just consumed.
fn string_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            '#' if depth == 0 => break,
            _ => {}
        }
    }
    depth == 0 && !in_string
}

/// Parse generated text with hcl-edit, the parser under hcl-rs (a failure is an
/// internal error).
///
/// A large file is parsed in pieces of about 1 MB, cut before a top-level block
/// or comment (a line that starts with a letter or `#` after a blank line: in
/// formatted output nothing else starts there), on every core. A 100,000-asset
/// main.tf is 90 MB and its whole syntax tree would take several times that.
pub fn parse_check(text: &str) -> Result<(), hcl::Error> {
    const PIECE: usize = 1 << 20;
    let pieces = top_level_pieces(text, PIECE);
    if pieces.len() == 1 {
        return parse_piece(text);
    }
    crate::par::runs(&pieces, 1, |run| {
        run.iter().try_for_each(|p| parse_piece(p))
    })
    .into_iter()
    .collect()
}

/// [`parse_check`] on the calling thread only, a piece at a time (for callers that
/// already run on every core).
pub fn parse_pieces(text: &str) -> Result<(), hcl::Error> {
    top_level_pieces(text, 1 << 20)
        .into_iter()
        .try_for_each(parse_piece)
}

/// hcl-edit's parser, which hcl-rs's `parse` runs before converting the tree
/// into its own types; the check needs only the parse.
fn parse_piece(text: &str) -> Result<(), hcl::Error> {
    hcl_edit::parser::parse_body(text)
        .map(|_| ())
        .map_err(|e| hcl::Error::Message(e.to_string()))
}

/// `text` cut into pieces of at least `size` bytes at top-level boundaries.
fn top_level_pieces(text: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while text.len() - start > size {
        let mut from = start + size;
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let cut = text[from..]
            .match_indices("\n\n")
            .map(|(i, _)| from + i + 2)
            .find(|&i| {
                text[i..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '#')
            });
        let Some(cut) = cut else { break };
        pieces.push(&text[start..cut]);
        start = cut;
    }
    pieces.push(&text[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_between_top_level_blocks() {
        let text = "a {\n  x = 1\n\n  y = 2\n}\n\n# c\nb {\n}\n\nc {\n}\n";
        assert_eq!(
            top_level_pieces(text, 1),
            [
                "a {\n  x = 1\n\n  y = 2\n}\n\n",
                "# c\nb {\n}\n\n",
                "c {\n}\n"
            ]
        );
        assert_eq!(top_level_pieces(text, 1000), [text]);
        assert_eq!(top_level_pieces(text, 1).concat(), text);
        // A cut never splits a character.
        let text = "a {\n  t = \"ééé\"\n}\n\nb {\n}\n";
        for size in 0..text.len() {
            assert_eq!(top_level_pieces(text, size).concat(), text);
        }
    }

    #[test]
    fn aligns_runs_like_terraform_fmt() {
        let input = "x {\n  name = \"a\"\n  longer_name = 1\n  tags = {\n    a = 1\n    bbb = 2\n  }\n  z = 1\n\n  q = [\n    1,\n  ]\n}\n\n\n";
        let want = "x {\n  name        = \"a\"\n  longer_name = 1\n  tags = {\n    a   = 1\n    bbb = 2\n  }\n  z = 1\n\n  q = [\n    1,\n  ]\n}\n";
        assert_eq!(fmt(input), want);
    }

    #[test]
    fn strings_are_escaped_for_hcl() {
        assert_eq!(escape("a${b}%{c}\"\\\n"), "a$${b}%%{c}\\\"\\\\\\n");
        // A marker right after `$` or `%` is escaped too (hcl-rs 0.19 misses it).
        assert_eq!(escape("%${x}"), "%$${x}");
        assert_eq!(escape("$${x}"), "$$${x}");
        assert_eq!(escape("$%{x}"), "$%%{x}");
        for s in [
            "%${path.cwd}",
            "$${a} %${b}",
            "x$%{y}${z}",
            "\u{7}\u{1b}]0;t",
            "\u{10ffff}",
        ] {
            let text = format!("v = {}\n", quote(s));
            let body: hcl::Body = hcl::from_str(&text).unwrap();
            let v = body.attributes().next().unwrap().expr().clone();
            let evaluated: hcl::Value =
                hcl::eval::Evaluate::evaluate(&v, &hcl::eval::Context::new()).unwrap();
            assert_eq!(
                evaluated,
                hcl::Value::String(s.to_owned()),
                "{s:?} -> {text}"
            );
        }
    }

    #[test]
    fn scalars_only() {
        use serde_json::json;
        assert_eq!(scalar(&json!(null)).as_deref(), Some("null"));
        assert_eq!(scalar(&json!(true)).as_deref(), Some("true"));
        assert_eq!(scalar(&json!(86_400)).as_deref(), Some("86400"));
        assert_eq!(scalar(&json!(-3)).as_deref(), Some("-3"));
        // Strings, lists and objects are not scalars here: strings must go
        // through `quote`.
        for v in [json!("${x}"), json!([1]), json!({})] {
            assert_eq!(scalar(&v), None, "{v}");
        }
    }
}
