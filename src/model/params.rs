//! The recovery model's parameters: every number the estimates use, with its
//! default and where that default comes from. An inventory's `assumptions { }`
//! block overrides them by name. docs/recovery-model.md lists the same table
//! (tests/docs.rs checks that it names every parameter).

use serde::Serialize;

use super::Dur;

/// Whether a default is a published fact or lifeboat's documented assumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Fact,
    Assumption,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Duration(Dur),
    Number(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Duration(d) => write!(f, "{d}"),
            Value::Number(n) => write!(f, "{n}"),
        }
    }
}

/// One parameter's definition.
pub struct Def {
    pub name: &'static str,
    pub default: Value,
    pub basis: Basis,
    pub meaning: &'static str,
    pub source: &'static str,
}

macro_rules! params {
    ($($field:ident: $ty:ident = $default:expr, $basis:ident, $meaning:literal, $source:literal;)*) => {
        /// Resolved parameter values for one inventory.
        #[derive(Debug, Clone, Serialize)]
        pub struct Params {
            $(pub $field: params!(@ty $ty),)*
            /// Names the inventory overrode.
            pub overridden: Vec<&'static str>,
            /// How the project's alarms detect a disaster (derived from the
            /// inventory, not a parameter).
            pub alarms: Alarms,
            /// How the project's ARC Region switch plan starts (derived from the
            /// project block, not a parameter).
            pub region_switch: RegionSwitch,
        }

        pub const DEFS: &[Def] = &[$(Def {
            name: stringify!($field),
            default: params!(@val $ty $default),
            basis: Basis::$basis,
            meaning: $meaning,
            source: $source,
        },)*];

        impl Default for Params {
            fn default() -> Self {
                Params { $($field: params!(@raw $ty $default),)* overridden: Vec::new(), alarms: Alarms::default(), region_switch: RegionSwitch::default() }
            }
        }

        impl Params {
            /// Set a parameter by name; `Err` names what was expected.
            pub fn set(&mut self, name: &str, value: Value) -> Result<(), &'static str> {
                match name {
                    $(stringify!($field) => {
                        params!(@set self.$field, $ty, value);
                        let def = DEFS.iter().find(|d| d.name == name).expect("defined");
                        self.overridden.push(def.name);
                        Ok(())
                    })*
                    _ => Err("unknown"),
                }
            }

            pub fn get(&self, name: &str) -> Option<Value> {
                match name {
                    $(stringify!($field) => Some(params!(@val $ty self.$field)),)*
                    _ => None,
                }
            }
        }
    };
    (@ty dur) => { Dur };
    (@ty num) => { f64 };
    (@val dur $e:expr) => { Value::Duration($e) };
    (@val num $e:expr) => { Value::Number($e) };
    (@raw $ty:ident $e:expr) => { $e };
    (@set $f:expr, dur, $v:expr) => {
        match $v {
            Value::Duration(d) => {
                bounds(stringify!($f), d)?;
                $f = d
            }
            Value::Number(_) => return Err("a duration such as \"15m\""),
        }
    };
    (@set $f:expr, num, $v:expr) => {
        match $v {
            Value::Number(n) if n > 0.0 && n.is_finite() => $f = n,
            _ => return Err("a positive number"),
        }
    };
}

/// Period and evaluation periods of the CloudWatch alarm on each Route 53 health
/// check (modules/route53-failover/alarms.tf; tests/deploy.rs checks they agree).
pub const HEALTH_ALARM_PERIOD_SECS: u64 = 60;
pub const HEALTH_ALARM_EVALUATION_PERIODS: u64 = 1;

/// The alarms a generated tree always has that tell people of a disaster: the
/// Route 53 health-check alarms of its endpoints. Alarms that exist only with
/// some mechanisms (replica lag) are not counted, which is conservative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Alarms {
    /// The fastest endpoint health check: (interval in seconds, failure threshold).
    pub health_check: Option<(u32, u32)>,
    /// The slowest health check of the (at most [`MAX_TRIGGER_CONDITIONS`], by id)
    /// endpoints whose alarms the Region switch plan's trigger waits for.
    pub trigger: Option<(u32, u32)>,
}

