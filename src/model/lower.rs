//! Lowering: from the parsed tree and the input schema to the checked [`Inventory`].
//!
//! Runs the schema check, deserializes every subtree that passed, then checks
//! values (durations, regions, ids, AWS names) with located diagnostics. Broken
//! assets are left out of the model but their ids stay known, so one typo does not
//! cascade into "unknown dependency" errors elsewhere.

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use super::params::Value as ParamValue;
use super::{
    Asset, AssetKind, Dur, Endpoint, HealthCheck, Inventory, Measured, Objective, Params, Project,
    Rds, RdsChoices, S3, S3Choices, Scenario, Target, Tier, tiers,
};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::input::{self, Protocol};
use crate::parse::{Node, NodeKind, PathSeg};
use crate::schema::Checker;
use crate::source::Span;

/// What lowering produced: the model (when the project itself is usable) and the
/// ids of every declared asset, broken or not.
pub struct Lowered {
    pub inventory: Option<Inventory>,
    pub declared_ids: Vec<String>,
}

pub fn lower(root: &Node, diags: &mut Diagnostics) -> Lowered {
    let schema = input::schema_ref();
    let mut checker = Checker::new(schema);
    checker.check(root, &root.span, schema, &mut Vec::new());
    let broken = std::mem::take(&mut checker.broken);
    diags.extend(std::mem::take(&mut checker.diags));
    let is_broken = |prefix: &[PathSeg]| broken.iter().any(|p| p.starts_with(prefix));
    // Assets with a schema error, by id: one lookup per asset rather than a scan
    // of every error (a schema change can break every asset of a large inventory).
    let broken_assets: std::collections::HashSet<&str> = broken
        .iter()
        .filter_map(|p| match p.as_slice() {
            [PathSeg::Key(a), PathSeg::Key(id), ..] if a == "asset" => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let mut cx = Cx { root, diags };
    cx.check_strings(root, &mut Vec::new());

    let project = cx.project(&is_broken);
    let tiers = cx.tiers(&is_broken);
    let params = cx.params(&is_broken);

    // Assets lower independently, so they lower on every core, in contiguous runs
    // whose results and diagnostics are merged in written order: the outcome does
    // not depend on the number of threads.
    let entries = root
        .get("asset")
        .map(|m| m.value.entries())
        .unwrap_or_default();
    let lower_run = |run: &[&crate::parse::Entry], diags: &mut Diagnostics| {
        let mut cx = Cx { root, diags };
        let mut assets = Vec::new();
        for entry in run {
            let path = [key("asset"), key(&entry.key)];
            if !valid_id(&entry.key) {
                cx.diags.push(
                    Diagnostic::new(
                        Code::Id,
                        entry.key_span.clone(),
                        format!("invalid asset id `{}`", entry.key),
                    )
                    .label("ids must match ^[a-z][a-z0-9-]{0,38}[a-z0-9]$")
                    .hint(id_hint(&entry.key)),
                );
                continue;
            }
            if broken_assets.contains(entry.key.as_str()) {
                // Still check what can be checked, so every problem is reported; the
                // asset stays out of the model.
                if let Ok(raw) = serde_json::from_value::<input::Asset>(entry.value.to_json()) {
                    cx.asset(&entry.key, &entry.key_span, &path, raw, &tiers);
                }
                continue;
            }
            let Some(raw) = cx.deserialize::<input::Asset>(&entry.value) else {
                continue;
            };
            if let Some(asset) = cx.asset(&entry.key, &entry.key_span, &path, raw, &tiers) {
                assets.push(asset);
            }
        }
        assets
    };
    let declared_ids: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
    let mut assets = Vec::new();
    let runs = crate::par::runs(&entries, 64, |run| {
        let mut d = Diagnostics::default();
        (lower_run(run, &mut d), d)
    });
    for (run, d) in runs {
        assets.extend(run);
        cx.diags.extend(d);
    }
    assets.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(project) = &project {
        for a in &assets {
            if let AssetKind::S3(S3 {
                kms_key_arn: Some(arn),
                ..
            }) = &a.kind
            {
                let region = arn.split(':').nth(3).unwrap_or_default();
                if region != project.primary_region {
                    let span = cx.span(&[key("asset"), key(&a.id), key("kms_key_arn")]);
                    cx.diags.push(
                        Diagnostic::new(
                            Code::AwsName,
                            span,
                            format!(
                                "the key is in `{region}`, the bucket in the primary Region `{}`",
                                project.primary_region
                            ),
                        )
                        .label("an S3 bucket's SSE-KMS key lives in the bucket's Region")
                        .hint("give the ARN of the key the bucket's default encryption uses"),
                    );
                }
            }
        }
    }
    cx.check_renames(&assets, &declared_ids);
    if declared_ids.is_empty() && root.get("project").is_some() {
        let span = root
            .get("project")
            .map(|e| e.key_span.clone())
            .unwrap_or_else(|| root.span.clone());
        cx.diags.push(
            Diagnostic::new(Code::EmptyInventory, span, "the inventory has no `asset` blocks")
                .label("a project with nothing to recover")
                .hint("add at least one asset: `asset \"<id>\" { kind = \"rds\" ... }` (see `lifeboat init`)"),
        );
    }
    if project.is_none() && !cx.diags.has_errors() {
        cx.diags.push(
            Diagnostic::new(Code::Project, root.span.clone(), "the inventory has no `project` block")
                .hint("add `project \"<name>\" { primary_region = \"us-east-1\" secondary_region = \"us-west-2\" }`"),
        );
    }
    let inventory = project.map(|project| Inventory {
        project,
        tiers,
        params,
        assets,
    });
    Lowered {
        inventory,
        declared_ids,
    }
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

struct Cx<'a> {
    root: &'a Node,
    diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    /// Span of the value at `path`, falling back to the closest ancestor.
    fn span(&self, path: &[PathSeg]) -> Span {
        (0..=path.len())
            .rev()
            .find_map(|n| self.root.at(&path[..n]))
            .map_or_else(|| self.root.span.clone(), |n| n.span.clone())
    }

    fn key_span(&self, path: &[PathSeg]) -> Span {
        self.root
            .entry_at(path)
            .map_or_else(|| self.span(path), |e| e.key_span.clone())
    }

    fn deserialize<T: DeserializeOwned>(&mut self, node: &Node) -> Option<T> {
        match serde_json::from_value(node.to_json()) {
            Ok(v) => Some(v),
            Err(e) => {
                // The schema check passed, so this is lifeboat's bug, not the user's.
                self.diags.push(Diagnostic::new(
                    Code::WrongType,
                    node.span.clone(),
                    format!("internal: the schema accepted this but it does not deserialize: {e}"),
                ));
                None
            }
        }
    }

    fn duration(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let text = text.as_ref()?;
        match Dur::parse(text) {
            Ok(d) => Some(d),
            Err(why) => {
                let span = self.span(path);
                self.diags.push(
                    Diagnostic::new(Code::Duration, span, format!("invalid duration `{text}`"))
                        .label(why)
                        .hint("write durations like \"90s\", \"15m\", \"1h30m\" or \"35d\""),
                );
                None
            }
        }
    }

    /// Every string in the inventory: no control characters (tab and newline only
    /// in descriptions), no bidirectional overrides, at most 4096 bytes.
    fn check_strings(&mut self, node: &Node, path: &mut Vec<PathSeg>) {
        match &node.kind {
            NodeKind::Str(s) => {
                let free_text = matches!(path.last(), Some(PathSeg::Key(k)) if k == "description" || k == "owner");
                if let Some(bad) = s.chars().find(|c| {
                    (c.is_control() && !(free_text && (*c == '\n' || *c == '\t')))
                        || is_bidi_control(*c)
                }) {
                    self.diags.push(Diagnostic::new(Code::AwsName, node.span.clone(), format!("a string here may not contain the character U+{:04X}", bad as u32))
                        .label("invisible or control character")
                        .hint("control characters and bidirectional overrides can hide what a value really says; remove it"));
                } else if s.len() > 4096 {
                    self.diags.push(
                        Diagnostic::new(
                            Code::AwsName,
                            node.span.clone(),
                            format!("string of {} bytes is too long (at most 4096)", s.len()),
                        )
                        .label("too long"),
                    );
                }
            }
            NodeKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    self.check_strings(item, path);
                    path.pop();
                }
            }
            NodeKind::Map(entries) => {
                for e in entries.values() {
                    if let Some(bad) = e
                        .key
                        .chars()
                        .find(|c| c.is_control() || is_bidi_control(*c))
                    {
                        self.diags.push(Diagnostic::new(
                            Code::AwsName,
                            e.key_span.clone(),
                            format!(
                                "a name here may not contain the character U+{:04X}",
                                bad as u32
                            ),
                        ));
                    }
                    path.push(PathSeg::Key(e.key.clone()));
                    self.check_strings(&e.value, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn project(&mut self, is_broken: &dyn Fn(&[PathSeg]) -> bool) -> Option<Project> {
        let map = self.root.get("project")?;
        let entries = map.value.entries();
        if entries.len() > 1 {
            let first = entries[0].key_span.clone();
            for extra in &entries[1..] {
                self.diags.push(
                    Diagnostic::new(
                        Code::Project,
                        extra.key_span.clone(),
                        format!("a second `project` block (`{}`)", extra.key),
                    )
                    .label("one inventory has exactly one project")
                    .note(first.clone(), "the first project")
                    .hint("merge the two project blocks into one"),
                );
            }
        }
        let entry = entries.first()?;
        let path = [key("project"), key(&entry.key)];
        self.name_label(&entry.key, &entry.key_span, "project");
        let broken = is_broken(&path);
        let raw: input::Project = if broken {
            // Check what can be checked; the project stays unusable.
            serde_json::from_value(entry.value.to_json()).ok()?
        } else {
            self.deserialize(&entry.value)?
        };
        let p = |k: &str| [path[0].clone(), path[1].clone(), key(k)];
        let mut ok = true;
        for (field, region) in [
            ("primary_region", &raw.primary_region),
            ("secondary_region", &raw.secondary_region),
        ] {
            ok &= self.region(&p(field), region);
        }
        if ok && raw.primary_region == raw.secondary_region {
            let span = self.span(&p("secondary_region"));
            let first = self.span(&p("primary_region"));
            self.diags.push(
                Diagnostic::new(
                    Code::SameRegion,
                    span,
                    format!(
                        "the secondary Region is the primary Region `{}`",
                        raw.primary_region
                    ),
                )
                .label("must differ from primary_region")
                .note(first, "primary_region is set here")
                .hint("choose another Region to recover into, e.g. one in the same geography"),
            );
        }
        self.tags(&p("tags"), &raw.tags);
        for (i, email) in raw.alert_emails.iter().enumerate() {
            if let Err(why) = check_email(email) {
                let mut path = p("alert_emails").to_vec();
                path.push(PathSeg::Index(i));
                let span = self.span(&path);
                self.diags.push(
                    Diagnostic::new(
                        Code::AwsName,
                        span,
                        format!("`{email}` is not an e-mail address SNS would accept"),
                    )
                    .label(why),
                );
            }
        }
        if broken {
            return None;
        }
        Some(Project {
            name: entry.key.clone(),
            primary_region: raw.primary_region,
            secondary_region: raw.secondary_region,
            tags: raw.tags,
            alert_emails: raw.alert_emails,
            immutable_backups: raw.immutable_backups,
            span: entry.key_span.clone(),
        })
    }

    /// Project and tier names are free text in the spec; they must be usable in
    /// AWS names after [`super::slug`], so at least one letter or digit.
    fn name_label(&mut self, name: &str, span: &Span, what: &str) -> bool {
        if super::slug(name).is_empty() || name.chars().count() > 64 {
            self.diags.push(
                Diagnostic::new(
                    Code::Id,
                    span.clone(),
                    format!("invalid {what} name `{name}`"),
                )
                .label("needs 1-64 characters, with at least one letter or digit")
                .hint(format!(
                    "{what} names end up in AWS resource names; e.g. `my-app`"
                )),
            );
            return false;
        }
        true
    }

    fn region(&mut self, path: &[PathSeg], region: &str) -> bool {
        if valid_region(region) {
            return true;
        }
        let span = self.span(path);
        let hint = did_you_mean(region, KNOWN_REGIONS.iter().copied())
            .map(|r| format!("did you mean `{r}`?"))
            .unwrap_or_else(|| {
                "Region codes look like `us-east-1`, `eu-west-2` or `us-gov-west-1`".into()
            });
        self.diags.push(
            Diagnostic::new(
                Code::Region,
                span,
                format!("`{region}` is not an AWS Region code"),
            )
            .label("not a Region")
            .hint(hint),
        );
        false
    }

    fn tags(&mut self, path: &[PathSeg], tags: &IndexMap<String, String>) {
        for (k, v) in tags {
            let mut p = path.to_vec();
            p.push(key(k));
            let why = check_tag(k, v);
            if let Some((on_key, why)) = why {
                let span = if on_key {
                    self.key_span(&p)
                } else {
                    self.span(&p)
                };
                self.diags.push(Diagnostic::new(Code::AwsName, span, format!("tag `{k}` would be rejected by AWS"))
                    .label(why)
                    .hint("tag keys: 1-128 characters, values: up to 256, of letters, digits, spaces and _ . : / = + - @; keys may not start with `aws:`"));
            }
        }
    }

    fn tiers(&mut self, is_broken: &dyn Fn(&[PathSeg]) -> bool) -> IndexMap<String, Tier> {
        let mut tiers: IndexMap<String, Tier> = tiers::BUILTIN
            .iter()
            .map(|n| (n.to_string(), tiers::builtin(n).expect("built-in")))
            .collect();
        let Some(map) = self.root.get("tier") else {
            return tiers;
        };
        for entry in map.value.entries() {
            let path = [key("tier"), key(&entry.key)];
            if !self.name_label(&entry.key, &entry.key_span, "tier") {
                continue;
            }
            let broken = is_broken(&path);
            let raw = if broken {
                // Keep the name known so assets using it do not cascade.
                tiers.insert(entry.key.clone(), placeholder_tier(&entry.key));
                match serde_json::from_value::<input::Tier>(entry.value.to_json()) {
                    Ok(raw) => raw,
                    Err(_) => continue,
                }
            } else {
                match self.deserialize::<input::Tier>(&entry.value) {
                    Some(raw) => raw,
                    None => continue,
                }
            };
            let p = |k: &[&str]| {
                let mut v = path.to_vec();
                v.extend(k.iter().map(|s| key(s)));
                v
            };
            let rpo = self.objective_dur(&p(&["rpo"]), &raw.rpo);
            let rto = self.objective_dur(&p(&["rto"]), &raw.rto);
            let mut objectives = [Objective { rpo, rto }; 3];
            for (s, o) in [
                (Scenario::Az, &raw.scenario.az),
                (Scenario::Region, &raw.scenario.region),
                (Scenario::Corruption, &raw.scenario.corruption),
            ] {
                let Some(o) = o else { continue };
                let name = s.as_str();
                if let Some(d) = self.objective_dur(&p(&["scenario", name, "rpo"]), &o.rpo) {
                    objectives[s.index()].rpo = Some(d);
                }
                if let Some(d) = self.objective_dur(&p(&["scenario", name, "rto"]), &o.rto) {
                    objectives[s.index()].rto = Some(d);
                }
            }
            let retention = match self.duration(&p(&["retention"]), &raw.retention) {
                Some(d) if d < Dur::days(1) || d > Dur::days(36_500) => {
                    let span = self.span(&p(&["retention"]));
                    self.diags.push(Diagnostic::new(Code::VaultLock, span, format!("retention `{d}` is outside what AWS Backup Vault Lock allows"))
                        .label("must be between 1d and 36500d")
                        .hint("AWS Backup fails jobs whose retention is outside the vault lock range [1 day, 36500 days]"));
                    tiers::DEFAULT_RETENTION
                }
                Some(d) => d,
                None => tiers::DEFAULT_RETENTION,
            };
            if broken {
                continue;
            }
            tiers.insert(
                entry.key.clone(),
                Tier {
                    name: entry.key.clone(),
                    builtin: false,
                    objectives,
                    retention,
                    span: Some(entry.key_span.clone()),
                },
            );
        }
        tiers
    }

    fn objective_dur(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d == Dur::ZERO {
            let span = self.span(path);
            self.diags.push(Diagnostic::new(Code::ZeroObjective, span, "an objective of zero can never be met")
                .label("no estimate can promise zero")
                .hint("AWS Resilience Hub counts an RTO or RPO of 0 as always breached; write the smallest loss or downtime you accept, e.g. \"1m\""));
            return None;
        }
        Some(d)
    }

    fn measured_dur(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d == Dur::ZERO {
            let span = self.span(path);
            self.diags.push(
                Diagnostic::new(
                    Code::ZeroObjective,
                    span,
                    "a measured duration of zero is not a measurement",
                )
                .label("nothing recovers in no time")
                .hint("record the duration the drill actually took, e.g. \"12m\""),
            );
            return None;
        }
        Some(d)
    }

    fn params(&mut self, is_broken: &dyn Fn(&[PathSeg]) -> bool) -> Params {
        let mut params = Params::default();
        let Some(entry) = self.root.get("assumptions") else {
            return params;
        };
        if is_broken(&[key("assumptions")]) {
            return params;
        }
        for e in entry.value.entries() {
            let path = [key("assumptions"), key(&e.key)];
            let value = match &e.value.kind {
                NodeKind::Str(s) => match self.duration(&path, &Some(s.clone())) {
                    Some(d) => ParamValue::Duration(d),
                    None => continue,
                },
                NodeKind::Number(n) => ParamValue::Number(n.as_f64().unwrap_or(f64::NAN)),
                _ => continue, // the schema check reported it
            };
            if let Err(expected) = params.set(&e.key, value) {
                self.diags.push(
                    Diagnostic::new(
                        Code::Assumption,
                        e.value.span.clone(),
                        format!("assumption `{}` must be {expected}", e.key),
                    )
                    .label("invalid value"),
                );
            }
        }
        params
    }

    fn asset(
        &mut self,
        id: &str,
        id_span: &Span,
        path: &[PathSeg],
        raw: input::Asset,
        tiers: &IndexMap<String, Tier>,
    ) -> Option<Asset> {
        let p = |k: &[&str]| {
            let mut v = path.to_vec();
            v.extend(k.iter().map(|s| key(s)));
            v
        };
        let common = raw.common().clone();
        let tier_span = self.span(&p(&["tier"]));
        let mut ok = true;
        if !tiers.contains_key(&common.tier) {
            ok = false;
            let hint = did_you_mean(&common.tier, tiers.keys().map(String::as_str))
                .map(|t| format!("did you mean `{t}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "tiers are {}; or declare `tier \"{}\" {{ ... }}`",
                        tiers
                            .keys()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        common.tier
                    )
                });
            self.diags.push(
                Diagnostic::new(
                    Code::UnknownTier,
                    tier_span.clone(),
                    format!("unknown tier `{}` in asset `{id}`", common.tier),
                )
                .label("neither built in nor declared")
                .hint(hint),
            );
        }
        let depends_on_spans = (0..common.depends_on.len())
            .map(|i| {
                let mut v = p(&["depends_on"]);
                v.push(PathSeg::Index(i));
                self.span(&v)
            })
            .collect();
        for (i, prev) in common.previously.iter().enumerate() {
            if !valid_id(prev) {
                let mut v = p(&["previously"]);
                v.push(PathSeg::Index(i));
                let span = self.span(&v);
                self.diags.push(
                    Diagnostic::new(Code::Id, span, format!("invalid previous id `{prev}`"))
                        .hint(id_hint(prev)),
                );
                ok = false;
            }
        }
        self.tags(&p(&["tags"]), &common.tags);
        let measured = common.measured.clone().unwrap_or_default();
        let measured = Measured {
            restore: self.measured_dur(&p(&["measured", "restore"]), &measured.restore),
            failover: self.measured_dur(&p(&["measured", "failover"]), &measured.failover),
        };
        let kind = match raw {
            input::Asset::Rds(r) => {
                if let Err(why) = check_db_identifier(&r.identifier) {
                    let span = self.span(&p(&["identifier"]));
                    self.diags.push(Diagnostic::new(Code::AwsName, span, format!("`{}` is not a valid DB instance identifier", r.identifier))
                        .label(why)
                        .hint("1-63 letters, digits or hyphens, starting with a letter; no two hyphens in a row; not ending with a hyphen"));
                    ok = false;
                }
                let dr = r.dr.unwrap_or_default();
                let frequency =
                    self.frequency(&p(&["dr", "backup_frequency"]), &dr.backup_frequency);
                let wants_replica =
                    dr.read_replica == Some(true) || dr.replica_instance_class.is_some();
                if wants_replica
                    && !crate::check::mechanisms::engine_allows_cross_region_replica(r.engine)
                {
                    let field = if dr.read_replica == Some(true) {
                        "read_replica"
                    } else {
                        "replica_instance_class"
                    };
                    let span = self.key_span(&p(&["dr", field]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::Choice,
                            span,
                            format!(
                                "AWS offers no cross-Region read replica for engine `{}`",
                                r.engine.as_str()
                            ),
                        )
                        .label("not possible for this engine")
                        .hint("RDS supports cross-Region read replicas for PostgreSQL, MySQL, MariaDB, Oracle Enterprise Edition and SQL Server Enterprise Edition; use `backup_replication = true` (cross-Region automated backups) instead"),
                    );
                    ok = false;
                }
                if let Some(class) = &dr.replica_instance_class {
                    if !valid_instance_class(class) {
                        let span = self.span(&p(&["dr", "replica_instance_class"]));
                        self.diags.push(
                            Diagnostic::new(
                                Code::AwsName,
                                span,
                                format!("`{class}` is not an RDS instance class"),
                            )
                            .label("expected e.g. `db.r6g.large`"),
                        );
                        ok = false;
                    }
                    if dr.read_replica == Some(false) {
                        let span = self.span(&p(&["dr", "replica_instance_class"]));
                        self.diags.push(
                            Diagnostic::new(
                                Code::Choice,
                                span,
                                "`replica_instance_class` is set but `read_replica = false`",
                            )
                            .hint("remove one of the two"),
                        );
                        ok = false;
                    }
                }
                AssetKind::Rds(Rds {
                    identifier: r.identifier,
                    engine: r.engine,
                    storage_gb: r.storage_gb,
                    multi_az: r.multi_az,
                    encrypted: r.encrypted,
                    dr: RdsChoices {
                        read_replica: dr.read_replica,
                        replica_instance_class: dr.replica_instance_class,
                        continuous_backup: dr.continuous_backup,
                        backup_frequency: frequency,
                        cross_region_copy: dr.cross_region_copy,
                        backup_replication: dr.backup_replication,
                    },
                })
            }
            input::Asset::S3(s) => {
                if let Err(why) = check_bucket(&s.bucket) {
                    let span = self.span(&p(&["bucket"]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::AwsName,
                            span,
                            format!("`{}` is not a valid S3 bucket name", s.bucket),
                        )
                        .label(why)
                        .hint(BUCKET_RULES),
                    );
                    ok = false;
                }
                if let Some(arn) = &s.kms_key_arn
                    && !valid_kms_key_arn(arn)
                {
                    let span = self.span(&p(&["kms_key_arn"]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::AwsName,
                            span,
                            format!("`{arn}` is not a KMS key ARN"),
                        )
                        .label("expected arn:<partition>:kms:<region>:<account>:key/<key-id>")
                        .hint(
                            "use the key ARN (not an alias) of the bucket's default encryption key",
                        ),
                    );
                    ok = false;
                }
                let dr = s.dr.unwrap_or_default();
                if let Some(dest) = &dr.destination_bucket {
                    if let Err(why) = check_bucket(dest) {
                        let span = self.span(&p(&["dr", "destination_bucket"]));
                        self.diags.push(
                            Diagnostic::new(
                                Code::AwsName,
                                span,
                                format!("`{dest}` is not a valid S3 bucket name"),
                            )
                            .label(why)
                            .hint(BUCKET_RULES),
                        );
                        ok = false;
                    } else if dest.ends_with("-an") {
                        let span = self.span(&p(&["dr", "destination_bucket"]));
                        self.diags.push(
                            Diagnostic::new(Code::AwsName, span, format!("`{dest}` ends in `-an`, which S3 reserves for account-regional bucket names"))
                                .label("reserved suffix")
                                .hint("choose a name that does not end in `-an`"),
                        );
                        ok = false;
                    } else if dest.contains('.') {
                        let span = self.span(&p(&["dr", "destination_bucket"]));
                        self.diags.push(
                            Diagnostic::new(
                                Code::AwsName,
                                span,
                                format!("`{dest}` has dots; the replica bucket must not"),
                            )
                            .label(
                                "dotted bucket names break HTTPS (virtual-hosted TLS certificates)",
                            )
                            .hint("use hyphens instead of dots"),
                        );
                        ok = false;
                    } else if dest == &s.bucket {
                        let span = self.span(&p(&["dr", "destination_bucket"]));
                        self.diags.push(Diagnostic::new(Code::Choice, span, "the destination bucket is the source bucket")
                            .hint("bucket names are global: name a new bucket in the secondary Region"));
                        ok = false;
                    }
                }
                if dr.replication == Some(false) {
                    for field in [
                        "replication_time_control",
                        "replicate_deletes",
                        "destination_bucket",
                    ] {
                        let set = match field {
                            "replication_time_control" => dr.replication_time_control == Some(true),
                            "replicate_deletes" => dr.replicate_deletes == Some(true),
                            _ => dr.destination_bucket.is_some(),
                        };
                        if set {
                            let span = self.key_span(&p(&["dr", field]));
                            self.diags.push(Diagnostic::new(Code::Choice, span, format!("`{field}` is set but `replication = false`"))
                                .hint("it only applies to replication: enable replication or remove it"));
                            ok = false;
                        }
                    }
                }
                let frequency =
                    self.frequency(&p(&["dr", "backup_frequency"]), &dr.backup_frequency);
                AssetKind::S3(S3 {
                    bucket: s.bucket,
                    kms_key_arn: s.kms_key_arn,
                    size_gb: s.size_gb,
                    dr: S3Choices {
                        replication: dr.replication,
                        replication_time_control: dr.replication_time_control,
                        replicate_deletes: dr.replicate_deletes,
                        destination_bucket: dr.destination_bucket,
                        continuous_backup: dr.continuous_backup,
                        cross_region_copy: dr.cross_region_copy,
                        backup_frequency: frequency,
                    },
                })
            }
            input::Asset::Endpoint(e) => match self.endpoint(&p(&[]), e) {
                Some(endpoint) => AssetKind::Endpoint(endpoint),
                None => return None,
            },
        };
        if !ok {
            return None;
        }
        Some(Asset {
            id: id.to_owned(),
            tier: common.tier,
            depends_on: common.depends_on,
            description: common.description,
            owner: common.owner,
            tags: common.tags,
            previously: common.previously,
            measured,
            kind,
            span: id_span.clone(),
            depends_on_spans,
            tier_span,
        })
    }

    fn frequency(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d < Dur::hours(1) {
            let span = self.span(path);
            self.diags.push(Diagnostic::new(Code::Choice, span, format!("backup frequency `{d}` is more often than AWS Backup allows"))
                .label("AWS Backup schedules run at most hourly")
                .hint("use `continuous_backup = true` for point-in-time recovery, or a frequency of at least \"1h\""));
            return None;
        }
        Some(d)
    }

    fn endpoint(&mut self, path: &[PathSeg], e: input::EndpointAsset) -> Option<Endpoint> {
        let p = |k: &[&str]| {
            let mut v = path.to_vec();
            v.extend(k.iter().map(|s| key(s)));
            v
        };
        let mut ok = true;
        if !valid_zone_id(&e.zone_id) {
            let span = self.span(&p(&["zone_id"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a Route 53 hosted zone id", e.zone_id),
                )
                .label(
                    "expected `Z` then upper-case letters and digits, e.g. `Z0123456789ABCDEFGHIJ`",
                ),
            );
            ok = false;
        }
        if let Err(why) = check_dns_name(&e.domain, true) {
            let span = self.span(&p(&["domain"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a valid domain name", e.domain),
                )
                .label(why),
            );
            ok = false;
        }
        let primary = self.target(&p(&["primary"]), &e.primary);
        let secondary = self.target(&p(&["secondary"]), &e.secondary);
        let (Some(primary), Some(secondary)) = (primary, secondary) else {
            return None;
        };
        if primary == secondary {
            let span = self.key_span(&p(&["secondary"]));
            let first = self.key_span(&p(&["primary"]));
            self.diags.push(
                Diagnostic::new(
                    Code::Endpoint,
                    span,
                    "the secondary target is the primary target",
                )
                .label("failover would go nowhere")
                .note(first, "the primary target")
                .hint("point `secondary` at what serves in the secondary Region"),
            );
            ok = false;
        }
        let hc = e.health_check.unwrap_or_default();
        let protocol = hc.protocol.unwrap_or(Protocol::Https);
        let interval = hc.interval.unwrap_or(30);
        if interval != 10 && interval != 30 {
            let span = self.span(&p(&["health_check", "interval"]));
            self.diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("health check interval {interval} is not supported by Route 53"),
                )
                .label("must be 10 or 30 (seconds)"),
            );
            ok = false;
        }
        if let Some(path_str) = &hc.path {
            if protocol == Protocol::Tcp {
                let span = self.key_span(&p(&["health_check", "path"]));
                self.diags.push(
                    Diagnostic::new(Code::Endpoint, span, "a TCP health check has no path")
                        .hint("remove `path`, or use protocol \"HTTPS\""),
                );
                ok = false;
            } else if !path_str.starts_with('/')
                || path_str.len() > 255
                || path_str.chars().any(char::is_whitespace)
            {
                let span = self.span(&p(&["health_check", "path"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        span,
                        format!("health check path `{path_str}` is not a URL path"),
                    )
                    .label("must start with `/`, no spaces, at most 255 characters"),
                );
                ok = false;
            }
        }
        let port = hc
            .port
            .unwrap_or(if protocol == Protocol::Http { 80 } else { 443 });
        if !ok {
            return None;
        }
        Some(Endpoint {
            zone_id: e.zone_id,
            domain: e.domain,
            primary,
            secondary,
            health_check: HealthCheck {
                protocol,
                port,
                path: hc.path.unwrap_or_else(|| "/".into()),
                interval,
                failure_threshold: hc.failure_threshold.unwrap_or(3),
            },
            ttl: e.ttl.unwrap_or(60),
        })
    }

    fn target(&mut self, path: &[PathSeg], t: &input::Target) -> Option<Target> {
        let block_span = self.key_span(path);
        let target = match (&t.hostname, &t.alias_name, &t.alias_zone_id) {
            (Some(h), None, None) => Target::Hostname(h.clone()),
            (None, Some(n), Some(z)) => Target::Alias {
                name: n.clone(),
                zone_id: z.clone(),
            },
            (None, Some(_), None) | (None, None, Some(_)) => {
                self.diags.push(Diagnostic::new(Code::Endpoint, block_span, "an alias target needs both `alias_name` and `alias_zone_id`")
                    .hint("alias_zone_id is the hosted zone of the target, e.g. the load balancer's canonical hosted zone id"));
                return None;
            }
            (None, None, None) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        block_span,
                        "a target needs `hostname`, or `alias_name` and `alias_zone_id`",
                    )
                    .hint("e.g. `hostname = \"app-use1.example.com\"`"),
                );
                return None;
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        block_span,
                        "a target is either a `hostname` or an alias, not both",
                    )
                    .hint("remove `hostname`, or remove `alias_name` and `alias_zone_id`"),
                );
                return None;
            }
        };
        let (name, field) = match &target {
            Target::Hostname(h) => (h, "hostname"),
            Target::Alias { name, .. } => (name, "alias_name"),
        };
        let mut field_path = path.to_vec();
        field_path.push(key(field));
        if let Err(why) = check_dns_name(name, false) {
            let span = self.span(&field_path);
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{name}` is not a valid host name"),
                )
                .label(why),
            );
            return None;
        }
        if let Target::Alias { zone_id, .. } = &target
            && !valid_zone_id(zone_id)
        {
            let mut zp = path.to_vec();
            zp.push(key("alias_zone_id"));
            let span = self.span(&zp);
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{zone_id}` is not a hosted zone id"),
                )
                .label("expected `Z` then upper-case letters and digits, e.g. `Z35SXDOTRQ7X7K`"),
            );
            return None;
        }
        Some(target)
    }

    fn check_renames(&mut self, assets: &[Asset], declared: &[String]) {
        let mut seen: IndexMap<&str, &str> = IndexMap::new();
        let declared: std::collections::HashSet<&str> =
            declared.iter().map(String::as_str).collect();
        for a in assets {
            for prev in &a.previously {
                if declared.contains(prev.as_str()) {
                    self.diags.push(Diagnostic::new(Code::Rename, a.span.clone(), format!("asset `{}` says it was previously `{prev}`, but `{prev}` still exists", a.id))
                        .hint(format!("remove `{prev}` from `previously`, or remove the asset `{prev}`")));
                } else if let Some(other) = seen.insert(prev, &a.id) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Rename,
                            a.span.clone(),
                            format!(
                                "`{prev}` is claimed as a previous id by both `{other}` and `{}`",
                                a.id
                            ),
                        )
                        .hint("a resource can move to one new address only"),
                    );
                }
            }
        }
    }
}

