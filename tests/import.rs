//! `lifeboat import`: drafts from real `terraform show -json` output
//! (tests/fixtures/import, written by Terraform itself), what `check` says about
//! them, updates that keep the user's edits, and what import refuses.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};
use lifeboat::import::{self, Change, Options};
use lifeboat::source::{SourceFile, Sources};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/import";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join(FIXTURES).join(name)).expect("fixture")
}

fn json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture JSON")
}

fn opts(source: &str) -> Options {
    Options {
        source_name: source.to_owned(),
        ..Options::default()
    }
}

fn draft(text: &str, o: &Options) -> import::Outcome {
    match import::import(text, None, o) {
        Ok(out) => out,
        Err(f) => panic!("import failed: {f:#?}"),
    }
}

fn update(text: &str, existing: &str, o: &Options) -> import::Outcome {
    match import::import(text, Some(existing), o) {
        Ok(out) => out,
        Err(f) => panic!("import failed: {f:#?}"),
    }
}

/// The Terraform outputs import drafts from.
const INPUTS: &[&str] = &[
    "state.json",
    "plan.json",
    "state-changed.json",
    "edge-state.json",
];

fn lifeboat() -> Command {
    let mut cmd = Command::new(get_cargo_bin("lifeboat"));
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

macro_rules! snap {
    ($name:expr, $cmd:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots/import",
            prepend_module_to_snapshot => false,
        }, {
            assert_cmd_snapshot!($name, $cmd);
        });
    };
}

/// The draft (stdout), warnings and summary (stderr) of every fixture, reviewed.
#[test]
fn drafts_of_real_terraform_output() {
    for input in INPUTS {
        let name = format!(
            "draft_{}",
            input.trim_end_matches(".json").replace('-', "_")
        );
        snap!(
            name,
            lifeboat().args(["import", &format!("{FIXTURES}/{input}"), "-o", "-"])
        );
    }
}

/// Diagnostics of `lifeboat check` on a draft, as (line, code).
fn check(text: &str) -> Vec<(usize, String)> {
    let a = lifeboat::analyze(Sources::new(vec![SourceFile::new("draft.hcl", text)]));
    a.diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let span = d.span.as_ref().expect("located");
            let (line, _) = a.sources.file(span.file).line_col(span.range.start);
            (line, d.code.as_str().to_owned())
        })
        .collect()
}

/// For every line of a draft: the kind of the asset block it is in (`None` in the
/// project or outside blocks).
fn kinds_by_line(text: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    let mut kind: Option<String> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("asset ") {
            block.clear();
            kind = None;
            for (j, m) in lines.iter().enumerate().skip(i) {
                block.push(j);
                if let Some(k) = m.trim().strip_prefix("kind") {
                    kind = Some(
                        k.trim()
                            .trim_start_matches('=')
                            .trim()
                            .trim_matches('"')
                            .to_owned(),
                    );
                }
                if *m == "}" {
                    break;
                }
            }
        }
        out.push(if block.contains(&i) {
            kind.clone()
        } else {
            None
        });
    }
    out
}

/// Lines (1-based) that hold a placeholder: a `"<CHOOSE>"` value or an unnamed project.
fn placeholder_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.trim_end().ends_with("= \"<CHOOSE>\"") || l.starts_with("project \"\" {")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The only diagnostics of a fresh draft are the decisions left: one at every
/// placeholder, nothing elsewhere. (Assets of kinds this build's `check` does not
/// read yet get E104 on `kind` and nothing else; once the kind is read, its
/// placeholders fall under the first rule.)
#[test]
fn a_drafts_only_diagnostics_are_the_choices_left() {
    let known = import::checked_kinds();
    for input in INPUTS {
        let out = draft(&fixture(input), &opts(input));
        let text = &out.text;
        let kinds = kinds_by_line(text);
        let diags = check(text);
        let placeholders = placeholder_lines(text);
        assert_eq!(
            out.placeholders,
            placeholders.len(),
            "{input}: placeholder count"
        );
        let lines = text.lines().collect::<Vec<_>>();
        let mut unread_kind_lines = HashSet::new();
        for (line, code) in &diags {
            let kind = kinds[line - 1].clone();
            if code == "E104" && kind.as_ref().is_some_and(|k| !known.contains(k)) {
                assert!(
                    lines[line - 1].trim().starts_with("kind"),
                    "{input}:{line}: {code}"
                );
                unread_kind_lines.insert(*line);
                continue;
            }
            assert!(
                placeholders.contains(line),
                "{input}:{line}: {code} is not at a placeholder: {}",
                lines[line - 1]
            );
        }
        let diagnosed: HashSet<usize> = diags.iter().map(|(l, _)| *l).collect();
        for line in &placeholders {
            let in_unread = kinds[line - 1].as_ref().is_some_and(|k| !known.contains(k));
            assert!(
                in_unread || diagnosed.contains(line),
                "{input}:{line}: placeholder without a diagnostic: {}",
                lines[line - 1]
            );
        }
        assert!(
            !placeholders.is_empty(),
            "{input}: a draft without flags has choices left"
        );
    }
}

