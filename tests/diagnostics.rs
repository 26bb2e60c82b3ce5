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

/// A schema error in one attribute keeps the asset out of the model, but the
/// value checks of its other attributes still report: a mistyped engine or size
/// must not hide a bad identifier until it is fixed. An endpoint is the exception
/// (its checks compare its attributes, so leaving one out would invent a problem).
#[test]
fn a_schema_error_does_not_hide_the_other_problems_of_an_asset() {
    use lifeboat::source::{SourceFile, Sources};
    let hcl = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
asset "db" {
  kind       = "rds"
  tier       = "critical"
  identifier = "Orders-Prod"
  engine     = "postgress"
  storage_gb = "400"
  dr {
    replica_instance_class = "r6g.large"
  }
}
asset "cluster" {
  kind               = "aurora"
  tier               = "critical"
  cluster_identifier = "a--b"
  engine             = "mysql"
  storage_gb         = 10
}
asset "files" {
  kind    = "s3"
  tier    = "important"
  bucket  = "Shop_Media"
  size_gb = "lots"
}
asset "table" {
  kind    = "dynamodb"
  tier    = "important"
  table   = "t"
  size_gb = true
}
asset "web" {
  kind    = "endpoint"
  tier    = "critical"
  zone_id = "Z0123456789"
  domain  = "shop.example.com"
  primary {
    hostname = 5
  }
  secondary {
    hostname = "b.example.com"
  }
}
"#;
    let a = lifeboat::analyze(Sources::new(vec![SourceFile::new("a.hcl", hcl)]));
    let got: Vec<(String, String)> = a
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| (d.code.as_str().to_owned(), d.message.clone()))
        .collect();
    let want = [
        (
            "E115",
            "`Orders-Prod` is not a valid DB instance identifier",
        ),
        ("E104", "`postgress` is not a valid value"),
        ("E103", "storage_gb"),
        ("E115", "`r6g.large` is not an RDS instance class"),
        ("E115", "`a--b` is not a valid DB cluster identifier"),
        ("E104", "`mysql` is not a valid value"),
        ("E115", "`Shop_Media` is not a valid S3 bucket name"),
        ("E103", "size_gb"),
        ("E115", "`t` is not a valid DynamoDB table name"),
        ("E103", "size_gb"),
        ("E103", "hostname"),
    ];
    assert_eq!(got.len(), want.len(), "{}", common::render(&a));
    for ((code, message), (want_code, want_text)) in got.iter().zip(want) {
        assert!(
            code.as_str() == want_code && message.contains(want_text),
            "expected {want_code} {want_text:?}, got {code} {message:?}\n{}",
            common::render(&a)
        );
    }
}
