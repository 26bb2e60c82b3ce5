//! What people read: graphs in three formats, the runbook, the pull-request report
//! (Markdown, JSON, SARIF, with a base) and drills, for every example.

mod common;

use lifeboat::check::estimate::PathKind;
use lifeboat::model::Scenario;
use lifeboat::report::{drill, graph, pr, runbook, topology};

fn snap(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots/outputs",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn graphs_contain_every_asset_in_every_format() {
    for case in common::fixtures("examples") {
        let a = common::analyze(&case);
        let (inv, rec, dep) = a.compiled().unwrap();
        let t = topology::build(inv, rec, dep);
        let stem = common::stem(&case);
        let (m, d, s) = (graph::mermaid(&t), graph::dot(&t), graph::svg(&t));
        for asset in &inv.assets {
            assert!(
                m.contains(&format!("<b>{}</b>", asset.id)),
                "{case}: mermaid lacks {}",
                asset.id
            );
            assert!(
                d.contains(&format!("\"{}\\n", asset.id)),
                "{case}: dot lacks {}",
                asset.id
            );
            assert!(
                s.contains(&format!(">{}</text>", asset.id)),
                "{case}: svg lacks {}",
                asset.id
            );
        }
        assert!(m.len() < graph::MERMAID_LIMIT);
        assert!(s.starts_with("<svg") && s.trim_end().ends_with("</svg>"));
        snap(&format!("{stem}-mermaid"), &m);
        snap(&format!("{stem}-dot"), &d);
        snap(&format!("{stem}-svg"), &s);
    }
}

#[test]
fn large_inventories_collapse_the_mermaid_graph_under_githubs_limit() {
    let mut text = String::from(
        "project \"big\" {\n  primary_region = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n}\n",
    );
    for i in 0..2000 {
        text.push_str(&format!("asset \"bucket-{i:04}\" {{\n  kind = \"s3\"\n  tier = \"important\"\n  bucket = \"big-bucket-{i:04}\"\n  size_gb = 10\n}}\n"));
    }
    let a = lifeboat::analyze(lifeboat::source::Sources::new(vec![
        lifeboat::source::SourceFile::new("big.hcl", text),
    ]));
    assert!(!a.has_errors());
    let (inv, rec, dep) = a.compiled().unwrap();
    let t = topology::build(inv, rec, dep);
    let m = graph::mermaid(&t);
    assert!(m.len() < graph::MERMAID_LIMIT, "{} characters", m.len());
    assert!(m.contains("2000 assets: collapsed by tier and kind"));
    assert!(m.contains("2000 × s3"));
}

#[test]
fn runbook_covers_every_asset_in_every_scenario_with_commands() {
    for case in common::fixtures("examples") {
        let a = common::analyze(&case);
        let (inv, rec, dep) = a.compiled().unwrap();
        let text = runbook::render(
            inv,
            rec,
            dep,
            &lifeboat::emit::Options::default().header(""),
        );
        for s in Scenario::ALL {
            for asset in &inv.assets {
                let heading = format!("### {} · `{}`", s.as_str(), asset.id);
                assert!(text.contains(&heading), "{case}: runbook lacks `{heading}`");
            }
        }
        for asset in &inv.assets {
            if let lifeboat::model::AssetKind::Rds(r) = &asset.kind {
                assert!(
                    text.contains(&format!("'{}'", r.identifier)),
                    "{case}: no command names {}",
                    r.identifier
                );
            }
        }
        assert!(
            text.contains("aws rds ")
                && text.contains("aws backup ")
                && text.contains("aws route53 get-health-check-status")
        );
        snap(&format!("{}-runbook", common::stem(&case)), &text);
    }
}

