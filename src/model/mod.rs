//! Stage 3, model: the checked, typed inventory that later stages work on.
//!
//! Built from the input schema by [`lower::lower`]. Values here are parsed
//! (durations, regions), tiers are resolved (built-in or declared), and every
//! asset remembers its spans for diagnostics. Nothing here knows HCL or JSON.

pub mod date;
pub mod duration;
pub mod lower;
pub mod params;
pub mod tiers;

use indexmap::IndexMap;
use serde::Serialize;

pub use self::date::{Date, Instant};
pub use self::duration::Dur;
pub use self::params::Params;
pub use crate::input::AuroraEngine;
use crate::input::{Engine, Protocol};
use crate::source::Span;

/// A name made safe for AWS resource names: lower-case letters, digits and single
/// hyphens, at most 32 characters, no hyphen at either end.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 32 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl Engine {
    /// Whether AWS offers a cross-Region read replica for this engine: Oracle and
    /// SQL Server only on Enterprise Edition (docs/recovery-model.md, "Engine support").
    pub fn allows_cross_region_replica(self) -> bool {
        !matches!(
            self,
            Engine::OracleSe2 | Engine::SqlserverSe | Engine::SqlserverEx | Engine::SqlserverWeb
        )
    }
}

/// The three disruption scenarios of the inventory language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    Az,
    Region,
    Corruption,
}

