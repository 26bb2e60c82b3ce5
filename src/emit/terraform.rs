//! The Terraform root module, rendered from the model and the recovery model:
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
use crate::check::mechanisms::Mechanisms;
use crate::model::{AssetKind, Dur, Inventory, Scenario, Target, slug};

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
        "blocks/rds",
        include_str!("../../templates/terraform/blocks/rds.tf.hbs"),
    ),
    (
        "blocks/s3",
        include_str!("../../templates/terraform/blocks/s3.tf.hbs"),
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
];

/// AWS Backup restore testing takes at most 30 resources of one type per selection.
const MAX_PER_SELECTION: usize = 30;

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

/// A name for AWS resources: `<prefix>-<id>` if it fits in `max`, else shortened
/// with a stable hash. Lower-case letters, digits and single hyphens.
pub fn scoped_name(prefix: &str, id: &str, max: usize) -> String {
    let mut full = format!("{prefix}-{id}");
    while full.contains("--") {
        full = full.replace("--", "-");
    }
    if full.len() <= max {
        return full;
    }
    let hash = format!("{:08x}", fnv1a(full.as_bytes()));
    let keep = max - 7;
    format!("{}-{}", full[..keep].trim_end_matches('-'), &hash[..6])
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The project's name in AWS resource names: a slug that starts with a letter and
/// has at most 32 characters.
pub fn project_name(name: &str) -> String {
    let s = slug(name);
    let s = if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s
    } else {
        format!("lb-{s}")
    };
    s.chars()
        .take(32)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// A Terraform identifier for a module or resource of an asset.
fn tf_name(prefix: &str, id: &str) -> String {
    format!("{prefix}_{}", id.replace('-', "_"))
}

/// The replica bucket's name: the inventory's choice, or `<source>-dr-<region>`
/// (dots become hyphens: the module refuses dotted names, they break HTTPS).
pub fn destination_bucket(source: &str, secondary: &str, chosen: Option<&str>) -> String {
    if let Some(c) = chosen {
        return c.to_owned();
    }
    let base = source.replace('.', "-");
    let name = format!("{base}-dr-{secondary}");
    if name.len() <= 63 {
        return name;
    }
    let hash = format!("{:08x}", fnv1a(source.as_bytes()));
    let suffix = format!("-{}-dr-{secondary}", &hash[..6]);
    format!(
        "{}{suffix}",
        base[..63 - suffix.len()].trim_end_matches('-')
    )
}

fn cron_for(freq: Dur) -> String {
    let h = freq.as_secs() / 3600;
    match h {
        0 | 1 => "cron(0 * ? * * *)".to_owned(),
        24.. => "cron(0 5 ? * * *)".to_owned(),
        h => format!("cron(0 */{h} ? * * *)"),
    }
}

fn days(d: Dur) -> u64 {
    d.days_ceil().max(1)
}

struct PlanKey {
    tier: String,
    frequency: Dur,
    continuous: bool,
    copy: bool,
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
    Rds(usize),
    S3(usize),
    S3Versioning(usize),
    Endpoint(usize),
    Moved(usize),
    OutputRds(usize),
    OutputS3(usize),
    OutputEndpoint(usize),
}

/// Everything the Terraform templates are rendered from: the context of each
/// file's frame (`templates/terraform/*.tf.hbs`) and, in file order, the blocks
/// that repeat per asset (`templates/terraform/blocks/*.tf.hbs`), whose contexts
/// are built only when they are rendered.
pub struct Contexts<'a> {
    inv: &'a Inventory,
    rec: &'a Recovery,
    project: String,
    sources: [String; 3],
    /// The frames' context (no per-asset lists).
    pub frame: Value,
    main_blocks: Vec<Block>,
    output_blocks: Vec<Block>,
    moved: Vec<(String, String)>,
}

