//! Estimates: for one asset, one scenario and one set of mechanisms, the recovery
//! paths that exist and what each costs in data (RPO) and time (RTO), term by term.

use serde::Serialize;

use super::mechanisms::Mechanisms;
use crate::model::{
    Asset, AssetKind, Aurora, Dur, Endpoint, Objective, Params, S3, Scenario, Target,
};

/// Where a term's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "type", content = "name", rename_all = "lowercase")]
pub enum Source {
    /// A model parameter (fact or assumption; see `Params`).
    Param(&'static str),
    /// A `measured { }` duration of the asset.
    Measured(&'static str),
    /// The asset's `measurement` block (restore jobs measured by AWS Backup).
    Measurement,
    /// A value of the inventory (e.g. the health check interval).
    Input(&'static str),
    /// Computed from other values shown in the label.
    Derived,
}

/// What a term is, for people. Most labels are fixed text; the others keep their
/// numbers and are written out only when shown: the model builds thousands of
/// terms per asset while it compares mechanism sets, and formatting them all
/// (floats especially) cost more than the model itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Label {
    Text(&'static str),
    /// `<text> (measured in a drill)`.
    Measured(&'static str),
    /// `restore: <size> GB at <rate> GB/h`.
    Transfer {
        size_gb: f64,
        gb_per_hour: f64,
    },
    /// `restore: <n> objects at <rate> objects/s[ (<size> GB at <kb> KB per object assumed)]`,
    /// the larger of an S3 restore's two terms.
    Objects {
        objects: u64,
        per_second: f64,
        assumed_kb: Option<f64>,
    },
    /// `restore: <size> GB at <rate> GB/h`, the larger of an S3 restore's two terms.
    Bytes {
        size_gb: f64,
        gb_per_hour: f64,
    },
    /// `detection: the Route 53 health-check alarm ...`.
    HealthAlarm {
        interval: u32,
        failures: u32,
    },
    /// `detection: the Region switch plan's trigger ...`.
    TriggerAlarm {
        interval: u32,
        failures: u32,
    },
    /// `lazy loading: <size> GB at <rate> GB/h until full speed`.
    LazyLoad {
        size_gb: f64,
        gb_per_hour: f64,
    },
    /// `backup interval (<frequency>)`.
    BackupInterval(Dur),
    /// `health check detection: <interval> s interval x <failures> failures`.
    Detection {
        interval: u32,
        failures: u32,
    },
    /// `<alias|CNAME> record TTL held by resolvers`.
    RecordTtl(&'static str),
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::Text(t) => f.write_str(t),
            Label::Measured(t) => write!(f, "{t} (measured in a drill)"),
            Label::Transfer {
                size_gb,
                gb_per_hour,
            } => write!(f, "restore: {size_gb} GB at {gb_per_hour} GB/h"),
            Label::Objects {
                objects,
                per_second,
                assumed_kb,
            } => {
                write!(
                    f,
                    "restore: {} objects at {per_second} objects/s",
                    grouped(*objects)
                )?;
                if let Some(kb) = assumed_kb {
                    write!(f, " (count unknown: {kb} KB per object assumed)")?;
                }
                f.write_str(", more than the bytes take")
            }
            Label::Bytes {
                size_gb,
                gb_per_hour,
            } => write!(
                f,
                "restore: {size_gb} GB at {gb_per_hour} GB/h, more than the objects take"
            ),
            Label::HealthAlarm { interval, failures } => write!(
                f,
                "detection: the fastest endpoint's Route 53 health-check alarm ({interval} s x {failures} failures, then one {} s alarm period)",
                crate::model::params::HEALTH_ALARM_PERIOD_SECS
                    * crate::model::params::HEALTH_ALARM_EVALUATION_PERIODS
            ),
            Label::TriggerAlarm { interval, failures } => write!(
                f,
                "detection: the Region switch plan's trigger, once every primary endpoint's health-check alarm is red (the slowest: {interval} s x {failures} failures, then one {} s alarm period)",
                crate::model::params::HEALTH_ALARM_PERIOD_SECS
                    * crate::model::params::HEALTH_ALARM_EVALUATION_PERIODS
            ),
            Label::LazyLoad {
                size_gb,
                gb_per_hour,
            } => write!(
                f,
                "lazy loading: {size_gb} GB at {gb_per_hour} GB/h until full speed"
            ),
            Label::BackupInterval(d) => write!(f, "backup interval ({d})"),
            Label::Detection { interval, failures } => write!(
                f,
                "health check detection: {interval} s interval x {failures} failures"
            ),
            Label::RecordTtl(kind) => write!(f, "{kind} record TTL held by resolvers"),
        }
    }
}

/// `93750000` as `93,750,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl From<&'static str> for Label {
    fn from(t: &'static str) -> Self {
        Label::Text(t)
    }
}

/// Serialized as the text people read (the JSON report's shape is unchanged).
impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub label: Label,
    pub value: Dur,
    pub source: Source,
    /// Time before the recovery work can begin (detection, a person's decision).
    /// It passes once per incident: an asset whose dependencies take longer
    /// than it has already passed while they recovered.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub start: bool,
}

fn term(label: impl Into<Label>, value: Dur, source: Source) -> Term {
    Term {
        label: label.into(),
        value,
        source,
        start: false,
    }
}

/// The measured restore time: the asset's own `measured { restore }` (a drill),
/// or its `measurement` (AWS Backup restore jobs, `lifeboat measure`).
fn measured_restore(asset: &Asset, d: Dur) -> Term {
    match asset.measured.restore_dated {
        Some(_) => term(
            "restore (measured by AWS Backup restore jobs)",
            d,
            Source::Measurement,
        ),
        None => term(
            "restore (measured in a drill)",
            d,
            Source::Measured("restore"),
        ),
    }
}

fn start_term(label: &'static str, value: Dur, source: Source) -> Term {
    Term {
        start: true,
        ..term(label, value, source)
    }
}

/// Which way of recovering a path is. Renderers (the runbook's steps, the
/// deployment's names) match on it; [`PathKind::name`] is what people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathKind {
    Rds(RdsPath),
    S3(S3Path),
    Endpoint(EndpointPath),
    Aurora(AuroraPath),
    Dynamodb(DynamodbPath),
    Efs(EfsPath),
    /// Any kind: restore the copy in the logically air-gapped vault from the
    /// recovery account (a tier's `account_compromise`, with `isolated_copy`).
    IsolatedCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RdsPath {
    MultiAzFailover,
    PitrInRegion,
    PromoteReplica,
    PitrFromReplicatedBackups,
    RestoreCopy,
    BackupPitr,
    RestoreSnapshot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum S3Path {
    Unaffected,
    SwitchToReplica,
    RestoreCopy,
    BackupPitr,
    RestoreLatest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointPath {
    Unaffected,
    DnsFailover,
    /// With `region_switch_dns`: the Region switch plan's Route 53 health check
    /// step moves the records, in the wave after the data the endpoint needs.
    PlanDns,
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuroraPath {
    ReaderFailover,
    NewWriter,
    GlobalFailover,
    RestoreCopy,
    BackupPitr,
    RestoreSnapshot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DynamodbPath {
    Unaffected,
    SwitchToReplica,
    RestoreCopy,
    Pitr,
    RestoreBackup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EfsPath {
    Unaffected,
    FailoverToReplica,
    RestoreCopy,
    RestoreBackup,
}

impl PathKind {
    /// Every kind of path the model knows.
    pub const ALL: [PathKind; 32] = [
        PathKind::Rds(RdsPath::MultiAzFailover),
        PathKind::Rds(RdsPath::PitrInRegion),
        PathKind::Rds(RdsPath::PromoteReplica),
        PathKind::Rds(RdsPath::PitrFromReplicatedBackups),
        PathKind::Rds(RdsPath::RestoreCopy),
        PathKind::Rds(RdsPath::BackupPitr),
        PathKind::Rds(RdsPath::RestoreSnapshot),
        PathKind::S3(S3Path::Unaffected),
        PathKind::S3(S3Path::SwitchToReplica),
        PathKind::S3(S3Path::RestoreCopy),
        PathKind::S3(S3Path::BackupPitr),
        PathKind::S3(S3Path::RestoreLatest),
        PathKind::Endpoint(EndpointPath::Unaffected),
        PathKind::Endpoint(EndpointPath::DnsFailover),
        PathKind::Endpoint(EndpointPath::PlanDns),
        PathKind::Endpoint(EndpointPath::NoData),
        PathKind::Aurora(AuroraPath::ReaderFailover),
        PathKind::Aurora(AuroraPath::NewWriter),
        PathKind::Aurora(AuroraPath::GlobalFailover),
        PathKind::Aurora(AuroraPath::RestoreCopy),
        PathKind::Aurora(AuroraPath::BackupPitr),
        PathKind::Aurora(AuroraPath::RestoreSnapshot),
        PathKind::Dynamodb(DynamodbPath::Unaffected),
        PathKind::Dynamodb(DynamodbPath::SwitchToReplica),
        PathKind::Dynamodb(DynamodbPath::RestoreCopy),
        PathKind::Dynamodb(DynamodbPath::Pitr),
        PathKind::Dynamodb(DynamodbPath::RestoreBackup),
        PathKind::Efs(EfsPath::Unaffected),
        PathKind::Efs(EfsPath::FailoverToReplica),
        PathKind::Efs(EfsPath::RestoreCopy),
        PathKind::Efs(EfsPath::RestoreBackup),
        PathKind::IsolatedCopy,
    ];

    /// What the path is called in `explain`, reports and the runbook.
    pub fn name(self) -> &'static str {
        match self {
            PathKind::Rds(p) => match p {
                RdsPath::MultiAzFailover => "Multi-AZ failover to the standby",
                RdsPath::PitrInRegion => {
                    "point-in-time restore into another AZ (automated backups)"
                }
                RdsPath::PromoteReplica => "promote the cross-Region read replica",
                RdsPath::PitrFromReplicatedBackups => {
                    "point-in-time restore from replicated automated backups"
                }
                RdsPath::RestoreCopy => {
                    "restore the latest recovery point copied to the secondary Region"
                }
                RdsPath::BackupPitr => "point-in-time restore from AWS Backup (continuous)",
                RdsPath::RestoreSnapshot => "restore the latest AWS Backup snapshot",
            },
            PathKind::S3(p) => match p {
                S3Path::Unaffected => "not affected (S3 stores data across at least three AZs)",
                S3Path::SwitchToReplica => "switch clients to the replica bucket",
                S3Path::RestoreCopy => {
                    "restore the latest recovery point copied to the secondary Region"
                }
                S3Path::BackupPitr => "point-in-time restore from AWS Backup (continuous)",
                S3Path::RestoreLatest => "restore the latest AWS Backup recovery point",
            },
            PathKind::Endpoint(p) => match p {
                EndpointPath::Unaffected => "not affected (the target is assumed to span AZs)",
                EndpointPath::DnsFailover => "Route 53 fails over to the secondary target",
                EndpointPath::PlanDns => "the Region switch plan moves DNS to the secondary target",
                EndpointPath::NoData => {
                    "not affected (an endpoint holds no data; its dependencies are)"
                }
            },
            PathKind::Aurora(p) => match p {
                AuroraPath::ReaderFailover => "Aurora fails over to a reader in another AZ",
                AuroraPath::NewWriter => "Aurora replaces the writer with a new instance",
                AuroraPath::GlobalFailover => {
                    "fail the Global Database over to the secondary cluster"
                }
                AuroraPath::RestoreCopy => {
                    "restore the latest recovery point copied to the secondary Region"
                }
                AuroraPath::BackupPitr => "point-in-time restore from AWS Backup (continuous)",
                AuroraPath::RestoreSnapshot => "restore the latest AWS Backup snapshot",
            },
            PathKind::Dynamodb(p) => match p {
                DynamodbPath::Unaffected => "not affected (DynamoDB stores data across three AZs)",
                DynamodbPath::SwitchToReplica => "switch clients to the global table replica",
                DynamodbPath::RestoreCopy => {
                    "restore the latest recovery point copied to the secondary Region"
                }
                DynamodbPath::Pitr => "point-in-time restore to a new table",
                DynamodbPath::RestoreBackup => "restore the latest AWS Backup recovery point",
            },
            PathKind::Efs(p) => match p {
                EfsPath::Unaffected => "not affected (a Regional file system spans AZs)",
                EfsPath::FailoverToReplica => "make the EFS replica writable and switch clients",
                EfsPath::RestoreCopy => {
                    "restore the latest recovery point copied to the secondary Region"
                }
                EfsPath::RestoreBackup => "restore the latest AWS Backup recovery point",
            },
            PathKind::IsolatedCopy => {
                "restore the latest copy in the logically air-gapped vault, from the recovery account"
            }
        }
    }
}

/// Serialized as its name (the JSON report's shape is unchanged).
impl Serialize for PathKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One way to recover an asset in a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    #[serde(rename = "name")]
    pub kind: PathKind,
    pub rpo: Vec<Term>,
    pub rto: Vec<Term>,
}

impl Path {
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn rpo(&self) -> Dur {
        self.rpo
            .iter()
            .fold(Dur::ZERO, |a, t| a.saturating_add(t.value))
    }
    /// The whole own RTO: [`Path::start`] then [`Path::work`].
    pub fn rto(&self) -> Dur {
        self.start().saturating_add(self.work())
    }
    /// Detection and decision: time before the recovery work can begin.
    pub fn start(&self) -> Dur {
        self.rto
            .iter()
            .filter(|t| t.start)
            .fold(Dur::ZERO, |a, t| a.saturating_add(t.value))
    }
    /// The recovery work itself.
    pub fn work(&self) -> Dur {
        self.rto
            .iter()
            .filter(|t| !t.start)
            .fold(Dur::ZERO, |a, t| a.saturating_add(t.value))
    }
    /// When the asset serves again if its dependencies serve again at `after`:
    /// the work begins once both they and its own start have passed.
    pub fn finish(&self, after: Dur) -> Dur {
        finish(self.start(), self.work(), after)
    }
}

/// [`Path::finish`] from the numbers.
pub fn finish(start: Dur, work: Dur, after: Dur) -> Dur {
    start.max(after).saturating_add(work)
}

impl PathKind {
    /// Recovers without anyone starting it: AWS (Multi-AZ, Aurora) or Route 53
    /// health checks act by themselves, or nothing needs to happen.
    pub fn automated(self) -> bool {
        matches!(
            self,
            PathKind::Rds(RdsPath::MultiAzFailover)
                | PathKind::S3(S3Path::Unaffected)
                | PathKind::Endpoint(_)
                | PathKind::Aurora(AuroraPath::ReaderFailover | AuroraPath::NewWriter)
                | PathKind::Dynamodb(DynamodbPath::Unaffected)
                | PathKind::Efs(EfsPath::Unaffected)
        )
    }
}

impl PathKind {
    /// A Region recovery that the project's ARC Region switch plan performs:
    /// lifeboat generates the plan whenever a chosen Region path is one of these
    /// (`deploy::RegionSwitch`), so the estimate may count on it.
    pub fn region_switch_step(self) -> bool {
        matches!(
            self,
            PathKind::Rds(RdsPath::PromoteReplica)
                | PathKind::Aurora(AuroraPath::GlobalFailover)
                | PathKind::Endpoint(EndpointPath::PlanDns)
        )
    }

    /// A data step of the plan: what makes lifeboat generate it. An endpoint's
    /// DNS step (`region_switch_dns`) only joins a plan that exists for these.
    pub fn region_switch_data_step(self) -> bool {
        self.region_switch_step() && !matches!(self, PathKind::Endpoint(_))
    }
}

/// With `region_switch_dns`, the Region recovery of an endpoint that depends on
/// what the plan recovers: the plan's Route 53 health check step switches ARC's
/// health checks, which the records use once their ids are passed to the tree
/// ([`rto_precondition`]). It starts when the plan does (its trigger), and the
/// composition along the graph makes it wait for the data it depends on; then
/// the step, Route 53 carrying the new status to its DNS answers, and the TTL.
pub fn plan_dns(e: &Endpoint, p: &Params) -> Path {
    let (ttl, ttl_source) = record_ttl(e, p);
    let kind = if matches!(e.primary, Target::Alias { .. }) && e.secondary.is_alias() {
        "alias"
    } else {
        "CNAME"
    };
    let mut rto = plan_start_terms(p);
    rto.extend([
        term(
            "the plan's Route 53 health check step reports the secondary Region healthy",
            p.region_switch_dns_step,
            Source::Param("region_switch_dns_step"),
        ),
        term(
            "health status reaching Route 53's DNS answers",
            p.dns_propagation,
            Source::Param("dns_propagation"),
        ),
        term(Label::RecordTtl(kind), ttl, ttl_source),
    ]);
    Path {
        kind: PathKind::Endpoint(EndpointPath::PlanDns),
        rpo: vec![term(
            "an endpoint holds no data",
            Dur::ZERO,
            Source::Derived,
        )],
        rto,
    }
}

/// What a path's RTO holds only for, when the model cannot see it: the plan moves
/// an endpoint's DNS only once its records use ARC's health checks, whose ids
/// exist only after the plan does; until the one-time step passes them to the
/// tree, the records keep lifeboat's own health checks and Route 53 fails the
/// endpoint over by itself (possibly before its database is promoted).
pub fn rto_precondition(kind: PathKind) -> Option<&'static str> {
    match kind {
        PathKind::Endpoint(EndpointPath::PlanDns) => Some(
            "holds once the records use the Region switch plan's Route 53 health checks (RUNBOOK.md, \"Once, after the first apply\"); until then Route 53 fails the endpoint over by itself on its own health checks (detection, then DNS), possibly before the data it needs is promoted",
        ),
        _ => None,
    }
}

/// What passes before the Region switch plan starts a step: with endpoints, its
/// trigger starts the execution once their health-check alarms are red (and a
/// person approves it if the project asks for approval); without, nothing
/// triggers it and a person starts it, as any manual recovery.
fn plan_start_terms(p: &Params) -> Vec<Term> {
    let (Some((interval, failures)), Some(d)) = (p.alarms.trigger, p.alarms.trigger_detection())
    else {
        let mut v = start_terms(Scenario::Region, p);
        if let Some(last) = v.last_mut() {
            last.label = Label::Text(
                "decision: a person confirms the incident and starts the Region switch plan (no endpoint alarm triggers it)",
            );
        }
        return v;
    };
    let mut v = vec![
        Term {
            start: true,
            ..term(
                Label::TriggerAlarm { interval, failures },
                d,
                Source::Derived,
            )
        },
        start_term(
            "the trigger starts the Region switch plan's execution",
            p.region_switch_trigger,
            Source::Param("region_switch_trigger"),
        ),
    ];
    if p.region_switch.approval {
        v.push(start_term(
            "approval: a person confirms the incident and approves the plan's approval step",
            p.decision_time,
            Source::Param("decision_time"),
        ));
    }
    v
}

/// What passes before a person can start a recovery in scenario `s`: the alarm
/// that tells them, then their decision.
fn start_terms(s: Scenario, p: &Params) -> Vec<Term> {
    let detection = match s {
        Scenario::Az => start_term(
            "detection: an RDS event notification reports the lost AZ or host",
            p.az_detection,
            Source::Param("az_detection"),
        ),
        Scenario::Region => match (p.alarms.health_check, p.alarms.region_detection()) {
            (Some((interval, failures)), Some(d)) => Term {
                start: true,
                ..term(
                    Label::HealthAlarm { interval, failures },
                    d,
                    Source::Derived,
                )
            },
            _ => start_term(
                "detection: no health-check alarm in this tree; people learn of the outage",
                p.unalarmed_detection,
                Source::Param("unalarmed_detection"),
            ),
        },
        Scenario::Corruption => start_term(
            "detection: the damage is discovered",
            p.corruption_detection,
            Source::Param("corruption_detection"),
        ),
    };
    let mut v = Vec::with_capacity(2);
    if detection.value > Dur::ZERO || !matches!(s, Scenario::Corruption) {
        v.push(detection);
    }
    v.push(start_term(
        "decision: a person confirms the incident and starts the recovery",
        p.decision_time,
        Source::Param("decision_time"),
    ));
    v
}

/// The recovery paths of `asset` in `scenario` with mechanisms `m`; empty when
/// nothing can recover it.
pub fn paths(asset: &Asset, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    if s == Scenario::Corruption && asset.account_compromise {
        return isolated_paths(asset, m, p);
    }
    let mut paths = kind_paths(asset, m, s, p);
    for path in &mut paths {
        if s == Scenario::Region && path.kind.region_switch_step() {
            let mut rto = plan_start_terms(p);
            rto.append(&mut path.rto);
            path.rto = rto;
        } else if !path.kind.automated() {
            let mut rto = start_terms(s, p);
            rto.append(&mut path.rto);
            path.rto = rto;
        }
    }
    paths
}

/// The corruption paths when the corruption may come from someone with
/// administrator access to the account (the tier's `account_compromise`): only
/// recovery points such an administrator cannot destroy count. Those in the
/// account's own vaults do not, even compliance-locked: the administrator can
/// schedule the deletion of the vault's customer managed KMS key, and
/// continuous backups and the services' own backups (PITR) live in the account.
/// The copy in the logically air-gapped vault does (AWS-owned account, compliance
/// lock): restored from the recovery account, it loses what the snapshot rule
/// and the copy have not yet taken, and takes the restore of the latest snapshot
/// plus getting access to the vault there.
fn isolated_paths(asset: &Asset, m: &Mechanisms, p: &Params) -> Vec<Path> {
    if !m.isolated_copy || m.backup.is_none() {
        return Vec::new();
    }
    let snapshot = kind_paths(asset, m, Scenario::Corruption, p)
        .into_iter()
        .find(|path| {
            matches!(
                path.kind,
                PathKind::Rds(RdsPath::RestoreSnapshot)
                    | PathKind::S3(S3Path::RestoreLatest)
                    | PathKind::Aurora(AuroraPath::RestoreSnapshot)
                    | PathKind::Dynamodb(DynamodbPath::RestoreBackup)
                    | PathKind::Efs(EfsPath::RestoreBackup)
            )
        });
    let Some(snapshot) = snapshot else {
        return Vec::new();
    };
    let mut rpo = schedule_terms(m, p, false);
    rpo.push(term(
        "copy into the logically air-gapped vault",
        p.isolated_copy_delay,
        Source::Param("isolated_copy_delay"),
    ));
    let mut rto = start_terms(Scenario::Corruption, p);
    rto.push(term(
        "open the vault in the recovery account (AWS RAM share) and find the recovery point",
        p.isolated_restore_access,
        Source::Param("isolated_restore_access"),
    ));
    rto.extend(snapshot.rto);
    vec![Path {
        kind: PathKind::IsolatedCopy,
        rpo,
        rto,
    }]
}

fn kind_paths(asset: &Asset, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    match &asset.kind {
        AssetKind::Rds(r) => rds(asset, r.multi_az, m, s, p),
        AssetKind::S3(b) => s3(asset, b, m, s, p),
        AssetKind::Endpoint(e) => endpoint(asset, e, s, p),
        AssetKind::Aurora(x) => aurora(asset, x, m, s, p),
        AssetKind::Dynamodb(x) => dynamodb(
            asset,
            x.size_gb.unwrap_or(p.dynamodb_default_size_gb),
            m,
            s,
            p,
        ),
        AssetKind::Efs(x) => efs(asset, x.size_gb.unwrap_or(p.efs_default_size_gb), m, s, p),
    }
}

/// The path to report: the fastest that meets the objective (RPO objective, RTO
/// budget), else the one with the fewest misses, then the fastest.
/// `after` is when the asset's dependencies will at best serve again: the RTO
/// budget is checked against [`Path::finish`].
pub fn best(paths: Vec<Path>, obj: Objective, after: Dur) -> Option<Path> {
    paths.into_iter().min_by_key(|path| {
        let rto = path.finish(after);
        let rpo_miss = obj.rpo.is_some_and(|o| path.rpo() > o);
        let rto_miss = obj.rto.is_some_and(|o| rto > o);
        (u8::from(rpo_miss) + u8::from(rto_miss), rto, path.rpo())
    })
}

fn restore(
    asset: &Asset,
    base: Dur,
    size_gb: f64,
    gb_per_hour: f64,
    base_name: &'static str,
    rate_name: &'static str,
) -> Vec<Term> {
    if let Some(d) = asset.measured.restore {
        return vec![measured_restore(asset, d)];
    }
    // Multiply first: 7 GB / 100 GB/h is exactly 252 s, not 252.00000000000003.
    let transfer = ceil_secs(size_gb, gb_per_hour);
    vec![
        term(
            "restore: create the new resource",
            base,
            Source::Param(base_name),
        ),
        term(
            Label::Transfer {
                size_gb,
                gb_per_hour,
            },
            transfer,
            Source::Param(rate_name),
        ),
    ]
}

fn failover_or(asset: &Asset, label: &'static str, value: Dur, param: &'static str) -> Term {
    match asset.measured.failover {
        Some(d) => term(Label::Measured(label), d, Source::Measured("failover")),
        None => term(label, value, Source::Param(param)),
    }
}

fn cutover(p: &Params) -> Term {
    term(
        "point clients at the recovered copy",
        p.cutover,
        Source::Param("cutover"),
    )
}

fn schedule_terms(m: &Mechanisms, p: &Params, copy: bool) -> Vec<Term> {
    let b = m.backup.expect("scheduled path needs a backup");
    // The plan's snapshot rule takes these recovery points and, with a copy,
    // copies them (`Backup::rules`, which the deployment writes).
    let interval = b.snapshot_interval();
    let mut v = vec![
        term(Label::BackupInterval(interval), interval, Source::Derived),
        term(
            "backup start window",
            p.backup_start_window,
            Source::Param("backup_start_window"),
        ),
    ];
    if copy {
        v.push(term(
            "cross-Region copy delay",
            p.backup_copy_delay,
            Source::Param("backup_copy_delay"),
        ));
    }
    v
}

fn rds(asset: &Asset, multi_az: bool, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    // A snapshot restore is done when the new instance is available: its blocks
    // load from S3 afterwards ([`warm_up`]), so size does not enter the RTO. A
    // point-in-time restore also replays the logs since that snapshot.
    let restore = |replay: bool| {
        let mut v = match asset.measured.restore {
            Some(d) => vec![measured_restore(asset, d)],
            None => {
                let mut v = vec![term(
                    "restore the snapshot: the new instance is available",
                    p.rds_restore_base,
                    Source::Param("rds_restore_base"),
                )];
                if replay {
                    v.push(term(
                        "replay the transaction logs since that snapshot",
                        p.rds_log_replay,
                        Source::Param("rds_log_replay"),
                    ));
                }
                v
            }
        };
        v.push(cutover(p));
        v
    };
    let (snapshot, pitr) = (|| restore(false), || restore(true));
    let mut out = Vec::new();
    match s {
        Scenario::Az => {
            if multi_az {
                out.push(Path {
                    kind: PathKind::Rds(RdsPath::MultiAzFailover),
                    rpo: vec![term(
                        "synchronous replication to the standby",
                        Dur::ZERO,
                        Source::Derived,
                    )],
                    rto: vec![failover_or(
                        asset,
                        "Multi-AZ failover",
                        p.rds_multi_az_failover,
                        "rds_multi_az_failover",
                    )],
                });
            }
            out.push(Path {
                kind: PathKind::Rds(RdsPath::PitrInRegion),
                rpo: vec![term(
                    "transaction log upload interval",
                    p.rds_log_interval,
                    Source::Param("rds_log_interval"),
                )],
                rto: pitr(),
            });
        }
        Scenario::Region => {
            if m.read_replica {
                out.push(Path {
                    kind: PathKind::Rds(RdsPath::PromoteReplica),
                    rpo: vec![term(
                        "replica lag",
                        p.rds_replica_lag,
                        Source::Param("rds_replica_lag"),
                    )],
                    rto: vec![
                        failover_or(
                            asset,
                            "promote the replica",
                            p.rds_replica_promotion,
                            "rds_replica_promotion",
                        ),
                        cutover(p),
                    ],
                });
            }
            if m.backup_replication {
                out.push(Path {
                    kind: PathKind::Rds(RdsPath::PitrFromReplicatedBackups),
                    rpo: vec![
                        term(
                            "transaction log upload interval",
                            p.rds_log_interval,
                            Source::Param("rds_log_interval"),
                        ),
                        term(
                            "backup replication delay",
                            p.rds_backup_replication_delay,
                            Source::Param("rds_backup_replication_delay"),
                        ),
                    ],
                    rto: pitr(),
                });
            }
            if m.cross_region_copy && m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Rds(RdsPath::RestoreCopy),
                    rpo: schedule_terms(m, p, true),
                    rto: snapshot(),
                });
            }
        }
        Scenario::Corruption => {
            if let Some(b) = m.backup {
                if b.continuous {
                    out.push(Path {
                        kind: PathKind::Rds(RdsPath::BackupPitr),
                        rpo: vec![term(
                            "transaction log upload interval",
                            p.rds_log_interval,
                            Source::Param("rds_log_interval"),
                        )],
                        rto: pitr(),
                    });
                }
                out.push(Path {
                    kind: PathKind::Rds(RdsPath::RestoreSnapshot),
                    rpo: schedule_terms(m, p, false),
                    rto: snapshot(),
                });
            }
        }
    }
    out
}

