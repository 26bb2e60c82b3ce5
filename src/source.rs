//! Source files and byte spans.
//!
//! Every diagnostic points into a [`SourceFile`] through a [`Span`]. The files are
//! read by the CLI; this module only holds their text.

use std::ops::Range;

/// Index of a file in a [`Sources`] set.
pub type FileId = usize;

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// One inventory file as read from disk (or given by a test).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative where possible).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Whether this file is in HCL's JSON form (decided by its extension).
    pub fn is_json(&self) -> bool {
        self.name.ends_with(".json")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The byte offset of 1-based `line` and `col` (in characters), clamped to the file.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let end_of_line = rest.find('\n').unwrap_or(rest.len());
        rest[..end_of_line]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start + end_of_line, |(i, _)| start + i)
    }
}

/// All files of one inventory.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Files that could not be read as text, with the reason (they are empty in
    /// `files` so diagnostics can name them).
    pub unreadable: Vec<(FileId, String)>,
}

impl Sources {
    pub fn new(files: Vec<SourceFile>) -> Self {
        Sources {
            files,
            unreadable: Vec::new(),
        }
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// `file:line:col` of the start of a span.
    pub fn location(&self, span: &Span) -> String {
        let file = self.file(span.file);
        let (line, col) = file.line_col(span.range.start);
        format!("{}:{line}:{col}", file.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a.hcl", "ab\nçd\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte ç
        assert_eq!(f.offset_of(2, 2), 5);
        assert_eq!(f.offset_of(9, 1), f.text.len());
    }
}