/// Every fact can be a placeholder (here: everything sensitive), and `check`
/// rejects each one where it is, and nothing else.
#[test]
fn every_fact_placeholder_is_a_diagnostic() {
    let mut state: Value = serde_json::from_str(&checkable_subset("state.json")).unwrap();
    fn mark(m: &mut Value) {
        for r in m
            .get_mut("resources")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let keys: Vec<String> = r["values"].as_object().unwrap().keys().cloned().collect();
            let sensitive = r["sensitive_values"].as_object_mut().unwrap();
            for k in keys
                .into_iter()
                .filter(|k| k != "failover_routing_policy" && k != "type")
            {
                sensitive.insert(k, Value::Bool(true));
            }
        }
        for c in m
            .get_mut("child_modules")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            mark(c);
        }
    }
    mark(&mut state["values"]["root_module"]);
    let out = draft(&state.to_string(), &opts("state.json"));
    let text = &out.text;
    // First pass: placeholders the schema rejects (numbers, bools, the engine) are
    // reported; an asset with such an error is not checked further yet.
    let placeholders = placeholder_lines(text);
    let diags = check(text);
    let lines: Vec<&str> = text.lines().collect();
    let asset_of = |line: usize| lines[..line].iter().rposition(|l| l.starts_with("asset "));
    let broken: HashSet<Option<usize>> = diags
        .iter()
        .filter(|(_, c)| c == "E103" || c == "E104")
        .map(|(l, _)| asset_of(*l))
        .collect();
    for (line, code) in &diags {
        assert!(
            placeholders.contains(line),
            "{line}: {code} not at a placeholder\n{text}"
        );
    }
    let diagnosed: HashSet<usize> = diags.iter().map(|(l, _)| *l).collect();
    for line in &placeholders {
        assert!(
            diagnosed.contains(line) || broken.contains(&asset_of(*line)),
            "{line}: placeholder neither reported nor in an asset with a schema error\n{text}"
        );
    }
    // Second pass: with those filled in, every remaining placeholder is reported.
    let filled: String = text
        .lines()
        .map(|l| {
            let key = l.split('=').next().unwrap_or_default().trim();
            let value = match key {
                "storage_gb" => "100",
                "multi_az" => "false",
                "encrypted" => "true",
                "engine" => "\"postgres\"",
                _ => return format!("{l}\n"),
            };
            format!("{}\n", l.replace("\"<CHOOSE>\"", value))
        })
        .collect();
    let remaining = placeholder_lines(&filled);
    let diags2 = check(&filled);
    let diagnosed: HashSet<usize> = diags2.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        diagnosed,
        remaining.iter().copied().collect(),
        "{diags2:?}\n{filled}"
    );
    let codes: HashSet<&str> = diags
        .iter()
        .chain(&diags2)
        .map(|(_, c)| c.as_str())
        .collect();
    assert_eq!(
        codes,
        HashSet::from(["E103", "E104", "E111", "E112", "E115", "E205"]),
        "{text}"
    );
    // Only the facts were withheld: the primary Region is a placeholder too (the
    // region attributes were sensitive), and nothing sensitive was copied.
    assert!(text.contains("primary_region = \"<CHOOSE>\""), "{text}");
    for secret in ["orders-prod", "webshop-media-prod", "shop.example.com"] {
        assert!(!text.contains(secret), "{secret}");
    }
}

/// The subset of a state `check` reads today (rds, s3, endpoints).
fn checkable_subset(name: &str) -> String {
    let mut state = json(name);
    let drop = [
        "aws_rds_cluster",
        "aws_dynamodb_table",
        "aws_efs_file_system",
    ];
    fn strip(m: &mut Value, drop: &[&str]) {
        if let Some(Value::Array(rs)) = m.get_mut("resources") {
            rs.retain(|r| !drop.contains(&r["type"].as_str().unwrap_or_default()));
        }
        if let Some(Value::Array(cs)) = m.get_mut("child_modules") {
            cs.iter_mut().for_each(|c| strip(c, drop));
        }
    }
    strip(&mut state["values"]["root_module"], &drop);
    state.to_string()
}

/// Once the choices are made, the draft is an inventory `check` accepts: with the
/// choices given as flags, or made by hand in the file.
#[test]
fn check_passes_once_the_choices_are_made() {
    for input in ["state.json", "state-changed.json"] {
        let subset = checkable_subset(input);
        let given = Options {
            project: Some("webshop".into()),
            secondary_region: Some("us-west-2".into()),
            tier: Some("important".into()),
            ..opts(input)
        };
        let out = draft(&subset, &given);
        assert_eq!(out.placeholders, 0, "{input}");
        assert_eq!(check(&out.text), [], "{input}:\n{}", out.text);

        let by_hand = draft(&subset, &opts(input))
            .text
            .replace("project \"\" {", "project \"webshop\" {")
            .replace(
                "secondary_region = \"<CHOOSE>\"",
                "secondary_region = \"us-west-2\"",
            )
            .replace("tier       = \"<CHOOSE>\"", "tier       = \"important\"")
            .replace("tier    = \"<CHOOSE>\"", "tier    = \"important\"")
            .replace("tier   = \"<CHOOSE>\"", "tier   = \"important\"");
        assert!(
            !by_hand.contains("\"<CHOOSE>\""),
            "{input}: every placeholder replaced"
        );
        assert_eq!(check(&by_hand), [], "{input}:\n{by_hand}");
    }
    // The model then judges the facts: a single-AZ 400 GB database cannot meet the
    // `critical` tier's 1 h RTO when an AZ fails.
    let strict = Options {
        project: Some("webshop".into()),
        secondary_region: Some("us-west-2".into()),
        tier: Some("critical".into()),
        ..opts("state.json")
    };
    let out = draft(&checkable_subset("state.json"), &strict);
    let codes: Vec<String> = check(&out.text).into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, ["E302"]);
    let fixed = draft(&checkable_subset("state-changed.json"), &strict);
    assert_eq!(check(&fixed.text), [], "Multi-AZ after the change meets it");
}

