//! The deployment stage: one snapshot per example of what gets created and what
//! it is called, and the promises that make it the single source of truth:
//! parameters reach Terraform with their overridden values, every term the model
//! prices has the rule or resource that provides it, and the Rust side agrees
//! with the hand-written modules.

mod common;

use std::collections::BTreeMap;

use lifeboat::check::estimate::{EndpointPath, PathKind, RdsPath, S3Path, Source};
use lifeboat::check::mechanisms::RuleKind;
use lifeboat::deploy::backup::RESTORE_TESTING;
use lifeboat::deploy::{Deployment, KindDeployment};
use lifeboat::emit::{self, Options};
use lifeboat::model::Scenario;
use lifeboat::model::params::{DEFS, Value};
use lifeboat::source::{SourceFile, Sources};

fn cases() -> Vec<String> {
    let mut v = common::fixtures("examples");
    v.extend(common::fixtures("tests/fixtures/valid"));
    v
}

fn analyze_text(text: &str) -> lifeboat::Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new("t.hcl", text)]))
}

fn main_tf(a: &lifeboat::Analysis) -> String {
    let files = emit::generate(a, &Options::default()).expect("generates");
    files
        .into_iter()
        .find(|f| f.path == "main.tf")
        .expect("main.tf")
        .contents
}

#[test]
fn deployment_snapshots() {
    for case in cases() {
        let a = common::analyze(&case);
        assert!(!a.has_errors(), "{case}: {}", common::render(&a));
        let dep = a.deployment.as_ref().expect("a deployment");
        insta::with_settings!({
            snapshot_path => "../snapshots/deploy",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_json_snapshot!(common::stem(&case), dep);
        });
    }
}

