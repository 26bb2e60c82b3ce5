//! The Terraform root module, rendered from the deployment (and the model's
//! facts about each asset):
//! each file's frame (templates/terraform/*.tf.hbs) once, and the blocks repeated
//! per asset (templates/terraform/blocks/) one at a time, each from a small context
//! built when it is rendered, in runs on every core.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::{Map, Value, json};

use super::hcl;
use super::{GeneratedFile, Options, modules};
use crate::check::Recovery;
use crate::check::mechanisms::{Mechanisms, RuleKind};
use crate::deploy::backup::{IsolatedVault, LockMode, LockRange};
use crate::deploy::drills::Drills;
use crate::deploy::region_switch::StepAction;
use crate::deploy::{
    AssetDeployment, BackupDesign, Deployment, KindDeployment, ROUTE53_METRICS_REGION, RegionSwitch,
};
use crate::model::{AssetKind, Dur, Inventory, Target};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "versions.tf",
        include_str!("../../templates/terraform/versions.tf.hbs"),
    ),
    (
        "providers.tf",
        include_str!("../../templates/terraform/providers.tf.hbs"),
    ),
    (
        "main.tf",
        include_str!("../../templates/terraform/main.tf.hbs"),
    ),
    (
        "outputs.tf",
        include_str!("../../templates/terraform/outputs.tf.hbs"),
    ),
];

/// Blocks repeated per asset or rename, rendered one at a time.
const BLOCKS: &[(&str, &str)] = &[
    (
        "blocks/module",
        include_str!("../../templates/terraform/blocks/module.tf.hbs"),
    ),
    (
        "blocks/s3-versioning",
        include_str!("../../templates/terraform/blocks/s3-versioning.tf.hbs"),
    ),
    (
        "blocks/endpoint",
        include_str!("../../templates/terraform/blocks/endpoint.tf.hbs"),
    ),
    (
        "blocks/moved",
        include_str!("../../templates/terraform/blocks/moved.tf.hbs"),
    ),
    (
        "blocks/output-rds",
        include_str!("../../templates/terraform/blocks/output-rds.tf.hbs"),
    ),
    (
        "blocks/output-s3",
        include_str!("../../templates/terraform/blocks/output-s3.tf.hbs"),
    ),
    (
        "blocks/output-endpoint",
        include_str!("../../templates/terraform/blocks/output-endpoint.tf.hbs"),
    ),
    (
        "blocks/output-aurora",
        include_str!("../../templates/terraform/blocks/output-aurora.tf.hbs"),
    ),
    (
        "blocks/output-dynamodb",
        include_str!("../../templates/terraform/blocks/output-dynamodb.tf.hbs"),
    ),
    (
        "blocks/output-efs",
        include_str!("../../templates/terraform/blocks/output-efs.tf.hbs"),
    ),
];

/// The handlebars registry for Terraform: strict, HCL-escaped `{{x}}`, and the
/// one raw helper `{{hcl value}}` that renders a value as HCL ([`render_value`]:
/// strings through `hcl::quote`, other scalars through `hcl::scalar`).
fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(hcl::escape);
    hb.register_helper("hcl", Box::new(hcl_helper));
    for (name, text) in TEMPLATES.iter().chain(BLOCKS) {
        hb.register_template_string(name, *text)
            .expect("templates parse");
    }
    hb
}

/// `{{hcl value indent=N}}`: the value as an HCL expression; continuation lines
/// of multi-line values are indented by N spaces.
fn hcl_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("hcl", 0))?
        .value();
    let indent = h
        .hash_get("indent")
        .and_then(|v| v.value().as_u64())
        .unwrap_or(0) as usize;
    let text = render_value(value, indent);
    out.write(&text)?;
    Ok(())
}

/// Objects and lists holding objects go on several lines; lists of scalars on one.
fn render_value(v: &Value, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Object(map) if !map.is_empty() => {
            let mut s = String::from("{\n");
            for (k, val) in map {
                // Keywords such as `for` must be quoted, or HCL reads an expression.
                let key = if hcl::bare_key(k) {
                    k.clone()
                } else {
                    format!("\"{}\"", hcl::escape(k))
                };
                s.push_str(&format!("{pad}{key} = {}\n", render_value(val, indent + 2)));
            }
            s.push_str(&" ".repeat(indent));
            s.push('}');
            s
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            let mut s = String::from("[\n");
            for item in items {
                s.push_str(&format!("{pad}{},\n", render_value(item, indent + 2)));
            }
            s.push_str(&" ".repeat(indent));
            s.push(']');
            s
        }
        Value::String(s) => hcl::quote(s),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| render_value(i, indent))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(_) => "{}".to_owned(),
        other => hcl::scalar(other).expect("lists, objects and strings are handled above"),
    }
}

