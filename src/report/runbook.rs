//! RUNBOOK.md: what an on-call engineer who has never seen the system follows at
//! 3 a.m. Per scenario: recovery waves in dependency order, then per asset the
//! exact AWS CLI commands, the checks that confirm each step, and failback notes.
//! Built from the same recovery results as `check`, so the runbook follows the
//! path the estimate assumed.

use handlebars::Handlebars;
use serde_json::{Value, json};

use super::markdown_text;
use crate::check::{Recovery, ScenarioResult, Verdict};
use crate::emit::Options;
use crate::emit::terraform::{destination_bucket, scoped_name};
use crate::model::{Asset, AssetKind, Dur, Inventory, Scenario};

const TEMPLATE: &str = include_str!("../../templates/runbook/RUNBOOK.md.hbs");

/// Single-quote a value for a POSIX shell.
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn opt(d: Option<Dur>) -> String {
    d.map_or_else(|| "no recovery path".to_owned(), |d| d.to_string())
}

struct Names {
    project: String,
    vault_secondary: String,
}

struct Action {
    text: String,
    commands: Vec<String>,
}

fn act(text: impl Into<String>, commands: &[&str]) -> Action {
    Action {
        text: text.into(),
        commands: commands.iter().map(|c| (*c).to_owned()).collect(),
    }
}

fn act_owned(text: impl Into<String>, commands: Vec<String>) -> Action {
    Action {
        text: text.into(),
        commands,
    }
}

fn wait_and_endpoint(region: &str, id: &str) -> Vec<String> {
    vec![
        format!(
            "aws rds wait db-instance-available --region \"{region}\" --db-instance-identifier {id}"
        ),
        format!(
            "aws rds describe-db-instances --region \"{region}\" --db-instance-identifier {id} \\\n  --query 'DBInstances[0].{{status:DBInstanceStatus,endpoint:Endpoint.Address,az:AvailabilityZone}}'"
        ),
    ]
}

