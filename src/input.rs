//! The inventory's input schema: what users write, as serde types.
//!
//! These types are the single source of truth for the inventory language's shape.
//! `lifeboat schema` prints their JSON Schema (schemars), the parse stage checks
//! every tree against that schema with spans (see [`crate::schema`]), and serde
//! then deserializes subtrees that passed. Field-level ranges are declared with
//! `validator`. Values are still strings here (durations, regions, ids): the lower
//! stage ([`crate::model::lower`]) parses them with located diagnostics.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The JSON form of a whole inventory (HCL blocks keyed by label).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[schemars(
    title = "lifeboat inventory",
    description = "A lifeboat disaster-recovery inventory (HCL's JSON form). See docs/inventory.md."
)]
pub struct Inventory {
    /// Exactly one project, keyed by its name.
    #[serde(default)]
    pub project: IndexMap<String, Project>,
    /// User tiers (override or add to the built-in ones), keyed by name.
    #[serde(default)]
    pub tier: IndexMap<String, Tier>,
    /// Overrides of the recovery model's parameters.
    #[serde(default)]
    pub assumptions: Option<Assumptions>,
    /// Data assets and services, keyed by id.
    #[serde(default)]
    pub asset: IndexMap<String, Asset>,
    /// Extension: dated restore measurements, keyed by asset id (the file
    /// `lifeboat measure` writes from AWS Backup restore jobs).
    #[serde(default)]
    pub measurement: IndexMap<String, Measurement>,
}

/// A restore time measured on a given day, with the restore jobs it comes from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct Measurement {
    /// The restore time the model uses instead of its estimate (the longest of
    /// `jobs` when `lifeboat measure` writes it).
    pub restore: String,
    /// The day (`YYYY-MM-DD`, UTC) of the newest restore it rests on; a warning
    /// says when it is older than `measurement_max_age`.
    pub date: String,
    /// The AWS Backup restore jobs measured (written by `lifeboat measure`).
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub jobs: Vec<RestoreJob>,
}