/// Every resource in `root_module` and its child modules, by address.
fn resources(state: &Value) -> HashMap<String, Value> {
    fn walk(m: &Value, out: &mut HashMap<String, Value>) {
        for r in m["resources"].as_array().into_iter().flatten() {
            out.insert(
                r["address"].as_str().unwrap().to_owned(),
                r["values"].clone(),
            );
        }
        for c in m["child_modules"].as_array().into_iter().flatten() {
            walk(c, out);
        }
    }
    let mut out = HashMap::new();
    walk(&state["values"]["root_module"], &mut out);
    out
}

/// The draft's assets as hcl-rs reads them: id -> (attributes, `From` addresses).
fn assets_of(text: &str) -> Vec<(String, hcl::Body, Vec<String>)> {
    let body: hcl::Body = hcl::from_str(text).expect("the draft parses with hcl-rs");
    let mut out = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "asset") {
        let id = block.labels()[0].as_str().to_owned();
        // The `From Terraform` comments of this block.
        let start = text.find(&format!("asset \"{id}\" {{")).unwrap();
        let end = start + text[start..].find("\n}").unwrap();
        let from = text[start..end]
            .lines()
            .filter_map(|l| l.trim().strip_prefix("# From Terraform: "))
            .map(str::to_owned)
            .collect();
        out.push((id, block.body().clone(), from));
    }
    out
}

fn attr<'a>(body: &'a hcl::Body, key: &str) -> Option<&'a hcl::Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

fn string(body: &hcl::Body, key: &str) -> Option<String> {
    match attr(body, key)? {
        hcl::Expression::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The spec's later kinds (aurora, dynamodb, efs), which `check` may not read yet:
/// each draft asset has exactly the spec's attributes, with the values of the
/// resource it names.
#[test]
fn later_kinds_follow_the_spec_with_terraforms_values() {
    let spec: HashMap<&str, (&[&str], &[&str])> = HashMap::from([
        (
            "aurora",
            (
                &["cluster_identifier", "engine", "storage_gb"][..],
                &["instance_class", "encrypted"][..],
            ),
        ),
        ("dynamodb", (&["table"][..], &["size_gb"][..])),
        ("efs", (&["file_system_id"][..], &["size_gb"][..])),
    ]);
    let common = [
        "kind",
        "tier",
        "depends_on",
        "description",
        "owner",
        "tags",
        "previously",
    ];
    let mut seen = HashSet::new();
    for input in ["state.json", "edge-state.json"] {
        let state = json(input);
        let by_address = resources(&state);
        for (id, body, from) in assets_of(&draft(&fixture(input), &opts(input)).text) {
            let kind = string(&body, "kind").unwrap();
            let Some((required, optional)) = spec.get(kind.as_str()) else {
                continue;
            };
            seen.insert(kind.clone());
            for a in body.attributes() {
                assert!(
                    common.contains(&a.key())
                        || required.contains(&a.key())
                        || optional.contains(&a.key()),
                    "{input}: {id}: `{}` is not an attribute of kind {kind}",
                    a.key()
                );
            }
            for r in *required {
                assert!(attr(&body, r).is_some(), "{input}: {id}: {r} missing");
            }
            let values = &by_address[&from[0]];
            match kind.as_str() {
                "aurora" => {
                    assert_eq!(
                        string(&body, "cluster_identifier").as_deref(),
                        values["cluster_identifier"].as_str()
                    );
                    let engine = string(&body, "engine").unwrap();
                    assert!(
                        ["aurora-postgresql", "aurora-mysql"].contains(&engine.as_str()),
                        "{engine}"
                    );
                    // AWS reports 1 GB for Aurora: a decision left, not a size.
                    assert_eq!(values["allocated_storage"], 1);
                    assert_eq!(string(&body, "storage_gb").as_deref(), Some("<CHOOSE>"));
                    assert_eq!(
                        attr(&body, "encrypted"),
                        Some(&hcl::Expression::Bool(
                            values["storage_encrypted"].as_bool().unwrap()
                        ))
                    );
                }
                "dynamodb" => {
                    let table = string(&body, "table").unwrap();
                    if id == "sessions" {
                        assert_eq!(table, "<CHOOSE>", "a sensitive name is not copied");
                    } else {
                        assert_eq!(Some(table.as_str()), values["name"].as_str());
                    }
                }
                "efs" => {
                    let fs = string(&body, "file_system_id").unwrap();
                    assert_eq!(Some(fs.as_str()), values["id"].as_str());
                    let hex = fs.strip_prefix("fs-").unwrap();
                    assert!(
                        [8, 17].contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()),
                        "{fs}"
                    );
                    let bytes = values["size_in_bytes"][0]["value"].as_f64().unwrap();
                    let gb = match attr(&body, "size_gb") {
                        Some(hcl::Expression::Number(n)) => n.as_f64().unwrap(),
                        other => panic!("size_gb: {other:?}"),
                    };
                    assert_eq!(gb, (bytes / 1_073_741_824.0).ceil());
                }
                _ => unreachable!(),
            }
        }
    }
    assert_eq!(
        seen.len(),
        3,
        "the fixtures have every later kind: {seen:?}"
    );
}

/// The facts of the kinds `check` reads are Terraform's values, and the draft
/// names each asset's resources.
#[test]
fn facts_are_terraforms_values() {
    let state = json("state.json");
    let by_address = resources(&state);
    let text = draft(&fixture("state.json"), &opts("state.json")).text;
    let assets = assets_of(&text);
    let ids: Vec<&str> = assets.iter().map(|(id, ..)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "orders",
            "billing",
            "ledger",
            "carts",
            "uploads",
            "logs-0",
            "media",
            "api",
            "storefront"
        ],
        "kind order, then address; the module's `this` is named by its module"
    );
    for (id, body, from) in &assets {
        for address in from {
            assert!(by_address.contains_key(address), "{id}: {address}");
        }
        let v = &by_address[&from[0]];
        match string(body, "kind").unwrap().as_str() {
            "rds" => {
                assert_eq!(
                    string(body, "identifier").as_deref(),
                    v["identifier"].as_str()
                );
                assert_eq!(string(body, "engine").as_deref(), v["engine"].as_str());
                let storage = match attr(body, "storage_gb") {
                    Some(hcl::Expression::Number(n)) => n.as_f64(),
                    _ => None,
                };
                assert_eq!(storage, v["allocated_storage"].as_f64());
                assert_eq!(
                    attr(body, "multi_az"),
                    Some(&hcl::Expression::Bool(v["multi_az"].as_bool().unwrap()))
                );
                assert_eq!(
                    attr(body, "encrypted"),
                    Some(&hcl::Expression::Bool(
                        v["storage_encrypted"].as_bool().unwrap()
                    ))
                );
            }
            "s3" => assert_eq!(string(body, "bucket").as_deref(), v["bucket"].as_str()),
            "endpoint" => {
                assert_eq!(string(body, "zone_id").as_deref(), v["zone_id"].as_str());
                assert_eq!(string(body, "domain").as_deref(), v["fqdn"].as_str());
                let secondary = &by_address[&from[1]];
                let block = |name: &str| {
                    body.blocks()
                        .find(|b| b.identifier() == name)
                        .map(|b| b.body().clone())
                        .unwrap()
                };
                for (rec, b) in [(v, block("primary")), (secondary, block("secondary"))] {
                    match rec["alias"].as_array().and_then(|a| a.first()) {
                        Some(alias) => {
                            assert_eq!(string(&b, "alias_name").as_deref(), alias["name"].as_str());
                            assert_eq!(
                                string(&b, "alias_zone_id").as_deref(),
                                alias["zone_id"].as_str()
                            );
                        }
                        None => assert_eq!(
                            string(&b, "hostname").as_deref(),
                            rec["records"][0].as_str()
                        ),
                    }
                }
                let check = &by_address[&from[2]];
                assert_eq!(v["health_check_id"], check["id"]);
                let hc = block("health_check");
                assert_eq!(string(&hc, "protocol").as_deref(), check["type"].as_str());
                assert_eq!(
                    string(&hc, "path").as_deref(),
                    check["resource_path"].as_str()
                );
                let num = |k: &str| match attr(&hc, k) {
                    Some(hcl::Expression::Number(n)) => n.as_f64(),
                    _ => None,
                };
                assert_eq!(num("interval"), check["request_interval"].as_f64());
                assert_eq!(
                    num("failure_threshold"),
                    check["failure_threshold"].as_f64()
                );
                assert_eq!(num("port"), check["port"].as_f64());
            }
            _ => {}
        }
    }
    // What is not an asset stays out: the read replica, the other Region's bucket.
    for address in [
        "aws_db_instance.orders_replica",
        "aws_s3_bucket.dr_copies",
        "aws_sns_topic.alerts",
    ] {
        assert!(!text.contains(address), "{address}");
    }
}

