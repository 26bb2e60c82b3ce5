//! A synthetic inventory of N assets for the scale benchmark: deterministic by
//! seed, valid (it passes `lifeboat check` with the model's default parameters)
//! and shaped like a large real one.
//!
//! - Kinds: 45% `rds`, 35% `s3`, 20% `endpoint`.
//! - Tiers: the four built-in ones and four declared ones (`gold`, `silver`,
//!   `bronze`, `archive`; `archive` keeps backups 400 days, so it gets a snapshot
//!   rule next to continuous backup).
//! - Dependencies (acyclic, at most three levels): about 15% of data assets depend
//!   on 1-2 data assets that depend on nothing; every endpoint depends on 1-5 data
//!   assets. Only "strong" data assets (Multi-AZ RDS with an engine that allows a
//!   cross-Region replica, and S3) are depended on, so every chain can meet the
//!   strictest tier; the others get relaxed tiers.
//! - Sizes keep every restore short enough for a chain of two restores to fit a
//!   4 h corruption RTO: RDS 20-300 GB, S3 5-150 GB.
//! - Extras on a fraction of assets: descriptions, owners, tags, `dr { }` pins,
//!   `measured { }`, `previously` (renames), alias and hostname targets.
//! - Files: `project.hcl` (project, tiers, assumptions) and the assets in files of
//!   1,000, every fifth one in HCL's JSON form, so parsing merges many files.

use serde_json::{Map, Value, json};

/// splitmix64: tiny, fast and good enough to pick test data; no crate needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items`, by integer weights.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u64)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut r = self.next_u64() % total;
        for (item, w) in items {
            if r < *w {
                return item;
            }
            r -= w;
        }
        &items[items.len() - 1].0
    }
}

/// One attribute value of an asset.
enum Val {
    Str(String),
    Num(u64),
    Bool(bool),
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

impl Val {
    fn hcl(&self) -> String {
        match self {
            Val::Str(s) => format!("\"{s}\""),
            Val::Num(n) => n.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| format!("\"{i}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Map(pairs) => {
                let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                let body: String = pairs
                    .iter()
                    .map(|(k, v)| format!("    {k:<width$} = \"{v}\"\n"))
                    .collect();
                format!("{{\n{body}  }}")
            }
        }
    }

