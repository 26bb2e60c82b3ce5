//! Diagnostics: what lifeboat tells the user about an inventory.
//!
//! Every problem has a stable [`Code`], a [`Severity`], a message, a primary
//! [`Span`] and optionally a label, secondary notes with spans, and a hint. All
//! stages push into one [`Diagnostics`] list so that a run reports every problem,
//! not just the first. Rendering (human, short, JSON) lives here too.

use std::fmt::Write as _;

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::{Sources, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $slug:literal, $summary:literal;)*) => {
        /// Stable diagnostic codes. Never renumber: tools and SARIF consumers key on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `E101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A kebab-case name for the rule, e.g. `unknown-attribute`.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            /// One sentence: what the rule checks.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    // Syntax and structure (parse stage).
    Syntax = "E001", "syntax-error", "The file is not valid HCL or JSON.";
    EmptyInventory = "E002", "empty-inventory", "The inputs contain no inventory at all.";
    Expression = "E003", "unsupported-expression", "Only literal values are allowed: no variables, functions or template interpolation.";
    DuplicateKey = "E004", "duplicate-key", "An attribute, block or label is defined twice.";
    Labels = "E005", "wrong-labels", "A block has the wrong number of labels.";
    InputFile = "E006", "unreadable-input", "An input file is not text (for example binary or invalid UTF-8) or too large.";
    // Schema (the JSON Schema of the inventory).
    UnknownField = "E101", "unknown-field", "An attribute or block that the inventory language does not have.";
    MissingField = "E102", "missing-field", "A required attribute or block is missing.";
    WrongType = "E103", "wrong-type", "A value has the wrong type.";
    InvalidValue = "E104", "invalid-value", "A value is not one of the allowed values or is out of range.";
    // Values (lowering).
    Duration = "E110", "invalid-duration", "A duration is not of the form `<integer><unit>` with unit s, m, h or d.";
    Region = "E111", "invalid-region", "A Region is not an AWS Region code.";
    Id = "E112", "invalid-id", "An id does not match `^[a-z][a-z0-9-]{0,38}[a-z0-9]$`.";
    SameRegion = "E113", "same-regions", "The primary and secondary Regions are the same.";
    ZeroObjective = "E114", "zero-objective", "An RPO or RTO of zero: no estimate can promise it.";
    AwsName = "E115", "invalid-aws-name", "A name that AWS would reject (bucket, DB identifier, tag, e-mail, DNS name).";
    Endpoint = "E116", "invalid-endpoint", "An endpoint's targets or health check are inconsistent.";
    Project = "E117", "project-count", "There must be exactly one `project` block.";
    Choice = "E118", "invalid-dr-choice", "A `dr` choice that AWS does not support for this asset.";
    Acceptance = "E119", "invalid-acceptance", "An accepted risk without a reason or owner, with an invalid expiry date or bound, or judged on an invalid date.";
    Measurement = "E120", "invalid-measurement", "A `measurement` for an asset that does not exist, one that an asset's own `measured` also sets, or one with an invalid date or job.";
    // Graph.
    UnknownDependency = "E201", "unknown-dependency", "`depends_on` names an asset that does not exist.";
    SelfDependency = "E202", "self-dependency", "An asset depends on itself.";
    Cycle = "E203", "dependency-cycle", "Assets depend on each other in a cycle, so none can be recovered first.";
    DuplicateAsset = "E204", "duplicate-asset", "Two assets (or tiers) have the same id.";
    UnknownTier = "E205", "unknown-tier", "An asset names a tier that is neither built in nor declared.";
    Rename = "E206", "invalid-rename", "A `previously` id clashes with a current asset or another rename.";
    // Recovery model.
    RpoBreach = "E301", "rpo-breach", "The estimated data loss exceeds the tier's RPO for a scenario.";
    RtoBreach = "E302", "rto-breach", "The estimated time to serve again exceeds the tier's RTO for a scenario.";
    DependencyBreach = "E303", "dependency-rto-breach", "An asset's own recovery is fast enough but its dependencies make it too slow.";
    VaultLock = "E304", "vault-lock-range", "Backup retentions fall outside the range that Vault Lock allows.";
    Assumption = "E305", "invalid-assumption", "An assumption override is unknown or out of range.";
    // Warnings.
    AcceptedBreach = "W301", "accepted-breach", "A breached objective that the inventory accepts as a known risk until its expiry date.";
    UnusedAcceptance = "W302", "unused-acceptance", "An accepted risk for a scenario whose objectives are met: it accepts nothing.";
    StaleMeasurement = "W303", "stale-measurement", "A measured restore time older than `measurement_max_age`: the model still uses it, but restore testing has not confirmed it since.";
    AccountCompromise = "W304", "account-compromise-without-isolated-copy", "A tier counts a compromised account in its corruption scenario but has no `isolated_copy`: no recovery point survives that account's administrator.";
    IsolatedCopyUnsupported = "W305", "isolated-copy-unsupported", "An asset of an `isolated_copy` tier whose kind lifeboat cannot confirm AWS Backup copies into a logically air-gapped vault (RDS DB instances, DynamoDB tables): it gets no isolated copy and the model counts none.";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// A secondary location, e.g. where a duplicate was first defined.
#[derive(Debug, Clone)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    /// Short text under the caret.
    pub label: Option<String>,
    pub notes: Vec<Note>,
    pub hint: Option<String>,
}