fn placeholder_tier(name: &str) -> Tier {
    Tier {
        name: name.to_owned(),
        builtin: false,
        objectives: [Objective::default(); 3],
        retention: tiers::DEFAULT_RETENTION,
        span: None,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// `^[a-z][a-z0-9-]{0,38}[a-z0-9]$`
pub fn valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

fn id_hint(s: &str) -> String {
    let fixed: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let fixed = fixed.trim_matches('-').to_owned();
    if valid_id(&fixed) {
        format!(
            "ids are 2-40 lower-case letters, digits and hyphens, starting with a letter; e.g. `{fixed}`"
        )
    } else {
        "ids are 2-40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen".into()
    }
}

pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// A Region code: `<geo>[-gov|-iso*]-<direction>-<n>`. New Regions follow the
/// pattern, so it is checked rather than a fixed list.
pub fn valid_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (geo, rest) = match parts.as_slice() {
        [geo, rest @ ..] => (*geo, rest),
        _ => return false,
    };
    let rest = match rest {
        [p, more @ ..] if matches!(*p, "gov" | "iso" | "isob" | "isoe" | "isof") => more,
        r => r,
    };
    let directions = [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    geo.len() == 2
        && geo.bytes().all(|c| c.is_ascii_lowercase())
        && matches!(rest, [dir, n] if directions.contains(dir)
            && (1..=2).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_digit()))
}

fn check_email(s: &str) -> Result<(), &'static str> {
    let (local, domain) = s.rsplit_once('@').ok_or("no `@`")?;
    if local.is_empty() || local.len() > 64 {
        return Err("the part before `@` must be 1-64 characters");
    }
    if s.len() > 254
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == ',')
    {
        return Err("spaces, quotes, commas and control characters are not allowed");
    }
    check_dns_name(&domain.to_ascii_lowercase(), false)
        .map_err(|_| "the domain after `@` is not a valid domain name")
}