    fn json(&self) -> Value {
        match self {
            Val::Str(s) => json!(s),
            Val::Num(n) => json!(n),
            Val::Bool(b) => json!(b),
            Val::List(items) => json!(items),
            Val::Map(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

/// One asset: attributes, then blocks without labels.
struct Asset {
    id: String,
    attrs: Vec<(&'static str, Val)>,
    blocks: Vec<(&'static str, Vec<(&'static str, Val)>)>,
}

impl Asset {
    fn hcl(&self, out: &mut String) {
        out.push_str(&format!("asset \"{}\" {{\n", self.id));
        push_attrs(out, &self.attrs, "  ");
        for (name, attrs) in &self.blocks {
            out.push_str(&format!("  {name} {{\n"));
            push_attrs(out, attrs, "    ");
            out.push_str("  }\n");
        }
        out.push_str("}\n\n");
    }

    fn json(&self) -> Value {
        let mut body = Map::new();
        for (k, v) in &self.attrs {
            body.insert((*k).to_owned(), v.json());
        }
        for (name, attrs) in &self.blocks {
            let block: Map<String, Value> = attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.json()))
                .collect();
            body.insert((*name).to_owned(), Value::Object(block));
        }
        Value::Object(body)
    }
}

/// Attributes with `=` aligned per run of single-line values, as `terraform fmt`.
fn push_attrs(out: &mut String, attrs: &[(&'static str, Val)], pad: &str) {
    let width = attrs
        .iter()
        .filter(|(_, v)| !matches!(v, Val::Map(_)))
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (k, v) in attrs {
        let w = if matches!(v, Val::Map(_)) { 0 } else { width };
        out.push_str(&format!("{pad}{k:<w$} = {}\n", v.hcl()));
    }
}

const PROJECT: &str = r#"# Generated by `cargo bench --bench scale -- gen`: a synthetic inventory for the
# scale benchmark (benches/scale.sh). Not a real system.

project "scale" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  alert_emails     = ["oncall@example.com", "dr-team@example.com"]
  tags = {
    cost-center = "4711"
    generated   = "lifeboat-scale-bench"
  }
}

tier "gold" {
  rpo       = "15m"
  rto       = "1h"
  retention = "35d"
  scenario "corruption" {
    rpo = "1h"
    rto = "4h"
  }
}

tier "silver" {
  rpo       = "4h"
  rto       = "8h"
  retention = "30d"
  scenario "az" {
    rpo = "15m"
    rto = "1h"
  }
}

tier "bronze" {
  rpo       = "24h"
  rto       = "48h"
  retention = "14d"
}

tier "archive" {
  rpo       = "24h"
  rto       = "72h"
  retention = "400d"
  scenario "region" {
    rpo = "48h"
    rto = "96h"
  }
}

assumptions {
  rds_replica_promotion = "10m"
}
"#;

const WORDS: &[&str] = &[
    "orders", "billing", "catalog", "search", "payments", "identity", "ledger", "media", "reports",
    "events", "stock", "pricing", "shipping", "support", "profile", "reviews",
];

const TEAMS: &[&str] = &[
    "checkout", "identity", "catalog", "finance", "platform", "data", "growth", "support",
];

/// Tiers for assets every chain may depend on, and for the rest.
const STRONG_TIERS: &[(&str, u64)] = &[
    ("mission-critical", 10),
    ("critical", 15),
    ("important", 20),
    ("non-critical", 10),
    ("gold", 20),
    ("silver", 15),
    ("bronze", 5),
    ("archive", 5),
];
const RELAXED_TIERS: &[(&str, u64)] = &[
    ("important", 40),
    ("non-critical", 25),
    ("bronze", 20),
    ("archive", 15),
];
const ENDPOINT_TIERS: &[(&str, u64)] = &[
    ("mission-critical", 10),
    ("critical", 20),
    ("gold", 25),
    ("silver", 20),
    ("important", 20),
    ("non-critical", 5),
];
/// Engines, and whether AWS allows a cross-Region read replica for them.
const ENGINES: &[((&str, bool), u64)] = &[
    (("postgres", true), 50),
    (("mysql", true), 25),
    (("mariadb", true), 10),
    (("oracle-ee", true), 4),
    (("sqlserver-ee", true), 3),
    (("sqlserver-se", false), 5),
    (("oracle-se2", false), 3),
];

/// The files of an inventory of `n` assets: (file name, contents).
pub fn inventory(n: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let n_rds = n * 45 / 100;
    let n_s3 = n * 35 / 100;
    let n_data = n_rds + n_s3;
    // Data kinds in random order, then endpoints (they depend on data assets).
    let mut kinds: Vec<u8> = (0..n_data).map(|i| u8::from(i >= n_rds)).collect();
    shuffle(&mut kinds, &mut rng);
    kinds.resize(n, 2);

    let mut assets: Vec<Asset> = Vec::with_capacity(n);
    let mut ids: Vec<String> = Vec::with_capacity(n);
    // Strong data assets with no dependencies, and all strong data assets.
    let mut strong_roots: Vec<usize> = Vec::new();
    let mut strong: Vec<usize> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let word = WORDS[rng.below(WORDS.len())];
        let (asset, is_strong, has_deps) = match kind {
            0 => rds(i, word, &mut rng, &strong_roots, &ids),
            1 => s3(i, word, &mut rng, &strong_roots, &ids),
            _ => endpoint(i, word, &mut rng, &strong, &ids),
        };
        if is_strong {
            strong.push(i);
            if !has_deps {
                strong_roots.push(i);
            }
        }
        ids.push(asset.id.clone());
        assets.push(asset);
    }

    // Spread the assets over files of 1,000 in random order.
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, &mut rng);
    let mut files = vec![("project.hcl".to_owned(), PROJECT.to_owned())];
    for (f, chunk) in order.chunks(1000).enumerate() {
        if f % 5 == 4 {
            let mut map = Map::new();
            for &i in chunk {
                map.insert(assets[i].id.clone(), assets[i].json());
            }
            let doc = json!({ "asset": Value::Object(map) });
            let text = serde_json::to_string_pretty(&doc).expect("serializes") + "\n";
            files.push((format!("assets-{:04}.json", f + 1), text));
        } else {
            let mut text = String::with_capacity(chunk.len() * 400);
            for &i in chunk {
                assets[i].hcl(&mut text);
            }
            text.pop();
            files.push((format!("assets-{:04}.hcl", f + 1), text));
        }
    }
    files
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i + 1);
        v.swap(i, j);
    }
}

