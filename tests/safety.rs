//! Injection-proof output: hostile strings in every user-supplied field of an
//! inventory either get a located diagnostic, or reach the generated Terraform as
//! exactly the same string, in the attribute that is meant to carry them, without
//! changing the structure of any generated file or the set of generated paths.
//!
//! Every corpus string is tried in every field, in the HCL form (through the
//! escaper below) and in the JSON form (through serde_json); both forms must agree.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use hcl::expr::{Expression, ObjectKey};
use hcl::{Body, Structure};
use lifeboat::Analysis;
use lifeboat::emit::{self, GeneratedFile, Options};
use lifeboat::source::{SourceFile, Sources};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// The corpus.

/// At least 60 strings that have broken a template, an escaper, a parser, a
/// terminal or a file system somewhere.
fn corpus() -> Vec<String> {
    let mut v: Vec<String> = [
        // Quotes and backslashes.
        "\"",
        "\\",
        "\\\"",
        "a\"b",
        "'",
        "`",
        "\\u0000",
        "\\n",
        "C:\\Windows\\System32",
        // Line breaks and whitespace.
        "a\nb",
        "a\rb",
        "a\r\nb",
        "a\tb",
        "",
        " ",
        // Template sequences, escaped and not.
        "${var.x}",
        "${",
        "$",
        "$${x}",
        "$$${x}",
        "%{ if true }x%{ endif }",
        "%{",
        "%%{x}",
        "%",
        "${file(\"/etc/passwd\")}",
        "${a} %${path.cwd}",
        "${a}$${b}",
        "%{a}%%{b}",
        "${a}%${timestamp()}",
        "$${a}%%{b}${c}",
        // Heredoc markers.
        "<<EOT\nhello\nEOT",
        "<<-EOT",
        // Handlebars and friends.
        "}}",
        "{{",
        "{{x}}",
        "{{{header}}}",
        // Comments.
        "# comment",
        "// comment",
        "/* comment */",
        "*/",
        // Control characters.
        "\u{0}",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{1b}]0;title\u{7}",
        "\u{7f}",
        "\u{85}",
        "\u{b}",
        // Bidirectional controls and invisible characters.
        "\u{202e}evil",
        "\u{2066}x\u{2069}",
        "\u{61c}",
        "a\u{200b}b",
        "\u{feff}bom",
        "a\u{2028}b",
        "a\u{ad}b",
        // Non-ASCII.
        "日本語",
        "Ünïcödé",
        "e\u{301}",
        "\u{e000}",
        "\u{10ffff}",
        "🚀🔥",
        "👨\u{200d}👩\u{200d}👧",
        // Markup and entities.
        "<script>alert(1)</script>",
        "&quot;",
        "&#x27;&#x60;&#x3D;",
        "<!-- x -->",
        // Terraform expressions and references.
        "var.x",
        "module.alerts.topic_arns",
        "null",
        "true",
        "for",
        "a = b",
        "a=b",
        "x => y",
        // Breaking out of strings, lists and objects.
        "\"]}",
        "\" }\nresource \"null_resource\" \"pwn\" {}\n# \"",
        "\"\n}\n\nmodule \"pwn\" {\n  source = \"./evil\"\n}\n#",
        "x\" = 1\n  y = \"",
        "{\"a\": 1}",
        "\",\"x\":\"",
        "\"}}}}}]]]]",
        // File system.
        "../../etc/passwd",
        "/etc/passwd",
        "modules/alerts/main.tf",
        ".lifeboat/manifest.json",
        "..",
        "-",
        // Numbers that are not numbers.
        "1e999",
        "-1",
        // Names that almost pass validation.
        "a..b",
        "a.-b.com",
        "xn--abc",
        "UPPER",
        "db.r6g.large\n",
        "Z0123456789ABCDEF\u{0}",
        "shop.example.com.",
        "*.example.com",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(5000));
    v.push("é".repeat(3000));
    v.push(format!("a{}", "${".repeat(1000)));
    v.push(format!("{}z", "\\".repeat(999)));
    v
}

// ---------------------------------------------------------------------------
// Inventories.

/// Every user-supplied string of the test inventory.
#[derive(Debug, Clone)]
struct Fields {
    project: String,
    tier: String,
    asset_id: String,
    description: String,
    owner: String,
    project_tag_key: String,
    project_tag_value: String,
    asset_tag_key: String,
    asset_tag_value: String,
    alert_email: String,
    bucket: String,
    destination_bucket: String,
    db_identifier: String,
    replica_instance_class: String,
    zone_id: String,
    domain: String,
    hostname: String,
    alias_name: String,
    alias_zone_id: String,
    health_check_path: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            project: "shop".into(),
            tier: "gold".into(),
            asset_id: "orders-db".into(),
            description: "Orders".into(),
            owner: "team-checkout".into(),
            project_tag_key: "team".into(),
            project_tag_value: "checkout".into(),
            asset_tag_key: "data".into(),
            asset_tag_value: "orders".into(),
            alert_email: "oncall@example.com".into(),
            bucket: "shop-media".into(),
            destination_bucket: "shop-media-replica".into(),
            db_identifier: "orders-prod".into(),
            replica_instance_class: "db.r6g.large".into(),
            zone_id: "Z0123456789ABCDEFGHIJ".into(),
            domain: "shop.example.com".into(),
            hostname: "shop-use1.example.com".into(),
            alias_name: "dualstack.shop-usw2.us-west-2.elb.amazonaws.com".into(),
            alias_zone_id: "Z1H1FL5HABSF5".into(),
            health_check_path: "/healthz".into(),
        }
    }
}

