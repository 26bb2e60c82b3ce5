//! The ARC Region switch plan: one per project, generated when a chosen Region
//! recovery is a step the plan performs (a read replica's promotion, a Global
//! Database failover). Its steps run in the recovery waves `graph::levels`
//! computes (dependencies first, the assets of one wave in parallel); its
//! trigger waits for the primary endpoints' health-check alarms, and the
//! replica-lag alarms tell it (and the people watching it) how healthy the
//! copies are. docs/terraform.md describes the module, docs/recovery-model.md
//! what the model counts on.

use serde::Serialize;

use super::names::scoped_name;
use super::{AssetDeployment, KindDeployment, ROUTE53_METRICS_REGION};
use crate::check::Recovery;
use crate::model::params::MAX_TRIGGER_CONDITIONS;
use crate::model::{Dur, Inventory, Scenario};

/// The plan, its roles, workflows and alarms.
#[derive(Debug, Clone, Serialize)]
pub struct RegionSwitch {
    /// The plan's name (ARC: 1-32 letters, digits and hyphens, a letter or digit
    /// at each end).
    pub plan: String,
    /// The IAM role Region switch assumes to run the plan.
    pub execution_role: String,
    /// With `region_switch_approval`: the role whose holders approve the plan's
    /// approval step, which comes first.
    pub approval_role: Option<String>,
    /// The approval step's name.
    pub approval_step: Option<String>,
    /// The tightest Region RTO of the assets the plan recovers, in whole minutes.
    pub recovery_time_objective_minutes: Option<u64>,
    /// The workflow that activates the secondary Region: waves in order, each
    /// wave's steps in parallel.
    pub waves: Vec<Vec<Step>>,
    /// The way back (activate the primary Region again), where AWS supports it:
    /// a switchover of each Global Database (a promoted RDS replica has no way
    /// back but a new replica). Empty when no step has one.
    pub return_steps: Vec<Step>,
    /// Trigger alarms: the primary targets' HealthCheckStatus alarms (in
    /// us-east-1); the one trigger activates the secondary Region once all are red.
    pub trigger_alarms: Vec<PlanAlarm>,
    /// Application health alarms: the lag alarms of the copies the plan promotes.
    pub health_alarms: Vec<PlanAlarm>,
}

/// One step of a workflow.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The asset it recovers.
    pub asset: String,
    /// The step's name in the plan: `<asset>-<action>`.
    pub name: String,
    /// The recovery wave (from 1), as `drill` and the runbook count them.
    pub wave: usize,
    pub action: StepAction,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepAction {
    /// `RdsPromoteReadReplica`: promote the replica in the activated Region.
    RdsPromote {
        /// The source instance (primary Region) and its replica (secondary).
        source: String,
        replica: String,
    },
    /// `AuroraGlobalDatabase`: fail over (activate the secondary) or switch over
    /// (the way back).
    AuroraGlobal {
        global_cluster: String,
        /// The source cluster (primary Region) and the secondary cluster.
        source: String,
        secondary: String,
    },
    /// `Route53HealthCheck` (with `region_switch_dns`): ARC's health checks of
    /// the endpoint's failover records report the activated Region healthy and the
    /// other unhealthy; the records follow once they use those health checks.
    Route53 {
        hosted_zone_id: String,
        record_name: String,
        /// The set identifiers of the PRIMARY record (primary Region) and the
        /// SECONDARY record (secondary Region), as `modules/route53-failover`
        /// names them.
        primary_set_identifier: String,
        secondary_set_identifier: String,
    },
}

/// A CloudWatch alarm the plan is associated with.
#[derive(Debug, Clone, Serialize)]
pub struct PlanAlarm {
    pub asset: String,
    pub name: String,
    pub region: String,
}