/// An inventory that uses every mechanism whose configuration a parameter could
/// reach: AWS Backup (continuous, scheduled, copies), replicas, replication and
/// endpoints.
const EVERYTHING: &str = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
tier "t" {
  rpo       = "4h"
  rto       = "8h"
  retention = "60d"
}
asset "db" {
  kind       = "rds"
  tier       = "t"
  identifier = "db-prod"
  engine     = "postgres"
  storage_gb = 50
  multi_az   = true
  dr {
    read_replica      = true
    continuous_backup = true
    cross_region_copy = true
  }
}
asset "files" {
  kind    = "s3"
  tier    = "t"
  bucket  = "p-files"
  size_gb = 10
  dr {
    replication              = true
    replication_time_control = true
    continuous_backup        = false
    cross_region_copy        = true
  }
}
asset "web" {
  kind       = "endpoint"
  tier       = "t"
  depends_on = ["db", "files"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "web.example.com"
  primary {
    hostname = "web-use1.example.com"
  }
  secondary {
    hostname = "web-usw2.example.com"
  }
}
"#;

/// The parameters that reach the generated configuration, and how main.tf shows
/// the overridden value.
fn reaches_terraform(name: &str, v: Value) -> Option<String> {
    match (name, v) {
        ("backup_start_window", Value::Duration(d)) => {
            Some(format!("start_window_minutes      = {}", d.as_secs() / 60))
        }
        _ => None,
    }
}

/// Override every parameter in turn. Where main.tf changes, the parameter
/// reaches Terraform: it must be a known one and show its overridden value. A
/// known one that leaves main.tf unchanged is a lost override.
#[test]
fn every_parameter_that_reaches_terraform_reaches_it_with_the_overridden_value() {
    let base = analyze_text(EVERYTHING);
    assert!(!base.has_errors(), "{}", common::render(&base));
    let before = main_tf(&base);
    let mut unchecked = Vec::new();
    for def in DEFS {
        // A value unlike the default, within every parameter's limits: larger,
        // or smaller where a larger one breaches the tier (no configuration is
        // written then, so nothing could disagree with it).
        let values = match def.default {
            Value::Duration(d) => [d.as_secs() * 2 + 3600, d.as_secs() / 2]
                .map(|s| Value::Duration(lifeboat::model::Dur::secs(s))),
            Value::Number(n) => [n * 2.0, n / 2.0].map(Value::Number),
        };
        let found = values.into_iter().find_map(|value| {
            let text = match value {
                Value::Duration(d) => format!("\"{d}\""),
                Value::Number(n) => format!("{n}"),
            };
            let inv = EVERYTHING.replace(
                "project \"p\" {",
                &format!(
                    "assumptions {{\n  {} = {text}\n}}\nproject \"p\" {{",
                    def.name
                ),
            );
            let a = analyze_text(&inv);
            (!a.has_errors()).then_some((a, value, text))
        });
        let Some((a, value, text)) = found else {
            unchecked.push(def.name);
            continue;
        };
        let after = main_tf(&a);
        match reaches_terraform(def.name, value) {
            Some(expected) => {
                assert_ne!(after, before, "`{}` does not reach main.tf", def.name);
                assert!(
                    after.contains(&expected),
                    "`{}` = {text}: main.tf lacks `{expected}`",
                    def.name
                );
            }
            None => assert_eq!(
                after, before,
                "`{}` changes main.tf but the test does not know how",
                def.name
            ),
        }
    }
    assert!(
        unchecked.is_empty(),
        "no value of {unchecked:?} compiles: the test proves nothing about them"
    );
}

/// Every RPO and RTO term of a chosen path stands for something the deployment
/// contains: backup intervals for a snapshot rule of that frequency (copied, for
/// the Region), the start window for the rules' start window, PITR for a
/// continuous rule, a replica, replication or failover records for the paths
/// that use them.
#[test]
fn every_priced_term_corresponds_to_what_the_deployment_contains() {
    for case in cases() {
        let a = common::analyze(&case);
        let (inv, rec, dep) = a.compiled().expect("compiles");
        for (i, r) in rec.assets.iter().enumerate() {
            let d = dep.asset(i);
            let ctx = format!("{case}: `{}`", d.id);
            let plan = d.backup_plan.as_ref().map(|k| {
                dep.backup
                    .as_ref()
                    .expect("a backup design")
                    .plans
                    .iter()
                    .find(|p| &p.key == k)
                    .expect("the plan exists")
            });
            for s in &r.scenarios {
                let Some(path) = &s.path else { continue };
                let ctx = format!("{ctx} {}: {}", s.scenario.as_str(), path.name());
                let copy = matches!(
                    path.kind,
                    PathKind::Rds(RdsPath::RestoreCopy) | PathKind::S3(S3Path::RestoreCopy)
                );
                for t in path.rpo.iter().chain(&path.rto) {
                    let label = t.label.to_string();
                    if label.starts_with("backup interval") {
                        let plan = plan.unwrap_or_else(|| panic!("{ctx}: no plan"));
                        assert!(
                            plan.rules
                                .iter()
                                .any(|rule| rule.implements.kind == RuleKind::Snapshot
                                    && rule.implements.frequency == t.value
                                    && (!copy || rule.copy_delete_after_days.is_some())),
                            "{ctx}: no snapshot rule every {}{}",
                            t.value,
                            if copy { " with a copy" } else { "" }
                        );
                    }
                    if t.source == Source::Param("backup_start_window") {
                        let plan = plan.unwrap_or_else(|| panic!("{ctx}: no plan"));
                        assert!(
                            plan.rules
                                .iter()
                                .all(|rule| rule.start_window_minutes * 60 == t.value.as_secs()),
                            "{ctx}: start window {} is not the rules'",
                            t.value
                        );
                    }
                }
                match (path.kind, &d.kind) {
                    (PathKind::Rds(RdsPath::BackupPitr) | PathKind::S3(S3Path::BackupPitr), _) => {
                        let plan = plan.unwrap_or_else(|| panic!("{ctx}: no plan"));
                        assert!(
                            plan.rules
                                .iter()
                                .any(|r| r.implements.kind == RuleKind::Continuous),
                            "{ctx}: no continuous rule"
                        );
                    }
                    (PathKind::Rds(RdsPath::PromoteReplica), KindDeployment::Rds(x)) => {
                        assert!(x.replica.is_some(), "{ctx}: no replica")
                    }
                    (PathKind::Rds(RdsPath::PitrFromReplicatedBackups), KindDeployment::Rds(x)) => {
                        assert!(x.backup_replication, "{ctx}: no backup replication")
                    }
                    (PathKind::S3(S3Path::SwitchToReplica), KindDeployment::S3(x)) => {
                        let rep = x.replication.as_ref().expect("replication");
                        let rtc = path
                            .rpo
                            .iter()
                            .any(|t| t.label.to_string().contains("RTC ("));
                        assert_eq!(rep.replication_time_control, rtc, "{ctx}: RTC");
                    }
                    (
                        PathKind::Endpoint(EndpointPath::DnsFailover),
                        KindDeployment::Endpoint(_),
                    ) => {
                        assert!(d.terraform.is_some(), "{ctx}: no failover records")
                    }
                    _ => {}
                }
            }
            // And nothing is deployed that the model did not choose.
            let m = &r.mechanisms;
            assert_eq!(plan.is_some(), m.backup.is_some(), "{ctx}: backup plan");
            if let KindDeployment::Rds(x) = &d.kind {
                assert_eq!(x.replica.is_some(), m.read_replica, "{ctx}");
                assert_eq!(x.backup_replication, m.backup_replication, "{ctx}");
            }
            if let KindDeployment::S3(x) = &d.kind {
                assert_eq!(x.replication.is_some(), m.replication, "{ctx}");
            }
        }
        let _ = inv;
    }
}

/// Module name -> (resource type, name) -> "count", "for_each" or "single", read
/// from the hand-written modules.
fn module_resources() -> BTreeMap<String, BTreeMap<(String, String), &'static str>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(common::root().join("modules")).unwrap() {
        let dir = entry.unwrap().path();
        let mut resources = BTreeMap::new();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().and_then(|e| e.to_str()) != Some("tf") {
                continue;
            }
            let body: hcl::Body = hcl::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            for b in body.blocks().filter(|b| b.identifier() == "resource") {
                let labels: Vec<String> =
                    b.labels().iter().map(|l| l.as_str().to_owned()).collect();
                let attrs: Vec<&str> = b.body().attributes().map(|a| a.key()).collect();
                let how = if attrs.contains(&"count") {
                    "count"
                } else if attrs.contains(&"for_each") {
                    "for_each"
                } else {
                    "single"
                };
                resources.insert((labels[0].clone(), labels[1].clone()), how);
            }
        }
        out.insert(
            dir.file_name().unwrap().to_string_lossy().into_owned(),
            resources,
        );
    }
    out
}

