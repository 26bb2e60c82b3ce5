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
                    // A file name must not end the HTML comment the header sits in.
                    opts.header("").trim_start().replace("--", "- -")
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

/// Names of all embedded modules.
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<&str> = MODULES.dirs().filter_map(|d| d.path().to_str()).collect();
    v.sort_unstable();
    v
}