/// One completed AWS Backup restore job.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct RestoreJob {
    /// Its `RestoreJobId`.
    pub id: String,
    /// When it completed (`CompletionDate`, UTC, e.g. `2026-11-30T07:42:10Z`).
    pub completed: String,
    /// From `CreationDate` to `CompletionDate`.
    pub duration: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct Project {
    /// Where the assets live today, e.g. `us-east-1`.
    pub primary_region: String,
    /// The recovery Region; must differ from the primary.
    pub secondary_region: String,
    /// Added to every generated resource.
    #[serde(default)]
    pub tags: IndexMap<String, String>,
    /// Subscribed to the alert topics.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub alert_emails: Vec<String>,
    /// Extension: `true` locks every backup vault in compliance mode (immutable after a
    /// 3-day grace period); `false` keeps every tier in governance mode; unset, each tier
    /// decides (`mission-critical` is immutable unless it says otherwise).
    pub immutable_backups: Option<bool>,
    /// Extension: generate AWS FIS experiment templates that cause, for real, the
    /// disruptions the model estimates (Multi-AZ and Aurora failovers, paused S3 and
    /// DynamoDB replication). Nothing runs until someone starts an experiment.
    #[serde(default)]
    pub drills: bool,
    /// Extension: the ARC Region switch plan (generated when a Region recovery is a
    /// step it can perform) waits for a person's approval before its first step.
    #[serde(default)]
    pub region_switch_approval: bool,
    /// Extension: the ARC Region switch plan also moves the endpoints' DNS, each in
    /// the wave after the data it depends on, through ARC's own Route 53 health
    /// checks (once their ids are passed to the tree: RUNBOOK.md, "Once, after the
    /// first apply"). Until then Route 53 fails the endpoints over by itself.
    #[serde(default)]
    pub region_switch_dns: bool,
    /// Extension: the 12-digit AWS account the logically air-gapped vault of
    /// `isolated_copy` tiers is shared with through AWS RAM, to restore from when
    /// this account is compromised. Without it the vault is not shared.
    #[schemars(regex(pattern = r"^[0-9]{12}$"))]
    pub recovery_account_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Tier {
    /// Objective for every scenario of this tier (a duration such as `15m`).
    pub rpo: Option<String>,
    pub rto: Option<String>,
    /// How long recovery points are kept (e.g. `35d`).
    pub retention: Option<String>,
    /// Objectives for single scenarios; they override `rpo` and `rto`.
    #[serde(default)]
    pub scenario: Scenarios,
    /// Extension: how old a `measurement` of this tier's assets may be before
    /// `check` warns (default: the `measurement_max_age` assumption).
    pub measurement_max_age: Option<String>,
    /// Extension: keep this tier's recovery points in vaults locked in compliance mode
    /// (immutable after a 3-day grace period). Default: `true` for `mission-critical`,
    /// `false` for other tiers, unless the project sets `immutable_backups`.
    pub immutable_backups: Option<bool>,
    /// Extension: copy this tier's AWS Backup recovery points into a logically
    /// air-gapped vault (compliance-locked, in an AWS-owned account), which an
    /// administrator of this account cannot delete. Off by default.
    #[serde(default)]
    pub isolated_copy: bool,
    /// Extension: this tier's corruption scenario includes a compromised account
    /// (ransomware with administrator access). Only recovery points such an
    /// administrator cannot destroy then count: the `isolated_copy`.
    #[serde(default)]
    pub account_compromise: bool,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Scenarios {
    /// Loss of one Availability Zone or host.
    pub az: Option<Objective>,
    /// Loss of the primary Region.
    pub region: Option<Objective>,
    /// Data corrupted, encrypted or deleted by software or people.
    pub corruption: Option<Objective>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Objective {
    pub rpo: Option<String>,
    pub rto: Option<String>,
}

/// Recovery model parameters; every one has a documented default (docs/recovery-model.md).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Assumptions {
    /// RDS Multi-AZ DB instance failover (upper end of the typical range).
    pub rds_multi_az_failover: Option<String>,
    /// RDS uploads transaction logs every 5 minutes: the RPO of point-in-time recovery.
    pub rds_log_interval: Option<String>,
    /// Lag of a cross-Region read replica (asynchronous; AWS publishes no bound).
    pub rds_replica_lag: Option<String>,
    /// Promoting a cross-Region read replica to a standalone instance.
    pub rds_replica_promotion: Option<String>,
    /// An RDS restore from a snapshot until the new DB instance is available.
    pub rds_restore_base: Option<String>,
    /// Replaying transaction logs in a point-in-time restore (worst case a day of logs).
    pub rds_log_replay: Option<String>,
    /// RDS restore throughput, GB of allocated storage per hour.
    pub rds_restore_gb_per_hour: Option<f64>,
    /// Delay of RDS cross-Region automated backup replication behind the source.
    pub rds_backup_replication_delay: Option<String>,
    /// S3 CRR without Replication Time Control: most objects within 15 min, some up to 48 h.
    pub s3_crr_bound: Option<String>,
    /// S3 Replication Time Control: 99.99% of objects within 15 minutes (SLA at 99.9%).
    pub s3_rtc_bound: Option<String>,
    /// AWS Backup continuous backup of S3: point-in-time recovery at 1 s precision.
    pub s3_continuous_rpo: Option<String>,
    /// Fixed part of an S3 restore from AWS Backup.
    pub s3_restore_base: Option<String>,
    /// S3 restore throughput from AWS Backup, GB per hour (the byte term).
    pub s3_restore_gb_per_hour: Option<f64>,
    /// S3 restore rate from AWS Backup, objects per second (the object term).
    pub s3_restore_objects_per_second: Option<f64>,
    /// Average object size in KB of a bucket whose asset gives no `objects`.
    pub s3_default_object_kb: Option<f64>,
    /// Size of an S3 bucket whose asset gives no `size_gb`.
    pub s3_default_size_gb: Option<f64>,
    /// Start window of every backup rule lifeboat generates (default the minimum, 1 h; 1 h to 7 d).
    pub backup_start_window: Option<String>,
    /// Time for an AWS Backup cross-Region copy to land in the secondary vault.
    pub backup_copy_delay: Option<String>,
    /// Time for an AWS Backup copy to land in the logically air-gapped vault.
    pub isolated_copy_delay: Option<String>,
    /// From deciding to restore from the logically air-gapped vault to the recovery account being able to.
    pub isolated_restore_access: Option<String>,
    /// From the Region switch trigger's alarms going red to the plan's execution starting.
    pub region_switch_trigger: Option<String>,
    /// From the Region switch plan starting an endpoint's Route 53 health check step to ARC's health checks reporting the new Region.
    pub region_switch_dns_step: Option<String>,
    /// From an alarm to a person starting a recovery that needs one.
    pub decision_time: Option<String>,
    /// Until lifeboat's RDS event notifications report the loss of an AZ or host.
    pub az_detection: Option<String>,
    /// Until people learn of a Region loss without an endpoint health-check alarm.
    pub unalarmed_detection: Option<String>,
    /// From the damage to its discovery, counted in the corruption RTO.
    pub corruption_detection: Option<String>,
    /// Pointing clients at a recovered data store (endpoint, configuration or DNS change).
    pub cutover: Option<String>,
    /// Time for a health check's change of status to reach Route 53's DNS answers (an assumption).
    pub dns_propagation: Option<String>,
    /// TTL of answers for alias records (the alias target's, 60 s for ELB).
    pub alias_ttl: Option<String>,
    /// Impact of losing one Availability Zone on S3 (data stored across at least three AZs).
    pub s3_az_outage: Option<String>,
    /// Impact of losing one Availability Zone on an endpoint's target (assumed to span AZs, e.g. an ALB).
    pub endpoint_az_outage: Option<String>,
    /// Aurora failover to a reader instance (the cluster has one in another AZ).
    pub aurora_failover: Option<String>,
    /// Aurora replacing a lost writer when the cluster has no reader: a new DB instance.
    pub aurora_new_writer: Option<String>,
    /// Replication lag of an Aurora Global Database secondary cluster.
    pub aurora_global_lag: Option<String>,
    /// Managed failover of an Aurora Global Database to the secondary cluster (failover-global-cluster).
    pub aurora_global_failover: Option<String>,
    /// Age of the latest restorable time of an Aurora point-in-time restore.
    pub aurora_pitr_rpo: Option<String>,
    /// Fixed part of an Aurora restore: creating the new cluster and its writer.
    pub aurora_restore_base: Option<String>,
    /// Aurora restore throughput, GB of cluster volume per hour.
    pub aurora_restore_gb_per_hour: Option<f64>,
    /// Impact of losing one Availability Zone on a DynamoDB table (replicated across three AZs).
    pub dynamodb_az_outage: Option<String>,
    /// Replication lag of a DynamoDB global table replica.
    pub dynamodb_replication_lag: Option<String>,
    /// Age of the latest restorable time of a DynamoDB point-in-time restore.
    pub dynamodb_pitr_rpo: Option<String>,
    /// Fixed part of a DynamoDB restore to a new table.
    pub dynamodb_restore_base: Option<String>,
    /// DynamoDB restore throughput, GB of table data per hour.
    pub dynamodb_restore_gb_per_hour: Option<f64>,
    /// Size of a DynamoDB table whose asset gives no `size_gb`.
    pub dynamodb_default_size_gb: Option<f64>,
    /// Impact of losing one Availability Zone on a Regional EFS file system.
    pub efs_az_outage: Option<String>,
    /// RPO of EFS replication to the secondary Region.
    pub efs_replication_rpo: Option<String>,
    /// Making an EFS replica writable (deleting the replication configuration).
    pub efs_failover: Option<String>,
    /// Fixed part of an EFS restore from AWS Backup.
    pub efs_restore_base: Option<String>,
    /// EFS restore throughput from AWS Backup, GB per hour.
    pub efs_restore_gb_per_hour: Option<f64>,
    /// Size of an EFS file system whose asset gives no `size_gb`.
    pub efs_default_size_gb: Option<f64>,
    /// How old a `measurement` may be before `check` warns that it is stale.
    pub measurement_max_age: Option<String>,
}

/// An asset; `kind` says which.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "kind")]
pub enum Asset {
    /// An existing RDS DB instance in the primary Region.
    #[serde(rename = "rds")]
    Rds(RdsAsset),
    /// An existing S3 bucket in the primary Region.
    #[serde(rename = "s3")]
    S3(S3Asset),
    /// A DNS name served from both Regions.
    #[serde(rename = "endpoint")]
    Endpoint(EndpointAsset),
    /// An existing Aurora cluster in the primary Region.
    #[serde(rename = "aurora")]
    Aurora(AuroraAsset),
    /// An existing DynamoDB table in the primary Region.
    #[serde(rename = "dynamodb")]
    Dynamodb(DynamodbAsset),
    /// An existing EFS file system in the primary Region.
    #[serde(rename = "efs")]
    Efs(EfsAsset),
}

impl Asset {
    pub fn common(&self) -> &Common {
        match self {
            Asset::Rds(a) => &a.common,
            Asset::S3(a) => &a.common,
            Asset::Endpoint(a) => &a.common,
            Asset::Aurora(a) => &a.common,
            Asset::Dynamodb(a) => &a.common,
            Asset::Efs(a) => &a.common,
        }
    }
}

/// Attributes every kind of asset has.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct Common {
    /// A built-in or declared tier.
    pub tier: String,
    /// Assets that must be recovered before this one can serve.
    #[serde(default)]
    pub depends_on: Vec<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    /// Added to this asset's generated resources.
    #[serde(default)]
    pub tags: IndexMap<String, String>,
    /// Ids this asset had before a rename.
    #[serde(default)]
    pub previously: Vec<String>,
    /// Durations observed in a drill; they replace the model's estimates.
    pub measured: Option<Measured>,
    /// Extension: breached objectives accepted as known risks, per scenario.
    #[serde(default)]
    pub accepted_risk: AcceptedRisks,
}

/// `accepted_risk "<scenario>" { ... }` blocks: at most one per scenario.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct AcceptedRisks {
    pub az: Option<AcceptedRisk>,
    pub region: Option<AcceptedRisk>,
    pub corruption: Option<AcceptedRisk>,
}