/// What a path's RPO holds only for, when the model cannot see it: live S3
/// replication copies only objects written after its rule exists (S3 User Guide,
/// "Replicating existing objects with Batch Replication"), so the replication
/// bound covers older objects only once the one-time S3 Batch Replication job,
/// whose role the tree creates and whose commands RUNBOOK.md prints, has run.
/// Every other replica (RDS, Aurora, DynamoDB, EFS) starts with a full copy.
pub fn rpo_precondition(kind: PathKind) -> Option<&'static str> {
    match kind {
        PathKind::S3(S3Path::SwitchToReplica) => Some(
            "holds for objects written since the replication rule was applied; objects already in the bucket reach the replica only through the one-time S3 Batch Replication job (RUNBOOK.md, \"Once, after the first apply\")",
        ),
        _ => None,
    }
}

/// After an RDS restore serves again, how long until it runs at full speed: its
/// storage loads from S3 as blocks are first read (lazy loading). Shown by
/// `explain` and the runbook; not part of the RTO.
pub fn warm_up(asset: &Asset, kind: PathKind, p: &Params) -> Option<Term> {
    let AssetKind::Rds(r) = &asset.kind else {
        return None;
    };
    match kind {
        PathKind::Rds(
            RdsPath::PitrInRegion
            | RdsPath::PitrFromReplicatedBackups
            | RdsPath::RestoreCopy
            | RdsPath::BackupPitr
            | RdsPath::RestoreSnapshot,
        ) => Some(term(
            Label::LazyLoad {
                size_gb: r.storage_gb,
                gb_per_hour: p.rds_restore_gb_per_hour,
            },
            ceil_secs(r.storage_gb, p.rds_restore_gb_per_hour),
            Source::Param("rds_restore_gb_per_hour"),
        )),
        _ => None,
    }
}

