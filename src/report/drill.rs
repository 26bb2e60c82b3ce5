//! `lifeboat drill`: the disaster played out on the model. Which assets are hit,
//! in which waves they recover, each one's timeline and data-loss window, and
//! whether every objective holds. It uses the same results as `check`, so a drill
//! fails exactly when `check` reports a breach error for that scenario (a breach
//! accepted as a known risk is shown, and does not fail it).

use std::fmt::Write as _;

use crate::check::{Recovery, Verdict};
use crate::deploy::Deployment;
use crate::deploy::region_switch::StepAction;
use crate::model::{Dur, Inventory, Scenario};

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub tier: String,
    /// 1-based: wave 1 depends on nothing.
    pub wave: usize,
    /// Whether the disaster touches this asset itself (not only its dependencies).
    pub hit: bool,
    pub start: Option<Dur>,
    pub ready: Option<Dur>,
    pub data_loss: Option<Dur>,
    pub path: String,
    pub rpo_objective: Option<Dur>,
    pub rto_objective: Option<Dur>,
    pub rpo_verdict: Verdict,
    pub rto_verdict: Verdict,
    /// The breach is accepted as a known risk until this day.
    pub accepted_until: Option<crate::model::Date>,
}

impl Row {
    fn breached(&self) -> bool {
        self.rpo_verdict == Verdict::Breached || self.rto_verdict == Verdict::Breached
    }
}

#[derive(Debug, Clone)]
pub struct Drill {
    pub scenario: Scenario,
    pub project: String,
    pub rows: Vec<Row>,
    /// When the last asset serves again; `None` if some asset cannot recover.
    pub total: Option<Dur>,
    /// In the Region scenario, the Region switch plan played step by step.
    pub plan: Option<PlanPlay>,
}

/// The Region switch plan's execution, on the model's timeline.
#[derive(Debug, Clone)]
pub struct PlanPlay {
    pub name: String,
    /// Whether its trigger starts it (else a person does).
    pub triggered: bool,
    pub approval: bool,
    /// In order: the plan's step number, and the assets it recovers with when
    /// each one's work starts and when it serves again.
    pub steps: Vec<PlanStep>,
    /// Hit assets whose recovery the plan does not perform and a person starts.
    pub manual: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PlanStep {
    pub number: usize,
    pub wave: usize,
    pub name: String,
    pub asset: String,
    pub what: &'static str,
    pub start: Option<Dur>,
    pub ready: Option<Dur>,
    /// The plan runs a step only once the step before it has finished: when
    /// that is later than the model's start (which waits only for the asset's
    /// own dependencies), when the plan really starts it.
    pub held_until: Option<Dur>,
}

impl Drill {
    /// Some objective is breached and not accepted as a known risk (so `drill`
    /// fails exactly where `check` reports an error for the scenario).
    pub fn breached(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.breached() && r.accepted_until.is_none())
    }
}