fn mechanisms_text(m: &Mechanisms) -> String {
    let n = m.names();
    if n.is_empty() {
        "no generated mechanism".to_owned()
    } else {
        n.join(", ")
    }
}

/// What kind of block an asset (or a rename) adds to a file.
#[derive(Debug, Clone, Copy)]
enum Block {
    /// The module call of an asset.
    Call(usize),
    S3Versioning(usize),
    Moved(usize),
    /// The output of an asset's recovery resources.
    Output(usize),
}

/// Everything the Terraform templates are rendered from: the context of each
/// file's frame (`templates/terraform/*.tf.hbs`) and, in file order, the blocks
/// that repeat per asset (`templates/terraform/blocks/*.tf.hbs`), whose contexts
/// are built only when they are rendered.
pub struct Contexts<'a> {
    inv: &'a Inventory,
    rec: &'a Recovery,
    dep: &'a Deployment,
    opts: &'a Options,
    /// The frames' context (no per-asset lists).
    pub frame: Value,
    main_blocks: Vec<Block>,
    output_blocks: Vec<Block>,
}

/// Build the frames' context and the list of blocks of every file.
pub fn context<'a>(
    inv: &'a Inventory,
    rec: &'a Recovery,
    dep: &'a Deployment,
    opts: &'a Options,
) -> Contexts<'a> {
    // main.tf: data stores first (databases, then files and objects), then the
    // versioning of buckets that are only backed up, then endpoints.
    let mut groups: [Vec<usize>; 7] = Default::default();
    for (i, a) in dep.assets.iter().enumerate() {
        let group = match &a.kind {
            KindDeployment::Rds(_) => 0,
            KindDeployment::Aurora(_) => 1,
            KindDeployment::Dynamodb(_) => 2,
            KindDeployment::S3(x) if x.replication.is_some() => 3,
            KindDeployment::Efs(_) => 4,
            KindDeployment::S3(x) if x.versioning => 5,
            KindDeployment::S3(_) => continue,
            KindDeployment::Endpoint(_) => 6,
        };
        groups[group].push(i);
    }
    let frame = json!({
        "header": opts.header("#"),
        "project": inv.project.name,
        "name": dep.project,
        "primary_region": dep.primary_region,
        "secondary_region": dep.secondary_region,
        "alert_emails": dep.alerts.emails,
        "alert_regions": dep.alerts.regions,
        "backup_event_regions": dep.alerts.backup_event_regions,
        "kms_event_regions": dep.alerts.kms_event_regions,
        "default_tags": dep.default_tags,
        "tags": {},
        "source": {
            "alerts": opts.source("alerts"),
            "backup": opts.source("backup"),
            "isolated_vault": opts.source("isolated-vault"),
            "drills": opts.source("fis-drills"),
            "backup_audit": opts.source("backup-audit"),
            "resilience_hub": opts.source("resilience-hub"),
        },
        "audit": dep.audit.as_ref().map_or(Value::Null, |_| {
            let call = audit_call(dep).expect("an audit");
            json!({"args": args_text(&call.args, 2, &|_| String::new())})
        }),
        "resilience": resilience_call(dep).map_or(Value::Null, |call| {
            json!({"args": args_text(&call.args, 2, &|_| String::new())})
        }),
        "backup": dep.backup.as_ref().map_or(Value::Null, |b| {
            let call = backup_call(b, dep);
            json!({
                "args": args_text(&call.args, 2, &|region| {
                    format!("module.alerts.topic_arns[{}]", hcl::quote(region))
                }),
                "immutable": b.immutable.is_some(),
            })
        }),
        "isolated": dep.backup.as_ref().and_then(|b| b.isolated.as_ref()).map_or(Value::Null, |v| {
            json!({ "args": args_text(&isolated_call(v).args, 2, &|_| String::new()) })
        }),
        "drills": dep.drills.as_ref().map_or(Value::Null, |d| {
            json!({ "args": args_text(&drills_call(d, dep).args, 2, &|_| String::new()) })
        }),
        "region_switch": dep.region_switch.as_ref().map_or(Value::Null, |rs| {
            let call = region_switch_call(rs, dep);
            // The plan names the replicas, clusters and alarms of these modules:
            // create it after them.
            let mut after: Vec<String> = rs
                .waves
                .iter()
                .flatten()
                .map(|s| &s.asset)
                .chain(rs.trigger_alarms.iter().map(|a| &a.asset))
                .filter_map(|id| {
                    let i = inv.assets.binary_search_by(|a| a.id.as_str().cmp(id)).ok()?;
                    Some(dep.assets[i].terraform.as_ref()?.address.clone())
                })
                .collect();
            after.sort();
            after.dedup();
            json!({
                "source": opts.source("region-switch"),
                "args": args_text(&call.args, 2, &|_| String::new()),
                "depends_on": after,
                "return": !rs.return_steps.is_empty(),
                "dns": rs.waves.iter().flatten().any(|s| matches!(s.action, StepAction::Route53 { .. })),
            })
        }),
    });
    let main_blocks = groups
        .iter()
        .enumerate()
        .flat_map(|(g, list)| {
            list.iter().map(move |&i| {
                if g == 5 {
                    Block::S3Versioning(i)
                } else {
                    Block::Call(i)
                }
            })
        })
        .chain((0..dep.moved.len()).map(Block::Moved))
        .collect();
    let output_blocks = groups
        .iter()
        .enumerate()
        .filter(|(g, _)| *g != 5)
        .flat_map(|(_, list)| list.iter().map(|&i| Block::Output(i)))
        .collect();
    Contexts {
        inv,
        rec,
        dep,
        opts,
        frame,
        main_blocks,
        output_blocks,
    }
}