/// Seconds to move `amount` at `per_hour`, rounded up (multiplying first, so whole
/// amounts give exact results).
fn ceil_secs(amount: f64, per_hour: f64) -> Dur {
    let secs = (amount * 3600.0 / per_hour).ceil();
    Dur::secs(if secs.is_finite() {
        secs as u64
    } else {
        u64::MAX / 4
    })
}

/// How long a full AWS Backup job of the asset takes: what the rules' completion
/// windows are sized from (`deploy::backup`). A bucket's first backup copies every
/// object, so its time is the larger of the object and the byte term at the
/// published S3 backup rates (the same figures its restore is priced from); the
/// other kinds' first backups copy all their data, at the kind's throughput
/// parameter (AWS publishes no backup rate for them; lifeboat assumes the restore
/// rate). Later backups are incremental and shorter.
pub fn backup_duration(asset: &Asset, p: &Params) -> Dur {
    match &asset.kind {
        AssetKind::Rds(r) => ceil_secs(r.storage_gb, p.rds_restore_gb_per_hour),
        AssetKind::S3(b) => {
            let (objects, _) = s3_objects(b, p);
            let gb = b.size_gb.unwrap_or(p.s3_default_size_gb);
            ceil_secs(objects as f64, p.s3_restore_objects_per_second * 3600.0)
                .max(ceil_secs(gb, p.s3_restore_gb_per_hour))
        }
        AssetKind::Aurora(a) => ceil_secs(a.storage_gb, p.aurora_restore_gb_per_hour),
        AssetKind::Dynamodb(d) => ceil_secs(
            d.size_gb.unwrap_or(p.dynamodb_default_size_gb),
            p.dynamodb_restore_gb_per_hour,
        ),
        AssetKind::Efs(e) => ceil_secs(
            e.size_gb.unwrap_or(p.efs_default_size_gb),
            p.efs_restore_gb_per_hour,
        ),
        AssetKind::Endpoint(_) => Dur::ZERO,
    }
}