#[test]
fn report_formats() {
    let head = common::analyze("examples/webshop");
    snap("webshop-report-markdown", &pr::markdown(&head, None));
    let failing = common::analyze("tests/fixtures/invalid/unknown-attribute.hcl");
    snap("invalid-report-markdown", &pr::markdown(&failing, None));
    let json = pr::json(&head, None);
    assert_eq!(json["ok"], true);
    let md = pr::markdown(&head, None);
    assert!(md.len() < pr::COMMENT_LIMIT && md.contains("```mermaid"));
}

#[test]
fn report_with_a_base_lists_the_posture_diff() {
    let dir = tempfile::tempdir().unwrap();
    let base_dir = dir.path().join("base");
    std::fs::create_dir(&base_dir).unwrap();
    for f in std::fs::read_dir(common::root().join("examples/webshop")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, base_dir.join(p.file_name().unwrap())).unwrap();
    }
    // The base pinned the media bucket to replication without RTC.
    let data = base_dir.join("data.hcl");
    let text = std::fs::read_to_string(&data).unwrap().replace(
        "replicate_deletes = true",
        "replicate_deletes = true\n    replication_time_control = false",
    );
    std::fs::write(&data, text).unwrap();
    let base = lifeboat::analyze(lifeboat::cli::read_inputs(&[base_dir]).unwrap());
    let head = common::analyze("examples/webshop");
    let changes = pr::diff(&base, &head);
    assert!(
        changes
            .iter()
            .any(|c| c.contains("`media` adds `s3-crr-rtc`")),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("`media` region: RPO 2d → 15m")),
        "{changes:?}"
    );
}

#[test]
fn sarif_is_structurally_valid_and_points_at_the_right_lines() {
    let a = common::analyze("tests/fixtures/invalid/unknown-attribute.hcl");
    let s = pr::sarif(&a);
    assert_eq!(s["version"], "2.1.0");
    let run = &s["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "lifeboat");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), a.diagnostics.iter().count());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "tests/fixtures/invalid/unknown-attribute.hcl"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    assert_eq!(results[0]["ruleId"], "E101");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        3
    );
}

/// `drill` breaches exactly when `check` reports a breach for that scenario.
#[test]
fn drill_agrees_with_check() {
    let mut cases = common::fixtures("examples");
    cases.extend(common::fixtures("tests/fixtures/breaches"));
    for case in cases {
        let a = common::analyze(&case);
        let (Some(inv), Some(rec)) = (&a.inventory, &a.recovery) else {
            panic!("{case}: model did not run")
        };
        for s in Scenario::ALL {
            let d = drill::run(inv, rec, s);
            let check_breach = a.diagnostics.iter().any(|d| {
                matches!(d.code.as_str(), "E301" | "E302" | "E303")
                    && d.message
                        .contains(&format!("in the {} scenario", s.as_str()))
            });
            assert_eq!(d.breached(), check_breach, "{case} {}", s.as_str());
        }
    }
}

#[test]
fn drill_snapshots() {
    let a = common::analyze("examples/webshop");
    let (inv, rec) = (a.inventory.as_ref().unwrap(), a.recovery.as_ref().unwrap());
    let dep = a.deployment.as_ref().unwrap();
    for s in Scenario::ALL {
        let d = drill::run(inv, rec, s).with_plan(rec, dep);
        assert_eq!(d.plan.is_some(), s == Scenario::Region, "{}", s.as_str());
        snap(&format!("webshop-drill-{}", s.as_str()), &drill::text(&d));
        snap(
            &format!("webshop-drill-{}-md", s.as_str()),
            &drill::markdown(&d),
        );
    }
    let b = common::analyze("tests/fixtures/breaches/restore-only-dependency.hcl");
    let d = drill::run(
        b.inventory.as_ref().unwrap(),
        b.recovery.as_ref().unwrap(),
        Scenario::Region,
    );
    assert!(d.breached());
    snap("breach-drill-region", &drill::text(&d));
}