/// The call of the backup module: vaults, locks and the plans.
pub fn backup_call(b: &BackupDesign, dep: &Deployment) -> Call {
    let c = backup_context(b);
    let v = |k: &str| Arg::Value(c[k].clone());
    let mut args = vec![
        ("name", v("name")),
        ("primary_region", Arg::Value(json!(dep.primary_region))),
        ("secondary_region", Arg::Value(json!(dep.secondary_region))),
        ("lock_mode", v("lock_mode")),
        ("changeable_for_days", v("changeable_for_days")),
        ("primary_lock", v("primary_lock")),
        ("secondary_lock", v("secondary_lock")),
    ];
    if b.immutable.is_some() {
        args.push(("immutable_vaults", v("immutable_vaults")));
    }
    args.extend([
        ("alert_topic_arns", Arg::Topics),
        ("plans", v("plans")),
        ("secondary_plans", Arg::Value(json!(b.secondary_plans))),
    ]);
    if b.isolated.is_some() {
        args.push((
            "isolated_vault_arn",
            Arg::Expr("module.isolated_vault.arn".to_owned()),
        ));
    }
    args.push(("tags", Arg::Value(json!({}))));
    Call {
        label: "backup".to_owned(),
        module: "backup",
        args,
    }
}

/// The call of the isolated-vault module: the logically air-gapped vault of the
/// `isolated_copy` tiers and its AWS RAM share.
pub fn isolated_call(v: &IsolatedVault) -> Call {
    Call {
        label: "isolated_vault".to_owned(),
        module: "isolated-vault",
        args: vec![
            ("name", Arg::Value(json!(v.name))),
            ("region", Arg::Value(json!(v.region))),
            (
                "min_retention_days",
                Arg::Value(json!(v.lock.min_retention_days)),
            ),
            (
                "max_retention_days",
                Arg::Value(json!(v.lock.max_retention_days)),
            ),
            (
                "recovery_account_id",
                Arg::Value(json!(v.recovery_account_id)),
            ),
            ("tags", Arg::Value(json!({}))),
        ],
    }
}

/// The call of the fis-drills module: one experiment template per drill.
pub fn drills_call(d: &Drills, dep: &Deployment) -> Call {
    let experiments: Map<String, Value> = d
        .experiments
        .iter()
        .map(|e| {
            (
                e.key.clone(),
                json!({
                    "description": e.description,
                    "action": e.action.key(),
                    "resource": e.resource,
                    "destination": e.destination,
                    "duration": e.duration.map(crate::deploy::drills::iso_duration),
                    "stop_alarms": e.stop_alarms,
                }),
            )
        })
        .collect();
    let mut args = vec![
        ("name", Arg::Value(json!(dep.project))),
        ("region", Arg::Value(json!(d.region))),
        ("secondary_region", Arg::Value(json!(dep.secondary_region))),
        ("experiments", Arg::Value(Value::Object(experiments))),
        ("tags", Arg::Value(json!({}))),
    ];
    if !d.depends_on.is_empty() {
        // Stop conditions name alarms those modules create.
        args.push((
            "depends_on",
            Arg::Expr(format!("[{}]", d.depends_on.join(", "))),
        ));
    }
    Call {
        label: "drills".to_owned(),
        module: "fis-drills",
        args,
    }
}