/// A bucket's object count, and the average object size assumed when the asset
/// gives no `objects`.
fn s3_objects(b: &S3, p: &Params) -> (u64, Option<f64>) {
    let gb = b.size_gb.unwrap_or(p.s3_default_size_gb);
    match b.objects {
        Some(n) => (n, None),
        // 1 GB is 1,000,000 KB; a bucket holds whole objects.
        None => (
            (gb * 1_000_000.0 / p.s3_default_object_kb).ceil() as u64,
            Some(p.s3_default_object_kb),
        ),
    }
}

/// An S3 restore from AWS Backup: the fixed part, then the larger of the object
/// term (AWS publishes backup times driven by object count) and the byte term;
/// or the measurement.
pub fn s3_restore(asset: &Asset, b: &S3, p: &Params) -> Vec<Term> {
    if let Some(d) = asset.measured.restore {
        return vec![measured_restore(asset, d)];
    }
    let gb = b.size_gb.unwrap_or(p.s3_default_size_gb);
    let (objects, assumed_kb) = s3_objects(b, p);
    let by_objects = ceil_secs(objects as f64, p.s3_restore_objects_per_second * 3600.0);
    let by_bytes = ceil_secs(gb, p.s3_restore_gb_per_hour);
    let transfer = if by_objects >= by_bytes {
        term(
            Label::Objects {
                objects,
                per_second: p.s3_restore_objects_per_second,
                assumed_kb,
            },
            by_objects,
            Source::Param("s3_restore_objects_per_second"),
        )
    } else {
        term(
            Label::Bytes {
                size_gb: gb,
                gb_per_hour: p.s3_restore_gb_per_hour,
            },
            by_bytes,
            Source::Param("s3_restore_gb_per_hour"),
        )
    };
    vec![
        term(
            "restore: create the new resource",
            p.s3_restore_base,
            Source::Param("s3_restore_base"),
        ),
        transfer,
    ]
}