/// Data sources (read by this configuration, managed elsewhere) and deposed objects
/// (about to be destroyed) are not assets.
#[test]
fn data_sources_and_deposed_objects_are_skipped() {
    let mut state = json("state.json");
    let resources = state["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    let mut data = resources
        .iter()
        .find(|r| r["address"] == "aws_s3_bucket.media")
        .unwrap()
        .clone();
    data["address"] = "data.aws_s3_bucket.shared".into();
    data["mode"] = "data".into();
    data["name"] = "shared".into();
    data["values"]["bucket"] = "shared-bucket".into();
    let mut deposed = resources
        .iter()
        .find(|r| r["address"] == "aws_db_instance.orders")
        .unwrap()
        .clone();
    deposed["deposed"] = "00000001".into();
    deposed["values"]["identifier"] = "orders-old".into();
    resources.push(data);
    resources.push(deposed);
    let out = draft(&state.to_string(), &opts("state.json"));
    assert_eq!(out.skipped, 2);
    assert!(!out.text.contains("shared-bucket") && !out.text.contains("orders-old"));
    assert_eq!(
        out.text,
        draft(&fixture("state.json"), &opts("state.json")).text
    );
}

/// A sensitive value (here a table name from a `sensitive = true` variable) never
/// reaches the draft.
#[test]
fn sensitive_values_are_not_copied() {
    let state = json("edge-state.json");
    let table = &resources(&state)["aws_dynamodb_table.sessions"];
    let secret = table["name"].as_str().unwrap();
    let marked = state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_dynamodb_table.sessions")
        .map(|r| r["sensitive_values"]["name"].clone());
    assert_eq!(
        marked,
        Some(Value::Bool(true)),
        "the fixture marks the name sensitive"
    );
    let out = draft(&fixture("edge-state.json"), &opts("edge-state.json"));
    assert!(!out.text.contains(secret), "{secret} leaked into the draft");
}

/// A state written by the AWS provider 5 has no `region` attributes: the Region
/// comes from ARNs (and S3's `bucket_region`), and the draft is the same.
#[test]
fn regions_come_from_arns_when_resources_have_no_region() {
    fn without(v: &mut Value, keys: &[&str]) {
        match v {
            Value::Object(m) => {
                for k in keys {
                    m.remove(*k);
                }
                m.values_mut().for_each(|x| without(x, keys));
            }
            Value::Array(a) => a.iter_mut().for_each(|x| without(x, keys)),
            _ => {}
        }
    }
    let with = draft(&fixture("state.json"), &opts("state.json"));
    let mut v5 = json("state.json");
    without(&mut v5, &["region"]);
    assert!(!v5.to_string().contains("\"region\""));
    let out = draft(&v5.to_string(), &opts("state.json"));
    assert_eq!(out.text, with.text);
    assert_eq!(out.warnings.len(), with.warnings.len());

    // Nothing says where: the primary Region is a decision too.
    let mut bare = json("state.json");
    without(&mut bare, &["region", "arn", "bucket_region"]);
    let out = draft(&bare.to_string(), &opts("state.json"));
    assert!(
        out.text.contains("primary_region   = \"<CHOOSE>\"")
            || out.text.contains("primary_region = \"<CHOOSE>\"")
    );
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("does not say which Region"))
    );
    assert!(
        out.text.contains("webshop-dr-copies"),
        "nothing is filtered by a Region nobody knows"
    );
}

