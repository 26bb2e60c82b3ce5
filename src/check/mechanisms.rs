//! Recovery mechanisms: which ones an asset can have, what each costs, and what
//! it can recover (the paths of [`super::estimate`]).

use serde::Serialize;

use crate::model::{Asset, AssetKind, Dur};

/// AWS Backup for one asset: a schedule, optionally with continuous backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Backup {
    /// Interval of scheduled backups (and of copies to the secondary Region).
    pub frequency: Dur,
    /// Continuous backup (point-in-time recovery, in-Region only).
    pub continuous: bool,
}

/// What a rule of an AWS Backup plan produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Continuous backup: point-in-time recovery within its window, in the Region
    /// only. Its schedule is for maintenance and syncing, it takes no snapshots
    /// (AWS Backup Developer Guide, point-in-time-recovery-retention-period).
    Continuous,
    /// Periodic snapshots, one every `frequency`: what restores and cross-Region
    /// copies of recovery points are made of.
    Snapshot,
}

/// One rule of the backup plan that implements a [`Backup`]: the single
/// description that both the estimates (which recovery points exist, how often,
/// which are copied) and the deployment (which rules are written) read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct BackupRule {
    pub kind: RuleKind,
    /// How often it runs.
    pub frequency: Dur,
    /// How long its recovery points are kept.
    pub retention: Dur,
    /// Whether its recovery points are copied to the secondary Region.
    pub copy: bool,
    /// Whether its recovery points are copied into the logically air-gapped vault
    /// (`isolated_copy`; the snapshot rule only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub isolated: bool,
}

/// The longest AWS Backup keeps continuous backups (AWS Backup Developer Guide,
/// point-in-time recovery: retention 1-35 days).
pub const CONTINUOUS_MAX_RETENTION: Dur = Dur::days(35);

impl Backup {
    /// How often a snapshot recovery point is taken (and, with a cross-Region
    /// copy, copied): what the estimates' backup intervals are.
    pub fn snapshot_interval(self) -> Dur {
        self.frequency
    }

    /// The snapshot rule every backup has: one recovery point per `frequency`,
    /// kept for the tier's retention, copied to the secondary Region with `copy`.
    /// A continuous rule takes no snapshots, so it never stands alone: AWS
    /// recommends a continuous and a snapshot rule together.
    pub fn snapshot_rule(self, copy: bool, isolated: bool, retention: Dur) -> BackupRule {
        BackupRule {
            kind: RuleKind::Snapshot,
            frequency: self.snapshot_interval(),
            retention,
            copy,
            isolated,
        }
    }

    /// Every rule of the plan, continuous first. Continuous backups are kept at
    /// most 35 days and never copied (a copy of one is a snapshot without PITR,
    /// which the snapshot rule already provides). The snapshot rule's recovery
    /// points are also copied into the logically air-gapped vault with `isolated`
    /// (the isolated path's RPO is its interval).
    pub fn rules(self, copy: bool, isolated: bool, retention: Dur) -> Vec<BackupRule> {
        let mut v = Vec::with_capacity(2);
        if self.continuous {
            v.push(BackupRule {
                kind: RuleKind::Continuous,
                frequency: self.frequency,
                retention: retention.min(CONTINUOUS_MAX_RETENTION),
                copy: false,
                isolated: false,
            });
        }
        v.push(self.snapshot_rule(copy, isolated, retention));
        v
    }
}

/// The set of mechanisms one asset gets. Fields that do not apply to the asset's
/// kind stay off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Mechanisms {
    /// AWS Backup (rds, s3).
    pub backup: Option<Backup>,
    /// AWS Backup `copy_action` to the secondary Region's vault.
    pub cross_region_copy: bool,
    /// RDS cross-Region read replica.
    pub read_replica: bool,
    /// RDS cross-Region automated backup replication.
    pub backup_replication: bool,
    /// S3 Cross-Region Replication.
    pub replication: bool,
    /// S3 Replication Time Control.
    pub replication_time_control: bool,
    /// S3 delete-marker replication.
    pub replicate_deletes: bool,
    /// Route 53 health checks and failover records (endpoints).
    pub dns_failover: bool,
    /// Aurora Global Database: a secondary cluster in the secondary Region.
    pub global_database: bool,
    /// DynamoDB global table replica in the secondary Region.
    pub global_table: bool,
    /// DynamoDB point-in-time recovery (the table's own continuous backups).
    pub pitr: bool,
    /// EFS replication to the secondary Region.
    pub efs_replication: bool,
    /// AWS Backup `copy_action` into the logically air-gapped vault: the tier's
    /// `isolated_copy`, on every set with a backup (never chosen, never dropped).
    pub isolated_copy: bool,
}