fn s3(asset: &Asset, b: &S3, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    let restore = || {
        let mut v = s3_restore(asset, b, p);
        v.push(cutover(p));
        v
    };
    let mut out = Vec::new();
    match s {
        Scenario::Az => out.push(Path {
            kind: PathKind::S3(S3Path::Unaffected),
            rpo: vec![term(
                "AZ loss",
                p.s3_az_outage,
                Source::Param("s3_az_outage"),
            )],
            rto: vec![term(
                "AZ loss",
                p.s3_az_outage,
                Source::Param("s3_az_outage"),
            )],
        }),
        Scenario::Region => {
            if m.replication {
                let (label, bound, param) = if m.replication_time_control {
                    (
                        "replication with RTC (99.99% within 15 min)",
                        p.s3_rtc_bound,
                        "s3_rtc_bound",
                    )
                } else {
                    (
                        "replication without RTC (no bound: up to 48 h)",
                        p.s3_crr_bound,
                        "s3_crr_bound",
                    )
                };
                let failover = match asset.measured.failover {
                    Some(d) => term(
                        "switch to the replica bucket (measured in a drill)",
                        d,
                        Source::Measured("failover"),
                    ),
                    None => cutover(p),
                };
                out.push(Path {
                    kind: PathKind::S3(S3Path::SwitchToReplica),
                    rpo: vec![term(label, bound, Source::Param(param))],
                    rto: vec![failover],
                });
            }
            if m.cross_region_copy && m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::S3(S3Path::RestoreCopy),
                    rpo: schedule_terms(m, p, true),
                    rto: restore(),
                });
            }
        }
        Scenario::Corruption => {
            if let Some(b) = m.backup {
                if b.continuous {
                    out.push(Path {
                        kind: PathKind::S3(S3Path::BackupPitr),
                        rpo: vec![term(
                            "continuous backup precision",
                            p.s3_continuous_rpo,
                            Source::Param("s3_continuous_rpo"),
                        )],
                        rto: restore(),
                    });
                }
                out.push(Path {
                    kind: PathKind::S3(S3Path::RestoreLatest),
                    rpo: schedule_terms(m, p, false),
                    rto: restore(),
                });
            }
        }
    }
    out
}

