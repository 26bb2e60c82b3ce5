//! The tree's own `terraform test` suite (`tests/lifeboat.tftest.hcl`): a plan and an
//! apply of the generated root against a mocked AWS provider, with assertions
//! generated from the recovery model's choices and the deployment's names, and a
//! failing run per plan-time guard of the modules. Users run it with
//! `terraform init && terraform test`; no credentials, nothing is created.
//!
//! What the mocks stand for, all derived from the inventory: the existing
//! resources' facts (each source DB instance as the inventory describes it, each
//! endpoint's hosted zone), and ARNs and ids of created resources in their own
//! Region and the mocked account, so the modules' ARN and Region checks hold.

use std::fmt::Write as _;

use super::Options;
use super::hcl::{self, quote};
use super::terraform::{Arg, Call, Contexts, args_text, backup_call};
use crate::check::Recovery;
use crate::check::mechanisms::RuleKind;
use crate::deploy::region_switch::StepAction;
use crate::deploy::{
    AuroraDeployment, Deployment, DynamodbDeployment, EfsDeployment, EndpointDeployment,
    KindDeployment, RdsDeployment, S3Deployment, partition,
};
use crate::input::Engine;
use crate::model::{AssetKind, Aurora, AuroraEngine, Endpoint, Inventory, Rds};

/// The suite's path in the tree.
pub const PATH: &str = "tests/lifeboat.tftest.hcl";
/// An empty configuration the suite applies last to the applied state, so that
/// resources with `prevent_destroy` are released before Terraform's own cleanup,
/// which refuses to destroy them (hashicorp/terraform#34960, fixed in 1.14).
pub const RELEASE: &str = "tests/release/main.tf";
/// The account every mocked ARN is in.
pub const ACCOUNT: &str = "123456789012";
/// The state the plan/apply runs and the release share.
const STATE_KEY: &str = "lifeboat";

/// One `assert` block.
struct Assert {
    condition: String,
    message: String,
}

fn assert(condition: impl Into<String>, message: impl Into<String>) -> Assert {
    Assert {
        condition: condition.into(),
        message: message.into(),
    }
}

/// Values of an `override_*` block, one `key = <HCL>` per line.
struct Override {
    kind: &'static str,
    target: String,
    values: Vec<(&'static str, String)>,
}

impl Override {
    fn write(&self, out: &mut String, indent: &str) {
        let _ = writeln!(out, "{indent}{} {{", self.kind);
        let _ = writeln!(out, "{indent}  target = {}", self.target);
        let _ = writeln!(out, "{indent}  values = {{");
        for (k, v) in &self.values {
            let _ = writeln!(out, "{indent}    {k} = {v}");
        }
        let _ = writeln!(out, "{indent}  }}");
        let _ = writeln!(out, "{indent}}}");
    }
}

/// A run that must fail on one guard of a module: the module is planned on its
/// own with the root's arguments for one asset (`expect_failures` only reaches
/// checks of the configuration under test), and the run contradicts the
/// inventory in exactly one fact, so the failure is that guard's.
struct Guard {
    name: String,
    comment: String,
    call: Call,
    /// The alert topic ARN the run passes for a Region.
    topic: Box<dyn Fn(&str) -> String>,
    /// Overrides inside the module (relative addresses).
    overrides: Vec<Override>,
    /// The module's check that must fail.
    expect: String,
}

/// Everything the suite needs to know about the tree.
struct Suite<'a> {
    inv: &'a Inventory,
    rec: &'a Recovery,
    dep: &'a Deployment,
    /// The root module's contexts: the module calls the guard runs repeat.
    cx: Contexts<'a>,
    partition: &'static str,
    dns_suffix: &'static str,
}

/// The suite's text in pieces (the frame, each asset's overrides and assertions,
/// the guards), each laid out as `terraform fmt` does.
pub fn render(inv: &Inventory, rec: &Recovery, dep: &Deployment, opts: &Options) -> Vec<String> {
    let (partition, dns_suffix) = partition(&dep.primary_region);
    let s = Suite {
        inv,
        rec,
        dep,
        cx: super::terraform::context(inv, rec, dep, opts),
        partition,
        dns_suffix,
    };
    let mut pieces = vec![hcl::fmt(&s.frame(opts))];
    // Top-level blocks after the first are laid out on their own and separated by
    // one blank line (layout drops a piece's leading blank lines).
    let block = |text: &str| format!("\n{}", hcl::fmt(text));
    for i in 0..inv.assets.len() {
        let mut text = String::new();
        for o in s.overrides(i) {
            text.push('\n');
            o.write(&mut text, "");
        }
        if !text.is_empty() {
            pieces.push(block(&text));
        }
    }
    // The plan: what is known before anything exists.
    pieces.push(block(
        "# What the recovery model chose, in the plan.\nrun \"plan\" {\n  command = plan\n",
    ));
    pieces.extend(s.asserts(Phase::Plan));
    pieces.push("}\n".to_owned());
    pieces.push(block(&format!(
        "# The same, with every computed value known (ARNs, ids): the copies go to the\n# secondary vault, records use their health checks, keys are in their Region.\nrun \"apply\" {{\n  command   = apply\n  state_key = {}\n",
        quote(STATE_KEY)
    )));
    pieces.extend(s.asserts(Phase::Apply));
    pieces.push("}\n".to_owned());
    if let Some(run) = s.region_switch_dns_run() {
        pieces.push(block(&run));
    }
    pieces.push(block(&format!(
        "# Releases the applied mocks: Terraform before 1.14 cannot clean up resources with\n# prevent_destroy (hashicorp/terraform#34960); an empty configuration applied to the\n# same state removes them.\nrun \"release\" {{\n  command   = apply\n  state_key = {}\n\n  module {{\n    source = \"./tests/release\"\n  }}\n}}\n",
        quote(STATE_KEY)
    )));
    if opts.module_source.is_some() {
        pieces.push(block(
            "# The guard runs plan the modules on their own from ./modules, which this tree does\n# not have (--module-source): each module's own test suite covers its guards.\n",
        ));
        return pieces;
    }
    for g in s.guards() {
        let mut text = String::new();
        let _ = writeln!(text, "# {}", g.comment);
        let _ = writeln!(text, "run {} {{", quote(&g.name));
        text.push_str("  command = plan\n\n  module {\n");
        let _ = writeln!(
            text,
            "    source = {}",
            quote(&format!("./modules/{}", g.call.module))
        );
        text.push_str("  }\n\n  variables {\n");
        // lifeboat's own expressions name the root module (its variables, other
        // modules), which a guard run does not have: those arguments keep the
        // module's default (today only the endpoints' optional
        // `record_health_check_ids`).
        let args: Vec<_> = g
            .call
            .args
            .iter()
            .filter(|(_, a)| !matches!(a, super::terraform::Arg::Expr(_)))
            .cloned()
            .collect();
        text.push_str(&args_text(&args, 4, &*g.topic));
        text.push_str("\n  }\n");
        for o in &g.overrides {
            text.push('\n');
            o.write(&mut text, "  ");
        }
        let _ = writeln!(text, "\n  expect_failures = [{}]", g.expect);
        text.push_str("}\n");
        pieces.push(block(&text));
    }
    pieces
}

/// The release configuration: nothing but the provider requirement.
pub fn release(opts: &Options) -> String {
    hcl::fmt(&format!(
        "{}\n#\n# Applied last by tests/lifeboat.tftest.hcl to the state of its apply run: with no\n# resources, it releases the mocked ones (see that file).\n\nterraform {{\n  required_providers {{\n    aws = {{\n      source = \"hashicorp/aws\"\n    }}\n  }}\n}}\n",
        opts.header("#")
    ))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Plan,
    Apply,
}

/// An engine version the mocked source reports (the inventory has none): a
/// current one, so version-dependent choices (PostgreSQL replica backups) are the
/// common case.
fn engine_version(e: Engine) -> &'static str {
    match e {
        Engine::Postgres => "16.4",
        Engine::Mysql => "8.0.39",
        Engine::Mariadb => "10.11.9",
        Engine::OracleEe | Engine::OracleSe2 => "19.0.0.0.ru-2024-10.rur-2024-10.r1",
        Engine::SqlserverEe | Engine::SqlserverSe | Engine::SqlserverEx | Engine::SqlserverWeb => {
            "16.00.4150.1.v1"
        }
    }
}

/// `values` with `changes` (attribute, HCL value) replacing facts.
fn change(values: &mut [(&'static str, String)], changes: &[(&'static str, String)]) {
    for (k, v) in changes {
        if let Some(slot) = values.iter_mut().find(|(key, _)| key == k) {
            slot.1 = v.clone();
        }
    }
}

/// A different engine than `e`, for the wrong-engine guard.
fn other_engine(e: Engine) -> Engine {
    if e == Engine::Mysql {
        Engine::Postgres
    } else {
        Engine::Mysql
    }
}

/// The hosted zone an endpoint's record lives in, as far as the inventory tells:
/// the domain's parent for names of three labels or more, else the domain itself.
fn zone_name(domain: &str) -> &str {
    match domain.split_once('.') {
        Some((_, parent)) if parent.contains('.') => parent,
        _ => domain,
    }
}

