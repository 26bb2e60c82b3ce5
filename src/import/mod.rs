//! `lifeboat import`: a draft inventory from the JSON of `terraform show -json`.
//!
//! Not a pipeline stage: it reads Terraform's JSON ([`tf`]), turns resources into
//! draft assets with the facts Terraform knows ([`assets`]), and writes HCL text,
//! either a new draft ([`draft`]) or an update of an existing one ([`merge`]) that
//! keeps everything the user wrote. The draft is then an inventory like any other:
//! `lifeboat check` reads it. Pure functions over text; the CLI reads and writes
//! the files.
//!
//! Decisions Terraform cannot know (the tier of each asset, the recovery Region,
//! the project name, and facts that are unknown or sensitive) are written as
//! `"<CHOOSE>"` placeholders that `lifeboat check` rejects, each under a `# CHOOSE:` comment, so
//! the check's diagnostics are exactly the decisions left (docs/adoption.md).

mod assets;
mod draft;
mod ids;
mod merge;
pub mod tf;

use std::collections::BTreeMap;

/// The word that marks a decision left to the user, in comments (`# CHOOSE: ...`).
pub const CHOOSE: &str = "CHOOSE";

/// The value of a decision left to the user. Every check a string gets rejects it
/// (a tier, a Region, a DB identifier, a bucket, a zone id, a DNS name, an engine),
/// and a number or a bool of this value is the wrong type.
pub const PLACEHOLDER: &str = "<CHOOSE>";

/// How the comment that records where an asset came from starts.
pub const FROM: &str = "# From Terraform: ";

/// Choices given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The project's name (else a placeholder).
    pub project: Option<String>,
    /// The recovery Region (else a placeholder).
    pub secondary_region: Option<String>,
    /// The tier of every new asset (else a placeholder per asset).
    pub tier: Option<String>,
    /// The primary Region: only resources there are imported (else the draft's
    /// `primary_region`, else the Region with the most data assets).
    pub region: Option<String>,
    /// How the input is named in the draft's header, e.g. `state.json`.
    pub source_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A bug in lifeboat (exit status 2).
    Internal,
    Error,
    Warning,
}

/// A problem with the input or the draft.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    /// The resource address it is about.
    pub address: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// Line and column (1-based) in the file the finding is about.
    pub location: Option<(usize, usize)>,
    /// Whether that file is the draft (else the input).
    pub in_draft: bool,
}

impl Finding {
    pub fn error(message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            address: None,
            message: message.into(),
            hint: None,
            location: None,
            in_draft: false,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Internal,
            ..Finding::error(message)
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, address: &str) -> Self {
        self.address = Some(address.to_owned());
        self
    }
}

/// The kinds of asset import writes (aurora, dynamodb and efs are the spec's
/// later kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Rds,
    Aurora,
    Dynamodb,
    Efs,
    S3,
    Endpoint,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Rds,
        Kind::Aurora,
        Kind::Dynamodb,
        Kind::Efs,
        Kind::S3,
        Kind::Endpoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rds => "rds",
            Kind::Aurora => "aurora",
            Kind::Dynamodb => "dynamodb",
            Kind::Efs => "efs",
            Kind::S3 => "s3",
            Kind::Endpoint => "endpoint",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A word for ids: `orders-db`, `media-bucket`.
    fn word(self) -> &'static str {
        match self {
            Kind::Rds => "db",
            Kind::Aurora => "cluster",
            Kind::Dynamodb => "table",
            Kind::Efs => "fs",
            Kind::S3 => "bucket",
            Kind::Endpoint => "dns",
        }
    }

    /// The attributes (`block`, `key`) that name the AWS resource: how an asset of
    /// a draft is recognised when its `From Terraform` comment is gone.
    fn identity(self) -> &'static [&'static str] {
        match self {
            Kind::Rds => &["identifier"],
            Kind::Aurora => &["cluster_identifier"],
            Kind::Dynamodb => &["table"],
            Kind::Efs => &["file_system_id"],
            Kind::S3 => &["bucket"],
            Kind::Endpoint => &["zone_id", "domain"],
        }
    }

    /// Attributes of a block that only Terraform's facts set: one the state no
    /// longer has is removed (an endpoint target that became an alias loses its
    /// `hostname`). Everything else a fact does not mention stays as written.
    fn owned(self, block: Option<&str>) -> &'static [&'static str] {
        match (self, block) {
            (Kind::Endpoint, None) => &["ttl"],
            (Kind::Endpoint, Some("primary" | "secondary")) => {
                &["hostname", "alias_name", "alias_zone_id"]
            }
            (Kind::Endpoint, Some("health_check")) => {
                &["protocol", "port", "path", "interval", "failure_threshold"]
            }
            _ => &[],
        }
    }
}