/// A restore path's terms: the fixed part and the transfer (or the measurement),
/// then pointing clients at the restored copy.
fn restore_then_cutover(
    asset: &Asset,
    p: &Params,
    (base, base_name): (Dur, &'static str),
    size_gb: f64,
    (rate, rate_name): (f64, &'static str),
) -> Vec<Term> {
    let mut v = restore(asset, base, size_gb, rate, base_name, rate_name);
    v.push(cutover(p));
    v
}

fn aurora(asset: &Asset, x: &Aurora, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    let restore = || {
        restore_then_cutover(
            asset,
            p,
            (p.aurora_restore_base, "aurora_restore_base"),
            x.storage_gb,
            (p.aurora_restore_gb_per_hour, "aurora_restore_gb_per_hour"),
        )
    };
    let shared_storage = || {
        vec![term(
            "cluster volume replicated six ways across three AZs",
            Dur::ZERO,
            Source::Derived,
        )]
    };
    let mut out = Vec::new();
    match s {
        Scenario::Az => out.push(if x.multi_az {
            Path {
                kind: PathKind::Aurora(AuroraPath::ReaderFailover),
                rpo: shared_storage(),
                rto: vec![failover_or(
                    asset,
                    "failover to a reader",
                    p.aurora_failover,
                    "aurora_failover",
                )],
            }
        } else {
            Path {
                kind: PathKind::Aurora(AuroraPath::NewWriter),
                rpo: shared_storage(),
                rto: vec![failover_or(
                    asset,
                    "a new writer instance",
                    p.aurora_new_writer,
                    "aurora_new_writer",
                )],
            }
        }),
        Scenario::Region => {
            if m.global_database {
                out.push(Path {
                    kind: PathKind::Aurora(AuroraPath::GlobalFailover),
                    rpo: vec![term(
                        "Global Database replication lag",
                        p.aurora_global_lag,
                        Source::Param("aurora_global_lag"),
                    )],
                    rto: vec![
                        failover_or(
                            asset,
                            "managed failover to the secondary cluster",
                            p.aurora_global_failover,
                            "aurora_global_failover",
                        ),
                        cutover(p),
                    ],
                });
            }
            if m.cross_region_copy && m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Aurora(AuroraPath::RestoreCopy),
                    rpo: schedule_terms(m, p, true),
                    rto: restore(),
                });
            }
        }
        Scenario::Corruption => {
            if let Some(b) = m.backup {
                if b.continuous {
                    out.push(Path {
                        kind: PathKind::Aurora(AuroraPath::BackupPitr),
                        rpo: vec![term(
                            "latest restorable time",
                            p.aurora_pitr_rpo,
                            Source::Param("aurora_pitr_rpo"),
                        )],
                        rto: restore(),
                    });
                }
                out.push(Path {
                    kind: PathKind::Aurora(AuroraPath::RestoreSnapshot),
                    rpo: schedule_terms(m, p, false),
                    rto: restore(),
                });
            }
        }
    }
    out
}

