//! The run-time halves of the objectives: the Backup Audit Manager framework and
//! the Resilience Hub policies carry the tiers' numbers (and the backup design's),
//! for every example and fixture, and they follow an inventory change.

mod common;

use lifeboat::deploy::Deployment;
use lifeboat::deploy::audit::{Control, MAX_CONTROLS, MAX_SCOPE_IDS, restores_from_aws_backup};
use lifeboat::emit::{self, Options};
use lifeboat::model::{Dur, Scenario};
use lifeboat::source::{SourceFile, Sources};

fn cases() -> Vec<String> {
    let mut v = common::fixtures("examples");
    v.extend(common::fixtures("tests/fixtures/valid"));
    v
}

fn analyze_text(text: &str) -> lifeboat::Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new("t.hcl", text)]))
}

fn file(a: &lifeboat::Analysis, path: &str) -> String {
    emit::generate(a, &Options::default())
        .expect("generates")
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path}"))
        .contents
}

/// The parameter of a control that covers `resource`.
fn param(dep: &Deployment, control: Control, resource: &str, name: &str) -> Option<String> {
    let a = dep.audit.as_ref()?;
    a.controls
        .iter()
        .find(|c| c.control == control && c.resources.iter().any(|r| r == resource))
        .map(|c| {
            c.parameters
                .iter()
                .find(|(k, _)| *k == name)
                .unwrap_or_else(|| panic!("{name}"))
                .1
                .clone()
        })
}

fn resource_name(kind: &lifeboat::model::AssetKind) -> Option<&str> {
    use lifeboat::model::AssetKind;
    match kind {
        AssetKind::Rds(x) => Some(&x.identifier),
        AssetKind::Aurora(x) => Some(&x.cluster_identifier),
        AssetKind::S3(x) => Some(&x.bucket),
        AssetKind::Dynamodb(x) => Some(&x.table),
        AssetKind::Efs(x) => Some(&x.file_system_id),
        AssetKind::Endpoint(_) => None,
    }
}

