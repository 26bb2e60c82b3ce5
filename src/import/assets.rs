//! Terraform resources become draft assets: the facts the state knows, per kind.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::tf::{Attr, Input, Resource, Seg};
use super::{Asset, Fact, FactValue, Finding, Kind};

/// What the resources of an input become.
pub struct Collected {
    pub assets: Vec<Asset>,
    pub warnings: Vec<Finding>,
    /// Resources of types that are not assets, by type.
    pub ignored: BTreeMap<String, usize>,
}

/// Types read here besides the assets' own: parts of an asset, or not DR data.
const PARTS: &[&str] = &["aws_route53_health_check", "aws_rds_cluster_instance"];

pub fn collect(input: &Input) -> Collected {
    let mut out = Collected {
        assets: Vec::new(),
        warnings: Vec::new(),
        ignored: BTreeMap::new(),
    };
    let mut records = Vec::new();
    for r in &input.resources {
        let asset = match r.rtype.as_str() {
            "aws_db_instance" => rds(r, &mut out.warnings),
            "aws_rds_cluster" => aurora(r, &mut out.warnings),
            "aws_s3_bucket" => Some(simple(r, Kind::S3, "bucket", "bucket")),
            "aws_dynamodb_table" => Some(dynamodb(r)),
            "aws_efs_file_system" => Some(efs(r)),
            "aws_route53_record" => {
                records.push(r);
                None
            }
            t if PARTS.contains(&t) => None,
            t => {
                *out.ignored.entry(t.to_owned()).or_default() += 1;
                None
            }
        };
        out.assets.extend(asset);
    }
    let health_checks: HashMap<&str, &Resource> = input
        .resources
        .iter()
        .filter(|r| r.rtype == "aws_route53_health_check")
        .filter_map(|r| Some((r.get("id").str()?, r)))
        .collect();
    endpoints(&records, &health_checks, &mut out);
    out
}

fn new_asset(r: &Resource, kind: Kind) -> Asset {
    Asset {
        kind,
        addresses: vec![r.address.clone()],
        words: words(r),
        region: region(r),
        facts: Vec::new(),
        notes: Vec::new(),
    }
}

/// The words an asset id is made of: module names, the resource name, instance keys.
fn words(r: &Resource) -> Vec<String> {
    let a = &r.parsed;
    let mut w = Vec::new();
    for (m, key) in &a.modules {
        w.push(m.clone());
        w.extend(key.clone());
    }
    w.push(a.name.clone());
    w.extend(a.index.clone());
    w
}

/// Where a resource is: its `region` (AWS provider 6), the bucket's Region, its
/// ARN, or the Region of its provider configuration in a plan.
fn region(r: &Resource) -> Option<String> {
    if let Some(s) = r.get("region").str() {
        return Some(s.to_owned());
    }
    if let Some(s) = r.get("bucket_region").str() {
        return Some(s.to_owned());
    }
    if let Some(arn) = r.get("arn").str() {
        let region = arn.split(':').nth(3).unwrap_or_default();
        if !region.is_empty() {
            return Some(region.to_owned());
        }
    }
    r.provider_region.clone()
}

/// Why an attribute's value is not in the draft.
fn missing(a: &Attr<'_>, attr: &str) -> String {
    match a {
        Attr::Unknown => {
            format!("`{attr}` is known only after apply; import the state after `terraform apply`")
        }
        Attr::Sensitive => format!(
            "`{attr}` is sensitive in Terraform, so lifeboat does not copy it; write it here"
        ),
        _ => format!("Terraform has no `{attr}` for this resource"),
    }
}

fn string_fact(r: &Resource, attr: &str, key: &'static str) -> Fact {
    let a = r.get(attr);
    let value = match a.str() {
        Some(s) => FactValue::Str(s.to_owned()),
        None => FactValue::Choose(missing(&a, attr)),
    };
    Fact::top(key, value)
}

