//! `lifeboat report`: the verdicts for a pull request. Markdown for a comment
//! (objectives table, findings, the topology in Mermaid, under GitHub's 65,536
//! character limit), JSON for tools, SARIF 2.1.0 for code scanning; with a base
//! inventory, the DR posture diff a reviewer needs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::code_span;
use crate::Analysis;
use crate::check::{RiskStatus, Verdict};
use crate::diag::{Code, Severity};
use crate::model::{Dur, Scenario};

/// GitHub's limit for a comment body.
pub const COMMENT_LIMIT: usize = 65_536;

fn opt(d: Option<Dur>) -> String {
    d.map_or_else(|| "none".to_owned(), |d| d.to_string())
}

/// One asset and scenario, flattened for comparison.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    mechanisms: Vec<String>,
    rpo: Option<Dur>,
    rto: Option<Dur>,
    verdict: &'static str,
}

fn lines(a: &Analysis) -> BTreeMap<(String, Scenario), Line> {
    let mut out = BTreeMap::new();
    if let Some(rec) = &a.recovery {
        for r in &rec.assets {
            for s in &r.scenarios {
                let verdict = if s.accepted() {
                    "breached (accepted risk)"
                } else if s.breached() {
                    "breached"
                } else if s.rpo_verdict == Verdict::NoObjective
                    && s.rto_verdict == Verdict::NoObjective
                {
                    "no objective"
                } else {
                    "met"
                };
                out.insert(
                    (r.id.clone(), s.scenario),
                    Line {
                        mechanisms: r.mechanism_names.clone(),
                        rpo: s.rpo,
                        rto: s.effective_rto,
                        verdict,
                    },
                );
            }
        }
    }
    out
}