/// Every asset AWS Backup protects is audited for what the model relies on: in a
/// plan, in a locked vault, copied when the model copies it, its latest recovery
/// point no older than the RPO and its restores no longer than the RTO of the
/// scenarios the model recovers from AWS Backup; nothing else is audited.
#[test]
fn every_backed_up_asset_is_audited_for_its_tiers_objectives() {
    let mut audited = 0;
    for case in cases() {
        let a = common::analyze(&case);
        let (inv, rec, dep) = (
            a.inventory.as_ref().unwrap(),
            a.recovery.as_ref().unwrap(),
            a.deployment.as_ref().unwrap(),
        );
        assert_eq!(
            dep.audit.is_some(),
            dep.backup.is_some(),
            "{case}: a framework exactly when there are backups ({:?})",
            dep.audit_omitted
        );
        let Some(audit) = &dep.audit else { continue };
        assert!(2 * audit.plans.len() + audit.controls.len() <= MAX_CONTROLS);
        assert!(
            audit
                .controls
                .iter()
                .all(|c| c.resources.len() <= MAX_SCOPE_IDS)
        );
        let b = dep.backup.as_ref().unwrap();
        assert_eq!(
            audit.plans.iter().map(|p| &p.key).collect::<Vec<_>>(),
            b.plans.iter().map(|p| &p.key).collect::<Vec<_>>(),
            "{case}: every backup plan is audited"
        );
        for (p, plan) in audit.plans.iter().zip(&b.plans) {
            let retention = inv.tiers[&plan.tier].retention.days_ceil().max(1);
            assert_eq!(p.retention_days, retention, "{case}: {}", p.key);
            let hours = plan
                .rules
                .iter()
                .find(|r| r.name != "continuous")
                .unwrap()
                .implements
                .frequency
                .as_secs()
                / 3600;
            let expected = if hours <= 24 {
                ("hours", hours)
            } else {
                ("days", hours.div_ceil(24))
            };
            assert_eq!(
                (p.frequency_unit, p.frequency_value),
                expected,
                "{case}: {}",
                p.key
            );
        }
        for ((asset, r), d) in inv.assets.iter().zip(&rec.assets).zip(&dep.assets) {
            let Some(res) = resource_name(&asset.kind) else {
                continue;
            };
            let covered = audit
                .controls
                .iter()
                .any(|c| c.resources.iter().any(|x| x == res));
            if d.backup_plan.is_none() {
                assert!(!covered, "{case}: `{}` is not backed up", asset.id);
                continue;
            }
            audited += 1;
            assert!(
                audit
                    .controls
                    .iter()
                    .any(|c| c.control == Control::ProtectedByBackupPlan
                        && c.resources.iter().any(|x| x == res)),
                "{case}: `{}` in a plan",
                asset.id
            );
            // The lock of the vault the asset's plan writes to: the compliance-mode
            // pair's for an immutable tier.
            let plan = b
                .plans
                .iter()
                .find(|p| Some(&p.key) == d.backup_plan.as_ref())
                .expect("the asset's plan");
            let lock = match (&b.immutable, plan.immutable_vaults) {
                (Some(i), true) => i.primary,
                (None, true) => panic!("{case}: an immutable plan without the immutable vaults"),
                _ => b.lock.primary,
            };
            assert_eq!(
                param(dep, Control::ProtectedByVaultLock, res, "minRetentionDays"),
                Some(lock.min_retention_days.to_string()),
                "{case}: `{}`",
                asset.id
            );
            assert_eq!(
                param(dep, Control::ProtectedByCrossRegion, res, "crossRegionList"),
                r.mechanisms
                    .cross_region_copy
                    .then(|| inv.project.secondary_region.clone()),
                "{case}: `{}` copied exactly when the model copies it",
                asset.id
            );
            let backed: Vec<_> = r
                .scenarios
                .iter()
                .filter(|s| {
                    s.path
                        .as_ref()
                        .is_some_and(|p| restores_from_aws_backup(p.kind))
                })
                .collect();
            let rto = backed.iter().filter_map(|s| s.objective.rto).min();
            assert_eq!(
                param(dep, Control::RestoreTime, res, "maxRestoreTime"),
                rto.map(|d| d.as_secs().div_ceil(60).to_string()),
                "{case}: `{}`: restores within the RTO of its backup-restore scenarios",
                asset.id
            );
            let rpo = backed.iter().filter_map(|s| s.objective.rpo).min();
            let age = param(
                dep,
                Control::LastRecoveryPointCreated,
                res,
                "recoveryPointAgeValue",
            );
            assert_eq!(age.is_some(), rpo.is_some(), "{case}: `{}`", asset.id);
            if let (Some(age), Some(rpo), Some(bk)) = (age, rpo, r.mechanisms.backup) {
                let age: u64 = age.parse().unwrap();
                let rpo_hours = rpo.as_secs().div_ceil(3600).max(1);
                if bk.continuous {
                    assert!(age >= rpo_hours, "{case}: `{}`", asset.id);
                } else {
                    assert_eq!(age, rpo_hours, "{case}: `{}`: the RPO", asset.id);
                }
            }
        }
    }
    assert!(audited > 5, "the examples audit assets ({audited})");
}

/// Each tier an asset uses becomes a Resilience Hub policy with its objectives:
/// Software = corruption, Hardware and AZ = az, Region = region.
#[test]
fn every_used_tier_is_a_resiliency_policy_with_its_objectives() {
    for case in cases() {
        let a = common::analyze(&case);
        let (inv, dep) = (
            a.inventory.as_ref().unwrap(),
            a.deployment.as_ref().unwrap(),
        );
        let mut used: Vec<&str> = inv.assets.iter().map(|a| a.tier.as_str()).collect();
        used.sort_unstable();
        used.dedup();
        let r = &dep.resilience;
        let mut named: Vec<&str> = r
            .policies
            .iter()
            .map(|p| p.tier.as_str())
            .chain(r.omitted.iter().map(|(t, _)| t.as_str()))
            .collect();
        named.sort_unstable();
        assert_eq!(named, used, "{case}");
        for p in &r.policies {
            let t = &inv.tiers[&p.tier];
            let o = |s: Scenario| t.objective(s);
            assert_eq!(Some(p.software.rpo), o(Scenario::Corruption).rpo, "{case}");
            assert_eq!(Some(p.software.rto), o(Scenario::Corruption).rto, "{case}");
            assert_eq!(Some(p.az.rpo), o(Scenario::Az).rpo, "{case}");
            assert_eq!(Some(p.az.rto), o(Scenario::Az).rto, "{case}");
            assert_eq!(p.hardware, p.az, "{case}");
            let region = o(Scenario::Region);
            assert_eq!(
                p.region,
                (region.rpo.is_some() || region.rto.is_some()).then_some((region.rpo, region.rto)),
                "{case}"
            );
            assert!(p.name.len() <= 60 && p.name.starts_with(&dep.project));
        }
        let main = file(&a, "main.tf");
        assert_eq!(
            main.contains("module \"resilience_hub\""),
            !r.policies.is_empty(),
            "{case}"
        );
    }
}