fn rds_steps(
    a: &Asset,
    identifier: &str,
    engine: &str,
    path: &str,
    n: &Names,
    name_id: &str,
) -> Vec<Action> {
    let id = sq(identifier);
    let restored = sq(&format!("{identifier}-restored"));
    let dr = sq(&format!("{identifier}-dr"));
    let replica = sq(&format!("{}-dr", scoped_name(&n.project, name_id, 40)));
    let arn = format!("\"arn:$PARTITION:rds:$PRIMARY:$ACCOUNT:db:{identifier}\"");
    // A restored instance is single-AZ unless asked; keep the source's resilience.
    let maz = match &a.kind {
        AssetKind::Rds(x) if x.multi_az => " --multi-az",
        _ => "",
    };
    let network = "Add `--db-subnet-group-name`, `--vpc-security-group-ids` and `--db-parameter-group-name` matching the original instance, or the new instance lands in the default VPC with default settings.";
    match path {
        p if p.starts_with("Multi-AZ failover") => vec![
            act(
                "RDS fails over to the standby by itself. Confirm the instance is `available` and note its new Availability Zone:",
                &[
                    &format!(
                        "aws rds describe-db-instances --region \"$PRIMARY\" --db-instance-identifier {id} \\\n  --query 'DBInstances[0].{{status:DBInstanceStatus,az:AvailabilityZone,standby:SecondaryAvailabilityZone}}'"
                    ),
                    &format!(
                        "aws rds describe-events --region \"$PRIMARY\" --source-type db-instance --source-identifier {id} --duration 120"
                    ),
                ],
            ),
            act(
                "If it is not `available` after 10 minutes, force a failover:",
                &[&format!(
                    "aws rds reboot-db-instance --region \"$PRIMARY\" --db-instance-identifier {id} --force-failover"
                )],
            ),
            act(
                "Check that clients reconnect: the endpoint name does not change, but connections opened before the failover are dropped.",
                &[],
            ),
        ],
        p if p.starts_with("point-in-time restore into another AZ") => vec![
            act(
                "The instance is single-AZ: restore it into a healthy Availability Zone from its automated backups. Find the latest restorable time:",
                &[&format!(
                    "aws rds describe-db-instances --region \"$PRIMARY\" --db-instance-identifier {id} --query 'DBInstances[0].LatestRestorableTime'"
                )],
            ),
            act(
                format!("Restore to a new instance in a healthy AZ. {network}"),
                &[&format!(
                    "aws rds restore-db-instance-to-point-in-time --region \"$PRIMARY\" \\\n  --source-db-instance-identifier {id} --target-db-instance-identifier {restored} \\\n  --use-latest-restorable-time --availability-zone <healthy-az>"
                )],
            ),
            act_owned(
                "Wait until it is available and read its endpoint:",
                wait_and_endpoint("$PRIMARY", &restored),
            ),
            act(
                "Point clients at the new endpoint (configuration or DNS), and check they can read and write.",
                &[],
            ),
        ],
        p if p.starts_with("promote the cross-Region read replica") => {
            let mut v = vec![
                act(
                    "Check how far the replica was behind when the primary Region went (the data-loss window):",
                    &[&format!(
                        "aws cloudwatch get-metric-statistics --region \"$SECONDARY\" --namespace AWS/RDS --metric-name ReplicaLag \\\n  --dimensions Name=DBInstanceIdentifier,Value={replica} --statistics Maximum --period 60 \\\n  --start-time \"$(date -u -d '-2 hours' +%FT%TZ 2>/dev/null || date -u -v-2H +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\""
                    )],
                ),
                act(
                    "Promote the replica. This is one-way: it becomes a standalone primary.",
                    &[&format!(
                        "aws rds promote-read-replica --region \"$SECONDARY\" --db-instance-identifier {replica} --backup-retention-period 7"
                    )],
                ),
                act_owned(
                    "Wait until it is available; `source` must be empty (no longer a replica):",
                    {
                        let mut c = wait_and_endpoint("$SECONDARY", &replica);
                        c.push(format!("aws rds describe-db-instances --region \"$SECONDARY\" --db-instance-identifier {replica} \\\n  --query 'DBInstances[0].ReadReplicaSourceDBInstanceIdentifier'"));
                        c
                    },
                ),
                act(
                    "Point clients at the promoted instance's endpoint, and check they can write.",
                    &[],
                ),
            ];
            if engine == "postgres" {
                v.insert(1, act("PostgreSQL: the replica is NOT promoted when its source disappears; it stays read-only until you promote it.", &[]));
            }
            v
        }
        p if p.starts_with("point-in-time restore from replicated automated backups") => vec![
            act(
                "Find the replicated automated backups in the secondary Region and their latest restorable time:",
                &[&format!(
                    "aws rds describe-db-instance-automated-backups --region \"$SECONDARY\" --db-instance-identifier {id} \\\n  --query 'DBInstanceAutomatedBackups[0].{{arn:DBInstanceAutomatedBackupsArn,latest:RestoreWindow.LatestTime}}'"
                )],
            ),
            act(
                format!("Restore them into a new instance in the secondary Region. {network}"),
                &[&format!(
                    "aws rds restore-db-instance-to-point-in-time --region \"$SECONDARY\" \\\n  --source-db-instance-automated-backups-arn <arn-from-step-1> \\\n  --target-db-instance-identifier {dr} --use-latest-restorable-time{maz}"
                )],
            ),
            act_owned(
                "Wait until it is available and read its endpoint:",
                wait_and_endpoint("$SECONDARY", &dr),
            ),
            act(
                "Point clients at the new endpoint, and check they can read and write.",
                &[],
            ),
        ],
        p if p.starts_with("restore the latest recovery point copied") => vec![
            act(
                "Find the newest recovery point of this database in the secondary vault:",
                &[&format!(
                    "RP=$(aws backup list-recovery-points-by-backup-vault --region \"$SECONDARY\" --backup-vault-name {} \\\n  --by-resource-arn {arn} --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[0].RecoveryPointArn' --output text)\necho \"$RP\"",
                    sq(&n.vault_secondary)
                )],
            ),
            act(
                format!("Restore it into a new instance. {network}"),
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn \"$(terraform output -raw backup_role_arn)\" --resource-type RDS \\\n  --metadata DBInstanceIdentifier={dr}"
                )],
            ),
            act(
                "Follow the job until it is COMPLETED:",
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status,created:CreationDate}'",
                ],
            ),
            act_owned(
                "Read the new endpoint and point clients at it:",
                wait_and_endpoint("$SECONDARY", &dr),
            ),
        ],
        p if p.starts_with("point-in-time restore from AWS Backup")
            || p.starts_with("restore the latest AWS Backup") =>
        {
            let continuous = p.contains("continuous");
            let mut v = vec![act(
                "Stop the damage first: stop or roll back the writer that corrupts data, and note the last good moment (UTC).",
                &[],
            )];
            if continuous {
                v.push(act(format!("If the instance still exists, restore it to the last good moment into a new instance. {network}"), &[&format!("aws rds restore-db-instance-to-point-in-time --region \"$PRIMARY\" \\\n  --source-db-instance-identifier {id} --target-db-instance-identifier {restored} \\\n  --restore-time <YYYY-MM-DDThh:mm:ssZ>{maz}")]));
                v.push(act("If the instance was deleted, use its recovery points in the locked AWS Backup vault instead (next step).", &[]));
            }
            v.push(act("List its AWS Backup recovery points and choose the newest one before the corruption:", &[&format!("aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'")]));
            v.push(act("Restore it into a new instance:", &[&format!("aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn \"$(terraform output -raw backup_role_arn)\" --resource-type RDS \\\n  --metadata DBInstanceIdentifier={restored}")]));
            v.push(act_owned(
                "Wait until it is available, check the data, then point clients at it:",
                wait_and_endpoint("$PRIMARY", &restored),
            ));
            v
        }
        _ => vec![act(format!("Follow the recovery path: {path}."), &[])],
    }
}