/// In a plan, a resource's Region can come from its provider configuration
/// (`configuration.provider_config`, and `variables` for `region = var.region`).
#[test]
fn plan_regions_come_from_the_provider_configuration() {
    let plan = json("plan.json");
    let mut stripped = plan.clone();
    for r in stripped["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        r["values"]
            .as_object_mut()
            .unwrap()
            .retain(|k, _| !["region", "arn", "bucket_region"].contains(&k.as_str()));
    }
    for m in stripped["planned_values"]["root_module"]["child_modules"]
        .as_array_mut()
        .unwrap()
    {
        for r in m["resources"].as_array_mut().unwrap() {
            r["values"]
                .as_object_mut()
                .unwrap()
                .retain(|k, _| !["region", "arn"].contains(&k.as_str()));
        }
    }
    assert_eq!(
        plan["configuration"]["provider_config"]["aws"]["expressions"]["region"]["references"][0],
        "var.region"
    );
    let with = draft(&fixture("plan.json"), &opts("plan.json"));
    let out = draft(&stripped.to_string(), &opts("plan.json"));
    assert_eq!(out.text, with.text);
    let west: Vec<&String> = out
        .warnings
        .iter()
        .map(|w| &w.message)
        .filter(|m| m.contains("us-west-2"))
        .collect();
    assert_eq!(west.len(), 1, "{west:?}");
    assert!(west[0].contains("aws_s3_bucket.dr_copies"));
}

/// Several Regions: the one with the most data assets is primary, the others are
/// listed; `--region` picks another one.
#[test]
fn one_primary_region_per_draft() {
    let out = draft(&fixture("state.json"), &opts("state.json"));
    assert_eq!(out.primary_region.as_deref(), Some("us-east-1"));
    let west = Options {
        region: Some("us-west-2".into()),
        ..opts("state.json")
    };
    let out = draft(&fixture("state.json"), &west);
    assert!(
        out.text.contains("primary_region = \"us-west-2\""),
        "{}",
        out.text
    );
    let ids: Vec<String> = assets_of(&out.text)
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    assert_eq!(
        ids,
        ["dr-copies", "api", "storefront"],
        "the west bucket, and the global DNS"
    );
    let listed = out
        .warnings
        .iter()
        .find(|w| w.message.contains("us-east-1"))
        .unwrap();
    assert!(
        listed.message.contains("aws_db_instance.orders")
            && listed
                .message
                .contains("module.billing.aws_db_instance.this")
    );
}

/// Ids are valid and unique whatever Terraform names things (modules, count,
/// for_each, capitals, long names, two resources with one name).
#[test]
fn ids_are_valid_and_unique() {
    for input in INPUTS {
        let ids: Vec<String> = assets_of(&draft(&fixture(input), &opts(input)).text)
            .into_iter()
            .map(|(id, ..)| id)
            .collect();
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{input}: {ids:?}");
        for id in &ids {
            assert!(lifeboat::model::lower::names::valid_id(id), "{input}: {id}");
        }
    }
    let edge: Vec<String> = assets_of(&draft(&fixture("edge-state.json"), &opts("e")).text)
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    for id in [
        "warehouse-db",
        "warehouse-db-bucket",
        "regional-eu-central",
        "cdn",
        "status",
    ] {
        assert!(edge.contains(&id.to_owned()), "{id} in {edge:?}");
    }
}