/// Whether a recovery along this path leaves the data in a resource it creates in
/// (or turns into the primary copy of) the secondary Region.
fn creates_in_secondary(kind: PathKind) -> bool {
    use lifeboat::check::estimate::{
        AuroraPath, DynamodbPath, EfsPath, EndpointPath, RdsPath, S3Path,
    };
    match kind {
        PathKind::Rds(p) => match p {
            RdsPath::PromoteReplica | RdsPath::PitrFromReplicatedBackups | RdsPath::RestoreCopy => {
                true
            }
            RdsPath::MultiAzFailover
            | RdsPath::PitrInRegion
            | RdsPath::BackupPitr
            | RdsPath::RestoreSnapshot => false,
        },
        PathKind::S3(p) => match p {
            S3Path::SwitchToReplica | S3Path::RestoreCopy => true,
            S3Path::Unaffected | S3Path::BackupPitr | S3Path::RestoreLatest => false,
        },
        PathKind::Aurora(p) => match p {
            AuroraPath::GlobalFailover | AuroraPath::RestoreCopy => true,
            AuroraPath::ReaderFailover
            | AuroraPath::NewWriter
            | AuroraPath::BackupPitr
            | AuroraPath::RestoreSnapshot => false,
        },
        PathKind::Dynamodb(p) => match p {
            DynamodbPath::SwitchToReplica | DynamodbPath::RestoreCopy => true,
            DynamodbPath::Unaffected | DynamodbPath::Pitr | DynamodbPath::RestoreBackup => false,
        },
        PathKind::Efs(p) => match p {
            EfsPath::FailoverToReplica | EfsPath::RestoreCopy => true,
            EfsPath::Unaffected | EfsPath::RestoreBackup => false,
        },
        PathKind::Endpoint(
            EndpointPath::DnsFailover
            | EndpointPath::PlanDns
            | EndpointPath::Unaffected
            | EndpointPath::NoData,
        ) => false,
        // Restored in the recovery account, in the primary Region.
        PathKind::IsolatedCopy => false,
    }
}

/// After a failover, what the recovery created in the secondary Region is put
/// under its plan's twin there: the runbook's section tags it with the plan key
/// exactly when the path leaves the data in a secondary resource and the asset is
/// in an AWS Backup plan, and nowhere else.
#[test]
fn the_runbook_tags_what_a_failover_creates_for_the_secondary_regions_plan() {
    let mut tagged = 0;
    let mut cases = common::fixtures("examples");
    cases.extend(common::fixtures("tests/fixtures/valid"));
    for case in cases {
        let a = common::analyze(&case);
        let (inv, rec, dep) = a.compiled().unwrap();
        let text = runbook::render(
            inv,
            rec,
            dep,
            &lifeboat::emit::Options::default().header(""),
        );
        for (i, asset) in inv.assets.iter().enumerate() {
            for s in &rec.assets[i].scenarios {
                let heading = format!("### {} · `{}`", s.scenario.as_str(), asset.id);
                let start = text
                    .find(&heading)
                    .expect("a section per asset and scenario");
                let rest = &text[start + heading.len()..];
                let section = &rest[..rest.find("\n#").unwrap_or(rest.len())];
                let plan = dep.asset(i).backup_plan.as_deref();
                let expected = match (s.path.as_ref(), plan) {
                    (Some(p), Some(key)) if creates_in_secondary(p.kind) => Some(key),
                    _ => None,
                };
                match expected {
                    Some(key) => {
                        let tag = format!("--tags lifeboat:dr-backup-plan='{key}'");
                        assert!(
                            section.contains(&tag) && section.contains("--region \"$SECONDARY\""),
                            "{case}: {heading} does not tag its new resource `{key}`:\n{section}"
                        );
                        tagged += 1;
                    }
                    None => assert!(
                        !section.contains("lifeboat:dr-backup-plan"),
                        "{case}: {heading} tags a resource it does not create:\n{section}"
                    ),
                }
            }
        }
    }
    assert!(
        tagged > 5,
        "the examples exercise the tag step ({tagged} sections)"
    );
}