/// Build the frames' context and the list of blocks of every file.
pub fn context<'a>(inv: &'a Inventory, rec: &'a Recovery, opts: &Options) -> Contexts<'a> {
    let p = &inv.project;
    let project = project_name(&p.name);

    let mut rds = Vec::new();
    let mut s3 = Vec::new();
    let mut s3_versioning = Vec::new();
    let mut endpoints = Vec::new();
    let mut plans: Vec<(PlanKey, Vec<String>, Vec<String>)> = Vec::new();
    for (i, (asset, r)) in inv.assets.iter().zip(&rec.assets).enumerate() {
        let tier = inv.tier_of(asset);
        let m = &r.mechanisms;
        if let Some(b) = m.backup {
            let key = PlanKey {
                tier: tier.name.clone(),
                frequency: b.frequency,
                continuous: b.continuous,
                copy: m.cross_region_copy,
            };
            let idx = match plans.iter().position(|(k, _, _)| {
                k.tier == key.tier
                    && k.frequency == key.frequency
                    && k.continuous == key.continuous
                    && k.copy == key.copy
            }) {
                Some(i) => i,
                None => {
                    plans.push((key, Vec::new(), Vec::new()));
                    plans.len() - 1
                }
            };
            match &asset.kind {
                AssetKind::Rds(x) => plans[idx].1.push(x.identifier.clone()),
                AssetKind::S3(x) => plans[idx].2.push(x.bucket.clone()),
                AssetKind::Endpoint(_) => {}
            }
        }
        match &asset.kind {
            AssetKind::Rds(_) => rds.push(i),
            AssetKind::S3(_) if m.replication => s3.push(i),
            AssetKind::S3(_) if m.backup.is_some() => s3_versioning.push(i),
            AssetKind::S3(_) => {}
            AssetKind::Endpoint(_) => endpoints.push(i),
        }
    }

    let backup = backup_context(inv, &project, plans);
    let mut alert_regions = vec![p.primary_region.clone(), p.secondary_region.clone()];
    if !endpoints.is_empty() {
        alert_regions.push("us-east-1".to_owned());
    }
    alert_regions.sort();
    alert_regions.dedup();
    let backup_event_regions = if backup.is_null() {
        Vec::new()
    } else {
        let mut v = vec![p.primary_region.clone(), p.secondary_region.clone()];
        v.sort();
        v
    };
    let mut default_tags: Map<String, Value> =
        p.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    default_tags.insert("managed-by".into(), json!("lifeboat"));
    default_tags.insert("lifeboat-project".into(), json!(p.name));
    let moved = super::manifest::moved(inv, rec);
    let frame = json!({
        "header": opts.header("#"),
        "project": p.name,
        "name": project,
        "primary_region": p.primary_region,
        "secondary_region": p.secondary_region,
        "alert_emails": p.alert_emails,
        "alert_regions": alert_regions,
        "backup_event_regions": backup_event_regions,
        "default_tags": default_tags,
        "tags": {},
        "source": {
            "alerts": opts.source("alerts"),
            "backup": opts.source("backup"),
        },
        "backup": backup,
    });
    let main_blocks = (rds.iter().map(|&i| Block::Rds(i)))
        .chain(s3.iter().map(|&i| Block::S3(i)))
        .chain(s3_versioning.iter().map(|&i| Block::S3Versioning(i)))
        .chain(endpoints.iter().map(|&i| Block::Endpoint(i)))
        .chain((0..moved.len()).map(Block::Moved))
        .collect();
    let output_blocks = (rds.iter().map(|&i| Block::OutputRds(i)))
        .chain(s3.iter().map(|&i| Block::OutputS3(i)))
        .chain(endpoints.iter().map(|&i| Block::OutputEndpoint(i)))
        .collect();
    Contexts {
        inv,
        rec,
        project,
        sources: [
            opts.source("rds-dr"),
            opts.source("s3-replication"),
            opts.source("route53-failover"),
        ],
        frame,
        main_blocks,
        output_blocks,
        moved,
    }
}