fn dynamodb(asset: &Asset, gb: f64, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    let restore = || {
        restore_then_cutover(
            asset,
            p,
            (p.dynamodb_restore_base, "dynamodb_restore_base"),
            gb,
            (
                p.dynamodb_restore_gb_per_hour,
                "dynamodb_restore_gb_per_hour",
            ),
        )
    };
    let mut out = Vec::new();
    match s {
        Scenario::Az => out.push(Path {
            kind: PathKind::Dynamodb(DynamodbPath::Unaffected),
            rpo: vec![term(
                "AZ loss",
                p.dynamodb_az_outage,
                Source::Param("dynamodb_az_outage"),
            )],
            rto: vec![term(
                "AZ loss",
                p.dynamodb_az_outage,
                Source::Param("dynamodb_az_outage"),
            )],
        }),
        Scenario::Region => {
            if m.global_table {
                let failover = match asset.measured.failover {
                    Some(d) => term(
                        "switch to the replica (measured in a drill)",
                        d,
                        Source::Measured("failover"),
                    ),
                    None => cutover(p),
                };
                out.push(Path {
                    kind: PathKind::Dynamodb(DynamodbPath::SwitchToReplica),
                    rpo: vec![term(
                        "global table replication lag",
                        p.dynamodb_replication_lag,
                        Source::Param("dynamodb_replication_lag"),
                    )],
                    rto: vec![failover],
                });
            }
            if m.cross_region_copy && m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Dynamodb(DynamodbPath::RestoreCopy),
                    rpo: schedule_terms(m, p, true),
                    rto: restore(),
                });
            }
        }
        Scenario::Corruption => {
            if m.pitr {
                out.push(Path {
                    kind: PathKind::Dynamodb(DynamodbPath::Pitr),
                    rpo: vec![term(
                        "latest restorable time",
                        p.dynamodb_pitr_rpo,
                        Source::Param("dynamodb_pitr_rpo"),
                    )],
                    rto: restore(),
                });
            }
            if m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Dynamodb(DynamodbPath::RestoreBackup),
                    rpo: schedule_terms(m, p, false),
                    rto: restore(),
                });
            }
        }
    }
    out
}

