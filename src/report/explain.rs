//! `lifeboat explain` and the JSON report of `check --format json`: the model's
//! results, with every term and where its value comes from.

use std::fmt::Write as _;

use serde_json::json;

use crate::Analysis;
use crate::check::estimate::{Source, Term};
use crate::check::{RiskStatus, ScenarioResult, Verdict};
use crate::diag;
use crate::model::params::{Basis, DEFS};
use crate::model::{Asset, AssetKind, Dur, Params, Scenario};

fn source_text(source: &Source, overridden: &[&str]) -> String {
    match source {
        Source::Param(name) => {
            let def = DEFS.iter().find(|d| d.name == *name);
            match def {
                Some(_) if overridden.contains(name) => {
                    format!("assumption `{name}`, set in the inventory's `assumptions` block")
                }
                Some(d) => {
                    let basis = match d.basis {
                        Basis::Fact => "fact",
                        Basis::Assumption => "assumption",
                    };
                    format!("{basis} `{name}`: {}", d.source)
                }
                None => format!("`{name}`"),
            }
        }
        Source::Measured(what) => format!("measured {{ {what} }} of the asset"),
        Source::Measurement => "the asset's `measurement` (from `lifeboat measure`)".to_owned(),
        Source::Input(what) => format!("the asset's `{what}`"),
        Source::Derived => "derived".to_owned(),
    }
}

fn terms(out: &mut String, terms: &[Term], overridden: &[&str]) {
    for t in terms {
        let _ = writeln!(
            out,
            "      {} {:<8} {}  [{}]",
            if t.start { "~" } else { "+" },
            t.value.to_string(),
            t.label,
            source_text(&t.source, overridden)
        );
    }
}

fn opt(d: Option<Dur>) -> String {
    d.map_or_else(|| "none".to_owned(), |d| d.to_string())
}

fn verdict(v: Verdict, est: Option<Dur>, goal: Option<Dur>) -> String {
    match v {
        Verdict::NoObjective => "no objective".to_owned(),
        Verdict::Met => format!("met ({} <= {})", opt(est), opt(goal)),
        Verdict::Breached => format!(
            "BREACHED ({} > {})",
            est.map_or_else(|| "no recovery path".into(), |d| d.to_string()),
            opt(goal)
        ),
    }
}

/// A data size as given, or the default the model assumes.
fn size(given: Option<f64>, default: f64) -> String {
    given.map_or_else(
        || format!("size unknown, {default} GB assumed"),
        |g| format!("{g} GB"),
    )
}

/// The derivation for one asset, or why there is none.
pub fn explain(a: &Analysis, id: &str) -> Result<String, String> {
    let inv = a
        .inventory
        .as_ref()
        .ok_or("the inventory has errors; fix them first")?;
    let Some(asset) = inv.asset(id) else {
        let hint = diag::did_you_mean(id, inv.assets.iter().map(|a| a.id.as_str()))
            .map(|m| format!(" (did you mean `{m}`?)"))
            .unwrap_or_default();
        return Err(format!("no asset `{id}` in the inventory{hint}"));
    };
    let rec = a
        .recovery
        .as_ref()
        .ok_or("the inventory has errors; fix them first")?;
    let r = rec
        .assets
        .iter()
        .find(|r| r.id == id)
        .expect("every asset has a result");
    let tier = inv.tier_of(asset);
    let overridden = &inv.params.overridden;
    let mut out = String::new();
    let what = match &asset.kind {
        AssetKind::Rds(x) => format!(
            "RDS instance `{}` ({}, {} GB, {}, {})",
            x.identifier,
            x.engine.as_str(),
            x.storage_gb,
            if x.multi_az { "Multi-AZ" } else { "single-AZ" },
            if x.encrypted {
                "encrypted"
            } else {
                "unencrypted"
            }
        ),
        AssetKind::S3(x) => format!(
            "S3 bucket `{}` ({})",
            x.bucket,
            size(x.size_gb, inv.params.s3_default_size_gb)
        ),
        AssetKind::Endpoint(x) => format!("endpoint `{}` (zone {})", x.domain, x.zone_id),
        AssetKind::Aurora(x) => format!(
            "Aurora cluster `{}` ({}, {} GB, {}, {})",
            x.cluster_identifier,
            x.engine.as_str(),
            x.storage_gb,
            if x.multi_az {
                "with a reader in another AZ"
            } else {
                "no reader"
            },
            if x.encrypted {
                "encrypted"
            } else {
                "unencrypted"
            }
        ),
        AssetKind::Dynamodb(x) => format!(
            "DynamoDB table `{}` ({})",
            x.table,
            size(x.size_gb, inv.params.dynamodb_default_size_gb)
        ),
        AssetKind::Efs(x) => format!(
            "EFS file system `{}` ({})",
            x.file_system_id,
            size(x.size_gb, inv.params.efs_default_size_gb)
        ),
    };
    let _ = writeln!(out, "asset `{}`: {what}", asset.id);
    let _ = writeln!(
        out,
        "tier `{}`{}, retention {}",
        tier.name,
        if tier.builtin { " (built-in)" } else { "" },
        tier.retention
    );
    if !asset.depends_on.is_empty() {
        let _ = writeln!(out, "depends on: {}", asset.depends_on.join(", "));
    }
    let names = if r.mechanism_names.is_empty() {
        "none".to_owned()
    } else {
        r.mechanism_names.join(", ")
    };
    let _ = writeln!(out, "mechanisms: {names}");
    let _ = writeln!(out, "  chosen as {}", r.rationale);
    for s in &r.scenarios {
        scenario(&mut out, asset, &inv.params, s, overridden);
        if s.scenario == crate::model::Scenario::Region {
            performed_by(&mut out, a, asset, s);
        }
    }
    Ok(out)
}