/// A field, how to put a corpus string into it, and where it must read back.
struct Field {
    name: &'static str,
    set: fn(&mut Fields, String),
    get: fn(&Fields) -> String,
    /// Field-specific wrappings of a corpus string that make it likelier to pass
    /// validation (so that hostile values do reach the output); the raw string is
    /// always tried too.
    wrap: fn(&str) -> Vec<String>,
    /// Where the value must appear in the generated files, if anywhere.
    readback: Option<Readback>,
}

#[derive(Clone, Copy)]
enum Readback {
    /// providers.tf, `default_tags { tags = { <key> = ... } }`: the value.
    DefaultTag(&'static str),
    /// providers.tf default_tags: the field is a key whose value is `value`.
    DefaultTagKey(&'static str),
    /// main.tf, `module "<module>" { <attr> = "..." }`.
    ModuleAttr(&'static str, &'static str),
    /// main.tf, `module "<module>" { <attr> = { <key> = "..." } }`.
    ModuleObject(&'static str, &'static str, &'static str),
    /// main.tf, `module "<module>" { <attr> = { <field> = <value> } }`.
    ModuleObjectKey(&'static str, &'static str, &'static str),
    /// main.tf, `module "<module>" { <attr> = ["...", ...] }`, the first element.
    ModuleListFirst(&'static str, &'static str),
    /// main.tf, a module block labelled `rds_<id with _>`.
    RdsModuleLabel,
}

fn none(_: &str) -> Vec<String> {
    Vec::new()
}

fn fields() -> Vec<Field> {
    use Readback::*;
    // Names pass with one ASCII letter or digit: give symbol-only strings one.
    let name_wrap: fn(&str) -> Vec<String> = |s| {
        if s.chars().any(|c| c.is_ascii_alphanumeric()) {
            Vec::new()
        } else {
            vec![format!("x{s}")]
        }
    };
    vec![
        Field {
            name: "project name",
            set: |f, v| f.project = v,
            get: |f| f.project.clone(),
            wrap: name_wrap,
            readback: Some(DefaultTag("lifeboat-project")),
        },
        Field {
            name: "tier name",
            set: |f, v| f.tier = v,
            get: |f| f.tier.clone(),
            wrap: name_wrap,
            readback: None,
        },
        Field {
            name: "asset id",
            set: |f, v| f.asset_id = v,
            get: |f| f.asset_id.clone(),
            wrap: none,
            readback: Some(RdsModuleLabel),
        },
        Field {
            name: "description",
            set: |f, v| f.description = v,
            get: |f| f.description.clone(),
            wrap: none,
            readback: None,
        },
        Field {
            name: "owner",
            set: |f, v| f.owner = v,
            get: |f| f.owner.clone(),
            wrap: none,
            readback: None,
        },
        Field {
            name: "project tag key",
            set: |f, v| f.project_tag_key = v,
            get: |f| f.project_tag_key.clone(),
            wrap: none,
            readback: Some(DefaultTagKey("checkout")),
        },
        Field {
            name: "project tag value",
            set: |f, v| f.project_tag_value = v,
            get: |f| f.project_tag_value.clone(),
            wrap: none,
            readback: Some(DefaultTag("team")),
        },
        Field {
            name: "asset tag key",
            set: |f, v| f.asset_tag_key = v,
            get: |f| f.asset_tag_key.clone(),
            wrap: none,
            readback: Some(ModuleObjectKey("rds_orders_db", "tags", "orders")),
        },
        Field {
            name: "asset tag value",
            set: |f, v| f.asset_tag_value = v,
            get: |f| f.asset_tag_value.clone(),
            wrap: none,
            readback: Some(ModuleObject("rds_orders_db", "tags", "data")),
        },
        Field {
            name: "alert email",
            set: |f, v| f.alert_email = v,
            get: |f| f.alert_email.clone(),
            wrap: |s| vec![format!("{s}@example.com")],
            readback: Some(ModuleListFirst("alerts", "alert_emails")),
        },
        Field {
            name: "bucket",
            set: |f, v| f.bucket = v,
            get: |f| f.bucket.clone(),
            wrap: none,
            readback: Some(ModuleAttr("s3_media", "source_bucket")),
        },
        Field {
            name: "destination_bucket",
            set: |f, v| f.destination_bucket = v,
            get: |f| f.destination_bucket.clone(),
            wrap: none,
            readback: Some(ModuleAttr("s3_media", "destination_bucket")),
        },
        Field {
            name: "DB identifier",
            set: |f, v| f.db_identifier = v,
            get: |f| f.db_identifier.clone(),
            wrap: none,
            readback: Some(ModuleAttr("rds_orders_db", "source_identifier")),
        },
        Field {
            name: "replica_instance_class",
            set: |f, v| f.replica_instance_class = v,
            get: |f| f.replica_instance_class.clone(),
            wrap: none,
            readback: Some(ModuleAttr("rds_orders_db", "replica_instance_class")),
        },
        Field {
            name: "zone_id",
            set: |f, v| f.zone_id = v,
            get: |f| f.zone_id.clone(),
            wrap: none,
            readback: Some(ModuleAttr("endpoint_web", "zone_id")),
        },
        Field {
            name: "domain",
            set: |f, v| f.domain = v,
            get: |f| f.domain.clone(),
            wrap: none,
            readback: Some(ModuleAttr("endpoint_web", "domain")),
        },
        Field {
            name: "hostname",
            set: |f, v| f.hostname = v,
            get: |f| f.hostname.clone(),
            wrap: none,
            readback: Some(ModuleObject("endpoint_web", "primary", "hostname")),
        },
        Field {
            name: "alias_name",
            set: |f, v| f.alias_name = v,
            get: |f| f.alias_name.clone(),
            wrap: none,
            readback: Some(ModuleObject("endpoint_web", "secondary", "alias_name")),
        },
        Field {
            name: "alias_zone_id",
            set: |f, v| f.alias_zone_id = v,
            get: |f| f.alias_zone_id.clone(),
            wrap: none,
            readback: Some(ModuleObject("endpoint_web", "secondary", "alias_zone_id")),
        },
        Field {
            name: "health check path",
            set: |f, v| f.health_check_path = v,
            get: |f| f.health_check_path.clone(),
            wrap: |s| {
                if s.starts_with('/') {
                    Vec::new()
                } else {
                    vec![format!("/{s}")]
                }
            },
            readback: Some(ModuleObject("endpoint_web", "health_check", "path")),
        },
    ]
}

/// An HCL quoted string literal whose value is exactly `s`.
fn hcl_str(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn to_hcl(f: &Fields) -> String {
    let q = hcl_str;
    format!(
        r#"project {project} {{
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  alert_emails     = [{email}]
  tags = {{
    {ptk} = {ptv}
  }}
}}

tier {tier} {{
  rpo = "4h"
  rto = "8h"
}}

asset {id} {{
  kind        = "rds"
  tier        = {tier}
  identifier  = {db}
  engine      = "postgres"
  storage_gb  = 10
  multi_az    = true
  description = {description}
  owner       = {owner}
  tags = {{
    {atk} = {atv}
  }}
  dr {{
    replica_instance_class = {class}
  }}
}}

asset "media" {{
  kind   = "s3"
  tier   = {tier}
  bucket = {bucket}
  dr {{
    destination_bucket = {dest}
  }}
}}

asset "web" {{
  kind    = "endpoint"
  tier    = {tier}
  zone_id = {zone}
  domain  = {domain}
  primary {{
    hostname = {host}
  }}
  secondary {{
    alias_name    = {alias}
    alias_zone_id = {alias_zone}
  }}
  health_check {{
    path = {path}
  }}
}}
"#,
        project = q(&f.project),
        email = q(&f.alert_email),
        ptk = q(&f.project_tag_key),
        ptv = q(&f.project_tag_value),
        tier = q(&f.tier),
        id = q(&f.asset_id),
        db = q(&f.db_identifier),
        description = q(&f.description),
        owner = q(&f.owner),
        atk = q(&f.asset_tag_key),
        atv = q(&f.asset_tag_value),
        class = q(&f.replica_instance_class),
        bucket = q(&f.bucket),
        dest = q(&f.destination_bucket),
        zone = q(&f.zone_id),
        domain = q(&f.domain),
        host = q(&f.hostname),
        alias = q(&f.alias_name),
        alias_zone = q(&f.alias_zone_id),
        path = q(&f.health_check_path),
    )
}

/// The same inventory in HCL's JSON form. Keys are built with `Map::insert` so that
/// a hostile key can never merge with, or be mistaken for, another.
fn to_json(f: &Fields) -> String {
    let obj = |pairs: Vec<(&str, Value)>| -> Value {
        let mut m = serde_json::Map::new();
        for (k, v) in pairs {
            m.insert(k.to_owned(), v);
        }
        Value::Object(m)
    };
    let rds = json!({
        "kind": "rds",
        "tier": f.tier,
        "identifier": f.db_identifier,
        "engine": "postgres",
        "storage_gb": 10,
        "multi_az": true,
        "description": f.description,
        "owner": f.owner,
        "tags": obj(vec![(&f.asset_tag_key, json!(f.asset_tag_value))]),
        "dr": {"replica_instance_class": f.replica_instance_class},
    });
    let doc = json!({
        "project": obj(vec![(&f.project, json!({
            "primary_region": "us-east-1",
            "secondary_region": "us-west-2",
            "alert_emails": [f.alert_email],
            "tags": obj(vec![(&f.project_tag_key, json!(f.project_tag_value))]),
        }))]),
        "tier": obj(vec![(&f.tier, json!({"rpo": "4h", "rto": "8h"}))]),
        "asset": obj(vec![
            (&f.asset_id, rds),
            ("media", json!({
                "kind": "s3",
                "tier": f.tier,
                "bucket": f.bucket,
                "dr": {"destination_bucket": f.destination_bucket},
            })),
            ("web", json!({
                "kind": "endpoint",
                "tier": f.tier,
                "zone_id": f.zone_id,
                "domain": f.domain,
                "primary": {"hostname": f.hostname},
                "secondary": {"alias_name": f.alias_name, "alias_zone_id": f.alias_zone_id},
                "health_check": {"path": f.health_check_path},
            })),
        ]),
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

fn analyze(name: &str, text: &str) -> Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new(name, text)]))
}

/// Generate with options that do not depend on the input's file name, so the
/// HCL and JSON forms can be compared byte for byte.
fn generate(a: &Analysis) -> anyhow::Result<Vec<GeneratedFile>> {
    emit::generate(a, &Options::default())
}

/// Generate the root module only: the module sources are the ones a local copy
/// uses (`./modules/<name>`), so main.tf is the same, but the copies, which do
/// not depend on the inventory, are left out to keep the corpus test fast.
fn generate_root(a: &Analysis) -> anyhow::Result<Vec<GeneratedFile>> {
    emit::generate(
        a,
        &Options {
            module_source: Some("./modules".into()),
            inputs: Vec::new(),
            ..Default::default()
        },
    )
}

// ---------------------------------------------------------------------------
// Reading generated HCL back.

fn eval_str(e: &Expression) -> Option<String> {
    match hcl::eval::Evaluate::evaluate(e, &hcl::eval::Context::new()).ok()? {
        hcl::Value::String(s) => Some(s),
        _ => None,
    }
}

/// An object key as Terraform reads it: a bare identifier, including the keywords
/// `null`, `true` and `false` (which hcl-rs reads as values), is its own name.
fn key_name(k: &ObjectKey) -> Option<String> {
    match k {
        ObjectKey::Identifier(id) => Some(id.to_string()),
        ObjectKey::Expression(Expression::Null) => Some("null".into()),
        ObjectKey::Expression(Expression::Bool(b)) => Some(b.to_string()),
        ObjectKey::Expression(Expression::Variable(v)) => Some(v.to_string()),
        ObjectKey::Expression(e) => eval_str(e),
        _ => None,
    }
}

fn object(e: &Expression) -> Option<Vec<(String, &Expression)>> {
    match e {
        Expression::Object(o) => o.iter().map(|(k, v)| Some((key_name(k)?, v))).collect(),
        _ => None,
    }
}

fn find_block<'a>(body: &'a Body, ident: &str, labels: &[&str]) -> Option<&'a Body> {
    body.blocks()
        .find(|b| {
            b.identifier() == ident
                && b.labels().len() == labels.len()
                && b.labels().iter().zip(labels).all(|(l, w)| l.as_str() == *w)
        })
        .map(|b| b.body())
}

