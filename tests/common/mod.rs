//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lifeboat::Analysis;
use lifeboat::diag;

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Analyze a file or directory given relative to the repository root, with
/// names as the CLI would show them.
pub fn analyze(rel: &str) -> Analysis {
    let _cwd = std::env::set_current_dir(root());
    let sources = lifeboat::cli::read_inputs(&[PathBuf::from(rel)]).expect("readable fixture");
    lifeboat::analyze(sources)
}

/// Every diagnostic rendered as plain human text, in stable order.
pub fn render(a: &Analysis) -> String {
    a.diagnostics
        .sorted()
        .into_iter()
        .map(|d| diag::render_human(d, &a.sources, false))
        .collect()
}

/// Entries of a fixture folder (files and sub-folders), sorted, relative to the root.
pub fn fixtures(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("fixture folder")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            format!("{dir}/{name}")
        })
        .filter(|p| !p.ends_with(".md"))
        .collect();
    v.sort();
    v
}

pub fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Analyze files or directories given by path (absolute, or relative to the root).
pub fn analyze_paths(paths: &[PathBuf]) -> Analysis {
    let _cwd = std::env::set_current_dir(root());
    let sources = lifeboat::cli::read_inputs(paths).expect("readable inputs");
    lifeboat::analyze(sources)
}