impl Alarms {
    /// When the fastest health-check alarm fires after the primary Region is lost.
    pub fn region_detection(&self) -> Option<Dur> {
        self.health_check.map(|(interval, failures)| {
            Dur::secs(
                u64::from(interval) * u64::from(failures)
                    + HEALTH_ALARM_PERIOD_SECS * HEALTH_ALARM_EVALUATION_PERIODS,
            )
        })
    }
}

/// The most conditions one ARC Region switch trigger takes (ARC Region switch API
/// Reference, Trigger: `conditions`, 1 to 10 items). The plan's trigger waits for
/// the health-check alarms of the first ten endpoints, by id.
pub const MAX_TRIGGER_CONDITIONS: usize = 10;

/// How the ARC Region switch plan, when the tree has one, starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RegionSwitch {
    /// The project's `region_switch_approval`: the plan waits for a person's
    /// approval before its first step.
    pub approval: bool,
    /// The project's `region_switch_dns`: the plan also moves the DNS of the
    /// endpoints that depend on what it recovers.
    pub dns: bool,
}

impl Alarms {
    /// When the plan's trigger fires after the primary Region is lost: its one
    /// trigger needs every condition red, so the slowest of its health-check
    /// alarms decides.
    pub fn trigger_detection(&self) -> Option<Dur> {
        self.trigger.map(|(interval, failures)| {
            Dur::secs(
                u64::from(interval) * u64::from(failures)
                    + HEALTH_ALARM_PERIOD_SECS * HEALTH_ALARM_EVALUATION_PERIODS,
            )
        })
    }
}

/// Limits AWS sets on parameters that reach the generated configuration.
fn bounds(field: &str, d: Dur) -> Result<(), &'static str> {
    match field.rsplit('.').next() {
        // AWS Backup: "StartWindowMinutes ... must be at least 60 minutes".
        Some("backup_start_window") if d < Dur::hours(1) || d > Dur::days(7) => {
            Err("a duration from 1h (AWS Backup's minimum start window) to 7d")
        }
        _ => Ok(()),
    }
}