fn bool_fact(r: &Resource, attr: &str, key: &'static str, null: Option<bool>) -> Fact {
    let a = r.get(attr);
    let value = match (a.bool(), &a, null) {
        (Some(b), _, _) => FactValue::Bool(b),
        (None, Attr::Null, Some(b)) => FactValue::Bool(b),
        _ => FactValue::Choose(missing(&a, attr)),
    };
    Fact::top(key, value)
}

fn simple(r: &Resource, kind: Kind, attr: &str, key: &'static str) -> Asset {
    let mut a = new_asset(r, kind);
    a.facts.push(string_fact(r, attr, key));
    a
}

/// The spec's engine name for an RDS engine, or why it has none.
fn rds_engine(engine: &str) -> Result<(&'static str, Option<String>), String> {
    const ENGINES: &[&str] = &[
        "postgres",
        "mysql",
        "mariadb",
        "oracle-ee",
        "oracle-se2",
        "sqlserver-ee",
        "sqlserver-se",
        "sqlserver-ex",
        "sqlserver-web",
    ];
    let lower = engine.to_ascii_lowercase();
    if let Some(e) = ENGINES.iter().find(|e| **e == lower) {
        return Ok((e, None));
    }
    if let Some(edition) = lower.strip_suffix("-cdb")
        && let Some(e) = ENGINES.iter().find(|e| **e == edition)
    {
        return Ok((
            e,
            Some(format!(
                "Terraform's engine is `{engine}` (the multitenant architecture); lifeboat models its edition, `{e}`"
            )),
        ));
    }
    Err(format!(
        "engine `{engine}` is not one lifeboat models ({})",
        ENGINES.join(", ")
    ))
}

fn rds(r: &Resource, warnings: &mut Vec<Finding>) -> Option<Asset> {
    if r.is_set("replicate_source_db") {
        let source = r
            .get("replicate_source_db")
            .str()
            .map_or(String::new(), |s| format!(" of `{s}`"));
        warnings.push(
            Finding::warning(format!(
                "a read replica{source}: not imported; lifeboat recovers the source instance"
            ))
            .at(&r.address)
            .hint("if it is your cross-Region copy, lifeboat can manage one for the source (`dr { read_replica = true }`)"),
        );
        return None;
    }
    let mut a = new_asset(r, Kind::Rds);
    a.facts.push(string_fact(r, "identifier", "identifier"));
    let engine = r.get("engine");
    let engine = match engine.str() {
        Some(e) if e.to_ascii_lowercase().starts_with("aurora") => {
            warnings.push(
                Finding::warning(format!("an instance of an Aurora cluster (engine `{e}`): not imported; the cluster (`aws_rds_cluster`) is the asset"))
                    .at(&r.address),
            );
            return None;
        }
        Some(e) => match rds_engine(e) {
            Ok((spec, note)) => {
                a.notes.extend(note);
                FactValue::Str(spec.to_owned())
            }
            Err(why) => {
                warnings.push(Finding::warning(format!("{why}: not imported")).at(&r.address));
                return None;
            }
        },
        None => FactValue::Choose(missing(&engine, "engine")),
    };
    a.facts.push(Fact::top("engine", engine));
    let storage = r.get("allocated_storage");
    a.facts.push(Fact::top(
        "storage_gb",
        match storage
            .number()
            .filter(|n| n.as_f64().is_some_and(|f| f > 0.0))
        {
            Some(n) => FactValue::Num(n.clone()),
            None => FactValue::Choose(missing(&storage, "allocated_storage")),
        },
    ));
    a.facts
        .push(bool_fact(r, "multi_az", "multi_az", Some(false)));
    // `storage_encrypted` is optional and not computed: null is AWS's default, unencrypted.
    a.facts
        .push(bool_fact(r, "storage_encrypted", "encrypted", Some(false)));
    Some(a)
}

