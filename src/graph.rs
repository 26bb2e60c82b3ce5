//! Stage 4, graph: the dependency graph of assets (petgraph).
//!
//! An edge `d -> a` means "`a` depends on `d`": `d` must serve before `a` can.
//! Reports unknown dependencies (with the closest id), self-dependencies and every
//! distinct cycle once, and gives later stages a topological order.

use std::collections::HashMap;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::Inventory;

pub struct Graph {
    /// Node weights are indices into `Inventory::assets`.
    pub graph: DiGraph<usize, ()>,
    /// Asset indices, every dependency before its dependents.
    pub order: Vec<usize>,
    /// For each asset index, the indices of the assets it depends on.
    pub deps: Vec<Vec<usize>>,
    /// For each asset index, the indices of the assets that depend on it.
    pub dependents: Vec<Vec<usize>>,
}

/// Build the graph. `declared` holds every asset id in the inventory, including
/// those left out of the model for other errors (they are not reported again).
/// Returns `None` when there is a cycle (no order exists).
pub fn build(inv: &Inventory, declared: &[String], diags: &mut Diagnostics) -> Option<Graph> {
    let index: HashMap<&str, usize> = inv
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut graph = DiGraph::with_capacity(inv.assets.len(), inv.assets.len());
    let nodes: Vec<NodeIndex> = (0..inv.assets.len()).map(|i| graph.add_node(i)).collect();
    let mut deps = vec![Vec::new(); inv.assets.len()];
    let mut dependents = vec![Vec::new(); inv.assets.len()];
    let mut suggestions: HashMap<&str, Option<&str>> = HashMap::new();
    let mut declared_set: Option<std::collections::HashSet<&str>> = None;
    for (i, asset) in inv.assets.iter().enumerate() {
        for (dep, span) in asset.depends_on.iter().zip(&asset.depends_on_spans) {
            if dep == &asset.id {
                diags.push(
                    Diagnostic::new(
                        Code::SelfDependency,
                        span.clone(),
                        format!("asset `{dep}` depends on itself"),
                    )
                    .label("an asset cannot wait for itself")
                    .hint(format!("remove `{dep}` from its own `depends_on`")),
                );
                continue;
            }
            match index.get(dep.as_str()) {
                Some(&d) => {
                    if deps[i].contains(&d) {
                        diags.push(
                            Diagnostic::new(
                                Code::DuplicateKey,
                                span.clone(),
                                format!("`{dep}` is listed twice in `depends_on`"),
                            )
                            .hint("remove the repeat"),
                        );
                        continue;
                    }
                    deps[i].push(d);
                    dependents[d].push(i);
                    graph.add_edge(nodes[d], nodes[i], ());
                }
                None if declared_set
                    .get_or_insert_with(|| declared.iter().map(String::as_str).collect())
                    .contains(dep.as_str()) => {} // broken asset, already reported
                None => {
                    // A removed asset is usually named by many others: one search each.
                    let suggestion = *suggestions
                        .entry(dep.as_str())
                        .or_insert_with(|| did_you_mean(dep, declared.iter().map(String::as_str)));
                    let hint = suggestion
                        .map(|m| format!("did you mean `{m}`?"))
                        .unwrap_or_else(|| {
                            format!(
                                "declare `asset \"{dep}\" {{ ... }}` or remove it from `depends_on`"
                            )
                        });
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownDependency,
                            span.clone(),
                            format!("asset `{}` depends on unknown asset `{dep}`", asset.id),
                        )
                        .label("no asset has this id")
                        .hint(hint),
                    );
                }
            }
        }
    }
    let mut cyclic = false;
    let mut sccs = tarjan_scc(&graph);
    sccs.sort_by_key(|c| c.iter().map(|n| graph[*n]).min());
    for scc in sccs.iter().filter(|c| c.len() > 1) {
        cyclic = true;
        let cycle = cycle_in(&deps, scc.iter().map(|n| graph[*n]).collect());
        let names: Vec<&str> = cycle.iter().map(|&i| inv.assets[i].id.as_str()).collect();
        let first = &inv.assets[cycle[0]];
        let second = &inv.assets[cycle[1]].id;
        let span = first
            .depends_on
            .iter()
            .position(|d| d == second)
            .map_or_else(|| first.span.clone(), |p| first.depends_on_spans[p].clone());
        let mut d = Diagnostic::new(
            Code::Cycle,
            span,
            format!("dependency cycle: {} -> {}", names.join(" -> "), names[0]),
        )
        .label("this dependency closes the cycle")
        .hint("an asset cannot be recovered before the assets it depends on; remove one `depends_on` entry of the cycle");
        for &i in &cycle[1..] {
            let a = &inv.assets[i];
            let next = &inv.assets
                [cycle[(cycle.iter().position(|x| *x == i).unwrap() + 1) % cycle.len()]]
            .id;
            if let Some(p) = a.depends_on.iter().position(|d| d == next) {
                d = d.note(
                    a.depends_on_spans[p].clone(),
                    format!("`{}` depends on `{next}`", a.id),
                );
            }
        }
        diags.push(d);
    }
    let order = if cyclic {
        return None;
    } else {
        toposort(&graph, None)
            .ok()?
            .into_iter()
            .map(|n| graph[n])
            .collect()
    };
    Some(Graph {
        graph,
        order,
        deps,
        dependents,
    })
}