/// An attribute value Terraform knows, or a placeholder and why.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Str(String),
    Num(serde_json::Number),
    Bool(bool),
    Choose(String),
}

impl FactValue {
    /// As HCL: strings through lifeboat's escaper, never a raw `${`.
    pub fn hcl(&self) -> String {
        match self {
            FactValue::Str(s) => crate::emit::hcl::quote(s),
            FactValue::Num(n) => n.to_string(),
            FactValue::Bool(b) => b.to_string(),
            FactValue::Choose(_) => crate::emit::hcl::quote(PLACEHOLDER),
        }
    }
}

/// One attribute of an asset that comes from Terraform.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The nested block it is in (`primary`, `health_check`), if any.
    pub block: Option<&'static str>,
    pub key: &'static str,
    pub value: FactValue,
}

impl Fact {
    fn top(key: &'static str, value: FactValue) -> Fact {
        Fact {
            block: None,
            key,
            value,
        }
    }

    fn nested(block: &'static str, key: &'static str, value: FactValue) -> Fact {
        Fact {
            block: Some(block),
            key,
            value,
        }
    }
}

/// A draft asset: the facts of one resource (or of a record pair).
#[derive(Debug, Clone)]
pub struct Asset {
    pub kind: Kind,
    /// The resources it comes from, the main one first.
    pub addresses: Vec<String>,
    /// What its id is made of (module and resource names).
    words: Vec<String>,
    /// Its Region, for data assets whose Region Terraform knows.
    pub region: Option<String>,
    pub facts: Vec<Fact>,
    /// Comment lines for the draft.
    pub notes: Vec<String>,
}

impl Asset {
    /// The value of an identity attribute, when Terraform knows it.
    fn identity(&self) -> Option<Vec<&str>> {
        self.kind
            .identity()
            .iter()
            .map(|k| {
                self.facts
                    .iter()
                    .find(|f| f.block.is_none() && f.key == *k)
                    .and_then(|f| match &f.value {
                        FactValue::Str(s) => Some(s.as_str()),
                        _ => None,
                    })
            })
            .collect()
    }
}

/// What changed in an existing draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new asset was appended.
    Added { id: String, address: String },
    /// A fact was set, changed or removed (`old`/`new` are HCL text; `None` is
    /// "not set").
    Updated {
        id: String,
        attribute: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// A hand-written asset was recognised as this resource and got its comment.
    Linked { id: String, address: String },
    /// The draft's asset came from a resource that is no longer in Terraform; it
    /// is left in the draft.
    Gone { id: String, address: String },
}

/// What an import produced.
#[derive(Debug)]
pub struct Outcome {
    /// The whole draft, new or updated.
    pub text: String,
    /// Whether `text` updates an existing draft.
    pub merged: bool,
    pub changes: Vec<Change>,
    pub warnings: Vec<Finding>,
    /// Assets in the input, per kind (whether new or already in the draft).
    pub assets: BTreeMap<Kind, usize>,
    /// Resources of other types, by type.
    pub ignored: BTreeMap<String, usize>,
    /// Data sources and deposed objects skipped.
    pub skipped: usize,
    /// `CHOOSE` placeholders in the text.
    pub placeholders: usize,
    pub form: tf::Form,
    pub primary_region: Option<String>,
}

