//! Lowering: from the parsed tree, checked against the input schema
//! ([`crate::schema::check`]), to the checked [`Inventory`].
//!
//! Deserializes every subtree that passed the schema check, then checks values
//! (durations, regions, ids, AWS names) with located diagnostics. Broken assets are
//! left out of the model but their ids stay known, so one typo does not cascade
//! into "unknown dependency" errors elsewhere.
//!
//! By job: [`names`] holds AWS's naming rules, `project` the project, tiers and
//! assumptions, `assets` the data assets, `endpoints` the DNS endpoints; this
//! module drives them and holds what they share.

mod assets;
mod endpoints;
mod measurements;
pub mod names;
mod project;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use self::names::{id_hint, is_invisible, valid_id};
use super::{Asset, AssetKind, Date, Dur, Inventory, Objective, S3, Tier, tiers};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::input;
use crate::parse::{Node, NodeKind, PathSeg};
use crate::schema::Broken;
use crate::source::Span;

/// What lowering produced: the model (when the project itself is usable) and the
/// ids of every declared asset, broken or not.
pub struct Lowered {
    pub inventory: Option<Inventory>,
    pub declared_ids: Vec<String>,
}

/// A broken data asset (`json`, at `path`) without its broken attributes, so that
/// the checks of the others still run: a bad `engine` must not hide a bad
/// identifier. A broken `engine` or `storage_gb`, which lowering does not check
/// and the kind requires, gets a neutral stand-in (an engine with every
/// mechanism, so no check fires for it). `None` for an unknown kind and for an
/// endpoint, whose checks compare its attributes with each other (leaving out a
/// broken `hostname` would report a target without one).
fn without_broken(
    mut json: serde_json::Value,
    path: &[PathSeg],
    broken: &Broken,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    let engine = match json.get("kind")?.as_str()? {
        "rds" => Some("postgres"),
        "aurora" => Some("aurora-postgresql"),
        "s3" | "dynamodb" | "efs" => None,
        _ => return None,
    };
    for rest in broken.under(path) {
        // Leave out the attribute, map entry or whole list the problem is in.
        let keys: Vec<&str> = rest
            .iter()
            .map_while(|seg| match seg {
                PathSeg::Key(k) => Some(k.as_str()),
                PathSeg::Index(_) => None,
            })
            .collect();
        let Some((last, parents)) = keys.split_last() else {
            // The asset itself (e.g. a missing attribute): nothing to leave out.
            return None;
        };
        let pointer: String = parents
            .iter()
            .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
            .collect();
        if let Some(Value::Object(m)) = json.pointer_mut(&pointer) {
            m.remove(*last);
        }
        if let ([], Some(engine)) = (parents, engine) {
            let stand_in = match *last {
                "engine" => Value::from(engine),
                "storage_gb" => Value::from(1),
                _ => continue,
            };
            json.as_object_mut()?.insert((*last).to_owned(), stand_in);
        }
    }
    Some(json)
}

