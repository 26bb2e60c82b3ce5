//! One inventory file, all in memory, through everything `lifeboat compile` does
//! before it touches the disk: parse, schema, lowering, graph, recovery model,
//! diagnostics in every format, and (without errors) the generated files.
//!
//! The input is one file: JSON if its first non-blank byte is `{` or `[`, HCL
//! otherwise; bytes that are not UTF-8 become an unreadable file, as the CLI
//! makes them.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lifeboat::emit::{self, Options};
use lifeboat::source::{SourceFile, Sources};

fuzz_target!(|data: &[u8]| {
    let json = matches!(
        data.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    );
    let name = if json { "fuzz.json" } else { "fuzz.hcl" };
    let sources = match std::str::from_utf8(data) {
        Ok(text) => Sources::new(vec![SourceFile::new(name, text)]),
        Err(e) => {
            let mut s = Sources::new(vec![SourceFile::new(name, "")]);
            s.unreadable.push((
                0,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            ));
            s
        }
    };
    let a = lifeboat::analyze(sources);
    for d in a.diagnostics.sorted() {
        let _ = lifeboat::diag::render_human(d, &a.sources, false);
        let _ = lifeboat::diag::render_short(d, &a.sources);
        let _ = lifeboat::diag::to_json(d, &a.sources);
    }
    let _ = lifeboat::report::explain::json_report(&a);
    if a.has_errors() {
        return;
    }
    // An inventory that passes check must compile: an error here is what the CLI
    // reports as an internal error (exit 2).
    let files = emit::generate(&a, &Options::default())
        .unwrap_or_else(|e| panic!("accepted by check, but generate failed: {e:#}"));
    for f in &files {
        assert!(
            f.contents
                .lines()
                .next()
                .is_some_and(|l| l.contains(emit::MARKER)),
            "{} has no marker",
            f.path
        );
    }
});
