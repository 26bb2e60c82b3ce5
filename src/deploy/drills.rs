//! Real drills: the AWS FIS experiment templates that cause, for real, the
//! disruptions the recovery model estimates (`drills = true` in the project;
//! modules/fis-drills). One template per asset and scenario where FIS has an
//! action that produces the disruption the chosen mechanism answers:
//!
//! | scenario | chosen path | FIS action |
//! |---|---|---|
//! | az | RDS Multi-AZ failover | `aws:rds:reboot-db-instances`, `forceFailover` |
//! | az | Aurora failover to a reader | `aws:rds:failover-db-cluster` |
//! | region | S3 replica bucket | `aws:s3:bucket-pause-replication` |
//! | region | DynamoDB global table replica | `aws:dynamodb:global-table-pause-replication` |
//!
//! Stop conditions are the tree's own alarms in the experiment's Region (the
//! primary) that say the drill hurts more than it should: the Route 53 health
//! alarms of the endpoints that depend on the asset (they live in us-east-1, so
//! only when that is the primary Region), and for S3 the failed-replication alarm.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

use super::{AssetDeployment, KindDeployment, ROUTE53_METRICS_REGION};
use crate::check::Recovery;
use crate::check::estimate::{AuroraPath, DynamodbPath, PathKind, RdsPath, S3Path};
use crate::model::{Dur, Inventory, Scenario};

/// AWS FIS's quota of stop conditions per experiment template.
pub const MAX_STOP_CONDITIONS: usize = 5;

/// How long a pause lasts beyond the threshold of the alarm it should trip: two
/// of the alarms' 5-minute periods, so the alarm has the data points to fire.
const PAUSE_MARGIN: Dur = Dur::mins(10);

/// Without a latency alarm to trip, a pause lasts this long.
const PAUSE_WITHOUT_ALARM: Dur = Dur::mins(15);

/// The longest pause generated (AWS FIS action durations go up to 12 hours).
const PAUSE_MAX: Dur = Dur::hours(12);

#[derive(Debug, Clone, Serialize)]
pub struct Drills {
    /// The FIS role (`<project>-fis-drills`).
    pub role: String,
    /// Where the experiments run: the primary Region.
    pub region: String,
    /// In asset order, then scenario order.
    pub experiments: Vec<Experiment>,
    /// Modules whose alarms the stop conditions name (created first).
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DrillAction {
    RdsRebootFailover,
    AuroraFailover,
    S3PauseReplication,
    DynamodbPauseReplication,
}

impl DrillAction {
    /// The module's name for it (`experiments[*].action`).
    pub fn key(self) -> &'static str {
        match self {
            DrillAction::RdsRebootFailover => "rds-reboot-failover",
            DrillAction::AuroraFailover => "aurora-failover",
            DrillAction::S3PauseReplication => "s3-pause-replication",
            DrillAction::DynamodbPauseReplication => "dynamodb-pause-replication",
        }
    }