/// Strings from Terraform reach the draft through lifeboat's HCL escaper: quotes,
/// backslashes and template markers come back as they were, never as a live `${`.
#[test]
fn strings_are_escaped() {
    let nasty = [
        "a\"b\\c",
        "${file(\"/etc/passwd\")}",
        "%{ if true }x%{ endif }",
        "%${x}",
        "tab\there",
    ];
    for s in nasty {
        let mut state = json("state.json");
        for r in state["values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
        {
            if r["address"] == "aws_s3_bucket.media" {
                r["values"]["bucket"] = Value::String(s.to_owned());
            }
        }
        let out = draft(&state.to_string(), &opts("state.json"));
        let body: hcl::Body = hcl::from_str(&out.text).unwrap();
        let media = body
            .blocks()
            .find(|b| b.identifier() == "asset" && b.labels()[0].as_str() == "media")
            .unwrap();
        let value = attr(media.body(), "bucket").unwrap();
        let evaluated: hcl::Value =
            hcl::eval::Evaluate::evaluate(value, &hcl::eval::Context::new()).unwrap();
        assert_eq!(evaluated, hcl::Value::String(s.to_owned()), "{s:?}");
    }
}

/// A fresh draft is laid out as `terraform fmt` lays out HCL.
#[test]
fn drafts_are_formatted() {
    for input in INPUTS {
        let text = draft(&fixture(input), &opts(input)).text;
        assert_eq!(lifeboat::emit::hcl::fmt(&text), text, "{input}");
    }
}

/// What a user typically does to a draft.
fn edit(text: &str) -> String {
    let mut t = text
        .replace(
            "project \"\" {",
            "project \"webshop\" {\n  alert_emails     = [\"oncall@example.com\"]",
        )
        .replace(
            "secondary_region = \"<CHOOSE>\"",
            "secondary_region = \"us-west-2\" # our DR Region",
        );
    // Tiers for everything, with the CHOOSE comments removed.
    let mut out = String::new();
    let mut skip = false;
    for line in t.lines() {
        if line.trim_start().starts_with("# CHOOSE: a tier") {
            skip = true;
            continue;
        }
        if skip && line.trim_start().starts_with('#') {
            continue;
        }
        skip = false;
        out.push_str(&line.replace("\"<CHOOSE>\"", "\"important\""));
        out.push('\n');
    }
    t = out;
    // depends_on, a description, a dr block, a comment of the user's.
    t = t.replace(
        "  identifier = \"orders-prod\"\n",
        "  identifier = \"orders-prod\"\n  depends_on = [\"media\"]\n  description = \"Orders of the web shop\"\n  # Restored weekly in staging.\n  dr {\n    cross_region_copy = true\n  }\n",
    );
    // A rename: the asset keeps its `From` comment.
    t = t.replace("asset \"billing\" {", "asset \"billing-db\" {");
    // A hand-written asset that is in Terraform too (no `From` comment).
    t = t.replace("  # From Terraform: aws_s3_bucket.media\n", "");
    t.push_str("\n# Written by hand.\nasset \"shop-config\" {\n  kind   = \"s3\"\n  tier   = \"non-critical\"\n  bucket = \"shop-config-prod\"\n}\n");
    t
}

/// Re-running import on a changed state updates Terraform's facts and keeps every
/// line the user wrote; a second run changes nothing.
#[test]
fn reimport_keeps_what_the_user_wrote() {
    let first = draft(&checkable_subset("state.json"), &opts("state.json")).text;
    let edited = edit(&first);
    assert_eq!(
        check(&edited),
        [],
        "the user's edits make a valid inventory:\n{edited}"
    );
    let changed = checkable_subset("state-changed.json");
    let out = update(&changed, &edited, &opts("state-changed.json"));
    assert!(out.merged);
    // Every line the user wrote is still there, in order.
    let user_lines = [
        "project \"webshop\" {",
        "  alert_emails     = [\"oncall@example.com\"]",
        "  secondary_region = \"us-west-2\" # our DR Region",
        "  depends_on = [\"media\"]",
        "  description = \"Orders of the web shop\"",
        "  # Restored weekly in staging.",
        "    cross_region_copy = true",
        "asset \"billing-db\" {",
        "# Written by hand.",
        "  bucket = \"shop-config-prod\"",
    ];
    let mut at = 0;
    for l in user_lines {
        let found = out.text[at..]
            .find(l)
            .unwrap_or_else(|| panic!("lost {l:?}:\n{}", out.text));
        at += found;
    }
    assert_eq!(
        out.text.matches("= \"important\"").count(),
        edited.matches("= \"important\"").count()
    );
    // Terraform's changes.
    let mut changes = out.changes.clone();
    changes.sort_by_key(|c| format!("{c:?}"));
    let updated = |id: &str, a: &str, old: &str, new: &str| Change::Updated {
        id: id.into(),
        attribute: a.into(),
        old: Some(old.into()),
        new: Some(new.into()),
    };
    let mut want = vec![
        updated("orders", "storage_gb", "400", "500"),
        updated("orders", "multi_az", "false", "true"),
        Change::Linked {
            id: "media".into(),
            address: "aws_s3_bucket.media".into(),
        },
        Change::Gone {
            id: "logs-0".into(),
            address: "aws_s3_bucket.logs[0]".into(),
        },
        Change::Added {
            id: "exports-0".into(),
            address: "aws_s3_bucket.exports[0]".into(),
        },
        Change::Added {
            id: "reports-0".into(),
            address: "aws_s3_bucket.reports[0]".into(),
        },
    ];
    want.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(changes, want);
    assert!(
        out.text.contains("storage_gb  = 500") || out.text.contains("storage_gb = 500"),
        "{}",
        out.text
    );
    // The asset that left Terraform is reported, not deleted.
    assert!(out.text.contains("asset \"logs-0\""));
    // The hand-written asset that matched got its comment; the other is untouched.
    assert!(
        out.text
            .contains("asset \"media\" {\n  # From Terraform: aws_s3_bucket.media\n")
    );
    // Still an inventory: only the new assets' tiers are left to choose.
    let left: Vec<String> = check(&out.text).into_iter().map(|(_, c)| c).collect();
    assert_eq!(left, ["E205", "E205"], "{}", out.text);
    assert_eq!(out.placeholders, 2);
    // Idempotent.
    let again = update(&changed, &out.text, &opts("state-changed.json"));
    assert_eq!(again.text, out.text);
    assert_eq!(
        again.changes,
        [Change::Gone {
            id: "logs-0".into(),
            address: "aws_s3_bucket.logs[0]".into()
        }]
    );
}

/// What a plan does not know yet is a placeholder; the state after apply fills it
/// in and takes the `CHOOSE` comment with it.
#[test]
fn unknowns_of_a_plan_are_filled_by_the_state_after_apply() {
    let first = draft(&fixture("state.json"), &opts("state.json")).text;
    let planned = update(&fixture("plan.json"), &first, &opts("plan.json")).text;
    let exports = planned.split("asset \"exports-0\"").nth(1).unwrap();
    assert!(
        exports.contains("# CHOOSE: `bucket` is known only after apply"),
        "{exports}"
    );
    assert!(exports.contains("bucket = \"<CHOOSE>\""));
    let applied = update(
        &fixture("state-changed.json"),
        &planned,
        &opts("state-changed.json"),
    );
    let exports = applied.text.split("asset \"exports-0\"").nth(1).unwrap();
    let bucket =
        resources(&json("state-changed.json"))["aws_s3_bucket.exports[0]"]["bucket"].clone();
    assert!(exports.contains(&format!("bucket = {bucket}")), "{exports}");
    assert!(
        !exports
            .split("\n}")
            .next()
            .unwrap()
            .contains("known only after apply")
    );
    assert!(applied.changes.contains(&Change::Updated {
        id: "exports-0".into(),
        attribute: "bucket".into(),
        old: Some("\"<CHOOSE>\"".into()),
        new: Some(bucket.to_string()),
    }));
    assert_eq!(
        lifeboat::emit::hcl::fmt(&applied.text),
        applied.text,
        "still formatted"
    );
}

/// An endpoint whose target changes form (a host name becomes an alias) loses the
/// old attributes; a one-line block is rewritten whole.
#[test]
fn endpoint_targets_change_form() {
    let text = draft(&fixture("state.json"), &opts("state.json")).text;
    let mut state = json("state.json");
    for r in state["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        if r["address"] == "aws_route53_record.storefront_primary" {
            r["values"]["records"] = Value::Null;
            r["values"]["ttl"] = Value::Null;
            r["values"]["alias"] = serde_json::json!([{"name": "shop-alb-1.us-east-1.elb.amazonaws.com.", "zone_id": "Z35SXDOTRQ7X7K", "evaluate_target_health": true}]);
        }
    }
    let out = update(&state.to_string(), &text, &opts("state.json"));
    let storefront = out.text.split("asset \"storefront\"").nth(1).unwrap();
    let storefront = &storefront[..storefront.find("\n}\n").unwrap()];
    assert!(!storefront.contains("ttl"), "{storefront}");
    let primary = storefront
        .split("primary {")
        .nth(1)
        .unwrap()
        .split('}')
        .next()
        .unwrap();
    assert!(!primary.contains("hostname"), "{primary}");
    assert!(
        primary.contains("alias_name    = \"shop-alb-1.us-east-1.elb.amazonaws.com\""),
        "{primary}"
    );
    assert_eq!(
        check(&out.text).iter().filter(|(_, c)| c == "E116").count(),
        0
    );

    let oneline = text.replace(
        "  primary {\n    hostname = \"shop-use1.example.com\"\n  }",
        "  primary { hostname = \"shop-use1.example.com\" }",
    );
    assert_ne!(oneline, text);
    let out = update(&state.to_string(), &oneline, &opts("state.json"));
    let primary = out
        .text
        .split("asset \"storefront\"")
        .nth(1)
        .unwrap()
        .split("primary {")
        .nth(1)
        .unwrap();
    assert!(primary.starts_with("\n    alias_name"), "{primary}");
}