fn find_attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

/// A generated tree with its root module files parsed.
struct Tree {
    files: Vec<GeneratedFile>,
    bodies: BTreeMap<String, Body>,
}

const ENTITIES: &[&str] = &[
    "&quot;", "&amp;", "&lt;", "&gt;", "&#x27;", "&#x60;", "&#x3D;", "&#39;", "&#34;",
];

fn is_root_tf(path: &str) -> bool {
    path.ends_with(".tf") && !path.starts_with("modules/")
}

impl Tree {
    /// Check what every generated tree must satisfy whatever the input was, and
    /// parse the root module. Module copies are checked by the caller (they are
    /// the same for every inventory).
    fn new(files: Vec<GeneratedFile>, hostile: &str) -> Result<Tree, String> {
        let mut bodies = BTreeMap::new();
        for f in &files {
            let first = f.contents.lines().next().unwrap_or_default();
            if !first.contains(emit::MARKER) {
                return Err(format!("{}: first line lost the marker: {first:?}", f.path));
            }
            if f.path.ends_with(".md") && first.matches("-->").count() != 1 {
                return Err(format!(
                    "{}: the header comment is broken: {first:?}",
                    f.path
                ));
            }
            if f.path.ends_with(".json") {
                serde_json::from_str::<Value>(&f.contents)
                    .map_err(|e| format!("{} is not JSON: {e}", f.path))?;
            }
            if is_root_tf(&f.path) {
                let body = hcl::parse(&f.contents)
                    .map_err(|e| format!("{} does not parse: {e}", f.path))?;
                if !hostile.contains('&')
                    && let Some(e) = ENTITIES.iter().find(|e| f.contents.contains(**e))
                {
                    return Err(format!("{}: HTML escaping ({e})", f.path));
                }
                bodies.insert(f.path.clone(), body);
            }
        }
        Ok(Tree { files, bodies })
    }

