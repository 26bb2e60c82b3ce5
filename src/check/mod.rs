//! Stage 5, check: the recovery model.
//!
//! For every asset it chooses mechanisms (the cheapest set that meets its tier in
//! every scenario and leaves its dependents enough time), estimates RPO and RTO
//! per scenario term by term ([`estimate`]), composes RTO along the dependency
//! graph, and reports breaches as diagnostics. docs/recovery-model.md is the
//! reference for every rule here.

pub mod estimate;
pub mod mechanisms;

use serde::Serialize;

use self::estimate::Path;
use self::mechanisms::{Mechanisms, candidates, describe_change};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::graph::Graph;
use crate::model::{Asset, AssetKind, Dur, Inventory, Objective, Params, Scenario, tiers};

/// The model's result for the whole inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    /// Parallel to `Inventory::assets`.
    pub assets: Vec<AssetRecovery>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetRecovery {
    pub id: String,
    pub tier: String,
    pub mechanisms: Mechanisms,
    pub mechanism_names: Vec<String>,
    /// Why these mechanisms (for `explain`).
    pub rationale: String,
    /// Indexed by [`Scenario::index`].
    pub scenarios: Vec<ScenarioResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub scenario: Scenario,
    pub objective: Objective,
    /// The RTO this asset's own recovery had to fit so its dependents meet theirs.
    pub rto_budget: Option<Dur>,
    /// The recovery path used; `None` when nothing can recover the asset.
    pub path: Option<Path>,
    pub rpo: Option<Dur>,
    /// This asset's own recovery time.
    pub own_rto: Option<Dur>,
    /// Own time plus the slowest chain of dependencies.
    pub effective_rto: Option<Dur>,
    /// Asset ids from this one down the slowest dependency chain.
    pub critical_path: Vec<String>,
    pub rpo_verdict: Verdict,
    pub rto_verdict: Verdict,
    /// The inventory's acceptance of a breach in this scenario, and how it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_risk: Option<RiskStanding>,
}

/// An `accepted_risk` block judged against the estimates and today's date.
#[derive(Debug, Clone, Serialize)]
pub struct RiskStanding {
    pub status: RiskStatus,
    pub reason: String,
    pub owner: String,
    pub expires: crate::model::Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo: Option<Dur>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto: Option<Dur>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    /// The scenario is breached and the acceptance covers it: a warning.
    Accepted,
    /// The acceptance's last day has passed: the breach is an error again.
    Expired,
    /// An estimate is worse than the acceptance's bound: an error.
    Exceeded,
    /// The scenario meets its objectives (or has none): nothing to accept.
    Unused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No objective for this scenario.
    NoObjective,
    Met,
    Breached,
}

impl ScenarioResult {
    pub fn breached(&self) -> bool {
        self.rpo_verdict == Verdict::Breached || self.rto_verdict == Verdict::Breached
    }

    /// Breached, and the breach is accepted as a known risk (a warning, not an error).
    pub fn accepted(&self) -> bool {
        self.accepted_risk
            .as_ref()
            .is_some_and(|r| r.status == RiskStatus::Accepted)
    }
}

/// How an acceptance stands for a scenario with these verdicts and estimates.
fn standing(
    r: &crate::model::AcceptedRisk,
    res: &ScenarioResult,
    today: crate::model::Date,
) -> RiskStanding {
    let over =
        |bound: Option<Dur>, est: Option<Dur>| bound.is_some_and(|b| est.is_none_or(|e| e > b));
    let status = if !res.breached() {
        RiskStatus::Unused
    } else if r.expires < today {
        RiskStatus::Expired
    } else if over(r.rpo, res.rpo) || over(r.rto, res.effective_rto) {
        RiskStatus::Exceeded
    } else {
        RiskStatus::Accepted
    };
    RiskStanding {
        status,
        reason: r.reason.clone(),
        owner: r.owner.clone(),
        expires: r.expires,
        rpo: r.rpo,
        rto: r.rto,
    }
}

fn sum(paths: &Option<Path>) -> (Option<Dur>, Option<Dur>) {
    paths
        .as_ref()
        .map_or((None, None), |p| (Some(p.rpo()), Some(p.rto())))
}

/// No dependencies to wait for, in any scenario.
const NOW: [Dur; 3] = [Dur::ZERO; 3];

