//! The objectives checked at run time: the AWS Backup Audit Manager framework and
//! report plans (modules/backup-audit) and the Resilience Hub resiliency policies
//! (modules/resilience-hub). Built from the same tiers, recovery model and backup
//! design as the rest of the deployment, so an objective is written once and
//! checked both by `lifeboat check` and by AWS on what is deployed.

use serde::Serialize;

use super::backup::BackupDesign;
use super::names::policy_name;
use crate::check::Recovery;
use crate::check::estimate::{
    AuroraPath, DynamodbPath, EfsPath, EndpointPath, PathKind, RdsPath, S3Path,
};
use crate::check::mechanisms::RuleKind;
use crate::model::{AssetKind, Dur, Inventory, Scenario, Tier};

/// Backup Audit Manager allows 50 controls per account and Region, every
/// framework's together (AWS Backup Developer Guide, "Controls and remediation").
pub const MAX_CONTROLS: usize = 50;
/// A control scope holds at most 100 resource ids (AWS Backup API, `ControlScope`).
pub const MAX_SCOPE_IDS: usize = 100;
/// How long report objects are kept in the report bucket.
pub const REPORT_RETENTION_DAYS: u64 = 365;

/// The Backup Audit Manager framework, its report plans and their bucket.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The framework's name (letters, digits and underscores).
    pub framework: String,
    /// The report bucket is `<prefix>-<account id>` (the module appends the account).
    pub report_bucket_prefix: String,
    pub report_plans: ReportPlans,
    pub report_retention_days: u64,
    /// Two controls per backup plan, in plan order.
    pub plans: Vec<PlanControls>,
    /// Controls scoped to protected resources, grouped by control, resource type
    /// and parameters.
    pub controls: Vec<ResourceControl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportPlans {
    pub backup_jobs: String,
    pub restore_jobs: String,
    pub control_compliance: String,
}

/// BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK and
/// BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK of one backup plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanControls {
    /// The plan's key in the backup module.
    pub key: String,
    /// The plan's name: the `lifeboat:backup-plan` tag of its recovery points.
    pub name: String,
    pub tier: String,
    /// `hours` or `days`.
    pub frequency_unit: &'static str,
    pub frequency_value: u64,
    /// The snapshot rule's retention: the tier's.
    pub retention_days: u64,
    /// The shortest retention of any rule of the plan (a continuous rule keeps
    /// at most 35 days): what every recovery point of the plan must have.
    pub recovery_point_retention_days: u64,
}

/// The controls lifeboat scopes to resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Control {
    ProtectedByBackupPlan,
    ProtectedByCrossRegion,
    ProtectedByVaultLock,
    LastRecoveryPointCreated,
    RestoreTime,
}

impl Control {
    /// AWS Backup Audit Manager's name of the control.
    pub fn name(self) -> &'static str {
        match self {
            Control::ProtectedByBackupPlan => "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
            Control::ProtectedByCrossRegion => "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
            Control::ProtectedByVaultLock => "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
            Control::LastRecoveryPointCreated => "BACKUP_LAST_RECOVERY_POINT_CREATED",
            Control::RestoreTime => "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
        }
    }

    /// What it checks, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Control::ProtectedByBackupPlan => "in a backup plan",
            Control::ProtectedByCrossRegion => "copied to the secondary Region",
            Control::ProtectedByVaultLock => "backed up to a locked vault",
            Control::LastRecoveryPointCreated => "latest recovery point no older than",
            Control::RestoreTime => "latest restore no longer than",
        }
    }
}

/// One control scoped to resources of one type.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceControl {
    pub control: Control,
    /// `RDS`, `Aurora`, `S3`, `DynamoDB` or `EFS` (ComplianceResourceTypes).
    pub resource_type: &'static str,
    /// The resources' names as the backup plans select them, at most 100.
    pub resources: Vec<String>,
    /// The assets they belong to, parallel to `resources`.
    pub assets: Vec<String>,
    /// Input parameters in the order AWS documents them.
    pub parameters: Vec<(&'static str, String)>,
    /// The requirement in words, e.g. `4h` for a recovery point age.
    pub target: Option<Dur>,
}

/// Resilience Hub's resiliency policies: one per tier used by an asset.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Resilience {
    pub policies: Vec<Policy>,
    /// Tiers without a policy, and why.
    pub omitted: Vec<(String, String)>,
}

