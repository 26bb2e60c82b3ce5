//! Reading the JSON of `terraform show -json`: a state (`values.root_module`) or a
//! saved plan (`planned_values.root_module`, `prior_state`, `resource_changes`,
//! `configuration`), both with nested `child_modules`. Format:
//! <https://developer.hashicorp.com/terraform/internals/json-format>.
//!
//! What other JSON is (a raw state file, `terraform plan -json` messages, an
//! inventory) is recognised and refused with a hint, not misread.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Finding;

/// Which kind of `terraform show -json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    State,
    Plan,
}

impl Form {
    pub fn describe(self) -> &'static str {
        match self {
            Form::State => "a state",
            Form::Plan => "a saved plan",
        }
    }
}

/// The input, read.
#[derive(Debug)]
pub struct Input {
    pub form: Form,
    pub terraform_version: Option<String>,
    /// Managed resources, in the order Terraform wrote them.
    pub resources: Vec<Resource>,
    /// Every resource address in the input, whatever its type or mode (to tell a
    /// resource that left Terraform from one that is only not imported).
    pub addresses: std::collections::HashSet<String>,
    /// Data sources and deposed objects: read by Terraform, not managed here.
    pub skipped: usize,
    pub warnings: Vec<Finding>,
}

/// One managed resource instance.
#[derive(Debug)]
pub struct Resource {
    pub address: String,
    pub rtype: String,
    /// The address split into module calls and the resource (see [`Address`]).
    pub parsed: Address,
    values: Value,
    /// `after_unknown` of the plan's change (`null` for a state).
    unknown: Value,
    /// `sensitive_values`.
    sensitive: Value,
    /// The Region of the provider configuration this resource uses, when the plan's
    /// `configuration` says it.
    pub provider_region: Option<String>,
}

/// What Terraform knows about one attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr<'a> {
    Known(&'a Value),
    /// Null or absent.
    Null,
    /// Known only after apply (a plan).
    Unknown,
    /// Marked sensitive: never copied into the draft.
    Sensitive,
}