impl Scenario {
    pub const ALL: [Scenario; 3] = [Scenario::Az, Scenario::Region, Scenario::Corruption];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Az => "az",
            Scenario::Region => "region",
            Scenario::Corruption => "corruption",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn describe(self) -> &'static str {
        match self {
            Scenario::Az => "loss of one Availability Zone or host",
            Scenario::Region => "loss of the primary Region",
            Scenario::Corruption => "data corrupted, encrypted or deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// RPO and RTO objectives of one scenario; `None` means no objective.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Objective {
    pub rpo: Option<Dur>,
    pub rto: Option<Dur>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tier {
    pub name: String,
    pub builtin: bool,
    /// Indexed by [`Scenario::index`].
    pub objectives: [Objective; 3],
    pub retention: Dur,
    /// How old a measurement may be; `None`: `Params::measurement_max_age`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measurement_max_age: Option<Dur>,
    /// Whether this tier's recovery points go to vaults locked in compliance mode:
    /// the tier's own `immutable_backups`, else the project's, else `true` for the
    /// tier named `mission-critical` ([`tiers::immutable_by_default`]).
    pub immutable_backups: bool,
    /// Extension: AWS Backup copies the tier's recovery points into the logically
    /// air-gapped vault.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub isolated_copy: bool,
    /// Extension: the corruption scenario includes a compromised account.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub account_compromise: bool,
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Tier {
    pub fn objective(&self, s: Scenario) -> Objective {
        self.objectives[s.index()]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub name: String,
    pub primary_region: String,
    pub secondary_region: String,
    pub region_switch_approval: bool,
    pub region_switch_dns: bool,
    pub tags: IndexMap<String, String>,
    pub alert_emails: Vec<String>,
    /// `Some(true)`: every vault in compliance mode; `Some(false)`: none, unless a tier
    /// asks; `None`: each tier's default.
    pub immutable_backups: Option<bool>,
    pub drills: bool,
    /// Extension: the account the logically air-gapped vault is shared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_account_id: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub id: String,
    pub tier: String,
    pub depends_on: Vec<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub tags: IndexMap<String, String>,
    pub previously: Vec<String>,
    pub measured: Measured,
    /// Breaches accepted as known risks, at most one per scenario, in scenario order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted_risks: Vec<AcceptedRisk>,
    /// Its tier's `isolated_copy` and `account_compromise` (what the recovery
    /// model reads for the asset alone).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub isolated_copy: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub account_compromise: bool,
    #[serde(flatten)]
    pub kind: AssetKind,
    /// The asset's label (`asset "<id>"`).
    #[serde(skip)]
    pub span: Span,
    /// Spans of `depends_on` entries, parallel to `depends_on`.
    #[serde(skip)]
    pub depends_on_spans: Vec<Span>,
    #[serde(skip)]
    pub tier_span: Span,
}

/// A breach in one scenario that `owner` accepts until `expires` (inclusive).
#[derive(Debug, Clone, Serialize)]
pub struct AcceptedRisk {
    pub scenario: Scenario,
    pub reason: String,
    pub owner: String,
    pub expires: Date,
    /// The worst estimates accepted, when bounded.
    pub rpo: Option<Dur>,
    pub rto: Option<Dur>,
    /// The `accepted_risk "<scenario>"` label.
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub expires_span: Span,
}

impl Asset {
    pub fn accepted_risk(&self, s: Scenario) -> Option<&AcceptedRisk> {
        self.accepted_risks.iter().find(|r| r.scenario == s)
    }

    /// Whether lifeboat counts on AWS Backup copying this kind's recovery points
    /// into a logically air-gapped vault. Only kinds for which AWS documents
    /// recovery points in such a vault count: AWS Config's managed rules
    /// `aurora-`, `efs-` and `s3-resources-in-logically-air-gapped-vault` check
    /// exactly that (AWS Config Developer Guide). RDS DB instances and DynamoDB
    /// tables have no such rule, and AWS Backup's feature availability table could
    /// not be confirmed for them, so they get no isolated copy (`W305`) rather than
    /// one the model would count on an assumption.
    pub fn isolated_copy_supported(&self) -> bool {
        matches!(
            self.kind,
            AssetKind::S3(_) | AssetKind::Aurora(_) | AssetKind::Efs(_)
        )
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            AssetKind::Rds(_) => "rds",
            AssetKind::S3(_) => "s3",
            AssetKind::Endpoint(_) => "endpoint",
            AssetKind::Aurora(_) => "aurora",
            AssetKind::Dynamodb(_) => "dynamodb",
            AssetKind::Efs(_) => "efs",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Measured {
    pub restore: Option<Dur>,
    pub failover: Option<Dur>,
    /// Where `restore` comes from when a `measurement` block (not the asset's
    /// own `measured`) gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_dated: Option<Dated>,
}

/// A measurement's day and how many restore jobs it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dated {
    pub date: Date,
    pub jobs: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AssetKind {
    Rds(Rds),
    S3(S3),
    Endpoint(Endpoint),
    Aurora(Aurora),
    Dynamodb(Dynamodb),
    Efs(Efs),
}

#[derive(Debug, Clone, Serialize)]
pub struct Rds {
    pub identifier: String,
    #[serde(serialize_with = "ser_engine")]
    pub engine: Engine,
    pub storage_gb: f64,
    pub multi_az: bool,
    pub encrypted: bool,
    pub dr: RdsChoices,
}

fn ser_engine<S: serde::Serializer>(e: &Engine, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(e.as_str())
}

/// The inventory's `dr { }` pins; `None` leaves the choice to the model.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RdsChoices {
    pub read_replica: Option<bool>,
    pub replica_instance_class: Option<String>,
    pub continuous_backup: Option<bool>,
    pub backup_frequency: Option<Dur>,
    pub cross_region_copy: Option<bool>,
    pub backup_replication: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct S3 {
    pub bucket: String,
    pub size_gb: Option<f64>,
    pub objects: Option<u64>,
    pub kms_key_arn: Option<String>,
    pub dr: S3Choices,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct S3Choices {
    pub replication: Option<bool>,
    pub replication_time_control: Option<bool>,
    pub replicate_deletes: Option<bool>,
    pub destination_bucket: Option<String>,
    pub continuous_backup: Option<bool>,
    pub cross_region_copy: Option<bool>,
    pub backup_frequency: Option<Dur>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Aurora {
    pub cluster_identifier: String,
    #[serde(serialize_with = "ser_aurora_engine")]
    pub engine: AuroraEngine,
    pub storage_gb: f64,
    pub instance_class: Option<String>,
    pub encrypted: bool,
    /// A reader instance in another AZ to fail over to.
    pub multi_az: bool,
    pub dr: AuroraChoices,
}

fn ser_aurora_engine<S: serde::Serializer>(e: &AuroraEngine, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(e.as_str())
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AuroraChoices {
    pub global_database: Option<bool>,
    pub continuous_backup: Option<bool>,
    pub backup_frequency: Option<Dur>,
    pub cross_region_copy: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dynamodb {
    pub table: String,
    pub size_gb: Option<f64>,
    pub dr: DynamodbChoices,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DynamodbChoices {
    pub global_table: Option<bool>,
    /// DynamoDB's own point-in-time recovery (`pitr`, or `continuous_backup`).
    pub pitr: Option<bool>,
    pub backup_frequency: Option<Dur>,
    pub cross_region_copy: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Efs {
    pub file_system_id: String,
    pub size_gb: Option<f64>,
    pub dr: EfsChoices,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EfsChoices {
    pub replication: Option<bool>,
    pub backup_frequency: Option<Dur>,
    pub cross_region_copy: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub zone_id: String,
    pub domain: String,
    pub primary: Target,
    pub secondary: Target,
    pub health_check: HealthCheck,
    /// TTL of CNAME records (seconds).
    pub ttl: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Hostname(String),
    Alias { name: String, zone_id: String },
}

impl Target {
    pub fn is_alias(&self) -> bool {
        matches!(self, Target::Alias { .. })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthCheck {
    #[serde(serialize_with = "ser_protocol")]
    pub protocol: Protocol,
    pub port: u32,
    pub path: String,
    pub interval: u32,
    pub failure_threshold: u32,
}

fn ser_protocol<S: serde::Serializer>(p: &Protocol, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.as_str())
}

/// The whole checked inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    pub project: Project,
    /// Every tier that exists: built-in ones (possibly overridden) and declared ones.
    pub tiers: IndexMap<String, Tier>,
    pub params: Params,
    /// Sorted by id, so that output never depends on file or block order.
    pub assets: Vec<Asset>,
    /// The day accepted risks are judged on (UTC; `LIFEBOAT_TODAY` sets it). Only
    /// verdicts depend on it, never generated text.
    #[serde(skip)]
    pub today: Date,
}

impl Inventory {
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.assets[i])
    }

    pub fn tier_of(&self, asset: &Asset) -> &Tier {
        &self.tiers[&asset.tier]
    }
}