/// An asset with the attributes every kind has.
fn common(
    i: usize,
    word: &str,
    kind: &'static str,
    suffix: &str,
    tier: &str,
    rng: &mut Rng,
    deps: Vec<String>,
) -> Asset {
    let id = format!("{word}-{suffix}-{i:06}");
    let mut attrs = vec![
        ("kind", Val::Str(kind.to_owned())),
        ("tier", Val::Str(tier.to_owned())),
    ];
    if !deps.is_empty() {
        attrs.push(("depends_on", Val::List(deps)));
    }
    if rng.chance(50) {
        attrs.push((
            "description",
            Val::Str(format!("{word} {suffix} number {i}")),
        ));
        attrs.push((
            "owner",
            Val::Str(format!("team-{}", TEAMS[rng.below(TEAMS.len())])),
        ));
    }
    if rng.chance(1) {
        attrs.push(("previously", Val::List(vec![format!("legacy-{id}")])));
    }
    if rng.chance(30) {
        attrs.push((
            "tags",
            Val::Map(vec![
                ("team".to_owned(), TEAMS[rng.below(TEAMS.len())].to_owned()),
                (
                    "data-class".to_owned(),
                    format!("class-{}", rng.range(1, 4)),
                ),
            ]),
        ));
    }
    Asset {
        id,
        attrs,
        blocks: Vec::new(),
    }
}

/// 1-2 distinct strong roots, for about 15% of data assets.
fn data_deps(rng: &mut Rng, roots: &[usize], ids: &[String]) -> Vec<String> {
    if roots.len() < 4 || !rng.chance(15) {
        return Vec::new();
    }
    let a = roots[rng.below(roots.len())];
    let mut v = vec![ids[a].clone()];
    if rng.chance(40) {
        let b = roots[rng.below(roots.len())];
        if b != a {
            v.push(ids[b].clone());
        }
    }
    v
}

fn rds(
    i: usize,
    word: &str,
    rng: &mut Rng,
    roots: &[usize],
    ids: &[String],
) -> (Asset, bool, bool) {
    let (engine, replica_ok) = *rng.weighted(ENGINES);
    let multi_az = rng.chance(90);
    let strong = multi_az && replica_ok;
    let tier = if strong {
        rng.weighted(STRONG_TIERS)
    } else {
        rng.weighted(RELAXED_TIERS)
    };
    let deps = data_deps(rng, roots, ids);
    let has_deps = !deps.is_empty();
    let mut a = common(i, word, "rds", "db", tier, rng, deps);
    a.attrs
        .push(("identifier", Val::Str(format!("{}-prod", a.id))));
    a.attrs.push(("engine", Val::Str(engine.to_owned())));
    a.attrs.push(("storage_gb", Val::Num(rng.range(20, 300))));
    a.attrs.push(("multi_az", Val::Bool(multi_az)));
    if rng.chance(5) {
        a.attrs.push(("encrypted", Val::Bool(false)));
    }
    if replica_ok && rng.chance(5) {
        a.blocks.push((
            "dr",
            vec![(
                "replica_instance_class",
                Val::Str("db.r6g.large".to_owned()),
            )],
        ));
    }
    (a, strong, has_deps)
}

