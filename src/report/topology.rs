//! The DR topology that graphs draw: each asset in the primary Region, its
//! recovery copy in the secondary Region, dependency edges, and the mechanism that
//! links the two. Built once from the model and the recovery model; the Mermaid,
//! DOT and SVG renderers only lay it out.

use crate::check::{Recovery, Verdict};
use crate::deploy::{Deployment, KindDeployment, target_name};
use crate::model::{AssetKind, Inventory};

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub kind: &'static str,
    pub tier: String,
    /// Second line of the label, e.g. `rds postgres 400 GB`.
    pub detail: String,
    /// In-Region protection (backups), shown inside the node.
    pub local: Option<String>,
    /// The recovery copy in the secondary Region and the edge that reaches it.
    pub copy: Option<Copy>,
    /// Some objective is breached. A topology is drawn only for an inventory
    /// without errors, so every such breach is an accepted risk.
    pub breached: bool,
    /// Depth in the dependency graph: 0 for assets that depend on nothing.
    pub level: usize,
}

#[derive(Debug, Clone)]
pub struct Copy {
    pub label: String,
    pub mechanism: String,
}

#[derive(Debug, Clone)]
pub struct Topology {
    pub project: String,
    pub primary: String,
    pub secondary: String,
    /// Sorted by level (services first), then id.
    pub nodes: Vec<Node>,
    /// (dependent, dependency) as indices into `nodes`.
    pub edges: Vec<(usize, usize)>,
    /// Tiers in use: built-ins first (strictest first), then declared ones in the
    /// order the inventory declares them.
    pub tiers: Vec<String>,
}