/// Every protected address names a resource that exists, in the module the
/// asset's module call uses, indexed the way that resource is repeated.
#[test]
fn every_protected_address_exists_in_the_module_it_names() {
    let modules = module_resources();
    for case in cases() {
        let a = common::analyze(&case);
        let dep: &Deployment = a.deployment.as_ref().expect("deployment");
        let main = main_tf(&a);
        for p in &dep.protected {
            let (module, rest) = if let Some(rest) = p.address.strip_prefix("module.") {
                let (label, rest) = rest.split_once('.').expect("module.<label>.<resource>");
                let module = if label == "backup" {
                    "backup"
                } else if label == "backup_audit" {
                    "backup-audit"
                } else if label == "isolated_vault" {
                    "isolated-vault"
                } else {
                    dep.assets
                        .iter()
                        .filter_map(|d| d.terraform.as_ref())
                        .find(|t| t.label == label)
                        .and_then(|t| t.module)
                        .unwrap_or_else(|| panic!("{case}: no module call `{label}`"))
                };
                (Some(module), rest)
            } else {
                (None, p.address.as_str())
            };
            let (resource, index) = match rest.split_once('[') {
                Some((r, i)) => (r, Some(i.trim_end_matches(']'))),
                None => (rest, None),
            };
            let (ty, name) = resource.split_once('.').expect("<type>.<name>");
            match module {
                Some(m) => {
                    let how = modules[m]
                        .get(&(ty.to_owned(), name.to_owned()))
                        .unwrap_or_else(|| panic!("{case}: `{}` is not in modules/{m}", p.address));
                    let expected = match index {
                        None => "single",
                        Some(i) if i.starts_with('"') => "for_each",
                        Some(_) => "count",
                    };
                    assert_eq!(*how, expected, "{case}: `{}` is indexed wrongly", p.address);
                }
                None => assert!(
                    main.contains(&format!("resource \"{ty}\" \"{name}\"")),
                    "{case}: `{}` is not in main.tf",
                    p.address
                ),
            }
        }
    }
}

/// The restore-testing schedule the runbook states is the one the plans run.
#[test]
fn the_runbooks_restore_testing_schedule_is_the_plans() {
    let a = common::analyze("examples/webshop");
    let files = emit::generate(&a, &Options::default()).unwrap();
    let file = |p: &str| &files.iter().find(|f| f.path == p).unwrap().contents;
    assert!(file("RUNBOOK.md").contains(&RESTORE_TESTING.describe()));
    assert!(file("main.tf").contains(&format!(
        "schedule                = \"{}\"",
        RESTORE_TESTING.cron()
    )));
}

/// An asset with a start window override gets it in every rule, and its estimate
/// counts it: the bug where `explain` used the override and Terraform 60 minutes.
#[test]
fn a_start_window_override_is_in_the_plan_and_the_estimate() {
    for window in ["30m", "3h"] {
        let text = EVERYTHING.replace(
            "project \"p\" {",
            &format!("assumptions {{\n  backup_start_window = \"{window}\"\n}}\nproject \"p\" {{"),
        );
        let a = analyze_text(&text);
        if window == "30m" {
            // Below AWS Backup's minimum: refused, with the reason.
            assert!(a.has_errors());
            assert!(common::render(&a).contains("minimum start window"));
            continue;
        }
        assert!(!a.has_errors(), "{}", common::render(&a));
        let main = main_tf(&a);
        assert!(main.contains("start_window_minutes      = 180"), "{main}");
        assert!(!main.contains("start_window_minutes      = 60"), "{main}");
        // `files` (scheduled backups) prices the window in its corruption RPO.
        let rec = a.recovery.as_ref().unwrap();
        let files = rec.assets.iter().find(|r| r.id == "files").unwrap();
        let path = files.scenarios[Scenario::Corruption.index()]
            .path
            .as_ref()
            .unwrap();
        assert!(
            path.rpo
                .iter()
                .any(|t| t.source == Source::Param("backup_start_window")
                    && t.value == lifeboat::model::Dur::hours(3)),
            "{path:?}"
        );
    }
}

/// The model's Region detection counts one period of the Route 53 health-check
/// alarm: the module must alarm after exactly that.
#[test]
fn the_health_check_alarm_the_model_counts_is_the_one_the_module_creates() {
    use lifeboat::model::params::{HEALTH_ALARM_EVALUATION_PERIODS, HEALTH_ALARM_PERIOD_SECS};
    let text =
        std::fs::read_to_string(common::root().join("modules/route53-failover/alarms.tf")).unwrap();
    let value = |key: &str| -> Vec<u64> {
        text.lines()
            .filter_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().parse().expect("a number"))
            })
            .collect()
    };
    assert_eq!(value("period"), [HEALTH_ALARM_PERIOD_SECS]);
    assert_eq!(
        value("evaluation_periods"),
        [HEALTH_ALARM_EVALUATION_PERIODS]
    );
    assert_eq!(
        value("datapoints_to_alarm"),
        [HEALTH_ALARM_EVALUATION_PERIODS]
    );
}

