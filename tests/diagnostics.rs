//! Data-driven: every inventory under tests/fixtures/invalid/ is rejected with
//! located diagnostics (snapshotted), and every one under tests/fixtures/valid/
//! and examples/ is accepted.

mod common;

#[test]
fn invalid_fixtures_are_rejected_with_located_diagnostics() {
    let cases = common::fixtures("tests/fixtures/invalid");
    assert!(
        cases.len() >= 17,
        "the issue asks for at least 17 invalid inventories"
    );
    for case in cases {
        let a = common::analyze(&case);
        assert!(a.has_errors(), "{case} should be rejected");
        for d in a.diagnostics.iter() {
            assert!(
                d.span.is_some(),
                "{case}: diagnostic without a location: {}",
                d.message
            );
        }
        insta::with_settings!({
            snapshot_path => "../snapshots/diagnostics",
            prepend_module_to_snapshot => false,
            description => case.clone(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(common::stem(&case), common::render(&a));
        });
    }
}

#[test]
fn valid_inventories_and_examples_are_accepted() {
    let mut cases = common::fixtures("tests/fixtures/valid");
    cases.extend(common::fixtures("examples"));
    for case in cases {
        let a = common::analyze(&case);
        assert!(
            !a.has_errors(),
            "{case} should pass check, got:\n{}",
            common::render(&a)
        );
        assert!(a.recovery.is_some(), "{case}: the recovery model ran");
    }
}

#[test]
fn json_and_hcl_forms_lower_to_the_same_model() {
    let hcl = common::analyze("tests/fixtures/valid/spec-example.hcl");
    let json = common::analyze("tests/fixtures/forms/spec-example.json");
    assert!(!json.has_errors(), "{}", common::render(&json));
    let a = serde_json::to_value(hcl.inventory.unwrap()).unwrap();
    let b = serde_json::to_value(json.inventory.unwrap()).unwrap();
    assert_eq!(a, b);
}

/// Large inventories parse (per file) and lower (per asset) on every core; every
/// problem must still be reported, once, in the order written. (This runs in
/// process, on the machine's cores; tests/threads.rs compares thread counts.)
#[test]
fn problems_in_a_large_inventory_are_all_reported_in_order() {
    use lifeboat::source::{SourceFile, Sources};
    let mut files = Vec::new();
    // The schema check reports before lowering does; each in written order.
    let mut expected = Vec::new();
    let mut expected_lowering = Vec::new();
    for f in 0..4 {
        let mut hcl = String::new();
        if f == 0 {
            hcl.push_str("project \"big\" {\n  primary_region   = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n}\n");
        }
        for k in 0..150 {
            let n = f * 150 + k;
            // A type error (found by the schema check) or a bad value (found
            // while lowering the asset).
            let wrong_type = n % 37 == 5;
            let bad_value = n % 23 == 3 && !wrong_type;
            let line = hcl.lines().count() + 5;
            let storage = if wrong_type { "\"lots\"" } else { "50" };
            let identifier = if bad_value { "Bad_Id" } else { "db" };
            hcl.push_str(&format!(
                "\nasset \"db-{n:04}\" {{\n  kind       = \"rds\"\n  tier       = \"critical\"\n  storage_gb = {storage}\n  identifier = \"{identifier}-{n:04}\"\n  engine     = \"postgres\"\n  multi_az   = true\n}}\n"
            ));
            if wrong_type {
                expected.push((f, line));
            }
            if bad_value {
                expected_lowering.push((f, line + 1));
            }
        }
        files.push(SourceFile::new(format!("part-{f}.hcl"), hcl));
    }
    expected.extend(expected_lowering);
    let a = lifeboat::analyze(Sources::new(files));
    let got: Vec<(usize, usize)> = a
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.span.as_ref().expect("located");
            let file = a.sources.file(span.file);
            (span.file, file.text[..span.range.start].lines().count())
        })
        .collect();
    assert_eq!(got, expected, "{}", common::render(&a));
}