impl Contexts<'_> {
    /// The template and context of one block.
    fn block(&self, block: Block) -> (&'static str, Value) {
        let (inv, p) = (self.inv, &self.inv.project);
        let asset_of = |i: usize| (&inv.assets[i], &self.rec.assets[i].mechanisms);
        match block {
            Block::Moved(k) => {
                let (from, to) = &self.moved[k];
                ("blocks/moved", json!({"from": from, "to": to}))
            }
            Block::OutputRds(i) | Block::OutputS3(i) | Block::OutputEndpoint(i) => {
                let a = &inv.assets[i];
                let (template, prefix) = match block {
                    Block::OutputRds(_) => ("blocks/output-rds", "rds"),
                    Block::OutputS3(_) => ("blocks/output-s3", "s3"),
                    _ => ("blocks/output-endpoint", "endpoint"),
                };
                (
                    template,
                    json!({"id": a.id, "module": tf_name(prefix, &a.id)}),
                )
            }
            Block::Rds(i) | Block::S3(i) | Block::S3Versioning(i) | Block::Endpoint(i) => {
                let (asset, m) = asset_of(i);
                let tier = inv.tier_of(asset);
                // AWS names keep the asset's first id across renames (`previously`),
                // so a rename moves resources instead of replacing them.
                let name_id = asset.previously.first().unwrap_or(&asset.id);
                let region_rpo = tier.objective(Scenario::Region).rpo;
                let project = &self.project;
                match (&asset.kind, block) {
                    (AssetKind::Rds(x), _) => (
                        "blocks/rds",
                        json!({
                            "id": asset.id,
                            "tier": asset.tier,
                            "mechanisms": mechanisms_text(m),
                            "module": tf_name("rds", &asset.id),
                            "source": self.sources[0],
                            "primary_region": p.primary_region,
                            "secondary_region": p.secondary_region,
                            "name": scoped_name(project, name_id, 40),
                            "identifier": x.identifier,
                            "engine": x.engine.as_str(),
                            "multi_az": x.multi_az,
                            "encrypted": x.encrypted,
                            "read_replica": m.read_replica,
                            "replica_instance_class": x.dr.replica_instance_class,
                            "backup_replication": m.backup_replication,
                            "backup_replication_retention_days": days(tier.retention).min(35),
                            // Idle PostgreSQL sources report up to 300 s of lag: never alarm below that.
                            "replica_lag_threshold_seconds": region_rpo.map_or(900, |d| d.as_secs()).clamp(300, 86_400),
                            "tags": asset.tags,
                        }),
                    ),
                    (AssetKind::S3(x), Block::S3(_)) => (
                        "blocks/s3",
                        json!({
                            "id": asset.id,
                            "tier": asset.tier,
                            "mechanisms": mechanisms_text(m),
                            "module": tf_name("s3", &asset.id),
                            "source": self.sources[1],
                            "primary_region": p.primary_region,
                            "secondary_region": p.secondary_region,
                            "name": scoped_name(project, name_id, 48),
                            "bucket": x.bucket,
                            "kms_key_arn": x.kms_key_arn,
                            "destination_bucket": destination_bucket(&x.bucket, &p.secondary_region, x.dr.destination_bucket.as_deref()),
                            "replication_time_control": m.replication_time_control,
                            "replicate_deletes": m.replicate_deletes,
                            "noncurrent_version_retention_days": days(tier.retention),
                            // RTC replicates 99.99% within 15 min: alarm from there, or at the Region RPO.
                            "replication_latency_threshold_seconds": region_rpo.map_or(900, |d| d.as_secs()).clamp(900, 86_400),
                            "tags": asset.tags,
                        }),
                    ),
                    (AssetKind::S3(x), _) => (
                        "blocks/s3-versioning",
                        json!({
                            "id": asset.id,
                            "resource": tf_name("s3", &asset.id),
                            "primary_region": p.primary_region,
                            "bucket": x.bucket,
                        }),
                    ),
                    (AssetKind::Endpoint(e), _) => {
                        let target = |t: &Target| match t {
                            Target::Hostname(h) => {
                                json!({"hostname": h, "alias_name": null, "alias_zone_id": null})
                            }
                            Target::Alias { name, zone_id } => {
                                json!({"hostname": null, "alias_name": name, "alias_zone_id": zone_id})
                            }
                        };
                        let hc = &e.health_check;
                        (
                            "blocks/endpoint",
                            json!({
                                "id": asset.id,
                                "tier": asset.tier,
                                "module": tf_name("endpoint", &asset.id),
                                "source": self.sources[2],
                                "name": scoped_name(project, name_id, 48),
                                "zone_id": e.zone_id,
                                "domain": e.domain,
                                "primary": target(&e.primary),
                                "secondary": target(&e.secondary),
                                "health_check": {
                                    "protocol": hc.protocol.as_str(),
                                    "port": hc.port,
                                    "path": if hc.protocol == crate::input::Protocol::Tcp { Value::Null } else { json!(hc.path) },
                                    "request_interval": hc.interval,
                                    "failure_threshold": hc.failure_threshold,
                                },
                                "ttl": e.ttl,
                                "detection": Dur::secs(u64::from(hc.interval) * u64::from(hc.failure_threshold)).to_string(),
                                "tags": asset.tags,
                            }),
                        )
                    }
                }
            }
        }
    }
}

