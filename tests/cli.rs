//! The command line, end to end: stdout, stderr and exit code snapshotted together.

mod common;

use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn lifeboat() -> Command {
    let mut cmd = Command::new(get_cargo_bin("lifeboat"));
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

macro_rules! snap {
    ($name:literal, $cmd:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots/cli",
            prepend_module_to_snapshot => false,
        }, {
            assert_cmd_snapshot!($name, $cmd);
        });
    };
}

#[test]
fn check_ok() {
    snap!(
        "check_webshop",
        lifeboat().args(["check", "examples/webshop"])
    );
}

#[test]
fn check_errors_exit_1_in_every_format() {
    snap!(
        "check_invalid_human",
        lifeboat().args(["check", "tests/fixtures/invalid/unknown-attribute.hcl"])
    );
    snap!(
        "check_invalid_short",
        lifeboat().args([
            "check",
            "--format",
            "short",
            "tests/fixtures/invalid/cycle.hcl"
        ])
    );
    snap!(
        "check_invalid_json",
        lifeboat().args([
            "check",
            "--format",
            "json",
            "tests/fixtures/invalid/unknown-tier.hcl"
        ])
    );
}

#[test]
fn check_json_reports_verdicts() {
    snap!(
        "check_json_minimal",
        lifeboat().args(["check", "--format", "json", "examples/minimal"])
    );
}

#[test]
fn io_errors_exit_2() {
    snap!(
        "check_missing_file",
        lifeboat().args(["check", "no/such/inventory.hcl"])
    );
}

#[test]
fn explain_one_asset() {
    snap!(
        "explain_orders_db",
        lifeboat().args(["explain", "orders-db", "examples/webshop"])
    );
    snap!(
        "explain_unknown_asset",
        lifeboat().args(["explain", "order-db", "examples/webshop"])
    );
}

#[test]
fn schema_is_json_schema() {
    let out = lifeboat().arg("schema").output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["title"], "lifeboat inventory");
    assert_eq!(schema["additionalProperties"], false);
    let asset = &schema["$defs"]["Asset"]["oneOf"];
    let kinds: Vec<&str> = asset
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["properties"]["kind"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["rds", "s3", "endpoint", "aurora", "dynamodb", "efs"]
    );
    // Every branch is closed and lists the fields of its kind.
    let rds = &asset[0];
    assert_eq!(rds["additionalProperties"], false);
    assert!(rds["properties"]["storage_gb"].is_object() && rds["properties"]["tier"].is_object());
}

#[test]
fn init_writes_a_starter_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(get_cargo_bin("lifeboat"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let first = run(&["init"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("lifeboat.hcl")).unwrap();
    let check = run(&["check"]);
    assert!(
        check.status.success(),
        "starter must pass check: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    std::fs::write(dir.path().join("lifeboat.hcl"), "# mine\n").unwrap();
    let second = run(&["init"]);
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lifeboat.hcl")).unwrap(),
        "# mine\n"
    );
    assert!(written.contains("project"));
}

#[test]
fn compile_writes_then_check_is_clean_and_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dr");
    let out_s = out.to_str().unwrap();
    let run = |args: &[&str]| lifeboat().args(args).output().unwrap();
    assert!(
        run(&["compile", "examples/minimal", "-o", out_s])
            .status
            .success()
    );
    let check = run(&["compile", "examples/minimal", "-o", out_s, "--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let main = out.join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, text.replace("minimal", "changed")).unwrap();
    let drift = run(&["compile", "examples/minimal", "-o", out_s, "--check"]);
    assert_eq!(drift.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&drift.stderr).contains("stale:"));
}

#[test]
fn compile_refuses_inventories_with_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dr");
    let res = lifeboat()
        .args([
            "compile",
            "tests/fixtures/invalid/cycle.hcl",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(1));
    assert!(!out.exists());
}

/// Generated headers name the inputs relative to the output directory, so the
/// tree is the same from every working directory and however the inputs are
/// spelled: `compile --check` agrees from anywhere, and on another checkout.
#[test]
fn compile_output_does_not_depend_on_where_it_runs_or_how_inputs_are_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let inv = repo.join("infra/dr");
    std::fs::create_dir_all(&inv).unwrap();
    let mut files: Vec<String> = Vec::new();
    for e in std::fs::read_dir(common::root().join("examples/webshop")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "hcl") {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            std::fs::copy(&p, inv.join(&name)).unwrap();
            files.push(name);
        }
    }
    files.sort();
    assert!(files.len() > 1, "the example spans several files");
    let run = |cwd: &std::path::Path, args: &[&str]| {
        let o = Command::new(get_cargo_bin("lifeboat"))
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run(&repo, &["compile", "infra/dr", "-o", "terraform/dr"]);
    assert_eq!(code, Some(0), "{err}");
    let main = std::fs::read_to_string(repo.join("terraform/dr/main.tf")).unwrap();
    let want: Vec<String> = files
        .iter()
        .map(|f| format!("../../infra/dr/{f}"))
        .collect();
    assert!(
        main.lines().next().unwrap().contains(&want.join(", ")),
        "header names the inputs from the output directory: {}",
        main.lines().next().unwrap()
    );

    let abs_inv = inv.to_str().unwrap().to_owned();
    let abs_out = repo.join("terraform/dr").to_str().unwrap().to_owned();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&inv, dir.path().join("link")).unwrap();
    let mut reversed: Vec<String> = files
        .iter()
        .rev()
        .map(|f| format!("infra/./dr/{f}"))
        .collect();
    reversed.splice(0..0, ["compile".to_owned()]);
    reversed.extend([
        "-o".to_owned(),
        "terraform/dr/".to_owned(),
        "--check".to_owned(),
    ]);
    let reversed: Vec<&str> = reversed.iter().map(String::as_str).collect();
    let cases: Vec<(std::path::PathBuf, Vec<&str>)> = vec![
        (
            repo.join("terraform"),
            vec!["compile", "../infra/dr", "-o", "dr", "--check"],
        ),
        (
            inv.clone(),
            vec!["compile", ".", "-o", "../../terraform/dr", "--check"],
        ),
        (
            dir.path().to_owned(),
            vec!["compile", &abs_inv, "-o", &abs_out, "--check"],
        ),
        (repo.clone(), reversed),
        #[cfg(unix)]
        (
            dir.path().to_owned(),
            vec!["compile", "link", "-o", &abs_out, "--check"],
        ),
    ];
    for (cwd, args) in cases {
        let (code, err) = run(&cwd, &args);
        assert_eq!(code, Some(0), "from {}: {args:?}\n{err}", cwd.display());
    }

    // Another checkout at another place gives the same bytes.
    let other = dir.path().join("elsewhere/repo");
    std::fs::create_dir_all(other.join("infra")).unwrap();
    let copy = other.join("infra/dr");
    std::fs::create_dir_all(&copy).unwrap();
    for f in &files {
        std::fs::copy(inv.join(f), copy.join(f)).unwrap();
    }
    let (code, err) = run(
        &other.join("infra"),
        &["compile", "dr", "-o", "../terraform/dr"],
    );
    assert_eq!(code, Some(0), "{err}");
    for f in ["main.tf", "RUNBOOK.md", "versions.tf"] {
        assert_eq!(
            std::fs::read(repo.join("terraform/dr").join(f)).unwrap(),
            std::fs::read(other.join("terraform/dr").join(f)).unwrap(),
            "{f}"
        );
    }
}
