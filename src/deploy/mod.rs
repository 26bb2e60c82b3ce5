//! Stage 6, deploy: what the recovery model's choices turn into. For every asset,
//! the Terraform object that carries its mechanisms, every AWS name it creates,
//! the resources that hold or protect its data and the moves of a rename; for the
//! project, the alert topics and the AWS Backup design.
//!
//! **The one place that decides what gets deployed and what it is called.**
//! Terraform emission, the manifest and data-loss guard, the runbook, the
//! topology graph and the generated test suite render a [`Deployment`]; none of
//! them derives a name or a layout of its own. Names follow the hand-written
//! modules' own rules (`modules/*`, e.g. a replica is `<name>-dr`); the generated
//! `terraform test` suite asserts that each module outputs the names recorded here.

pub mod audit;
pub mod backup;
pub mod drills;
pub mod names;
pub mod region_switch;

use indexmap::IndexMap;
use serde::Serialize;

pub use self::audit::{Audit, Resilience};
pub use self::backup::BackupDesign;
use self::names::{destination_bucket, project_name, scoped_name, tf_name};
pub use self::region_switch::RegionSwitch;
use crate::check::Recovery;
use crate::model::{AssetKind, Inventory, Scenario, Target};

/// Route 53 is global: its health-check metrics, and so their alarms, live in
/// us-east-1 (Route 53 Developer Guide, monitoring health checks with CloudWatch).
pub const ROUTE53_METRICS_REGION: &str = "us-east-1";

/// Everything `compile` creates, and what it is called.
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// The project's name in AWS names.
    pub project: String,
    pub primary_region: String,
    pub secondary_region: String,
    /// Tags on every generated resource (the provider's `default_tags`).
    /// The ARC Region switch plan: present when a chosen Region recovery is a
    /// step it performs (`PathKind::region_switch_step`).
    pub region_switch: Option<RegionSwitch>,
    pub default_tags: IndexMap<String, String>,
    pub alerts: Alerts,
    pub backup: Option<BackupDesign>,
    /// The Backup Audit Manager framework over the backup design (modules/backup-audit).
    pub audit: Option<Audit>,
    /// Why there is no framework although there is a backup design.
    pub audit_omitted: Option<String>,
    /// The Resilience Hub policies of the tiers (modules/resilience-hub).
    pub resilience: Resilience,
    /// Parallel to `Inventory::assets`.
    pub assets: Vec<AssetDeployment>,
    /// Terraform address moves for renamed assets (from, to), in asset order.
    pub moved: Vec<(String, String)>,
    /// Resources that hold or protect data, sorted by address.
    pub protected: Vec<Protected>,
    /// AWS FIS experiment templates (`drills = true`), when there is anything to drill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drills: Option<drills::Drills>,
}

/// The alert topics (modules/alerts): one per Region that raises alarms.
#[derive(Debug, Clone, Serialize)]
pub struct Alerts {
    /// The SNS topic's name in every Region.
    pub topic: String,
    pub regions: Vec<String>,
    /// Regions whose AWS Backup job failures EventBridge forwards to the topic.
    pub backup_event_regions: Vec<String>,
    /// Regions whose rule alerts on KMS keys scheduled for deletion or disabled:
    /// the primary and secondary, where every key the tree creates or relies on is.
    pub kms_event_regions: Vec<String>,
    pub emails: Vec<String>,
}

/// A resource whose destruction loses data or protection: the data-loss guard
/// refuses a compile that drops one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, PartialOrd, Ord)]
pub struct Protected {
    /// Terraform address, e.g. `module.rds_orders_db.aws_db_instance.replica[0]`.
    pub address: String,
    /// The asset it belongs to (empty for shared resources such as vaults).
    pub asset: String,
    /// What it holds, for people.
    pub what: String,
    /// What it is in AWS: its name and Region. When this changes at the same
    /// address, Terraform replaces the resource, which destroys it as surely as
    /// a removal. (Empty in manifests written before lifeboat recorded it.)
    #[serde(default)]
    pub name: String,
}

/// A Terraform object of the root module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TfObject {
    /// Its address, e.g. `module.rds_orders_db`.
    pub address: String,
    /// The block's label, e.g. `rds_orders_db`.
    pub label: String,
    /// The hand-written module it calls (`modules/<name>`); `None` for a resource.
    pub module: Option<&'static str>,
}