/// A backup plan key: `<tier>-<profile>[-<chunk>]`, at most 29 characters (the
/// backup module names plans `<name>-<key>` within AWS's 50), unique among `taken`:
/// a tier name that had to be shortened, or that slugs like another, gets a hash
/// of its full name.
fn plan_key(tier: &str, profile: &str, chunk: &str, taken: &Map<String, Value>) -> String {
    const MAX: usize = 29;
    let room = MAX - profile.len() - chunk.len() - 1;
    let full = slug(tier);
    let plain = format!("{full}-{profile}{chunk}");
    if full.len() <= room && full == tier && !taken.contains_key(&plain) {
        return plain;
    }
    let hash = format!("{:08x}", fnv1a(tier.as_bytes()));
    let keep: String = full.chars().take(room.saturating_sub(7)).collect();
    let keep = keep.trim_end_matches('-');
    let short = if keep.is_empty() {
        format!("t{}", &hash[..6])
    } else {
        format!("{keep}-{}", &hash[..6])
    };
    format!("{short}-{profile}{chunk}")
}

fn backup_context(
    inv: &Inventory,
    project: &str,
    mut plans: Vec<(PlanKey, Vec<String>, Vec<String>)>,
) -> Value {
    if plans.is_empty() {
        return Value::Null;
    }
    plans.sort_by(|a, b| {
        (&a.0.tier, a.0.frequency, a.0.continuous, a.0.copy).cmp(&(
            &b.0.tier,
            b.0.frequency,
            b.0.continuous,
            b.0.copy,
        ))
    });
    let name: String = project
        .chars()
        .take(20)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned();
    let mut out = Map::new();
    let mut primary_days = Vec::new();
    let mut secondary_days = Vec::new();
    for (key, rds, s3) in plans {
        let tier = &inv.tiers[&key.tier];
        let retention = days(tier.retention);
        let copy_days = key.copy.then_some(retention);
        let mut rules = Vec::new();
        let freq_minutes = key.frequency.as_secs() / 60;
        let completion = freq_minutes.clamp(120, 10_080);
        if key.continuous {
            // Continuous backups live at most 35 days; longer retention gets a
            // snapshot rule next to it. Copies of continuous backups are snapshots.
            let cont_days = retention.min(35);
            rules.push(json!({
                "name": "continuous",
                "schedule": cron_for(key.frequency),
                "start_window_minutes": 60,
                "completion_window_minutes": completion,
                "delete_after_days": cont_days,
                "cold_storage_after_days": null,
                "continuous": true,
                "copy_delete_after_days": if retention <= 35 { json!(copy_days) } else { Value::Null },
            }));
            primary_days.push(cont_days);
            if retention > 35 {
                rules.push(json!({
                    "name": "snapshots",
                    "schedule": cron_for(Dur::hours(24)),
                    "start_window_minutes": 60,
                    "completion_window_minutes": 1440,
                    "delete_after_days": retention,
                    "cold_storage_after_days": null,
                    "continuous": false,
                    "copy_delete_after_days": copy_days,
                }));
                primary_days.push(retention);
            }
        } else {
            rules.push(json!({
                "name": "scheduled",
                "schedule": cron_for(key.frequency),
                "start_window_minutes": 60,
                "completion_window_minutes": completion,
                "delete_after_days": retention,
                "cold_storage_after_days": null,
                "continuous": false,
                "copy_delete_after_days": copy_days,
            }));
            primary_days.push(retention);
        }
        secondary_days.extend(copy_days);
        let profile = format!(
            "{}{}{}",
            if key.continuous { "pitr-" } else { "" },
            key.frequency,
            if key.copy { "-copy" } else { "" }
        );
        // Restore testing takes at most 30 resources of a type per selection, so
        // large plans are split into numbered chunks.
        let chunks = rds.len().max(s3.len()).div_ceil(MAX_PER_SELECTION).max(1);
        for c in 0..chunks {
            let part = |v: &Vec<String>| -> Vec<String> {
                v.iter()
                    .skip(c * MAX_PER_SELECTION)
                    .take(MAX_PER_SELECTION)
                    .cloned()
                    .collect()
            };
            let chunk = if chunks == 1 {
                String::new()
            } else {
                format!("-{}", c + 1)
            };
            let plan_key = plan_key(&key.tier, &profile, &chunk, &out);
            out.insert(
                plan_key,
                json!({
                    "rules": rules,
                    "rds_instances": part(&rds),
                    "s3_buckets": part(&s3),
                    "restore_testing": {
                        "schedule": "cron(0 6 ? * MON *)",
                        "selection_window_days": 7,
                        "validation_window_hours": 4,
                    },
                }),
            );
        }
    }
    let lock = |days: &[u64]| -> Value {
        // The lock range must hold every rule's retention (AWS fails jobs outside it).
        // The minimum is rounded down to a step and the maximum left at AWS's
        // limit, so ordinary tier changes do not force replacing the lock.
        let min = days.iter().copied().min().unwrap_or(1);
        let floor = [30, 14, 7, 1].into_iter().find(|s| *s <= min).unwrap_or(1);
        json!({"min_retention_days": floor, "max_retention_days": 36_500})
    };
    let secondary = if secondary_days.is_empty() {
        lock(&primary_days)
    } else {
        lock(&secondary_days)
    };
    let compliance = inv.project.immutable_backups;
    json!({
        "name": name,
        "lock_mode": if compliance { "compliance" } else { "governance" },
        "changeable_for_days": if compliance { json!(3) } else { Value::Null },
        "primary_lock": lock(&primary_days),
        "secondary_lock": secondary,
        "plans": out,
    })
}