fn efs(asset: &Asset, gb: f64, m: &Mechanisms, s: Scenario, p: &Params) -> Vec<Path> {
    let restore = || {
        restore_then_cutover(
            asset,
            p,
            (p.efs_restore_base, "efs_restore_base"),
            gb,
            (p.efs_restore_gb_per_hour, "efs_restore_gb_per_hour"),
        )
    };
    let mut out = Vec::new();
    match s {
        Scenario::Az => out.push(Path {
            kind: PathKind::Efs(EfsPath::Unaffected),
            rpo: vec![term(
                "AZ loss",
                p.efs_az_outage,
                Source::Param("efs_az_outage"),
            )],
            rto: vec![term(
                "AZ loss",
                p.efs_az_outage,
                Source::Param("efs_az_outage"),
            )],
        }),
        Scenario::Region => {
            if m.efs_replication {
                out.push(Path {
                    kind: PathKind::Efs(EfsPath::FailoverToReplica),
                    rpo: vec![term(
                        "EFS replication RPO",
                        p.efs_replication_rpo,
                        Source::Param("efs_replication_rpo"),
                    )],
                    rto: vec![
                        failover_or(
                            asset,
                            "make the replica writable",
                            p.efs_failover,
                            "efs_failover",
                        ),
                        cutover(p),
                    ],
                });
            }
            if m.cross_region_copy && m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Efs(EfsPath::RestoreCopy),
                    rpo: schedule_terms(m, p, true),
                    rto: restore(),
                });
            }
        }
        Scenario::Corruption => {
            if m.backup.is_some() {
                out.push(Path {
                    kind: PathKind::Efs(EfsPath::RestoreBackup),
                    rpo: schedule_terms(m, p, false),
                    rto: restore(),
                });
            }
        }
    }
    out
}

/// The TTL resolvers hold the failover record: an alias pair answers with the
/// target's TTL; any pair with a hostname target is a CNAME pair with the asset's TTL.
pub fn record_ttl(e: &Endpoint, p: &Params) -> (Dur, Source) {
    if e.primary.is_alias() && e.secondary.is_alias() {
        (p.alias_ttl, Source::Param("alias_ttl"))
    } else {
        (Dur::secs(u64::from(e.ttl)), Source::Input("ttl"))
    }
}

fn endpoint(asset: &Asset, e: &Endpoint, s: Scenario, p: &Params) -> Vec<Path> {
    let no_data = || {
        vec![term(
            "an endpoint holds no data",
            Dur::ZERO,
            Source::Derived,
        )]
    };
    let path = match s {
        Scenario::Az => Path {
            kind: PathKind::Endpoint(EndpointPath::Unaffected),
            rpo: no_data(),
            rto: vec![term(
                "AZ loss",
                p.endpoint_az_outage,
                Source::Param("endpoint_az_outage"),
            )],
        },
        Scenario::Region => {
            let rto = match asset.measured.failover {
                Some(d) => vec![term(
                    "DNS failover (measured in a drill)",
                    d,
                    Source::Measured("failover"),
                )],
                None => {
                    let hc = &e.health_check;
                    let (ttl, ttl_source) = record_ttl(e, p);
                    let kind =
                        if matches!(e.primary, Target::Alias { .. }) && e.secondary.is_alias() {
                            "alias"
                        } else {
                            "CNAME"
                        };
                    vec![
                        term(
                            Label::Detection {
                                interval: hc.interval,
                                failures: hc.failure_threshold,
                            },
                            Dur::secs(u64::from(hc.interval) * u64::from(hc.failure_threshold)),
                            Source::Input("health_check"),
                        ),
                        term(
                            "health status reaching Route 53's DNS answers",
                            p.dns_propagation,
                            Source::Param("dns_propagation"),
                        ),
                        term(Label::RecordTtl(kind), ttl, ttl_source),
                    ]
                }
            };
            Path {
                kind: PathKind::Endpoint(EndpointPath::DnsFailover),
                rpo: no_data(),
                rto,
            }
        }
        Scenario::Corruption => Path {
            kind: PathKind::Endpoint(EndpointPath::NoData),
            rpo: no_data(),
            rto: vec![term("nothing to restore", Dur::ZERO, Source::Derived)],
        },
    };
    vec![path]
}