    fn body(&self, path: &str) -> &Body {
        &self.bodies[path]
    }

    fn paths(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.path.as_str()).collect()
    }

    fn shapes(&self) -> BTreeMap<&str, String> {
        self.bodies
            .iter()
            .map(|(p, b)| (p.as_str(), shape(b)))
            .collect()
    }

    fn modules(&self) -> Vec<&GeneratedFile> {
        self.files
            .iter()
            .filter(|f| f.path.starts_with("modules/"))
            .collect()
    }

    fn default_tags(&self) -> Option<Vec<(String, String)>> {
        let provider = find_block(self.body("providers.tf"), "provider", &["aws"])?;
        let tags = find_attr(find_block(provider, "default_tags", &[])?, "tags")?;
        object(tags)?
            .into_iter()
            .map(|(k, v)| Some((k, eval_str(v)?)))
            .collect()
    }

    fn module_attr(&self, module: &str, attr: &str) -> Option<&Expression> {
        find_attr(find_block(self.body("main.tf"), "module", &[module])?, attr)
    }

    /// Check that `value` reads back where `rb` says; `Err` says what was found.
    fn read_back(&self, rb: Readback, value: &str, f: &Fields) -> Result<(), String> {
        let found: Option<String> = match rb {
            Readback::DefaultTag(key) => self
                .default_tags()
                .and_then(|t| t.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)),
            Readback::DefaultTagKey(want_value) => {
                let tags = self.default_tags().unwrap_or_default();
                // The hostile key must be there with its value, exactly once.
                let hits: Vec<_> = tags.iter().filter(|(k, _)| k == value).collect();
                if hits.len() == 1 && hits[0].1 == want_value {
                    return Ok(());
                }
                return Err(format!("default_tags are {tags:?}"));
            }
            Readback::ModuleAttr(m, a) => self.module_attr(m, a).and_then(eval_str),
            Readback::ModuleObject(m, a, k) => self.module_attr(m, a).and_then(|e| {
                object(e)?
                    .into_iter()
                    .find(|(key, _)| key == k)
                    .and_then(|(_, v)| eval_str(v))
            }),
            Readback::ModuleObjectKey(m, a, want_value) => {
                let entries: Vec<(String, Option<String>)> = self
                    .module_attr(m, a)
                    .and_then(object)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, eval_str(v)))
                    .collect();
                if entries.len() == 1
                    && entries[0].0 == value
                    && entries[0].1.as_deref() == Some(want_value)
                {
                    return Ok(());
                }
                return Err(format!("{m}.{a} is {entries:?}"));
            }
            Readback::ModuleListFirst(m, a) => match self.module_attr(m, a) {
                Some(Expression::Array(items)) if items.len() == 1 => eval_str(&items[0]),
                _ => None,
            },
            Readback::RdsModuleLabel => {
                let label = format!("rds_{}", f.asset_id.replace('-', "_"));
                return match find_block(self.body("main.tf"), "module", &[&label]) {
                    Some(_) => Ok(()),
                    None => Err(format!("no module \"{label}\"")),
                };
            }
        };
        match found {
            Some(s) if s == value => Ok(()),
            other => Err(format!("read back {other:?}")),
        }
    }
}