/// Longest quoted value (between backticks) a message shows whole: room for the
/// commands hints quote (`aws rds modify-db-instance ...` with a 63-character
/// identifier is 149), not for a megabyte of name.
pub const MAX_QUOTED: usize = 160;

/// `text` with every value quoted in backticks longer than [`MAX_QUOTED`]
/// characters cut to that length and an ellipsis: messages quote what the user
/// wrote, and a 1 MiB name is not worth a megabyte of output.
pub fn shorten_quoted(text: String) -> String {
    if text.len() <= MAX_QUOTED {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_QUOTED));
    let mut parts = text.split('`');
    out.push_str(parts.next().unwrap_or_default());
    // Odd pieces are inside backticks (a closing one may be missing).
    for (i, part) in parts.enumerate() {
        out.push('`');
        match part.char_indices().nth(MAX_QUOTED) {
            Some((cut, _)) if i % 2 == 0 => {
                out.push_str(&part[..cut]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    out
}

impl Diagnostic {
    pub fn new(code: Code, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: shorten_quoted(message.into()),
            span: span.into(),
            label: None,
            notes: Vec::new(),
            hint: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(shorten_quoted(label.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(shorten_quoted(hint.into()));
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint.map(shorten_quoted).or(self.hint);
        self
    }

    pub fn note(mut self, span: Span, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            span,
            message: shorten_quoted(message.into()),
        });
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// The diagnostics of one run, in the order the stages found them.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity() == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, position, then code, so output is stable whatever order the
    /// stages ran in; duplicates (same code, span and message) are dropped.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        // Borrowed keys: cloning each message per comparison cost n log n copies.
        fn key(d: &Diagnostic) -> (Option<(usize, usize)>, Code, &str) {
            (
                d.span.as_ref().map(|s| (s.file, s.range.start)),
                d.code,
                d.message.as_str(),
            )
        }
        v.sort_by(|a, b| key(a).cmp(&key(b)));
        v.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
        v
    }
}

/// Lines longer than this are not excerpted (a caret under a megabyte helps no one).
const MAX_EXCERPT: usize = 1000;

/// Bidirectional controls: they make text display in another order than it is
/// (the "Trojan Source" technique).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// Characters that show as nothing (or as something else) but are there:
/// Unicode's format characters (zero-width spaces and joiners, U+FEFF, the soft
/// hyphen, tag characters U+E0000-U+E007F, ...), the line and paragraph
/// separators U+2028 and U+2029, fillers that render blank, and noncharacters
/// (U+FFFE, U+FFFF, ..., which XML does not allow). Bidirectional controls are
/// among them.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}'
            | '\u{08E2}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}'
            | '\u{2060}'..='\u{2065}' | '\u{206A}'..='\u{206F}' | '\u{3164}' | '\u{FDD0}'..='\u{FDEF}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}')
        || (c as u32) & 0xFFFE == 0xFFFE
}

/// Text for a terminal: control characters, bidirectional controls and
/// invisible characters shown as escapes (`\u{200b}`), so a value can neither
/// drive the terminal nor hide what it says.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines a span covers, made safe to print (same byte length, so the span
/// still fits): tabs become spaces, control and bidi characters become `?`.
/// `None` when the lines are too long to show.
fn excerpt(
    text: &str,
    range: &std::ops::Range<usize>,
) -> Option<(usize, String, std::ops::Range<usize>)> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    if end - start > MAX_EXCERPT {
        return None;
    }
    let mut safe = String::with_capacity(end - start);
    for c in text[start..end].chars() {
        if c == '\n' {
            safe.push('\n');
        } else if c == '\t' {
            safe.push(' ');
        } else if printable(&c.to_string()) != c.to_string() {
            safe.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            safe.push(c);
        }
    }
    let line = text[..start].matches('\n').count() + 1;
    Some((line, safe, range.start - start..range.end - start))
}