/// A placeholder of the project (the primary Region nobody knew) is filled in once
/// Terraform knows it; a block of Terraform's facts that is missing comes back.
#[test]
fn missing_facts_come_back() {
    let mut bare = json("state.json");
    for r in bare["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        let v = r["values"].as_object_mut().unwrap();
        v.remove("region");
        v.remove("arn");
        v.remove("bucket_region");
    }
    bare["values"]["root_module"]
        .as_object_mut()
        .unwrap()
        .remove("child_modules");
    let first = draft(&bare.to_string(), &opts("state.json")).text;
    assert!(first.contains("primary_region = \"<CHOOSE>\""));
    // The user removes the storefront's health_check block.
    let start = first
        .find("  health_check {\n    protocol          = \"HTTPS\"")
        .unwrap();
    let end = start + first[start..].find("  }\n").unwrap() + 4;
    let edited = format!("{}{}", &first[..start], &first[end..]);
    let out = update(&fixture("state.json"), &edited, &opts("state.json"));
    let project = out.text.split("\n}\n").next().unwrap();
    assert!(
        project.contains("primary_region = \"us-east-1\""),
        "{project}"
    );
    assert!(
        !project.contains("the Region the assets are in"),
        "its CHOOSE comment went: {project}"
    );
    assert!(out.changes.contains(&Change::Updated {
        id: String::new(),
        attribute: "primary_region".into(),
        old: Some("\"<CHOOSE>\"".into()),
        new: Some("\"us-east-1\"".into()),
    }));
    let storefront = out.text.split("asset \"storefront\"").nth(1).unwrap();
    assert!(
        storefront.contains("  health_check {\n    protocol          = \"HTTPS\"\n"),
        "{storefront}"
    );
    // The module's database, new to this draft, is added; the rest is as in a fresh draft.
    assert!(out.changes.contains(&Change::Added {
        id: "billing".into(),
        address: "module.billing.aws_db_instance.this".into(),
    }));
    let fresh = draft(&fixture("state.json"), &opts("state.json")).text;
    let body = |t: &str| {
        t[t.find("asset \"storefront\"").unwrap()..]
            .split("\n}\n")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(body(&out.text), body(&fresh));
}

/// Drafts import cannot read, or that say contradictory things, are refused with
/// the reason, and nothing is written.
#[test]
fn refuses_drafts_it_cannot_update() {
    let state = fixture("state.json");
    let good = draft(&state, &opts("state.json")).text;
    let cases: Vec<(String, &str)> = vec![
        (
            format!("{good}\nasset \"x\" {{\n  kind = \n}}\n"),
            "not valid HCL",
        ),
        (
            fixture("../../../examples/webshop/finance.json"),
            "JSON form",
        ),
        (
            "# nothing yet\n".to_owned(),
            "no `project` or `asset` block",
        ),
        (
            good.replace(
                "asset \"media\" {",
                "asset \"media\" {\n  # From Terraform: aws_db_instance.orders",
            ),
            "both say they come from `aws_db_instance.orders`",
        ),
        (
            good.replace(
                "kind       = \"rds\"\n  identifier = \"orders-prod\"",
                "kind       = \"s3\"\n  identifier = \"orders-prod\"",
            ),
            "but its kind is `s3`",
        ),
    ];
    for (existing, want) in cases {
        let err = import::import(&state, Some(&existing), &opts("state.json")).expect_err(want);
        let text = format!("{err:?}");
        assert!(text.contains(want), "want {want:?} in {text}");
    }
    // The location of a syntax error points into the draft.
    let broken = format!("{good}\nasset \"x\" {{\n  kind = \n}}\n");
    let err = import::import(&state, Some(&broken), &opts("state.json")).unwrap_err();
    let line = good.lines().count() + 3;
    assert!(err[0].in_draft);
    assert!(
        matches!(err[0].location, Some((l, _)) if l == line || l == line + 1),
        "{:?}",
        err[0].location
    );
}

/// Not Terraform's JSON, or not the kind `terraform show -json` writes: refused
/// with a hint, exit 1, nothing written.
#[test]
fn refuses_other_json() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "not_json",
            Some("{\"format_version\": \"1.0\",\n  \"values\": {\"root_module\": }\n}"),
        ),
        ("raw_state_file", None),
        ("plan_ui_stream", None),
        ("inventory", None),
        (
            "future_format",
            Some("{\"format_version\": \"2.0\", \"values\": {}}"),
        ),
        ("array", Some("[]")),
        (
            "providers_schema",
            Some("{\"format_version\": \"1.0\", \"provider_schemas\": {}}"),
        ),
        (
            "unknown_object",
            Some("{\"format_version\": \"1.0\", \"outputs\": {}}"),
        ),
        (
            "empty_state",
            Some("{\"format_version\": \"1.0\", \"terraform_version\": \"1.11.4\"}"),
        ),
        (
            "no_assets",
            Some(
                "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": [{\"address\": \"aws_sns_topic.a\", \"mode\": \"managed\", \"type\": \"aws_sns_topic\", \"name\": \"a\", \"values\": {\"region\": \"us-east-1\"}}]}}}",
            ),
        ),
        (
            "wrong_shape",
            Some(
                "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": {}}}}",
            ),
        ),
    ];
    for (name, stdin) in cases {
        let mut cmd = lifeboat();
        match (name, stdin) {
            (_, Some(text)) => {
                cmd.args(["import", "-", "-o", "-"]);
                insta::with_settings!({ snapshot_path => "../snapshots/import", prepend_module_to_snapshot => false }, {
                    assert_cmd_snapshot!(format!("refuses_{name}"), cmd.pass_stdin(*text));
                });
                continue;
            }
            (&"raw_state_file", None) => cmd.args([
                "import",
                &format!("{FIXTURES}/terraform.tfstate"),
                "-o",
                "-",
            ]),
            (&"plan_ui_stream", None) => {
                cmd.args(["import", &format!("{FIXTURES}/plan-ui.jsonl"), "-o", "-"])
            }
            (_, None) => cmd.args(["import", "examples/webshop/finance.json", "-o", "-"]),
        };
        snap!(format!("refuses_{name}"), &mut cmd);
    }
}