/// The plan, if a chosen Region recovery is one of its steps.
pub fn design(
    inv: &Inventory,
    rec: &Recovery,
    project: &str,
    assets: &[AssetDeployment],
) -> Option<RegionSwitch> {
    let levels = crate::graph::levels(inv);
    let secondary = &inv.project.secondary_region;
    let mut steps: Vec<Step> = Vec::new();
    let mut health_alarms = Vec::new();
    let mut rto: Option<Dur> = None;
    for (i, (a, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let result = &r.scenarios[Scenario::Region.index()];
        let Some(path) = &result.path else { continue };
        if !path.kind.region_switch_step() {
            continue;
        }
        let action = match &assets[i].kind {
            KindDeployment::Rds(x) => {
                let replica = x.replica.clone()?;
                if let Some(alarm) = &x.lag_alarm {
                    health_alarms.push(PlanAlarm {
                        asset: a.id.clone(),
                        name: alarm.clone(),
                        region: secondary.clone(),
                    });
                }
                StepAction::RdsPromote {
                    source: x.identifier.clone(),
                    replica,
                }
            }
            KindDeployment::Aurora(x) => {
                if let Some(alarm) = &x.lag_alarm {
                    health_alarms.push(PlanAlarm {
                        asset: a.id.clone(),
                        name: alarm.clone(),
                        region: secondary.clone(),
                    });
                }
                StepAction::AuroraGlobal {
                    global_cluster: x.global_cluster.clone()?,
                    source: x.cluster_identifier.clone(),
                    secondary: x.secondary_cluster.clone()?,
                }
            }
            KindDeployment::Endpoint(x) => StepAction::Route53 {
                hosted_zone_id: x.zone_id.clone(),
                record_name: x.domain.clone(),
                primary_set_identifier: x.primary_set_identifier.clone(),
                secondary_set_identifier: x.secondary_set_identifier.clone(),
            },
            _ => continue,
        };
        let verb = match action {
            StepAction::RdsPromote { .. } => "promote-replica",
            StepAction::AuroraGlobal { .. } => "global-failover",
            StepAction::Route53 { .. } => "switch-dns",
        };
        if let Some(goal) = result.objective.rto {
            rto = Some(rto.map_or(goal, |r| r.min(goal)));
        }
        steps.push(Step {
            asset: a.id.clone(),
            name: format!("{}-{verb}", a.id),
            wave: levels[i] + 1,
            action,
        });
    }
    if steps.is_empty() {
        return None;
    }
    // Waves in order; within one, the steps keep the assets' (id) order.
    steps.sort_by_key(|s| s.wave);
    let mut waves: Vec<Vec<Step>> = Vec::new();
    for s in steps {
        match waves.last_mut() {
            Some(w) if w[0].wave == s.wave => w.push(s),
            _ => waves.push(vec![s]),
        }
    }
    // The way back exists with Aurora steps (switchovers). DNS steps move the
    // records back after them when no step is an RDS promotion: a promoted replica
    // is a standalone instance with no way back but a new replica, and traffic must
    // not return before it (the runbook's failback moves those records).
    let any = |f: fn(&StepAction) -> bool| waves.iter().flatten().any(|s| f(&s.action));
    let aurora = any(|a| matches!(a, StepAction::AuroraGlobal { .. }));
    let dns_back = aurora && !any(|a| matches!(a, StepAction::RdsPromote { .. }));
    let return_steps = waves
        .iter()
        .flatten()
        .filter(|_| aurora)
        .filter_map(|s| match s.action {
            StepAction::AuroraGlobal { .. } => Some(Step {
                name: format!("{}-global-switchover", s.asset),
                ..s.clone()
            }),
            StepAction::Route53 { .. } if dns_back => Some(Step {
                name: format!("{}-switch-dns-back", s.asset),
                ..s.clone()
            }),
            StepAction::Route53 { .. } | StepAction::RdsPromote { .. } => None,
        })
        .collect();
    // The trigger: every primary target unhealthy (the same endpoints, first by
    // id, whose slowest health check the model's trigger detection counts).
    let trigger_alarms = inv
        .assets
        .iter()
        .zip(assets)
        .filter_map(|(a, d)| match &d.kind {
            KindDeployment::Endpoint(e) => Some(PlanAlarm {
                asset: a.id.clone(),
                name: e.primary_alarm.clone(),
                region: ROUTE53_METRICS_REGION.to_owned(),
            }),
            _ => None,
        })
        .take(MAX_TRIGGER_CONDITIONS)
        .collect();
    let approval = inv.project.region_switch_approval;
    Some(RegionSwitch {
        plan: plan_name(project),
        execution_role: scoped_name(project, "region-switch", 64),
        approval_role: approval.then(|| scoped_name(project, "region-switch-approver", 64)),
        approval_step: approval.then(|| "approve-region-switch".to_owned()),
        // ARC counts whole minutes: round down, so the plan's objective is never
        // looser than the tier's.
        recovery_time_objective_minutes: rto.map(|d| (d.as_secs() / 60).max(1)),
        waves,
        return_steps,
        trigger_alarms,
        health_alarms,
    })
}

/// `<project>-switch`, within ARC's 32 characters (a project name is a slug that
/// starts with a letter: letters, digits, single hyphens).
fn plan_name(project: &str) -> String {
    scoped_name(project, "switch", 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names_fit_arc_rules() {
        for project in [
            "webshop",
            "a",
            &"x".repeat(32),
            "very-long-project-name-of-thirty",
        ] {
            let n = plan_name(project);
            assert!(n.len() <= 32, "{n}");
            assert!(!n.starts_with('-') && !n.ends_with('-'), "{n}");
            assert!(
                n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{n}"
            );
        }
    }
}