/// Scheduled backup intervals lifeboat considers (AWS Backup runs at most hourly).
pub const FREQUENCIES: [Dur; 6] = [
    Dur::hours(1),
    Dur::hours(2),
    Dur::hours(4),
    Dur::hours(6),
    Dur::hours(12),
    Dur::hours(24),
];

impl Mechanisms {
    /// Relative monthly cost, used only to order choices (docs/recovery-model.md,
    /// "Cost order"): a standby instance costs most, a second full copy of the data
    /// next, recovery points least.
    pub fn cost(&self) -> u32 {
        let mut c = 0;
        if let Some(b) = self.backup {
            let per_day = (86_400 / b.frequency.as_secs().max(3600)) as u32;
            c += 20 + per_day;
            if b.continuous {
                c += 10;
            }
            if self.cross_region_copy {
                c += 30 + per_day;
            }
            if self.isolated_copy {
                c += 30 + per_day;
            }
        }
        if self.backup_replication {
            c += 30;
        }
        if self.read_replica {
            c += 100;
        }
        if self.replication {
            c += 60;
        }
        if self.replication_time_control {
            c += 10;
        }
        // A standby cluster with instances, like a replica.
        if self.global_database {
            c += 100;
        }
        // A second full copy of the data, billed per replicated write.
        if self.global_table || self.efs_replication {
            c += 60;
        }
        if self.pitr {
            c += 10;
        }
        c
    }

    /// Names of the mechanisms that are on, for reports.
    pub fn names(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.dns_failover {
            v.push("route53-failover".to_owned());
        }
        if self.global_database {
            v.push("aurora-global-database".to_owned());
        }
        if self.global_table {
            v.push("dynamodb-global-table".to_owned());
        }
        if self.pitr {
            v.push("dynamodb-pitr".to_owned());
        }
        if self.efs_replication {
            v.push("efs-replication".to_owned());
        }
        if self.read_replica {
            v.push("rds-cross-region-read-replica".to_owned());
        }
        if self.backup_replication {
            v.push("rds-automated-backup-replication".to_owned());
        }
        if self.replication {
            v.push(if self.replication_time_control {
                "s3-crr-rtc".to_owned()
            } else {
                "s3-crr".to_owned()
            });
        }
        if let Some(b) = self.backup {
            if b.continuous {
                v.push("aws-backup-continuous".to_owned());
            }
            v.push(format!("aws-backup-every-{}", b.frequency));
            if self.cross_region_copy {
                v.push("aws-backup-cross-region-copy".to_owned());
            }
            if self.isolated_copy {
                v.push("aws-backup-isolated-copy".to_owned());
            }
        }
        v
    }
}

/// DynamoDB keeps point-in-time recovery at most 35 days (DynamoDB Developer Guide,
/// point-in-time recovery: recovery period 1-35 days).
pub const PITR_MAX_RETENTION: Dur = Dur::days(35);

/// Every mechanism set the asset may get: the `dr { }` pins fixed, everything else
/// open. `ignore_pins` lists every set AWS allows (used for hints). `retention` is
/// the tier's: a DynamoDB table kept longer than PITR's 35 days needs AWS Backup.
pub fn candidates(asset: &Asset, retention: Dur, ignore_pins: bool) -> Vec<Mechanisms> {
    let mut out = kind_candidates(asset, retention, ignore_pins);
    // The tier's `isolated_copy` copies every recovery point AWS Backup takes of
    // its assets: it comes with the backup, it is not a choice.
    if asset.isolated_copy {
        for m in &mut out {
            m.isolated_copy = m.backup.is_some();
        }
    }
    out
}