fn s3(i: usize, word: &str, rng: &mut Rng, roots: &[usize], ids: &[String]) -> (Asset, bool, bool) {
    let tier = rng.weighted(STRONG_TIERS);
    let deps = data_deps(rng, roots, ids);
    let has_deps = !deps.is_empty();
    let mut a = common(i, word, "s3", "bucket", tier, rng, deps);
    a.attrs
        .push(("bucket", Val::Str(format!("lbscale-{}-data", a.id))));
    if rng.chance(85) {
        a.attrs.push(("size_gb", Val::Num(rng.range(5, 150))));
    }
    if rng.chance(2) {
        a.blocks
            .push(("measured", vec![("restore", Val::Str("1h30m".to_owned()))]));
    }
    if rng.chance(10) {
        a.blocks.push((
            "dr",
            vec![
                ("replication", Val::Bool(true)),
                ("replicate_deletes", Val::Bool(true)),
            ],
        ));
    }
    (a, true, has_deps)
}

fn endpoint(
    i: usize,
    word: &str,
    rng: &mut Rng,
    strong: &[usize],
    ids: &[String],
) -> (Asset, bool, bool) {
    let tier = rng.weighted(ENDPOINT_TIERS);
    let mut deps: Vec<usize> = Vec::new();
    if !strong.is_empty() {
        let want = rng.range(1, 5) as usize;
        for _ in 0..want * 2 {
            let d = strong[rng.below(strong.len())];
            if !deps.contains(&d) {
                deps.push(d);
            }
            if deps.len() == want {
                break;
            }
        }
    }
    let deps: Vec<String> = deps.into_iter().map(|d| ids[d].clone()).collect();
    let mut a = common(i, word, "endpoint", "api", tier, rng, deps);
    a.attrs
        .push(("zone_id", Val::Str("Z0123456789ABCDEFGHIJ".to_owned())));
    a.attrs
        .push(("domain", Val::Str(format!("{}.example.com", a.id))));
    if rng.chance(40) {
        a.blocks.push((
            "primary",
            vec![
                (
                    "alias_name",
                    Val::Str(format!(
                        "dualstack.{}-use1.us-east-1.elb.amazonaws.com",
                        a.id
                    )),
                ),
                ("alias_zone_id", Val::Str("Z35SXDOTRQ7X7K".to_owned())),
            ],
        ));
        a.blocks.push((
            "secondary",
            vec![
                (
                    "alias_name",
                    Val::Str(format!(
                        "dualstack.{}-usw2.us-west-2.elb.amazonaws.com",
                        a.id
                    )),
                ),
                ("alias_zone_id", Val::Str("Z1H1FL5HABSF5".to_owned())),
            ],
        ));
    } else {
        a.attrs
            .push(("ttl", Val::Num(*rng.weighted(&[(30, 1), (60, 3)]))));
        a.blocks.push((
            "primary",
            vec![(
                "hostname",
                Val::Str(format!("{}-use1.internal.example.com", a.id)),
            )],
        ));
        a.blocks.push((
            "secondary",
            vec![(
                "hostname",
                Val::Str(format!("{}-usw2.internal.example.com", a.id)),
            )],
        ));
    }
    if rng.chance(70) {
        let interval = *rng.weighted(&[(10u64, 1), (30, 2)]);
        a.blocks.push((
            "health_check",
            vec![
                ("path", Val::Str("/healthz".to_owned())),
                ("interval", Val::Num(interval)),
                ("failure_threshold", Val::Num(3)),
            ],
        ));
    }
    (a, false, true)
}