fn aurora(r: &Resource, warnings: &mut Vec<Finding>) -> Option<Asset> {
    if r.is_set("replication_source_identifier") {
        let source = r
            .get("replication_source_identifier")
            .str()
            .map_or(String::new(), |s| format!(" of `{s}`"));
        warnings.push(
            Finding::warning(format!(
                "a replica{source}: not imported; lifeboat recovers the source cluster"
            ))
            .at(&r.address),
        );
        return None;
    }
    let engine = r.get("engine");
    let (engine, note) = match engine.str().map(str::to_ascii_lowercase).as_deref() {
        Some(e @ ("aurora-postgresql" | "aurora-mysql")) => (FactValue::Str(e.to_owned()), None),
        Some("aurora") => (
            FactValue::Str("aurora-mysql".to_owned()),
            Some("Terraform's engine is `aurora` (Aurora MySQL version 1); lifeboat models it as `aurora-mysql`".to_owned()),
        ),
        Some(other) => {
            warnings.push(
                Finding::warning(format!(
                    "a Multi-AZ DB cluster (engine `{other}`), not Aurora: not imported; lifeboat has no kind for it"
                ))
                .at(&r.address),
            );
            return None;
        }
        None => (FactValue::Choose(missing(&engine, "engine")), None),
    };
    let mut a = new_asset(r, Kind::Aurora);
    a.notes.extend(note);
    if let Some(global) = r.get("global_cluster_identifier").str() {
        a.notes.push(format!(
            "Already a member of the global database `{global}`."
        ));
    }
    a.facts
        .push(string_fact(r, "cluster_identifier", "cluster_identifier"));
    a.facts.push(Fact::top("engine", engine));
    // AWS reports AllocatedStorage = 1 for Aurora (the volume grows by itself), so
    // only a larger value is a size.
    let storage = r.get("allocated_storage");
    a.facts.push(Fact::top(
        "storage_gb",
        match storage.number().filter(|n| n.as_f64().is_some_and(|f| f > 1.0)) {
            Some(n) => FactValue::Num(n.clone()),
            None => FactValue::Choose(
                "Terraform does not know the size of an Aurora cluster volume; write the GB it holds (CloudWatch `VolumeBytesUsed`)".to_owned(),
            ),
        },
    ));
    a.facts
        .push(bool_fact(r, "storage_encrypted", "encrypted", None));
    Some(a)
}

fn dynamodb(r: &Resource) -> Asset {
    let mut a = simple(r, Kind::Dynamodb, "name", "table");
    let replicas = r.get("replica");
    if let Attr::Known(Value::Array(list)) = replicas
        && !list.is_empty()
    {
        let regions: Vec<&str> = list
            .iter()
            .filter_map(|x| x.get("region_name")?.as_str())
            .collect();
        a.notes.push(format!(
            "Already a global table with replicas in {}.",
            regions.join(", ")
        ));
    }
    a
}

fn efs(r: &Resource) -> Asset {
    let mut a = simple(r, Kind::Efs, "id", "file_system_id");
    let size = r.at(&[Seg::Key("size_in_bytes"), Seg::Index(0), Seg::Key("value")]);
    if let Some(bytes) = size.number().and_then(serde_json::Number::as_f64) {
        // Metered size at the time of the state, in GiB, rounded up.
        let gb = (bytes / 1_073_741_824.0).ceil().max(1.0) as u64;
        a.facts
            .push(Fact::top("size_gb", FactValue::Num(gb.into())));
    }
    a
}