/// The call of the backup-audit module: the framework's controls, from the
/// deployment's audit design, and the report plans.
pub fn audit_call(dep: &Deployment) -> Option<Call> {
    let a = dep.audit.as_ref()?;
    let plans: Map<String, Value> = a
        .plans
        .iter()
        .map(|p| {
            (
                p.key.clone(),
                json!({
                    "name": p.name,
                    "frequency_unit": p.frequency_unit,
                    "frequency_value": p.frequency_value,
                    "retention_days": p.retention_days,
                    "recovery_point_retention_days": p.recovery_point_retention_days,
                }),
            )
        })
        .collect();
    let controls: Vec<Value> = a
        .controls
        .iter()
        .map(|c| {
            let params: Map<String, Value> = c
                .parameters
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect();
            json!({
                "name": c.control.name(),
                "resource_type": c.resource_type,
                "resources": c.resources,
                "parameters": params,
            })
        })
        .collect();
    let v = |x: Value| Arg::Value(x);
    Some(Call {
        label: "backup_audit".to_owned(),
        module: "backup-audit",
        args: vec![
            ("region", v(json!(dep.primary_region))),
            ("framework_name", v(json!(a.framework))),
            ("plans", v(Value::Object(plans))),
            ("plan_ids", Arg::Expr("module.backup.plan_ids".to_owned())),
            ("resource_controls", v(json!(controls))),
            ("report_bucket_prefix", v(json!(a.report_bucket_prefix))),
            (
                "report_plan_names",
                v(json!({
                    "backup_jobs": a.report_plans.backup_jobs,
                    "restore_jobs": a.report_plans.restore_jobs,
                    "control_compliance": a.report_plans.control_compliance,
                })),
            ),
            ("report_retention_days", v(json!(a.report_retention_days))),
            ("tags", v(json!({}))),
        ],
    })
}

/// The call of the resilience-hub module: one policy per tier, `None` without one.
pub fn resilience_call(dep: &Deployment) -> Option<Call> {
    let r = &dep.resilience;
    if r.policies.is_empty() {
        return None;
    }
    let o = |x: &crate::deploy::audit::Objectives| json!({"rpo_seconds": x.rpo.as_secs(), "rto_seconds": x.rto.as_secs()});
    let policies: Map<String, Value> = r
        .policies
        .iter()
        .map(|p| {
            let region = match p.region {
                None => Value::Null,
                Some((rpo, rto)) => json!({
                    "rpo_seconds": rpo.map(|d| d.as_secs()),
                    "rto_seconds": rto.map(|d| d.as_secs()),
                }),
            };
            (
                p.tier.clone(),
                json!({
                    "name": p.name,
                    "tier": p.hub_tier,
                    "description": p.description,
                    "software": o(&p.software),
                    "hardware": o(&p.hardware),
                    "az": o(&p.az),
                    "region": region,
                }),
            )
        })
        .collect();
    Some(Call {
        label: "resilience_hub".to_owned(),
        module: "resilience-hub",
        args: vec![
            ("region", Arg::Value(json!(dep.primary_region))),
            ("policies", Arg::Value(Value::Object(policies))),
            ("tags", Arg::Value(json!({}))),
        ],
    })
}

/// The backup module's arguments as values: the `plans` argument and the vault locks.
fn backup_context(b: &BackupDesign) -> Value {
    let lock = |r: &LockRange| json!({"min_retention_days": r.min_retention_days, "max_retention_days": r.max_retention_days});
    let plans: Map<String, Value> = b
        .plans
        .iter()
        .map(|plan| {
            let rules: Vec<Value> = plan
                .rules
                .iter()
                .map(|r| {
                    let mut rule = json!({
                        "name": r.name,
                        "schedule": r.schedule,
                        "start_window_minutes": r.start_window_minutes,
                        "completion_window_minutes": r.completion_window_minutes,
                        "delete_after_days": r.delete_after_days,
                        "cold_storage_after_days": r.cold_storage_after_days,
                        "continuous": r.implements.kind == RuleKind::Continuous,
                        "copy_delete_after_days": r.copy_delete_after_days,
                    });
                    // Optional in the module: written only for isolated copies.
                    if let Some(days) = r.isolated_copy_delete_after_days {
                        rule["isolated_copy_delete_after_days"] = json!(days);
                    }
                    rule
                })
                .collect();
            let t = &plan.restore_testing;
            let mut p = json!({
                "rules": rules,
                "rds_instances": plan.rds_instances,
                "s3_buckets": plan.s3_buckets,
            });
            // The other kinds' lists are optional in the module: written when used.
            for (key, list) in [
                ("aurora_clusters", &plan.aurora_clusters),
                ("dynamodb_tables", &plan.dynamodb_tables),
                ("efs_file_systems", &plan.efs_file_systems),
            ] {
                if !list.is_empty() {
                    p[key] = json!(list);
                }
            }
            if plan.immutable_vaults {
                p["immutable"] = json!(true);
            }
            p["restore_testing"] = json!({
                "schedule": t.cron(),
                "selection_window_days": t.selection_window_days,
                "validation_window_hours": t.validation_window_hours,
            });
            (plan.key.clone(), p)
        })
        .collect();
    let compliance = b.lock.mode == LockMode::Compliance;
    json!({
        "name": b.name,
        "lock_mode": if compliance { "compliance" } else { "governance" },
        "changeable_for_days": b.lock.changeable_for_days,
        "primary_lock": lock(&b.lock.primary),
        "secondary_lock": lock(&b.lock.secondary),
        "immutable_vaults": b.immutable.as_ref().map(|i| json!({
            "changeable_for_days": i.changeable_for_days,
            "primary_lock": lock(&i.primary),
            "secondary_lock": lock(&i.secondary),
        })),
        "plans": plans,
    })
}