fn check_tag(k: &str, v: &str) -> Option<(bool, &'static str)> {
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    if k.is_empty() || k.chars().count() > 128 {
        Some((true, "keys are 1-128 characters"))
    } else if k.to_ascii_lowercase().starts_with("aws:") {
        Some((true, "the `aws:` prefix is reserved"))
    } else if !k.chars().all(allowed) {
        Some((true, "key has a character AWS tags do not allow"))
    } else if v.chars().count() > 256 {
        Some((false, "values are at most 256 characters"))
    } else if !v.chars().all(allowed) {
        Some((false, "value has a character AWS tags do not allow"))
    } else {
        None
    }
}

fn check_db_identifier(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 63 {
        return Err("must be 1-63 characters");
    }
    if !b[0].is_ascii_alphabetic() {
        return Err("must start with a letter");
    }
    if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return Err("only letters, digits and hyphens");
    }
    if s.contains("--") || s.ends_with('-') {
        return Err("no two hyphens in a row, and no hyphen at the end");
    }
    Ok(())
}

const BUCKET_RULES: &str = "bucket names are 3-63 lower-case letters, digits, dots and hyphens, start and end with a letter or digit, and are not IP addresses";

pub fn check_bucket(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    if !(3..=63).contains(&b.len()) {
        return Err("must be 3-63 characters");
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
    {
        return Err("only lower-case letters, digits, dots and hyphens");
    }
    if !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return Err("must start and end with a letter or digit");
    }
    if s.contains("..") || s.contains(".-") || s.contains("-.") {
        return Err("no `..`, `.-` or `-.`");
    }
    if s.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("must not look like an IP address");
    }
    if ["xn--", "sthree-", "amzn-s3-demo-"]
        .iter()
        .any(|p| s.starts_with(p))
        || ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
            .iter()
            .any(|p| s.ends_with(p))
    {
        return Err("uses a prefix or suffix that S3 reserves");
    }
    Ok(())
}

