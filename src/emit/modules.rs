//! The hand-written Terraform modules of `modules/`, embedded in the binary so an
//! installed lifeboat can write them anywhere.

use include_dir::{Dir, include_dir};

use super::{GeneratedFile, Options};

static MODULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/modules");

/// Every file of the named modules, under `modules/<name>/`, with a header.
pub fn files(names: &[&str], opts: &Options) -> Vec<GeneratedFile> {
    let mut out = Vec::new();
    for name in names {
        let dir = MODULES
            .get_dir(name)
            .unwrap_or_else(|| panic!("module `{name}` is embedded"));
        let mut files: Vec<_> = dir.files().collect();
        files.sort_by_key(|f| f.path());
        for f in files {
            let path = f.path().to_string_lossy().replace('\\', "/");
            let text = f.contents_utf8().expect("module files are text");
            let contents = if path.ends_with(".tf") {
                format!("{}\n\n{text}", opts.header("#"))
            } else if path.ends_with(".md") {
                format!(
                    "<!-- {} -->\n\n{text}",
                    comment_text(opts.header("").trim_start())
                )
            } else {
                continue;
            };
            out.push(GeneratedFile {
                path: format!("modules/{path}"),
                contents,
            });
        }
    }
    out
}

/// Text that cannot end (or nest) the HTML comment it sits in, whatever the
/// file names in it hold: HTML comments end at `-->` and `--!>`, so no two
/// hyphens stay next to each other (`--->` becomes `- - ->`), and `<!--` cannot
/// start either.
fn comment_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '-' && out.ends_with('-') {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Names of all embedded modules.
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<&str> = MODULES.dirs().filter_map(|d| d.path().to_str()).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_close_the_readme_header_comment() {
        for name in [
            "x -->y.hcl",
            "x --->y.hcl",
            "x ---->y.hcl",
            "x --!>y.hcl",
            "<!-- x",
            "a-",
            "-",
            "--",
            "x->y.hcl",
            "x - -> y.hcl",
        ] {
            let text = comment_text(name);
            let comment = format!("<!-- {text} -->");
            let body = &comment[4..comment.len() - 3];
            assert!(!body.contains("--"), "{name:?}: {comment}");
            assert_eq!(comment.matches("-->").count(), 1, "{name:?}: {comment}");
            // Nothing else is changed: only spaces are added.
            assert_eq!(text.replace(' ', ""), name.replace(' ', ""), "{name:?}");
        }
    }
}