fn s3_steps(bucket: &str, dest: &str, rule: &str, path: &str, n: &Names) -> Vec<Action> {
    let rule = sq(rule);
    let b = sq(bucket);
    let d = sq(dest);
    let restored = sq(&format!(
        "{}-restored",
        bucket.chars().take(54).collect::<String>()
    ));
    let arn = format!("\"arn:$PARTITION:s3:::{bucket}\"");
    match path {
        p if p.starts_with("not affected") => vec![act(
            "Nothing to do: S3 keeps data in at least three Availability Zones. Confirm the bucket answers:",
            &[&format!(
                "aws s3api head-bucket --region \"$PRIMARY\" --bucket {b}"
            )],
        )],
        p if p.starts_with("switch clients to the replica bucket") => vec![
            act(
                "Confirm the replica bucket has recent data:",
                &[&format!(
                    "aws s3api list-objects-v2 --region \"$SECONDARY\" --bucket {d} --max-items 5 \\\n  --query 'Contents[].{{key:Key,modified:LastModified}}'"
                )],
            ),
            act(
                "Check how far replication was behind (replica metrics are published in the secondary Region):",
                &[&format!(
                    "aws cloudwatch get-metric-statistics --region \"$SECONDARY\" --namespace AWS/S3 --metric-name ReplicationLatency \\\n  --dimensions Name=SourceBucket,Value={b} Name=DestinationBucket,Value={d} Name=RuleId,Value={rule} \\\n  --statistics Maximum --period 300 --start-time \"$(date -u -d '-2 hours' +%FT%TZ 2>/dev/null || date -u -v-2H +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\""
                )],
            ),
            act(
                format!(
                    "Switch clients (configuration) from `{}` in the primary Region to `{}` in the secondary Region. Objects that existed before replication was set up, SSE-C objects and failed replications are not in the replica.",
                    markdown_text(bucket),
                    markdown_text(dest)
                ),
                &[],
            ),
        ],
        p if p.starts_with("restore the latest recovery point copied") => vec![
            act(
                "Find the newest recovery point of the bucket in the secondary vault:",
                &[&format!(
                    "RP=$(aws backup list-recovery-points-by-backup-vault --region \"$SECONDARY\" --backup-vault-name {} \\\n  --by-resource-arn {arn} --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[0].RecoveryPointArn' --output text)\necho \"$RP\"",
                    sq(&n.vault_secondary)
                )],
            ),
            act(
                "Restore it into a new bucket in the secondary Region:",
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn \"$(terraform output -raw backup_role_arn)\" --resource-type S3 \\\n  --metadata DestinationBucketName={restored},NewBucket=true,Encrypted=true,EncryptionType=SSE-S3"
                )],
            ),
            act(
                "Follow the job until it is COMPLETED, then switch clients to the restored bucket:",
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status}'",
                ],
            ),
        ],
        p if p.starts_with("point-in-time restore from AWS Backup")
            || p.starts_with("restore the latest AWS Backup") =>
        {
            vec![
                act(
                    "Stop the damage first (the writer, the compromised credentials) and note the last good moment (UTC). Replication has already copied the damage to the replica bucket; only backups help.",
                    &[],
                ),
                act(
                    "List the bucket's recovery points and choose the newest one before the corruption (for continuous backup, any moment in its window):",
                    &[&format!(
                        "aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
                    )],
                ),
                act(
                    "Restore into a new bucket (never over the damaged one):",
                    &[&format!(
                        "aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn \"$(terraform output -raw backup_role_arn)\" --resource-type S3 \\\n  --metadata DestinationBucketName={restored},NewBucket=true,Encrypted=true,EncryptionType=SSE-S3"
                    )],
                ),
                act(
                    "Check the restored objects, then copy them back or switch clients to the restored bucket:",
                    &[&format!(
                        "aws s3 sync s3://{} s3://{} --region \"$PRIMARY\"",
                        restored.trim_matches('\''),
                        bucket
                    )],
                ),
            ]
        }
        _ => vec![act(format!("Follow the recovery path: {path}."), &[])],
    }
}