/// The structure of a generated file with every string, label and object key
/// masked: hostile values may change values, never structure.
fn shape(body: &Body) -> String {
    let mut out = String::new();
    shape_body(body, &mut out);
    out
}

fn shape_body(body: &Body, out: &mut String) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                out.push_str(a.key());
                out.push('=');
                shape_expr(a.expr(), out);
                out.push(';');
            }
            Structure::Block(b) => {
                let _ = write!(out, "{}[{}]{{", b.identifier(), b.labels().len());
                shape_body(b.body(), out);
                out.push('}');
            }
        }
    }
}

fn shape_expr(e: &Expression, out: &mut String) {
    match e {
        Expression::Null => out.push_str("null"),
        Expression::Bool(_) => out.push_str("bool"),
        Expression::Number(_) => out.push_str("num"),
        // A template is fine only if it is a plain string (escapes only).
        Expression::String(_) => out.push_str("str"),
        Expression::TemplateExpr(_) if eval_str(e).is_some() => out.push_str("str"),
        Expression::Array(items) => {
            out.push('[');
            for i in items {
                shape_expr(i, out);
                out.push(',');
            }
            out.push(']');
        }
        Expression::Object(o) => {
            out.push('{');
            for (k, v) in o.iter() {
                out.push_str(if key_name(k).is_some() { "k" } else { "KEY?" });
                out.push('=');
                shape_expr(v, out);
                out.push(',');
            }
            out.push('}');
        }
        Expression::Traversal(t) => {
            let _ = write!(out, "ref({})", t.operators.len());
        }
        other => {
            let _ = write!(out, "UNEXPECTED({other:?})");
        }
    }
}

