//! `compile` output for every example and the spec's inventory: snapshots of the
//! root module, byte-for-byte determinism, HCL that parses, canonical layout, and
//! module copies identical to modules/.

mod common;

use lifeboat::emit::{self, GeneratedFile, Options};

fn cases() -> Vec<String> {
    let mut v = common::fixtures("examples");
    v.extend(common::fixtures("tests/fixtures/valid"));
    v
}

fn generate(case: &str) -> Vec<GeneratedFile> {
    let a = common::analyze(case);
    assert!(!a.has_errors(), "{case}: {}", common::render(&a));
    let opts = Options {
        module_source: None,
        inputs: a.sources.files.iter().map(|f| f.name.clone()).collect(),
        ..Default::default()
    };
    emit::generate(&a, &opts).expect("generates")
}

#[test]
fn root_module_snapshots() {
    for case in cases() {
        let files = generate(&case);
        let mut out = String::new();
        for f in files.iter().filter(|f| !f.path.starts_with("modules/")) {
            out.push_str(&format!("=== {}\n{}\n", f.path, f.contents));
        }
        out.push_str("=== copied modules\n");
        for f in files.iter().filter(|f| f.path.starts_with("modules/")) {
            out.push_str(&format!("{}\n", f.path));
        }
        insta::with_settings!({
            snapshot_path => "../snapshots/compile",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(common::stem(&case), out);
        });
    }
}

#[test]
fn compiling_twice_gives_identical_bytes() {
    for case in cases() {
        assert_eq!(generate(&case), generate(&case), "{case}");
    }
}

/// Blocks are rendered and laid out in runs, one per thread, then joined: the
/// files must be the same whatever the number of threads, including more threads
/// than blocks.
#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    for case in cases() {
        let a = common::analyze(&case);
        let (inv, rec, dep) = a.compiled().unwrap();
        let opts = Options::default();
        let one = emit::terraform::render_with(inv, rec, dep, &opts, 1).expect("renders");
        for threads in [2, 3, 7, 64] {
            let many =
                emit::terraform::render_with(inv, rec, dep, &opts, threads).expect("renders");
            assert_eq!(one, many, "{case} on {threads} threads");
        }
    }
}

/// `compile` streams the files to disk, comparing and staging each in pieces
/// (`write::apply_from`); what lands on disk must be exactly `generate`'s files,
/// on a first compile and when an up-to-date tree is compiled again.
#[test]
fn files_written_to_disk_are_the_generated_ones() {
    for case in cases() {
        let a = common::analyze(&case);
        let opts = Options {
            module_source: None,
            inputs: a.sources.files.iter().map(|f| f.name.clone()).collect(),
            ..Default::default()
        };
        let generated = emit::generate(&a, &opts).expect("generates");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dr");
        for run in 0..2 {
            let outcome = std::thread::scope(|scope| {
                let mut files = emit::stream(scope, &a, &opts).expect("streams");
                lifeboat::write::apply_from(&out, &mut files, Default::default())
            })
            .expect("writes");
            // The first run writes every file, the second finds them all in place.
            let changed = if run == 0 { generated.len() } else { 0 };
            assert_eq!(
                outcome,
                lifeboat::write::Outcome::Written {
                    files: generated.len(),
                    changed,
                    removed: 0
                },
                "{case}"
            );
            for f in &generated {
                let on_disk = std::fs::read_to_string(out.join(&f.path)).unwrap();
                assert!(on_disk == f.contents, "{case}: {} differs on disk", f.path);
            }
        }
    }
}