/// Import `json` (the output of `terraform show -json`) into a new draft, or into
/// `existing`, the text of the draft to update. Errors leave nothing to write.
pub fn import(json: &str, existing: Option<&str>, opts: &Options) -> Result<Outcome, Vec<Finding>> {
    let input = tf::read(json)?;
    let existing = existing.map(merge::Existing::parse).transpose()?;
    let mut collected = assets::collect(&input);
    let mut warnings = input.warnings.clone();
    warnings.append(&mut collected.warnings);
    let chosen = opts
        .region
        .clone()
        .or_else(|| existing.as_ref().and_then(|e| e.primary_region()));
    let found = collected.assets.len();
    let primary = select_region(&mut collected.assets, chosen, &mut warnings);
    if collected.assets.is_empty() && existing.is_none() {
        let what = if input.resources.is_empty() {
            format!("{} has no managed resources", input.form.describe())
        } else if found > 0 {
            format!(
                "none of its {found} assets is in the primary Region {}",
                primary.as_deref().unwrap_or_default()
            )
        } else {
            format!(
                "none of its managed resources ({}) is an asset lifeboat imports",
                input.resources.len()
            )
        };
        warnings.push(
            Finding::error(format!("nothing to import: {what}")).hint(
                "lifeboat imports aws_db_instance, aws_rds_cluster (Aurora), aws_s3_bucket, aws_dynamodb_table, aws_efs_file_system and Route 53 failover record pairs",
            ),
        );
        return Err(warnings);
    }
    collected
        .assets
        .sort_by(|a, b| (a.kind, &a.addresses[0]).cmp(&(b.kind, &b.addresses[0])));
    let mut counts = BTreeMap::new();
    for a in &collected.assets {
        *counts.entry(a.kind).or_default() += 1;
    }
    let known = checked_kinds();
    let unread: Vec<String> = counts
        .keys()
        .filter(|k| !known.contains(k.as_str()))
        .map(|k| format!("`{}`", k.as_str()))
        .collect();
    if !unread.is_empty() {
        warnings.push(Finding::warning(format!(
            "the draft has assets of kind {} as the inventory language defines them, but this lifeboat's `check` does not read {} yet",
            unread.join(", "),
            if unread.len() == 1 { "that kind" } else { "those kinds" }
        )));
    }
    let (text, changes, merged) = match &existing {
        None => {
            let ids = ids::assign(&collected.assets, &Default::default());
            let text = draft::render(&input, &collected.assets, &ids, primary.as_deref(), opts);
            (text, Vec::new(), false)
        }
        Some(e) => {
            let (text, changes) = e.merge(&input, &collected.assets, primary.as_deref(), opts)?;
            (text, changes, true)
        }
    };
    // What import writes must be HCL that lifeboat reads.
    if let Err(e) = hcl_edit::parser::parse_body(&text) {
        return Err(vec![Finding::internal(format!(
            "the draft import wrote does not parse ({e})"
        ))]);
    }
    let placeholders = draft::placeholders(&text);
    Ok(Outcome {
        text,
        merged,
        changes,
        warnings,
        assets: counts,
        ignored: collected.ignored,
        skipped: input.skipped,
        placeholders,
        form: input.form,
        primary_region: primary,
    })
}

/// Keep the assets of the primary Region: the one given, else the one with the
/// most data assets (ties: the first in name order). Others are listed, not imported.
fn select_region(
    assets: &mut Vec<Asset>,
    chosen: Option<String>,
    warnings: &mut Vec<Finding>,
) -> Option<String> {
    let given = chosen.is_some();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in assets.iter() {
        if let Some(r) = &a.region {
            *counts.entry(r.as_str()).or_default() += 1;
        }
    }
    let busiest = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(r, _)| r.to_string());
    let several = counts.len() > 1;
    let Some(primary) = chosen.or(busiest) else {
        let n = assets.iter().filter(|a| a.kind != Kind::Endpoint).count();
        if n > 0 {
            warnings.push(
                Finding::warning(format!(
                    "Terraform does not say which Region the {n} data assets are in: the draft's `primary_region` is left to choose"
                ))
                .hint("or give it with `--region`"),
            );
        }
        return None;
    };
    let mut elsewhere: BTreeMap<String, Vec<String>> = BTreeMap::new();
    assets.retain(|a| match &a.region {
        Some(r) if *r != primary => {
            elsewhere
                .entry(r.clone())
                .or_default()
                .push(a.addresses[0].clone());
            false
        }
        _ => true,
    });
    for (region, addresses) in elsewhere {
        warnings.push(
            Finding::warning(format!(
                "{} in {region}, not in the primary Region {primary}: not imported: {}",
                if addresses.len() == 1 { "1 resource is".to_owned() } else { format!("{} resources are", addresses.len()) },
                addresses.join(", ")
            ))
            .hint(format!(
                "an inventory covers one primary Region{}; for those, import into another inventory with `--region {region}`",
                if several && !given {
                    " (lifeboat took the one with the most data assets)"
                } else {
                    ""
                }
            )),
        );
    }
    for a in assets
        .iter()
        .filter(|a| a.region.is_none() && a.kind != Kind::Endpoint)
    {
        warnings.push(
            Finding::warning(format!(
                "Terraform does not say which Region this is in; it is imported as being in {primary}"
            ))
            .at(&a.addresses[0]),
        );
    }
    Some(primary)
}

/// The asset kinds this build's inventory schema has (`kind` of each variant).
pub fn checked_kinds() -> std::collections::HashSet<String> {
    fn walk(v: &serde_json::Value, out: &mut std::collections::HashSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(k) = m
                    .get("properties")
                    .and_then(|p| p.get("kind"))
                    .and_then(|k| k.get("const"))
                    .and_then(serde_json::Value::as_str)
                {
                    out.insert(k.to_owned());
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = std::collections::HashSet::new();
    walk(crate::input::schema_ref(), &mut out);
    out
}
