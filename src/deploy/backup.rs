//! The AWS Backup design of an inventory: vaults, locks, plans and their rules,
//! selections and restore testing. Built from the mechanisms the recovery model
//! chose ([`Backup::rules`], the same rules the estimates price) and from the
//! model's parameters, read here and nowhere else.

use std::collections::HashMap;

use serde::Serialize;

use super::names::{backup_name, plan_key};
use crate::check::Recovery;
use crate::check::estimate::backup_duration;
use crate::check::mechanisms::{Backup, BackupRule, RuleKind};
use crate::model::{AssetKind, Dur, Inventory};

/// AWS Backup restore testing takes at most 30 resources of one type per selection.
pub const MAX_PER_SELECTION: usize = 30;

/// The tag that puts a resource in a plan's twin in the secondary Region: the
/// runbook's failover steps put `lifeboat:dr-backup-plan = <plan key>` on what
/// they create there (modules/backup/secondary.tf selects by it).
pub const DR_TAG_KEY: &str = "lifeboat:dr-backup-plan";

/// When restore testing runs: one weekday and hour (UTC), written both as the
/// plan's cron expression and in the runbook's prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RestoreTesting {
    /// Three-letter day of the week, as AWS cron expressions write it.
    pub weekday: &'static str,
    pub hour: u32,
    /// How old the latest recovery point may be for a test to use it.
    pub selection_window_days: u32,
    /// How long a restored resource is kept for validation before it is deleted.
    pub validation_window_hours: u32,
}

/// Every plan's restore testing: Monday 06:00 UTC, after the nightly snapshots.
pub const RESTORE_TESTING: RestoreTesting = RestoreTesting {
    weekday: "MON",
    hour: 6,
    selection_window_days: 7,
    validation_window_hours: 4,
};

impl RestoreTesting {
    pub fn cron(&self) -> String {
        format!("cron(0 {} ? * {} *)", self.hour, self.weekday)
    }

    /// The schedule in words, e.g. `every Monday at 06:00 UTC`.
    pub fn describe(&self) -> String {
        let day = match self.weekday {
            "MON" => "Monday",
            "TUE" => "Tuesday",
            "WED" => "Wednesday",
            "THU" => "Thursday",
            "FRI" => "Friday",
            "SAT" => "Saturday",
            _ => "Sunday",
        };
        format!("every {day} at {:02}:00 UTC", self.hour)
    }
}

/// The grace period of a compliance-mode lock: AWS's minimum of 3 days (72 hours,
/// AWS Backup Developer Guide, "AWS Backup Vault Lock"), the time to undo a mistake
/// before the lock is permanent.
pub const COMPLIANCE_GRACE_DAYS: u32 = 3;

/// Hour (UTC) at which daily and longer schedules run.
const DAILY_HOUR: u64 = 5;

/// The AWS Backup cron expression that runs every `freq` (at most hourly; daily
/// and longer at 05:00 UTC, every N days on a day-of-month step).
pub fn cron_for(freq: Dur) -> String {
    let h = freq.as_secs() / 3600;
    match h {
        0 | 1 => "cron(0 * ? * * *)".to_owned(),
        2..=23 => format!("cron(0 */{h} ? * * *)"),
        _ => match h / 24 {
            1 => format!("cron(0 {DAILY_HOUR} ? * * *)"),
            d => format!("cron(0 {DAILY_HOUR} */{d} * ? *)"),
        },
    }
}

/// The schedule of a rule that runs every `freq`, shifted by half its interval
/// from [`cron_for`]'s: minute 30 of every hour for hourly rules, hour h/2 of
/// every h hours, 17:00 UTC for daily and longer. The continuous rule runs on it,
/// so that its job and the snapshot rule's do not start together (AWS Backup runs
/// one job per resource at a time; the other waits and may expire).
pub fn staggered_cron_for(freq: Dur) -> String {
    let h = freq.as_secs() / 3600;
    match h {
        0 | 1 => "cron(30 * ? * * *)".to_owned(),
        2..=23 => format!("cron(0 {}/{h} ? * * *)", h / 2),
        _ => {
            let hour = (DAILY_HOUR + 12) % 24;
            match h / 24 {
                1 => format!("cron(0 {hour} ? * * *)"),
                d => format!("cron(0 {hour} */{d} * ? *)"),
            }
        }
    }
}

