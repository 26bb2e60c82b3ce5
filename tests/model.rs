//! Snapshots of the lowered model and of `explain` for every example.

mod common;

#[test]
fn lowered_model_of_every_example() {
    for case in common::fixtures("examples") {
        let a = common::analyze(&case);
        let inv = a.inventory.expect("example lowers");
        insta::with_settings!({
            snapshot_path => "../snapshots/model",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_json_snapshot!(common::stem(&case), inv);
        });
    }
}

#[test]
fn explain_every_asset_of_every_example() {
    for case in common::fixtures("examples") {
        let a = common::analyze(&case);
        let inv = a.inventory.as_ref().expect("example lowers");
        let mut out = String::new();
        for asset in &inv.assets {
            out.push_str(&lifeboat::report::explain::explain(&a, &asset.id).expect("explains"));
            out.push_str("\n----------------------------------------\n\n");
        }
        insta::with_settings!({
            snapshot_path => "../snapshots/explain",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(common::stem(&case), out);
        });
    }
}