impl Contexts<'_> {
    /// The template and context of one block.
    fn block(&self, block: Block) -> (&'static str, Value) {
        let (inv, dep) = (self.inv, self.dep);
        let label = |d: &AssetDeployment| {
            d.terraform
                .as_ref()
                .expect("a Terraform object")
                .label
                .clone()
        };
        match block {
            Block::Moved(k) => {
                let (from, to) = &dep.moved[k];
                ("blocks/moved", json!({"from": from, "to": to}))
            }
            Block::Output(i) => {
                let template = match &dep.assets[i].kind {
                    KindDeployment::Rds(_) => "blocks/output-rds",
                    KindDeployment::S3(_) => "blocks/output-s3",
                    KindDeployment::Endpoint(_) => "blocks/output-endpoint",
                    KindDeployment::Aurora(_) => "blocks/output-aurora",
                    KindDeployment::Dynamodb(_) => "blocks/output-dynamodb",
                    KindDeployment::Efs(_) => "blocks/output-efs",
                };
                let d = &dep.assets[i];
                (template, json!({"id": d.id, "module": label(d)}))
            }
            Block::S3Versioning(i) => {
                let d = &dep.assets[i];
                let KindDeployment::S3(x) = &d.kind else {
                    unreachable!("versioning blocks are for S3 assets")
                };
                (
                    "blocks/s3-versioning",
                    json!({
                        "id": d.id,
                        "resource": label(d),
                        "primary_region": dep.primary_region,
                        "bucket": x.bucket,
                    }),
                )
            }
            Block::Call(i) => {
                let asset = &inv.assets[i];
                let call = self.call(i).expect("a module call");
                let args = args_text(&call.args, 2, &|region| {
                    format!("module.alerts.topic_arns[{}]", hcl::quote(region))
                });
                let (template, kind) = match &asset.kind {
                    AssetKind::Rds(_) => ("blocks/module", "RDS"),
                    AssetKind::S3(_) => ("blocks/module", "S3"),
                    AssetKind::Aurora(_) => ("blocks/module", "Aurora"),
                    AssetKind::Dynamodb(_) => ("blocks/module", "DynamoDB"),
                    AssetKind::Efs(_) => ("blocks/module", "EFS"),
                    AssetKind::Endpoint(_) => ("blocks/endpoint", "Endpoint"),
                };
                let detection = match &asset.kind {
                    AssetKind::Endpoint(e) => Dur::secs(
                        u64::from(e.health_check.interval)
                            * u64::from(e.health_check.failure_threshold),
                    )
                    .to_string(),
                    _ => String::new(),
                };
                (
                    template,
                    json!({
                        "kind": kind,
                        "id": asset.id,
                        "tier": asset.tier,
                        "mechanisms": mechanisms_text(&self.rec.assets[i].mechanisms),
                        "detection": detection,
                        "module": call.label,
                        "source": self.opts.source(call.module),
                        "args": args,
                    }),
                )
            }
        }
    }

    /// The module call of asset `i`: which module, and its arguments in order.
    /// main.tf writes it; the test suite's guard runs call the module with the
    /// same arguments.
    pub fn call(&self, i: usize) -> Option<Call> {
        let (inv, dep) = (self.inv, self.dep);
        let asset = &inv.assets[i];
        let d = &dep.assets[i];
        let tf = d.terraform.as_ref()?;
        let module = tf.module?;
        let v = |x: Value| Arg::Value(x);
        let args: Vec<(&'static str, Arg)> = match (&asset.kind, &d.kind) {
            (AssetKind::Rds(x), KindDeployment::Rds(r)) => vec![
                ("name", v(json!(d.name))),
                ("primary_region", v(json!(dep.primary_region))),
                ("secondary_region", v(json!(dep.secondary_region))),
                ("source_identifier", v(json!(r.identifier))),
                ("engine", v(json!(x.engine.as_str()))),
                ("expect_multi_az", v(json!(x.multi_az))),
                ("expect_encrypted", v(json!(x.encrypted))),
                ("read_replica", v(json!(r.read_replica))),
                (
                    "replica_instance_class",
                    v(json!(x.dr.replica_instance_class)),
                ),
                ("backup_replication", v(json!(r.backup_replication))),
                (
                    "backup_replication_retention_days",
                    v(json!(r.backup_replication_retention_days)),
                ),
                (
                    "replica_lag_threshold_seconds",
                    v(json!(r.lag_threshold_seconds)),
                ),
                ("alert_topic_arns", Arg::Topics),
                ("tags", v(json!(asset.tags))),
            ],
            (AssetKind::S3(_), KindDeployment::S3(x)) => {
                let rep = x.replication.as_ref()?;
                vec![
                    ("name", v(json!(d.name))),
                    ("primary_region", v(json!(dep.primary_region))),
                    ("secondary_region", v(json!(dep.secondary_region))),
                    ("source_bucket", v(json!(x.bucket))),
                    ("source_kms_key_arn", v(json!(x.kms_key_arn))),
                    ("destination_bucket", v(json!(rep.destination_bucket))),
                    (
                        "replication_time_control",
                        v(json!(rep.replication_time_control)),
                    ),
                    ("replicate_deletes", v(json!(rep.replicate_deletes))),
                    (
                        "noncurrent_version_retention_days",
                        v(json!(rep.noncurrent_version_retention_days)),
                    ),
                    (
                        "replication_latency_threshold_seconds",
                        v(json!(rep.latency_threshold_seconds)),
                    ),
                    ("alert_topic_arn", Arg::Topic(dep.primary_region.clone())),
                    (
                        "secondary_alert_topic_arn",
                        Arg::Topic(dep.secondary_region.clone()),
                    ),
                    ("tags", v(json!(asset.tags))),
                ]
            }
            (AssetKind::Endpoint(e), KindDeployment::Endpoint(_)) => {
                let target = |t: &Target| match t {
                    Target::Hostname(h) => {
                        json!({"hostname": h, "alias_name": null, "alias_zone_id": null})
                    }
                    Target::Alias { name, zone_id } => {
                        json!({"hostname": null, "alias_name": name, "alias_zone_id": zone_id})
                    }
                };
                let hc = &e.health_check;
                let mut args = vec![
                    ("name", v(json!(d.name))),
                    ("zone_id", v(json!(e.zone_id))),
                    ("domain", v(json!(e.domain))),
                    ("primary", v(target(&e.primary))),
                    ("secondary", v(target(&e.secondary))),
                    (
                        "health_check",
                        v(json!({
                            "protocol": hc.protocol.as_str(),
                            "port": hc.port,
                            "path": if hc.protocol == crate::input::Protocol::Tcp { Value::Null } else { json!(hc.path) },
                            "request_interval": hc.interval,
                            "failure_threshold": hc.failure_threshold,
                        })),
                    ),
                    ("ttl", v(json!(e.ttl))),
                    (
                        "alert_topic_arn",
                        Arg::Topic(ROUTE53_METRICS_REGION.to_owned()),
                    ),
                ];
                // A DNS step of the Region switch plan: the records use ARC's
                // health checks once their ids are passed (RUNBOOK.md, "Once").
                if dep.region_switch.as_ref().is_some_and(|rs| {
                    rs.waves.iter().flatten().any(|s| {
                        s.asset == asset.id && matches!(s.action, StepAction::Route53 { .. })
                    })
                }) {
                    args.push((
                        "record_health_check_ids",
                        Arg::Expr(format!(
                            "lookup(var.region_switch_dns_health_checks, {}, null)",
                            hcl::quote(&asset.id)
                        )),
                    ));
                }
                args.push(("tags", v(json!(asset.tags))));
                args
            }
            (AssetKind::Aurora(x), KindDeployment::Aurora(r)) => vec![
                ("name", v(json!(d.name))),
                ("primary_region", v(json!(dep.primary_region))),
                ("secondary_region", v(json!(dep.secondary_region))),
                ("source_cluster_identifier", v(json!(r.cluster_identifier))),
                ("engine", v(json!(x.engine.as_str()))),
                ("expect_encrypted", v(json!(x.encrypted))),
                ("expect_reader", v(json!(x.multi_az))),
                ("global_database", v(json!(r.global_database))),
                ("secondary_instance_class", v(json!(x.instance_class))),
                (
                    "secondary_instance_count",
                    v(json!(r.secondary_instances.len().max(1))),
                ),
                (
                    "global_lag_threshold_seconds",
                    v(json!(r.lag_threshold_seconds)),
                ),
                ("alert_topic_arns", Arg::Topics),
                ("tags", v(json!(asset.tags))),
            ],
            (AssetKind::Dynamodb(_), KindDeployment::Dynamodb(r)) => vec![
                ("name", v(json!(d.name))),
                ("primary_region", v(json!(dep.primary_region))),
                ("secondary_region", v(json!(dep.secondary_region))),
                ("table_name", v(json!(r.table))),
                ("global_table", v(json!(r.global_table))),
                ("expect_pitr", v(json!(r.pitr))),
                (
                    "pitr_recovery_period_days",
                    v(json!(r.pitr_recovery_period_days)),
                ),
                (
                    "replication_latency_threshold_seconds",
                    v(json!(r.latency_threshold_seconds)),
                ),
                ("alert_topic_arns", Arg::Topics),
                ("tags", v(json!(asset.tags))),
            ],
            (AssetKind::Efs(_), KindDeployment::Efs(r)) => vec![
                ("name", v(json!(d.name))),
                ("primary_region", v(json!(dep.primary_region))),
                ("secondary_region", v(json!(dep.secondary_region))),
                ("file_system_id", v(json!(r.file_system_id))),
                ("replication", v(json!(r.replication))),
                ("sync_threshold_seconds", v(json!(r.sync_threshold_seconds))),
                ("alert_topic_arns", Arg::Topics),
                ("tags", v(json!(asset.tags))),
            ],
            _ => return None,
        };
        Some(Call {
            label: tf.label.clone(),
            module,
            args,
        })
    }
}