/// RPO and RTO of one disruption type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Objectives {
    pub rpo: Dur,
    pub rto: Dur,
}

/// An `aws_resiliencehub_resiliency_policy`.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// The lifeboat tier (the module's key).
    pub tier: String,
    pub name: String,
    /// Resilience Hub's tier: MissionCritical, Critical, Important, NonCritical
    /// or NotApplicable.
    pub hub_tier: &'static str,
    pub description: String,
    /// Software: lifeboat's corruption scenario.
    pub software: Objectives,
    /// Hardware and AZ: lifeboat's az scenario.
    pub hardware: Objectives,
    pub az: Objectives,
    /// Region: lifeboat's region scenario; `None` without a Region objective
    /// (either number may be absent).
    pub region: Option<(Option<Dur>, Option<Dur>)>,
}

/// Whether a recovery path restores from AWS Backup (a recovery point in a vault),
/// as opposed to failing over, replicating or a service's own backups.
pub fn restores_from_aws_backup(kind: PathKind) -> bool {
    match kind {
        PathKind::Rds(p) => match p {
            RdsPath::RestoreCopy | RdsPath::BackupPitr | RdsPath::RestoreSnapshot => true,
            RdsPath::MultiAzFailover
            | RdsPath::PitrInRegion
            | RdsPath::PromoteReplica
            | RdsPath::PitrFromReplicatedBackups => false,
        },
        PathKind::S3(p) => match p {
            S3Path::RestoreCopy | S3Path::BackupPitr | S3Path::RestoreLatest => true,
            S3Path::Unaffected | S3Path::SwitchToReplica => false,
        },
        PathKind::Endpoint(p) => match p {
            EndpointPath::Unaffected
            | EndpointPath::DnsFailover
            | EndpointPath::PlanDns
            | EndpointPath::NoData => false,
        },
        PathKind::Aurora(p) => match p {
            AuroraPath::RestoreCopy | AuroraPath::BackupPitr | AuroraPath::RestoreSnapshot => true,
            AuroraPath::ReaderFailover | AuroraPath::NewWriter | AuroraPath::GlobalFailover => {
                false
            }
        },
        PathKind::Dynamodb(p) => match p {
            DynamodbPath::RestoreCopy | DynamodbPath::RestoreBackup => true,
            DynamodbPath::Unaffected | DynamodbPath::SwitchToReplica | DynamodbPath::Pitr => false,
        },
        PathKind::Efs(p) => match p {
            EfsPath::RestoreCopy | EfsPath::RestoreBackup => true,
            EfsPath::Unaffected | EfsPath::FailoverToReplica => false,
        },
        PathKind::IsolatedCopy => true,
    }
}

/// The resource type Backup Audit Manager scopes an asset by, and its name.
fn audited_resource(kind: &AssetKind) -> Option<(&'static str, &str)> {
    match kind {
        AssetKind::Rds(x) => Some(("RDS", &x.identifier)),
        AssetKind::Aurora(x) => Some(("Aurora", &x.cluster_identifier)),
        AssetKind::S3(x) => Some(("S3", &x.bucket)),
        AssetKind::Dynamodb(x) => Some(("DynamoDB", &x.table)),
        AssetKind::Efs(x) => Some(("EFS", &x.file_system_id)),
        AssetKind::Endpoint(_) => None,
    }
}

/// `recoveryPointAgeUnit` and `recoveryPointAgeValue` for an age: whole hours
/// (1-744), rounded up, else whole days (at most 31).
fn age_parameters(age: Dur) -> (&'static str, u64) {
    let hours = age.as_secs().div_ceil(3600).max(1);
    if hours <= 744 {
        ("hours", hours)
    } else {
        ("days", hours.div_ceil(24).min(31))
    }
}

/// `requiredFrequencyUnit` and `requiredFrequencyValue` for a backup interval:
/// whole hours (1-24), else whole days (at most 31).
fn frequency_parameters(interval: Dur) -> (&'static str, u64) {
    let hours = interval.as_secs().div_ceil(3600).max(1);
    if hours <= 24 {
        ("hours", hours)
    } else {
        ("days", hours.div_ceil(24).min(31))
    }
}