/// Own estimates of one candidate in every scenario, given objectives, budgets
/// and when its dependencies serve again at best (`after`).
fn evaluate(
    asset: &Asset,
    m: &Mechanisms,
    p: &Params,
    goals: &[Objective; 3],
    after: &[Dur; 3],
) -> [Option<Path>; 3] {
    Scenario::ALL.map(|s| {
        estimate::best(
            estimate::paths(asset, m, s, p),
            goals[s.index()],
            after[s.index()],
        )
    })
}

/// (RPO, RTO) of every recovery path of one asset, per scenario, computed once
/// per distinct set of mechanisms that matters in that scenario
/// ([`Mechanisms::relevant_to`]). Choosing among ~100 candidates compares only
/// these numbers; the paths behind them are dropped once counted.
type MemoKey = (Scenario, Mechanisms);
/// (RPO, start, work) of one path.
type PathNumbers = (Dur, Dur, Dur);

struct Numbers<'a> {
    asset: &'a Asset,
    p: &'a Params,
    /// (RPO, start, work) per path. A few dozen entries per asset: a linear
    /// search beats hashing here.
    memo: Vec<(MemoKey, Vec<PathNumbers>)>,
}

impl<'a> Numbers<'a> {
    fn new(asset: &'a Asset, p: &'a Params) -> Self {
        Numbers {
            asset,
            p,
            memo: Vec::new(),
        }
    }

    /// The path `estimate::best` would pick, as (RPO, start, work).
    fn best(
        &mut self,
        m: &Mechanisms,
        s: Scenario,
        obj: Objective,
        after: Dur,
    ) -> Option<PathNumbers> {
        let (asset, p) = (self.asset, self.p);
        let key = (s, m.relevant_to(s));
        let at = match self.memo.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let nums = estimate::paths(asset, m, s, p)
                    .iter()
                    .map(|path| (path.rpo(), path.start(), path.work()))
                    .collect();
                self.memo.push((key, nums));
                self.memo.len() - 1
            }
        };
        let paths = &self.memo[at].1;
        paths.iter().copied().min_by_key(|&(rpo, start, work)| {
            let rto = estimate::finish(start, work, after);
            let rpo_miss = obj.rpo.is_some_and(|o| rpo > o);
            let rto_miss = obj.rto.is_some_and(|o| rto > o);
            (u8::from(rpo_miss) + u8::from(rto_miss), rto, rpo)
        })
    }
}

/// How badly estimates miss `goals`: (misses, total excess in seconds).
fn misses_of(est: &[Option<(Dur, Dur)>; 3], goals: &[Objective; 3]) -> (u32, u64) {
    let mut n = 0;
    let mut excess = 0u64;
    for s in Scenario::ALL {
        let g = goals[s.index()];
        let e = est[s.index()];
        for (goal, value) in [(g.rpo, e.map(|x| x.0)), (g.rto, e.map(|x| x.1))] {
            if let Some(goal) = goal {
                match value {
                    None => {
                        n += 1;
                        excess = excess.saturating_add(u64::MAX / 8);
                    }
                    Some(v) if v > goal => {
                        n += 1;
                        excess = excess.saturating_add(v.as_secs() - goal.as_secs());
                    }
                    _ => {}
                }
            }
        }
    }
    (n, excess)
}

/// The fastest own recovery per scenario over every candidate, as (start, work).
fn fastest_own(asset: &Asset, cands: &[Mechanisms], p: &Params) -> [Option<(Dur, Dur)>; 3] {
    let mut nums = Numbers::new(asset, p);
    let mut best: [Option<(Dur, Dur)>; 3] = [None; 3];
    for m in cands {
        for s in Scenario::ALL {
            let Some((_, start, work)) = nums.best(m, s, Objective::default(), Dur::ZERO) else {
                continue;
            };
            let b = &mut best[s.index()];
            if b.is_none_or(|(bs, bw)| start.saturating_add(work) < bs.saturating_add(bw)) {
                *b = Some((start, work));
            }
        }
    }
    best
}