/// Render the root module and copy the modules it calls.
pub fn render(
    inv: &Inventory,
    rec: &Recovery,
    opts: &Options,
) -> anyhow::Result<Vec<GeneratedFile>> {
    render_with(inv, rec, opts, crate::par::threads())
}

/// [`render`] on `threads` threads; the output does not depend on their number.
pub fn render_with(
    inv: &Inventory,
    rec: &Recovery,
    opts: &Options,
    threads: usize,
) -> anyhow::Result<Vec<GeneratedFile>> {
    Ok(render_pieces(inv, rec, opts, threads)?
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
    opts: &Options,
    threads: usize,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let cx = context(inv, rec, opts);
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
    files.extend(
        module_files(opts)
            .into_iter()
            .map(|f| (f.path, vec![f.contents])),
    );
    Ok(files)
}

/// The names of the Terraform files of the root module.
pub fn file_names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|(name, _)| *name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_aws_limits() {
        assert_eq!(scoped_name("shop", "orders-db", 40), "shop-orders-db");
        let long = scoped_name(
            "a-very-long-project-name",
            "an-even-longer-asset-identifier",
            40,
        );
        assert!(long.len() <= 40, "{long}");
        assert_eq!(
            long,
            scoped_name(
                "a-very-long-project-name",
                "an-even-longer-asset-identifier",
                40
            )
        );
        assert!(!scoped_name("p", "a--b", 40).contains("--"));
        let b = destination_bucket(&"x".repeat(60), "ap-southeast-2", None);
        assert!(
            b.len() <= 63 && crate::model::lower::names::check_bucket(&b).is_ok(),
            "{b}"
        );
        assert_eq!(
            destination_bucket("web.media", "us-west-2", None),
            "web-media-dr-us-west-2"
        );
    }

    #[test]
    fn schedules() {
        assert_eq!(cron_for(Dur::hours(1)), "cron(0 * ? * * *)");
        assert_eq!(cron_for(Dur::hours(6)), "cron(0 */6 ? * * *)");
        assert_eq!(cron_for(Dur::hours(24)), "cron(0 5 ? * * *)");
    }
}
