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