    /// The AWS FIS action id.
    pub fn action_id(self) -> &'static str {
        match self {
            DrillAction::RdsRebootFailover => "aws:rds:reboot-db-instances",
            DrillAction::AuroraFailover => "aws:rds:failover-db-cluster",
            DrillAction::S3PauseReplication => "aws:s3:bucket-pause-replication",
            DrillAction::DynamodbPauseReplication => "aws:dynamodb:global-table-pause-replication",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Experiment {
    /// `<scenario>-<asset id>`: the module's key; the template's Name tag is
    /// `<project>-<key>`.
    pub key: String,
    pub name_tag: String,
    pub asset: String,
    pub scenario: Scenario,
    pub action: DrillAction,
    pub description: String,
    /// The target: DB instance, cluster, bucket or table name.
    pub resource: String,
    /// For an S3 pause: the replica bucket.
    pub destination: Option<String>,
    /// For a pause: how long.
    pub duration: Option<Dur>,
    /// Alarm names in `Drills::region`.
    pub stop_alarms: Vec<String>,
    /// What the model predicts: for a failover, the time to serve again once it
    /// starts (the path's work, no detection or decision: the drill starts it); for
    /// a pause, the alarm that should fire and after how long.
    pub predicted: Option<Dur>,
    pub watch_alarm: Option<String>,
}

/// The drills of an inventory, or `None` when the project does not ask for them
/// or nothing can be drilled.
pub fn design(
    inv: &Inventory,
    rec: &Recovery,
    assets: &[AssetDeployment],
    project: &str,
) -> Option<Drills> {
    if !inv.project.drills {
        return None;
    }
    let primary = &inv.project.primary_region;
    let dependents = dependents(inv);
    let mut experiments = Vec::new();
    let mut depends_on = Vec::new();
    for (i, (a, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let d = &assets[i];
        for s in &r.scenarios {
            let Some(path) = &s.path else { continue };
            let (action, resource, destination, watch) = match (path.kind, &d.kind) {
                (PathKind::Rds(RdsPath::MultiAzFailover), KindDeployment::Rds(x)) => (
                    DrillAction::RdsRebootFailover,
                    x.identifier.clone(),
                    None,
                    None,
                ),
                (PathKind::Aurora(AuroraPath::ReaderFailover), KindDeployment::Aurora(x)) => (
                    DrillAction::AuroraFailover,
                    x.cluster_identifier.clone(),
                    None,
                    None,
                ),
                (PathKind::S3(S3Path::SwitchToReplica), KindDeployment::S3(x)) => {
                    let rep = x.replication.as_ref().expect("a replica bucket");
                    let watch = rep
                        .latency_alarm
                        .clone()
                        .map(|n| (n, Dur::secs(rep.latency_threshold_seconds)));
                    (
                        DrillAction::S3PauseReplication,
                        x.bucket.clone(),
                        Some(rep.destination_bucket.clone()),
                        Some(watch),
                    )
                }
                (
                    PathKind::Dynamodb(DynamodbPath::SwitchToReplica),
                    KindDeployment::Dynamodb(x),
                ) => {
                    let watch = x
                        .latency_alarm
                        .clone()
                        .map(|n| (n, Dur::secs(x.latency_threshold_seconds)));
                    (
                        DrillAction::DynamodbPauseReplication,
                        x.table.clone(),
                        None,
                        Some(watch),
                    )
                }
                _ => continue,
            };
            // Alarms that say the drill hurts more than it should, in the Region
            // the experiment runs in.
            let mut stop = Vec::new();
            if let KindDeployment::S3(x) = &d.kind
                && let Some(rep) = &x.replication
            {
                stop.push(rep.failed_alarm.clone());
                push_module(&mut depends_on, d);
            }
            if primary == ROUTE53_METRICS_REGION {
                for &j in &dependents[i] {
                    if let KindDeployment::Endpoint(e) = &assets[j].kind
                        && stop.len() < MAX_STOP_CONDITIONS
                    {
                        stop.push(e.primary_alarm.clone());
                        push_module(&mut depends_on, &assets[j]);
                    }
                }
            }
            let (duration, predicted, watch_alarm) = match watch {
                None => (None, Some(path.work()), None),
                Some(None) => (Some(PAUSE_WITHOUT_ALARM), None, None),
                Some(Some((alarm, threshold))) => (
                    Some(threshold.saturating_add(PAUSE_MARGIN).min(PAUSE_MAX)),
                    Some(threshold),
                    Some(alarm),
                ),
            };
            let key = format!("{}-{}", s.scenario.as_str(), a.id);
            let description = match action {
                DrillAction::RdsRebootFailover => format!(
                    "lifeboat drill ({} scenario): reboot RDS instance {resource} with a forced Multi-AZ failover",
                    s.scenario.as_str()
                ),
                DrillAction::AuroraFailover => format!(
                    "lifeboat drill ({} scenario): fail Aurora cluster {resource} over to a reader",
                    s.scenario.as_str()
                ),
                DrillAction::S3PauseReplication => format!(
                    "lifeboat drill ({} scenario): pause replication of S3 bucket {resource} for {}",
                    s.scenario.as_str(),
                    duration.expect("a pause lasts")
                ),
                DrillAction::DynamodbPauseReplication => format!(
                    "lifeboat drill ({} scenario): pause replication of DynamoDB global table {resource} for {}",
                    s.scenario.as_str(),
                    duration.expect("a pause lasts")
                ),
            };
            experiments.push(Experiment {
                name_tag: format!("{project}-{key}"),
                key,
                asset: a.id.clone(),
                scenario: s.scenario,
                action,
                description,
                resource,
                destination,
                duration,
                stop_alarms: stop,
                predicted,
                watch_alarm,
            });
        }
    }
    if experiments.is_empty() {
        return None;
    }
    depends_on.sort();
    depends_on.dedup();
    Some(Drills {
        role: format!("{project}-fis-drills"),
        region: primary.clone(),
        experiments,
        depends_on,
    })
}

fn push_module(out: &mut Vec<String>, d: &AssetDeployment) {
    if let Some(tf) = &d.terraform
        && tf.module.is_some()
    {
        out.push(tf.address.clone());
    }
}

/// For each asset, the assets that depend on it directly or through others,
/// in inventory order.
fn dependents(inv: &Inventory) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = inv
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut direct = vec![Vec::new(); inv.assets.len()];
    for (i, a) in inv.assets.iter().enumerate() {
        for dep in &a.depends_on {
            if let Some(&j) = index.get(dep.as_str()) {
                direct[j].push(i);
            }
        }
    }
    (0..inv.assets.len())
        .map(|start| {
            let mut seen = vec![false; inv.assets.len()];
            let mut queue = VecDeque::from([start]);
            let mut out = Vec::new();
            while let Some(k) = queue.pop_front() {
                for &n in &direct[k] {
                    if !seen[n] && n != start {
                        seen[n] = true;
                        out.push(n);
                        queue.push_back(n);
                    }
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}

/// A duration as AWS FIS takes it: ISO 8601 hours and minutes (`PT1H10M`), rounded
/// up to the minute.
pub fn iso_duration(d: Dur) -> String {
    let mins = d.as_secs().div_ceil(60).max(1);
    let (h, m) = (mins / 60, mins % 60);
    match (h, m) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601_hours_and_minutes_rounded_up() {
        assert_eq!(iso_duration(Dur::mins(25)), "PT25M");
        assert_eq!(iso_duration(Dur::mins(60)), "PT1H");
        assert_eq!(iso_duration(Dur::mins(70)), "PT1H10M");
        assert_eq!(iso_duration(Dur::secs(61)), "PT2M");
        assert_eq!(iso_duration(Dur::secs(1)), "PT1M");
        assert_eq!(iso_duration(Dur::hours(12)), "PT12H");
    }
}