params! {
    rds_multi_az_failover: dur = Dur::secs(120), Fact,
        "RDS Multi-AZ DB instance failover (upper end of the typical range)",
        "RDS User Guide, Multi-AZ DB instance deployments: failover typically 60-120 s";
    rds_log_interval: dur = Dur::mins(5), Fact,
        "RDS uploads transaction logs every 5 minutes: the RPO of point-in-time recovery",
        "RDS User Guide, USER_PIT (restore to a point in time; latest restorable time is typically within 5 minutes)";
    rds_replica_lag: dur = Dur::mins(5), Assumption,
        "lag of a cross-Region read replica (asynchronous; AWS publishes no bound)",
        "RDS User Guide, USER_ReadRepl.XRgn: replica lag is seconds to minutes; 5 min is lifeboat's conservative default";
    rds_replica_promotion: dur = Dur::mins(15), Assumption,
        "promoting a cross-Region read replica to a standalone instance",
        "RDS User Guide, USER_ReadRepl.Promote: 'several minutes or longer', size dependent; no bound published";
    rds_restore_base: dur = Dur::mins(20), Assumption,
        "an RDS restore from a snapshot until the new DB instance is available (its storage then loads lazily)",
        "RDS User Guide, USER_RestoreFromSnapshot: the instance is available before its data is loaded from S3 (lazy loading); no bound published; measure with AWS Backup restore testing";
    rds_log_replay: dur = Dur::hours(1), Assumption,
        "replaying transaction logs in a point-in-time restore: worst case a day of logs, since the daily automated snapshot",
        "RDS User Guide, USER_PIT: a point-in-time restore restores the latest snapshot before the target time and applies the transaction logs after it; no replay rate published";
    rds_restore_gb_per_hour: num = 200.0, Assumption,
        "RDS lazy loading after a restore: GB of allocated storage per hour loaded from S3 until the instance runs at full speed (shown, not counted in the RTO)",
        "RDS User Guide, USER_RestoreFromSnapshot (lazy loading; first access to each block is slower); no rate published; measure with AWS Backup restore testing";
    rds_backup_replication_delay: dur = Dur::mins(30), Assumption,
        "delay of RDS cross-Region automated backup replication behind the source",
        "RDS User Guide, USER_ReplicateBackups: no bound published";
    s3_crr_bound: dur = Dur::hours(48), Fact,
        "S3 CRR without Replication Time Control: most objects within 15 min, some up to 48 h",
        "AWS re:Post, s3-crr-replication-time";
    s3_rtc_bound: dur = Dur::mins(15), Fact,
        "S3 Replication Time Control: 99.99% of objects within 15 minutes (SLA at 99.9%)",
        "S3 User Guide, replication-time-control; S3 RTC SLA";
    s3_continuous_rpo: dur = Dur::secs(1), Fact,
        "AWS Backup continuous backup of S3: point-in-time recovery at 1 s precision",
        "AWS Backup Developer Guide, point-in-time recovery";
    s3_restore_base: dur = Dur::mins(15), Assumption,
        "fixed part of an S3 restore from AWS Backup",
        "no bound published (AWS Backup Developer Guide, restoring S3 data)";
    s3_restore_gb_per_hour: num = 21000.0, Assumption,
        "S3 restore throughput from AWS Backup, GB per hour (the byte term of an S3 restore)",
        "AWS Backup Developer Guide, s3-backups (backup performance): 800 TB in 38 h, about 21,000 GB/h, the published case that bytes rather than objects bound; no restore figure is published, so lifeboat assumes restores run at the backup rate";
    s3_restore_objects_per_second: num = 1200.0, Assumption,
        "S3 restore rate from AWS Backup, objects per second (the object term of an S3 restore)",
        "AWS Backup Developer Guide, s3-backups (backup performance): 135 M objects in 31 h, 670 M in 38 h, 5 B in 100 h, 7.5 B in 180 h (1,200 to 14,000 objects/s); no restore figure is published, so lifeboat assumes the slowest published rate";
    s3_default_object_kb: num = 128.0, Assumption,
        "average object size, in KB, of a bucket whose asset gives no `objects`",
        "the published AWS Backup cases average 3 KB, 49 KB, 1.2 MB and 1.2 MB per object (AWS Backup Developer Guide, s3-backups); lifeboat assumes about their geometric mean; set `objects` on the asset";
    s3_default_size_gb: num = 100.0, Assumption,
        "size of an S3 bucket whose asset gives no `size_gb`",
        "lifeboat default; set `size_gb` on the asset";
    backup_start_window: dur = Dur::hours(1), Fact,
        "start window of every backup rule lifeboat generates (default the minimum, 1 h; 1 h to 7 d)",
        "AWS Backup Developer Guide, creating a backup plan: start window default 8 h, minimum 1 h";
    backup_copy_delay: dur = Dur::hours(1), Assumption,
        "time for an AWS Backup cross-Region copy to land in the secondary vault",
        "AWS Backup Developer Guide, recov-point-create-a-copy: no bound published";
    isolated_copy_delay: dur = Dur::hours(1), Assumption,
        "time for an AWS Backup copy to land in the logically air-gapped vault (isolated_copy)",
        "AWS Backup Developer Guide, logicallyairgappedvault (copy to a logically air-gapped vault): no bound published; lifeboat assumes the cross-Region copy delay";
    isolated_restore_access: dur = Dur::mins(30), Assumption,
        "from the decision to restore from the logically air-gapped vault to the recovery account being able to: accept the AWS RAM share, find the recovery point, give the restore job a role there",
        "AWS Backup Developer Guide, logicallyairgappedvault (share a logically air-gapped vault; restore a backup from it): restores run from the account the vault is shared with; no time published; rehearse it with restore testing in the recovery account";
    region_switch_trigger: dur = Dur::mins(1), Assumption,
        "from the last of the Region switch trigger's alarms going red to ARC Region switch starting the plan's execution",
        "ARC Region switch API Reference, Trigger: a trigger 'can automatically trigger the execution of a Region switch plan' when its conditions are met; AWS publishes no delay; lifeboat assumes 1 min; time it with a practice execution";
    region_switch_dns_step: dur = Dur::mins(1), Assumption,
        "with `region_switch_dns`: from the Region switch plan starting an endpoint's Route 53 health check step to ARC's health checks reporting the activated Region (then DNS propagation and the TTL, as any failover)",
        "ARC User Guide, Route 53 health check execution block: when the plan runs, 'the Route 53 health check state is updated, and traffic is redirected based on your DNS configuration'; AWS publishes no duration; lifeboat assumes 1 min; time it with a practice execution";
    decision_time: dur = Dur::mins(15), Assumption,
        "from an alarm to a person starting a recovery that needs one: paging, confirming the incident, deciding",
        "lifeboat default (AWS publishes none; it depends on the on-call process); time it in a game day";
    az_detection: dur = Dur::mins(5), Assumption,
        "until lifeboat's RDS event notifications (SNS) report the loss of an instance's AZ or host",
        "RDS User Guide, USER_Events: events are delivered through SNS; no delivery time published";
    unalarmed_detection: dur = Dur::mins(15), Assumption,
        "until people learn of a Region loss when the tree has no endpoint health check to alarm (AWS Health, users)",
        "lifeboat default; add an endpoint, whose Route 53 health-check alarm detects in interval x threshold + 60 s";
    corruption_detection: dur = Dur::ZERO, Assumption,
        "from the damage to its discovery, counted in the corruption RTO (0: the RTO counts from discovery)",
        "lifeboat default: no alarm detects corruption; RTO objectives usually count from the declared incident";
    cutover: dur = Dur::mins(5), Assumption,
        "pointing clients at a recovered data store (endpoint, configuration or DNS change)",
        "lifeboat default; measure in a drill";
    dns_propagation: dur = Dur::secs(60), Assumption,
        "time for a health check's change of status to reach the answers of Route 53's DNS servers",
        "AWS publishes no figure for health-check status changes (the 60 s in the Route 53 FAQ is for record changes, ChangeResourceRecordSets reaching INSYNC, a control-plane path failover does not use); lifeboat assumes the same 60 s; measure the whole failover in a drill and set `measured { failover }`";
    alias_ttl: dur = Dur::secs(60), Fact,
        "TTL of answers for alias records (the alias target's, 60 s for ELB)",
        "Route 53 Developer Guide, resource-record-sets-choosing-alias-non-alias";
    s3_az_outage: dur = Dur::secs(0), Fact,
        "impact of losing one Availability Zone on S3 (data stored across at least three AZs)",
        "S3 User Guide, DataDurability: S3 Standard stores data across a minimum of three AZs";
    endpoint_az_outage: dur = Dur::secs(0), Assumption,
        "impact of losing one Availability Zone on an endpoint's target (assumed to span AZs, e.g. an ALB)",
        "lifeboat default; set it if a target runs in one AZ";
    aurora_failover: dur = Dur::secs(30), Fact,
        "Aurora failover to a reader instance (the cluster has one in another AZ)",
        "Amazon Aurora FAQs, reliability: with an Aurora Replica, start-to-finish failover typically completes within 30 seconds";
    aurora_new_writer: dur = Dur::mins(15), Fact,
        "Aurora replacing a lost writer when the cluster has no reader: a new DB instance",
        "Amazon Aurora FAQs, reliability: without a replica Aurora creates a new instance, typically in under 15 minutes";
    aurora_global_lag: dur = Dur::secs(1), Fact,
        "replication lag of an Aurora Global Database secondary cluster",
        "Aurora User Guide, aurora-global-database: storage-based replication with typical latency under one second";
    aurora_global_failover: dur = Dur::mins(5), Assumption,
        "managed failover of an Aurora Global Database to the secondary cluster (failover-global-cluster)",
        "Aurora User Guide, aurora-global-database-disaster-recovery: RTO typically in minutes; no bound published, lifeboat assumes 5 min";
    aurora_pitr_rpo: dur = Dur::mins(5), Assumption,
        "age of the latest restorable time of an Aurora point-in-time restore",
        "AWS publishes no lag for Aurora's latest restorable time; lifeboat assumes the RDS figure (RDS User Guide, USER_PIT: typically within 5 minutes)";
    aurora_restore_base: dur = Dur::mins(20), Assumption,
        "fixed part of an Aurora restore: creating the new cluster and its writer",
        "no bound published (Aurora User Guide, restoring from a DB cluster snapshot); measure with AWS Backup restore testing";
    aurora_restore_gb_per_hour: num = 200.0, Assumption,
        "Aurora restore throughput, GB of cluster volume per hour",
        "no bound published; measure with AWS Backup restore testing and set `measured { restore }`";
    dynamodb_az_outage: dur = Dur::secs(0), Fact,
        "impact of losing one Availability Zone on a DynamoDB table (replicated across three AZs)",
        "DynamoDB Developer Guide, resilience: data is stored across three Availability Zones of a Region";
    dynamodb_replication_lag: dur = Dur::secs(1), Fact,
        "replication lag of a DynamoDB global table replica",
        "DynamoDB Developer Guide, global tables: changes typically propagate to all replicas within a second";
    dynamodb_pitr_rpo: dur = Dur::mins(5), Fact,
        "age of the latest restorable time of a DynamoDB point-in-time restore",
        "DynamoDB Developer Guide, point-in-time recovery: LatestRestorableDateTime is typically 5 minutes before the current time";
    dynamodb_restore_base: dur = Dur::mins(30), Assumption,
        "fixed part of a DynamoDB restore to a new table",
        "DynamoDB Developer Guide, point-in-time recovery: restore time varies with table size and partitions, no bound published";
    dynamodb_restore_gb_per_hour: num = 100.0, Assumption,
        "DynamoDB restore throughput, GB of table data per hour",
        "no bound published; measure with AWS Backup restore testing and set `measured { restore }`";
    dynamodb_default_size_gb: num = 10.0, Assumption,
        "size of a DynamoDB table whose asset gives no `size_gb`",
        "lifeboat default; set `size_gb` on the asset";
    efs_az_outage: dur = Dur::secs(0), Fact,
        "impact of losing one Availability Zone on a Regional EFS file system",
        "EFS User Guide, resilience: Regional file systems store data across multiple Availability Zones";
    efs_replication_rpo: dur = Dur::mins(15), Fact,
        "RPO of EFS replication to the secondary Region",
        "EFS User Guide, efs-replication: most file systems have an RPO of 15 minutes";
    efs_failover: dur = Dur::mins(10), Assumption,
        "making an EFS replica writable (deleting the replication configuration)",
        "EFS User Guide, efs-replication failover: no bound published; lifeboat assumes 10 min";
    efs_restore_base: dur = Dur::mins(15), Assumption,
        "fixed part of an EFS restore from AWS Backup",
        "no bound published (AWS Backup Developer Guide, restoring EFS); measure with AWS Backup restore testing";
    efs_restore_gb_per_hour: num = 100.0, Assumption,
        "EFS restore throughput from AWS Backup, GB per hour",
        "no bound published; measure with AWS Backup restore testing and set `measured { restore }`";
    efs_default_size_gb: num = 100.0, Assumption,
        "size of an EFS file system whose asset gives no `size_gb`",
        "lifeboat default; set `size_gb` on the asset";
    measurement_max_age: dur = Dur::days(35), Assumption,
        "how old a `measurement` may be before `check` warns that it is stale (W303)",
        "lifeboat default: the generated restore testing runs weekly (AWS Backup Developer Guide, restore-testing: periodic restore jobs with their durations), so five weeks without a newer job means restore testing or `lifeboat measure` has stopped";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assumptions_block_accepts_exactly_the_parameters() {
        let schema = crate::input::json_schema();
        let props = schema["$defs"]["Assumptions"]["properties"]
            .as_object()
            .expect("properties");
        let mut in_schema: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut defined: Vec<&str> = DEFS.iter().map(|d| d.name).collect();
        in_schema.sort_unstable();
        defined.sort_unstable();
        assert_eq!(in_schema, defined);
    }

    #[test]
    fn every_definition_round_trips_by_name() {
        let p = Params::default();
        for def in DEFS {
            assert_eq!(p.get(def.name), Some(def.default), "{}", def.name);
        }
        let mut p = Params::default();
        assert!(
            p.set("rds_replica_promotion", Value::Duration(Dur::mins(7)))
                .is_ok()
        );
        assert_eq!(p.rds_replica_promotion, Dur::mins(7));
        assert!(
            p.set("rds_restore_gb_per_hour", Value::Duration(Dur::mins(7)))
                .is_err()
        );
        assert!(
            p.set("rds_restore_gb_per_hour", Value::Number(0.0))
                .is_err()
        );
        assert!(p.set("nope", Value::Number(1.0)).is_err());
    }
}