pub fn run(inv: &Inventory, rec: &Recovery, scenario: Scenario) -> Drill {
    let waves: Vec<usize> = crate::graph::levels(inv)
        .into_iter()
        .map(|l| l + 1)
        .collect();
    let mut rows = Vec::with_capacity(inv.assets.len());
    for (i, (a, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let s = &r.scenarios[scenario.index()];
        // The work begins after detection, the decision and the dependencies.
        let work = s.path.as_ref().map(|p| p.work());
        let ready = s.effective_rto;
        let start = ready
            .zip(work)
            .map(|(e, w)| Dur::secs(e.as_secs().saturating_sub(w.as_secs())));
        rows.push(Row {
            id: a.id.clone(),
            tier: a.tier.clone(),
            wave: waves[i],
            hit: s
                .path
                .as_ref()
                .is_none_or(|p| p.rto() > Dur::ZERO || p.rpo() > Dur::ZERO),
            start,
            ready,
            data_loss: s.rpo,
            path: s
                .path
                .as_ref()
                .map_or_else(|| "no recovery path".to_owned(), |p| p.name().to_owned()),
            rpo_objective: s.objective.rpo,
            rto_objective: s.objective.rto,
            rpo_verdict: s.rpo_verdict,
            rto_verdict: s.rto_verdict,
            accepted_until: s
                .accepted_risk
                .as_ref()
                .filter(|_| s.accepted())
                .map(|r| r.expires),
        });
    }
    rows.sort_by(|a, b| (a.wave, a.start, &a.id).cmp(&(b.wave, b.start, &b.id)));
    let total = rows
        .iter()
        .map(|r| r.ready)
        .try_fold(Dur::ZERO, |acc, r| r.map(|r| acc.max(r)));
    Drill {
        scenario,
        project: inv.project.name.clone(),
        rows,
        total,
        plan: None,
    }
}

impl Drill {
    /// Add the Region switch plan of `dep`, played on this drill's timeline (the
    /// Region scenario only; other scenarios do not run it).
    pub fn with_plan(mut self, rec: &Recovery, dep: &Deployment) -> Drill {
        let Some(rs) = &dep.region_switch else {
            return self;
        };
        if self.scenario != Scenario::Region {
            return self;
        }
        // Rows by id (the first of an id, as a scan would find it): a scan per step
        // was quadratic in the number of assets.
        let mut by_id = std::collections::HashMap::with_capacity(self.rows.len());
        for r in &self.rows {
            by_id.entry(r.id.as_str()).or_insert(r);
        }
        let row = |id: &str| by_id.get(id).copied();
        let mut steps = Vec::new();
        let first = 1 + usize::from(rs.approval_step.is_some());
        let mut before: Option<Dur> = None;
        for (k, wave) in rs.waves.iter().enumerate() {
            let number = first + k;
            let mut done = Dur::ZERO;
            for s in wave {
                let r = row(&s.asset);
                let start = r.and_then(|r| r.start);
                let ready = r.and_then(|r| r.ready);
                steps.push(PlanStep {
                    number,
                    wave: s.wave,
                    name: s.name.clone(),
                    asset: s.asset.clone(),
                    what: match s.action {
                        StepAction::RdsPromote { .. } => "promote the read replica",
                        StepAction::AuroraGlobal { .. } => "fail the Global Database over",
                        StepAction::Route53 { .. } => "move DNS to the secondary target",
                    },
                    start,
                    ready,
                    held_until: before.filter(|b| start.is_some_and(|s| s < *b)),
                });
                done = done.max(ready.unwrap_or(Dur::ZERO));
            }
            before = Some(done);
        }
        let automated: Vec<&str> = rs
            .waves
            .iter()
            .flatten()
            .map(|s| s.asset.as_str())
            .collect();
        let manual = self
            .rows
            .iter()
            .filter(|r| r.hit && !automated.contains(&r.id.as_str()))
            .filter(|r| {
                let i = rec.assets.binary_search_by(|a| a.id.as_str().cmp(&r.id));
                i.ok()
                    .and_then(|i| {
                        rec.assets[i].scenarios[Scenario::Region.index()]
                            .path
                            .as_ref()
                    })
                    .is_some_and(|p| !p.kind.automated())
            })
            .map(|r| r.id.clone())
            .collect();
        self.plan = Some(PlanPlay {
            name: rs.plan.clone(),
            triggered: !rs.trigger_alarms.is_empty(),
            approval: rs.approval_step.is_some(),
            steps,
            manual,
        });
        self
    }
}

fn plan_text(p: &PlanPlay) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nRegion switch plan {} ({}{}):",
        p.name,
        if p.triggered {
            "its trigger starts it once every primary endpoint alarm is red"
        } else {
            "no trigger: a person starts it"
        },
        if p.approval {
            "; step 1 waits for a person's approval"
        } else {
            ""
        }
    );
    for s in &p.steps {
        let parallel = p.steps.iter().filter(|x| x.number == s.number).count() > 1;
        let _ = writeln!(
            o,
            "  step {} (wave {}{}): {} ({}: {}): T+{} -> T+{}",
            s.number,
            s.wave,
            if parallel { ", in parallel" } else { "" },
            s.name,
            s.what,
            s.asset,
            opt(s.start),
            opt(s.ready)
        );
        if let Some(h) = s.held_until {
            let _ = writeln!(
                o,
                "    note: the plan starts this step only after the step before it, at T+{h} (the estimate does not count the wait)"
            );
        }
    }
    if p.manual.is_empty() {
        let _ = writeln!(
            o,
            "  manual: nothing; every recovery that needs an action is a step of the plan"
        );
    } else {
        let _ = writeln!(
            o,
            "  manual (a person starts them; the plan cannot): {}",
            p.manual.join(", ")
        );
    }
    o
}

fn opt(d: Option<Dur>) -> String {
    d.map_or_else(|| "never".to_owned(), |d| d.to_string())
}

fn verdict(v: Verdict, est: Option<Dur>, goal: Option<Dur>) -> String {
    match v {
        Verdict::NoObjective => "no objective".to_owned(),
        Verdict::Met => format!("met ({} <= {})", opt(est), opt(goal)),
        Verdict::Breached => format!("BREACHED ({} > {})", opt(est), opt(goal)),
    }
}

fn result_line(d: &Drill) -> String {
    let n = d.rows.iter().filter(|r| r.breached()).count();
    let accepted = d
        .rows
        .iter()
        .filter(|r| r.breached() && r.accepted_until.is_some())
        .count();
    match (n, accepted) {
        (0, _) => "every objective met".to_owned(),
        (n, 0) => format!("{n} asset(s) breach their objectives"),
        (n, a) if a == n => {
            format!("{n} asset(s) breach their objectives, all accepted as known risks")
        }
        (n, a) => {
            format!("{n} asset(s) breach their objectives, {a} of them accepted as known risks")
        }
    }
}