/// The runbook names the S3 roles by what the deployment says; the module must
/// create them under exactly those names (a role the runbook passes to
/// `s3control create-job` that does not exist fails on the day it is needed).
#[test]
fn the_s3_roles_the_runbook_names_are_the_ones_the_module_creates() {
    let iam =
        std::fs::read_to_string(common::root().join("modules/s3-replication/iam.tf")).unwrap();
    // `resource "aws_iam_role" "<label>" { name = "${var.name}<suffix>"`
    let suffix = |label: &str| -> String {
        let start = iam
            .find(&format!("resource \"aws_iam_role\" \"{label}\" {{"))
            .unwrap_or_else(|| panic!("aws_iam_role.{label} in iam.tf"));
        let line = iam[start..]
            .lines()
            .find(|l| l.trim_start().starts_with("name "))
            .expect("a name");
        let value = line.split_once('=').unwrap().1.trim().trim_matches('"');
        value
            .strip_prefix("${var.name}")
            .expect("named after var.name")
            .to_owned()
    };
    let a = common::analyze("examples/webshop");
    let dep = a.deployment.as_ref().unwrap();
    let files = emit::generate(&a, &Options::default()).unwrap();
    let file = |p: &str| &files.iter().find(|f| f.path == p).unwrap().contents;
    let mut seen = 0;
    for d in &dep.assets {
        let KindDeployment::S3(s) = &d.kind else {
            continue;
        };
        let Some(rep) = &s.replication else { continue };
        seen += 1;
        assert!(file("main.tf").contains(&format!(
            "name                                  = \"{}\"",
            d.name
        )));
        assert_eq!(rep.role, format!("{}{}", d.name, suffix("replication")));
        assert_eq!(rep.batch_role, format!("{}{}", d.name, suffix("batch")));
        assert!(
            file("RUNBOOK.md").contains(&format!("role/{}\"", rep.batch_role)),
            "the runbook starts {}'s batch job with its role",
            d.id
        );
    }
    assert!(seen > 0, "the webshop example replicates buckets");
}

/// A bucket whose first full backup takes weeks: its rules' completion windows
/// hold that backup at the published S3 backup rate (the rate parameter reaches
/// them), and the continuous rule starts at another time than the snapshot rule.
#[test]
fn completion_windows_hold_a_big_buckets_full_backup_and_the_rules_are_staggered() {
    const BIG: &str = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
tier "archive" {
  rpo       = "24h"
  rto       = "60d"
  retention = "35d"
}
asset "lake" {
  kind    = "s3"
  tier    = "archive"
  bucket  = "p-lake"
  size_gb = 100000
  objects = 5000000000
  dr {
    replication       = true
    continuous_backup = true
    backup_frequency  = "24h"
  }
}
"#;
    for (rate, hours) in [(None, 1158), (Some(2400), 579)] {
        let text = match rate {
            None => BIG.to_owned(),
            Some(r) => BIG.replace(
                "project \"p\" {",
                &format!(
                    "assumptions {{\n  s3_restore_objects_per_second = {r}\n}}\nproject \"p\" {{"
                ),
            ),
        };
        let a = analyze_text(&text);
        assert!(!a.has_errors(), "{}", common::render(&a));
        // 5 B objects at 1,200 (2,400) objects/s, rounded up to whole hours.
        let (_, _, dep) = a.compiled().expect("compiles");
        let plan = &dep.backup.as_ref().expect("a backup design").plans[0];
        assert_eq!(plan.full_backup.as_secs().div_ceil(3600), hours);
        let main = main_tf(&a);
        let expected = format!("completion_window_minutes = {}", hours * 60);
        assert_eq!(main.matches(&expected).count(), 2, "{main}");
        let schedules: Vec<&str> = plan.rules.iter().map(|r| r.schedule.as_str()).collect();
        assert_eq!(schedules, ["cron(0 17 ? * * *)", "cron(0 5 ? * * *)"]);
    }
}

// ---------------------------------------------------------------------------
// The ARC Region switch plan
// ---------------------------------------------------------------------------

/// A project with three databases that keep read replicas (or only replicated
/// backups): `db-a` and `db-b` depend on nothing, `db-c` on `db-a`, and an endpoint
/// on `db-c`; `extra` goes into the project block.
fn switch_inventory(extra: &str, replica: bool) -> String {
    let dr = format!(
        "  dr {{\n    read_replica       = {replica}\n    backup_replication = {}\n  }}",
        !replica
    );
    let db = |id: &str, deps: &str| {
        format!(
            "asset \"{id}\" {{\n  kind       = \"rds\"\n  tier       = \"t\"\n  identifier = \"{id}-prod\"\n  engine     = \"postgres\"\n  storage_gb = 50\n  multi_az   = true\n{dr}\n{deps}\n}}\n"
        )
    };
    format!(
        "project \"p\" {{\n  primary_region   = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n{extra}\n}}\ntier \"t\" {{\n  rpo = \"4h\"\n  rto = \"8h\"\n  scenario \"region\" {{\n    rto = \"1h30m\"\n  }}\n}}\n{}{}{}asset \"web\" {{\n  kind      = \"endpoint\"\n  tier      = \"t\"\n  domain    = \"shop.example.com\"\n  zone_id   = \"Z0123456789ABCDEFGHIJ\"\n  primary {{\n    hostname = \"shop-use1.example.com\"\n  }}\n  secondary {{\n    hostname = \"shop-usw2.example.com\"\n  }}\n  depends_on = [\"db-c\"]\n}}\n",
        db("db-a", ""),
        db("db-b", ""),
        db("db-c", "  depends_on = [\"db-a\"]"),
    )
}