/// Failover record pairs (same zone, name and type; one PRIMARY, one SECONDARY)
/// become endpoints.
fn endpoints(records: &[&Resource], checks: &HashMap<&str, &Resource>, out: &mut Collected) {
    // (zone, name, type) -> [primary, secondary]
    let mut pairs: BTreeMap<(String, String, String), [Vec<&Resource>; 2]> = BTreeMap::new();
    for r in records {
        let role = r.at(&[
            Seg::Key("failover_routing_policy"),
            Seg::Index(0),
            Seg::Key("type"),
        ]);
        let slot = match role.str().map(str::to_ascii_uppercase).as_deref() {
            Some("PRIMARY") => 0,
            Some("SECONDARY") => 1,
            _ => {
                *out.ignored.entry(r.rtype.clone()).or_default() += 1;
                continue;
            }
        };
        let zone = r
            .get("zone_id")
            .str()
            .unwrap_or("(unknown zone)")
            .to_owned();
        let Some(name) = domain(r) else {
            let why = match r.get("fqdn") {
                Attr::Sensitive => "sensitive",
                _ => "unknown until apply",
            };
            out.warnings.push(
                Finding::warning(format!(
                    "a failover record whose name is {why}: failover pairs are matched by name, so not imported"
                ))
                .at(&r.address),
            );
            continue;
        };
        let rtype = r.get("type").str().unwrap_or_default().to_ascii_uppercase();
        pairs.entry((zone, name, rtype)).or_default()[slot].push(r);
    }
    for ((_, name, rtype), [primary, secondary]) in pairs {
        let (Some(p), Some(s), 1, 1) = (
            primary.first(),
            secondary.first(),
            primary.len(),
            secondary.len(),
        ) else {
            let all: Vec<&str> = primary
                .iter()
                .chain(&secondary)
                .map(|r| r.address.as_str())
                .collect();
            let why = match (primary.len(), secondary.len()) {
                (_, 0) => "a PRIMARY failover record without a SECONDARY",
                (0, _) => "a SECONDARY failover record without a PRIMARY",
                _ => "more than one PRIMARY or SECONDARY record for one name",
            };
            let mut w = Finding::warning(format!(
                "`{name}` ({rtype}): {why}: not imported as an endpoint"
            ))
            .at(all[0]);
            if all.len() > 1 {
                w = w.hint(format!("records: {}", all.join(", ")));
            }
            out.warnings.push(w);
            continue;
        };
        if let Some(a) = endpoint(p, s, &name, checks, &mut out.warnings) {
            out.assets.push(a);
        }
    }
}

/// The record's name as users resolve it: lower case, no trailing dot.
fn domain(r: &Resource) -> Option<String> {
    let d = r.get("fqdn").str().or_else(|| r.get("name").str())?;
    Some(d.trim_end_matches('.').to_ascii_lowercase())
}

fn endpoint(
    p: &Resource,
    s: &Resource,
    name: &str,
    checks: &HashMap<&str, &Resource>,
    warnings: &mut Vec<Finding>,
) -> Option<Asset> {
    let mut a = new_asset(p, Kind::Endpoint);
    a.addresses.push(s.address.clone());
    a.region = None;
    a.words = endpoint_words(p, s, name);
    a.notes.push(
        "lifeboat's Terraform creates its own failover records and health checks for this name: hand these over before you apply it (docs/adoption.md)."
            .to_owned(),
    );
    a.facts.push(string_fact(p, "zone_id", "zone_id"));
    a.facts
        .push(Fact::top("domain", FactValue::Str(name.to_owned())));
    let mut alias = false;
    for (r, block) in [(p, "primary"), (s, "secondary")] {
        let Some(target) = target(r, block) else {
            let rtype = r.get("type").str().unwrap_or_default().to_ascii_uppercase();
            warnings.push(
                Finding::warning(format!(
                    "`{name}` ({rtype}): failover records with addresses, not names: not imported; an endpoint fails over between host names (CNAME) or alias targets"
                ))
                .at(&p.address)
                .hint(format!("records: {}, {}", p.address, s.address)),
            );
            return None;
        };
        alias |= target.iter().any(|f| f.key == "alias_name");
        a.facts.extend(target);
    }
    if !alias && let Some(ttl) = p.get("ttl").number() {
        a.facts
            .insert(2, Fact::top("ttl", FactValue::Num(ttl.clone())));
    }
    let hc = p.get("health_check_id");
    match hc.str() {
        Some(id) => match checks.get(id) {
            Some(check) => {
                a.addresses.push(check.address.clone());
                a.facts.extend(health_check(check, &mut a.notes, warnings)?);
            }
            None => warnings.push(
                Finding::warning(format!(
                    "the PRIMARY record's health check `{id}` is not in this state: the draft has no `health_check` block, so lifeboat's defaults apply"
                ))
                .at(&p.address),
            ),
        },
        None if hc == Attr::Unknown => warnings.push(
            Finding::warning(
                "the PRIMARY record's health check is known only after apply: the draft has no `health_check` block",
            )
            .at(&p.address)
            .hint("import the state after `terraform apply` to take its settings"),
        ),
        None => {}
    }
    Some(a)
}