/// What follows a breached verdict when the breach is an accepted risk.
fn accepted(r: &Row) -> String {
    match r.accepted_until {
        Some(d) if r.breached() => format!(" (accepted risk until {d})"),
        _ => String::new(),
    }
}

pub fn text(d: &Drill) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "drill: {} ({}) for project {}",
        d.scenario.describe(),
        d.scenario.as_str(),
        d.project
    );
    let hit = d.rows.iter().filter(|r| r.hit).count();
    let _ = writeln!(
        o,
        "assets hit: {hit} of {}; recovery runs in waves, each wave in parallel once the one before serves\n",
        d.rows.len()
    );
    let mut wave = 0;
    for r in &d.rows {
        if r.wave != wave {
            wave = r.wave;
            let _ = writeln!(o, "wave {wave}:");
        }
        let _ = writeln!(
            o,
            "  {}  (tier {}){}",
            r.id,
            r.tier,
            match (r.hit, r.wave) {
                (true, _) => "",
                (false, 1) => "  not hit",
                (false, _) => "  not hit itself; waits for its dependencies",
            }
        );
        let _ = writeln!(o, "    how:       {}", r.path);
        let _ = writeln!(
            o,
            "    timeline:  work starts at T+{}, serves again at T+{}",
            opt(r.start),
            opt(r.ready)
        );
        let _ = writeln!(o, "    data loss: up to {}", opt(r.data_loss));
        let _ = writeln!(
            o,
            "    RPO {}, RTO {}{}",
            verdict(r.rpo_verdict, r.data_loss, r.rpo_objective),
            verdict(r.rto_verdict, r.ready, r.rto_objective),
            accepted(r)
        );
    }
    if let Some(p) = &d.plan {
        o.push_str(&plan_text(p));
    }
    let _ = writeln!(o, "\ntotal time to full service: {}", opt(d.total));
    let _ = writeln!(o, "result: {}", result_line(d));
    o
}

fn md(s: &str) -> String {
    super::markdown_text(s)
}

pub fn markdown(d: &Drill) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## Drill: {} (`{}`), project {}\n",
        d.scenario.describe(),
        d.scenario.as_str(),
        md(&d.project)
    );
    let _ = writeln!(
        o,
        "**Result:** {}. Total time to full service: **{}**.\n",
        result_line(d),
        opt(d.total)
    );
    let _ = writeln!(
        o,
        "| wave | asset | tier | how | starts | serves again | data loss | RPO | RTO |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
    for r in &d.rows {
        let _ = writeln!(
            o,
            "| {} | `{}` | {} | {} | T+{} | T+{} | {} | {} | {}{} |",
            r.wave,
            r.id,
            md(&r.tier),
            md(&r.path),
            opt(r.start),
            opt(r.ready),
            opt(r.data_loss),
            verdict(r.rpo_verdict, r.data_loss, r.rpo_objective),
            verdict(r.rto_verdict, r.ready, r.rto_objective),
            accepted(r)
        );
    }
    if let Some(p) = &d.plan {
        let _ = writeln!(
            o,
            "\n**Region switch plan `{}`** ({}{}):\n\n| step | wave | name | what | starts | serves again |\n|---|---|---|---|---|---|",
            md(&p.name),
            if p.triggered {
                "started by its trigger"
            } else {
                "started by a person: no trigger"
            },
            if p.approval {
                ", after a person's approval"
            } else {
                ""
            }
        );
        for s in &p.steps {
            let _ = writeln!(
                o,
                "| {} | {} | `{}` | {}: `{}` | T+{}{} | T+{} |",
                s.number,
                s.wave,
                s.name,
                s.what,
                s.asset,
                opt(s.start),
                s.held_until
                    .map_or_else(String::new, |h| format!(" (the plan holds it until T+{h})")),
                opt(s.ready)
            );
        }
        if !p.manual.is_empty() {
            let ids: Vec<String> = p.manual.iter().map(|m| format!("`{m}`")).collect();
            let _ = writeln!(o, "\nManual (the plan cannot do them): {}.", ids.join(", "));
        }
    }
    let _ = writeln!(
        o,
        "\n```mermaid\ngantt\n  title {} drill\n  dateFormat X\n  axisFormat %H:%M",
        d.scenario.as_str()
    );
    let mut wave = 0;
    for (k, r) in d.rows.iter().enumerate() {
        let (Some(start), Some(ready)) = (r.start, r.ready) else {
            continue;
        };
        if r.wave != wave {
            wave = r.wave;
            let _ = writeln!(o, "  section wave {wave}");
        }
        let tag = if r.rto_verdict == Verdict::Breached {
            "crit, "
        } else {
            ""
        };
        // A zero-length bar does not render; show at least one second.
        let end = ready.as_secs().max(start.as_secs() + 1);
        let _ = writeln!(o, "  {} :{tag}t{k}, {}, {end}", r.id, start.as_secs());
    }
    let _ = writeln!(o, "```");
    o
}