/// A DNS name as Route 53 failover records and health checks take it (and as the
/// route53-failover module checks it): lower case, labels of 1-63 letters, digits,
/// hyphens or underscores (not at either end, no underscore in the last label), at
/// least two labels, at most 253 characters, no trailing dot.
pub fn check_dns_name(s: &str, _record_name: bool) -> Result<(), &'static str> {
    if s.is_empty() || s.len() > 253 {
        return Err("must be 1-253 characters");
    }
    if s.ends_with('.') {
        return Err("write it without the trailing dot");
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("write it in lower case (DNS names are case-insensitive)");
    }
    let labels: Vec<&str> = s.split('.').collect();
    if labels.len() < 2 {
        return Err("must have at least two labels, e.g. `app.example.com`");
    }
    for (i, label) in labels.iter().enumerate() {
        if *label == "*" {
            return Err("wildcard names are not supported for failover records");
        }
        if label.is_empty() || label.len() > 63 {
            return Err("each label between dots is 1-63 characters");
        }
        let last = i == labels.len() - 1;
        if !label.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || (c == b'_' && !last)
        }) {
            return Err(
                "only letters, digits and hyphens between dots (underscores except in the last label)",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a label may not start or end with a hyphen");
        }
    }
    Ok(())
}

/// `arn:<partition>:kms:<region>:<12-digit account>:key/<id>`.
fn valid_kms_key_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "kms", region, account, resource]
        if partition.starts_with("aws")
            && valid_region(region)
            && account.len() == 12
            && account.bytes().all(|c| c.is_ascii_digit())
            && resource.strip_prefix("key/").is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')))
}