/// Render one diagnostic as rustc-style text with the source line and a caret.
pub fn render_human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let level = match d.severity() {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let title = printable(&d.message);
    let label = printable(d.label.as_deref().unwrap_or_default());
    // (span, label, is the primary span)
    let mut parts: Vec<(&Span, String, bool)> = Vec::new();
    if let Some(span) = &d.span {
        parts.push((span, label, true));
    }
    for n in &d.notes {
        parts.push((&n.span, printable(&n.message), false));
    }
    struct Part {
        origin: String,
        line: usize,
        text: String,
        range: std::ops::Range<usize>,
        label: String,
        primary: bool,
    }
    let mut excerpts = Vec::new();
    let mut unshown = Vec::new();
    for (span, label, primary) in parts {
        let file = sources.file(span.file);
        let range = clamp(span.range.clone(), &file.text);
        match excerpt(&file.text, &range) {
            Some((line, text, range)) => excerpts.push(Part {
                origin: printable(&file.name),
                line,
                text,
                range,
                label,
                primary,
            }),
            None => unshown.push(format!("{}: {label}", printable(&sources.location(span)))),
        }
    }
    let mut message = level.title(&title).id(d.code.as_str());
    for p in &excerpts {
        let lvl = if p.primary { level } else { Level::Info };
        message = message.snippet(
            Snippet::source(&p.text)
                .line_start(p.line)
                .origin(&p.origin)
                .fold(false)
                .annotation(lvl.span(p.range.clone()).label(&p.label)),
        );
    }
    let mut out = renderer.render(message).to_string();
    out.push('\n');
    for u in unshown {
        let _ = writeln!(out, " --> {u} (line too long to show)");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {}\n", printable(hint));
    } else {
        out.push('\n');
    }
    out
}

/// Clamp a span to the text and to char boundaries, and make it at least one
/// character wide so the caret shows.
fn clamp(mut range: std::ops::Range<usize>, text: &str) -> std::ops::Range<usize> {
    range.start = range.start.min(text.len());
    range.end = range.end.clamp(range.start, text.len());
    while !text.is_char_boundary(range.start) {
        range.start -= 1;
    }
    while !text.is_char_boundary(range.end) {
        range.end += 1;
    }
    if range.start == range.end
        && let Some(c) = text[range.start..].chars().next().filter(|c| *c != '\n')
    {
        range.end = range.start + c.len_utf8();
    }
    range
}

/// `file:line:col: error[E101]: message (hint: ...)`, one line each.
pub fn render_short(d: &Diagnostic, sources: &Sources) -> String {
    let loc = d
        .span
        .as_ref()
        .map(|s| format!("{}: ", sources.location(s)))
        .unwrap_or_default();
    let sev = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let hint = d
        .hint
        .as_ref()
        .map(|h| format!(" (hint: {h})"))
        .unwrap_or_default();
    printable(&format!(
        "{loc}{sev}[{}]: {}{hint}",
        d.code.as_str(),
        d.message
    ))
}

/// The stable JSON shape of one diagnostic (documented in docs/diagnostics.md).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub label: Option<String>,
    pub hint: Option<String>,
    pub notes: Vec<JsonNote>,
}