impl TfObject {
    fn module(module: &'static str, label: String) -> Self {
        TfObject {
            address: format!("module.{label}"),
            label,
            module: Some(module),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetDeployment {
    pub id: String,
    /// Prefix of the asset's AWS names. It keeps the asset's first id across
    /// renames (`previously`), so a rename moves resources instead of replacing them.
    pub name: String,
    /// What carries the asset's mechanisms; `None` when nothing is generated.
    pub terraform: Option<TfObject>,
    /// Key of the AWS Backup plan that selects it.
    pub backup_plan: Option<String>,
    pub kind: KindDeployment,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum KindDeployment {
    Rds(RdsDeployment),
    S3(S3Deployment),
    Endpoint(EndpointDeployment),
    Aurora(AuroraDeployment),
    Dynamodb(DynamodbDeployment),
    Efs(EfsDeployment),
}

/// modules/aurora-dr.
#[derive(Debug, Clone, Serialize)]
pub struct AuroraDeployment {
    /// The source cluster (looked up, never managed).
    pub cluster_identifier: String,
    pub global_database: bool,
    /// The global cluster (`<name>-global`) the source joins.
    pub global_cluster: Option<String>,
    /// The secondary cluster (`<name>-dr`) and its instances (`<name>-dr-<n>`).
    pub secondary_cluster: Option<String>,
    pub secondary_instances: Vec<String>,
    pub secondary_key_alias: Option<String>,
    pub monitoring_role: Option<String>,
    /// AuroraGlobalDBReplicationLag alarm and its threshold (the tier's Region RPO).
    pub lag_alarm: Option<String>,
    pub lag_threshold_seconds: u64,
    pub source_events: String,
    pub secondary_events: Option<String>,
}

/// modules/dynamodb-dr.
#[derive(Debug, Clone, Serialize)]
pub struct DynamodbDeployment {
    pub table: String,
    pub global_table: bool,
    /// The model relies on the table's point-in-time recovery, over this window.
    pub pitr: bool,
    pub pitr_recovery_period_days: u64,
    /// Alias of the replica's KMS key in the secondary Region.
    pub secondary_key_alias: Option<String>,
    /// ReplicationLatency alarm and its threshold (the tier's Region RPO).
    pub latency_alarm: Option<String>,
    pub latency_threshold_seconds: u64,
}

/// modules/efs-dr.
#[derive(Debug, Clone, Serialize)]
pub struct EfsDeployment {
    pub file_system_id: String,
    pub replication: bool,
    /// Alias of the replica's KMS key in the secondary Region.
    pub secondary_key_alias: Option<String>,
    /// TimeSinceLastSync alarm and its threshold (the tier's Region RPO, at least
    /// EFS's 15 minutes).
    pub sync_alarm: Option<String>,
    pub sync_threshold_seconds: u64,
}

/// modules/rds-dr.
#[derive(Debug, Clone, Serialize)]
pub struct RdsDeployment {
    /// The source instance (looked up, never managed).
    pub identifier: String,
    pub read_replica: bool,
    pub backup_replication: bool,
    /// The cross-Region read replica's identifier (`<name>-dr`).
    pub replica: Option<String>,
    /// Alias of the KMS key in the secondary Region (replica, replicated backups).
    pub secondary_key_alias: Option<String>,
    /// Enhanced Monitoring role of the replica.
    pub monitoring_role: Option<String>,
    /// ReplicaLag alarm and its threshold (from the tier's Region RPO).
    pub lag_alarm: Option<String>,
    pub lag_threshold_seconds: u64,
    /// Days replicated automated backups are kept (RDS allows 1-35).
    pub backup_replication_retention_days: u64,
    /// RDS event subscriptions (source, and replica).
    pub source_events: String,
    pub replica_events: Option<String>,
}

/// modules/s3-replication, or only the bucket's versioning.
#[derive(Debug, Clone, Serialize)]
pub struct S3Deployment {
    pub bucket: String,
    pub kms_key_arn: Option<String>,
    pub replication: Option<S3Replication>,
    /// Whether the root module enables versioning on the bucket itself (AWS
    /// Backup needs it; with replication, the module does).
    pub versioning: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct S3Replication {
    pub destination_bucket: String,
    /// The rule's id: the RuleId dimension of the replication metrics.
    pub rule_id: String,
    pub role: String,
    /// The S3 Batch Operations role that copies the objects that existed
    /// before replication (live replication copies only new writes).
    pub batch_role: String,
    pub destination_key_alias: String,
    pub replication_time_control: bool,
    pub replicate_deletes: bool,
    pub noncurrent_version_retention_days: u64,
    pub failed_alarm: String,
    /// With RTC: the ReplicationLatency alarm and its threshold.
    pub latency_alarm: Option<String>,
    pub latency_threshold_seconds: u64,
}

/// modules/route53-failover.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointDeployment {
    pub domain: String,
    pub zone_id: String,
    /// Failover records' set identifiers (also the health checks' Name tags).
    pub primary_set_identifier: String,
    pub secondary_set_identifier: String,
    /// HealthCheckStatus alarms, in us-east-1.
    pub primary_alarm: String,
    pub secondary_alarm: String,
}

impl Deployment {
    pub fn asset(&self, i: usize) -> &AssetDeployment {
        &self.assets[i]
    }
}

/// The deployment of an inventory whose recovery model has run.
pub fn build(inv: &Inventory, rec: &Recovery) -> Deployment {
    let p = &inv.project;
    let project = project_name(&p.name);
    let (backup, plan_of) = backup::design(inv, rec, &project);
    let mut assets = Vec::with_capacity(inv.assets.len());
    let mut any_endpoint = false;
    for (i, (a, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let m = &r.mechanisms;
        let name_id = a.previously.first().unwrap_or(&a.id);
        let tier = inv.tier_of(a);
        let region_rpo = tier.objective(Scenario::Region).rpo;
        let (name, terraform, kind) = match &a.kind {
            AssetKind::Rds(x) => {
                let name = scoped_name(&project, name_id, 40);
                let replica = m.read_replica.then(|| format!("{name}-dr"));
                let kms = m.read_replica || (m.backup_replication && x.encrypted);
                let kind = KindDeployment::Rds(RdsDeployment {
                    identifier: x.identifier.clone(),
                    read_replica: m.read_replica,
                    backup_replication: m.backup_replication,
                    secondary_key_alias: kms.then(|| format!("alias/lifeboat/{name}-rds-dr")),
                    monitoring_role: m.read_replica.then(|| format!("{name}-rds-dr-monitoring")),
                    lag_alarm: m.read_replica.then(|| format!("{name}-dr-replica-lag")),
                    // Idle PostgreSQL sources report up to 300 s of lag: never alarm below that.
                    lag_threshold_seconds: region_rpo
                        .map_or(900, |d| d.as_secs())
                        .clamp(300, 86_400),
                    backup_replication_retention_days: backup::days(tier.retention).min(35),
                    source_events: format!("{name}-rds-source"),
                    replica_events: m.read_replica.then(|| format!("{name}-rds-dr-replica")),
                    replica,
                });
                let tf = TfObject::module("rds-dr", tf_name("rds", &a.id));
                (name, Some(tf), kind)
            }
            AssetKind::S3(x) => {
                let name = scoped_name(&project, name_id, 48);
                let replication = m.replication.then(|| S3Replication {
                    destination_bucket: destination_bucket(
                        &x.bucket,
                        &p.secondary_region,
                        x.dr.destination_bucket.as_deref(),
                    ),
                    rule_id: format!("{name}-crr-{}", p.secondary_region),
                    role: format!("{name}-s3-replication"),
                    batch_role: format!("{name}-s3-batch"),
                    destination_key_alias: format!("alias/{name}-s3-replica"),
                    replication_time_control: m.replication_time_control,
                    replicate_deletes: m.replicate_deletes,
                    noncurrent_version_retention_days: backup::days(tier.retention),
                    failed_alarm: format!("{name}-s3-replication-failed-operations"),
                    latency_alarm: m
                        .replication_time_control
                        .then(|| format!("{name}-s3-replication-latency")),
                    // RTC replicates 99.99% within 15 min: alarm from there, or at the Region RPO.
                    latency_threshold_seconds: region_rpo
                        .map_or(900, |d| d.as_secs())
                        .clamp(900, 86_400),
                });
                let label = tf_name("s3", &a.id);
                let versioning = replication.is_none() && m.backup.is_some();
                let tf = if replication.is_some() {
                    Some(TfObject::module("s3-replication", label))
                } else if versioning {
                    Some(TfObject {
                        address: format!("aws_s3_bucket_versioning.{label}"),
                        label,
                        module: None,
                    })
                } else {
                    None
                };
                let kind = KindDeployment::S3(S3Deployment {
                    bucket: x.bucket.clone(),
                    kms_key_arn: x.kms_key_arn.clone(),
                    replication,
                    versioning,
                });
                (name, tf, kind)
            }
            AssetKind::Aurora(x) => {
                let name = scoped_name(&project, name_id, 40);
                let g = m.global_database;
                let kind = KindDeployment::Aurora(AuroraDeployment {
                    cluster_identifier: x.cluster_identifier.clone(),
                    global_database: g,
                    global_cluster: g.then(|| format!("{name}-global")),
                    secondary_cluster: g.then(|| format!("{name}-dr")),
                    secondary_instances: if g {
                        vec![format!("{name}-dr-1")]
                    } else {
                        Vec::new()
                    },
                    secondary_key_alias: (g && x.encrypted)
                        .then(|| format!("alias/lifeboat/{name}-aurora-dr")),
                    monitoring_role: g.then(|| format!("{name}-aurora-dr-monitoring")),
                    lag_alarm: g.then(|| format!("{name}-aurora-global-lag")),
                    lag_threshold_seconds: region_rpo.map_or(900, |d| d.as_secs()).clamp(1, 86_400),
                    source_events: format!("{name}-aurora-source"),
                    secondary_events: g.then(|| format!("{name}-aurora-dr")),
                });
                let tf = TfObject::module("aurora-dr", tf_name("aurora", &a.id));
                (name, Some(tf), kind)
            }
            AssetKind::Dynamodb(x) => {
                let name = scoped_name(&project, name_id, 48);
                let g = m.global_table;
                let kind = KindDeployment::Dynamodb(DynamodbDeployment {
                    table: x.table.clone(),
                    global_table: g,
                    pitr: m.pitr,
                    pitr_recovery_period_days: backup::days(
                        tier.retention
                            .min(crate::check::mechanisms::PITR_MAX_RETENTION),
                    ),
                    secondary_key_alias: g
                        .then(|| format!("alias/lifeboat/{name}-dynamodb-replica")),
                    latency_alarm: g.then(|| format!("{name}-dynamodb-replication-latency")),
                    latency_threshold_seconds: region_rpo
                        .map_or(900, |d| d.as_secs())
                        .clamp(1, 86_400),
                });
                let tf = TfObject::module("dynamodb-dr", tf_name("dynamodb", &a.id));
                (name, Some(tf), kind)
            }
            AssetKind::Efs(x) => {
                let name = scoped_name(&project, name_id, 48);
                let r = m.efs_replication;
                let kind = KindDeployment::Efs(EfsDeployment {
                    file_system_id: x.file_system_id.clone(),
                    replication: r,
                    secondary_key_alias: r.then(|| format!("alias/lifeboat/{name}-efs-replica")),
                    sync_alarm: r.then(|| format!("{name}-efs-time-since-last-sync")),
                    // EFS syncs at least every 15 minutes: alarm from there, or at the Region RPO.
                    sync_threshold_seconds: region_rpo
                        .map_or(1800, |d| d.as_secs())
                        .clamp(900, 86_400),
                });
                let tf = TfObject::module("efs-dr", tf_name("efs", &a.id));
                (name, Some(tf), kind)
            }
            AssetKind::Endpoint(e) => {
                any_endpoint = true;
                let name = scoped_name(&project, name_id, 48);
                let kind = KindDeployment::Endpoint(EndpointDeployment {
                    domain: e.domain.clone(),
                    zone_id: e.zone_id.clone(),
                    primary_set_identifier: format!("{name}-primary"),
                    secondary_set_identifier: format!("{name}-secondary"),
                    primary_alarm: format!("{name}-primary-endpoint-unhealthy"),
                    secondary_alarm: format!("{name}-secondary-endpoint-unhealthy"),
                });
                let tf = TfObject::module("route53-failover", tf_name("endpoint", &a.id));
                (name, Some(tf), kind)
            }
        };
        assets.push(AssetDeployment {
            id: a.id.clone(),
            name,
            terraform,
            backup_plan: plan_of[i].clone(),
            kind,
        });
    }

    let mut regions = vec![p.primary_region.clone(), p.secondary_region.clone()];
    if any_endpoint {
        regions.push(ROUTE53_METRICS_REGION.to_owned());
    }
    regions.sort();
    regions.dedup();
    let backup_event_regions = if backup.is_some() {
        let mut v = vec![p.primary_region.clone(), p.secondary_region.clone()];
        v.sort();
        v
    } else {
        Vec::new()
    };
    let mut kms_event_regions = vec![p.primary_region.clone(), p.secondary_region.clone()];
    kms_event_regions.sort();
    let mut default_tags = p.tags.clone();
    default_tags.insert("managed-by".into(), "lifeboat".into());
    default_tags.insert("lifeboat-project".into(), p.name.clone());
    let drills = drills::design(inv, rec, &assets, &project);
    let moved = moves(inv, &assets);
    let region_switch = region_switch::design(inv, rec, &project, &assets);
    let (audit, audit_omitted) = match &backup {
        Some(b) => match audit::design(inv, rec, b, &project, &plan_of) {
            Ok(a) => (Some(a), None),
            Err(why) => (None, Some(why)),
        },
        None => (None, None),
    };
    let resilience = audit::resilience(inv, &project);
    let protected = protected(
        &assets,
        backup.as_ref(),
        audit.as_ref(),
        &p.primary_region,
        &p.secondary_region,
    );
    Deployment {
        alerts: Alerts {
            topic: format!("{project}-alerts"),
            regions,
            backup_event_regions,
            kms_event_regions,
            emails: p.alert_emails.clone(),
        },
        project,
        primary_region: p.primary_region.clone(),
        secondary_region: p.secondary_region.clone(),
        default_tags,
        backup,
        region_switch,
        audit,
        audit_omitted,
        resilience,
        assets,
        moved,
        protected,
        drills,
    }
}

/// The resources that hold or protect data, from what each asset deploys, each
/// with the identity that Terraform replaces it for when it changes.
fn protected(
    assets: &[AssetDeployment],
    backup: Option<&BackupDesign>,
    audit: Option<&Audit>,
    primary: &str,
    secondary: &str,
) -> Vec<Protected> {
    let mut out = Vec::new();
    let mut p = |address: String, asset: &str, what: &str, name: String| {
        out.push(Protected {
            address,
            asset: asset.to_owned(),
            what: what.to_owned(),
            name,
        })
    };
    let at_region = |name: &str, region: &str| format!("{name} in {region}");
    if let Some(b) = backup {
        for (v, vault, in_primary) in b.all_vaults() {
            let region = if in_primary { primary } else { secondary };
            p(
                format!("module.backup.aws_backup_vault.this[\"{v}\"]"),
                "",
                &format!("AWS Backup {v} vault and its recovery points"),
                at_region(vault, region),
            );
            p(
                format!("module.backup.aws_kms_key.this[\"{v}\"]"),
                "",
                &format!("KMS key that encrypts the {v} vault"),
                // A key's description and alias change in place; only its Region
                // replaces it.
                format!("a key in {region}"),
            );
        }
    }
    if let Some(v) = backup.and_then(|b| b.isolated.as_ref()) {
        p(
            "module.isolated_vault.aws_backup_logically_air_gapped_vault.this".to_owned(),
            "",
            "logically air-gapped vault and its isolated copies",
            at_region(&v.name, &v.region),
        );
    }
    if let Some(x) = audit {
        p(
            "module.backup_audit.aws_s3_bucket.reports".to_owned(),
            "",
            "AWS Backup Audit Manager reports (backup, restore and compliance evidence)",
            at_region(&format!("{}-<account>", x.report_bucket_prefix), primary),
        );
    }
    for a in assets {
        let Some(tf) = &a.terraform else { continue };
        let at = &tf.address;
        // A key's description and alias change in place; only its Region replaces it.
        let key = || format!("a key in {secondary}");
        match &a.kind {
            KindDeployment::Rds(x) => {
                if let Some(replica) = &x.replica {
                    p(
                        format!("{at}.aws_db_instance.replica[0]"),
                        &a.id,
                        "cross-Region read replica",
                        at_region(replica, secondary),
                    );
                }
                if x.backup_replication {
                    p(
                        format!("{at}.aws_db_instance_automated_backups_replication.this[0]"),
                        &a.id,
                        "replicated automated backups",
                        at_region(&format!("the backups of {}", x.identifier), secondary),
                    );
                }
                if x.secondary_key_alias.is_some() {
                    p(
                        format!("{at}.aws_kms_key.secondary[0]"),
                        &a.id,
                        "KMS key of the replica and replicated backups",
                        key(),
                    );
                }
            }
            KindDeployment::S3(x) => {
                if let Some(rep) = &x.replication {
                    p(
                        format!("{at}.aws_s3_bucket.destination"),
                        &a.id,
                        "replica bucket",
                        at_region(&rep.destination_bucket, secondary),
                    );
                    p(
                        format!("{at}.aws_kms_key.destination"),
                        &a.id,
                        "KMS key of the replica bucket",
                        key(),
                    );
                } else if x.versioning {
                    p(
                        at.clone(),
                        &a.id,
                        "versioning of the source bucket (AWS Backup needs it; destroying it suspends versioning)",
                        at_region(&x.bucket, primary),
                    );
                }
            }
            KindDeployment::Aurora(x) => {
                if let (Some(global), Some(cluster)) = (&x.global_cluster, &x.secondary_cluster) {
                    p(
                        format!("{at}.aws_rds_global_cluster.this[0]"),
                        &a.id,
                        "the Global Database the source cluster belongs to",
                        global.clone(),
                    );
                    p(
                        format!("{at}.aws_rds_cluster.secondary[0]"),
                        &a.id,
                        "Global Database secondary cluster",
                        at_region(cluster, secondary),
                    );
                }
                if x.secondary_key_alias.is_some() {
                    p(
                        format!("{at}.aws_kms_key.secondary[0]"),
                        &a.id,
                        "KMS key of the secondary cluster",
                        key(),
                    );
                }
            }
            KindDeployment::Dynamodb(x) if x.global_table => {
                p(
                    format!("{at}.aws_dynamodb_table_replica.this[0]"),
                    &a.id,
                    "global table replica",
                    at_region(&x.table, secondary),
                );
                p(
                    format!("{at}.aws_kms_key.secondary[0]"),
                    &a.id,
                    "KMS key of the replica table",
                    key(),
                );
            }
            KindDeployment::Efs(x) if x.replication => {
                p(
                    format!("{at}.aws_efs_replication_configuration.this[0]"),
                    &a.id,
                    "EFS replication and its replica file system",
                    at_region(&format!("the replica of {}", x.file_system_id), secondary),
                );
                p(
                    format!("{at}.aws_kms_key.secondary[0]"),
                    &a.id,
                    "KMS key of the replica file system",
                    key(),
                );
            }
            KindDeployment::Endpoint(_) | KindDeployment::Dynamodb(_) | KindDeployment::Efs(_) => {}
        }
    }
    out.sort();
    out
}

/// Address moves for assets renamed with `previously`: a chain `p1 -> p2 -> ...
/// -> id` (Terraform follows chained `moved` blocks), for the object that exists
/// in the new configuration (a `moved` block must point at a declared address).
fn moves(inv: &Inventory, assets: &[AssetDeployment]) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for (a, d) in inv.assets.iter().zip(assets) {
        let Some(tf) = &d.terraform else { continue };
        if a.previously.is_empty() {
            continue;
        }
        // The same object under an older id: the label's asset part replaced.
        let prefix = tf
            .label
            .strip_suffix(&a.id.replace('-', "_"))
            .expect("labels end with the asset id");
        let kind = tf
            .address
            .strip_suffix(&tf.label)
            .expect("addresses end with the label");
        let address = |id: &str| format!("{kind}{prefix}{}", id.replace('-', "_"));
        let chain: Vec<&String> = a.previously.iter().chain(std::iter::once(&a.id)).collect();
        for pair in chain.windows(2) {
            v.push((address(pair[0]), address(pair[1])));
        }
    }
    v
}

/// The AWS partition a Region belongs to, and its DNS suffix.
pub fn partition(region: &str) -> (&'static str, &'static str) {
    if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com")
    } else if region.starts_with("us-isob-") {
        ("aws-iso-b", "sc2s.sgov.gov")
    } else if region.starts_with("us-iso-") {
        ("aws-iso", "c2s.ic.gov")
    } else {
        ("aws", "amazonaws.com")
    }
}

/// What an endpoint's failover record serves in each Region, for people.
pub fn target_name(t: &Target) -> &str {
    match t {
        Target::Hostname(h) => h,
        Target::Alias { name, .. } => name,
    }
}