/// `^Z[A-Z0-9]{1,31}$`, as Route 53 hosted zone ids are.
fn valid_zone_id(s: &str) -> bool {
    (2..=32).contains(&s.len())
        && s.starts_with('Z')
        && s.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn valid_instance_class(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[0] == "db"
        && parts[1..].iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in KNOWN_REGIONS {
            assert!(valid_region(r), "{r}");
        }
        for r in [
            "us-east",
            "useast1",
            "us-east-1a",
            "US-EAST-1",
            "xx-middle-1",
            "us-gov-1",
            "",
        ] {
            assert!(!valid_region(r), "{r}");
        }
    }

    #[test]
    fn ids() {
        for ok in ["ab", "orders-db", "a1", "x-y-z9"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["a", "1ab", "ab-", "Ab", "a_b", &"a".repeat(41)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn aws_names() {
        assert!(check_bucket("webshop-media").is_ok());
        assert!(check_bucket("192.168.1.1").is_err());
        assert!(check_bucket("Web").is_err());
        assert!(check_bucket("a..b").is_err());
        assert!(check_db_identifier("orders-prod").is_ok());
        assert!(check_db_identifier("orders--prod").is_err());
        assert!(check_dns_name("shop.example.com", false).is_ok());
        assert!(check_dns_name("*.example.com", true).is_err());
        assert!(check_dns_name("Shop.example.com", false).is_err());
        assert!(check_dns_name("shop.example.com.", false).is_err());
        assert!(check_dns_name("_dmarc.example.com", false).is_ok());
        assert!(check_dns_name("example.c_m", false).is_err());
        assert!(valid_zone_id("Z35SXDOTRQ7X7K") && !valid_zone_id("ABC"));
        assert!(check_dns_name("localhost", false).is_err());
        assert!(check_email("oncall@example.com").is_ok());
        assert!(check_email("on call@example.com").is_err());
        assert!(check_tag("team", "data").is_none());
        assert!(check_tag("aws:x", "y").is_some());
        assert!(check_tag("a", "${x}").is_some());
    }
}