/// Lower `root`, whose schema problems [`crate::schema::check`] found in `broken`.
pub fn lower(root: &Node, broken: &Broken, diags: &mut Diagnostics) -> Lowered {
    let is_broken = |prefix: &[PathSeg]| broken.contains(prefix);
    let broken_assets = broken.assets();
    let mut cx = Cx { root, diags };
    cx.check_strings(root, &mut Vec::new());

    let project = cx.project(&is_broken);
    let tiers = cx.tiers(
        &is_broken,
        project.as_ref().and_then(|p| p.immutable_backups),
    );
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
                let json = entry.value.to_json();
                let raw = serde_json::from_value::<input::Asset>(json.clone())
                    .ok()
                    .or_else(|| {
                        let repaired = without_broken(json.clone(), &path, broken)?;
                        serde_json::from_value::<input::Asset>(repaired).ok()
                    });
                if let Some(raw) = raw {
                    cx.asset(&entry.key, &entry.key_span, &path, raw, &tiers);
                } else if let Ok(common) = serde_json::from_value::<input::Common>(json) {
                    // The kind's own attributes are broken: check the common ones.
                    cx.common(&entry.key, &path, &common, &tiers);
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
    let dated = cx.measurements(&mut assets, &declared_ids, &is_broken);
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
    let risks = assets.iter().any(|a| !a.accepted_risks.is_empty());
    let today = if risks || !dated.is_empty() {
        match Date::today() {
            Ok(today) => {
                cx.stale_measurements(&dated, &assets, &tiers, params.measurement_max_age, today);
                today
            }
            Err(why) => {
                let (code, what) = if risks {
                    (Code::Acceptance, "which accepted risks have expired")
                } else {
                    (Code::Measurement, "which measurements are stale")
                };
                cx.diags.push(
                    Diagnostic::new(code, None, format!("cannot tell {what}: {why}")).hint(
                        format!(
                            "set {} to a date written YYYY-MM-DD, or unset it to use the system clock",
                            crate::model::date::TODAY_VAR
                        ),
                    ),
                );
                Date::from_unix_days(0)
            }
        }
    } else {
        // Nothing depends on the date; do not read the clock.
        Date::from_unix_days(0)
    };
    // The alarms every compile generates: the endpoints' health-check alarms.
    let mut params = params;
    params.alarms.health_check = assets
        .iter()
        .filter_map(|a| match &a.kind {
            AssetKind::Endpoint(e) => {
                Some((e.health_check.interval, e.health_check.failure_threshold))
            }
            _ => None,
        })
        .min_by_key(|&(interval, failures)| (u64::from(interval) * u64::from(failures), interval));
    // The Region switch plan's trigger waits for the alarms of the first endpoints
    // by id (`deploy::region_switch` picks the same ones): the slowest decides.
    params.alarms.trigger = assets
        .iter()
        .filter_map(|a| match &a.kind {
            AssetKind::Endpoint(e) => {
                Some((e.health_check.interval, e.health_check.failure_threshold))
            }
            _ => None,
        })
        .take(crate::model::params::MAX_TRIGGER_CONDITIONS)
        .max_by_key(|&(interval, failures)| (u64::from(interval) * u64::from(failures), interval));
    if let Some(project) = &project {
        params.region_switch.approval = project.region_switch_approval;
        params.region_switch.dns = project.region_switch_dns;
    }
    let inventory = project.map(|project| Inventory {
        project,
        tiers,
        params,
        assets,
        today,
    });
    Lowered {
        inventory,
        declared_ids,
    }
}

const HIDDEN_HINT: &str = "control characters, bidirectional overrides and invisible characters (zero-width spaces and joiners, U+FEFF, soft hyphens, tag characters, line separators) can hide what a value really says; remove it";

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

/// `path` followed by the keys `k`.
fn at(path: &[PathSeg], k: &[&str]) -> Vec<PathSeg> {
    let mut v = path.to_vec();
    v.extend(k.iter().map(|s| key(s)));
    v
}

struct Cx<'a> {
    root: &'a Node,
    diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    /// Span of the value at `path`, falling back to the closest ancestor.
    pub(super) fn span(&self, path: &[PathSeg]) -> Span {
        (0..=path.len())
            .rev()
            .find_map(|n| self.root.at(&path[..n]))
            .map_or_else(|| self.root.span.clone(), |n| n.span.clone())
    }

    pub(super) fn key_span(&self, path: &[PathSeg]) -> Span {
        self.root
            .entry_at(path)
            .map_or_else(|| self.span(path), |e| e.key_span.clone())
    }

    pub(super) fn deserialize<T: DeserializeOwned>(&mut self, node: &Node) -> Option<T> {
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

    pub(super) fn duration(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
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
    pub(super) fn check_strings(&mut self, node: &Node, path: &mut Vec<PathSeg>) {
        match &node.kind {
            NodeKind::Str(s) => {
                let free_text = matches!(path.last(), Some(PathSeg::Key(k)) if k == "description" || k == "owner" || k == "reason");
                if let Some(bad) = s.chars().find(|c| {
                    (c.is_control() && !(free_text && (*c == '\n' || *c == '\t')))
                        || is_invisible(*c)
                }) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::AwsName,
                            node.span.clone(),
                            format!(
                                "a string here may not contain the character U+{:04X}",
                                bad as u32
                            ),
                        )
                        .label("invisible or control character")
                        .hint(HIDDEN_HINT),
                    );
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
                    if let Some(bad) = e.key.chars().find(|c| c.is_control() || is_invisible(*c)) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::AwsName,
                                e.key_span.clone(),
                                format!(
                                    "a name here may not contain the character U+{:04X}",
                                    bad as u32
                                ),
                            )
                            .label("invisible or control character")
                            .hint(HIDDEN_HINT),
                        );
                    }
                    path.push(PathSeg::Key(e.key.clone()));
                    self.check_strings(&e.value, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    pub(super) fn check_renames(&mut self, assets: &[Asset], declared: &[String]) {
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
        measurement_max_age: None,
        immutable_backups: false,
        isolated_copy: false,
        account_compromise: false,
        span: None,
    }
}