fn kind_candidates(asset: &Asset, retention: Dur, ignore_pins: bool) -> Vec<Mechanisms> {
    let pick = |pin: Option<bool>| -> Vec<bool> {
        match pin {
            Some(v) if !ignore_pins => vec![v],
            _ => vec![false, true],
        }
    };
    let backups = |continuous: Option<bool>, frequency: Option<Dur>| -> Vec<Option<Backup>> {
        let (continuous, frequency) = if ignore_pins {
            (None, None)
        } else {
            (continuous, frequency)
        };
        let freqs: Vec<Dur> = frequency.map_or_else(|| FREQUENCIES.to_vec(), |f| vec![f]);
        let mut out = Vec::new();
        if continuous != Some(true) && frequency.is_none() {
            out.push(None);
        }
        for c in match continuous {
            Some(c) => vec![c],
            None => vec![false, true],
        } {
            for f in &freqs {
                out.push(Some(Backup {
                    frequency: *f,
                    continuous: c,
                }));
            }
        }
        out
    };
    let mut out = Vec::new();
    match &asset.kind {
        AssetKind::Rds(r) => {
            let replica_ok = r.engine.allows_cross_region_replica();
            let pinned_replica = if r.dr.replica_instance_class.is_some() && !ignore_pins {
                Some(true)
            } else {
                r.dr.read_replica
            };
            for read_replica in pick(pinned_replica) {
                if read_replica && !replica_ok {
                    continue;
                }
                // `cross_region_copy = false` rules out every cross-Region copy of
                // backups, RDS backup replication included, unless it is asked for.
                let replication_pin = match (r.dr.backup_replication, r.dr.cross_region_copy) {
                    (None, Some(false)) => Some(false),
                    (pin, _) => pin,
                };
                for backup_replication in pick(replication_pin) {
                    for backup in backups(r.dr.continuous_backup, r.dr.backup_frequency) {
                        for copy in pick(r.dr.cross_region_copy) {
                            if copy && backup.is_none() {
                                continue;
                            }
                            out.push(Mechanisms {
                                backup,
                                cross_region_copy: copy,
                                read_replica,
                                backup_replication,
                                ..Default::default()
                            });
                        }
                    }
                }
            }
        }
        AssetKind::S3(s) => {
            let replication_pin = match (
                s.dr.replication,
                s.dr.replication_time_control,
                &s.dr.destination_bucket,
            ) {
                (None, Some(true), _) | (None, _, Some(_)) => Some(true),
                (pin, _, _) => pin,
            };
            for replication in pick(replication_pin) {
                let rtcs = if replication {
                    pick(s.dr.replication_time_control)
                } else {
                    vec![false]
                };
                for rtc in rtcs {
                    for backup in backups(s.dr.continuous_backup, s.dr.backup_frequency) {
                        for copy in pick(s.dr.cross_region_copy) {
                            if copy && backup.is_none() {
                                continue;
                            }
                            out.push(Mechanisms {
                                backup,
                                cross_region_copy: copy,
                                replication,
                                replication_time_control: rtc,
                                replicate_deletes: replication
                                    && s.dr.replicate_deletes.unwrap_or(false),
                                ..Default::default()
                            });
                        }
                    }
                }
            }
        }
        AssetKind::Endpoint(_) => out.push(Mechanisms {
            dns_failover: true,
            ..Default::default()
        }),
        AssetKind::Aurora(a) => {
            for global_database in pick(a.dr.global_database) {
                for backup in backups(a.dr.continuous_backup, a.dr.backup_frequency) {
                    for copy in pick(a.dr.cross_region_copy) {
                        if copy && backup.is_none() {
                            continue;
                        }
                        out.push(Mechanisms {
                            backup,
                            cross_region_copy: copy,
                            global_database,
                            ..Default::default()
                        });
                    }
                }
            }
        }
        AssetKind::Dynamodb(d) => {
            // AWS Backup takes no continuous backups of DynamoDB: PITR is the table's own.
            let long = retention > PITR_MAX_RETENTION;
            for global_table in pick(d.dr.global_table) {
                for pitr in pick(d.dr.pitr) {
                    for backup in backups(Some(false), d.dr.backup_frequency) {
                        if long && backup.is_none() {
                            continue;
                        }
                        for copy in pick(d.dr.cross_region_copy) {
                            if copy && backup.is_none() {
                                continue;
                            }
                            out.push(Mechanisms {
                                backup,
                                cross_region_copy: copy,
                                global_table,
                                pitr,
                                ..Default::default()
                            });
                        }
                    }
                }
            }
        }
        AssetKind::Efs(e) => {
            // AWS Backup takes no continuous backups of EFS.
            for efs_replication in pick(e.dr.replication) {
                for backup in backups(Some(false), e.dr.backup_frequency) {
                    for copy in pick(e.dr.cross_region_copy) {
                        if copy && backup.is_none() {
                            continue;
                        }
                        out.push(Mechanisms {
                            backup,
                            cross_region_copy: copy,
                            efs_replication,
                            ..Default::default()
                        });
                    }
                }
            }
        }
    }
    out
}