/// An endpoint's id: the part the two records' names share, else the first label
/// of the domain, after the module names.
fn endpoint_words(p: &Resource, s: &Resource, domain: &str) -> Vec<String> {
    let mut w: Vec<String> = p
        .parsed
        .modules
        .iter()
        .flat_map(|(m, k)| std::iter::once(m.clone()).chain(k.clone()))
        .collect();
    let (a, b) = (&p.parsed.name, &s.parsed.name);
    let common: String = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    let common = common.trim_end_matches(['_', '-']);
    if a == b {
        // One resource with count or for_each: its name is the endpoint's.
        w.push(a.clone());
    } else if common.len() >= 2 {
        w.push(common.to_owned());
    } else {
        w.push(domain.split('.').next().unwrap_or(domain).to_owned());
    }
    w
}

/// The target of one record: an alias, or the host name of a CNAME (`None` for
/// records of addresses).
fn target(r: &Resource, block: &'static str) -> Option<Vec<Fact>> {
    let alias_name = r.at(&[Seg::Key("alias"), Seg::Index(0), Seg::Key("name")]);
    if alias_name != Attr::Null {
        let zone = r.at(&[Seg::Key("alias"), Seg::Index(0), Seg::Key("zone_id")]);
        return Some(vec![
            Fact::nested(
                block,
                "alias_name",
                match alias_name.str() {
                    Some(n) => FactValue::Str(n.trim_end_matches('.').to_ascii_lowercase()),
                    None => FactValue::Choose(missing(&alias_name, "alias.name")),
                },
            ),
            Fact::nested(
                block,
                "alias_zone_id",
                match zone.str() {
                    Some(z) => FactValue::Str(z.to_owned()),
                    None => FactValue::Choose(missing(&zone, "alias.zone_id")),
                },
            ),
        ]);
    }
    let rtype = r.get("type").str().unwrap_or_default().to_ascii_uppercase();
    let first = r.at(&[Seg::Key("records"), Seg::Index(0)]);
    if rtype != "CNAME" {
        return None;
    }
    Some(vec![Fact::nested(
        block,
        "hostname",
        match first.str() {
            Some(h) => FactValue::Str(h.trim_end_matches('.').to_ascii_lowercase()),
            None => FactValue::Choose(missing(&first, "records")),
        },
    )])
}

fn health_check(
    check: &Resource,
    notes: &mut Vec<String>,
    warnings: &mut Vec<Finding>,
) -> Option<Vec<Fact>> {
    let kind = check
        .get("type")
        .str()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let protocol = match kind.as_str() {
        "HTTPS" | "HTTP" | "TCP" => kind.clone(),
        "HTTPS_STR_MATCH" | "HTTP_STR_MATCH" => {
            let p = kind.trim_end_matches("_STR_MATCH").to_owned();
            notes.push(format!(
                "The existing health check ({kind}) also looks for a string in the response; lifeboat's health check ({p}) looks at the status code only."
            ));
            p
        }
        other => {
            warnings.push(
                Finding::warning(format!(
                    "health check of type `{other}`: lifeboat's endpoints probe HTTPS, HTTP or TCP; the draft has no `health_check` block"
                ))
                .at(&check.address),
            );
            return Some(Vec::new());
        }
    };
    let mut facts = vec![Fact::nested(
        "health_check",
        "protocol",
        FactValue::Str(protocol.clone()),
    )];
    let num = |attr: &str, key: &'static str, facts: &mut Vec<Fact>| {
        if let Some(n) = check.get(attr).number() {
            facts.push(Fact::nested("health_check", key, FactValue::Num(n.clone())));
        }
    };
    num("port", "port", &mut facts);
    if protocol != "TCP"
        && let Some(path) = check.get("resource_path").str()
    {
        facts.push(Fact::nested(
            "health_check",
            "path",
            FactValue::Str(path.to_owned()),
        ));
    }
    num("request_interval", "interval", &mut facts);
    num("failure_threshold", "failure_threshold", &mut facts);
    Some(facts)
}