/// The framework of an inventory with a backup design, or why there is none.
pub fn design(
    inv: &Inventory,
    rec: &Recovery,
    backup: &BackupDesign,
    project: &str,
    plan_of: &[Option<String>],
) -> Result<Audit, String> {
    let p = &inv.params;
    let plans: Vec<PlanControls> = backup
        .plans
        .iter()
        .map(|plan| {
            let snapshot = plan
                .rules
                .iter()
                .find(|r| r.implements.kind == RuleKind::Snapshot)
                .expect("every plan has a snapshot rule");
            let (unit, value) = frequency_parameters(snapshot.implements.frequency);
            PlanControls {
                key: plan.key.clone(),
                name: plan.name.clone(),
                tier: plan.tier.clone(),
                frequency_unit: unit,
                frequency_value: value,
                retention_days: snapshot.delete_after_days,
                recovery_point_retention_days: plan
                    .rules
                    .iter()
                    .map(|r| r.delete_after_days)
                    .min()
                    .unwrap_or(snapshot.delete_after_days),
            }
        })
        .collect();

    // (control, resource type, parameters, target) -> (resources, assets), in
    // first-seen order (assets are sorted by id), then sorted.
    type Key = (
        Control,
        &'static str,
        Vec<(&'static str, String)>,
        Option<Dur>,
    );
    let mut groups: Vec<(Key, Vec<String>, Vec<String>)> = Vec::new();
    let mut add =
        |key: Key, resource: &str, asset: &str| match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => {
                g.1.push(resource.to_owned());
                g.2.push(asset.to_owned());
            }
            None => groups.push((key, vec![resource.to_owned()], vec![asset.to_owned()])),
        };
    for ((asset, r), plan) in inv.assets.iter().zip(&rec.assets).zip(plan_of) {
        let m = &r.mechanisms;
        let (Some(b), Some(plan)) = (m.backup, plan.as_deref().and_then(|k| backup.plan(k))) else {
            continue;
        };
        // The lock of the vault the asset's plan writes to.
        let lock = backup.primary_lock_of(plan);
        let Some((kind, resource)) = audited_resource(&asset.kind) else {
            continue;
        };
        let id = asset.id.as_str();
        add(
            (Control::ProtectedByBackupPlan, kind, Vec::new(), None),
            resource,
            id,
        );
        if m.cross_region_copy {
            add(
                (
                    Control::ProtectedByCrossRegion,
                    kind,
                    vec![("crossRegionList", inv.project.secondary_region.clone())],
                    None,
                ),
                resource,
                id,
            );
        }
        add(
            (
                Control::ProtectedByVaultLock,
                kind,
                vec![
                    ("minRetentionDays", lock.min_retention_days.to_string()),
                    ("maxRetentionDays", lock.max_retention_days.to_string()),
                ],
                None,
            ),
            resource,
            id,
        );
        // The objectives of the scenarios the model recovers from an AWS Backup
        // recovery point: the latest point may be no older than the RPO, and a
        // restore may take no longer than the RTO.
        let backed: Vec<_> = r
            .scenarios
            .iter()
            .filter(|s| {
                s.path
                    .as_ref()
                    .is_some_and(|x| restores_from_aws_backup(x.kind))
            })
            .collect();
        if let Some(rpo) = backed.iter().filter_map(|s| s.objective.rpo).min() {
            // With continuous backup the RPO is met between snapshots; the
            // snapshots still come every interval, each within the start window.
            let age = if b.continuous {
                rpo.max(b.snapshot_interval().saturating_add(p.backup_start_window))
            } else {
                rpo
            };
            let (unit, value) = age_parameters(age);
            add(
                (
                    Control::LastRecoveryPointCreated,
                    kind,
                    vec![
                        ("recoveryPointAgeUnit", unit.to_owned()),
                        ("recoveryPointAgeValue", value.to_string()),
                    ],
                    Some(age),
                ),
                resource,
                id,
            );
        }
        if let Some(rto) = backed.iter().filter_map(|s| s.objective.rto).min() {
            let minutes = rto.as_secs().div_ceil(60).max(1);
            add(
                (
                    Control::RestoreTime,
                    kind,
                    vec![("maxRestoreTime", minutes.to_string())],
                    Some(rto),
                ),
                resource,
                id,
            );
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut controls = Vec::new();
    for ((control, resource_type, parameters, target), resources, assets) in groups {
        for (res, ids) in resources
            .chunks(MAX_SCOPE_IDS)
            .zip(assets.chunks(MAX_SCOPE_IDS))
        {
            controls.push(ResourceControl {
                control,
                resource_type,
                resources: res.to_vec(),
                assets: ids.to_vec(),
                parameters: parameters.clone(),
                target,
            });
        }
    }
    let count = 2 * plans.len() + controls.len();
    if count > MAX_CONTROLS {
        return Err(format!(
            "the framework would need {count} controls and AWS Backup Audit Manager allows {MAX_CONTROLS} per account and Region"
        ));
    }
    let under = project.replace('-', "_");
    Ok(Audit {
        framework: format!("{under}_lifeboat"),
        report_bucket_prefix: format!("{project}-backup-reports"),
        report_plans: ReportPlans {
            backup_jobs: format!("{under}_backup_jobs"),
            restore_jobs: format!("{under}_restore_jobs"),
            control_compliance: format!("{under}_control_compliance"),
        },
        report_retention_days: REPORT_RETENTION_DAYS,
        plans,
        controls,
    })
}

/// Resilience Hub's tier for a lifeboat tier: the built-in tiers are named after
/// Resilience Hub's own (src/model/tiers.rs); any other tier is NotApplicable.
fn hub_tier(name: &str) -> &'static str {
    match name {
        "mission-critical" => "MissionCritical",
        "critical" => "Critical",
        "important" => "Important",
        "non-critical" => "NonCritical",
        _ => "NotApplicable",
    }
}

/// The policy of a tier, or why it has none: Resilience Hub needs an RPO and an
/// RTO for the Software, Hardware and AZ disruptions.
fn policy(tier: &Tier, project: &str, taken: &dyn Fn(&str) -> bool) -> Result<Policy, String> {
    let both = |s: Scenario| -> Result<Objectives, String> {
        let o = tier.objective(s);
        match (o.rpo, o.rto) {
            (Some(rpo), Some(rto)) => Ok(Objectives { rpo, rto }),
            _ => Err(format!(
                "Resilience Hub needs an RPO and an RTO for the {} disruption and the tier has no {} objective for the {} scenario",
                match s {
                    Scenario::Az => "Hardware and AZ",
                    Scenario::Corruption => "Software",
                    Scenario::Region => "Region",
                },
                if o.rpo.is_none() { "RPO" } else { "RTO" },
                s.as_str()
            )),
        }
    };
    let az = both(Scenario::Az)?;
    let software = both(Scenario::Corruption)?;
    let r = tier.objective(Scenario::Region);
    let region = (r.rpo.is_some() || r.rto.is_some()).then_some((r.rpo, r.rto));
    let mut description = format!("lifeboat tier {} of project {project}", tier.name);
    if description.len() > 500 {
        let cut = (0..=500)
            .rev()
            .find(|&i| description.is_char_boundary(i))
            .unwrap_or(0);
        description.truncate(cut);
    }
    Ok(Policy {
        tier: tier.name.clone(),
        name: policy_name(project, &tier.name, taken),
        hub_tier: hub_tier(&tier.name),
        description,
        software,
        hardware: az,
        az,
        region,
    })
}

/// One resiliency policy per tier an asset uses, in tier-name order.
pub fn resilience(inv: &Inventory, project: &str) -> Resilience {
    let mut used: Vec<&str> = inv.assets.iter().map(|a| a.tier.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    let mut out = Resilience::default();
    for name in used {
        let tier = &inv.tiers[name];
        let taken = |n: &str| out.policies.iter().any(|p| p.name == n);
        match policy(tier, project, &taken) {
            Ok(p) => out.policies.push(p),
            Err(why) => out.omitted.push((name.to_owned(), why)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_stay_within_aws_ranges() {
        assert_eq!(age_parameters(Dur::mins(15)), ("hours", 1));
        assert_eq!(age_parameters(Dur::hours(4)), ("hours", 4));
        assert_eq!(age_parameters(Dur::mins(61)), ("hours", 2));
        assert_eq!(age_parameters(Dur::days(31)), ("hours", 744));
        assert_eq!(age_parameters(Dur::days(40)), ("days", 31));
        assert_eq!(frequency_parameters(Dur::hours(24)), ("hours", 24));
        assert_eq!(frequency_parameters(Dur::days(2)), ("days", 2));
        assert_eq!(frequency_parameters(Dur::days(90)), ("days", 31));
    }
}