#[test]
fn every_file_has_the_marker_parses_and_is_in_fmt_layout() {
    for case in cases() {
        for f in generate(&case) {
            let first = f.contents.lines().next().unwrap_or_default();
            assert!(
                first.contains(emit::MARKER),
                "{case}: {} has no header",
                f.path
            );
            if f.path.ends_with(".tf") || f.path.ends_with(".tftest.hcl") {
                hcl::parse(&f.contents)
                    .unwrap_or_else(|e| panic!("{case}: {} does not parse: {e}", f.path));
                assert!(
                    !f.contents.contains("&quot;") && !f.contents.contains("&#x"),
                    "{}: HTML escaping",
                    f.path
                );
                if !f.path.starts_with("modules/") {
                    assert_eq!(
                        emit::hcl::fmt(&f.contents),
                        f.contents,
                        "{case}: {} is not in canonical layout",
                        f.path
                    );
                }
            }
        }
    }
}

/// The tree ships its `terraform test` suite, and `--no-tests` leaves it out.
#[test]
fn the_test_suite_is_generated_unless_turned_off() {
    let a = common::analyze("examples/webshop");
    let with = emit::generate(&a, &Options::default()).unwrap();
    let paths =
        |files: &[GeneratedFile]| -> Vec<String> { files.iter().map(|f| f.path.clone()).collect() };
    assert!(paths(&with).contains(&emit::tftest::PATH.to_owned()));
    assert!(paths(&with).contains(&emit::tftest::RELEASE.to_owned()));
    let without = emit::generate(
        &a,
        &Options {
            no_tests: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!paths(&without).iter().any(|p| p.starts_with("tests/")));
    // Nothing else changes.
    let main = |files: &[GeneratedFile]| {
        files
            .iter()
            .find(|f| f.path == "main.tf")
            .unwrap()
            .contents
            .clone()
    };
    assert_eq!(main(&with), main(&without));
}

#[test]
fn module_copies_are_the_project_modules_with_a_header() {
    let files = generate("examples/minimal");
    let mut copied = 0;
    for f in files.iter().filter(|f| f.path.starts_with("modules/")) {
        let original =
            std::fs::read_to_string(common::root().join(&f.path)).expect("module file exists");
        assert!(
            f.contents.ends_with(&original),
            "{} differs from the module source",
            f.path
        );
        copied += 1;
    }
    let on_disk = walk(&common::root().join("modules"));
    assert_eq!(
        copied, on_disk,
        "every .tf and .md file of modules/ is copied"
    );
}

/// The `.tf` and `.md` files of the modules, without their own test suites
/// (`modules/<name>/tests/`), which are not copied into generated trees.
fn walk(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && p.file_name().is_some_and(|f| f == "tests") {
            continue;
        }
        if p.is_dir() {
            n += walk(&p);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("tf" | "md")) {
            n += 1;
        }
    }
    n
}

#[test]
fn remote_module_source_copies_nothing() {
    let a = common::analyze("examples/minimal");
    let opts = Options {
        module_source: Some("git::https://example.com/dr.git//modules/{module}?ref=v1.0.0".into()),
        inputs: vec![],
        ..Default::default()
    };
    let files = emit::generate(&a, &opts).unwrap();
    assert!(files.iter().all(|f| !f.path.starts_with("modules/")));
    let main = &files.iter().find(|f| f.path == "main.tf").unwrap().contents;
    assert!(
        main.contains("source = \"git::https://example.com/dr.git//modules/rds-dr?ref=v1.0.0\""),
        "{main}"
    );
}