impl Mechanisms {
    /// Only the mechanisms that can change an estimate in scenario `s` (so
    /// estimates can be shared between candidates that differ elsewhere):
    /// nothing for an AZ loss, replicas and copies for a Region loss, backups for
    /// corruption.
    pub fn relevant_to(&self, s: crate::model::Scenario) -> Mechanisms {
        use crate::model::Scenario;
        match s {
            Scenario::Az => Mechanisms::default(),
            Scenario::Region => Mechanisms {
                global_database: self.global_database,
                global_table: self.global_table,
                efs_replication: self.efs_replication,
                read_replica: self.read_replica,
                backup_replication: self.backup_replication,
                replication: self.replication,
                replication_time_control: self.replication_time_control,
                cross_region_copy: self.cross_region_copy,
                backup: if self.cross_region_copy {
                    self.backup.map(|b| Backup {
                        continuous: false,
                        ..b
                    })
                } else {
                    None
                },
                ..Default::default()
            },
            Scenario::Corruption => Mechanisms {
                backup: self.backup,
                pitr: self.pitr,
                isolated_copy: self.isolated_copy,
                ..Default::default()
            },
        }
    }

    /// Whether `self` keeps everything `other` has (it may add more).
    pub fn covers(&self, other: &Mechanisms) -> bool {
        let flags = [
            (self.cross_region_copy, other.cross_region_copy),
            (self.read_replica, other.read_replica),
            (self.backup_replication, other.backup_replication),
            (self.replication, other.replication),
            (
                self.replication_time_control,
                other.replication_time_control,
            ),
            (self.replicate_deletes, other.replicate_deletes),
            (self.dns_failover, other.dns_failover),
            (self.global_database, other.global_database),
            (self.global_table, other.global_table),
            (self.pitr, other.pitr),
            (self.efs_replication, other.efs_replication),
            (self.isolated_copy, other.isolated_copy),
        ];
        let backup = match (self.backup, other.backup) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => a.frequency <= b.frequency && (a.continuous || !b.continuous),
        };
        backup && flags.iter().all(|(a, b)| *a || !*b)
    }
}

/// The `dr { }` settings that turn `from` into `to`, as the user would write them.
pub fn describe_change(from: &Mechanisms, to: &Mechanisms) -> Vec<String> {
    let flags = [
        ("read_replica", from.read_replica, to.read_replica),
        (
            "backup_replication",
            from.backup_replication,
            to.backup_replication,
        ),
        ("replication", from.replication, to.replication),
        ("replication", from.efs_replication, to.efs_replication),
        (
            "replication_time_control",
            from.replication_time_control,
            to.replication_time_control,
        ),
        (
            "continuous_backup",
            from.backup.is_some_and(|b| b.continuous),
            to.backup.is_some_and(|b| b.continuous),
        ),
        (
            "cross_region_copy",
            from.cross_region_copy,
            to.cross_region_copy,
        ),
        ("global_database", from.global_database, to.global_database),
        ("global_table", from.global_table, to.global_table),
        ("pitr", from.pitr, to.pitr),
    ];
    let mut v: Vec<String> = flags
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, _, b)| format!("{name} = {b}"))
        .collect();
    let tf = to.backup.map(|b| b.frequency);
    if let (true, Some(f)) = (from.backup.map(|b| b.frequency) != tf, tf) {
        v.push(format!("backup_frequency = \"{f}\""));
    }
    v
}
