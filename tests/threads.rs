//! Parse, lowering, the recovery model and rendering run on several threads
//! (`LIFEBOAT_THREADS`, default every core). Their results must not depend on
//! it: a generated inventory large enough to split (the scale benchmark's
//! generator), valid and with breaches, gives the same bytes on one thread and
//! on several.

#[path = "../benches/scale/generator.rs"]
#[allow(dead_code)]
mod generator;

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;

fn lifeboat(threads: usize, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("lifeboat"))
        .env("NO_COLOR", "1")
        .env("LIFEBOAT_THREADS", threads.to_string())
        .args(args)
        .output()
        .expect("lifeboat runs")
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Write the generated inventory into `dir`, with `edit` applied to each file;
/// return the id of an endpoint (it depends on other assets).
fn inventory(dir: &Path, n: usize, edit: impl Fn(usize, &str) -> String) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let mut endpoint = None;
    for (k, (name, text)) in generator::inventory(n, 7).into_iter().enumerate() {
        if endpoint.is_none() && name.ends_with(".hcl") {
            endpoint = text
                .split("asset \"")
                .skip(1)
                .find(|a| a.contains("kind       = \"endpoint\""))
                .and_then(|a| a.split('"').next())
                .map(str::to_owned);
        }
        std::fs::write(dir.join(name), edit(k, &text)).unwrap();
    }
    endpoint.expect("the generator writes endpoints")
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let valid = tmp.path().join("valid");
    let endpoint = inventory(&valid, 2_000, |_, t| t.to_owned());
    // Tighter tiers on some assets: breaches, and budgets that dependents
    // squeeze out of the assets they depend on.
    let breaches = tmp.path().join("breaches");
    inventory(&breaches, 2_000, |k, t| {
        let t = t.replacen("\"non-critical\"", "\"mission-critical\"", 40 + k);
        t.replacen("multi_az   = true", "multi_az   = false", 25)
    });
    // The variants are what they claim: one passes, the other breaches.
    for (inv, code) in [(&valid, 0), (&breaches, 1)] {
        let o = lifeboat(1, &["check", inv.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for inv in [&valid, &breaches] {
        let inv = inv.to_str().unwrap();
        for args in [
            vec!["check", inv, "--format", "json"],
            vec!["check", inv],
            vec!["explain", &endpoint, inv],
        ] {
            let one = lifeboat(1, &args);
            for threads in [2, 3] {
                let many = lifeboat(threads, &args);
                assert_eq!(one.status.code(), many.status.code(), "{args:?}");
                assert!(
                    !(one.stdout.is_empty() && one.stderr.is_empty()),
                    "{args:?} printed nothing"
                );
                assert!(
                    one.stdout == many.stdout && one.stderr == many.stderr,
                    "{args:?} on {threads} threads differs from one thread"
                );
            }
        }
    }
    let out = |t: usize| tmp.path().join(format!("out-{t}"));
    let valid = valid.to_str().unwrap();
    for t in [1, 3] {
        let o = lifeboat(t, &["compile", valid, "-o", out(t).to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(tree(&out(1)) == tree(&out(3)), "compiled trees differ");
}
