//! lifeboat compiles a disaster-recovery inventory into checked recovery
//! objectives and Terraform for AWS.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`parse`]: HCL or JSON files become one spanned tree ([`parse::Node`]).
//! 2. [`schema`]: the tree is checked against the inventory's JSON Schema, which is
//!    derived from the serde input types in [`input`].
//! 3. [`model`]: the input is lowered into the typed, validated [`model::Inventory`].
//! 4. [`graph`]: dependencies become a petgraph graph; cycles and unknown ids are
//!    reported, a topological order is computed.
//! 5. [`check`]: the recovery model chooses mechanisms per asset, estimates RPO and
//!    RTO per scenario along the graph, and turns breaches into diagnostics.
//! 6. [`deploy`]: what the chosen mechanisms deploy and what everything is called:
//!    Terraform addresses, AWS names, the backup design, protected resources.
//! 7. [`emit`]: the Terraform files, the runbook and the manifest, in memory or
//!    produced one at a time for [`write`](mod@write); [`report`] renders graphs,
//!    reports, drills and `explain`.
//!
//! [`import`] stands beside the pipeline: it drafts an inventory from the JSON of
//! `terraform show -json`; so does [`measure`], which writes the restore times
//! AWS Backup measured into the inventory's measurements file.
//!
//! Every stage adds to one [`diag::Diagnostics`] list; nothing but the CLI
//! ([`cli`]) and [`write`](mod@write) touches the filesystem or the terminal.

pub mod check;
pub mod cli;
pub mod deploy;
pub mod diag;
pub mod emit;
pub mod graph;
pub mod import;
pub mod input;
pub mod measure;
pub mod model;
pub mod par;
pub mod parse;
pub mod report;
pub mod schema;
pub mod source;
pub mod write;

use diag::Diagnostics;
use source::Sources;

/// Everything the front half of the pipeline learned about an inventory.
pub struct Analysis {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The model, when the inventory lowered (it may still have errors elsewhere).
    pub inventory: Option<model::Inventory>,
    pub graph: Option<graph::Graph>,
    /// The recovery model's verdicts, when the inventory had no structural errors.
    pub recovery: Option<check::Recovery>,
    /// What the recovery model's choices deploy, with the recovery model.
    pub deployment: Option<deploy::Deployment>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// The model, the recovery model and the deployment, when all three exist:
    /// what every renderer reads.
    pub fn compiled(&self) -> Option<(&model::Inventory, &check::Recovery, &deploy::Deployment)> {
        Some((
            self.inventory.as_ref()?,
            self.recovery.as_ref()?,
            self.deployment.as_ref()?,
        ))
    }
}

/// Run parse, lower, graph and the recovery model over a set of files.
pub fn analyze(sources: Sources) -> Analysis {
    let mut diagnostics = Diagnostics::default();
    let mut inventory = None;
    let mut graph = None;
    let mut recovery = None;
    if let Some(root) = parse::parse(&sources, &mut diagnostics) {
        let broken = schema::check(&root, &mut diagnostics);
        let lowered = model::lower::lower(&root, &broken, &mut diagnostics);
        // The spanned tree is ten times the size of the text and made of small
        // allocations: free it on another core while the pipeline goes on.
        // (If no thread can be started, it is freed here.)
        let _ = std::thread::Builder::new().spawn(move || drop(root));
        if let Some(inv) = &lowered.inventory {
            graph = graph::build(inv, &lowered.declared_ids, &mut diagnostics);
        }
        inventory = lowered.inventory;
    }
    let mut deployment = None;
    if let (Some(inv), Some(g), false) = (&inventory, &graph, diagnostics.has_errors()) {
        let rec = check::run(inv, g, &mut diagnostics);
        deployment = Some(deploy::build(inv, &rec));
        recovery = Some(rec);
    }
    Analysis {
        sources,
        diagnostics,
        inventory,
        graph,
        recovery,
        deployment,
    }
}