const BASE: &str = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
tier "t" {
  rpo       = "24h"
  rto       = "RTO"
  retention = "30d"
}
asset "files" {
  kind    = "s3"
  tier    = "t"
  bucket  = "p-files"
  size_gb = 10
}
"#;

/// Changing a tier's RTO changes the restore-time target AWS checks, and the
/// Resilience Hub policy with it: the objective is written once.
#[test]
fn a_tier_change_moves_the_run_time_checks_with_it() {
    let mut seen = Vec::new();
    for rto in ["12h", "20h"] {
        let a = analyze_text(&BASE.replace("RTO", rto));
        assert!(!a.has_errors(), "{}", common::render(&a));
        let dep = a.deployment.as_ref().unwrap();
        let target = param(dep, Control::RestoreTime, "p-files", "maxRestoreTime")
            .expect("the bucket is restored from AWS Backup");
        let minutes = Dur::parse(rto).unwrap().as_secs() / 60;
        assert_eq!(target, minutes.to_string());
        let main = file(&a, "main.tf");
        assert!(
            main.contains(&format!("maxRestoreTime = \"{minutes}\"")),
            "{main}"
        );
        let policy = &dep.resilience.policies[0];
        assert_eq!(policy.software.rto, Dur::parse(rto).unwrap());
        assert!(
            main.contains(&format!("rto_seconds = {}", minutes * 60)),
            "{main}"
        );
        seen.push(target);
    }
    assert_ne!(seen[0], seen[1]);
}

/// More controls than AWS allows: no framework (it would fail to apply), and
/// the deployment says why; the backups themselves are unaffected.
#[test]
fn a_framework_over_the_control_limit_is_left_out_and_said_so() {
    let mut text = String::from(
        "project \"p\" {\n  primary_region   = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n}\n",
    );
    // Each tier's bucket gets a plan of its own (two controls) and controls with
    // its own restore target.
    for i in 0..30 {
        text.push_str(&format!(
            "tier \"t{i}\" {{\n  rpo       = \"24h\"\n  rto       = \"{}h\"\n  retention = \"30d\"\n}}\nasset \"b{i}\" {{\n  kind    = \"s3\"\n  tier    = \"t{i}\"\n  bucket  = \"p-bucket-{i}\"\n  size_gb = 1\n}}\n",
            12 + i
        ));
    }
    let a = analyze_text(&text);
    assert!(!a.has_errors(), "{}", common::render(&a));
    let dep = a.deployment.as_ref().unwrap();
    assert!(dep.backup.is_some());
    assert!(dep.audit.is_none());
    let why = dep.audit_omitted.as_deref().unwrap();
    assert!(why.contains("50"), "{why}");
    let main = file(&a, "main.tf");
    assert!(!main.contains("module \"backup_audit\""));
    assert!(main.contains("module \"backup\""));
    assert!(file(&a, "RUNBOOK.md").contains(why));
    // Thirty tiers: thirty policies.
    assert_eq!(dep.resilience.policies.len(), 30);
}

/// A tier without an RTO cannot be a Resilience Hub policy (Software, Hardware
/// and AZ need both numbers): it is left out, and the reason names what is missing.
#[test]
fn a_tier_without_an_rto_has_no_policy() {
    let text = BASE.replace("  rto       = \"RTO\"\n", "");
    let a = analyze_text(&text);
    assert!(!a.has_errors(), "{}", common::render(&a));
    let dep = a.deployment.as_ref().unwrap();
    assert!(dep.resilience.policies.is_empty());
    let (tier, why) = &dep.resilience.omitted[0];
    assert_eq!(tier, "t");
    assert!(why.contains("RTO"), "{why}");
    assert!(!file(&a, "main.tf").contains("module \"resilience_hub\""));
    assert!(file(&a, "RUNBOOK.md").contains(why.as_str()));
}