fn endpoint_steps(id: &str, domain: &str, path: &str, deps: &[String]) -> Vec<Action> {
    let module = format!("endpoint_{}", id.replace('-', "_"));
    match path {
        p if p.starts_with("Route 53 fails over") => vec![
            act(
                "Route 53 fails over by itself once the primary health check fails. Confirm the checks' state:",
                &[
                    &format!(
                        "aws route53 get-health-check-status --health-check-id \"$(terraform output -json {module} | jq -r .primary)\" \\\n  --query 'HealthCheckObservations[].{{region:Region,status:StatusReport.Status}}'"
                    ),
                    &format!(
                        "aws route53 get-health-check-status --health-check-id \"$(terraform output -json {module} | jq -r .secondary)\" \\\n  --query 'HealthCheckObservations[].{{region:Region,status:StatusReport.Status}}'"
                    ),
                ],
            ),
            act(
                "Confirm resolvers now answer with the secondary target (allow for the record TTL):",
                &[&format!("dig +short {}", sq(domain))],
            ),
            act(
                if deps.is_empty() {
                    "Check the service answers from the secondary Region.".to_owned()
                } else {
                    format!(
                        "It serves correctly only once its dependencies serve in the secondary Region: {}.",
                        deps.iter()
                            .map(|d| format!("`{d}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                &[],
            ),
            act(
                "If the secondary health check fails too, fix the secondary target; do NOT edit the DNS records by hand.",
                &[],
            ),
        ],
        _ => vec![act(format!("Not affected itself: {path}."), &[])],
    }
}

fn verdict_text(s: &ScenarioResult) -> &'static str {
    match (s.rpo_verdict, s.rto_verdict) {
        (Verdict::Breached, _) | (_, Verdict::Breached) => "**BREACHED**",
        (Verdict::NoObjective, Verdict::NoObjective) => "no objective",
        _ => "met",
    }
}

pub fn render(inv: &Inventory, rec: &Recovery, opts: &Options) -> String {
    let p = &inv.project;
    let project = crate::emit::terraform::project_name(&p.name);
    let backup_name: String = project
        .chars()
        .take(20)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned();
    let names = Names {
        project: project.clone(),
        vault_secondary: format!("{backup_name}-secondary"),
    };
    let assets: Vec<Value> = inv
        .assets
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "kind": a.kind_name(),
                "tier": a.tier,
                "owner": a.owner.clone().unwrap_or_else(|| "—".into()),
                "description": a.description.clone().unwrap_or_default(),
            })
        })
        .collect();
    let mut objectives = Vec::new();
    for (a, r) in inv.assets.iter().zip(&rec.assets) {
        for s in &r.scenarios {
            if s.objective.rpo.is_none() && s.objective.rto.is_none() {
                continue;
            }
            objectives.push(json!({
                "id": a.id,
                "scenario": s.scenario.as_str(),
                "rpo_objective": s.objective.rpo.map_or("—".into(), |d| d.to_string()),
                "rpo": opt(s.rpo),
                "rto_objective": s.objective.rto.map_or("—".into(), |d| d.to_string()),
                "rto": opt(s.effective_rto),
                "verdict": verdict_text(s),
            }));
        }
    }
    let mut scenarios = Vec::new();
    for scenario in Scenario::ALL {
        let drill = super::drill::run(inv, rec, scenario);
        // Each wave's ids joined once: appending to the growing string copied it
        // for every asset (quadratic in the size of a wave).
        let mut wave_ids: Vec<(usize, Vec<String>)> = Vec::new();
        for row in &drill.rows {
            if wave_ids.last().is_none_or(|(w, _)| *w != row.wave) {
                wave_ids.push((row.wave, Vec::new()));
            }
            let (_, ids) = wave_ids.last_mut().expect("pushed");
            ids.push(format!("`{}`", row.id));
        }
        let waves: Vec<Value> = wave_ids
            .into_iter()
            .map(|(number, ids)| json!({"number": number, "assets": ids.join(", ")}))
            .collect();
        let mut steps = Vec::new();
        for row in &drill.rows {
            let i = inv
                .assets
                .binary_search_by(|a| a.id.as_str().cmp(&row.id))
                .expect("asset");
            let a = &inv.assets[i];
            let r = &rec.assets[i];
            let s = &r.scenarios[scenario.index()];
            let path = s.path.as_ref().map_or("no recovery path", |p| p.name);
            let name_id = a.previously.first().unwrap_or(&a.id);
            let mut actions = match &a.kind {
                AssetKind::Rds(x) => {
                    rds_steps(a, &x.identifier, x.engine.as_str(), path, &names, name_id)
                }
                AssetKind::S3(x) => s3_steps(
                    &x.bucket,
                    &destination_bucket(
                        &x.bucket,
                        &p.secondary_region,
                        x.dr.destination_bucket.as_deref(),
                    ),
                    &format!(
                        "{}-crr-{}",
                        crate::emit::terraform::scoped_name(&names.project, name_id, 48),
                        p.secondary_region
                    ),
                    path,
                    &names,
                ),
                AssetKind::Endpoint(e) => endpoint_steps(&a.id, &e.domain, path, &a.depends_on),
            };
            if s.path.is_none() {
                actions = vec![act(
                    "Nothing lifeboat generates can recover this asset in this scenario (its tier sets no objective for it). Rebuild it, or accept its loss.",
                    &[],
                )];
            }
            let not_hit = if row.hit {
                Value::Null
            } else if a.depends_on.is_empty() {
                json!("Nothing to do.")
            } else {
                json!(format!(
                    "It serves again once its dependencies do ({}).",
                    a.depends_on
                        .iter()
                        .map(|d| format!("`{d}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            };
            steps.push(json!({
                "id": a.id,
                "kind": a.kind_name(),
                "tier": a.tier,
                "path": path,
                "rpo": if matches!(a.kind, AssetKind::Endpoint(_)) { "none (an endpoint holds no data)".to_owned() } else { opt(s.rpo) },
                "rto": opt(s.effective_rto),
                "own_rto": opt(s.own_rto),
                "not_hit": not_hit,
                "actions": actions.iter().enumerate().map(|(k, x)| json!({
                    "number": k + 1,
                    "text": x.text,
                    "commands": if x.commands.is_empty() { Value::Null } else {
                        json!(x.commands.join("\n").lines().map(|l| format!("   {l}")).collect::<Vec<_>>().join("\n"))
                    },
                })).collect::<Vec<_>>(),
            }));
        }
        let (title, intro) = match scenario {
            Scenario::Az => (
                "loss of one Availability Zone or host",
                "An Availability Zone (or the host of a single-AZ database) is gone; the Region still works.",
            ),
            Scenario::Region => (
                "loss of the primary Region",
                "The primary Region is unavailable. Recover every asset in the secondary Region.",
            ),
            Scenario::Corruption => (
                "data corrupted, encrypted or deleted",
                "Software or people damaged data. Replicas already carry the damage: recover from backups to a moment before it happened.",
            ),
        };
        scenarios.push(json!({
            "name": scenario.as_str(),
            "title": title,
            "intro": intro,
            "waves": waves,
            "total": opt(drill.total),
            "steps": steps,
        }));
    }
    let ctx = json!({
        "header": opts.header("").trim_start(),
        "project": p.name,
        "primary": p.primary_region,
        "secondary": p.secondary_region,
        "alert_topic": format!("{project}-alerts"),
        "emails": p.alert_emails.join(", "),
        "assets": assets,
        "objectives": objectives,
        "scenarios": scenarios,
    });
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(markdown_text);
    hb.register_template_string("runbook", TEMPLATE)
        .expect("runbook template parses");
    // A Context takes the value as it is; `render(name, &value)` would serialize
    // a deep copy of it first (tens of MB for a large inventory).
    let text = hb
        .render_with_context("runbook", &handlebars::Context::from(ctx))
        .expect("runbook renders");
    // Collapse the blank lines that template blocks leave behind.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
