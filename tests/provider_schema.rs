//! Every resource and data block that lifeboat emits (root and modules, for every
//! example) is checked against the AWS provider 6.66.0 schema, vendored trimmed in
//! tests/schema/ (regenerate with tests/schema/trim.py). Catches unknown
//! arguments, read-only arguments, missing required arguments and blocks, and
//! wrong block nesting, so `cargo test` alone finds schema errors.

mod common;

use hcl::{Block, Body};
use serde_json::Value;

const META_ATTRS: &[&str] = &["count", "for_each", "provider", "depends_on"];

fn schema() -> Value {
    let text = std::fs::read_to_string(
        common::root().join("tests/schema/aws-provider-6.66.0-trimmed.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn check_body(body: &Body, schema: &Value, at: &str, top: bool, errors: &mut Vec<String>) {
    let attrs = &schema["attributes"];
    let blocks = &schema["blocks"];
    for a in body.attributes() {
        let name = a.key();
        if top && META_ATTRS.contains(&name) {
            continue;
        }
        match attrs.get(name) {
            None => errors.push(format!("{at}: unknown argument `{name}`")),
            Some(s)
                if s["computed"] == true && s["optional"] == false && s["required"] == false =>
            {
                errors.push(format!("{at}: `{name}` is read-only"))
            }
            _ => {}
        }
    }
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut dynamic: Vec<String> = Vec::new();
    for b in body.blocks() {
        let ident = b.identifier();
        match ident {
            "lifecycle" | "provisioner" | "connection" if top => continue,
            "dynamic" => {
                let name = b
                    .labels()
                    .first()
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default();
                match blocks.get(&name) {
                    None => errors.push(format!("{at}: unknown block `{name}` (dynamic)")),
                    Some(s) => {
                        if let Some(content) =
                            b.body().blocks().find(|c| c.identifier() == "content")
                        {
                            check_body(content.body(), s, &format!("{at}.{name}"), false, errors);
                        }
                    }
                }
                dynamic.push(name);
            }
            _ => match blocks.get(ident) {
                None => errors.push(format!("{at}: unknown block `{ident}`")),
                Some(s) => {
                    *counts.entry(ident.to_owned()).or_default() += 1;
                    check_body(b.body(), s, &format!("{at}.{ident}"), false, errors);
                }
            },
        }
    }
    if let Some(map) = attrs.as_object() {
        for (name, s) in map {
            if s["required"] == true && body.attributes().all(|a| a.key() != name) {
                errors.push(format!("{at}: missing required argument `{name}`"));
            }
        }
    }
    if let Some(map) = blocks.as_object() {
        for (name, s) in map {
            let n = counts.get(name).copied().unwrap_or(0);
            let is_dynamic = dynamic.contains(name);
            let min = s["min_items"].as_u64().unwrap_or(0) as usize;
            if n < min && !is_dynamic {
                errors.push(format!(
                    "{at}: block `{name}` needs at least {min}, found {n}"
                ));
            }
            if let Some(max) = s["max_items"].as_u64()
                && n > max as usize
            {
                errors.push(format!(
                    "{at}: block `{name}` allows at most {max}, found {n}"
                ));
            }
        }
    }
}

fn check_file(path: &str, text: &str, schema: &Value, errors: &mut Vec<String>) {
    let body: Body = hcl::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    for b in body.blocks() {
        let kind = match b.identifier() {
            "resource" => "resources",
            "data" => "data_sources",
            _ => continue,
        };
        let ty = label(b, 0);
        let name = label(b, 1);
        match schema[kind].get(&ty) {
            None => errors.push(format!(
                "{path}: {ty} is not in the trimmed schema (run tests/schema/trim.py)"
            )),
            Some(s) => check_body(b.body(), s, &format!("{path}: {ty}.{name}"), true, errors),
        }
    }
}

fn label(b: &Block, i: usize) -> String {
    b.labels()
        .get(i)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_default()
}

#[test]
fn emitted_terraform_matches_the_provider_schema() {
    let schema = schema();
    let mut cases = common::fixtures("examples");
    cases.extend(common::fixtures("tests/fixtures/valid"));
    let mut errors = Vec::new();
    let mut checked = 0;
    for case in cases {
        let a = common::analyze(&case);
        let opts = lifeboat::emit::Options::default();
        for f in lifeboat::emit::generate(&a, &opts).unwrap() {
            if f.path.ends_with(".tf") {
                check_file(
                    &format!("{case}/{}", f.path),
                    &f.contents,
                    &schema,
                    &mut errors,
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "checked {checked} files");
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
}

#[test]
fn the_checker_catches_schema_errors() {
    let schema = schema();
    let bad = r#"
resource "aws_backup_vault" "v" {
  nme = "x"
  arn = "y"
  force_destroy = true
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name = "r"
    target_vault_name = "v"
    copy_action {
      destination_vault_arn = "a"
      lifecycle {
        delete_after = 1
      }
      lifecycle {
        delete_after = 2
      }
    }
  }
  rules {}
}
"#;
    let mut errors = Vec::new();
    check_file("bad.tf", bad, &schema, &mut errors);
    let text = errors.join("\n");
    for want in [
        "unknown argument `nme`",
        "`arn` is read-only",
        "missing required argument `name`",
        "unknown block `rules`",
        "block `lifecycle` allows at most 1, found 2",
    ] {
        assert!(text.contains(want), "expected `{want}` in:\n{text}");
    }
}