/// The emitted configuration follows the recovery model: each module call turns
/// on exactly the mechanisms the model chose (one source of truth).
#[test]
fn emitted_mechanisms_are_the_models() {
    for case in cases() {
        let a = common::analyze(&case);
        let (inv, rec) = (a.inventory.as_ref().unwrap(), a.recovery.as_ref().unwrap());
        let files = generate(&case);
        let main = &files.iter().find(|f| f.path == "main.tf").unwrap().contents;
        let body: hcl::Body = hcl::from_str(main).unwrap();
        let module = |name: &str| {
            body.blocks()
                .find(|b| b.identifier() == "module" && b.labels()[0].as_str() == name)
                .cloned()
        };
        let attr = |b: &hcl::Block, k: &str| {
            b.body()
                .attributes()
                .find(|x| x.key() == k)
                .map(|x| x.expr().clone())
        };
        for (asset, r) in inv.assets.iter().zip(&rec.assets) {
            let m = &r.mechanisms;
            let tf = asset.id.replace('-', "_");
            match &asset.kind {
                lifeboat::model::AssetKind::Rds(_) => {
                    let b = module(&format!("rds_{tf}"))
                        .unwrap_or_else(|| panic!("{case}: no module for {}", asset.id));
                    assert_eq!(
                        attr(&b, "read_replica"),
                        Some(hcl::Expression::Bool(m.read_replica)),
                        "{case} {}",
                        asset.id
                    );
                    assert_eq!(
                        attr(&b, "backup_replication"),
                        Some(hcl::Expression::Bool(m.backup_replication)),
                        "{case} {}",
                        asset.id
                    );
                }
                lifeboat::model::AssetKind::S3(_) => match module(&format!("s3_{tf}")) {
                    Some(b) => {
                        assert!(
                            m.replication,
                            "{case}: {} replicates only if the model says so",
                            asset.id
                        );
                        assert_eq!(
                            attr(&b, "replication_time_control"),
                            Some(hcl::Expression::Bool(m.replication_time_control)),
                            "{case} {}",
                            asset.id
                        );
                        assert_eq!(
                            attr(&b, "replicate_deletes"),
                            Some(hcl::Expression::Bool(m.replicate_deletes)),
                            "{case} {}",
                            asset.id
                        );
                    }
                    None => assert!(!m.replication, "{case}: {} should replicate", asset.id),
                },
                lifeboat::model::AssetKind::Endpoint(e) => {
                    let b = module(&format!("endpoint_{tf}")).unwrap();
                    let hc = attr(&b, "health_check").unwrap();
                    let text = lifeboat::emit::hcl::render(&hc, true);
                    assert!(
                        text.contains(&format!("request_interval = {}", e.health_check.interval)),
                        "{text}"
                    );
                    assert!(
                        text.contains(&format!(
                            "failure_threshold = {}",
                            e.health_check.failure_threshold
                        )),
                        "{text}"
                    );
                }
                lifeboat::model::AssetKind::Aurora(_) => {
                    let b = module(&format!("aurora_{tf}")).unwrap();
                    assert_eq!(
                        attr(&b, "global_database"),
                        Some(hcl::Expression::Bool(m.global_database)),
                        "{case} {}",
                        asset.id
                    );
                }
                lifeboat::model::AssetKind::Dynamodb(_) => {
                    let b = module(&format!("dynamodb_{tf}")).unwrap();
                    assert_eq!(
                        attr(&b, "global_table"),
                        Some(hcl::Expression::Bool(m.global_table)),
                        "{case} {}",
                        asset.id
                    );
                    assert_eq!(
                        attr(&b, "expect_pitr"),
                        Some(hcl::Expression::Bool(m.pitr)),
                        "{case} {}",
                        asset.id
                    );
                }
                lifeboat::model::AssetKind::Efs(_) => {
                    let b = module(&format!("efs_{tf}")).unwrap();
                    assert_eq!(
                        attr(&b, "replication"),
                        Some(hcl::Expression::Bool(m.efs_replication)),
                        "{case} {}",
                        asset.id
                    );
                }
            }
            // Every asset with AWS Backup is selected by exactly one plan.
            use lifeboat::model::AssetKind as K;
            let ident = match &asset.kind {
                K::Rds(x) => Some(format!("\"{}\"", x.identifier)),
                K::S3(x) => Some(format!("\"{}\"", x.bucket)),
                K::Aurora(x) => Some(format!("\"{}\"", x.cluster_identifier)),
                K::Dynamodb(x) => Some(format!("\"{}\"", x.table)),
                K::Efs(x) => Some(format!("\"{}\"", x.file_system_id)),
                K::Endpoint(_) => None,
            };
            if let (Some(ident), Some(_)) = (ident, m.backup) {
                assert!(
                    main.contains(&ident),
                    "{case}: {} is in a backup plan",
                    asset.id
                );
            }
        }
    }
}