impl<'a> Attr<'a> {
    pub fn str(&self) -> Option<&'a str> {
        match self {
            Attr::Known(Value::String(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    pub fn bool(&self) -> Option<bool> {
        match self {
            Attr::Known(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<&'a serde_json::Number> {
        match self {
            Attr::Known(Value::Number(n)) => Some(n),
            _ => None,
        }
    }
}

/// One step into a resource's attributes.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl Resource {
    /// The attribute at a path of keys and list indices, e.g.
    /// `[Key("failover_routing_policy"), Index(0), Key("type")]`.
    pub fn at(&self, path: &[Seg<'_>]) -> Attr<'_> {
        if marked(&self.sensitive, path) {
            return Attr::Sensitive;
        }
        let value = walk(&self.values, path);
        match value {
            Some(Value::Null) => Attr::Null,
            Some(v) => Attr::Known(v),
            None if marked(&self.unknown, path) => Attr::Unknown,
            None => Attr::Null,
        }
    }

    pub fn get(&self, key: &str) -> Attr<'_> {
        self.at(&[Seg::Key(key)])
    }

    /// Whether an attribute has a value (known, unknown or sensitive, but not null
    /// or empty): a read replica is one whatever its source is.
    pub fn is_set(&self, key: &str) -> bool {
        match walk(&self.values, &[Seg::Key(key)]) {
            Some(Value::Null) => false,
            Some(Value::String(s)) => !s.is_empty(),
            Some(_) => true,
            None => marked(&self.unknown, &[Seg::Key(key)]),
        }
    }
}

fn walk<'v>(mut v: &'v Value, path: &[Seg<'_>]) -> Option<&'v Value> {
    for seg in path {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => m.get(*k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Whether a `sensitive_values` or `after_unknown` tree marks the path (or a
/// value that contains it) with `true`.
fn marked(tree: &Value, path: &[Seg<'_>]) -> bool {
    let mut v = tree;
    for seg in path {
        if v == &Value::Bool(true) {
            return true;
        }
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => match m.get(*k) {
                Some(x) => x,
                None => return false,
            },
            (Seg::Index(i), Value::Array(a)) => match a.get(*i) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    v == &Value::Bool(true)
}

/// A resource address split into its parts:
/// `module.a["x"].module.b.aws_s3_bucket.logs[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    /// Module calls, outermost first: name and instance key as written (`"x"`, `0`).
    pub modules: Vec<(String, Option<String>)>,
    pub rtype: String,
    pub name: String,
    pub index: Option<String>,
}

impl Address {
    pub fn parse(address: &str) -> Option<Address> {
        let segs = split_address(address)?;
        let mut it = segs.iter().map(String::as_str).peekable();
        let mut out = Address::default();
        loop {
            let first = it.next()?;
            if first == "module" {
                let (name, key) = name_and_key(it.next()?)?;
                out.modules.push((name, key));
                continue;
            }
            if first == "data" {
                return None;
            }
            out.rtype = first.to_owned();
            let (name, key) = name_and_key(it.next()?)?;
            out.name = name;
            out.index = key;
            return it.next().is_none().then_some(out);
        }
    }

    /// The address without instance keys, as `configuration` names resources.
    pub fn config_path(&self) -> (Vec<&str>, String) {
        (
            self.modules.iter().map(|(m, _)| m.as_str()).collect(),
            format!("{}.{}", self.rtype, self.name),
        )
    }
}

/// Split at the dots that separate address parts (not the ones inside `["..."]`).
fn split_address(address: &str) -> Option<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_string = true,
                '[' => depth += 1,
                ']' => depth = depth.checked_sub(1)?,
                '.' if depth == 0 => {
                    parts.push(String::new());
                    continue;
                }
                _ => {}
            }
        }
        parts.last_mut()?.push(c);
    }
    (!in_string && depth == 0 && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

/// `logs[0]` -> (`logs`, `0`); `b["x"]` -> (`b`, `x`).
fn name_and_key(part: &str) -> Option<(String, Option<String>)> {
    let Some(open) = part.find('[') else {
        return Some((part.to_owned(), None));
    };
    let name = &part[..open];
    let inner = part[open + 1..].strip_suffix(']')?;
    let key = match serde_json::from_str::<Value>(inner) {
        Ok(Value::String(s)) => s,
        _ => inner.to_owned(),
    };
    Some((name.to_owned(), Some(key)))
}

/// Read the text of `terraform show -json`; `name` is how findings name it.
pub fn read(text: &str) -> Result<Input, Vec<Finding>> {
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Err(vec![syntax_error(text, &e)]),
    };
    let Value::Object(top) = &doc else {
        return Err(vec![not_show(&format!("a JSON {}", type_name(&doc)))]);
    };
    if let Some(why) = other_tool(top) {
        return Err(vec![why]);
    }
    let Some(version) = top.get("format_version") else {
        return Err(vec![not_show("an object without `format_version`")]);
    };
    let version = version.as_str().unwrap_or_default();
    if version.split('.').next() != Some("1") {
        return Err(vec![
            Finding::error(format!(
                "`format_version` is {}; lifeboat reads version 1.x of Terraform's JSON output",
                serde_json::to_string(&top["format_version"]).unwrap_or_default()
            ))
            .hint("this JSON format comes from a newer or unknown tool; write it with Terraform 0.12 or later (or OpenTofu) as `terraform show -json`"),
        ]);
    }
    let is_plan = [
        "planned_values",
        "resource_changes",
        "prior_state",
        "configuration",
    ]
    .iter()
    .any(|k| top.contains_key(*k));
    let known = [
        "format_version",
        "terraform_version",
        "values",
        "planned_values",
        "resource_changes",
        "resource_drift",
        "prior_state",
        "configuration",
        "variables",
        "output_changes",
        "relevant_attributes",
        "checks",
        "timestamp",
        "applyable",
        "complete",
        "errored",
        "deferred_changes",
        "action_invocations",
    ];
    if !is_plan && !top.contains_key("values") && top.keys().any(|k| !known.contains(&k.as_str())) {
        return Err(vec![not_show(&format!(
            "an object with `format_version` but neither `values` (a state) nor `planned_values` (a plan); its keys: {}",
            top.keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))]);
    }
    let mut input = Input {
        form: if is_plan { Form::Plan } else { Form::State },
        terraform_version: top
            .get("terraform_version")
            .and_then(Value::as_str)
            .map(str::to_owned),
        resources: Vec::new(),
        addresses: Default::default(),
        skipped: 0,
        warnings: Vec::new(),
    };
    let mut errors = Vec::new();
    if is_plan {
        if top.get("errored") == Some(&Value::Bool(true)) {
            input.warnings.push(
                Finding::warning("the plan errored: Terraform could not plan every resource, so the draft may miss some")
                    .hint("fix the errors `terraform plan` reports and save the plan again"),
            );
        } else if top.get("complete") == Some(&Value::Bool(false)) {
            input.warnings.push(
                Finding::warning("the plan is incomplete (deferred changes or -target): the draft may miss resources")
                    .hint("import a full plan, or the state after apply"),
            );
        }
        let unknown = changes(top, "after_unknown");
        let sensitive = changes(top, "after_sensitive");
        let regions = ProviderRegions::from_plan(top);
        let root = top
            .get("planned_values")
            .and_then(|p| p.get("root_module"))
            .or_else(|| {
                top.get("prior_state")
                    .and_then(|p| p.get("values"))
                    .and_then(|v| v.get("root_module"))
            });
        if let Some(root) = root {
            walk_module(
                root,
                "planned_values.root_module",
                &mut input,
                &mut errors,
                &|address, parsed| {
                    (
                        unknown.get(address).cloned().unwrap_or(Value::Null),
                        sensitive.get(address).cloned(),
                        regions.region_of(parsed),
                    )
                },
            );
        }
        // Resources the plan destroys are not in planned_values, but they are in the
        // input: they are leaving Terraform, so they count as gone.
    } else if let Some(root) = top.get("values").and_then(|v| v.get("root_module")) {
        walk_module(
            root,
            "values.root_module",
            &mut input,
            &mut errors,
            &|_, _| (Value::Null, None, None),
        );
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

type Extra<'a> = dyn Fn(&str, &Address) -> (Value, Option<Value>, Option<String>) + 'a;

fn walk_module(
    module: &Value,
    at: &str,
    input: &mut Input,
    errors: &mut Vec<Finding>,
    extra: &Extra<'_>,
) {
    let Value::Object(m) = module else {
        errors.push(shape(at, "is not an object"));
        return;
    };
    if let Some(resources) = m.get("resources").filter(|v| !v.is_null()) {
        let Value::Array(resources) = resources else {
            errors.push(shape(&format!("{at}.resources"), "is not a list"));
            return;
        };
        for (i, r) in resources.iter().enumerate() {
            let here = format!("{at}.resources[{i}]");
            let (Some(address), Some(rtype)) = (
                r.get("address").and_then(Value::as_str),
                r.get("type").and_then(Value::as_str),
            ) else {
                errors.push(shape(&here, "has no `address` or `type`"));
                continue;
            };
            input.addresses.insert(address.to_owned());
            let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
            if mode != "managed" || r.get("deposed").is_some() {
                input.skipped += 1;
                continue;
            }
            let Some(parsed) = Address::parse(address) else {
                errors.push(shape(
                    &here,
                    &format!("has an address Terraform does not write: `{address}`"),
                ));
                continue;
            };
            let (unknown, after_sensitive, provider_region) = extra(address, &parsed);
            let sensitive = r
                .get("sensitive_values")
                .cloned()
                .or(after_sensitive)
                .unwrap_or(Value::Null);
            input.resources.push(Resource {
                address: address.to_owned(),
                rtype: rtype.to_owned(),
                parsed,
                values: r.get("values").cloned().unwrap_or(Value::Null),
                unknown,
                sensitive,
                provider_region,
            });
        }
    }
    if let Some(children) = m.get("child_modules").filter(|v| !v.is_null()) {
        let Value::Array(children) = children else {
            errors.push(shape(&format!("{at}.child_modules"), "is not a list"));
            return;
        };
        for (i, c) in children.iter().enumerate() {
            walk_module(c, &format!("{at}.child_modules[{i}]"), input, errors, extra);
        }
    }
}

/// `after_unknown` (or `after_sensitive`) of every resource change, by address.
fn changes(top: &Map<String, Value>, field: &str) -> HashMap<String, Value> {
    top.get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let address = c.get("address")?.as_str()?;
            let v = c.get("change")?.get(field)?;
            Some((address.to_owned(), v.clone()))
        })
        .collect()
}

/// The Regions of the plan's provider configurations, and which configuration each
/// resource uses (`configuration.provider_config`, `provider_config_key`).
struct ProviderRegions {
    /// provider_config key -> its Region, where the configuration fixes it.
    regions: HashMap<String, String>,
    /// (module path, `type.name`) -> provider_config key.
    keys: HashMap<(Vec<String>, String), String>,
}

impl ProviderRegions {
    fn from_plan(top: &Map<String, Value>) -> Self {
        let config = top.get("configuration");
        let variables = top.get("variables");
        let mut regions = HashMap::new();
        if let Some(Value::Object(providers)) = config.and_then(|c| c.get("provider_config")) {
            for (key, p) in providers {
                if p.get("name").and_then(Value::as_str) != Some("aws") {
                    continue;
                }
                let Some(expr) = p.get("expressions").and_then(|e| e.get("region")) else {
                    continue;
                };
                let region = match expr.get("constant_value") {
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => {
                        // `region = var.x` in the root module: the plan has the value.
                        let refs = expr.get("references").and_then(Value::as_array);
                        let root_var = refs
                            .and_then(|r| r.first())
                            .and_then(Value::as_str)
                            .and_then(|r| r.strip_prefix("var."))
                            .filter(|_| !key.contains(':'));
                        root_var
                            .and_then(|v| variables?.get(v)?.get("value")?.as_str())
                            .map(str::to_owned)
                    }
                };
                if let Some(r) = region {
                    regions.insert(key.clone(), r);
                }
            }
        }
        let mut keys = HashMap::new();
        if let Some(root) = config.and_then(|c| c.get("root_module")) {
            collect_keys(root, &mut Vec::new(), &mut keys);
        }
        ProviderRegions { regions, keys }
    }

    fn region_of(&self, a: &Address) -> Option<String> {
        let (modules, name) = a.config_path();
        let key = self
            .keys
            .get(&(modules.iter().map(|m| m.to_string()).collect(), name))?;
        self.regions
            .get(key)
            .or_else(|| self.regions.get(key.rsplit(':').next()?))
            .cloned()
    }
}

fn collect_keys(
    module: &Value,
    path: &mut Vec<String>,
    keys: &mut HashMap<(Vec<String>, String), String>,
) {
    for r in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(a), Some(k)) = (
            r.get("address").and_then(Value::as_str),
            r.get("provider_config_key").and_then(Value::as_str),
        ) {
            keys.insert((path.clone(), a.to_owned()), k.to_owned());
        }
    }
    if let Some(Value::Object(calls)) = module.get("module_calls") {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                path.push(name.clone());
                collect_keys(m, path, keys);
                path.pop();
            }
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

const SHOW_HINT: &str = "write it with `terraform show -json > state.json` (the current state) or `terraform plan -out=tfplan && terraform show -json tfplan > plan.json` (a saved plan)";

fn not_show(what: &str) -> Finding {
    Finding::error(format!("not the output of `terraform show -json`: {what}")).hint(SHOW_HINT)
}

fn shape(at: &str, what: &str) -> Finding {
    Finding::error(format!(
        "not the JSON `terraform show -json` writes: `{at}` {what}"
    ))
    .hint(SHOW_HINT)
}

/// JSON that some other tool (or another Terraform command) wrote.
fn other_tool(top: &Map<String, Value>) -> Option<Finding> {
    if top.get("version").is_some_and(Value::is_number)
        && top.contains_key("resources")
        && (top.contains_key("lineage") || top.contains_key("serial"))
    {
        return Some(
            Finding::error("this is a Terraform state file (terraform.tfstate), not the output of `terraform show -json`")
                .hint("convert it with `terraform show -json terraform.tfstate > state.json` (in the configuration's directory, so Terraform has the provider schemas)"),
        );
    }
    if top.contains_key("provider_schemas") && !top.contains_key("values") {
        return Some(
            Finding::error("this is the output of `terraform providers schema -json`, which lists resource types, not resources")
                .hint(SHOW_HINT),
        );
    }
    if top.contains_key("asset") || top.contains_key("project") {
        return Some(
            Finding::error("this is a lifeboat inventory, not Terraform's JSON")
                .hint("`lifeboat check` reads inventories; `lifeboat import` reads the output of `terraform show -json`"),
        );
    }
    None
}

fn syntax_error(text: &str, e: &serde_json::Error) -> Finding {
    // `terraform plan -json` and `apply -json` write one JSON message per line.
    let first = text.lines().next().unwrap_or_default();
    if e.line() > 1
        && let Ok(Value::Object(m)) = serde_json::from_str::<Value>(first)
        && m.contains_key("@level")
    {
        return Finding::error(
            "this is the machine-readable UI of `terraform plan -json` or `apply -json` (one message a line), not the output of `terraform show -json`",
        )
        .hint("save the plan with `terraform plan -out=tfplan` and run `terraform show -json tfplan > plan.json`");
    }
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the location is given separately.
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m)
        .to_owned();
    let mut f = Finding::error(format!("invalid JSON: {msg}"));
    f.location = Some((e.line().max(1), e.column().max(1)));
    f.hint("`lifeboat import` reads the output of `terraform show -json`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_split_into_modules_and_resource() {
        let a = Address::parse(r#"module.a["x.y"].module.b[0].aws_s3_bucket.logs["k]"]"#).unwrap();
        assert_eq!(
            a.modules,
            [
                ("a".to_owned(), Some("x.y".to_owned())),
                ("b".to_owned(), Some("0".to_owned()))
            ]
        );
        assert_eq!(
            (a.rtype.as_str(), a.name.as_str(), a.index.as_deref()),
            ("aws_s3_bucket", "logs", Some("k]"))
        );
        assert_eq!(
            a.config_path(),
            (vec!["a", "b"], "aws_s3_bucket.logs".to_owned())
        );
        for bad in [
            "",
            "aws_s3_bucket",
            "a.b.c",
            "aws_s3_bucket.x[",
            "data.aws_s3_bucket.x",
        ] {
            assert_eq!(Address::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn sensitive_and_unknown_marks_cover_what_they_contain() {
        let r = Resource {
            address: "x.y".into(),
            rtype: "x".into(),
            parsed: Address::default(),
            values: json!({"a": "1", "n": null, "l": [{"b": "2"}], "s": "secret"}),
            unknown: json!({"u": true, "l": [{"c": true}]}),
            sensitive: json!({"s": true, "l": [{}]}),
            provider_region: None,
        };
        assert_eq!(r.get("a"), Attr::Known(&json!("1")));
        assert_eq!(r.get("n"), Attr::Null);
        assert_eq!(r.get("missing"), Attr::Null);
        assert_eq!(r.get("u"), Attr::Unknown);
        assert_eq!(r.get("s"), Attr::Sensitive);
        let path = [Seg::Key("l"), Seg::Index(0), Seg::Key("c")];
        assert_eq!(r.at(&path), Attr::Unknown);
        let path = [Seg::Key("l"), Seg::Index(0), Seg::Key("b")];
        assert_eq!(r.at(&path), Attr::Known(&json!("2")));
        assert!(marked(&json!(true), &[Seg::Key("anything")]));
    }
}