/// Every diagnostic of a rejected inventory points into the file (and renders).
fn check_located(a: &Analysis) -> Result<(), String> {
    for d in a.diagnostics.iter() {
        let Some(span) = &d.span else {
            return Err(format!(
                "{} has no location: {}",
                d.code.as_str(),
                d.message
            ));
        };
        let text = &a.sources.file(span.file).text;
        if span.range.start > span.range.end
            || span.range.end > text.len()
            || !text.is_char_boundary(span.range.start)
            || !text.is_char_boundary(span.range.end)
        {
            return Err(format!(
                "{} span {:?} is outside the file or splits a character",
                d.code.as_str(),
                span.range
            ));
        }
        let _ = lifeboat::diag::render_human(d, &a.sources, false);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tests.

#[test]
fn corpus_is_large_and_hostile() {
    let c = corpus();
    assert!(c.len() >= 60, "{} strings", c.len());
    for needle in [
        "\"", "\\", "\n", "\r", "\t", "${", "%{", "$${", "%%{", "<<EOT", "}}", "{{", "#", "//",
        "/*", "<script>", "&quot;", "var.x", "\"]}",
    ] {
        assert!(c.iter().any(|s| s.contains(needle)), "{needle:?}");
    }
    for needle in [
        '\u{202e}', '\u{2066}', '\u{200b}', '\u{0}', '\u{1b}', '🚀', '日',
    ] {
        assert!(c.iter().any(|s| s.contains(needle)), "{needle:?}");
    }
    assert!(c.iter().any(|s| s.len() >= 5000));
}

#[test]
fn escaper_round_trips_through_hcl_rs() {
    for s in corpus() {
        let text = format!("a = {}\n", hcl_str(&s));
        let body = hcl::parse(&text).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let e = find_attr(&body, "a").unwrap();
        assert_eq!(eval_str(e).as_deref(), Some(s.as_str()), "{text}");
    }
}

fn benign_tree(generator: fn(&Analysis) -> anyhow::Result<Vec<GeneratedFile>>) -> Tree {
    let a = analyze("a.hcl", &to_hcl(&Fields::default()));
    let diags: Vec<String> = a.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(!a.has_errors(), "{diags:#?}");
    Tree::new(generator(&a).unwrap(), "").unwrap()
}

#[test]
fn benign_inventory_compiles_in_both_forms_and_reads_back() {
    let f = Fields::default();
    let json = analyze("a.json", &to_json(&f));
    assert!(!json.has_errors());
    let tree = benign_tree(generate);
    assert_eq!(
        generate(&json).unwrap(),
        tree.files,
        "HCL and JSON forms of the benign inventory differ"
    );
    // Every module copy parses, and the root module is the same whether modules
    // are copied or referenced at `./modules` (the corpus test uses the latter).
    for m in tree.modules() {
        if m.path.ends_with(".tf") {
            hcl::parse(&m.contents).unwrap_or_else(|e| panic!("{}: {e}", m.path));
        }
    }
    let root = benign_tree(generate_root);
    for path in ["main.tf", "providers.tf", "outputs.tf", "versions.tf"] {
        let find = |t: &Tree| t.files.iter().find(|f| f.path == path).cloned();
        assert_eq!(find(&tree), find(&root), "{path}");
    }
    for field in fields() {
        let Some(rb) = field.readback else { continue };
        tree.read_back(rb, &(field.get)(&f), &f)
            .unwrap_or_else(|e| panic!("{}: {e}", field.name));
    }
}

/// One (field, value) case: the failures it shows, empty if none.
fn run_case(field: &Field, value: &str, benign: &Tree, accepted: &mut usize) -> Vec<String> {
    let mut failures = Vec::new();
    let mut f = Fields::default();
    (field.set)(&mut f, value.to_owned());
    let hcl_a = analyze("a.hcl", &to_hcl(&f));
    let json_a = analyze("a.json", &to_json(&f));
    if hcl_a.has_errors() != json_a.has_errors() {
        let msgs = |a: &Analysis| -> Vec<String> {
            a.diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect()
        };
        failures.push(format!(
            "HCL and JSON forms disagree: HCL {:?}, JSON {:?}",
            msgs(&hcl_a),
            msgs(&json_a)
        ));
        return failures;
    }
    if hcl_a.has_errors() {
        for (form, a) in [("HCL", &hcl_a), ("JSON", &json_a)] {
            if let Err(e) = check_located(a) {
                failures.push(format!("({form}) {e}"));
            }
        }
        return failures;
    }
    *accepted += 1;
    // Both forms must mean the same thing; the model (without spans) decides
    // everything generated, so compare it rather than generating twice.
    let model = |a: &Analysis| serde_json::to_value(a.inventory.as_ref().unwrap()).unwrap();
    if model(&hcl_a) != model(&json_a) {
        failures.push("HCL and JSON forms lower to different models".into());
    }
    let files = match generate_root(&hcl_a) {
        Ok(files) => files,
        Err(e) => {
            failures.push(format!("accepted by check, but generate failed: {e:#}"));
            return failures;
        }
    };
    let tree = match Tree::new(files, value) {
        Ok(t) => t,
        Err(e) => {
            failures.push(e);
            return failures;
        }
    };
    if tree.paths() != benign.paths() {
        failures.push(format!("generated paths changed: {:?}", tree.paths()));
    }
    let benign_shapes = benign.shapes();
    for (path, s) in tree.shapes() {
        if benign_shapes.get(path) != Some(&s) {
            failures.push(format!(
                "the structure of {path} changed:\n  benign {:?}\n  now    {s:?}",
                benign_shapes.get(path)
            ));
        }
    }
    if let Some(rb) = field.readback
        && let Err(e) = tree.read_back(rb, value, &f)
    {
        failures.push(e);
    }
    failures
}

/// The heart of this file: every corpus string (and its field-specific wrappings)
/// in every field, in both forms.
#[test]
fn hostile_strings_are_rejected_with_a_location_or_emitted_verbatim() {
    let benign = benign_tree(generate_root);
    let fields = fields();
    let mut cases: Vec<(usize, String)> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let mut values = Vec::new();
        for s in corpus() {
            values.extend((field.wrap)(&s));
            values.push(s);
        }
        values.sort();
        values.dedup();
        cases.extend(values.into_iter().map(|v| (i, v)));
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let chunk = cases.len().div_ceil(threads);
    /// Per thread: failures, cases explained by known bugs, accepted per field.
    type Outcome<'a> = (Vec<String>, Vec<String>, BTreeMap<&'a str, usize>);
    let results: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                let (fields, benign) = (&fields, &benign);
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    let known = Vec::new();
                    let mut accepted: BTreeMap<&str, usize> = BTreeMap::new();
                    for (i, value) in part {
                        let field = &fields[*i];
                        let n = accepted.entry(field.name).or_default();
                        let found = run_case(field, value, benign, n);
                        let case = format!("{} = {value:?}", field.name);
                        if found.is_empty() {
                            continue;
                        }
                        failures.extend(found.into_iter().map(|e| format!("{case}: {e}")));
                    }
                    (failures, known, accepted)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut accepted: BTreeMap<&str, usize> = BTreeMap::new();
    for (f, k, a) in results {
        failures.extend(f);
        known.extend(k);
        for (name, n) in a {
            *accepted.entry(name).or_default() += n;
        }
    }
    eprintln!(
        "{} cases; accepted by check per field: {accepted:#?}\n{} cases fail only through known bugs: {known:#?}",
        cases.len(),
        known.len()
    );
    // The corpus must really reach the output through the free-text fields.
    for field in [
        "project name",
        "tier name",
        "description",
        "owner",
        "alert email",
        "health check path",
        "project tag key",
        "project tag value",
        "asset tag key",
        "asset tag value",
    ] {
        let n = accepted.get(field).copied().unwrap_or(0);
        assert!(
            n >= 10,
            "only {n} hostile values of {field} pass check: the test lost its teeth"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Options are user input too: a hostile `--module-source` stays a string, and
/// hostile input file names stay inside the header comments.
#[test]
fn hostile_module_source_and_file_names_stay_strings() {
    let a = analyze("a.hcl", &to_hcl(&Fields::default()));
    let benign = benign_tree(generate_root);
    let benign_shapes = benign.shapes();
    let mut failures = Vec::new();
    for s in corpus() {
        let source = format!("git::https://example.com/{s}");
        let want = format!("{}/alerts", source.trim_end_matches('/'));
        let opts = Options {
            module_source: Some(source.clone()),
            inputs: vec![s.clone(), format!("{s}.hcl")],
            ..Default::default()
        };
        let files = match emit::generate(&a, &opts) {
            Ok(files) => files,
            Err(e) => {
                failures.push(format!("{s:?}: generate failed: {e:#}"));
                continue;
            }
        };
        let tree = match Tree::new(files, &s) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{s:?}: {e}"));
                continue;
            }
        };
        if !tree.modules().is_empty() {
            failures.push(format!("{s:?}: remote modules were copied"));
        }
        let got = tree.module_attr("alerts", "source").and_then(eval_str);
        if got.as_deref() != Some(want.as_str()) {
            failures.push(format!("{s:?}: module source read back as {got:?}"));
        }
        for (path, shape) in tree.shapes() {
            if benign_shapes.get(path) != Some(&shape) {
                failures.push(format!("{s:?}: the structure of {path} changed"));
            }
        }
        // Copied modules carry the header too (in a `#` or `<!-- -->` comment).
        let opts = Options {
            module_source: None,
            inputs: vec![s.clone()],
            ..Default::default()
        };
        let files = emit::generate(&a, &opts).unwrap();
        for f in files
            .iter()
            .filter(|f| f.path.starts_with("modules/alerts/"))
        {
            let first = f.contents.lines().next().unwrap_or_default();
            // (That the name cannot close the `<!-- -->` comment early is
            // `bug_input_file_name_closes_the_readme_header_comment`.)
            let ok = if f.path.ends_with(".md") {
                first.starts_with("<!-- ") && first.ends_with(" -->")
            } else {
                first.starts_with("# ") && hcl::parse(&f.contents).is_ok()
            };
            if !ok || !first.contains(emit::MARKER) {
                failures.push(format!("{s:?}: {} header is broken: {first:?}", f.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Diagnostics echo user strings; what reaches the terminal must not carry control
/// characters or bidirectional overrides (terminal escapes, forged log lines).
#[test]
fn diagnostics_never_print_control_characters() {
    let mut failures = Vec::new();
    for s in corpus() {
        let f = Fields {
            bucket: s.clone(),
            asset_id: s.clone(),
            domain: s.clone(),
            ..Fields::default()
        };
        let a = analyze("a.json", &to_json(&f));
        for d in a.diagnostics.iter() {
            let human = lifeboat::diag::render_human(d, &a.sources, false);
            let short = lifeboat::diag::render_short(d, &a.sources);
            let bad = |t: &str| {
                t.chars().find(|c| {
                    (c.is_control() && *c != '\n')
                        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                })
            };
            if let Some(c) = bad(&human).or(bad(&short)) {
                failures.push(format!(
                    "{s:?}: {} prints U+{:04X}",
                    d.code.as_str(),
                    c as u32
                ));
            } else if short.contains('\n') {
                failures.push(format!("{s:?}: short format spans lines: {short:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bug_input_file_name_closes_the_readme_header_comment() {
    let a = analyze("a.hcl", &to_hcl(&Fields::default()));
    // `--->` once became `- --->` (the `--` replaced, the comment closed).
    for name in ["x -->y.hcl", "x --->y.hcl", "x --!>y.hcl", "x ---->y.hcl"] {
        let opts = Options {
            module_source: None,
            inputs: vec![name.into()],
            ..Default::default()
        };
        for f in emit::generate(&a, &opts).unwrap() {
            if f.path.ends_with(".md") {
                let first = f.contents.lines().next().unwrap();
                let body = first
                    .strip_prefix("<!--")
                    .and_then(|b| b.strip_suffix("-->"))
                    .unwrap_or_else(|| panic!("{name}: {first}"));
                // HTML comments end at `-->` or `--!>` (and may not nest).
                for end in ["-->", "--!>", "<!--"] {
                    assert!(!body.contains(end), "{name}: {}: {first}", f.path);
                }
            }
        }
    }
}

#[test]
fn bug_template_marker_after_dollar_or_percent_is_emitted_unescaped() {
    type Case = (&'static str, fn(&mut Fields, String), Readback);
    // (Project names and e-mail addresses, where these were found, no longer
    // accept `${`: the project name is a tag value, and `${` is refused before
    // an e-mail's `@`.)
    let cases: [Case; 3] = [
        (
            "/%${path.cwd}$${a}",
            |f, v| f.health_check_path = v,
            Readback::ModuleObject("endpoint_web", "health_check", "path"),
        ),
        (
            "/${a}%${path.cwd}",
            |f, v| f.health_check_path = v,
            Readback::ModuleObject("endpoint_web", "health_check", "path"),
        ),
        (
            "/${a}$${timestamp()}%%{x}",
            |f, v| f.health_check_path = v,
            Readback::ModuleObject("endpoint_web", "health_check", "path"),
        ),
    ];
    for (value, set, rb) in cases {
        let mut f = Fields::default();
        set(&mut f, value.to_owned());
        let a = analyze("a.hcl", &to_hcl(&f));
        assert!(!a.has_errors(), "{value}: check accepts it");
        let tree = Tree::new(generate(&a).unwrap(), value).unwrap();
        tree.read_back(rb, value, &f)
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
}

/// Tag keys that must be quoted in HCL: a spaced `=` (once cut in two by the
/// key rendering) and keywords (`for` once broke the re-parse: exit 2).
#[test]
fn tag_keys_that_need_quotes_compile_and_read_back() {
    for key in [
        "cost = center",
        "a = b = c",
        "for",
        "in",
        "if",
        "null",
        "true",
        "endif",
    ] {
        tag_key_reads_back(key);
    }
}

fn tag_key_reads_back(key: &str) {
    for project in [true, false] {
        let mut f = Fields::default();
        if project {
            f.project_tag_key = key.into();
        } else {
            f.asset_tag_key = key.into();
        }
        let a = analyze("a.hcl", &to_hcl(&f));
        let diags: Vec<String> = a.diagnostics.iter().map(|d| d.message.clone()).collect();
        assert!(
            !a.has_errors(),
            "check accepts the tag key {key:?}: {diags:?}"
        );
        let files = generate(&a).unwrap_or_else(|e| panic!("tag key {key:?}: {e:#}"));
        let tree = Tree::new(files, key).unwrap();
        let rb = if project {
            Readback::DefaultTagKey("checkout")
        } else {
            Readback::ModuleObjectKey("rds_orders_db", "tags", "orders")
        };
        tree.read_back(rb, key, &f).unwrap();
    }
}

/// Generated Terraform for an inventory full of hostile-but-valid strings is
/// valid for Terraform itself (tf-validate: terraform 1.0.3 with the AWS provider
/// schema), when the tool is installed next to the repository.
#[test]
fn hostile_but_valid_inventory_passes_tf_validate() {
    let f = Fields {
        // As hostile as a tag value may be (letters, digits, spaces, _.:/=+-@).
        project: "x: //a/b= c+d @e-f.g_h".into(),
        tier: "t\"} ${local.a} %{ endif } {{header}} # comment".into(),
        description: "line one\n\"]}\n${var.x}\tresource \"x\" \"y\" {}".into(),
        owner: "<<EOT\n}}\nEOT".into(),
        project_tag_key: "null".into(),
        project_tag_value: "a=b //: @x+y/z".into(),
        asset_tag_key: "日本語 true".into(),
        asset_tag_value: "true".into(),
        alert_email: "o'brien+$x%y&z=*~!#@example.com".into(),
        health_check_path: "/${var.x}\"]}%{x}<script>&quot;#//".into(),
        ..Fields::default()
    };
    let a = analyze("a.hcl", &to_hcl(&f));
    let diags: Vec<String> = a.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(!a.has_errors(), "{diags:#?}");
    let tree = Tree::new(generate(&a).unwrap(), "&").unwrap();
    for (rb, value) in [
        (Readback::DefaultTag("lifeboat-project"), &f.project),
        (
            Readback::DefaultTagKey("a=b //: @x+y/z"),
            &f.project_tag_key,
        ),
        (
            Readback::ModuleObjectKey("rds_orders_db", "tags", "true"),
            &f.asset_tag_key,
        ),
        (
            Readback::ModuleListFirst("alerts", "alert_emails"),
            &f.alert_email,
        ),
        (
            Readback::ModuleObject("endpoint_web", "health_check", "path"),
            &f.health_check_path,
        ),
    ] {
        tree.read_back(rb, value, &f).unwrap();
    }

    let tool =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/tf-validate/tf-validate");
    if !tool.exists() {
        eprintln!(
            "note: {} not found; skipping terraform validation",
            tool.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for file in &tree.files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    let out = Command::new(&tool).arg(dir.path()).output().unwrap();
    if out.status.code() == Some(2) {
        eprintln!(
            "note: tf-validate could not run; skipping: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    assert!(
        out.status.success(),
        "tf-validate: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