/// The completion window of a rule, in minutes: the longest full backup of the
/// plan's resources (rounded up to whole hours), and at least the interval (at
/// most 7 days), 2 hours, and 60 minutes beyond the start window (AWS Backup's
/// minimum).
pub fn completion_minutes(frequency: Dur, start_minutes: u64, full_backup: Dur) -> u64 {
    let full = full_backup.as_secs().div_ceil(3600) * 60;
    (frequency.as_secs() / 60)
        .clamp(120, 10_080)
        .max(start_minutes + 60)
        .max(full)
}

/// The shortest retention a logically air-gapped vault accepts (AWS Backup API,
/// CreateLogicallyAirGappedBackupVault: MinRetentionDays, minimum 7).
pub const ISOLATED_MIN_RETENTION_DAYS: u64 = 7;

/// Whole days, rounded up, at least one: how AWS Backup lifecycles count.
pub fn days(d: Dur) -> u64 {
    d.days_ceil().max(1)
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupDesign {
    /// Prefix of every name the backup module creates.
    pub name: String,
    pub vaults: Vaults,
    /// IAM role AWS Backup assumes for backup, copy and restore jobs.
    pub role: String,
    /// The lock of [`Self::vaults`]: compliance mode when the project says every
    /// vault is immutable, governance mode otherwise.
    pub lock: Lock,
    /// The vaults locked in compliance mode for the plans of immutable tiers
    /// ([`Plan::immutable_vaults`]); `None` when no plan writes there.
    pub immutable: Option<ImmutableVaults>,
    /// Keyed by plan key, sorted by tier and backup profile.
    pub plans: Vec<Plan>,
    /// Every plan has a twin in the secondary Region, with the same rules and no
    /// copies, for what recovery creates there (selected by [`DR_TAG_KEY`]), and
    /// restore testing of the secondary vault.
    pub secondary_plans: bool,
    /// The logically air-gapped vault of the `isolated_copy` tiers; `None`: no
    /// tier asks for one.
    pub isolated: Option<IsolatedVault>,
}

/// A logically air-gapped vault in the primary Region (modules/isolated-vault):
/// compliance-locked by AWS, its recovery points held in an AWS-owned account.
#[derive(Debug, Clone, Serialize)]
pub struct IsolatedVault {
    pub name: String,
    pub region: String,
    /// The vault's own retention range: every isolated copy's retention lies in it.
    pub lock: LockRange,
    /// The account the vault is shared with through AWS RAM (`recovery_account_id`).
    pub recovery_account_id: Option<String>,
    /// The AWS RAM resource share's name, when shared.
    pub share_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vaults {
    pub primary: String,
    pub secondary: String,
    /// KMS key aliases of the two vaults.
    pub primary_key_alias: String,
    pub secondary_key_alias: String,
}

/// The second vault pair, `<name>-immutable-primary` / `-secondary`, locked in
/// compliance mode whatever [`BackupDesign::lock`] says.
#[derive(Debug, Clone, Serialize)]
pub struct ImmutableVaults {
    pub vaults: Vaults,
    /// The grace period after which the locks can no longer be changed or removed.
    pub changeable_for_days: u32,
    pub primary: LockRange,
    pub secondary: LockRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LockMode {
    Governance,
    Compliance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lock {
    pub mode: LockMode,
    /// Compliance mode: the grace period after which the lock is immutable.
    pub changeable_for_days: Option<u32>,
    pub primary: LockRange,
    pub secondary: LockRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LockRange {
    pub min_retention_days: u64,
    pub max_retention_days: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub key: String,
    /// The AWS Backup plan's name: `<name>-<key>`.
    pub name: String,
    pub tier: String,
    /// The longest estimated full backup of the plan's resources
    /// ([`crate::check::estimate::backup_duration`]): what the completion windows hold.
    pub full_backup: Dur,
    pub rules: Vec<Rule>,
    /// The plan writes to (and copies into) [`BackupDesign::immutable`]'s vaults.
    pub immutable_vaults: bool,
    /// What the plan selects, by kind: each list is what AWS Backup's selection
    /// and restore testing take for that resource type.
    pub rds_instances: Vec<String>,
    pub s3_buckets: Vec<String>,
    pub aurora_clusters: Vec<String>,
    pub dynamodb_tables: Vec<String>,
    pub efs_file_systems: Vec<String>,
    /// The restore testing plan's name (letters, digits and underscores).
    pub restore_testing_name: String,
    pub restore_testing: RestoreTesting,
}

/// One rule as the backup module takes it.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub name: &'static str,
    /// The model's rule this implements.
    pub implements: BackupRule,
    pub schedule: String,
    pub start_window_minutes: u64,
    pub completion_window_minutes: u64,
    pub delete_after_days: u64,
    pub cold_storage_after_days: Option<u64>,
    /// Retention of the copy in the secondary vault; `None`: no copy.
    pub copy_delete_after_days: Option<u64>,
    /// Retention of the copy in the logically air-gapped vault (at least its
    /// 7-day minimum); `None`: no isolated copy.
    pub isolated_copy_delete_after_days: Option<u64>,
}

impl BackupDesign {
    /// The vaults a plan writes to (primary Region) and copies into (secondary).
    pub fn vaults_of(&self, plan: &Plan) -> &Vaults {
        match (&self.immutable, plan.immutable_vaults) {
            (Some(i), true) => &i.vaults,
            _ => &self.vaults,
        }
    }

    /// The plan of this key.
    pub fn plan(&self, key: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.key == key)
    }

    /// Every vault the backup module creates: its key in the module's `vaults`
    /// map, its name, and whether it is in the primary Region (else the secondary).
    pub fn all_vaults(&self) -> Vec<(&'static str, &str, bool)> {
        let mut v = vec![
            ("primary", self.vaults.primary.as_str(), true),
            ("secondary", self.vaults.secondary.as_str(), false),
        ];
        if let Some(i) = &self.immutable {
            v.extend([
                ("immutable-primary", i.vaults.primary.as_str(), true),
                ("immutable-secondary", i.vaults.secondary.as_str(), false),
            ]);
        }
        v
    }

    /// The lock range of the primary-Region vault a plan writes to.
    pub fn primary_lock_of(&self, plan: &Plan) -> LockRange {
        match (&self.immutable, plan.immutable_vaults) {
            (Some(i), true) => i.primary,
            _ => self.lock.primary,
        }
    }
}

impl Plan {
    fn lists(&self) -> [&Vec<String>; 5] {
        [
            &self.rds_instances,
            &self.s3_buckets,
            &self.aurora_clusters,
            &self.dynamodb_tables,
            &self.efs_file_systems,
        ]
    }

    /// Whether the plan selects the asset with this AWS Backup resource name.
    pub fn protects(&self, resource: &str) -> bool {
        self.lists().iter().any(|l| l.iter().any(|r| r == resource))
    }
}

/// The name AWS Backup selects an asset by, and the list of a plan it goes in.
fn backup_resource(kind: &AssetKind) -> Option<(usize, &str)> {
    match kind {
        AssetKind::Rds(x) => Some((0, &x.identifier)),
        AssetKind::S3(x) => Some((1, &x.bucket)),
        AssetKind::Aurora(x) => Some((2, &x.cluster_identifier)),
        AssetKind::Dynamodb(x) => Some((3, &x.table)),
        AssetKind::Efs(x) => Some((4, &x.file_system_id)),
        AssetKind::Endpoint(_) => None,
    }
}

/// Plans are grouped by tier and backup profile (what the rules are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Profile {
    frequency: Dur,
    continuous: bool,
    copy: bool,
    isolated: bool,
}

/// The backup design, `None` when no asset uses AWS Backup. Also returns, per
/// asset, the key of the plan that selects it.
pub fn design(
    inv: &Inventory,
    rec: &Recovery,
    project: &str,
) -> (Option<BackupDesign>, Vec<Option<String>>) {
    let p = &inv.params;
    // (tier, profile) -> (resource names per kind, asset indices), in first-seen
    // order, then sorted.
    type Group = ((String, Profile), [Vec<String>; 5], Vec<usize>);
    let mut groups: Vec<Group> = Vec::new();
    for (i, (asset, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let m = &r.mechanisms;
        let Some(b) = m.backup else { continue };
        let key = (
            asset.tier.clone(),
            Profile {
                frequency: b.frequency,
                continuous: b.continuous,
                copy: m.cross_region_copy,
                isolated: m.isolated_copy,
            },
        );
        let g = match groups.iter().position(|g| g.0 == key) {
            Some(g) => g,
            None => {
                groups.push((key, Default::default(), Vec::new()));
                groups.len() - 1
            }
        };
        if let Some((list, name)) = backup_resource(&asset.kind) {
            groups[g].1[list].push(name.to_owned());
        }
        groups[g].2.push(i);
    }
    let mut plan_of = vec![None; inv.assets.len()];
    if groups.is_empty() {
        return (None, plan_of);
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let name = backup_name(project);
    let start = p.backup_start_window.as_secs().div_ceil(60);
    let mut plans: Vec<Plan> = Vec::new();
    // Retentions written to each vault, [standard, immutable].
    let mut primary_days: [Vec<u64>; 2] = Default::default();
    let mut secondary_days: [Vec<u64>; 2] = Default::default();
    // `immutable_backups = true` on the project locks the one pair in compliance
    // mode; otherwise immutable tiers get a pair of their own.
    let all_immutable = inv.project.immutable_backups == Some(true);
    let mut isolated_days: Vec<u64> = Vec::new();
    for ((tier, profile), lists, members) in groups {
        let retention = inv.tiers[&tier].retention;
        let immutable_vaults = !all_immutable && inv.tiers[&tier].immutable_backups;
        let pair = usize::from(immutable_vaults);
        let backup = Backup {
            frequency: profile.frequency,
            continuous: profile.continuous,
        };
        let full_backup = members
            .iter()
            .map(|&i| backup_duration(&inv.assets[i], p))
            .max()
            .unwrap_or(Dur::ZERO);
        let rules: Vec<Rule> = backup
            .rules(profile.copy, profile.isolated, retention)
            .into_iter()
            .map(|r| {
                let completion = completion_minutes(r.frequency, start, full_backup);
                Rule {
                    name: match r.kind {
                        RuleKind::Continuous => "continuous",
                        RuleKind::Snapshot if profile.continuous => "snapshots",
                        RuleKind::Snapshot => "scheduled",
                    },
                    implements: r,
                    // The continuous rule is staggered against the snapshot rule.
                    schedule: match r.kind {
                        RuleKind::Continuous => staggered_cron_for(r.frequency),
                        RuleKind::Snapshot => cron_for(r.frequency),
                    },
                    start_window_minutes: start,
                    completion_window_minutes: completion,
                    delete_after_days: days(r.retention),
                    cold_storage_after_days: None,
                    copy_delete_after_days: r.copy.then(|| days(r.retention)),
                    isolated_copy_delete_after_days: r
                        .isolated
                        .then(|| days(r.retention).max(ISOLATED_MIN_RETENTION_DAYS)),
                }
            })
            .collect();
        for r in &rules {
            primary_days[pair].push(r.delete_after_days);
            secondary_days[pair].extend(r.copy_delete_after_days);
            // The plan's twin in the secondary Region keeps the rule's own retention there.
            secondary_days[pair].push(r.delete_after_days);
            isolated_days.extend(r.isolated_copy_delete_after_days);
        }
        // `-iso`: the rules also copy into the logically air-gapped vault, which
        // keeps a tier's isolated plan apart from its plan of kinds that get no
        // isolated copy (W305).
        let profile_name = format!(
            "{}{}{}{}",
            if profile.continuous { "pitr-" } else { "" },
            profile.frequency,
            if profile.copy { "-copy" } else { "" },
            if profile.isolated { "-iso" } else { "" }
        );
        // Restore testing takes at most 30 resources of a type per selection, so
        // large plans are split into numbered chunks.
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        let chunks = longest.div_ceil(MAX_PER_SELECTION).max(1);
        // The last chunk whose selections name each resource: that plan is the
        // asset's (asking every chunk about every member was quadratic).
        let mut last_chunk: HashMap<&str, usize> = HashMap::new();
        for list in &lists {
            for (j, r) in list.iter().enumerate() {
                let c = j / MAX_PER_SELECTION;
                let e = last_chunk.entry(r.as_str()).or_insert(c);
                *e = (*e).max(c);
            }
        }
        let mut chunk_keys: Vec<String> = Vec::with_capacity(chunks);
        for c in 0..chunks {
            let part = |v: &Vec<String>| -> Vec<String> {
                v.iter()
                    .skip(c * MAX_PER_SELECTION)
                    .take(MAX_PER_SELECTION)
                    .cloned()
                    .collect()
            };
            let chunk = if chunks == 1 {
                String::new()
            } else {
                format!("-{}", c + 1)
            };
            let key = plan_key(&tier, &profile_name, &chunk, &|k| {
                plans.iter().any(|p| p.key == k)
            });
            let plan = Plan {
                name: format!("{name}-{key}"),
                restore_testing_name: format!("{name}_{key}").replace('-', "_"),
                key,
                tier: tier.clone(),
                full_backup,
                rules: rules.clone(),
                immutable_vaults,
                rds_instances: part(&lists[0]),
                s3_buckets: part(&lists[1]),
                aurora_clusters: part(&lists[2]),
                dynamodb_tables: part(&lists[3]),
                efs_file_systems: part(&lists[4]),
                restore_testing: RESTORE_TESTING,
            };
            chunk_keys.push(plan.key.clone());
            plans.push(plan);
        }
        for &i in &members {
            let Some((_, resource)) = backup_resource(&inv.assets[i].kind) else {
                continue;
            };
            if let Some(&c) = last_chunk.get(resource) {
                plan_of[i] = Some(chunk_keys[c].clone());
            }
        }
    }
    let range = |days: &[u64]| -> LockRange {
        // The lock range must hold every rule's retention (AWS fails jobs outside it).
        // The minimum is rounded down to a step and the maximum left at AWS's
        // limit, so ordinary tier changes do not force replacing the lock.
        let min = days.iter().copied().min().unwrap_or(1);
        let floor = [30, 14, 7, 1].into_iter().find(|s| *s <= min).unwrap_or(1);
        LockRange {
            min_retention_days: floor,
            max_retention_days: 36_500,
        }
    };
    // The vault pair `<name>-<prefix>primary` / `-secondary`; the module names the
    // KMS aliases after its vault keys the same way.
    let vaults = |prefix: &str| Vaults {
        primary: format!("{name}-{prefix}primary"),
        secondary: format!("{name}-{prefix}secondary"),
        primary_key_alias: format!("alias/{name}-backup-{prefix}primary"),
        secondary_key_alias: format!("alias/{name}-backup-{prefix}secondary"),
    };
    let immutable = plans
        .iter()
        .any(|p| p.immutable_vaults)
        .then(|| ImmutableVaults {
            vaults: vaults("immutable-"),
            changeable_for_days: COMPLIANCE_GRACE_DAYS,
            primary: range(&primary_days[1]),
            secondary: range(&secondary_days[1]),
        });
    let design = BackupDesign {
        vaults: vaults(""),
        role: format!("{name}-aws-backup"),
        lock: Lock {
            mode: if all_immutable {
                LockMode::Compliance
            } else {
                LockMode::Governance
            },
            changeable_for_days: all_immutable.then_some(COMPLIANCE_GRACE_DAYS),
            primary: range(&primary_days[0]),
            secondary: range(&secondary_days[0]),
        },
        immutable,
        isolated: (!isolated_days.is_empty()).then(|| IsolatedVault {
            name: format!("{name}-isolated"),
            region: inv.project.primary_region.clone(),
            // Every copy keeps at least the vault's minimum; the maximum is AWS's
            // limit, as for the other vaults, so tier changes do not replace it.
            lock: LockRange {
                min_retention_days: ISOLATED_MIN_RETENTION_DAYS,
                max_retention_days: 36_500,
            },
            recovery_account_id: inv.project.recovery_account_id.clone(),
            share_name: inv
                .project
                .recovery_account_id
                .as_ref()
                .map(|_| format!("{name}-isolated-vault")),
        }),
        name,
        plans,
        secondary_plans: true,
    };
    (Some(design), plan_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert_eq!(cron_for(Dur::hours(1)), "cron(0 * ? * * *)");
        assert_eq!(cron_for(Dur::hours(6)), "cron(0 */6 ? * * *)");
        assert_eq!(cron_for(Dur::hours(24)), "cron(0 5 ? * * *)");
        assert_eq!(cron_for(Dur::days(2)), "cron(0 5 */2 * ? *)");
        assert_eq!(staggered_cron_for(Dur::hours(1)), "cron(30 * ? * * *)");
        assert_eq!(staggered_cron_for(Dur::hours(6)), "cron(0 3/6 ? * * *)");
        assert_eq!(staggered_cron_for(Dur::hours(24)), "cron(0 17 ? * * *)");
        assert_eq!(staggered_cron_for(Dur::days(2)), "cron(0 17 */2 * ? *)");
        assert_eq!(RESTORE_TESTING.cron(), "cron(0 6 ? * MON *)");
        assert_eq!(RESTORE_TESTING.describe(), "every Monday at 06:00 UTC");
    }

    #[test]
    fn completion_windows_hold_the_full_backup() {
        // Small resources: the interval, at least 2 h and start + 60 min.
        assert_eq!(completion_minutes(Dur::hours(1), 60, Dur::mins(5)), 120);
        assert_eq!(completion_minutes(Dur::hours(24), 60, Dur::mins(5)), 1440);
        assert_eq!(completion_minutes(Dur::hours(1), 180, Dur::ZERO), 240);
        assert_eq!(completion_minutes(Dur::days(30), 60, Dur::ZERO), 10_080);
        // A full backup longer than all of those, rounded up to whole hours.
        assert_eq!(
            completion_minutes(Dur::hours(1), 60, Dur::secs(3 * 3600 + 1)),
            240
        );
        assert_eq!(
            completion_minutes(Dur::hours(24), 60, Dur::hours(100)),
            6000
        );
        assert_eq!(completion_minutes(Dur::days(30), 60, Dur::days(9)), 12_960);
    }
}