/// Who performs the Region recovery: the Region switch plan (which step), AWS by
/// itself, or a person.
fn performed_by(out: &mut String, a: &Analysis, asset: &Asset, s: &ScenarioResult) {
    let Some(path) = &s.path else { return };
    let plan = a.deployment.as_ref().and_then(|d| d.region_switch.as_ref());
    let step = plan.and_then(|rs| {
        rs.waves
            .iter()
            .flatten()
            .find(|x| x.asset == asset.id)
            .map(|x| (rs, x))
    });
    let text = match step {
        Some((rs, x)) => format!(
            "the ARC Region switch plan `{}` (step `{}`, recovery wave {}), {}",
            rs.plan,
            x.name,
            x.wave,
            if rs.trigger_alarms.is_empty() {
                "which a person starts (no endpoint alarm triggers it)"
            } else if rs.approval_step.is_some() {
                "started by its trigger, after a person approves it"
            } else {
                "started by its trigger: nobody needs to act"
            }
        ),
        None if path.kind.automated() => "AWS by itself (nobody needs to act)".to_owned(),
        None if plan.is_some() => {
            "a person: the Region switch plan cannot do this recovery".to_owned()
        }
        None => "a person".to_owned(),
    };
    let _ = writeln!(out, "  performed by: {text}");
}