/// `f(i)` for every asset index, in order, computed on the available cores.
fn per_asset<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let indices: Vec<usize> = (0..n).collect();
    crate::par::runs(&indices, 256, |run| {
        run.iter().map(|&i| f(i)).collect::<Vec<T>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The cheapest candidate that meets `goals` when its dependencies serve again
/// at `after`, else the one that misses least.
pub fn choose(
    asset: &Asset,
    cands: &[Mechanisms],
    p: &Params,
    goals: &[Objective; 3],
    after: &[Dur; 3],
) -> (Mechanisms, bool) {
    let mut nums = Numbers::new(asset, p);
    // Cheapest first: the first candidate that meets every goal is the answer, so
    // most assets evaluate a few candidates instead of all of them. The sort is
    // stable, so ties keep the candidates' order, as before.
    let mut order: Vec<&Mechanisms> = cands.iter().collect();
    order.sort_by_key(|m| m.cost());
    let mut best: Option<(Mechanisms, (u32, u64), u32)> = None;
    for m in order {
        let est = Scenario::ALL.map(|s| {
            nums.best(m, s, goals[s.index()], after[s.index()])
                .map(|(rpo, start, work)| (rpo, estimate::finish(start, work, after[s.index()])))
        });
        let miss = misses_of(&est, goals);
        let key = (miss, m.cost());
        if best.as_ref().is_none_or(|b| (key.0, key.1) < (b.1, b.2)) {
            best = Some((*m, miss, m.cost()));
        }
        if miss.0 == 0 {
            break;
        }
    }
    match best {
        Some((m, miss, _)) => (m, miss.0 == 0),
        // Lowering rejects pins that leave no candidate; be safe anyway.
        None => (Mechanisms::default(), false),
    }
}

pub fn run(inv: &Inventory, graph: &Graph, diags: &mut Diagnostics) -> Recovery {
    let n = inv.assets.len();
    let p = &inv.params;
    // Objectives of each asset's tier, and RTO budgets left by dependents.
    let goals: Vec<[Objective; 3]> = inv
        .assets
        .iter()
        .map(|a| inv.tier_of(a).objectives)
        .collect();
    let mut budgets: Vec<[Option<Dur>; 3]> = goals.iter().map(|g| g.map(|o| o.rto)).collect();
    let mut chosen: Vec<Option<(Mechanisms, [Option<Path>; 3])>> = vec![None; n];
    let mut rationale = vec![String::new(); n];
    // Candidates are listed where they are used rather than kept for every asset:
    // about 100 per asset, 240 MB at 100,000 assets, for a cheap computation.

    // The fastest each asset can serve again with everything below it, dependencies
    // first: what an asset must leave its dependencies when it takes its share.
    // Each asset's own fastest recovery tries every candidate: the costliest step
    // of the model, and independent per asset, so it runs on every core.
    let own_fastest = per_asset(n, |i| {
        let a = &inv.assets[i];
        fastest_own(a, &candidates(a, inv.tier_of(a).retention, false), p)
    });
    let mut fastest: Vec<[Option<Dur>; 3]> = vec![[None; 3]; n];
    for &i in &graph.order {
        let own = own_fastest[i];
        for s in Scenario::ALL {
            let below = graph.deps[i]
                .iter()
                .map(|&d| fastest[d][s.index()])
                .try_fold(Dur::ZERO, |acc, d| d.map(|d| acc.max(d)));
            fastest[i][s.index()] = own[s.index()]
                .zip(below)
                .map(|((start, work), after)| estimate::finish(start, work, after));
        }
    }
    let below = |i: usize, s: Scenario, fastest: &[[Option<Dur>; 3]]| -> Dur {
        graph.deps[i]
            .iter()
            .filter_map(|&d| fastest[d][s.index()])
            .max()
            .unwrap_or(Dur::ZERO)
    };

    // Dependents before dependencies, so each asset knows what its dependents
    // need. An asset's budget is final once all its dependents have chosen, so the
    // assets of one level (the longest chain of dependents above them) choose in
    // parallel; the budgets they leave their dependencies are then applied, as a
    // minimum, in which order does not matter.
    let mut height = vec![0usize; n];
    for &i in graph.order.iter().rev() {
        for &d in &graph.deps[i] {
            height[d] = height[d].max(height[i] + 1);
        }
    }
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for &i in graph.order.iter().rev() {
        if levels.len() <= height[i] {
            levels.resize_with(height[i] + 1, Vec::new);
        }
        levels[height[i]].push(i);
    }
    for level in &levels {
        let decide = |i: usize| {
            let asset = &inv.assets[i];
            let mut g = goals[i];
            // The asset's recovery must finish within its budget, after what its
            // dependencies need at the very least (its own detection and decision
            // pass while they recover).
            let after = Scenario::ALL.map(|s| below(i, s, &fastest));
            for s in Scenario::ALL {
                g[s.index()].rto = budgets[i][s.index()];
            }
            let cands = &candidates(asset, inv.tier_of(asset).retention, false);
            let (m, ok) = choose(asset, cands, p, &g, &after);
            let results = evaluate(asset, &m, p, &g, &after);
            let tightened = Scenario::ALL
                .iter()
                .any(|s| budgets[i][s.index()] != goals[i][s.index()].rto);
            let why = match (ok, tightened) {
                (true, false) => format!(
                    "the least costly set that meets every objective of tier `{}`",
                    asset.tier
                ),
                (true, true) => format!(
                    "the least costly set that meets tier `{}` and leaves its dependents ({}) time to meet theirs",
                    asset.tier,
                    graph.dependents[i]
                        .iter()
                        .map(|&d| format!("`{}`", inv.assets[d].id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (false, _) => {
                    let (_, own_ok) = choose(asset, cands, p, &goals[i], &NOW);
                    if own_ok && tightened {
                        "the least costly set that meets its own tier; no allowed set also leaves its dependents the time they need (see their errors)".to_owned()
                    } else {
                        "no allowed set meets every objective; this one misses least (see the errors)"
                            .to_owned()
                    }
                }
            };
            (m, results, why)
        };
        let decided = per_asset(level.len(), |k| decide(level[k]));
        for (&i, (m, results, why)) in level.iter().zip(decided) {
            rationale[i] = why;
            for s in Scenario::ALL {
                let (Some(budget), Some(path)) = (budgets[i][s.index()], &results[s.index()])
                else {
                    continue;
                };
                if path.rto() > budget {
                    continue; // this asset breaches on its own; do not squeeze its dependencies
                }
                // Its dependencies must serve again before its work begins; its own
                // start passes meanwhile.
                let left = Dur::secs(budget.as_secs() - path.work().as_secs());
                for &d in &graph.deps[i] {
                    let b = &mut budgets[d][s.index()];
                    *b = Some(b.map_or(left, |x| x.min(left)));
                }
            }
            chosen[i] = Some((m, results));
        }
    }

    // With `region_switch_dns`, the plan (which exists when a chosen Region path is
    // one of its data steps) also moves the DNS of every endpoint that depends,
    // directly or not, on such a step: its Region path becomes the plan's DNS step.
    if p.region_switch.dns {
        let mut reaches = vec![false; n];
        for &i in &graph.order {
            reaches[i] = graph.deps[i].iter().any(|&d| {
                reaches[d]
                    || chosen[d].as_ref().is_some_and(|(_, r)| {
                        r[Scenario::Region.index()]
                            .as_ref()
                            .is_some_and(|path| path.kind.region_switch_data_step())
                    })
            });
        }
        for (i, asset) in inv.assets.iter().enumerate() {
            let AssetKind::Endpoint(e) = &asset.kind else {
                continue;
            };
            if reaches[i]
                && let Some((_, results)) = chosen[i].as_mut()
            {
                results[Scenario::Region.index()] = Some(estimate::plan_dns(e, p));
            }
        }
    }

    // Effective RTO along the graph, dependencies first.
    let mut eff: Vec<[Option<Dur>; 3]> = vec![[None; 3]; n];
    let mut via: Vec<[Option<usize>; 3]> = vec![[None; 3]; n];
    for &i in &graph.order {
        let (_, results) = chosen[i].as_ref().expect("chosen");
        for s in Scenario::ALL {
            let path = &results[s.index()];
            let own = sum(path).1;
            let mut worst: Option<(Option<Dur>, usize)> = None;
            for &d in &graph.deps[i] {
                let e = eff[d][s.index()];
                let worse = match &worst {
                    None => true,
                    Some((w, _)) => match (e, w) {
                        (None, Some(_)) => true,
                        (Some(a), Some(b)) => a > *b,
                        _ => false,
                    },
                };
                if worse {
                    worst = Some((e, d));
                }
            }
            eff[i][s.index()] = match worst {
                None => own,
                Some((dep, d)) => {
                    via[i][s.index()] = Some(d);
                    path.as_ref()
                        .zip(dep)
                        .map(|(path, after)| path.finish(after))
                }
            };
        }
    }

    let owns: Vec<[Option<Dur>; 3]> = chosen
        .iter()
        .map(|c| {
            let (_, r) = c.as_ref().expect("chosen");
            Scenario::ALL.map(|s| sum(&r[s.index()]).1)
        })
        .collect();
    let mut assets = Vec::with_capacity(n);
    for (i, asset) in inv.assets.iter().enumerate() {
        let (m, results) = chosen[i].take().expect("chosen");
        let mut scenarios = Vec::with_capacity(3);
        for s in Scenario::ALL {
            let objective = goals[i][s.index()];
            let path = results[s.index()].clone();
            let (rpo, own_rto) = sum(&path);
            let mut critical_path = vec![asset.id.clone()];
            let mut cur = i;
            while let Some(next) = via[cur][s.index()] {
                critical_path.push(inv.assets[next].id.clone());
                cur = next;
            }
            let verdict = |goal: Option<Dur>, est: Option<Dur>| match (goal, est) {
                (None, _) => Verdict::NoObjective,
                (Some(g), Some(e)) if e <= g => Verdict::Met,
                _ => Verdict::Breached,
            };
            let mut result = ScenarioResult {
                scenario: s,
                objective,
                rto_budget: budgets[i][s.index()],
                rpo_verdict: verdict(objective.rpo, rpo),
                rto_verdict: verdict(objective.rto, eff[i][s.index()]),
                path,
                rpo,
                own_rto,
                effective_rto: eff[i][s.index()],
                critical_path,
                accepted_risk: None,
            };
            result.accepted_risk = asset
                .accepted_risk(s)
                .map(|r| standing(r, &result, inv.today));
            report(inv, i, &m, &result, &owns, diags);
            scenarios.push(result);
        }
        assets.push(AssetRecovery {
            id: asset.id.clone(),
            tier: asset.tier.clone(),
            mechanisms: m,
            mechanism_names: m.names(),
            rationale: std::mem::take(&mut rationale[i]),
            scenarios,
        });
    }
    Recovery { assets }
}

fn show(d: Option<Dur>) -> String {
    d.map_or_else(|| "no recovery path".to_owned(), |d| d.to_string())
}

fn dominant(terms: &[estimate::Term]) -> Option<&estimate::Term> {
    terms.iter().max_by_key(|t| t.value)
}

/// Turn one asset's breach in one scenario into diagnostics with hints, as its
/// accepted risk (if any) has them: an accepted breach warns, an expired or
/// exceeded acceptance leaves the error with a note saying why, an acceptance of
/// nothing warns on its own.
fn report(
    inv: &Inventory,
    i: usize,
    m: &Mechanisms,
    r: &ScenarioResult,
    owns: &[[Option<Dur>; 3]],
    diags: &mut Diagnostics,
) {
    let mut found = Diagnostics::default();
    breaches(inv, i, m, r, owns, &mut found);
    let asset = &inv.assets[i];
    let (Some(risk), Some(standing)) = (asset.accepted_risk(r.scenario), &r.accepted_risk) else {
        diags.extend(found);
        return;
    };
    let s = r.scenario.as_str();
    let who = format!("`{}` until {}", risk.owner.trim(), risk.expires);
    for mut d in found.into_vec() {
        match standing.status {
            RiskStatus::Accepted => {
                d.code = Code::AcceptedBreach;
                d.message = format!("{}; accepted as a known risk by {who}", d.message);
                d = d.note(
                    risk.span.clone(),
                    format!("accepted: {}", risk.reason.trim()),
                );
            }
            RiskStatus::Expired => {
                d = d.note(
                    risk.expires_span.clone(),
                    format!(
                        "the acceptance by {who} has expired: review the risk, then fix it or renew `expires`"
                    ),
                );
            }
            RiskStatus::Exceeded => {
                let bound = |name: &str, b: Option<Dur>| b.map(|b| format!("{name} {b}"));
                let bounds: Vec<String> = [bound("RPO", risk.rpo), bound("RTO", risk.rto)]
                    .into_iter()
                    .flatten()
                    .collect();
                d = d.note(
                    risk.span.clone(),
                    format!(
                        "accepted only up to {} (estimates: RPO {}, RTO {}); the gap has grown beyond what was accepted",
                        bounds.join(" and "),
                        show(r.rpo),
                        show(r.effective_rto)
                    ),
                );
            }
            RiskStatus::Unused => {}
        }
        diags.push(d);
    }
    if standing.status == RiskStatus::Unused {
        let why = if r.objective.rpo.is_none() && r.objective.rto.is_none() {
            format!(
                "tier `{}` sets no objective for the {s} scenario",
                asset.tier
            )
        } else {
            format!("the {s} scenario meets its objectives")
        };
        diags.push(
            Diagnostic::new(
                Code::UnusedAcceptance,
                risk.span.clone(),
                format!(
                    "asset `{}` accepts a breach in the {s} scenario, but {why}",
                    asset.id
                ),
            )
            .label("accepts nothing")
            .hint(format!(
                "remove `accepted_risk \"{s}\"`, so that a future breach is not accepted unseen"
            )),
        );
    }
}

/// The breaches of one asset in one scenario, as errors with hints.
fn breaches(
    inv: &Inventory,
    i: usize,
    m: &Mechanisms,
    r: &ScenarioResult,
    owns: &[[Option<Dur>; 3]],
    diags: &mut Diagnostics,
) {
    let asset = &inv.assets[i];
    let s = r.scenario;
    let tier = &asset.tier;
    if r.rpo_verdict == Verdict::Breached {
        let goal = r.objective.rpo.expect("breach has an objective");
        let dom = r
            .path
            .as_ref()
            .and_then(|p| dominant(&p.rpo))
            .map(|t| format!("; dominant term: {} ({})", t.label, t.value))
            .unwrap_or_default();
        diags.push(
            Diagnostic::new(
                Code::RpoBreach,
                asset.span.clone(),
                match r.rpo {
                    Some(rpo) => format!("asset `{}` can lose {rpo} of data in the {} scenario, over its RPO of {goal} (tier `{tier}`){dom}", asset.id, s.as_str()),
                    None => format!("asset `{}` has no recovery path in the {} scenario, under an RPO of {goal} (tier `{tier}`)", asset.id, s.as_str()),
                },
            )
            .label(format!("{} RPO not met", s.as_str()))
            .maybe_hint(fix_hint(inv, asset, m, s, false)),
        );
    }
    if r.rto_verdict != Verdict::Breached {
        return;
    }
    let goal = r.objective.rto.expect("breach has an objective");
    let own_ok = r.own_rto.is_some_and(|o| o <= goal);
    if own_ok && r.critical_path.len() > 1 {
        let chain: Vec<String> = r
            .critical_path
            .iter()
            .map(|id| {
                let j = inv
                    .assets
                    .binary_search_by(|a| a.id.as_str().cmp(id))
                    .expect("on the path");
                format!("{id} ({})", show(owns[j][s.index()]))
            })
            .collect();
        let slow = &r.critical_path[1];
        diags.push(
            Diagnostic::new(
                Code::DependencyBreach,
                asset.span.clone(),
                format!(
                    "asset `{}` needs {} to serve again in the {} scenario, over its RTO of {goal} (tier `{tier}`), because of its dependencies: {}",
                    asset.id,
                    show(r.effective_rto),
                    s.as_str(),
                    chain.join(" -> ")
                ),
            )
            .label(format!("waits for `{slow}`"))
            .hint(dependency_hint(inv, i, r, goal)),
        );
        return;
    }
    let dom = r
        .path
        .as_ref()
        .and_then(|p| dominant(&p.rto))
        .map(|t| format!("; dominant term: {} ({})", t.label, t.value))
        .unwrap_or_default();
    diags.push(
        Diagnostic::new(
            Code::RtoBreach,
            asset.span.clone(),
            match r.own_rto {
                Some(rto) => format!(
                    "asset `{}` needs {rto} to serve again in the {} scenario, over its RTO of {goal} (tier `{tier}`){dom}",
                    asset.id,
                    s.as_str()
                ),
                None => format!(
                    "asset `{}` has no recovery path in the {} scenario, under an RTO of {goal} (tier `{tier}`)",
                    asset.id,
                    s.as_str()
                ),
            },
        )
        .label(format!("{} RTO not met", s.as_str()))
        .maybe_hint(fix_hint(inv, asset, m, s, true)),
    );
}

/// The cheapest change that meets every objective of the asset's tier: `dr`
/// settings, then facts (Multi-AZ), then a looser tier.
fn fix_hint(
    inv: &Inventory,
    asset: &Asset,
    current: &Mechanisms,
    s: Scenario,
    rto: bool,
) -> Option<String> {
    let p = &inv.params;
    let goals = inv.tier_of(asset).objectives;
    let retention = inv.tier_of(asset).retention;
    let all = candidates(asset, retention, true);
    // Hints only ever add protection: never "turn this off".
    let more: Vec<Mechanisms> = all.iter().copied().filter(|m| m.covers(current)).collect();
    // 1. One `dr` change that meets the whole tier.
    let (m, ok) = choose(asset, &more, p, &goals, &NOW);
    if ok {
        let change = describe_change(current, &m);
        if !change.is_empty() {
            return Some(format!(
                "set `dr {{ {} }}` on `{}` (the least costly change that meets tier `{}`)",
                change.join(", "),
                asset.id,
                asset.tier
            ));
        }
    }
    // 2. A fact lifeboat cannot change: Multi-AZ.
    if let AssetKind::Rds(r) = &asset.kind
        && s == Scenario::Az
        && !r.multi_az
    {
        let mut flipped = asset.clone();
        if let AssetKind::Rds(rr) = &mut flipped.kind {
            rr.multi_az = true;
        }
        let mut only_az = [Objective::default(); 3];
        only_az[s.index()] = goals[s.index()];
        let (_, ok) = choose(
            &flipped,
            &candidates(&flipped, retention, true),
            p,
            &only_az,
            &NOW,
        );
        if ok {
            return Some(format!(
                "enable Multi-AZ on `{}` (`aws rds modify-db-instance --db-instance-identifier {} --multi-az --apply-immediately`), then set `multi_az = true`",
                r.identifier, r.identifier
            ));
        }
    }
    // 3. A `dr` change that meets this scenario at least.
    let mut only = [Objective::default(); 3];
    only[s.index()] = goals[s.index()];
    let (m, ok) = choose(asset, &more, p, &only, &NOW);
    if ok {
        let change = describe_change(current, &m);
        if !change.is_empty() {
            return Some(format!(
                "set `dr {{ {} }}` on `{}` (meets the {} objective of tier `{}`)",
                change.join(", "),
                asset.id,
                s.as_str(),
                asset.tier
            ));
        }
    }
    // 4. Nothing lifeboat generates is fast enough: a measurement or a looser tier.
    let looser = tiers::BUILTIN.iter().find_map(|name| {
        let t = inv.tiers.get(*name)?;
        let mut o = [Objective::default(); 3];
        o[s.index()] = t.objectives[s.index()];
        let (_, ok) = choose(asset, &all, p, &o, &NOW);
        ok.then_some(*name)
    });
    let what = if rto { "RTO" } else { "RPO" };
    // An S3 restore priced from an assumed object count: the count is the first
    // thing to give.
    let count = match &asset.kind {
        AssetKind::S3(b) if rto && b.objects.is_none() && asset.measured.restore.is_none() => {
            format!(
                "the restore estimate assumes {} KB per object: if the bucket holds fewer objects, set `objects`; ",
                inv.params.s3_default_object_kb
            )
        }
        _ => String::new(),
    };
    let measure = if rto {
        format!(
            "{count}if a drill shows recovery is faster than the estimate, record it with `measured {{ ... }}`; otherwise "
        )
    } else {
        String::new()
    };
    Some(match looser {
        Some(t) if t != asset.tier => format!(
            "no mechanism lifeboat generates meets the {} {what} of tier `{}` for this asset; {measure}set `tier = \"{t}\"`",
            s.as_str(),
            asset.tier
        ),
        _ => format!(
            "no mechanism lifeboat generates meets the {} {what} of tier `{}` for this asset; {measure}relax the tier",
            s.as_str(),
            asset.tier
        ),
    })
}

fn dependency_hint(inv: &Inventory, i: usize, r: &ScenarioResult, goal: Dur) -> String {
    let slow = inv.asset(&r.critical_path[1]).expect("on the path");
    let own = r.own_rto.unwrap_or(Dur::ZERO);
    let room = goal.as_secs().saturating_sub(own.as_secs());
    format!(
        "`{}` must serve again within {} for `{}` to meet its RTO; give `{}` faster recovery (e.g. a tier or `dr` choices that recover it within that time) or relax the tier of `{}`",
        slow.id,
        Dur::secs(room),
        inv.assets[i].id,
        slow.id,
        inv.assets[i].id
    )
}