#[test]
fn the_region_switch_plan_runs_the_recovery_waves_in_order() {
    let a = analyze_text(&switch_inventory("", true));
    assert!(!a.has_errors(), "{}", common::render(&a));
    let dep = a.deployment.as_ref().expect("a deployment");
    let rs = dep
        .region_switch
        .as_ref()
        .expect("a plan: the replicas are promoted");
    let waves: Vec<Vec<&str>> = rs
        .waves
        .iter()
        .map(|w| w.iter().map(|s| s.name.as_str()).collect())
        .collect();
    // db-a and db-b first, in parallel; db-c after db-a; the endpoint is no step.
    assert_eq!(
        waves,
        [
            vec!["db-a-promote-replica", "db-b-promote-replica"],
            vec!["db-c-promote-replica"]
        ]
    );
    assert_eq!(rs.waves[1][0].wave, 2);
    assert!(rs.approval_role.is_none() && rs.approval_step.is_none());
    assert!(
        rs.return_steps.is_empty(),
        "a promoted RDS replica has no way back"
    );
    // The trigger waits for the endpoint's primary alarm; the replicas' lag alarms
    // tell the plan their health.
    let alarm = |list: &[lifeboat::deploy::region_switch::PlanAlarm]| {
        list.iter()
            .map(|x| (x.name.clone(), x.region.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        alarm(&rs.trigger_alarms),
        [(
            "p-web-primary-endpoint-unhealthy".to_owned(),
            "us-east-1".to_owned()
        )]
    );
    assert_eq!(alarm(&rs.health_alarms).len(), 3);
    assert!(rs.health_alarms.iter().all(|x| x.region == "us-west-2"));
    // The tightest Region RTO it serves: 1h30m.
    assert_eq!(rs.recovery_time_objective_minutes, Some(90));
    // main.tf: one Parallel wave then c, created after the modules it names.
    let main = main_tf(&a);
    assert!(main.contains("module \"region_switch\""), "{main}");
    assert!(
        main.contains(
            "depends_on = [module.endpoint_web, module.rds_db_a, module.rds_db_b, module.rds_db_c]"
        ),
        "{main}"
    );
    assert!(!main.contains("approval_role_name"), "{main}");
}

#[test]
fn the_approval_option_adds_the_approval_role_and_step() {
    let a = analyze_text(&switch_inventory("  region_switch_approval = true", true));
    assert!(!a.has_errors(), "{}", common::render(&a));
    let rs = a
        .deployment
        .as_ref()
        .and_then(|d| d.region_switch.as_ref())
        .expect("a plan");
    assert_eq!(
        rs.approval_role.as_deref(),
        Some("p-region-switch-approver")
    );
    assert_eq!(rs.approval_step.as_deref(), Some("approve-region-switch"));
    let main = main_tf(&a);
    assert!(
        main.contains("approval_role_name              = \"p-region-switch-approver\""),
        "{main}"
    );
}

#[test]
fn nothing_to_switch_emits_no_plan() {
    // No replicas: the Region recovery is a restore (of the copied recovery
    // points), which a person starts and the plan cannot perform.
    let a = analyze_text(&switch_inventory("", false));
    assert!(!a.has_errors(), "{}", common::render(&a));
    let dep = a.deployment.as_ref().expect("a deployment");
    assert!(dep.region_switch.is_none());
    assert!(!main_tf(&a).contains("region_switch"));
    let files = emit::generate(&a, &Options::default()).expect("generates");
    let outputs = files.iter().find(|f| f.path == "outputs.tf").unwrap();
    assert!(!outputs.contents.contains("region_switch"));
    let runbook = files.iter().find(|f| f.path == "RUNBOOK.md").unwrap();
    assert!(!runbook.contents.contains("start-plan-execution"));
}

/// The model's trigger detection and the plan's trigger read the same endpoints.
#[test]
fn the_trigger_the_model_counts_is_the_one_the_plan_has() {
    for case in cases() {
        let a = common::analyze(&case);
        let (Some(inv), Some(dep)) = (a.inventory.as_ref(), a.deployment.as_ref()) else {
            continue;
        };
        let Some(rs) = &dep.region_switch else {
            continue;
        };
        let endpoints: Vec<(u32, u32)> = rs
            .trigger_alarms
            .iter()
            .map(|t| {
                let asset = inv.asset(&t.asset).expect("an asset");
                let lifeboat::model::AssetKind::Endpoint(e) = &asset.kind else {
                    panic!("{case}: trigger alarm of a non-endpoint");
                };
                (e.health_check.interval, e.health_check.failure_threshold)
            })
            .collect();
        let slowest = endpoints
            .iter()
            .copied()
            .max_by_key(|&(i, f)| (u64::from(i) * u64::from(f), i));
        assert_eq!(inv.params.alarms.trigger, slowest, "{case}");
    }
}

// ---------------------------------------------------------------------------
// Vault Lock per tier
// ---------------------------------------------------------------------------

/// Which vaults each tier's plan writes to, for each way of setting
/// `immutable_backups`: on the project (unset, `true`, `false`) and on the
/// declared tier `t` and the redeclared or built-in `mission-critical`.
#[test]
fn immutable_tiers_write_to_the_compliance_mode_pair() {
    use lifeboat::deploy::backup::LockMode;
    let inventory = |project: &str, t: &str, mc: &str| {
        let mc_tier = if mc.is_empty() {
            String::new()
        } else {
            format!("tier \"mission-critical\" {{\n  rpo = \"1h\"\n  rto = \"4h\"\n  {mc}\n}}\n")
        };
        format!(
            "project \"p\" {{\n  primary_region   = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n  {project}\n}}\ntier \"t\" {{\n  rpo = \"24h\"\n  rto = \"24h\"\n  retention = \"90d\"\n  {t}\n}}\n{mc_tier}asset \"aa\" {{\n  kind   = \"s3\"\n  tier   = \"mission-critical\"\n  bucket = \"p-a\"\n}}\nasset \"bb\" {{\n  kind   = \"s3\"\n  tier   = \"t\"\n  bucket = \"p-b\"\n}}\n"
        )
    };
    // (project, tier t, mission-critical block, standard pair's mode, immutable tiers)
    let cases: &[(&str, &str, &str, LockMode, &[&str])] = &[
        ("", "", "", LockMode::Governance, &["mission-critical"]),
        (
            "",
            "immutable_backups = true",
            "",
            LockMode::Governance,
            &["mission-critical", "t"],
        ),
        (
            "",
            "",
            "immutable_backups = false",
            LockMode::Governance,
            &[],
        ),
        // A redeclared mission-critical tier keeps the default.
        (
            "",
            "",
            "retention = \"35d\"",
            LockMode::Governance,
            &["mission-critical"],
        ),
        (
            "immutable_backups = false",
            "",
            "",
            LockMode::Governance,
            &[],
        ),
        (
            "immutable_backups = false",
            "immutable_backups = true",
            "",
            LockMode::Governance,
            &["t"],
        ),
        // The project-wide switch locks the one pair; no second pair.
        (
            "immutable_backups = true",
            "",
            "",
            LockMode::Compliance,
            &[],
        ),
    ];
    for (project, t, mc, mode, immutable) in cases {
        let a = analyze_text(&inventory(project, t, mc));
        assert!(!a.has_errors(), "{}", common::render(&a));
        let (_, _, dep) = a.compiled().expect("compiles");
        let b = dep.backup.as_ref().expect("a backup design");
        let case = format!("project `{project}`, t `{t}`, mission-critical `{mc}`");
        assert_eq!(b.lock.mode, *mode, "{case}");
        assert_eq!(
            b.lock.changeable_for_days,
            (*mode == LockMode::Compliance).then_some(3),
            "{case}"
        );
        let mut got: Vec<&str> = b
            .plans
            .iter()
            .filter(|p| p.immutable_vaults)
            .map(|p| p.tier.as_str())
            .collect();
        got.dedup();
        assert_eq!(got, *immutable, "{case}");
        assert_eq!(b.immutable.is_some(), !immutable.is_empty(), "{case}");
        let main = main_tf(&a);
        assert_eq!(
            main.contains("immutable_vaults = {"),
            !immutable.is_empty(),
            "{case}"
        );
        for plan in &b.plans {
            let vaults = b.vaults_of(plan);
            let expected = if plan.immutable_vaults {
                ("p-immutable-primary", "p-immutable-secondary")
            } else {
                ("p-primary", "p-secondary")
            };
            assert_eq!(
                (vaults.primary.as_str(), vaults.secondary.as_str()),
                expected,
                "{case}"
            );
        }
        if let Some(i) = &b.immutable {
            // Each pair's lock holds exactly the retentions of the plans writing to it:
            // mission-critical keeps 35 days, t 90 days.
            let min = b
                .plans
                .iter()
                .filter(|p| p.immutable_vaults)
                .flat_map(|p| p.rules.iter().map(|r| r.delete_after_days))
                .min()
                .expect("a rule");
            assert!(i.primary.min_retention_days <= min, "{case}");
            assert_eq!(i.changeable_for_days, 3, "{case}");
        }
    }
}

/// The runbook restores an immutable tier's data from the compliance-mode vault
/// its plan copies into, not from the standard one.
#[test]
fn the_runbook_reads_an_immutable_tiers_copies_from_its_own_vault() {
    let text =
        std::fs::read_to_string("tests/fixtures/valid/immutable-tiers.hcl").expect("fixture");
    let a = analyze_text(&text);
    let files = emit::generate(&a, &Options::default()).expect("generates");
    let runbook = &files
        .iter()
        .find(|f| f.path == "RUNBOOK.md")
        .expect("RUNBOOK.md")
        .contents;
    assert!(
        runbook.contains("--backup-vault-name 'pay-immutable-secondary'"),
        "{runbook}"
    );
    // `reports-db` (tier important) keeps using the standard pair.
    assert!(
        runbook.contains("--backup-vault-name 'pay-secondary'"),
        "{runbook}"
    );
}

/// `region_switch_dns`: the endpoint that depends (through db-c) on the plan's
/// promotions becomes a Route 53 health check step in the wave after db-c, with
/// the set identifiers route53-failover gives its records; its Region path is the
/// plan's, counted after db-c; the tree takes ARC's health check ids as a variable
/// that only this endpoint reads, and the runbook's once-step writes them.
#[test]
fn region_switch_dns_puts_each_endpoint_in_the_wave_after_its_data() {
    use lifeboat::deploy::region_switch::StepAction;
    let a = analyze_text(&switch_inventory("  region_switch_dns = true", true));
    assert!(!a.has_errors(), "{}", common::render(&a));
    let (inv, rec, dep) = (
        a.inventory.as_ref().unwrap(),
        a.recovery.as_ref().unwrap(),
        a.deployment.as_ref().unwrap(),
    );
    let rs = dep.region_switch.as_ref().expect("a plan");
    let waves: Vec<Vec<(&str, usize)>> = rs
        .waves
        .iter()
        .map(|w| w.iter().map(|s| (s.name.as_str(), s.wave)).collect())
        .collect();
    assert_eq!(
        waves,
        [
            vec![("db-a-promote-replica", 1), ("db-b-promote-replica", 1)],
            vec![("db-c-promote-replica", 2)],
            vec![("web-switch-dns", 3)],
        ]
    );
    let web = inv.assets.iter().position(|x| x.id == "web").unwrap();
    let KindDeployment::Endpoint(e) = &dep.assets[web].kind else {
        panic!("web is an endpoint");
    };
    match &rs.waves[2][0].action {
        StepAction::Route53 {
            hosted_zone_id,
            record_name,
            primary_set_identifier,
            secondary_set_identifier,
        } => {
            assert_eq!(hosted_zone_id, &e.zone_id);
            assert_eq!(record_name, &e.domain);
            assert_eq!(primary_set_identifier, &e.primary_set_identifier);
            assert_eq!(secondary_set_identifier, &e.secondary_set_identifier);
            assert_eq!(primary_set_identifier, "p-web-primary");
        }
        other => panic!("not a DNS step: {other:?}"),
    }
    assert!(
        rs.return_steps.is_empty(),
        "RDS promotions have no way back"
    );
    // The model: the plan's path, its work after db-c serves again.
    let r = &rec.assets[web].scenarios[Scenario::Region.index()];
    let path = r.path.as_ref().expect("a Region path");
    assert_eq!(path.kind, PathKind::Endpoint(EndpointPath::PlanDns));
    assert!(lifeboat::check::estimate::rto_precondition(path.kind).is_some());
    let db_c = rec.assets.iter().find(|x| x.id == "db-c").unwrap();
    let after = db_c.scenarios[Scenario::Region.index()]
        .effective_rto
        .unwrap();
    assert_eq!(r.effective_rto, Some(path.finish(after)));
    assert_eq!(
        path.work().as_secs(),
        inv.params.region_switch_dns_step.as_secs() + inv.params.dns_propagation.as_secs() + 60
    );
    // The tree: the variable, read by the endpoint's module only.
    let main = main_tf(&a);
    assert!(
        main.contains("variable \"region_switch_dns_health_checks\""),
        "{main}"
    );
    assert_eq!(
        main.matches(
            "record_health_check_ids = lookup(var.region_switch_dns_health_checks, \"web\", null)"
        )
        .count(),
        1,
        "{main}"
    );
    let files = emit::generate(&a, &Options::default()).expect("generates");
    let runbook = files.iter().find(|f| f.path == "RUNBOOK.md").unwrap();
    assert!(
        runbook.contents.contains("aws arc-region-switch list-route53-health-checks --region us-east-1")
            && runbook.contents.contains("region-switch-dns.auto.tfvars.json")
            && runbook.contents.contains("\"web\": {\"primary\": \"$(hc 'Z0123456789ABCDEFGHIJ' 'shop.example.com' us-east-1)\", \"secondary\": \"$(hc 'Z0123456789ABCDEFGHIJ' 'shop.example.com' us-west-2)\"}"),
        "{}",
        runbook.contents
    );
}

/// Without the option, or without a plan, no endpoint is a step and the tree has
/// no ids to take: Route 53 fails the endpoint over by itself.
#[test]
fn without_region_switch_dns_or_a_plan_dns_fails_over_by_itself() {
    for (extra, replica) in [("", true), ("  region_switch_dns = true", false)] {
        let a = analyze_text(&switch_inventory(extra, replica));
        assert!(!a.has_errors(), "{}", common::render(&a));
        let (rec, dep) = (a.recovery.as_ref().unwrap(), a.deployment.as_ref().unwrap());
        let web = rec.assets.iter().find(|x| x.id == "web").unwrap();
        let kind = web.scenarios[Scenario::Region.index()]
            .path
            .as_ref()
            .unwrap()
            .kind;
        assert_eq!(
            kind,
            PathKind::Endpoint(EndpointPath::DnsFailover),
            "{extra} {replica}"
        );
        assert!(
            dep.region_switch
                .iter()
                .flat_map(|rs| rs.waves.iter().flatten())
                .all(|s| s.asset != "web"),
            "{extra} {replica}"
        );
        let main = main_tf(&a);
        assert!(!main.contains("region_switch_dns_health_checks"), "{main}");
        assert!(!main.contains("record_health_check_ids"), "{main}");
    }
}

/// With only Aurora steps (no promoted RDS replica, which has no way back), the
/// way back switches the Global Database back and then moves DNS back; the PR
/// report and `explain` say the endpoint's DNS step waits for the ids.
#[test]
fn region_switch_dns_moves_back_after_aurora_switchovers() {
    let text = "project \"p\" {\n  primary_region    = \"us-east-1\"\n  secondary_region  = \"us-west-2\"\n  region_switch_dns = true\n}\ntier \"t\" {\n  rpo = \"4h\"\n  rto = \"8h\"\n  scenario \"region\" {\n    rpo = \"5m\"\n    rto = \"1h\"\n  }\n}\nasset \"db\" {\n  kind               = \"aurora\"\n  tier               = \"t\"\n  cluster_identifier = \"db-prod\"\n  engine             = \"aurora-postgresql\"\n  storage_gb         = 100\n  instance_class     = \"db.r6g.large\"\n}\nasset \"web\" {\n  kind       = \"endpoint\"\n  tier       = \"t\"\n  domain     = \"shop.example.com\"\n  zone_id    = \"Z0123456789ABCDEFGHIJ\"\n  depends_on = [\"db\"]\n  primary {\n    hostname = \"shop-use1.example.com\"\n  }\n  secondary {\n    hostname = \"shop-usw2.example.com\"\n  }\n}\n";
    let a = analyze_text(text);
    assert!(!a.has_errors(), "{}", common::render(&a));
    let rs = a
        .deployment
        .as_ref()
        .and_then(|d| d.region_switch.as_ref())
        .expect("a plan: the Global Database fails over");
    let names = |steps: &[lifeboat::deploy::region_switch::Step]| {
        steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        names(&rs.waves.concat()),
        ["db-global-failover", "web-switch-dns"]
    );
    assert_eq!(
        names(&rs.return_steps),
        ["db-global-switchover", "web-switch-dns-back"]
    );
    let md = lifeboat::report::pr::markdown(&a, None);
    assert!(
        md.contains("The Region switch plan moves the DNS of `web` only once their records use its Route 53 health checks"),
        "{md}"
    );
    let explain = lifeboat::report::explain::explain(&a, "web").expect("explains web");
    assert!(
        explain.contains(
            "the RTO holds once the records use the Region switch plan's Route 53 health checks"
        ),
        "{explain}"
    );
}

// ---------------------------------------------------------------------------
// Ransomware isolation
// ---------------------------------------------------------------------------

/// The fixture's isolated copies reach the deployment (vault, share, the rules
/// that copy), the PR report and `explain`; an inventory without
/// `isolated_copy` has none of them.
#[test]
fn isolated_copies_reach_the_deployment_report_and_explain() {
    let a = common::analyze("tests/fixtures/valid/ransomware-isolation.hcl");
    assert!(!a.has_errors(), "{}", common::render(&a));
    let b = a
        .deployment
        .as_ref()
        .and_then(|d| d.backup.as_ref())
        .expect("backup");
    let v = b.isolated.as_ref().expect("an isolated vault");
    assert_eq!(
        (
            v.name.as_str(),
            v.region.as_str(),
            v.recovery_account_id.as_deref()
        ),
        ("bank-isolated", "us-east-1", Some("210987654321"))
    );
    // (plan key, immutable pair, isolated copy retention of its rules)
    let plans: Vec<(&str, bool, Vec<Option<u64>>)> = b
        .plans
        .iter()
        .map(|p| {
            (
                p.key.as_str(),
                p.immutable_vaults,
                p.rules
                    .iter()
                    .map(|r| r.isolated_copy_delete_after_days)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        plans,
        [
            ("ops-12h-copy", false, vec![None]),
            ("ops-12h-copy-iso", false, vec![Some(14)]),
            ("vault-2h-copy-iso", true, vec![Some(35)]),
        ]
    );
    let md = lifeboat::report::pr::markdown(&a, None);
    for line in [
        "### Ransomware isolation",
        "- Tier(s) `vault`, `ops` copy their AWS Backup recovery points into the logically air-gapped vault `bank-isolated` in `us-east-1`, shared through AWS RAM with account `210987654321`.",
        "- Tier(s) `vault` count a compromised account in their corruption scenario",
        "- Without an isolated copy: `sessions` (dynamodb)",
    ] {
        assert!(md.contains(line), "the report lacks {line:?}:\n{md}");
    }
    let explain = lifeboat::report::explain::explain(&a, "ledger-db").expect("explains");
    for term in [
        "recovery path: restore the latest copy in the logically air-gapped vault, from the recovery account",
        "assumption `isolated_copy_delay`",
        "assumption `isolated_restore_access`",
    ] {
        assert!(explain.contains(term), "explain lacks {term:?}:\n{explain}");
    }

    let a = common::analyze("examples/webshop");
    let b = a
        .deployment
        .as_ref()
        .and_then(|d| d.backup.as_ref())
        .expect("backup");
    assert!(b.isolated.is_none());
    assert!(
        b.plans
            .iter()
            .flat_map(|p| &p.rules)
            .all(|r| r.isolated_copy_delete_after_days.is_none())
    );
    assert!(!lifeboat::report::pr::markdown(&a, None).contains("Ransomware isolation"));
}