fn uuid_like(seed: &str) -> String {
    let h = crate::deploy::names::fnv1a(seed.as_bytes());
    format!("{h:08x}-1111-4222-8333-{:012x}", u64::from(h) * 4099)
}

impl Suite<'_> {
    fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{ACCOUNT}:{resource}",
            self.partition
        )
    }

    fn topic_arn(&self, region: &str) -> String {
        self.arn("sns", region, &self.dep.alerts.topic)
    }

    /// The backup module's call as a guard run gives it: a run's variables cannot
    /// name other modules, so the isolated vault's ARN is written out.
    fn backup_guard_call(&self, b: &crate::deploy::backup::BackupDesign) -> Call {
        let mut call = backup_call(b, self.dep);
        if let Some(v) = &b.isolated {
            let arn = self.arn("backup", &v.region, &format!("backup-vault:{}", v.name));
            for (name, arg) in &mut call.args {
                if *name == "isolated_vault_arn" {
                    *arg = Arg::Value(serde_json::json!(arn));
                }
            }
        }
        call
    }

    fn kms_key(&self, target: String, region: &str) -> Override {
        let id = uuid_like(&target);
        Override {
            kind: "override_resource",
            values: vec![
                ("arn", quote(&self.arn("kms", region, &format!("key/{id}")))),
                ("key_id", quote(&id)),
            ],
            target,
        }
    }

    fn frame(&self, opts: &Options) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "{}", opts.header("#"));
        t.push_str(concat!(
            "#\n",
            "# The plan-level checks of this tree: `terraform init && terraform test` plans and\n",
            "# applies it against a mocked AWS provider (no credentials; nothing is created).\n",
            "# The assertions are what lifeboat's recovery model chose for each asset; the\n",
            "# `guard_*` runs prove that each plan-time check of the modules fires when the\n",
            "# live resources contradict the inventory. See docs/terraform.md.\n\n",
        ));
        let _ = write!(
            t,
            "mock_provider \"aws\" {{\n  mock_data \"aws_caller_identity\" {{\n    defaults = {{\n      account_id = {}\n      arn        = {}\n      user_id    = \"AIDALIFEBOATTESTUSER\"\n    }}\n  }}\n\n",
            quote(ACCOUNT),
            quote(&format!(
                "arn:{}:iam::{ACCOUNT}:user/lifeboat-test",
                self.partition
            ))
        );
        let _ = write!(
            t,
            "  mock_data \"aws_partition\" {{\n    defaults = {{\n      partition  = {}\n      dns_suffix = {}\n    }}\n  }}\n\n",
            quote(self.partition),
            quote(self.dns_suffix)
        );
        t.push_str(concat!(
            "  mock_data \"aws_iam_policy_document\" {\n",
            "    defaults = {\n",
            "      json = \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"\n",
            "    }\n",
            "  }\n\n",
        ));
        let _ = write!(
            t,
            "  mock_resource \"aws_iam_role\" {{\n    defaults = {{\n      arn = {}\n    }}\n  }}\n}}\n",
            quote(&format!(
                "arn:{}:iam::{ACCOUNT}:role/lifeboat-test-role",
                self.partition
            ))
        );
        // Alert topics and their keys, in their own Regions.
        t.push_str("\n# The alert topics and their keys, in their own Regions and this account.\n");
        for r in &self.dep.alerts.regions {
            let mut o = String::new();
            o.push('\n');
            Override {
                kind: "override_resource",
                target: format!("module.alerts.aws_sns_topic.this[{}]", quote(r)),
                values: vec![("arn", quote(&self.topic_arn(r)))],
            }
            .write(&mut o, "");
            o.push('\n');
            self.kms_key(format!("module.alerts.aws_kms_key.this[{}]", quote(r)), r)
                .write(&mut o, "");
            t.push_str(&o);
        }
        t.push_str(
            "
# The KMS key-deletion rules, in their own Regions.
",
        );
        for r in &self.dep.alerts.kms_event_regions {
            let mut o = String::new();
            o.push('\n');
            Override {
                kind: "override_resource",
                target: format!("module.alerts.aws_cloudwatch_event_rule.kms[{}]", quote(r)),
                values: vec![(
                    "arn",
                    quote(&self.arn(
                        "events",
                        r,
                        &format!("rule/{}-kms-key-deletion", self.dep.project),
                    )),
                )],
            }
            .write(&mut o, "");
            t.push_str(&o);
        }
        if let Some(rs) = &self.dep.region_switch {
            // Region switch plans are global: their ARN names no Region.
            t.push_str("\n# The Region switch plan (a global resource: no Region in its ARN).\n\n");
            Override {
                kind: "override_resource",
                target: "module.region_switch.aws_arcregionswitch_plan.this".to_owned(),
                values: vec![(
                    "arn",
                    quote(&format!(
                        "arn:{}:arc-region-switch::{ACCOUNT}:plan/{}:abc123",
                        self.partition, rs.plan
                    )),
                )],
            }
            .write(&mut t, "");
        }
        if let Some(v) = self.dep.backup.as_ref().and_then(|b| b.isolated.as_ref()) {
            t.push_str("\n# The logically air-gapped vault and its AWS RAM share.\n\n");
            Override {
                kind: "override_resource",
                target: "module.isolated_vault.aws_backup_logically_air_gapped_vault.this"
                    .to_owned(),
                values: vec![(
                    "arn",
                    quote(&self.arn("backup", &v.region, &format!("backup-vault:{}", v.name))),
                )],
            }
            .write(&mut t, "");
            if v.recovery_account_id.is_some() {
                t.push('\n');
                Override {
                    kind: "override_resource",
                    target: "module.isolated_vault.aws_ram_resource_share.this[0]".to_owned(),
                    values: vec![(
                        "arn",
                        quote(&self.arn(
                            "ram",
                            &v.region,
                            "resource-share/11111111-1111-4111-8111-111111111111",
                        )),
                    )],
                }
                .write(&mut t, "");
            }
        }
        if let Some(b) = &self.dep.backup {
            t.push_str("\n# The backup vaults and their keys.\n");
            for (v, name, in_primary) in b.all_vaults() {
                let region = if in_primary {
                    &self.dep.primary_region
                } else {
                    &self.dep.secondary_region
                };
                let mut o = String::new();
                o.push('\n');
                // The module reads each Region once, as data.aws_region.<primary|secondary>.
                if !v.starts_with("immutable-") {
                    Override {
                        kind: "override_data",
                        target: format!("module.backup.data.aws_region.{v}"),
                        values: vec![("region", quote(region)), ("name", quote(region))],
                    }
                    .write(&mut o, "");
                    o.push('\n');
                }
                Override {
                    kind: "override_resource",
                    target: format!("module.backup.aws_backup_vault.this[{}]", quote(v)),
                    values: vec![
                        (
                            "arn",
                            quote(&self.arn("backup", region, &format!("backup-vault:{name}"))),
                        ),
                        ("id", quote(name)),
                    ],
                }
                .write(&mut o, "");
                o.push('\n');
                self.kms_key(
                    format!("module.backup.aws_kms_key.this[{}]", quote(v)),
                    region,
                )
                .write(&mut o, "");
                t.push_str(&o);
            }
        }
        t
    }

    /// File-level overrides for one asset: the facts of the existing resource and
    /// the ARNs of what its module creates in the secondary Region.
    fn overrides(&self, i: usize) -> Vec<Override> {
        let a = &self.inv.assets[i];
        let d = self.dep.asset(i);
        let Some(tf) = &d.terraform else {
            return Vec::new();
        };
        let at = &tf.address;
        let secondary = &self.dep.secondary_region;
        match (&a.kind, &d.kind) {
            (AssetKind::Rds(x), KindDeployment::Rds(r)) => {
                let mut v = vec![self.source_db(at, x, r, &[])];
                if r.secondary_key_alias.is_some() {
                    v.push(self.kms_key(format!("{at}.aws_kms_key.secondary[0]"), secondary));
                }
                if let Some(replica) = &r.replica {
                    v.push(Override {
                        kind: "override_resource",
                        target: format!("{at}.aws_db_instance.replica[0]"),
                        values: vec![
                            (
                                "arn",
                                quote(&self.arn("rds", secondary, &format!("db:{replica}"))),
                            ),
                            ("id", quote(replica)),
                            (
                                "address",
                                quote(&format!(
                                    "{replica}.c0ffee.{secondary}.rds.{}",
                                    self.dns_suffix
                                )),
                            ),
                        ],
                    });
                }
                v
            }
            (AssetKind::S3(_), KindDeployment::S3(x)) => match &x.replication {
                Some(rep) => vec![
                    Override {
                        kind: "override_resource",
                        target: format!("{at}.aws_s3_bucket.destination"),
                        values: vec![
                            (
                                "arn",
                                quote(&format!(
                                    "arn:{}:s3:::{}",
                                    self.partition, rep.destination_bucket
                                )),
                            ),
                            ("id", quote(&rep.destination_bucket)),
                        ],
                    },
                    self.kms_key(format!("{at}.aws_kms_key.destination"), secondary),
                ],
                None => Vec::new(),
            },
            (AssetKind::Aurora(x), KindDeployment::Aurora(r)) => {
                let mut v = vec![self.source_cluster(at, x, r, &[])];
                if x.instance_class.is_none() {
                    v.push(Override {
                        kind: "override_data",
                        target: format!("{at}.data.aws_db_instance.source_member[0]"),
                        values: vec![("db_instance_class", quote("db.r6g.large"))],
                    });
                }
                if r.secondary_key_alias.is_some() {
                    v.push(self.kms_key(format!("{at}.aws_kms_key.secondary[0]"), secondary));
                }
                if let Some(c) = &r.secondary_cluster {
                    v.push(Override {
                        kind: "override_resource",
                        target: format!("{at}.aws_rds_cluster.secondary[0]"),
                        values: vec![
                            (
                                "arn",
                                quote(&self.arn("rds", secondary, &format!("cluster:{c}"))),
                            ),
                            ("id", quote(c)),
                        ],
                    });
                }
                v
            }
            (AssetKind::Dynamodb(_), KindDeployment::Dynamodb(r)) => {
                let mut v = vec![self.source_table(at, r, &[])];
                if r.global_table {
                    v.push(self.kms_key(format!("{at}.aws_kms_key.secondary[0]"), secondary));
                }
                v
            }
            (AssetKind::Efs(_), KindDeployment::Efs(r)) => {
                let mut v = vec![self.source_file_system(at, r, &[])];
                if r.replication {
                    v.push(self.kms_key(format!("{at}.aws_kms_key.secondary[0]"), secondary));
                }
                v
            }
            (AssetKind::Endpoint(e), KindDeployment::Endpoint(_)) => {
                let mut v = vec![self.zone(at, e, zone_name(&e.domain))];
                for role in ["primary", "secondary"] {
                    v.push(Override {
                        kind: "override_resource",
                        target: format!("{at}.aws_route53_health_check.this[{}]", quote(role)),
                        values: vec![("id", quote(&uuid_like(&format!("{}-{role}", d.name))))],
                    });
                }
                v
            }
            _ => Vec::new(),
        }
    }

    /// The source DB instance as the inventory describes it, with `changes`
    /// (attribute, HCL value) replacing facts.
    fn source_db(
        &self,
        at: &str,
        x: &Rds,
        r: &RdsDeployment,
        changes: &[(&'static str, String)],
    ) -> Override {
        let primary = &self.dep.primary_region;
        let mut values: Vec<(&'static str, String)> = vec![
            (
                "db_instance_arn",
                quote(&self.arn("rds", primary, &format!("db:{}", r.identifier))),
            ),
            ("db_instance_identifier", quote(&r.identifier)),
            ("engine", quote(x.engine.as_str())),
            ("engine_version", quote(engine_version(x.engine))),
            ("multi_az", x.multi_az.to_string()),
            ("storage_encrypted", x.encrypted.to_string()),
            ("backup_retention_period", "7".to_owned()),
            ("db_cluster_identifier", "null".to_owned()),
            (
                "db_instance_class",
                quote(
                    x.dr.replica_instance_class
                        .as_deref()
                        .unwrap_or("db.r6g.large"),
                ),
            ),
            (
                "allocated_storage",
                (x.storage_gb.ceil() as u64).max(20).to_string(),
            ),
            ("max_allocated_storage", "0".to_owned()),
            ("ca_cert_identifier", quote("rds-ca-rsa2048-g1")),
        ];
        change(&mut values, changes);
        Override {
            kind: "override_data",
            target: Self::inside(at, "data.aws_db_instance.source"),
            values,
        }
    }

    /// `target` of an override inside module `at`, or of the module itself ("").
    fn inside(at: &str, address: &str) -> String {
        if at.is_empty() {
            address.to_owned()
        } else {
            format!("{at}.{address}")
        }
    }

    /// The source Aurora cluster as the inventory describes it.
    fn source_cluster(
        &self,
        at: &str,
        x: &Aurora,
        r: &AuroraDeployment,
        changes: &[(&'static str, String)],
    ) -> Override {
        let id = &r.cluster_identifier;
        let members = if x.multi_az {
            format!(
                "[{}, {}]",
                quote(&format!("{id}-1")),
                quote(&format!("{id}-2"))
            )
        } else {
            format!("[{}]", quote(&format!("{id}-1")))
        };
        let version = match x.engine {
            AuroraEngine::Postgresql => "16.4",
            AuroraEngine::Mysql => "8.0.mysql_aurora.3.08.0",
        };
        let mut values: Vec<(&'static str, String)> = vec![
            (
                "arn",
                quote(&self.arn("rds", &self.dep.primary_region, &format!("cluster:{id}"))),
            ),
            ("cluster_identifier", quote(id)),
            ("engine", quote(x.engine.as_str())),
            ("engine_mode", quote("provisioned")),
            ("engine_version", quote(version)),
            ("storage_encrypted", x.encrypted.to_string()),
            ("backup_retention_period", "7".to_owned()),
            ("cluster_members", members),
        ];
        change(&mut values, changes);
        Override {
            kind: "override_data",
            target: Self::inside(at, "data.aws_rds_cluster.source"),
            values,
        }
    }

    /// The source DynamoDB table as the inventory describes it: streams on (a
    /// global table needs them), PITR as the model relies on it.
    fn source_table(
        &self,
        at: &str,
        r: &DynamodbDeployment,
        changes: &[(&'static str, String)],
    ) -> Override {
        let mut values: Vec<(&'static str, String)> = vec![
            (
                "arn",
                quote(&self.arn(
                    "dynamodb",
                    &self.dep.primary_region,
                    &format!("table/{}", r.table),
                )),
            ),
            ("name", quote(&r.table)),
            ("billing_mode", quote("PAY_PER_REQUEST")),
            ("stream_enabled", "true".to_owned()),
            ("stream_view_type", quote("NEW_AND_OLD_IMAGES")),
            (
                "point_in_time_recovery",
                format!(
                    "[{{ enabled = {}, recovery_period_in_days = {} }}]",
                    r.pitr, r.pitr_recovery_period_days
                ),
            ),
        ];
        change(&mut values, changes);
        Override {
            kind: "override_data",
            target: Self::inside(at, "data.aws_dynamodb_table.source"),
            values,
        }
    }

    /// The source EFS file system: Regional (not One Zone), encrypted.
    fn source_file_system(
        &self,
        at: &str,
        r: &EfsDeployment,
        changes: &[(&'static str, String)],
    ) -> Override {
        let mut values: Vec<(&'static str, String)> = vec![
            (
                "arn",
                quote(&self.arn(
                    "elasticfilesystem",
                    &self.dep.primary_region,
                    &format!("file-system/{}", r.file_system_id),
                )),
            ),
            ("file_system_id", quote(&r.file_system_id)),
            ("availability_zone_name", quote("")),
            ("encrypted", "true".to_owned()),
        ];
        change(&mut values, changes);
        Override {
            kind: "override_data",
            target: Self::inside(at, "data.aws_efs_file_system.source"),
            values,
        }
    }

    fn zone(&self, at: &str, e: &Endpoint, name: &str) -> Override {
        Override {
            kind: "override_data",
            target: Self::inside(at, "data.aws_route53_zone.this"),
            values: vec![
                ("name", quote(&format!("{name}."))),
                ("zone_id", quote(&e.zone_id)),
            ],
        }
    }

    /// The `assert` blocks of one run, a piece per asset (and one for the backup
    /// design), indented inside the run block.
    fn asserts(&self, phase: Phase) -> Vec<String> {
        let mut pieces = Vec::new();
        for i in 0..self.inv.assets.len() {
            let list = self.asset_asserts(i, phase);
            if !list.is_empty() {
                pieces.push(render_asserts(&list));
            }
        }
        for list in [self.backup_asserts(phase), self.audit_asserts(phase)] {
            if !list.is_empty() {
                pieces.push(render_asserts(&list));
            }
        }
        if phase == Phase::Apply {
            pieces.push(render_asserts(&[self.kms_alarm_assert()]));
        }
        let list = self.region_switch_asserts(phase);
        if !list.is_empty() {
            pieces.push(render_asserts(&list));
        }
        pieces
    }

    /// With `region_switch_dns`: once ARC's health check ids are passed (the
    /// runbook's once-step), the records of each endpoint the plan moves use them,
    /// and no other endpoint's records change.
    fn region_switch_dns_run(&self) -> Option<String> {
        let rs = self.dep.region_switch.as_ref()?;
        let steps: Vec<&str> = rs
            .waves
            .iter()
            .flatten()
            .filter(|s| matches!(s.action, StepAction::Route53 { .. }))
            .map(|s| s.asset.as_str())
            .collect();
        if steps.is_empty() {
            return None;
        }
        let mut ids = String::new();
        let mut asserts = Vec::new();
        for (k, id) in steps.iter().enumerate() {
            let (primary, secondary) = (
                format!("arc-health-check-{}-primary", k + 1),
                format!("arc-health-check-{}-secondary", k + 1),
            );
            let _ = writeln!(
                ids,
                "      {} = {{\n        primary   = {}\n        secondary = {}\n      }}",
                quote(id),
                quote(&primary),
                quote(&secondary)
            );
            let i = self
                .inv
                .assets
                .binary_search_by(|a| a.id.as_str().cmp(id))
                .ok()?;
            let at = &self.dep.assets[i].terraform.as_ref()?.address;
            asserts.push(assert(
                format!(
                    "{at}.records[\"primary\"].health_check_id == {} && {at}.records[\"secondary\"].health_check_id == {} && {at}.uses_region_switch_health_checks",
                    quote(&primary),
                    quote(&secondary)
                ),
                format!("`{id}`: its records follow the Region switch plan's health checks once their ids are passed"),
            ));
        }
        for (i, a) in self.inv.assets.iter().enumerate() {
            if !matches!(a.kind, crate::model::AssetKind::Endpoint(_))
                || steps.contains(&a.id.as_str())
            {
                continue;
            }
            let Some(t) = &self.dep.assets[i].terraform else {
                continue;
            };
            asserts.push(assert(
                format!("!{}.uses_region_switch_health_checks", t.address),
                format!(
                    "`{}`: the plan does not move it; its records keep their own health checks",
                    a.id
                ),
            ));
        }
        Some(format!(
            "# region_switch_dns: with the ids of the plan's Route 53 health checks (RUNBOOK.md,\n# \"Once, after the first apply\"), the records of the endpoints it moves use them.\nrun \"region_switch_dns_health_checks\" {{\n  command = plan\n\n  variables {{\n    region_switch_dns_health_checks = {{\n{ids}    }}\n  }}\n{}}}\n",
            render_asserts(&asserts)
        ))
    }

    /// The Region switch plan as designed: its waves in order (a wave of several
    /// steps as one Parallel step), the approval step first when asked for, the way
    /// back, the trigger's alarms and the plan's RTO.
    fn region_switch_asserts(&self, phase: Phase) -> Vec<Assert> {
        let Some(rs) = &self.dep.region_switch else {
            return Vec::new();
        };
        let m = "module.region_switch";
        let mut v = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        if let Some(step) = &rs.approval_step {
            names.push(quote(step));
            types.push(quote("ManualApproval"));
        }
        for (k, wave) in rs.waves.iter().enumerate() {
            if let [one] = wave.as_slice() {
                names.push(quote(&one.name));
                types.push(quote(match one.action {
                    StepAction::RdsPromote { .. } => "RdsPromoteReadReplica",
                    StepAction::AuroraGlobal { .. } => "AuroraGlobalDatabase",
                    StepAction::Route53 { .. } => "Route53HealthCheck",
                }));
            } else {
                names.push(quote(&format!("wave-{}", k + 1)));
                types.push(quote("Parallel"));
            }
        }
        v.push(assert(
            format!(
                "{m}.workflows[0].action == \"activate\" && {m}.workflows[0].region == {} && [for s in {m}.workflows[0].steps : s.name] == [{}] && [for s in {m}.workflows[0].steps : s.type] == [{}]",
                quote(&self.dep.secondary_region),
                names.join(", "),
                types.join(", ")
            ),
            format!(
                "the Region switch plan activates {} in {} step{}{}, in the recovery waves",
                self.dep.secondary_region,
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                if rs.approval_step.is_some() { " (approval first)" } else { "" }
            ),
        ));
        let offset = usize::from(rs.approval_step.is_some());
        for (k, wave) in rs.waves.iter().enumerate() {
            if wave.len() > 1 {
                let list: Vec<String> = wave.iter().map(|s| quote(&s.name)).collect();
                v.push(assert(
                    format!(
                        "{m}.workflows[0].steps[{}].parallel == [{}]",
                        k + offset,
                        list.join(", ")
                    ),
                    format!(
                        "recovery wave {} runs its {} steps in parallel",
                        k + 1,
                        wave.len()
                    ),
                ));
            }
        }
        let back: Vec<String> = rs.return_steps.iter().map(|s| quote(&s.name)).collect();
        v.push(assert(
            if back.is_empty() {
                format!("length({m}.workflows) == 1")
            } else {
                format!(
                    "length({m}.workflows) == 2 && {m}.workflows[1].region == {} && [for s in {m}.workflows[1].steps : s.name] == [{}]",
                    quote(&self.dep.primary_region),
                    back.join(", ")
                )
            },
            if back.is_empty() {
                "the Region switch plan has no way back (a promoted RDS replica needs a new replica)".to_owned()
            } else {
                format!("the way back switches {} Global Database{} over", back.len(), if back.len() == 1 { "" } else { "s" })
            },
        ));
        let alarms: Vec<String> = rs.trigger_alarms.iter().map(|a| quote(&a.name)).collect();
        v.push(assert(
            if alarms.is_empty() {
                format!("{m}.trigger == null")
            } else {
                format!(
                    "{m}.trigger.action == \"activate\" && {m}.trigger.region == {} && {m}.trigger.alarms == [{}]",
                    quote(&self.dep.secondary_region),
                    alarms.join(", ")
                )
            },
            if alarms.is_empty() {
                "no trigger: no endpoint health-check alarm to start the plan".to_owned()
            } else {
                format!("the trigger activates {} once all {} primary health-check alarms are red", self.dep.secondary_region, alarms.len())
            },
        ));
        v.push(assert(
            match rs.recovery_time_objective_minutes {
                Some(n) => format!("{m}.recovery_time_objective_minutes == {n}"),
                None => format!("{m}.recovery_time_objective_minutes == null"),
            },
            "the plan's RTO is the tightest Region RTO of what it recovers",
        ));
        if phase == Phase::Apply {
            v.push(assert(
                format!(
                    "{m}.start_command == \"aws arc-region-switch start-plan-execution --region {} --plan-arn arn:{}:arc-region-switch::{ACCOUNT}:plan/{}:abc123 --target-region {} --action activate --mode ungraceful\"",
                    self.dep.secondary_region, self.partition, rs.plan, self.dep.secondary_region
                ),
                "the runbook's first command runs the plan at the secondary Region's endpoint",
            ));
        }
        v
    }

    /// The framework's controls and the resiliency policies, as the deployment
    /// designed them (after apply: plan ids and resource ids are known then).
    fn audit_asserts(&self, phase: Phase) -> Vec<Assert> {
        if phase == Phase::Plan {
            return Vec::new();
        }
        let mut v = Vec::new();
        let params = |list: &[(&str, String)]| -> String {
            let inner: Vec<String> = list
                .iter()
                .map(|(k, val)| format!("{k} = {}", quote(val)))
                .collect();
            if inner.is_empty() {
                "{}".to_owned()
            } else {
                format!("{{ {} }}", inner.join(", "))
            }
        };
        if let Some(a) = &self.dep.audit {
            v.push(assert(
                format!(
                    "length(module.backup_audit.controls) == {}",
                    2 * a.plans.len() + a.controls.len()
                ),
                format!(
                    "the Backup Audit Manager framework `{}` has two controls per backup plan and {} scoped to resources",
                    a.framework,
                    a.controls.len()
                ),
            ));
            for p in &a.plans {
                v.push(assert(
                    format!(
                        "anytrue([for c in module.backup_audit.controls : c.name == \"BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK\" && c.ids == tolist([module.backup.plan_ids[{}]]) && c.parameters == {}])",
                        quote(&p.key),
                        params(&[
                            ("requiredFrequencyUnit", p.frequency_unit.to_owned()),
                            ("requiredFrequencyValue", p.frequency_value.to_string()),
                            ("requiredRetentionDays", p.retention_days.to_string()),
                        ])
                    ),
                    format!(
                        "backup plan `{}` (tier `{}`) is audited for a backup every {} {} kept {} days",
                        p.name, p.tier, p.frequency_value, p.frequency_unit, p.retention_days
                    ),
                ));
                v.push(assert(
                    format!(
                        "anytrue([for c in module.backup_audit.controls : c.name == \"BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK\" && c.tags == tomap({{ \"lifeboat:backup-plan\" = {} }}) && c.parameters == {}])",
                        quote(&p.name),
                        params(&[(
                            "requiredRetentionDays",
                            p.recovery_point_retention_days.to_string()
                        )])
                    ),
                    format!(
                        "the recovery points of backup plan `{}` are audited for {} days of retention",
                        p.name, p.recovery_point_retention_days
                    ),
                ));
            }
            for c in &a.controls {
                // RDS and Aurora are scoped by resource ids the module looks up
                // (mocked here); the other kinds by their names.
                let ids = if matches!(c.resource_type, "RDS" | "Aurora") {
                    format!("length(c.ids) == {}", c.resources.len())
                } else {
                    let mut sorted = c.resources.clone();
                    sorted.sort();
                    let list: Vec<String> = sorted.iter().map(|r| quote(r)).collect();
                    format!("c.ids == tolist([{}])", list.join(", "))
                };
                v.push(assert(
                    format!(
                        "anytrue([for c in module.backup_audit.controls : c.name == {} && c.types == tolist([{}]) && {ids} && c.parameters == {}])",
                        quote(c.control.name()),
                        quote(c.resource_type),
                        params(&c.parameters)
                    ),
                    format!(
                        "{} of {}: {}{}",
                        c.control.name(),
                        c.assets
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        c.control.describe(),
                        c.target.map(|t| format!(" {t}")).unwrap_or_default()
                    ),
                ));
            }
        }
        let secs = |d: crate::model::Dur| quote(&format!("{}s", d.as_secs()));
        for p in &self.dep.resilience.policies {
            let at = format!("module.resilience_hub.policies[{}]", quote(&p.tier));
            let region = match p.region {
                None => format!("{at}.region == null"),
                Some((rpo, rto)) => format!(
                    "{at}.region.rpo == {} && {at}.region.rto == {}",
                    rpo.map_or("null".to_owned(), secs),
                    rto.map_or("null".to_owned(), secs)
                ),
            };
            v.push(assert(
                format!(
                    "{at}.name == {} && {at}.tier == {} && {at}.software == {{ rpo = {}, rto = {} }} && {at}.hardware == {{ rpo = {}, rto = {} }} && {at}.az == {{ rpo = {}, rto = {} }} && {region}",
                    quote(&p.name),
                    quote(p.hub_tier),
                    secs(p.software.rpo),
                    secs(p.software.rto),
                    secs(p.hardware.rpo),
                    secs(p.hardware.rto),
                    secs(p.az.rpo),
                    secs(p.az.rto),
                ),
                format!(
                    "the Resilience Hub policy of tier `{}` holds its objectives: Software (corruption) RPO {} RTO {}, Hardware and AZ (az) RPO {} RTO {}",
                    p.tier, p.software.rpo, p.software.rto, p.az.rpo, p.az.rto
                ),
            ));
        }
        v
    }

    /// The KMS key-deletion alarms: one rule in each Region the deployment names,
    /// in that Region (its ARN says so once applied).
    fn kms_alarm_assert(&self) -> Assert {
        let regions = &self.dep.alerts.kms_event_regions;
        let list = regions
            .iter()
            .map(|r| quote(r))
            .collect::<Vec<_>>()
            .join(", ");
        assert(
            format!(
                "toset(keys(module.alerts.kms_event_rule_arns)) == toset([{list}]) && alltrue([for r, arn in module.alerts.kms_event_rule_arns : split(\":\", arn)[3] == r])"
            ),
            format!(
                "KMS keys scheduled for deletion or disabled raise an alert in {}",
                regions.join(" and ")
            ),
        )
    }

    fn asset_asserts(&self, i: usize, phase: Phase) -> Vec<Assert> {
        let a = &self.inv.assets[i];
        let d = self.dep.asset(i);
        let m = &self.rec.assets[i].mechanisms;
        let id = &a.id;
        let Some(tf) = &d.terraform else {
            return Vec::new();
        };
        let at = &tf.address;
        let mut v = Vec::new();
        match (&a.kind, &d.kind) {
            (AssetKind::Rds(x), KindDeployment::Rds(r)) => {
                self.rds_asserts(id, at, x, r, phase, &mut v)
            }
            (AssetKind::S3(_), KindDeployment::S3(x)) => self.s3_asserts(id, at, x, phase, &mut v),
            (AssetKind::Endpoint(e), KindDeployment::Endpoint(x)) => {
                endpoint_asserts(id, at, e, x, phase, &mut v)
            }
            (AssetKind::Aurora(x), KindDeployment::Aurora(r)) => {
                self.aurora_asserts(id, at, x.encrypted, r, phase, &mut v)
            }
            (AssetKind::Dynamodb(_), KindDeployment::Dynamodb(r)) => {
                self.dynamodb_asserts(id, at, r, phase, &mut v)
            }
            (AssetKind::Efs(_), KindDeployment::Efs(r)) => {
                self.efs_asserts(id, at, r, phase, &mut v)
            }
            _ => {}
        }
        // Every asset the model backs up is selected by its plan, by ARN.
        if let (Some(key), Phase::Apply) = (&d.backup_plan, phase) {
            let primary = &self.dep.primary_region;
            let arn = match &d.kind {
                KindDeployment::Rds(r) => {
                    Some(self.arn("rds", primary, &format!("db:{}", r.identifier)))
                }
                KindDeployment::S3(s) => Some(format!("arn:{}:s3:::{}", self.partition, s.bucket)),
                KindDeployment::Aurora(r) => {
                    Some(self.arn("rds", primary, &format!("cluster:{}", r.cluster_identifier)))
                }
                KindDeployment::Dynamodb(r) => {
                    Some(self.arn("dynamodb", primary, &format!("table/{}", r.table)))
                }
                KindDeployment::Efs(r) => Some(self.arn(
                    "elasticfilesystem",
                    primary,
                    &format!("file-system/{}", r.file_system_id),
                )),
                KindDeployment::Endpoint(_) => None,
            };
            if let Some(arn) = arn {
                v.push(assert(
                    format!(
                        "contains(module.backup.plans[{}].resources, {})",
                        quote(key),
                        quote(&arn)
                    ),
                    format!("`{id}`: the recovery model backs it up, so backup plan `{key}` must select it"),
                ));
            }
        }
        let _ = m;
        v
    }

    fn rds_asserts(
        &self,
        id: &str,
        at: &str,
        x: &Rds,
        r: &RdsDeployment,
        phase: Phase,
        v: &mut Vec<Assert>,
    ) {
        let secondary = &self.dep.secondary_region;
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!("({at}.replica != null) == {}", r.read_replica),
                    if r.read_replica {
                        format!("`{id}`: the recovery model chose a cross-Region read replica")
                    } else {
                        format!("`{id}`: the recovery model chose no read replica")
                    },
                ));
                v.push(assert(
                    format!("({at}.backup_replication != null) == {}", r.backup_replication),
                    if r.backup_replication {
                        format!("`{id}`: the recovery model chose cross-Region automated backup replication")
                    } else {
                        format!("`{id}`: the recovery model chose no automated backup replication")
                    },
                ));
                let source_arn = self.arn(
                    "rds",
                    &self.dep.primary_region,
                    &format!("db:{}", r.identifier),
                );
                if let Some(name) = &r.replica {
                    v.push(assert(
                        format!(
                            "{at}.replica.identifier == {} && {at}.replica.region == {} && {at}.replica.replicate_source_db == {}",
                            quote(name),
                            quote(secondary),
                            quote(&source_arn)
                        ),
                        format!("`{id}`: the replica is `{name}` in {secondary}, replicating the source by ARN (the runbook promotes `{name}`)"),
                    ));
                    v.push(assert(
                        format!(
                            "{at}.replica_lag_alarm.threshold == {} && {at}.replica_lag_alarm.region == {}",
                            r.lag_threshold_seconds,
                            quote(secondary)
                        ),
                        format!("`{id}`: the ReplicaLag alarm watches the tier's Region RPO ({} s)", r.lag_threshold_seconds),
                    ));
                    if x.encrypted {
                        v.push(assert(
                            format!("{at}.replica.storage_encrypted && {at}.secondary_kms_key_region == {}", quote(secondary)),
                            format!("`{id}`: an encrypted source gets an encrypted replica under a key in {secondary}"),
                        ));
                    }
                }
                if r.backup_replication {
                    v.push(assert(
                        format!(
                            "{at}.backup_replication.region == {} && {at}.backup_replication.retention_period == {} && {at}.backup_replication.source_db_instance_arn == {}",
                            quote(secondary),
                            r.backup_replication_retention_days,
                            quote(&source_arn)
                        ),
                        format!("`{id}`: automated backups replicate to {secondary} and are kept {} days", r.backup_replication_retention_days),
                    ));
                }
            }
            Phase::Apply => {
                if r.replica.is_some() && x.encrypted {
                    v.push(assert(
                        format!(
                            "{at}.replica.kms_key_id == {at}.secondary_kms_key_arn && split(\":\", {at}.secondary_kms_key_arn)[3] == {}",
                            quote(secondary)
                        ),
                        format!("`{id}`: the replica is encrypted with the module's key in {secondary}"),
                    ));
                }
                if r.backup_replication && x.encrypted {
                    v.push(assert(
                        format!("{at}.backup_replication.kms_key_id == {at}.secondary_kms_key_arn"),
                        format!("`{id}`: replicated backups are encrypted with the module's key in {secondary}"),
                    ));
                }
            }
        }
    }

    fn s3_asserts(&self, id: &str, at: &str, x: &S3Deployment, phase: Phase, v: &mut Vec<Assert>) {
        let secondary = &self.dep.secondary_region;
        let Some(rep) = &x.replication else {
            if x.versioning && phase == Phase::Plan {
                v.push(assert(
                    format!(
                        "{at}.bucket == {} && {at}.versioning_configuration[0].status == \"Enabled\"",
                        quote(&x.bucket)
                    ),
                    format!("`{id}`: AWS Backup needs versioning on `{}`", x.bucket),
                ));
            }
            return;
        };
        let rule = format!("{at}.replication_rule");
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!(
                        "{at}.destination_bucket.name == {} && {at}.destination_bucket.region == {}",
                        quote(&rep.destination_bucket),
                        quote(secondary)
                    ),
                    format!("`{id}`: the replica bucket is `{}` in {secondary}", rep.destination_bucket),
                ));
                v.push(assert(
                    format!(
                        "{rule}.id == {} && {rule}.status == \"Enabled\"",
                        quote(&rep.rule_id)
                    ),
                    format!(
                        "`{id}`: replication rule `{}` is enabled (the runbook reads its metrics)",
                        rep.rule_id
                    ),
                ));
                if rep.replication_time_control {
                    v.push(assert(
                        format!("{rule}.replication_time_minutes == 15"),
                        format!(
                            "`{id}`: the recovery model chose Replication Time Control (15 minutes)"
                        ),
                    ));
                    v.push(assert(
                        format!("{rule}.metrics_status == \"Enabled\" && {rule}.event_threshold_minutes == 15"),
                        format!("`{id}`: RTC needs replication metrics with a 15-minute threshold"),
                    ));
                    v.push(assert(
                        format!(
                            "{at}.replication_latency_alarm.threshold == {} && {at}.replication_latency_alarm.region == {}",
                            rep.latency_threshold_seconds,
                            quote(secondary)
                        ),
                        format!("`{id}`: the ReplicationLatency alarm watches the tier's Region RPO ({} s)", rep.latency_threshold_seconds),
                    ));
                } else {
                    v.push(assert(
                        format!("{rule}.replication_time_minutes == null"),
                        format!("`{id}`: the recovery model chose replication without RTC"),
                    ));
                }
                v.push(assert(
                    format!(
                        "{rule}.delete_marker_replication == {}",
                        quote(if rep.replicate_deletes {
                            "Enabled"
                        } else {
                            "Disabled"
                        })
                    ),
                    if rep.replicate_deletes {
                        format!("`{id}`: delete markers are replicated, as the inventory asks")
                    } else {
                        format!("`{id}`: delete markers are not replicated")
                    },
                ));
            }
            Phase::Apply => {
                v.push(assert(
                    format!(
                        "{rule}.destination_bucket_arn == {at}.destination_bucket_arn && split(\":\", {rule}.replica_kms_key_id)[3] == {}",
                        quote(secondary)
                    ),
                    format!("`{id}`: objects replicate into the replica bucket under a key in {secondary}"),
                ));
            }
        }
    }

    fn aurora_asserts(
        &self,
        id: &str,
        at: &str,
        encrypted: bool,
        r: &AuroraDeployment,
        phase: Phase,
        v: &mut Vec<Assert>,
    ) {
        let secondary = &self.dep.secondary_region;
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!("({at}.global_cluster != null) == {}", r.global_database),
                    if r.global_database {
                        format!("`{id}`: the recovery model chose an Aurora Global Database")
                    } else {
                        format!("`{id}`: the recovery model chose no Global Database")
                    },
                ));
                let (Some(global), Some(cluster)) = (&r.global_cluster, &r.secondary_cluster)
                else {
                    return;
                };
                v.push(assert(
                    format!(
                        "{at}.global_cluster.identifier == {} && {at}.secondary_cluster.identifier == {} && {at}.secondary_cluster.region == {} && {at}.secondary_cluster.global_cluster_identifier == {}",
                        quote(global),
                        quote(cluster),
                        quote(secondary),
                        quote(global)
                    ),
                    format!("`{id}`: secondary cluster `{cluster}` in {secondary}, in Global Database `{global}`"),
                ));
                v.push(assert(
                    format!(
                        "length({at}.secondary_instances) == {} && alltrue([for i in {at}.secondary_instances : i.region == {}])",
                        r.secondary_instances.len(),
                        quote(secondary)
                    ),
                    format!("`{id}`: the secondary cluster has {} instance(s) to fail over to", r.secondary_instances.len()),
                ));
                v.push(assert(
                    format!(
                        "{at}.global_lag_alarm.threshold == {}",
                        r.lag_threshold_seconds * 1000
                    ),
                    format!(
                        "`{id}`: the AuroraGlobalDBReplicationLag alarm (milliseconds) watches the tier's Region RPO ({} s)",
                        r.lag_threshold_seconds
                    ),
                ));
                if encrypted {
                    v.push(assert(
                        format!(
                            "{at}.secondary_cluster.storage_encrypted && {at}.secondary_kms_key_region == {}",
                            quote(secondary)
                        ),
                        format!("`{id}`: an encrypted source gets an encrypted secondary cluster under a key in {secondary}"),
                    ));
                }
            }
            Phase::Apply => {
                if r.global_database && encrypted {
                    v.push(assert(
                        format!("{at}.secondary_cluster.kms_key_id == {at}.secondary_kms_key_arn"),
                        format!("`{id}`: the secondary cluster is encrypted with the module's key in {secondary}"),
                    ));
                }
            }
        }
    }

    fn dynamodb_asserts(
        &self,
        id: &str,
        at: &str,
        r: &DynamodbDeployment,
        phase: Phase,
        v: &mut Vec<Assert>,
    ) {
        let secondary = &self.dep.secondary_region;
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!("({at}.replica != null) == {}", r.global_table),
                    if r.global_table {
                        format!("`{id}`: the recovery model chose a global table replica")
                    } else {
                        format!("`{id}`: the recovery model chose no global table replica")
                    },
                ));
                let pitr = format!("{at}.point_in_time_recovery");
                v.push(assert(
                    if r.pitr {
                        format!(
                            "{pitr}.required && {pitr}.window_days == {} && {pitr}.source_enabled && {pitr}.source_window_days >= {}",
                            r.pitr_recovery_period_days, r.pitr_recovery_period_days
                        )
                    } else {
                        format!("!{pitr}.required")
                    },
                    if r.pitr {
                        format!(
                            "`{id}`: the recovery model relies on the table's point-in-time recovery over {} days, which the plan checks",
                            r.pitr_recovery_period_days
                        )
                    } else {
                        format!("`{id}`: the recovery model does not rely on point-in-time recovery")
                    },
                ));
                if r.global_table {
                    v.push(assert(
                        format!(
                            "{at}.replica.region == {} && {at}.replica.point_in_time_recovery && {at}.replica.deletion_protection_enabled",
                            quote(secondary)
                        ),
                        format!("`{id}`: the replica is in {secondary}, with point-in-time recovery and deletion protection"),
                    ));
                    v.push(assert(
                        format!(
                            "{at}.replication_latency_alarm.receiving_region == {} && {at}.replication_latency_alarm.threshold == {}",
                            quote(secondary),
                            r.latency_threshold_seconds * 1000
                        ),
                        format!(
                            "`{id}`: the ReplicationLatency alarm (milliseconds) watches the tier's Region RPO ({} s)",
                            r.latency_threshold_seconds
                        ),
                    ));
                }
            }
            Phase::Apply => {
                if r.global_table {
                    v.push(assert(
                        format!(
                            "{at}.replica.kms_key_arn == {at}.secondary_kms_key_arn && {at}.secondary_kms_key_region == {}",
                            quote(secondary)
                        ),
                        format!("`{id}`: the replica is encrypted with the module's key in {secondary}"),
                    ));
                }
            }
        }
    }

    fn efs_asserts(
        &self,
        id: &str,
        at: &str,
        r: &EfsDeployment,
        phase: Phase,
        v: &mut Vec<Assert>,
    ) {
        let secondary = &self.dep.secondary_region;
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!("({at}.replication != null) == {}", r.replication),
                    if r.replication {
                        format!("`{id}`: the recovery model chose EFS replication")
                    } else {
                        format!("`{id}`: the recovery model chose no EFS replication")
                    },
                ));
                if r.replication {
                    v.push(assert(
                        format!(
                            "{at}.replication.source_file_system_id == {} && {at}.replication.destination_region == {}",
                            quote(&r.file_system_id),
                            quote(secondary)
                        ),
                        format!("`{id}`: `{}` replicates to {secondary}", r.file_system_id),
                    ));
                    v.push(assert(
                        format!("{at}.sync_alarm.threshold == {}", r.sync_threshold_seconds),
                        format!(
                            "`{id}`: the TimeSinceLastSync alarm watches the tier's Region RPO ({} s)",
                            r.sync_threshold_seconds
                        ),
                    ));
                }
            }
            Phase::Apply => {
                if r.replication {
                    v.push(assert(
                        format!(
                            "{at}.replication.destination_kms_key_id == {at}.secondary_kms_key_arn && {at}.secondary_kms_key_region == {}",
                            quote(secondary)
                        ),
                        format!("`{id}`: the replica is encrypted with the module's key in {secondary}"),
                    ));
                }
            }
        }
    }

    fn backup_asserts(&self, phase: Phase) -> Vec<Assert> {
        let Some(b) = &self.dep.backup else {
            return Vec::new();
        };
        // Every rule of a plan is checked once its copy destinations are known.
        if phase == Phase::Plan {
            return Vec::new();
        }
        let mut v = Vec::new();
        for plan in &b.plans {
            let p = format!("module.backup.plans[{}]", quote(&plan.key));
            let vaults = b.vaults_of(plan);
            let copy_vault = if plan.immutable_vaults {
                "module.backup.immutable_vault_arns.secondary"
            } else {
                "module.backup.secondary_vault_arn"
            };
            v.push(assert(
                format!(
                    "{p}.name == {} && length({p}.rules) == {}",
                    quote(&plan.name),
                    plan.rules.len()
                ),
                format!(
                    "backup plan `{}` of tier `{}` has {} rule{}",
                    plan.name,
                    plan.tier,
                    plan.rules.len(),
                    if plan.rules.len() == 1 { "" } else { "s" }
                ),
            ));
            for rule in &plan.rules {
                let continuous = rule.implements.kind == RuleKind::Continuous;
                let mut copies = Vec::new();
                if let (Some(days), None) = (
                    rule.copy_delete_after_days,
                    rule.isolated_copy_delete_after_days,
                ) {
                    copies.push(format!(
                        "alltrue([for c in r.copies : c.destination_vault_arn == {copy_vault} && c.delete_after == {days}])"
                    ));
                } else if let Some(days) = rule.copy_delete_after_days {
                    copies.push(format!(
                        "length([for c in r.copies : c if c.destination_vault_arn == {copy_vault} && c.delete_after == {days}]) == 1"
                    ));
                }
                if let Some(days) = rule.isolated_copy_delete_after_days {
                    copies.push(format!(
                        "length([for c in r.copies : c if c.destination_vault_arn == module.isolated_vault.arn && c.delete_after == {days}]) == 1"
                    ));
                }
                let mut copy = format!("length(r.copies) == {}", copies.len());
                for c in copies {
                    copy.push_str(" && ");
                    copy.push_str(&c);
                }
                v.push(assert(
                    format!(
                        "anytrue([for r in {p}.rules : r.name == {} && r.target_vault == {} && r.schedule == {} && r.start_window == {} && r.completion_window == {} && r.continuous == {continuous} && r.delete_after == {} && {copy}])",
                        quote(rule.name),
                        quote(&vaults.primary),
                        quote(&rule.schedule),
                        rule.start_window_minutes,
                        rule.completion_window_minutes,
                        rule.delete_after_days,
                    ),
                    format!(
                        "backup plan `{}`: rule `{}` writes to `{}`, runs `{}` with a {}-minute start window and keeps {} days{}",
                        plan.name,
                        rule.name,
                        vaults.primary,
                        rule.schedule,
                        rule.start_window_minutes,
                        rule.delete_after_days,
                        match (
                            rule.copy_delete_after_days.is_some(),
                            rule.isolated_copy_delete_after_days.is_some()
                        ) {
                            (true, true) => format!(
                                ", copied to `{}` and the isolated vault",
                                vaults.secondary
                            ),
                            (true, false) => format!(", copied to `{}`", vaults.secondary),
                            (false, true) => ", copied to the isolated vault".to_owned(),
                            (false, false) => ", not copied".to_owned(),
                        }
                    ),
                ));
            }
        }
        if b.secondary_plans {
            for plan in &b.plans {
                let p = format!("module.backup.secondary_plans[{}]", quote(&plan.key));
                v.push(assert(
                    format!(
                        "try({p}.name == {} && {p}.region == {} && length({p}.rules) == {} && alltrue([for r in {p}.rules : r.target_vault == {} && r.copies == 0]) && {p}.selection_tag == [{{ key = {}, value = {} }}], false)",
                        quote(&plan.name),
                        quote(&self.dep.secondary_region),
                        plan.rules.len(),
                        quote(&b.vaults_of(plan).secondary),
                        quote(crate::deploy::backup::DR_TAG_KEY),
                        quote(&plan.key),
                    ),
                    format!(
                        "backup plan `{}` has a twin in {} that backs up what a failover tags `{} = {}`, into `{}`",
                        plan.name,
                        self.dep.secondary_region,
                        crate::deploy::backup::DR_TAG_KEY,
                        plan.key,
                        b.vaults_of(plan).secondary,
                    ),
                ));
            }
        }
        let grace = |days: Option<u32>| days.map_or_else(|| "null".to_owned(), |d| d.to_string());
        let mut locks = vec![
            ("primary", &b.lock.primary, b.lock.changeable_for_days),
            ("secondary", &b.lock.secondary, b.lock.changeable_for_days),
        ];
        if let Some(i) = &b.immutable {
            locks.extend([
                ("immutable-primary", &i.primary, Some(i.changeable_for_days)),
                (
                    "immutable-secondary",
                    &i.secondary,
                    Some(i.changeable_for_days),
                ),
            ]);
        }
        for (name, lock, changeable) in locks {
            let l = format!("module.backup.vault_locks[{}]", quote(name));
            v.push(assert(
                format!(
                    "{l}.min_retention_days == {} && {l}.max_retention_days == {} && {l}.changeable_for_days == {}",
                    lock.min_retention_days,
                    lock.max_retention_days,
                    grace(changeable)
                ),
                format!(
                    "the {name} vault is locked to retentions of {} to {} days, {}",
                    lock.min_retention_days,
                    lock.max_retention_days,
                    match changeable {
                        Some(d) => format!("in compliance mode (immutable after {d} days)"),
                        None => "in governance mode".to_owned(),
                    }
                ),
            ));
        }
        v
    }

    /// One failing run per plan-time guard of the modules that data can reach,
    /// on the first asset where the guard is active.
    fn guards(&self) -> Vec<Guard> {
        let mut out: Vec<Guard> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let primary = self.dep.primary_region.clone();
        let secondary = self.dep.secondary_region.clone();
        let (p, topic) = (self.partition, self.dep.alerts.topic.clone());
        // The topic ARN of each Region, or of Region `of` in Region `wrong`.
        let topics = |of: Option<(&str, &str)>| -> Box<dyn Fn(&str) -> String> {
            let (p, topic) = (p.to_owned(), topic.clone());
            let of = of.map(|(a, b)| (a.to_owned(), b.to_owned()));
            Box::new(move |region: &str| {
                let region = match &of {
                    Some((a, b)) if a == region => b.clone(),
                    _ => region.to_owned(),
                };
                quote(&format!("arn:{p}:sns:{region}:{ACCOUNT}:{topic}"))
            })
        };
        for (i, (a, d)) in self.inv.assets.iter().zip(&self.dep.assets).enumerate() {
            let Some(call) = self.cx.call(i) else {
                continue;
            };
            let mut add = |key: &str, g: Guard| {
                if seen.insert(key.to_owned()) {
                    out.push(g);
                }
            };
            match (&a.kind, &d.kind) {
                (AssetKind::Rds(x), KindDeployment::Rds(r)) => {
                    let guard = |name: &str,
                                 comment: String,
                                 changes: &[(&'static str, String)],
                                 topic: Box<dyn Fn(&str) -> String>,
                                 expect: &str| Guard {
                        name: format!("guard_rds_{name}"),
                        comment,
                        call: call.clone(),
                        topic,
                        overrides: vec![self.source_db("", x, r, changes)],
                        expect: expect.to_owned(),
                    };
                    let source = "aws_db_event_subscription.source";
                    add(
                        "rds-cluster",
                        guard(
                            "cluster_member",
                            format!(
                                "`{}`: a DB instance that belongs to a cluster is refused.",
                                a.id
                            ),
                            &[("db_cluster_identifier", quote("a-cluster"))],
                            topics(None),
                            source,
                        ),
                    );
                    add(
                        "rds-engine",
                        guard(
                            "wrong_engine",
                            format!(
                                "`{}`: a source running another engine than the inventory says is refused.",
                                a.id
                            ),
                            &[("engine", quote(other_engine(x.engine).as_str()))],
                            topics(None),
                            source,
                        ),
                    );
                    add(
                        "rds-backups",
                        guard(
                            "backups_disabled",
                            format!(
                                "`{}`: a source with automated backups disabled is refused.",
                                a.id
                            ),
                            &[("backup_retention_period", "0".to_owned())],
                            topics(None),
                            source,
                        ),
                    );
                    if x.multi_az {
                        add(
                            "rds-multi-az",
                            guard(
                                "single_az",
                                format!(
                                    "`{}`: the model relies on Multi-AZ; a Single-AZ source is refused.",
                                    a.id
                                ),
                                &[("multi_az", "false".to_owned())],
                                topics(None),
                                source,
                            ),
                        );
                    }
                    let (key, name, what) = if x.encrypted {
                        (
                            "rds-unencrypted",
                            "unencrypted",
                            "an unencrypted source is refused where the inventory says encrypted",
                        )
                    } else {
                        (
                            "rds-encrypted",
                            "encrypted",
                            "an encrypted source is refused where the inventory says unencrypted",
                        )
                    };
                    add(
                        key,
                        guard(
                            name,
                            format!("`{}`: {what}.", a.id),
                            &[("storage_encrypted", (!x.encrypted).to_string())],
                            topics(None),
                            source,
                        ),
                    );
                    add(
                        "rds-topic",
                        guard(
                            "topic_region",
                            format!(
                                "`{}`: RDS events can only go to a topic of their own Region.",
                                a.id
                            ),
                            &[],
                            topics(Some((&primary, &secondary))),
                            source,
                        ),
                    );
                    if r.read_replica {
                        add(
                            "rds-lag-topic",
                            guard(
                                "lag_alarm_topic_region",
                                format!(
                                    "`{}`: the ReplicaLag alarm can only notify a topic of its own Region.",
                                    a.id
                                ),
                                &[],
                                topics(Some((&secondary, &primary))),
                                "aws_cloudwatch_metric_alarm.replica_lag, aws_db_event_subscription.replica",
                            ),
                        );
                    }
                }
                (AssetKind::S3(_), KindDeployment::S3(x)) => {
                    let Some(rep) = &x.replication else { continue };
                    add(
                        "s3-topic",
                        Guard {
                            name: "guard_s3_alarm_topic_region".to_owned(),
                            comment: format!(
                                "`{}`: the replication alarm can only notify a topic of its own Region.",
                                a.id
                            ),
                            call: call.clone(),
                            topic: topics(Some((&primary, &secondary))),
                            overrides: Vec::new(),
                            expect: "aws_cloudwatch_metric_alarm.operations_failed".to_owned(),
                        },
                    );
                    if rep.replication_time_control {
                        add(
                            "s3-latency-topic",
                            Guard {
                                name: "guard_s3_latency_alarm_topic_region".to_owned(),
                                comment: format!(
                                    "`{}`: the ReplicationLatency alarm (secondary Region) can only notify a topic there.",
                                    a.id
                                ),
                                call: call.clone(),
                                topic: topics(Some((&secondary, &primary))),
                                overrides: Vec::new(),
                                expect: "aws_cloudwatch_metric_alarm.replication_latency"
                                    .to_owned(),
                            },
                        );
                    }
                }
                (AssetKind::Aurora(x), KindDeployment::Aurora(r)) => {
                    let guard =
                        |name: &str,
                         comment: String,
                         changes: &[(&'static str, String)],
                         topic: Box<dyn Fn(&str) -> String>| Guard {
                            name: format!("guard_aurora_{name}"),
                            comment,
                            call: call.clone(),
                            topic,
                            overrides: vec![self.source_cluster("", x, r, changes)],
                            expect: "aws_db_event_subscription.source".to_owned(),
                        };
                    let other = match x.engine {
                        AuroraEngine::Postgresql => AuroraEngine::Mysql,
                        AuroraEngine::Mysql => AuroraEngine::Postgresql,
                    };
                    add(
                        "aurora-engine",
                        guard(
                            "wrong_engine",
                            format!(
                                "`{}`: a cluster running another engine than the inventory says is refused.",
                                a.id
                            ),
                            &[("engine", quote(other.as_str()))],
                            topics(None),
                        ),
                    );
                    add(
                        "aurora-backups",
                        guard(
                            "backups_disabled",
                            format!(
                                "`{}`: a cluster without automated backups is refused.",
                                a.id
                            ),
                            &[("backup_retention_period", "0".to_owned())],
                            topics(None),
                        ),
                    );
                    let (key, name, what) = if x.encrypted {
                        (
                            "aurora-unencrypted",
                            "unencrypted",
                            "an unencrypted cluster is refused where the inventory says encrypted",
                        )
                    } else {
                        (
                            "aurora-encrypted",
                            "encrypted",
                            "an encrypted cluster is refused where the inventory says unencrypted",
                        )
                    };
                    add(
                        key,
                        guard(
                            name,
                            format!("`{}`: {what}.", a.id),
                            &[("storage_encrypted", (!x.encrypted).to_string())],
                            topics(None),
                        ),
                    );
                    if x.multi_az {
                        add(
                            "aurora-reader",
                            guard(
                                "no_reader",
                                format!(
                                    "`{}`: the model relies on a reader to fail over to; a cluster without one is refused.",
                                    a.id
                                ),
                                &[(
                                    "cluster_members",
                                    format!("[{}]", quote(&format!("{}-1", r.cluster_identifier))),
                                )],
                                topics(None),
                            ),
                        );
                    }
                    if r.global_database {
                        add(
                            "aurora-serverless",
                            guard(
                                "serverless_v1",
                                format!(
                                    "`{}`: an Aurora Serverless v1 cluster cannot join a Global Database.",
                                    a.id
                                ),
                                &[("engine_mode", quote("serverless"))],
                                topics(None),
                            ),
                        );
                    }
                    add(
                        "aurora-topic",
                        guard(
                            "topic_region",
                            format!(
                                "`{}`: RDS events can only go to a topic of their own Region.",
                                a.id
                            ),
                            &[],
                            topics(Some((&primary, &secondary))),
                        ),
                    );
                }
                (AssetKind::Dynamodb(_), KindDeployment::Dynamodb(r)) => {
                    let rule = "aws_cloudwatch_event_rule.source_changes";
                    let guard =
                        |name: &str, comment: String, changes: &[(&'static str, String)]| Guard {
                            name: format!("guard_dynamodb_{name}"),
                            comment,
                            call: call.clone(),
                            topic: topics(None),
                            overrides: vec![self.source_table("", r, changes)],
                            expect: rule.to_owned(),
                        };
                    if r.pitr {
                        add(
                            "dynamodb-pitr",
                            guard(
                                "pitr_off",
                                format!(
                                    "`{}`: the model relies on point-in-time recovery; a table without it is refused.",
                                    a.id
                                ),
                                &[(
                                    "point_in_time_recovery",
                                    format!(
                                        "[{{ enabled = false, recovery_period_in_days = {} }}]",
                                        r.pitr_recovery_period_days
                                    ),
                                )],
                            ),
                        );
                    }
                    if r.global_table {
                        add(
                            "dynamodb-streams",
                            guard(
                                "streams_off",
                                format!(
                                    "`{}`: a global table replica needs the table's stream with new and old images.",
                                    a.id
                                ),
                                &[("stream_enabled", "false".to_owned())],
                            ),
                        );
                    }
                }
                (AssetKind::Efs(_), KindDeployment::Efs(r)) => {
                    add(
                        "efs-one-zone",
                        Guard {
                            name: "guard_efs_one_zone".to_owned(),
                            comment: format!(
                                "`{}`: the model assumes a Regional file system; a One Zone one is refused.",
                                a.id
                            ),
                            call: call.clone(),
                            topic: topics(None),
                            overrides: vec![self.source_file_system(
                                "",
                                r,
                                &[("availability_zone_name", quote(&format!("{primary}a")))],
                            )],
                            expect: "aws_cloudwatch_event_rule.source_changes".to_owned(),
                        },
                    );
                }
                (AssetKind::Endpoint(e), KindDeployment::Endpoint(_))
                    if !(e.primary.is_alias() && e.secondary.is_alias()) =>
                {
                    add(
                        "endpoint-apex",
                        Guard {
                            name: "guard_endpoint_cname_at_apex".to_owned(),
                            comment: format!(
                                "`{}`: a CNAME failover pair cannot sit at the zone apex.",
                                a.id
                            ),
                            call: call.clone(),
                            topic: topics(None),
                            overrides: vec![self.zone("", e, &e.domain)],
                            expect: "aws_route53_record.this".to_owned(),
                        },
                    );
                }
                _ => {}
            }
        }
        if let Some(b) = &self.dep.backup {
            let regions = || {
                [("primary", &primary), ("secondary", &secondary)]
                    .map(|(v, r)| Override {
                        kind: "override_data",
                        target: format!("data.aws_region.{v}"),
                        values: vec![("region", quote(r)), ("name", quote(r))],
                    })
                    .into_iter()
                    .collect::<Vec<_>>()
            };
            out.push(Guard {
                name: "guard_backup_notification_topic_region".to_owned(),
                comment:
                    "AWS Backup vault notifications can only go to a topic of the vault's Region."
                        .to_owned(),
                call: self.backup_guard_call(b),
                topic: topics(Some((&primary, &secondary))),
                overrides: regions(),
                expect: "aws_backup_vault_notifications.this".to_owned(),
            });
            let (p, topic) = (p.to_owned(), topic.clone());
            out.push(Guard {
                name: "guard_backup_notification_topic_account".to_owned(),
                comment: "AWS Backup vault notifications can only go to a topic of this account."
                    .to_owned(),
                call: self.backup_guard_call(b),
                topic: Box::new(move |region: &str| {
                    quote(&format!("arn:{p}:sns:{region}:210987654321:{topic}"))
                }),
                overrides: regions(),
                expect: "aws_backup_vault_notifications.this".to_owned(),
            });
        }
        out
    }
}

fn endpoint_asserts(
    id: &str,
    at: &str,
    e: &Endpoint,
    x: &EndpointDeployment,
    phase: Phase,
    v: &mut Vec<Assert>,
) {
    let hc = &e.health_check;
    for (role, set, failover) in [
        ("primary", &x.primary_set_identifier, "PRIMARY"),
        ("secondary", &x.secondary_set_identifier, "SECONDARY"),
    ] {
        let record = format!("{at}.records[{}]", quote(role));
        let check = format!("{at}.health_checks[{}]", quote(role));
        match phase {
            Phase::Plan => {
                v.push(assert(
                    format!(
                        "{record}.name == {} && {record}.set_identifier == {} && {record}.failover == {}",
                        quote(&e.domain),
                        quote(set),
                        quote(failover)
                    ),
                    format!("`{id}`: a {failover} failover record `{set}` for {}", e.domain),
                ));
                v.push(assert(
                    format!(
                        "{check}.request_interval == {} && {check}.failure_threshold == {}",
                        hc.interval, hc.failure_threshold
                    ),
                    format!(
                        "`{id}`: the {role} health check detects failure in {} s x {} (what the model prices)",
                        hc.interval, hc.failure_threshold
                    ),
                ));
            }
            Phase::Apply => v.push(assert(
                format!("{record}.health_check_id == {check}.id"),
                format!("`{id}`: the {failover} record fails over on its own health check"),
            )),
        }
    }
}

/// `assert` blocks, indented for a run block, laid out as `terraform fmt` does.
fn render_asserts(list: &[Assert]) -> String {
    let mut t = String::new();
    for a in list {
        let _ = write!(
            t,
            "\n  assert {{\n    condition     = {}\n    error_message = {}\n  }}\n",
            a.condition,
            quote(&a.message)
        );
    }
    t
}