fn scenario(out: &mut String, asset: &Asset, p: &Params, s: &ScenarioResult, overridden: &[&str]) {
    let _ = writeln!(
        out,
        "\nscenario `{}` ({})",
        s.scenario.as_str(),
        s.scenario.describe()
    );
    let _ = writeln!(
        out,
        "  objective: RPO {}, RTO {}",
        opt(s.objective.rpo),
        opt(s.objective.rto)
    );
    if s.rto_budget != s.objective.rto {
        let _ = writeln!(
            out,
            "  RTO budget left by dependents: {}",
            opt(s.rto_budget)
        );
    }
    let Some(path) = &s.path else {
        let _ = writeln!(out, "  no mechanism recovers this asset in this scenario");
        let _ = writeln!(
            out,
            "  verdict: RPO {}, RTO {}",
            verdict(s.rpo_verdict, None, s.objective.rpo),
            verdict(s.rto_verdict, None, s.objective.rto)
        );
        risk(out, s);
        return;
    };
    let _ = writeln!(out, "  recovery path: {}", path.name());
    let _ = writeln!(out, "    RPO = {}", path.rpo());
    terms(out, &path.rpo, overridden);
    if let Some(why) = crate::check::estimate::rpo_precondition(path.kind) {
        let _ = writeln!(out, "    the RPO {why}");
    }
    if path.start() > Dur::ZERO {
        let _ = writeln!(
            out,
            "    own RTO = {} ({} before the work can start, marked ~, then {} of work)",
            path.rto(),
            path.start(),
            path.work()
        );
    } else {
        let _ = writeln!(out, "    own RTO = {}", path.rto());
    }
    terms(out, &path.rto, overridden);
    if let Some(why) = crate::check::estimate::rto_precondition(path.kind) {
        let _ = writeln!(out, "    the RTO {why}");
    }
    if s.critical_path.len() > 1 {
        let _ = writeln!(
            out,
            "    effective RTO = {} (the work, {}, begins once the slowest dependency chain serves again and its own start has passed: {})",
            opt(s.effective_rto),
            path.work(),
            s.critical_path[1..].join(" -> ")
        );
    } else {
        let _ = writeln!(
            out,
            "    effective RTO = {} (no dependencies)",
            opt(s.effective_rto)
        );
    }
    if let Some(t) = crate::check::estimate::warm_up(asset, path.kind, p) {
        let _ = writeln!(
            out,
            "    then, serving but slower until its storage has loaded (not in the RTO):"
        );
        terms(out, std::slice::from_ref(&t), overridden);
    }
    let _ = writeln!(
        out,
        "  verdict: RPO {}, RTO {}",
        verdict(s.rpo_verdict, s.rpo, s.objective.rpo),
        verdict(s.rto_verdict, s.effective_rto, s.objective.rto)
    );
    risk(out, s);
}

/// The scenario's accepted risk, as it stands.
fn risk(out: &mut String, s: &ScenarioResult) {
    let Some(r) = &s.accepted_risk else { return };
    let bounds: Vec<String> = [("RPO", r.rpo), ("RTO", r.rto)]
        .into_iter()
        .filter_map(|(n, b)| b.map(|b| format!("{n} up to {b}")))
        .collect();
    let bounds = if bounds.is_empty() {
        String::new()
    } else {
        format!(", {}", bounds.join(", "))
    };
    let status = match r.status {
        RiskStatus::Accepted => "the breach is accepted (a warning)",
        RiskStatus::Expired => "EXPIRED: the breach is an error again",
        RiskStatus::Exceeded => "EXCEEDED: the estimate is worse than what was accepted, an error",
        RiskStatus::Unused => "unused: nothing is breached",
    };
    let _ = writeln!(
        out,
        "  accepted risk: by {} until {}{bounds}: {status}\n    reason: {}",
        r.owner.trim(),
        r.expires,
        r.reason.trim()
    );
}

/// The stable JSON document of `check --format json` (docs/diagnostics.md).
pub fn json_report(a: &Analysis) -> serde_json::Value {
    let diagnostics: Vec<_> = a
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| diag::to_json(d, &a.sources))
        .collect();
    let assets = a.recovery.as_ref().map(|r| {
        r.assets
            .iter()
            .map(|x| {
                json!({
                    "id": x.id,
                    "tier": x.tier,
                    "mechanisms": x.mechanism_names,
                    "scenarios": x.scenarios.iter().map(|s| json!({
                        "scenario": s.scenario,
                        "objective": {"rpo": s.objective.rpo, "rto": s.objective.rto},
                        "estimate": {"rpo": s.rpo, "own_rto": s.own_rto, "effective_rto": s.effective_rto},
                        "verdict": {"rpo": s.rpo_verdict, "rto": s.rto_verdict},
                        "path": s.path.as_ref().map(|p| p.name()),
                        "critical_path": s.critical_path,
                        "accepted_risk": s.accepted_risk,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect::<Vec<_>>()
    });
    json!({
        "version": 1,
        "ok": !a.has_errors(),
        "summary": {
            "errors": a.diagnostics.error_count(),
            "warnings": a.diagnostics.warning_count(),
            "accepted_risks": a.recovery.as_ref().map_or(0, |r| {
                r.assets.iter().flat_map(|x| &x.scenarios).filter(|s| s.accepted()).count()
            }),
            "assets": a.inventory.as_ref().map_or(0, |i| i.assets.len()),
        },
        "diagnostics": diagnostics,
        "assets": assets,
        "scenarios": Scenario::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}