/// One cycle through the strongly connected component `members`, starting at its
/// smallest asset index and following `depends_on` edges.
fn cycle_in(deps: &[Vec<usize>], mut members: Vec<usize>) -> Vec<usize> {
    members.sort_unstable();
    let start = members[0];
    // Breadth-first search inside the component for the shortest way back to start.
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let mut next: Vec<usize> = deps[n]
            .iter()
            .copied()
            .filter(|d| members.binary_search(d).is_ok())
            .collect();
        next.sort_unstable();
        for d in next {
            if d == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = prev[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(d) {
                e.insert(n);
                queue.push_back(d);
            }
        }
    }
    members
}

/// For each asset, the length of its longest chain of dependencies (0 when it
/// depends on nothing): its recovery wave, counted from 0. Linear in assets and
/// edges; dependencies on unknown ids are ignored (they were reported).
pub fn levels(inv: &Inventory) -> Vec<usize> {
    let n = inv.assets.len();
    let index = |id: &str| inv.assets.binary_search_by(|a| a.id.as_str().cmp(id)).ok();
    let deps: Vec<Vec<usize>> = inv
        .assets
        .iter()
        .map(|a| a.depends_on.iter().filter_map(|d| index(d)).collect())
        .collect();
    let mut level: Vec<Option<usize>> = vec![None; n];
    let mut on_stack = vec![false; n];
    for start in 0..n {
        // Iterative depth-first search; a cycle (never present after `build`)
        // is cut by treating an asset on the stack as level 0.
        let mut stack = vec![(start, 0usize)];
        while let Some(&(i, next)) = stack.last() {
            if level[i].is_some() {
                on_stack[i] = false;
                stack.pop();
                continue;
            }
            on_stack[i] = true;
            if let Some(&d) = deps[i].get(next) {
                stack.last_mut().expect("non-empty").1 += 1;
                if level[d].is_none() && !on_stack[d] {
                    stack.push((d, 0));
                }
                continue;
            }
            level[i] = Some(
                deps[i]
                    .iter()
                    .map(|&d| level[d].map_or(0, |l| l + 1))
                    .max()
                    .unwrap_or(0),
            );
            on_stack[i] = false;
            stack.pop();
        }
    }
    level.into_iter().map(|l| l.unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels_count_the_longest_chain_below() {
        let text = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
asset "a1" {
  kind = "s3"
  tier = "important"
  bucket = "p-a1"
}
asset "b2" {
  kind = "s3"
  tier = "important"
  bucket = "p-b2"
  depends_on = ["a1"]
}
asset "c3" {
  kind = "s3"
  tier = "important"
  bucket = "p-c3"
  depends_on = ["b2", "a1"]
}
"#;
        let a = crate::analyze(crate::source::Sources::new(vec![
            crate::source::SourceFile::new("t.hcl", text),
        ]));
        assert_eq!(super::levels(a.inventory.as_ref().unwrap()), [0, 1, 2]);
    }
}