pub fn build(inv: &Inventory, rec: &Recovery, dep: &Deployment) -> Topology {
    let p = &inv.project;
    let levels = crate::graph::levels(inv);
    let index = |id: &str| inv.assets.binary_search_by(|a| a.id.as_str().cmp(id)).ok();
    let plan_steps = plan_steps(dep);
    let mut nodes: Vec<Node> = Vec::with_capacity(inv.assets.len());
    for (i, (a, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let m = &r.mechanisms;
        let d = &dep.assets[i];
        let mut local = m.backup.map(|b| {
            let mut s = if b.continuous {
                format!("AWS Backup PITR + every {}", b.frequency)
            } else {
                format!("AWS Backup every {}", b.frequency)
            };
            s.push_str(&format!(", {}", inv.tier_of(a).retention));
            s
        });
        if m.pitr {
            local = Some(match local {
                Some(l) => format!("DynamoDB PITR + {l}"),
                None => "DynamoDB PITR".to_owned(),
            });
        }
        // A copy of recovery points in the secondary vault, when that is all there is.
        let vault_copy = || {
            m.cross_region_copy.then(|| Copy {
                label: "recovery points (secondary vault)".into(),
                mechanism: copy_text(m),
            })
        };
        let (kind, detail, copy) = match (&a.kind, &d.kind) {
            (AssetKind::Rds(x), KindDeployment::Rds(rd)) => {
                let detail = format!(
                    "RDS {} {} GB{}",
                    x.engine.as_str(),
                    x.storage_gb,
                    if x.multi_az { " Multi-AZ" } else { "" }
                );
                let copy = if let Some(replica) = &rd.replica {
                    Some(Copy {
                        label: format!("{replica} (read replica)"),
                        mechanism: "cross-Region read replica".into(),
                    })
                } else if m.backup_replication {
                    Some(Copy {
                        label: format!("{} replicated backups", x.identifier),
                        mechanism: "automated backup replication".into(),
                    })
                } else if m.cross_region_copy {
                    Some(Copy {
                        label: "recovery points (secondary vault)".into(),
                        mechanism: copy_text(m),
                    })
                } else {
                    None
                };
                ("rds", detail, copy)
            }
            (AssetKind::S3(x), KindDeployment::S3(sd)) => {
                let detail = format!("S3 {}", x.bucket);
                let copy = if let Some(rep) = &sd.replication {
                    Some(Copy {
                        label: rep.destination_bucket.clone(),
                        mechanism: if m.replication_time_control {
                            "S3 CRR + RTC (15 min)".into()
                        } else {
                            "S3 CRR (no time bound)".into()
                        },
                    })
                } else if m.cross_region_copy {
                    Some(Copy {
                        label: "recovery points (secondary vault)".into(),
                        mechanism: copy_text(m),
                    })
                } else {
                    None
                };
                ("s3", detail, copy)
            }
            (AssetKind::Endpoint(e), KindDeployment::Endpoint(_)) => {
                let detail = format!("DNS {} -> {}", e.domain, target_name(&e.primary));
                let copy = Some(Copy {
                    label: target_name(&e.secondary).to_owned(),
                    mechanism: format!(
                        "Route 53 failover ({} s x {})",
                        e.health_check.interval, e.health_check.failure_threshold
                    ),
                });
                ("endpoint", detail, copy)
            }
            (AssetKind::Aurora(x), KindDeployment::Aurora(ad)) => {
                let detail = format!(
                    "Aurora {} {} GB{}",
                    x.engine.as_str(),
                    x.storage_gb,
                    if x.multi_az { " Multi-AZ" } else { "" }
                );
                let copy = match &ad.secondary_cluster {
                    Some(c) => Some(Copy {
                        label: format!("{c} (secondary cluster)"),
                        mechanism: "Aurora Global Database".into(),
                    }),
                    None => vault_copy(),
                };
                ("aurora", detail, copy)
            }
            (AssetKind::Dynamodb(x), KindDeployment::Dynamodb(dd)) => {
                let detail = format!("DynamoDB {}", x.table);
                let copy = if dd.global_table {
                    Some(Copy {
                        label: format!("{} (replica)", x.table),
                        mechanism: "DynamoDB global table".into(),
                    })
                } else {
                    vault_copy()
                };
                ("dynamodb", detail, copy)
            }
            (AssetKind::Efs(x), KindDeployment::Efs(ed)) => {
                let detail = format!("EFS {}", x.file_system_id);
                let copy = if ed.replication {
                    Some(Copy {
                        label: format!("replica of {}", x.file_system_id),
                        mechanism: "EFS replication (15 min)".into(),
                    })
                } else {
                    vault_copy()
                };
                ("efs", detail, copy)
            }
            _ => unreachable!("the deployment of an asset has the asset's kind"),
        };
        // A copy the Region switch plan promotes or fails over: the edge says which
        // of its steps does it.
        let copy = match (copy, plan_steps.get(a.id.as_str()).copied()) {
            (Some(c), Some(n)) => Some(Copy {
                mechanism: match d.kind {
                    KindDeployment::Aurora(_) => format!("Global DB, Region switch step {n}"),
                    _ => format!("read replica, Region switch step {n}"),
                },
                ..c
            }),
            (copy, _) => copy,
        };
        let breached = r
            .scenarios
            .iter()
            .any(|s| s.rpo_verdict == Verdict::Breached || s.rto_verdict == Verdict::Breached);
        nodes.push(Node {
            id: a.id.clone(),
            kind,
            tier: a.tier.clone(),
            detail,
            local,
            copy,
            breached,
            level: levels[i],
        });
    }
    // Services on top: higher level first.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&x, &y| {
        nodes[y]
            .level
            .cmp(&nodes[x].level)
            .then_with(|| nodes[x].id.cmp(&nodes[y].id))
    });
    let position: Vec<usize> = {
        let mut pos = vec![0; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            pos[old] = new;
        }
        pos
    };
    let mut edges = Vec::new();
    for (i, a) in inv.assets.iter().enumerate() {
        for d in &a.depends_on {
            if let Some(j) = index(d) {
                edges.push((position[i], position[j]));
            }
        }
    }
    edges.sort_unstable();
    let nodes: Vec<Node> = order.into_iter().map(|i| nodes[i].clone()).collect();
    let mut tiers: Vec<String> = inv
        .tiers
        .values()
        .filter(|t| nodes.iter().any(|n| n.tier == t.name))
        .map(|t| t.name.clone())
        .collect();
    tiers.dedup();
    Topology {
        project: p.name.clone(),
        primary: p.primary_region.clone(),
        secondary: p.secondary_region.clone(),
        nodes,
        edges,
        tiers,
    }
}

/// The number of the Region switch plan's step that recovers `id` (the approval
/// step, when there is one, is step 1).
/// The Region switch plan's step number of each asset it recovers (its first
/// wave), by id: looked up once per asset, so a map rather than a scan of the
/// waves (which was quadratic in the number of assets).
fn plan_steps(dep: &Deployment) -> std::collections::HashMap<&str, usize> {
    let mut m = std::collections::HashMap::new();
    if let Some(rs) = &dep.region_switch {
        let first = 1 + usize::from(rs.approval_step.is_some());
        for (k, w) in rs.waves.iter().enumerate() {
            for s in w {
                m.entry(s.asset.as_str()).or_insert(k + first);
            }
        }
    }
    m
}

fn copy_text(m: &crate::check::mechanisms::Mechanisms) -> String {
    m.backup.map_or_else(String::new, |b| {
        format!("AWS Backup copy every {}", b.frequency)
    })
}

/// Fill colour per tier, by position (strictest first), for every renderer.
pub fn tier_color(t: &Topology, tier: &str) -> &'static str {
    const COLORS: [&str; 8] = [
        "#fde2e1", "#fff0cc", "#e3f1dc", "#e0ecfa", "#efe4f7", "#e6f4f1", "#f4ece1", "#eeeeee",
    ];
    let i = t
        .tiers
        .iter()
        .position(|x| x == tier)
        .unwrap_or(COLORS.len() - 1);
    COLORS[i.min(COLORS.len() - 1)]
}