#[derive(Debug, Serialize)]
pub struct JsonNote {
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

pub fn to_json(d: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
    let pos = d.span.as_ref().map(|s| {
        let f = sources.file(s.file);
        (
            f.name.clone(),
            f.line_col(s.range.start),
            f.line_col(s.range.end),
        )
    });
    JsonDiagnostic {
        code: d.code.as_str(),
        rule: d.code.slug(),
        severity: d.severity(),
        message: d.message.clone(),
        file: pos.as_ref().map(|p| p.0.clone()),
        line: pos.as_ref().map(|p| p.1.0),
        column: pos.as_ref().map(|p| p.1.1),
        end_line: pos.as_ref().map(|p| p.2.0),
        end_column: pos.as_ref().map(|p| p.2.1),
        label: d.label.clone(),
        hint: d.hint.clone(),
        notes: d
            .notes
            .iter()
            .map(|n| {
                let f = sources.file(n.span.file);
                let (line, column) = f.line_col(n.span.range.start);
                JsonNote {
                    message: n.message.clone(),
                    file: f.name.clone(),
                    line,
                    column,
                }
            })
            .collect(),
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be
/// a plausible typo (at most a third of the word's length, at least 1). Ties go
/// to the candidate that sorts first.
///
/// Callers pass every asset id of an inventory, so this must not cost a full
/// edit-distance table per candidate: candidates whose length alone rules them
/// out are skipped, and a comparison stops as soon as it cannot beat the best
/// match so far, without allocating.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let a: Vec<char> = word.chars().collect();
    let limit = (a.len() / 3).max(1);
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    let mut b: Vec<char> = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    // Character counts: an edit changes them by at most 2 in total, so half the
    // difference of two words' counts is a lower bound of their distance.
    let bucket = |c: char| (c as usize).min(127);
    let mut counts = [0i32; 128];
    for &c in &a {
        counts[bucket(c)] += 1;
    }
    for c in candidates {
        let bound = best.map_or(limit, |(d, _)| d);
        b.clear();
        b.extend(c.chars());
        if a.len().abs_diff(b.len()) > bound {
            continue;
        }
        let mut diff = counts;
        for &ch in &b {
            diff[bucket(ch)] -= 1;
        }
        let moved: u32 = diff.iter().map(|d| d.unsigned_abs()).sum();
        if moved.div_ceil(2) as usize > bound {
            continue;
        }
        if let Some(d) = distance_within(&a, &b, bound, &mut rows)
            && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc))
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance counting an adjacent transposition as one edit (optimal string
/// alignment), so `medai` is one edit from `media`.
#[cfg(test)]
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, usize::MAX - 1, &mut Default::default()).expect("unbounded")
}

/// The optimal string alignment distance of `a` and `b` if it is at most
/// `bound`. Row minima never decrease, so the rows stop once one exceeds it.
fn distance_within(
    a: &[char],
    b: &[char],
    bound: usize,
    rows: &mut [Vec<usize>; 3],
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let w = b.len() + 1;
    for r in rows.iter_mut() {
        r.clear();
        r.resize(w, 0);
    }
    // rows[0]: i - 2, rows[1]: i - 1, rows[2]: i.
    for (j, cell) in rows[1].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[2][0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[1][j] + 1)
                .min(rows[2][j - 1] + 1)
                .min(rows[1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[0][j - 2] + 1);
            }
            rows[2][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > bound {
            return None;
        }
        rows.rotate_left(1);
    }
    // After the last rotation the final row is rows[1].
    Some(rows[1][b.len()]).filter(|d| *d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_typos_only() {
        let c = ["storage_gb", "engine", "identifier"];
        assert_eq!(did_you_mean("storage_gbb", c), Some("storage_gb"));
        assert_eq!(did_you_mean("engin", c), Some("engine"));
        assert_eq!(did_you_mean("colour", c), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("medai", "media"), 1);
        assert_eq!(did_you_mean("medai", ["media", "web"]), Some("media"));
    }

    #[test]
    fn bounded_search_matches_full_table() {
        fn full(a: &str, b: &str) -> usize {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let w = b.len() + 1;
            let mut d = vec![0usize; (a.len() + 1) * w];
            for (i, row) in d.chunks_mut(w).enumerate() {
                row[0] = i;
            }
            for (j, cell) in d.iter_mut().enumerate().take(w) {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut v = (d[(i - 1) * w + j] + 1)
                        .min(d[i * w + j - 1] + 1)
                        .min(d[(i - 1) * w + j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        v = v.min(d[(i - 2) * w + j - 2] + 1);
                    }
                    d[i * w + j] = v;
                }
            }
            d[a.len() * w + b.len()]
        }
        let mut x = 7u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut word = |n: u64| -> String {
            (0..1 + n % 10)
                .map(|_| (b'a' + (next() % 4) as u8) as char)
                .collect()
        };
        for i in 0..3000u64 {
            let w = word(i);
            let cands: Vec<String> = (0..8).map(|j| word(i * 7 + j * 3)).collect();
            let old = cands
                .iter()
                .map(|c| (full(&w, c), c.as_str()))
                .filter(|(d, _)| *d <= (w.chars().count() / 3).max(1))
                .min()
                .map(|(_, c)| c);
            assert_eq!(
                did_you_mean(&w, cands.iter().map(String::as_str)),
                old,
                "{w} {cands:?}"
            );
            for c in &cands {
                assert_eq!(levenshtein(&w, c), full(&w, c));
            }
        }
    }

    #[test]
    fn long_quoted_values_are_shortened() {
        let long = "x".repeat(1 << 20);
        let cases = [
            (
                format!("invalid id `{long}`"),
                format!("invalid id `{}…`", "x".repeat(160)),
            ),
            (
                format!("`{long}` and `{long}` here"),
                format!("`{0}…` and `{0}…` here", "x".repeat(160)),
            ),
            // A missing closing backtick: the rest is the value.
            (
                format!("unclosed `{long}"),
                format!("unclosed `{}…", "x".repeat(160)),
            ),
            // Text outside backticks is ours and stays.
            (
                format!("{} `a`", "y".repeat(400)),
                format!("{} `a`", "y".repeat(400)),
            ),
            (
                format!("`{}`", "é".repeat(161)),
                format!("`{}…`", "é".repeat(160)),
            ),
            (
                format!("`{}`", "é".repeat(160)),
                format!("`{}`", "é".repeat(160)),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(shorten_quoted(text), want);
        }
        let d = Diagnostic::new(Code::Id, None, format!("`{long}`"))
            .label(format!("`{long}`"))
            .hint(format!("`{long}`"));
        assert!(d.message.len() + d.label.unwrap().len() + d.hint.unwrap().len() < 800);
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {}", c.as_str());
        }
    }
}