/// One argument of a module call: a value, or the alert topic(s) from the alerts
/// module (references in main.tf, the mocked ARNs in the test suite).
#[derive(Debug, Clone)]
pub enum Arg {
    Value(Value),
    /// The alert topic of a Region.
    Topic(String),
    /// `{ primary, secondary }`: the topics of both Regions.
    Topics,
    /// A Terraform expression of lifeboat's own making (module addresses and
    /// outputs, e.g. `module.backup.plan_ids`), written as is.
    Expr(String),
}

/// A module call of the root module.
#[derive(Debug, Clone)]
pub struct Call {
    pub label: String,
    pub module: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// The call of the region-switch module: the plan, its roles, waves and alarms.
pub fn region_switch_call(rs: &RegionSwitch, dep: &Deployment) -> Call {
    let v = Arg::Value;
    let waves: Vec<Value> = rs
        .waves
        .iter()
        .map(|wave| {
            Value::Array(
                wave.iter()
                    .map(|s| match &s.action {
                        StepAction::RdsPromote { source, replica } => json!({
                            "name": s.name, "kind": "rds", "source": source,
                            "target": replica, "global_cluster": null,
                        }),
                        StepAction::AuroraGlobal {
                            global_cluster,
                            source,
                            secondary,
                        } => json!({
                            "name": s.name, "kind": "aurora", "source": source,
                            "target": secondary, "global_cluster": global_cluster,
                        }),
                        // The records' set identifiers stand in the source (primary
                        // Region) and target (secondary Region) places.
                        StepAction::Route53 {
                            hosted_zone_id,
                            record_name,
                            primary_set_identifier,
                            secondary_set_identifier,
                        } => json!({
                            "name": s.name, "kind": "route53",
                            "source": primary_set_identifier,
                            "target": secondary_set_identifier, "global_cluster": null,
                            "hosted_zone_id": hosted_zone_id, "record_name": record_name,
                        }),
                    })
                    .collect(),
            )
        })
        .collect();
    let mut args = vec![
        ("name", v(json!(rs.plan))),
        ("primary_region", v(json!(dep.primary_region))),
        ("secondary_region", v(json!(dep.secondary_region))),
        ("execution_role_name", v(json!(rs.execution_role))),
    ];
    if let (Some(role), Some(step)) = (&rs.approval_role, &rs.approval_step) {
        args.push(("approval_role_name", v(json!(role))));
        args.push(("approval_step_name", v(json!(step))));
    }
    args.extend([
        (
            "recovery_time_objective_minutes",
            v(json!(rs.recovery_time_objective_minutes)),
        ),
        ("waves", v(Value::Array(waves))),
        (
            "trigger_alarm_names",
            v(json!(
                rs.trigger_alarms
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
            )),
        ),
        (
            "health_alarms",
            v(json!(
                rs.health_alarms
                    .iter()
                    .map(|a| json!({"name": a.name, "region": a.region}))
                    .collect::<Vec<_>>()
            )),
        ),
        ("tags", v(json!({}))),
    ]);
    Call {
        label: "region_switch".to_owned(),
        module: "region-switch",
        args,
    }
}

/// The arguments as `name = value` lines (no final newline), indented by
/// `indent` spaces, with `topic` writing the alert topic of a Region. The primary
/// and secondary Regions of `Topics` are the call's own `primary_region` and
/// `secondary_region`.
pub fn args_text(
    args: &[(&'static str, Arg)],
    indent: usize,
    topic: &dyn Fn(&str) -> String,
) -> String {
    let region = |key: &str| {
        args.iter().find_map(|(k, a)| match a {
            Arg::Value(Value::String(r)) if *k == key => Some(r.clone()),
            _ => None,
        })
    };
    let mut out = String::new();
    for (name, arg) in args {
        let pad = " ".repeat(indent);
        let text = match arg {
            Arg::Value(v) => render_value(v, indent),
            Arg::Topic(r) => topic(r),
            Arg::Expr(e) => e.clone(),
            Arg::Topics => format!(
                "{{\n{pad}  primary   = {}\n{pad}  secondary = {}\n{pad}}}",
                topic(&region("primary_region").unwrap_or_default()),
                topic(&region("secondary_region").unwrap_or_default())
            ),
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(name);
        out.push_str(" = ");
        out.push_str(&text);
    }
    out
}

/// Render the root module and copy the modules it calls.
pub fn render(
    inv: &Inventory,
    rec: &Recovery,
    dep: &Deployment,
    opts: &Options,
) -> anyhow::Result<Vec<GeneratedFile>> {
    render_with(inv, rec, dep, opts, crate::par::threads())
}

/// [`render`] on `threads` threads; the output does not depend on their number.
pub fn render_with(
    inv: &Inventory,
    rec: &Recovery,
    dep: &Deployment,
    opts: &Options,
    threads: usize,
) -> anyhow::Result<Vec<GeneratedFile>> {
    Ok(render_pieces(inv, rec, dep, opts, threads)?
        .into_iter()
        .map(|(path, pieces)| GeneratedFile {
            path,
            contents: pieces.concat(),
        })
        .collect())
}

/// The files of [`render_with`], each as the pieces it is the concatenation of
/// (a large main.tf is never joined when it is streamed to disk).
pub fn render_pieces(
    inv: &Inventory,
    rec: &Recovery,
    dep: &Deployment,
    opts: &Options,
    threads: usize,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let cx = context(inv, rec, dep, opts);
    // One handlebars Context for every frame: `render(name, &value)` would
    // serialize a deep copy of the value for each file.
    let frame = Context::wraps(&cx.frame)?;
    let hb = registry();
    let mut files = Vec::new();
    for (name, _) in TEMPLATES {
        let blocks: &[Block] = match *name {
            "main.tf" => &cx.main_blocks,
            "outputs.tf" => &cx.output_blocks,
            _ => &[],
        };
        let mut pieces = vec![checked(name, hb.render_with_context(name, &frame)?)?];
        for part in render_blocks(&hb, &cx, name, blocks, threads)? {
            if !part.is_empty() {
                // Formatted pieces end with one newline; one blank line separates blocks.
                pieces.push("\n".to_owned());
                pieces.push(part);
            }
        }
        files.push(((*name).to_owned(), pieces));
    }
    if !opts.no_tests {
        files.push((
            super::tftest::PATH.to_owned(),
            super::tftest::render(inv, rec, dep, opts),
        ));
        files.push((
            super::tftest::RELEASE.to_owned(),
            vec![super::tftest::release(opts)],
        ));
    }
    files.extend(
        module_files(opts)
            .into_iter()
            .map(|f| (f.path, vec![f.contents])),
    );
    Ok(files)
}

/// The names of the Terraform files of the root module, and of its test suite.
pub fn file_names(opts: &Options) -> impl Iterator<Item = &'static str> {
    let tests: &[&str] = if opts.no_tests {
        &[]
    } else {
        &[super::tftest::PATH, super::tftest::RELEASE]
    };
    TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .chain(tests.iter().copied())
}

/// The copies of the modules next to the root module (none with a module source).
pub fn module_files(opts: &Options) -> Vec<GeneratedFile> {
    if opts.module_source.is_none() {
        modules::files(&modules::names(), opts)
    } else {
        Vec::new()
    }
}

/// Lay out a piece of a file as `terraform fmt` does and parse it: whatever we
/// write must be valid HCL; anything else is lifeboat's bug.
fn checked(name: &str, text: String) -> anyhow::Result<String> {
    let text = hcl::fmt(&text);
    hcl::parse_pieces(&text)
        .map_err(|e| anyhow::anyhow!("internal error: generated {name} is not valid HCL: {e}"))?;
    Ok(text)
}

/// The blocks of one file, rendered, laid out and parsed in contiguous runs, one
/// per thread. Every block starts with a blank line and is laid out on its own
/// (alignment never crosses a blank line), so joining the blocks and the runs
/// with one blank line gives the same text as laying out the whole file.
fn render_blocks(
    hb: &Handlebars<'static>,
    cx: &Contexts<'_>,
    name: &str,
    blocks: &[Block],
    threads: usize,
) -> anyhow::Result<Vec<String>> {
    if blocks.is_empty() {
        return Ok(Vec::new());
    }
    let run = |run: &[Block]| -> anyhow::Result<String> {
        // Each block is laid out on its own (a whole run's per-line tables took
        // hundreds of MB at 100,000 assets), then the run is parsed.
        let mut text = String::new();
        for &b in run {
            let (template, value) = cx.block(b);
            let block = hcl::fmt(&hb.render_with_context(template, &Context::from(value))?);
            if block.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&block);
        }
        hcl::parse_pieces(&text).map_err(|e| {
            anyhow::anyhow!("internal error: generated {name} is not valid HCL: {e}")
        })?;
        Ok(text)
    };
    crate::par::runs_on(threads, blocks, 1, run)
        .into_iter()
        .collect()
}