/// The command: writes a draft, updates it, `--check` exits 1 when it is out of
/// date, standard input works, and no temporary file is left behind.
#[test]
fn command_writes_updates_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lifeboat.hcl");
    let run = |args: &[&str]| {
        let o = lifeboat().args(args).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let out_s = out.to_str().unwrap();
    let state = format!("{FIXTURES}/state.json");
    let changed = format!("{FIXTURES}/state-changed.json");
    assert_eq!(
        run(&["import", &state, "-o", out_s, "--check"]).0,
        Some(1),
        "missing draft"
    );
    let (code, err) = run(&["import", &state, "-o", out_s]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("wrote"), "{err}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, draft(&fixture("state.json"), &opts(&state)).text);
    assert_eq!(run(&["import", &state, "-o", out_s, "--check"]).0, Some(0));
    let (code, err) = run(&["import", &state, "-o", out_s]);
    assert_eq!(code, Some(0));
    assert!(err.contains("is up to date"), "{err}");
    let (code, err) = run(&["import", &changed, "-o", out_s, "--check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("updated: `orders` storage_gb: 400 -> 500"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        written,
        "--check writes nothing"
    );
    let (code, err) = run(&["import", &changed, "-o", out_s]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("updated `"), "{err}");
    assert_ne!(std::fs::read_to_string(&out).unwrap(), written);
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["lifeboat.hcl"], "no temporary file left");

    // Standard input, and a bad flag is a usage error (exit 2).
    let piped = lifeboat()
        .args(["import", "-", "-o", "-", "--project", "shop"])
        .stdin(std::fs::File::open(common::root().join(&state)).unwrap())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&piped.stdout).contains("project \"shop\" {"));
    assert_eq!(
        run(&["import", &state, "--region", "us-east-9x"]).0,
        Some(2)
    );
    assert_eq!(run(&["import", "no/such/file.json", "-o", "-"]).0, Some(2));
    assert!(!Path::new(&common::root().join("lifeboat.hcl")).exists());
}