/// A breach of the tier's objectives in one scenario that a named owner accepts
/// until a date, so that it warns instead of blocking `compile`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AcceptedRisk {
    /// Why the gap is accepted (for reviewers, the report and the runbook).
    pub reason: String,
    /// Who accepted it and answers for it.
    pub owner: String,
    /// The last day the acceptance holds (`YYYY-MM-DD`, UTC); after it the breach
    /// is an error again.
    pub expires: String,
    /// The worst data loss accepted; a larger estimate is an error.
    pub rpo: Option<String>,
    /// The worst time to serve again accepted; a larger estimate is an error.
    pub rto: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Measured {
    pub restore: Option<String>,
    pub failover: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct RdsAsset {
    #[serde(flatten)]
    pub common: Common,
    /// DB instance identifier.
    pub identifier: String,
    pub engine: Engine,
    /// Allocated storage in GB; drives restore estimates.
    #[schemars(range(max = 1_000_000.0))]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub storage_gb: f64,
    /// Whether the instance is Multi-AZ today.
    #[serde(default)]
    pub multi_az: bool,
    /// Whether its storage is encrypted.
    #[serde(default = "yes")]
    pub encrypted: bool,
    pub dr: Option<RdsDr>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Engine {
    #[serde(rename = "postgres")]
    Postgres,
    #[serde(rename = "mysql")]
    Mysql,
    #[serde(rename = "mariadb")]
    Mariadb,
    #[serde(rename = "oracle-ee")]
    OracleEe,
    #[serde(rename = "oracle-se2")]
    OracleSe2,
    #[serde(rename = "sqlserver-ee")]
    SqlserverEe,
    #[serde(rename = "sqlserver-se")]
    SqlserverSe,
    #[serde(rename = "sqlserver-ex")]
    SqlserverEx,
    #[serde(rename = "sqlserver-web")]
    SqlserverWeb,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
            Engine::OracleEe => "oracle-ee",
            Engine::OracleSe2 => "oracle-se2",
            Engine::SqlserverEe => "sqlserver-ee",
            Engine::SqlserverSe => "sqlserver-se",
            Engine::SqlserverEx => "sqlserver-ex",
            Engine::SqlserverWeb => "sqlserver-web",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct RdsDr {
    /// A cross-Region read replica in the secondary Region.
    pub read_replica: Option<bool>,
    /// Instance class of the replica (default: the source's).
    pub replica_instance_class: Option<String>,
    /// AWS Backup continuous backup (point-in-time recovery, in-Region).
    pub continuous_backup: Option<bool>,
    /// AWS Backup scheduled backup interval (>= 1h).
    pub backup_frequency: Option<String>,
    /// Copy AWS Backup recovery points to the secondary Region.
    pub cross_region_copy: Option<bool>,
    /// Extension: RDS cross-Region automated backup replication (PITR in the secondary Region).
    pub backup_replication: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct S3Asset {
    #[serde(flatten)]
    pub common: Common,
    /// Bucket name.
    pub bucket: String,
    /// Stored data in GB; drives restore estimates.
    #[schemars(range(min = 0.0, max = 1_000_000_000.0))]
    pub size_gb: Option<f64>,
    /// Extension: how many objects the bucket holds (current versions); with
    /// `size_gb` it drives restore estimates, which AWS Backup's object rate bounds.
    #[schemars(range(max = 1_000_000_000_000_000u64))]
    pub objects: Option<u64>,
    /// Extension: ARN of the KMS key the bucket's objects are encrypted with
    /// (SSE-KMS). Without it only SSE-S3 objects replicate.
    pub kms_key_arn: Option<String>,
    pub dr: Option<S3Dr>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct S3Dr {
    /// Cross-Region Replication to the secondary Region.
    pub replication: Option<bool>,
    /// S3 Replication Time Control (15 minutes, with metrics).
    pub replication_time_control: Option<bool>,
    /// Replicate delete markers.
    pub replicate_deletes: Option<bool>,
    /// Name of the destination bucket (default: derived from the source).
    pub destination_bucket: Option<String>,
    /// AWS Backup continuous backup (point-in-time recovery, in-Region).
    pub continuous_backup: Option<bool>,
    /// Copy AWS Backup recovery points to the secondary Region.
    pub cross_region_copy: Option<bool>,
    /// Extension: AWS Backup scheduled backup interval (>= 1h).
    pub backup_frequency: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EndpointAsset {
    #[serde(flatten)]
    pub common: Common,
    /// Route 53 hosted zone id.
    pub zone_id: String,
    /// The record name users resolve.
    pub domain: String,
    pub primary: Target,
    pub secondary: Target,
    pub health_check: Option<HealthCheck>,
    /// Seconds, for non-alias records (default 60).
    #[schemars(range(max = 86_400))]
    pub ttl: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AuroraAsset {
    #[serde(flatten)]
    pub common: Common,
    /// DB cluster identifier.
    pub cluster_identifier: String,
    pub engine: AuroraEngine,
    /// Data stored in the cluster volume in GB; drives restore estimates.
    #[schemars(range(max = 1_000_000.0))]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub storage_gb: f64,
    /// Class of the secondary cluster's instances (default: the source's).
    pub instance_class: Option<String>,
    /// Whether the cluster storage is encrypted.
    #[serde(default = "yes")]
    pub encrypted: bool,
    /// Extension: whether the cluster has a reader instance in another AZ to fail
    /// over to (Aurora's Multi-AZ); without one, Aurora creates a new writer.
    #[serde(default)]
    pub multi_az: bool,
    pub dr: Option<AuroraDr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum AuroraEngine {
    #[serde(rename = "aurora-postgresql")]
    Postgresql,
    #[serde(rename = "aurora-mysql")]
    Mysql,
}

impl AuroraEngine {
    pub fn as_str(self) -> &'static str {
        match self {
            AuroraEngine::Postgresql => "aurora-postgresql",
            AuroraEngine::Mysql => "aurora-mysql",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct AuroraDr {
    /// An Aurora Global Database secondary cluster in the secondary Region.
    pub global_database: Option<bool>,
    /// AWS Backup continuous backup (point-in-time recovery, in-Region).
    pub continuous_backup: Option<bool>,
    /// AWS Backup scheduled backup interval (>= 1h).
    pub backup_frequency: Option<String>,
    /// Copy AWS Backup recovery points to the secondary Region.
    pub cross_region_copy: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DynamodbAsset {
    #[serde(flatten)]
    pub common: Common,
    /// Table name.
    pub table: String,
    /// Table size in GB; drives restore estimates.
    #[schemars(range(min = 0.0, max = 1_000_000_000.0))]
    pub size_gb: Option<f64>,
    pub dr: Option<DynamodbDr>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct DynamodbDr {
    /// A global table replica in the secondary Region.
    pub global_table: Option<bool>,
    /// DynamoDB point-in-time recovery on the table.
    pub pitr: Option<bool>,
    /// The same as `pitr` for DynamoDB: its continuous backups are PITR.
    pub continuous_backup: Option<bool>,
    /// AWS Backup scheduled backup interval (>= 1h).
    pub backup_frequency: Option<String>,
    /// Copy AWS Backup recovery points to the secondary Region.
    pub cross_region_copy: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EfsAsset {
    #[serde(flatten)]
    pub common: Common,
    /// `fs-` followed by 8 or 17 hex digits.
    pub file_system_id: String,
    /// Stored data in GB; drives restore estimates.
    #[schemars(range(min = 0.0, max = 1_000_000_000.0))]
    pub size_gb: Option<f64>,
    pub dr: Option<EfsDr>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct EfsDr {
    /// EFS replication to the secondary Region.
    pub replication: Option<bool>,
    /// AWS Backup scheduled backup interval (>= 1h).
    pub backup_frequency: Option<String>,
    /// Copy AWS Backup recovery points to the secondary Region.
    pub cross_region_copy: Option<bool>,
}

/// What serves in one Region: a hostname (CNAME) or an alias target.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Target {
    pub hostname: Option<String>,
    pub alias_name: Option<String>,
    pub alias_zone_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct HealthCheck {
    /// `HTTPS` (default), `HTTP` or `TCP`.
    pub protocol: Option<Protocol>,
    /// Default 443 (80 for HTTP).
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u32>,
    /// Default `/`.
    pub path: Option<String>,
    /// Seconds between checks: 10 or 30 (default 30).
    pub interval: Option<u32>,
    /// Consecutive failures before unhealthy: 1-10 (default 3).
    #[schemars(range(min = 1, max = 10))]
    pub failure_threshold: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Protocol {
    #[serde(rename = "HTTPS")]
    Https,
    #[serde(rename = "HTTP")]
    Http,
    #[serde(rename = "TCP")]
    Tcp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Https => "HTTPS",
            Protocol::Http => "HTTP",
            Protocol::Tcp => "TCP",
        }
    }
}

/// The JSON Schema of the JSON form, closed (`additionalProperties: false` on
/// every object with named properties) so editors flag typos too.
pub fn json_schema() -> serde_json::Value {
    schema_ref().clone()
}

/// The schema, built once per process.
pub fn schema_ref() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(build_schema)
}

fn build_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Inventory)).expect("schema serializes");
    let defs = schema["$defs"].clone();
    inline_refs_with_siblings(&mut schema, &defs);
    close_objects(&mut schema);
    schema
}

/// schemars writes a tagged enum's variant as `{properties: {kind}, $ref: ...}`; a
/// closed object must see all its properties as siblings, so merge the referenced
/// schema in.
fn inline_refs_with_siblings(v: &mut serde_json::Value, defs: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if map.contains_key("properties")
                && let Some(Value::String(r)) = map.remove("$ref")
            {
                let name = r.trim_start_matches("#/$defs/");
                if let Some(Value::Object(target)) = defs.get(name) {
                    for (k, tv) in target {
                        match (k.as_str(), map.get_mut(k)) {
                            ("properties", Some(Value::Object(props))) => {
                                if let Value::Object(tp) = tv {
                                    for (pk, pv) in tp {
                                        props.entry(pk.clone()).or_insert(pv.clone());
                                    }
                                }
                            }
                            ("required", Some(Value::Array(req))) => {
                                if let Value::Array(tr) = tv {
                                    req.extend(tr.iter().cloned());
                                }
                            }
                            ("description", _) => {}
                            (_, None) => {
                                map.insert(k.clone(), tv.clone());
                            }
                            _ => {}
                        }
                    }
                }
            }
            for value in map.values_mut() {
                inline_refs_with_siblings(value, defs);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| inline_refs_with_siblings(i, defs)),
        _ => {}
    }
}

fn close_objects(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert(
                    "additionalProperties".into(),
                    serde_json::Value::Bool(false),
                );
            }
            for value in map.values_mut() {
                close_objects(value);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}