/// Changes from `base` to `head`, one sentence each.
pub fn diff(base: &Analysis, head: &Analysis) -> Vec<String> {
    let b = lines(base);
    let h = lines(head);
    let ids = |m: &BTreeMap<(String, Scenario), Line>| {
        m.keys()
            .map(|(id, _)| id.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (bi, hi) = (ids(&b), ids(&h));
    let mut out = Vec::new();
    for id in hi.difference(&bi) {
        out.push(format!("asset `{id}` added"));
    }
    for id in bi.difference(&hi) {
        out.push(format!("asset `{id}` removed"));
    }
    for id in bi.intersection(&hi) {
        let bm = &b[&(id.clone(), Scenario::Az)].mechanisms;
        let hm = &h[&(id.clone(), Scenario::Az)].mechanisms;
        let added: Vec<&String> = hm.iter().filter(|m| !bm.contains(m)).collect();
        let removed: Vec<&String> = bm.iter().filter(|m| !hm.contains(m)).collect();
        if !added.is_empty() || !removed.is_empty() {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!(
                    "adds {}",
                    added
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !removed.is_empty() {
                parts.push(format!(
                    "drops {}",
                    removed
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            out.push(format!("`{id}` {}", parts.join(" and ")));
        }
        for s in Scenario::ALL {
            let (x, y) = (&b[&(id.clone(), s)], &h[&(id.clone(), s)]);
            if x.rpo != y.rpo || x.rto != y.rto {
                out.push(format!(
                    "`{id}` {}: RPO {} → {}, RTO {} → {}",
                    s.as_str(),
                    opt(x.rpo),
                    opt(y.rpo),
                    opt(x.rto),
                    opt(y.rto)
                ));
            }
            if x.verdict != y.verdict {
                out.push(format!(
                    "`{id}` {}: verdict {} → **{}**",
                    s.as_str(),
                    x.verdict,
                    y.verdict
                ));
            }
        }
    }
    out
}

pub fn markdown(a: &Analysis, base: Option<&Analysis>) -> String {
    let mut o = String::new();
    let project = a
        .inventory
        .as_ref()
        .map_or_else(|| "inventory".to_owned(), |i| i.project.name.clone());
    let errors = a.diagnostics.error_count();
    let _ = writeln!(
        o,
        "## lifeboat: disaster-recovery report for {}\n",
        code_span(&project, false)
    );
    let accepted = a.recovery.as_ref().map_or(0, |r| {
        r.assets
            .iter()
            .flat_map(|x| &x.scenarios)
            .filter(|s| s.accepted())
            .count()
    });
    if errors == 0 && accepted == 0 {
        let _ = writeln!(o, "✅ **Every recovery objective is met.**\n");
    } else if errors == 0 {
        let _ = writeln!(
            o,
            "⚠️ **Nothing blocks, but {accepted} breached scenario(s) are accepted as known risks** (see [Accepted risks](#accepted-risks)).\n"
        );
    } else {
        let _ = writeln!(o, "❌ **{errors} finding(s).**\n");
    }
    if let Some(base) = base.filter(|b| b.recovery.is_none() || a.recovery.is_none()) {
        let which = if base.recovery.is_none() {
            "base"
        } else {
            "new"
        };
        let n = if base.recovery.is_none() {
            base.diagnostics.error_count()
        } else {
            errors
        };
        let _ = writeln!(
            o,
            "### DR posture changes\n\n_Not compared: the {which} inventory has {n} error(s), so its recovery model did not run._\n"
        );
    }
    if let Some(base) = base.filter(|b| b.recovery.is_some() && a.recovery.is_some()) {
        let changes = diff(base, a);
        let _ = writeln!(o, "### DR posture changes\n");
        if changes.is_empty() {
            let _ = writeln!(o, "No change in mechanisms, estimates or verdicts.\n");
        }
        for c in &changes {
            let _ = writeln!(o, "- {c}");
        }
        if !changes.is_empty() {
            o.push('\n');
        }
    }
    if errors > 0 || a.diagnostics.warning_count() > 0 {
        let _ = writeln!(o, "### Findings\n");
        let findings = a.diagnostics.sorted();
        let total = findings.len();
        for (shown, d) in findings.into_iter().enumerate() {
            // Half the comment at most: the objectives and the graph follow.
            if o.len() > COMMENT_LIMIT / 2 {
                let _ = writeln!(
                    o,
                    "- … and {} more: run `lifeboat check` for every finding",
                    total - shown
                );
                break;
            }
            // File names, messages and hints quote what the user wrote: all
            // of it in code spans, so none of it becomes markup, a link or a
            // mention.
            let loc = d
                .span
                .as_ref()
                .map(|s| format!("{} ", code_span(&a.sources.location(s), false)))
                .unwrap_or_default();
            let sev = if d.severity() == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let hint = d
                .hint
                .as_ref()
                .map(|h| format!("<br>hint: {}", code_span(h, false)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "- {loc}**{sev} {}**: {}{hint}",
                d.code.as_str(),
                code_span(&d.message, false)
            );
        }
        o.push('\n');
    }
    if let Some(rec) = &a.recovery {
        accepted_risks(&mut o, rec);
    }
    if let Some(inv) = &a.inventory {
        measurements(&mut o, inv);
    }
    if let Some((inv, rec, dep)) = a.compiled() {
        let _ = writeln!(o, "### Objectives\n");
        let _ = writeln!(
            o,
            "| asset | tier | scenario | RPO (objective / estimate) | RTO (objective / estimate) | verdict |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        let mut table = String::new();
        let mut rows = 0;
        'assets: for r in &rec.assets {
            for s in &r.scenarios {
                if s.objective.rpo.is_none() && s.objective.rto.is_none() {
                    continue;
                }
                let until;
                let v = if s.accepted() {
                    until = format!(
                        "⚠️ breached, accepted until {}",
                        s.accepted_risk.as_ref().expect("accepted").expires
                    );
                    until.as_str()
                } else if s.breached() {
                    "❌ breached"
                } else {
                    "✅ met"
                };
                let row = format!(
                    "| {} | {} | {} | {} / {} | {} / {} | {v} |\n",
                    code_span(&r.id, true),
                    code_span(&r.tier, true),
                    s.scenario.as_str(),
                    opt(s.objective.rpo),
                    opt(s.rpo),
                    opt(s.objective.rto),
                    opt(s.effective_rto)
                );
                // Keep room for the graph and the footer.
                if o.len() + table.len() + row.len() > COMMENT_LIMIT - 12_000 {
                    let _ = writeln!(
                        table,
                        "| … | | | | | the table is cut here; more rows: run `lifeboat check --format json` |"
                    );
                    break 'assets;
                }
                table.push_str(&row);
                rows += 1;
            }
        }
        let _ = rows;
        o.push_str(&table);
        // What an RPO above holds only for (S3 replication: objects written after the rule).
        let pending = ids_with_path(rec, |k| {
            crate::check::estimate::rpo_precondition(k).is_some()
        });
        if !pending.is_empty() && o.len() + table.len() + 600 < COMMENT_LIMIT {
            let _ = writeln!(
                o,
                "\nThe Region RPO of {} holds for objects written since replication was applied: run the one-time S3 Batch Replication job in RUNBOOK.md (\"Once, after the first apply\") to copy the older ones.",
                pending.join(", ")
            );
        }
        // What a Region RTO above holds only for (region_switch_dns: the records
        // use the plan's health checks only once their ids are passed).
        let dns = ids_with_path(rec, |k| {
            crate::check::estimate::rto_precondition(k).is_some()
        });
        if !dns.is_empty() && o.len() + 600 < COMMENT_LIMIT {
            let _ = writeln!(
                o,
                "\nThe Region switch plan moves the DNS of {} only once their records use its Route 53 health checks: pass their ids as RUNBOOK.md (\"Once, after the first apply\") shows. Until then Route 53 fails these endpoints over by itself, possibly before the data they need is promoted.",
                dns.join(", ")
            );
        }
        vault_locks(&mut o, dep);
        ransomware_isolation(&mut o, inv, rec, dep);
        run_time_checks(&mut o, dep);
        let topo = super::topology::build(inv, rec, dep);
        let mermaid = super::graph::mermaid(&topo);
        if o.len() + mermaid.len() + 200 < COMMENT_LIMIT {
            let _ = writeln!(o, "\n### Topology\n\n```mermaid\n{mermaid}```");
        } else {
            let _ = writeln!(
                o,
                "\n_The topology graph does not fit in a comment; see `lifeboat graph --format svg`._"
            );
        }
    }
    let _ = writeln!(
        o,
        "\n<sub>Generated by lifeboat. `lifeboat explain <asset>` shows how each estimate is derived.</sub>"
    );
    o
}

/// The restore times measured by AWS Backup restore jobs (`measurement` blocks)
/// that the estimates use, with their dates: what a reviewer checks is recent.
fn measurements(o: &mut String, inv: &crate::model::Inventory) {
    let mut first = true;
    for x in &inv.assets {
        let (Some(restore), Some(dated)) = (x.measured.restore, x.measured.restore_dated) else {
            continue;
        };
        if first {
            first = false;
            let _ = writeln!(
                o,
                "### Measured restore times
"
            );
            let _ = writeln!(
                o,
                "Measured by AWS Backup restore jobs (`lifeboat measure`); the estimates use them instead of the model's.\n"
            );
            let _ = writeln!(
                o,
                "| asset | restore | newest job completed | restore jobs |"
            );
            let _ = writeln!(o, "|---|---|---|---|");
        }
        if o.len() > COMMENT_LIMIT / 2 {
            let _ = writeln!(o, "| … | | | more: run `lifeboat check --format json` |");
            break;
        }
        let _ = writeln!(
            o,
            "| {} | {restore} | {} | {} |",
            code_span(&x.id, true),
            dated.date,
            dated.jobs
        );
    }
    if !first {
        o.push('\n');
    }
}

/// Which vaults are locked in compliance mode: a reviewer must know before the
/// apply, because such a lock cannot be undone once its grace period is over.
fn vault_locks(o: &mut String, dep: &crate::deploy::Deployment) {
    use crate::deploy::backup::LockMode;
    let Some(b) = &dep.backup else { return };
    let tiers = |immutable: bool| -> Vec<String> {
        let mut t: Vec<String> = b
            .plans
            .iter()
            .filter(|p| p.immutable_vaults == immutable)
            .map(|p| code_span(&p.tier, true))
            .collect();
        t.dedup();
        t
    };
    let _ = writeln!(o, "\n### Vault Lock\n");
    let grace = |days: u32| {
        format!(
            "**compliance mode**: once {days} days have passed after the apply, nobody (not even the account's root user) can shorten their recovery points' retention or remove the lock"
        )
    };
    match (&b.immutable, b.lock.mode) {
        (_, LockMode::Compliance) => {
            let _ = writeln!(
                o,
                "- Every tier writes to {} / {}, in {} (`immutable_backups = true` on the project).",
                code_span(&b.vaults.primary, false),
                code_span(&b.vaults.secondary, false),
                grace(b.lock.changeable_for_days.unwrap_or_default()),
            );
        }
        (Some(i), LockMode::Governance) => {
            let _ = writeln!(
                o,
                "- Tier(s) {} write to {} / {}, in {}.",
                tiers(true).join(", "),
                code_span(&i.vaults.primary, false),
                code_span(&i.vaults.secondary, false),
                grace(i.changeable_for_days),
            );
            let rest = tiers(false);
            if !rest.is_empty() {
                let _ = writeln!(
                    o,
                    "- Tier(s) {} write to {} / {}, in governance mode (removable by privileged principals).",
                    rest.join(", "),
                    code_span(&b.vaults.primary, false),
                    code_span(&b.vaults.secondary, false),
                );
            }
        }
        (None, LockMode::Governance) => {
            let _ = writeln!(
                o,
                "- Every tier writes to {} / {}, in governance mode (removable by privileged principals); `immutable_backups = true` on a tier locks its recovery points in compliance mode.",
                code_span(&b.vaults.primary, false),
                code_span(&b.vaults.secondary, false),
            );
        }
    }
}

/// Ransomware isolation: which tiers copy into the logically air-gapped vault,
/// which count a compromised account in their corruption scenario, and the assets
/// of those tiers that have no isolated copy (`W305`) or no corruption path.
fn ransomware_isolation(
    o: &mut String,
    inv: &crate::model::Inventory,
    rec: &crate::check::Recovery,
    dep: &crate::deploy::Deployment,
) {
    let used = |t: &str| inv.assets.iter().any(|a| a.tier == t);
    let tiers = |f: &dyn Fn(&crate::model::Tier) -> bool| -> Vec<String> {
        inv.tiers
            .iter()
            .filter(|(name, t)| f(t) && used(name))
            .map(|(name, _)| code_span(name, true))
            .collect()
    };
    let copying = tiers(&|t| t.isolated_copy);
    let compromise = tiers(&|t| t.account_compromise);
    if copying.is_empty() && compromise.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### Ransomware isolation\n");
    let vault = dep.backup.as_ref().and_then(|b| b.isolated.as_ref());
    match vault {
        Some(v) if !copying.is_empty() => {
            let share = match &v.recovery_account_id {
                Some(id) => format!(
                    "shared through AWS RAM with account {}",
                    code_span(id, false)
                ),
                None => {
                    "not shared with a recovery account (`recovery_account_id` is unset)".to_owned()
                }
            };
            let _ = writeln!(
                o,
                "- Tier(s) {} copy their AWS Backup recovery points into the logically air-gapped vault {} in {}, {share}.",
                copying.join(", "),
                code_span(&v.name, false),
                code_span(&v.region, false),
            );
        }
        _ if !copying.is_empty() => {
            let _ = writeln!(
                o,
                "- Tier(s) {} set `isolated_copy`, but none of their assets gets an isolated copy.",
                copying.join(", "),
            );
        }
        _ => {}
    }
    if !compromise.is_empty() {
        let _ = writeln!(
            o,
            "- Tier(s) {} count a compromised account in their corruption scenario: only the isolated copy counts there, restored from the recovery account (RUNBOOK.md).",
            compromise.join(", "),
        );
    }
    let missing: Vec<String> = inv
        .assets
        .iter()
        .zip(&rec.assets)
        .filter(|(a, r)| {
            let t = &inv.tiers[&a.tier];
            (t.isolated_copy || t.account_compromise)
                && !matches!(a.kind, crate::model::AssetKind::Endpoint(_))
                && !r.mechanisms.isolated_copy
        })
        .map(|(a, _)| format!("{} ({})", code_span(&a.id, true), a.kind_name()))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            o,
            "- Without an isolated copy: {} (see the warnings above).",
            missing.join(", "),
        );
    }
}

/// What AWS checks on the deployed resources with the same numbers: the Backup
/// Audit Manager framework and the Resilience Hub policies (docs/audit.md).
fn run_time_checks(o: &mut String, dep: &crate::deploy::Deployment) {
    use crate::deploy::audit::Control;
    let r = &dep.resilience;
    if dep.audit.is_none()
        && dep.audit_omitted.is_none()
        && r.policies.is_empty()
        && r.omitted.is_empty()
    {
        return;
    }
    let _ = writeln!(o, "\n### Run-time checks\n");
    if let Some(a) = &dep.audit {
        let count = |c: Control| {
            a.controls
                .iter()
                .filter(|x| x.control == c)
                .map(|x| x.assets.len())
                .sum::<usize>()
        };
        let _ = writeln!(
            o,
            "- AWS Backup Audit Manager framework {}: {} controls. {} backup plan(s) checked for frequency and retention; {} resource(s) for their latest recovery point against the RPO and {} for their restore time against the RTO; reports to {}.",
            code_span(&a.framework, false),
            2 * a.plans.len() + a.controls.len(),
            a.plans.len(),
            count(Control::LastRecoveryPointCreated),
            count(Control::RestoreTime),
            code_span(&format!("{}-<account>", a.report_bucket_prefix), false),
        );
    }
    if let Some(why) = &dep.audit_omitted {
        let _ = writeln!(
            o,
            "- ⚠️ No Backup Audit Manager framework: {}",
            code_span(why, false)
        );
    }
    if !r.policies.is_empty() {
        let list: Vec<String> = r
            .policies
            .iter()
            .map(|p| format!("{} ({})", code_span(&p.tier, false), p.hub_tier))
            .collect();
        let _ = writeln!(
            o,
            "- AWS Resilience Hub resiliency policies for tier(s) {}: Software = corruption, Hardware and AZ = az, Region = region.",
            list.join(", ")
        );
    }
    for (tier, why) in &r.omitted {
        let _ = writeln!(
            o,
            "- No Resilience Hub policy for tier {}: {}",
            code_span(tier, false),
            code_span(why, false)
        );
    }
}

/// Every accepted risk that covers a breach (or no longer does), with who
/// accepted it, until when and why: what a reviewer signs off in the PR.
fn accepted_risks(o: &mut String, rec: &crate::check::Recovery) {
    let rows: Vec<_> = rec
        .assets
        .iter()
        .flat_map(|x| x.scenarios.iter().map(move |s| (x, s)))
        .filter_map(|(x, s)| {
            let r = s.accepted_risk.as_ref()?;
            (r.status != RiskStatus::Unused).then_some((x, s, r))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Accepted risks\n");
    let _ = writeln!(
        o,
        "| asset | scenario | RPO (objective / estimate) | RTO (objective / estimate) | owner | expires | status | reason |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|");
    for (x, s, r) in rows {
        if o.len() > COMMENT_LIMIT / 2 {
            let _ = writeln!(
                o,
                "| … | | | | | | | more: run `lifeboat check --format json` |"
            );
            break;
        }
        let status = match r.status {
            RiskStatus::Accepted => "⚠️ accepted",
            RiskStatus::Expired => "❌ expired",
            RiskStatus::Exceeded => "❌ exceeded",
            RiskStatus::Unused => unreachable!("filtered out"),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} / {} | {} / {} | {} | {} | {status} | {} |",
            code_span(&x.id, true),
            s.scenario.as_str(),
            opt(s.objective.rpo),
            opt(s.rpo),
            opt(s.objective.rto),
            opt(s.effective_rto),
            code_span(r.owner.trim(), true),
            r.expires,
            code_span(r.reason.trim(), true),
        );
    }
    o.push('\n');
}

pub fn json(a: &Analysis, base: Option<&Analysis>) -> Value {
    let mut doc = crate::report::explain::json_report(a);
    if let Some(base) = base {
        doc["changes"] = if base.recovery.is_some() && a.recovery.is_some() {
            json!(diff(base, a))
        } else {
            Value::Null
        };
        doc["base_errors"] = json!(base.diagnostics.error_count());
    }
    doc
}

/// A file name as the path of a URI reference (RFC 3986): `\\` as `/`, and every
/// byte but unreserved characters and `/` percent-encoded (a space, `#`, `?`,
/// `%`, `:` and non-ASCII included).
pub fn uri_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// SARIF 2.1.0: one result per finding, stable rule ids, relative paths.
pub fn sarif(a: &Analysis) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.slug(),
                "shortDescription": {"text": c.summary()},
                "help": {"text": format!("See docs/recovery-model.md, rule {} ({}).", c.as_str(), c.slug())},
                "defaultConfiguration": {"level": if c.severity() == Severity::Error { "error" } else { "warning" }},
            })
        })
        .collect();
    let results: Vec<Value> = a
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(h) = &d.hint {
                text.push_str(&format!(" (hint: {h})"));
            }
            let mut r = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": if d.severity() == Severity::Error { "error" } else { "warning" },
                "message": {"text": text},
            });
            if let Some(span) = &d.span {
                let f = a.sources.file(span.file);
                let (sl, sc) = f.line_col(span.range.start);
                let (el, ec) = f.line_col(span.range.end.max(span.range.start));
                r["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_path(&f.name), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec.max(sc + usize::from(el == sl))},
                    }
                }]);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lifeboat",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// The ids (as code spans) of the assets with a chosen path of a kind `pred` picks,
/// in any scenario.
fn ids_with_path(
    rec: &crate::check::Recovery,
    pred: impl Fn(crate::check::estimate::PathKind) -> bool,
) -> Vec<String> {
    rec.assets
        .iter()
        .filter(|r| {
            r.scenarios
                .iter()
                .any(|s| s.path.as_ref().is_some_and(|p| pred(p.kind)))
        })
        .map(|r| code_span(&r.id, true))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::uri_path;

    #[test]
    fn sarif_uris_are_percent_encoded() {
        for (name, want) in [
            ("inventory/lifeboat.hcl", "inventory/lifeboat.hcl"),
            ("dir\\a.hcl", "dir/a.hcl"),
            ("a b#c?d%e.hcl", "a%20b%23c%3Fd%25e.hcl"),
            ("c:x.hcl", "c%3Ax.hcl"),
            ("é.hcl", "%C3%A9.hcl"),
            ("[x](y).json", "%5Bx%5D%28y%29.json"),
        ] {
            assert_eq!(uri_path(name), want, "{name}");
        }
    }
}
