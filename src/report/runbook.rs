//! RUNBOOK.md: what an on-call engineer who has never seen the system follows at
//! 3 a.m. Per scenario: recovery waves in dependency order, then per asset the
//! exact AWS CLI commands, the checks that confirm each step, and failback notes.
//! Built from the same recovery results as `check`, so the runbook follows the
//! path the estimate assumed.

use handlebars::Handlebars;
use serde_json::json;

use super::markdown_text;
use crate::check::estimate::{
    AuroraPath, DynamodbPath, EfsPath, EndpointPath, PathKind, RdsPath, S3Path,
};
use crate::check::{Recovery, ScenarioResult, Verdict};
use crate::deploy::audit::Control;
use crate::deploy::backup::{DR_TAG_KEY, RESTORE_TESTING};
use crate::deploy::region_switch::{RegionSwitch, StepAction};
use crate::deploy::{
    AuroraDeployment, Deployment, DynamodbDeployment, EfsDeployment, EndpointDeployment,
    KindDeployment, RdsDeployment, S3Deployment,
};
use crate::input::Engine;
use crate::model::{AssetKind, Aurora, Dur, Dynamodb, Efs, Endpoint, Inventory, Rds, S3, Scenario};

/// Where the runbook's text goes as it is written (the same shape as
/// `emit::Sink`, which streams it to disk).
pub type Sink<'a> = dyn FnMut(&str) -> std::io::Result<()> + 'a;

const TEMPLATE: &str = include_str!("../../templates/runbook/RUNBOOK.md.hbs");

/// Single-quote a value for a POSIX shell.
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn opt(d: Option<Dur>) -> String {
    d.map_or_else(|| "no recovery path".to_owned(), |d| d.to_string())
}

/// Names every section's commands use, from the deployment; `asset` is the one
/// whose steps are written (its backup plan decides which vaults hold its copies).
struct Names<'a> {
    dep: &'a Deployment,
    asset: Option<usize>,
}

impl Names<'_> {
    /// The AWS Backup role's ARN, written out (not read from Terraform state: the
    /// state backend may be in the lost Region).
    fn backup_role_arn(&self) -> String {
        let role = self.dep.backup.as_ref().map_or("", |b| b.role.as_str());
        format!("\"arn:$PARTITION:iam::$ACCOUNT:role/{role}\"")
    }

    /// The vaults of the asset's backup plan (the compliance-mode pair for an
    /// immutable tier's), else the standard pair.
    fn vaults(&self) -> Option<&crate::deploy::backup::Vaults> {
        let b = self.dep.backup.as_ref()?;
        let plan = self
            .asset
            .and_then(|i| self.dep.assets[i].backup_plan.as_deref())
            .and_then(|k| b.plan(k));
        Some(plan.map_or(&b.vaults, |p| b.vaults_of(p)))
    }

    fn vault_secondary(&self) -> String {
        sq(self.vaults().map_or("", |v| v.secondary.as_str()))
    }

    fn vault_secondary_key_alias(&self) -> String {
        sq(self.vaults().map_or("", |v| v.secondary_key_alias.as_str()))
    }
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

/// Find the newest recovery point of `arn` in the secondary vault, into `$RP`.
fn newest_copy(arn: &str, n: &Names) -> String {
    format!(
        "RP=$(aws backup list-recovery-points-by-backup-vault --region \"$SECONDARY\" --backup-vault-name {} \\\n  --by-resource-arn {arn} --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[0].RecoveryPointArn' --output text)\necho \"$RP\"",
        n.vault_secondary()
    )
}

fn rds_steps(x: &Rds, d: &RdsDeployment, path: RdsPath, n: &Names) -> Vec<Action> {
    let identifier = &x.identifier;
    let id = sq(identifier);
    let restored = sq(&format!("{identifier}-restored"));
    let dr = sq(&format!("{identifier}-dr"));
    let arn = format!("\"arn:$PARTITION:rds:$PRIMARY:$ACCOUNT:db:{identifier}\"");
    let role = n.backup_role_arn();
    // A restored instance is single-AZ unless asked; keep the source's resilience.
    let maz = if x.multi_az { " --multi-az" } else { "" };
    let network = "Add `--db-subnet-group-name`, `--vpc-security-group-ids` and `--db-parameter-group-name` matching the original instance, or the new instance lands in the default VPC with default settings.";
    match path {
        RdsPath::MultiAzFailover => vec![
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
        RdsPath::PitrInRegion => vec![
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
        RdsPath::PromoteReplica => {
            let replica = sq(d.replica.as_deref().unwrap_or_default());
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
            if x.engine == Engine::Postgres {
                v.insert(1, act("PostgreSQL: the replica is NOT promoted when its source disappears; it stays read-only until you promote it.", &[]));
            }
            v
        }
        RdsPath::PitrFromReplicatedBackups => vec![
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
        RdsPath::RestoreCopy => vec![
            act(
                "Find the newest recovery point of this database in the secondary vault:",
                &[&newest_copy(&arn, n)],
            ),
            act(
                format!("Restore it into a new instance. {network}"),
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn {role} --resource-type RDS \\\n  --metadata DBInstanceIdentifier={dr}"
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
        RdsPath::BackupPitr | RdsPath::RestoreSnapshot => {
            let mut v = vec![act(
                "Stop the damage first: stop or roll back the writer that corrupts data, and note the last good moment (UTC).",
                &[],
            )];
            if path == RdsPath::BackupPitr {
                v.push(act(format!("If the instance still exists, restore it to the last good moment into a new instance. {network}"), &[&format!("aws rds restore-db-instance-to-point-in-time --region \"$PRIMARY\" \\\n  --source-db-instance-identifier {id} --target-db-instance-identifier {restored} \\\n  --restore-time <YYYY-MM-DDThh:mm:ssZ>{maz}")]));
                v.push(act("If the instance was deleted, use its recovery points in the locked AWS Backup vault instead (next step).", &[]));
            }
            v.push(act("List its AWS Backup recovery points and choose the newest one before the corruption:", &[&format!("aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'")]));
            v.push(act("Restore it into a new instance:", &[&format!("aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn {role} --resource-type RDS \\\n  --metadata DBInstanceIdentifier={restored}")]));
            v.push(act_owned(
                "Wait until it is available, check the data, then point clients at it:",
                wait_and_endpoint("$PRIMARY", &restored),
            ));
            v
        }
    }
}

/// The `--metadata` of an S3 restore into a new bucket, with the bucket's own
/// encryption: SSE-KMS under `key` (a shell word), or SSE-S3.
fn s3_restore_metadata(bucket: &str, key: Option<&str>) -> String {
    match key {
        Some(k) => format!(
            "DestinationBucketName={bucket},NewBucket=true,Encrypted=true,EncryptionType=SSE-KMS,KMSKey={k}"
        ),
        None => format!(
            "DestinationBucketName={bucket},NewBucket=true,Encrypted=true,EncryptionType=SSE-S3"
        ),
    }
}

fn s3_steps(x: &S3, d: &S3Deployment, path: S3Path, n: &Names) -> Vec<Action> {
    let bucket = &x.bucket;
    let b = sq(bucket);
    let restored = sq(&format!(
        "{}-restored",
        bucket.chars().take(54).collect::<String>()
    ));
    let arn = format!("\"arn:$PARTITION:s3:::{bucket}\"");
    let role = n.backup_role_arn();
    match path {
        S3Path::Unaffected => vec![act(
            "Nothing to do: S3 keeps data in at least three Availability Zones. Confirm the bucket answers:",
            &[&format!(
                "aws s3api head-bucket --region \"$PRIMARY\" --bucket {b}"
            )],
        )],
        S3Path::SwitchToReplica => {
            let rep = d.replication.as_ref().expect("a replica bucket");
            let dest = &rep.destination_bucket;
            let dq = sq(dest);
            let rule = sq(&rep.rule_id);
            vec![
                act(
                    "Confirm the replica bucket has recent data:",
                    &[&format!(
                        "aws s3api list-objects-v2 --region \"$SECONDARY\" --bucket {dq} --max-items 5 \\\n  --query 'Contents[].{{key:Key,modified:LastModified}}'"
                    )],
                ),
                act(
                    "Check how far replication was behind (replica metrics are published in the secondary Region):",
                    &[&format!(
                        "aws cloudwatch get-metric-statistics --region \"$SECONDARY\" --namespace AWS/S3 --metric-name ReplicationLatency \\\n  --dimensions Name=SourceBucket,Value={b} Name=DestinationBucket,Value={dq} Name=RuleId,Value={rule} \\\n  --statistics Maximum --period 300 --start-time \"$(date -u -d '-2 hours' +%FT%TZ 2>/dev/null || date -u -v-2H +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\""
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
            ]
        }
        S3Path::RestoreCopy => {
            // The bucket's own key stays in the lost Region: an SSE-KMS bucket is
            // restored under the secondary vault's key, which lives in the
            // secondary Region and lets the backup role use it through S3.
            let key = x.kms_key_arn.is_some().then_some("\"$KEY\"");
            let mut v = vec![act(
                "Find the newest recovery point of the bucket in the secondary vault:",
                &[&newest_copy(&arn, n)],
            )];
            if key.is_some() {
                v.push(act(
                    "The bucket is encrypted with SSE-KMS under a key of the lost Region: restore it under the secondary vault's key.",
                    &[&format!(
                        "KEY=$(aws kms describe-key --region \"$SECONDARY\" --key-id {} --query KeyMetadata.Arn --output text)",
                        n.vault_secondary_key_alias()
                    )],
                ));
            }
            v.push(act(
                "Restore it into a new bucket in the secondary Region:",
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn {role} --resource-type S3 \\\n  --metadata {}",
                    s3_restore_metadata(&restored, key)
                )],
            ));
            v.push(act(
                "Follow the job until it is COMPLETED, then switch clients to the restored bucket:",
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status}'",
                ],
            ));
            v
        }
        S3Path::BackupPitr | S3Path::RestoreLatest => {
            let key = x.kms_key_arn.as_deref().map(sq);
            vec![
                act(
                    "Stop the damage first (the writer, the compromised credentials) and note the last good moment (UTC). Replication has already copied the damage to the replica bucket; only backups help.",
                    &[],
                ),
                act(
                    "If only a few known objects were damaged by mistake and their earlier versions are intact (the bucket is versioned for AWS Backup), restoring those versions in place is quicker than a restore: list a key's versions, then copy the last good version over it, or delete the delete marker of a deleted object. After a deliberate attack, do not trust the versions: restore from AWS Backup below.",
                    &[
                        &format!(
                            "aws s3api list-object-versions --region \"$PRIMARY\" --bucket {b} --prefix <key> \\\n  --query '{{versions:Versions[].{{key:Key,id:VersionId,modified:LastModified}},deleted:DeleteMarkers[].{{key:Key,id:VersionId}}}}'"
                        ),
                        &format!(
                            "aws s3api copy-object --region \"$PRIMARY\" --bucket {b} --key <key> --copy-source {}",
                            sq(&format!("{bucket}/<key>?versionId=<version-id>"))
                        ),
                        &format!(
                            "aws s3api delete-object --region \"$PRIMARY\" --bucket {b} --key <key> --version-id <delete-marker-id>"
                        ),
                    ],
                ),
                act(
                    "List the bucket's recovery points and choose the newest one before the corruption (for continuous backup, any moment in its window):",
                    &[&format!(
                        "aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
                    )],
                ),
                act(
                    if key.is_some() {
                        "Restore into a new bucket (never over the damaged one), encrypted like the original with its SSE-KMS key:"
                    } else {
                        "Restore into a new bucket (never over the damaged one):"
                    },
                    &[&format!(
                        "aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn {role} --resource-type S3 \\\n  --metadata {}",
                        s3_restore_metadata(&restored, key.as_deref())
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
    }
}

/// Stop the writer that damages data before restoring anything.
fn stop_the_damage() -> Action {
    act(
        "Stop the damage first: stop or roll back the writer that corrupts data (or revoke the compromised credentials), and note the last good moment (UTC). Replicas already carry the damage; only backups help.",
        &[],
    )
}

/// Aurora restores create a cluster without instances: add a writer.
fn aurora_writer(region: &str, cluster: &str, engine: &str) -> Action {
    act_owned(
        "Add a writer instance to the restored cluster (Aurora restores create the cluster only), wait until it is available, and read the cluster endpoint:",
        vec![
            format!(
                "aws rds create-db-instance --region \"{region}\" --db-cluster-identifier {cluster} \\\n  --db-instance-identifier {} --engine {engine} --db-instance-class <class-of-the-original-writer>",
                sq(&format!("{}-1", cluster.trim_matches('\'')))
            ),
            format!(
                "aws rds wait db-instance-available --region \"{region}\" --db-instance-identifier {}",
                sq(&format!("{}-1", cluster.trim_matches('\'')))
            ),
            format!(
                "aws rds describe-db-clusters --region \"{region}\" --db-cluster-identifier {cluster} \\\n  --query 'DBClusters[0].{{status:Status,endpoint:Endpoint}}'"
            ),
        ],
    )
}

fn aurora_steps(x: &Aurora, d: &AuroraDeployment, path: AuroraPath, n: &Names) -> Vec<Action> {
    let id = sq(&x.cluster_identifier);
    let engine = x.engine.as_str();
    let restored = sq(&format!("{}-restored", x.cluster_identifier));
    let dr = sq(&format!("{}-dr", x.cluster_identifier));
    let arn = format!(
        "\"arn:$PARTITION:rds:$PRIMARY:$ACCOUNT:cluster:{}\"",
        x.cluster_identifier
    );
    let role = n.backup_role_arn();
    let network = "Add `--db-subnet-group-name` and `--vpc-security-group-ids` matching the original cluster, or it lands in the default VPC.";
    match path {
        AuroraPath::ReaderFailover => vec![
            act(
                "Aurora promotes a reader in another AZ by itself. Confirm the cluster is `available` and which instance writes now:",
                &[&format!(
                    "aws rds describe-db-clusters --region \"$PRIMARY\" --db-cluster-identifier {id} \\\n  --query 'DBClusters[0].{{status:Status,members:DBClusterMembers[].{{id:DBInstanceIdentifier,writer:IsClusterWriter}}}}'"
                )],
            ),
            act(
                "If no reader took over after 5 minutes, force a failover:",
                &[&format!(
                    "aws rds failover-db-cluster --region \"$PRIMARY\" --db-cluster-identifier {id}"
                )],
            ),
            act(
                "Clients that use the cluster endpoint reconnect to the new writer; connections opened before are dropped.",
                &[],
            ),
        ],
        AuroraPath::NewWriter => vec![
            act(
                "The cluster has no reader: Aurora creates a new writer by itself, the data is safe in the cluster volume. Watch the cluster:",
                &[&format!(
                    "aws rds describe-db-clusters --region \"$PRIMARY\" --db-cluster-identifier {id} \\\n  --query 'DBClusters[0].{{status:Status,members:DBClusterMembers[].DBInstanceIdentifier}}'"
                )],
            ),
            act(
                "If no instance becomes available after 20 minutes, add one in a healthy AZ:",
                &[&format!(
                    "aws rds create-db-instance --region \"$PRIMARY\" --db-cluster-identifier {id} \\\n  --db-instance-identifier {} --engine {engine} --db-instance-class <class> --availability-zone <healthy-az>",
                    sq(&format!("{}-replacement", x.cluster_identifier))
                )],
            ),
            act(
                "Add a reader in another AZ afterwards (and set `multi_az = true` on the asset): the next AZ loss then fails over in seconds.",
                &[],
            ),
        ],
        AuroraPath::GlobalFailover => {
            let global = sq(d.global_cluster.as_deref().unwrap_or_default());
            let secondary = d.secondary_cluster.as_deref().unwrap_or_default();
            let target = format!("\"arn:$PARTITION:rds:$SECONDARY:$ACCOUNT:cluster:{secondary}\"");
            vec![
                act(
                    "Check how far the secondary cluster was behind (AuroraGlobalDBReplicationLag, milliseconds): the data-loss window.",
                    &[&format!(
                        "aws cloudwatch get-metric-statistics --region \"$SECONDARY\" --namespace AWS/RDS --metric-name AuroraGlobalDBReplicationLag \\\n  --dimensions Name=DBClusterIdentifier,Value={} --statistics Maximum --period 60 \\\n  --start-time \"$(date -u -d '-2 hours' +%FT%TZ 2>/dev/null || date -u -v-2H +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\"",
                        sq(secondary)
                    )],
                ),
                act(
                    "Fail the Global Database over to the secondary cluster. With the primary Region down this is an unplanned failover and accepts the lag as data loss:",
                    &[&format!(
                        "aws rds failover-global-cluster --region \"$SECONDARY\" --global-cluster-identifier {global} \\\n  --target-db-cluster-identifier {target} --allow-data-loss"
                    )],
                ),
                act(
                    "Wait until the secondary cluster writes, and read its endpoint:",
                    &[&format!(
                        "aws rds describe-db-clusters --region \"$SECONDARY\" --db-cluster-identifier {} \\\n  --query 'DBClusters[0].{{status:Status,endpoint:Endpoint,writer:DBClusterMembers[?IsClusterWriter].DBInstanceIdentifier}}'",
                        sq(secondary)
                    )],
                ),
                act(
                    "Point clients at the secondary cluster's endpoint, and check they can write. When the primary Region is back, its old cluster rejoins as a secondary: switch back with `aws rds switchover-global-cluster` in a planned window.",
                    &[],
                ),
            ]
        }
        AuroraPath::RestoreCopy => vec![
            act(
                "Find the newest recovery point of this cluster in the secondary vault:",
                &[&newest_copy(&arn, n)],
            ),
            act(
                format!("Restore it into a new cluster in the secondary Region. {network}"),
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn {role} --resource-type Aurora \\\n  --metadata DBClusterIdentifier={dr},Engine={engine}"
                )],
            ),
            act(
                "Follow the job until it is COMPLETED:",
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status,created:CreationDate}'",
                ],
            ),
            aurora_writer("$SECONDARY", &dr, engine),
            act("Point clients at the new cluster endpoint.", &[]),
        ],
        AuroraPath::BackupPitr | AuroraPath::RestoreSnapshot => {
            let mut v = vec![stop_the_damage()];
            if path == AuroraPath::BackupPitr {
                v.push(act(
                    format!("Restore the cluster to the last good moment into a new cluster. {network}"),
                    &[&format!(
                        "aws rds restore-db-cluster-to-point-in-time --region \"$PRIMARY\" \\\n  --source-db-cluster-identifier {id} --db-cluster-identifier {restored} \\\n  --restore-to-time <YYYY-MM-DDThh:mm:ssZ>"
                    )],
                ));
                v.push(act(
                    "If the cluster was deleted, use its recovery points in the locked AWS Backup vault instead (next step).",
                    &[],
                ));
            }
            v.push(act(
                "List its AWS Backup recovery points and choose the newest one before the corruption:",
                &[&format!(
                    "aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
                )],
            ));
            v.push(act(
                "Restore it into a new cluster:",
                &[&format!(
                    "aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn {role} --resource-type Aurora \\\n  --metadata DBClusterIdentifier={restored},Engine={engine}"
                )],
            ));
            v.push(aurora_writer("$PRIMARY", &restored, engine));
            v.push(act(
                "Check the data, then point clients at the restored cluster's endpoint.",
                &[],
            ));
            v
        }
    }
}

fn dynamodb_steps(
    x: &Dynamodb,
    d: &DynamodbDeployment,
    path: DynamodbPath,
    n: &Names,
) -> Vec<Action> {
    let table = sq(&x.table);
    let restored = sq(&format!("{}-restored", x.table));
    let arn = format!(
        "\"arn:$PARTITION:dynamodb:$PRIMARY:$ACCOUNT:table/{}\"",
        x.table
    );
    let role = n.backup_role_arn();
    let settings = "A restored table has no auto scaling, alarms, streams, TTL or tags of the original: set them again (the table's own Terraform) before it takes traffic.";
    match path {
        DynamodbPath::Unaffected => vec![act(
            "Nothing to do: DynamoDB keeps the table in three Availability Zones. Confirm it answers:",
            &[&format!(
                "aws dynamodb describe-table --region \"$PRIMARY\" --table-name {table} --query 'Table.TableStatus'"
            )],
        )],
        DynamodbPath::SwitchToReplica => {
            let _ = d;
            vec![
                act(
                    "Check how far the replica was behind (ReplicationLatency, milliseconds, published by the sending Region; it may be missing while the primary Region is down):",
                    &[&format!(
                        "aws cloudwatch get-metric-statistics --region \"$PRIMARY\" --namespace AWS/DynamoDB --metric-name ReplicationLatency \\\n  --dimensions Name=TableName,Value={table} Name=ReceivingRegion,Value=\"$SECONDARY\" --statistics Maximum --period 60 \\\n  --start-time \"$(date -u -d '-2 hours' +%FT%TZ 2>/dev/null || date -u -v-2H +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\""
                    )],
                ),
                act(
                    "Confirm the replica is ACTIVE in the secondary Region:",
                    &[&format!(
                        "aws dynamodb describe-table --region \"$SECONDARY\" --table-name {table} --query 'Table.{{status:TableStatus,replicas:Replicas[].{{region:RegionName,status:ReplicaStatus}}}}'"
                    )],
                ),
                act(
                    "Switch clients to the secondary Region's endpoint (the table name is the same; replicas accept writes). Items written in the primary Region in the last moments before the outage may be missing.",
                    &[],
                ),
            ]
        }
        DynamodbPath::RestoreCopy => vec![
            act(
                "Find the newest recovery point of the table in the secondary vault:",
                &[&newest_copy(&arn, n)],
            ),
            act(
                "Restore it into a new table in the secondary Region:",
                &[&format!(
                    "aws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn {role} --resource-type DynamoDB \\\n  --metadata targetTableName={table}"
                )],
            ),
            act(
                format!(
                    "Follow the job until it is COMPLETED, then switch clients to the table in the secondary Region. {settings}"
                ),
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status}'",
                ],
            ),
        ],
        DynamodbPath::Pitr => vec![
            stop_the_damage(),
            act(
                "Restore the table to the last good moment into a new table (point-in-time recovery):",
                &[&format!(
                    "aws dynamodb restore-table-to-point-in-time --region \"$PRIMARY\" \\\n  --source-table-name {table} --target-table-name {restored} \\\n  --restore-date-time <YYYY-MM-DDThh:mm:ssZ>"
                )],
            ),
            act_owned(
                format!("Wait until it is ACTIVE. {settings}"),
                vec![format!(
                    "aws dynamodb wait table-exists --region \"$PRIMARY\" --table-name {restored}"
                )],
            ),
            act(
                "Check the data, then copy the good items back or switch clients to the restored table.",
                &[],
            ),
        ],
        DynamodbPath::RestoreBackup => vec![
            stop_the_damage(),
            act(
                "List the table's AWS Backup recovery points and choose the newest one before the corruption:",
                &[&format!(
                    "aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
                )],
            ),
            act(
                format!("Restore it into a new table. {settings}"),
                &[&format!(
                    "aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn {role} --resource-type DynamoDB \\\n  --metadata targetTableName={restored}"
                )],
            ),
            act(
                "Check the data, then copy the good items back or switch clients to the restored table.",
                &[],
            ),
        ],
    }
}

fn efs_steps(x: &Efs, d: &EfsDeployment, path: EfsPath, n: &Names) -> Vec<Action> {
    let fs = sq(&x.file_system_id);
    let arn = format!(
        "\"arn:$PARTITION:elasticfilesystem:$PRIMARY:$ACCOUNT:file-system/{}\"",
        x.file_system_id
    );
    let role = n.backup_role_arn();
    let mount = "Create mount targets in the subnets the clients use (a file system restored or replicated into another VPC has none), then mount it.";
    let metadata = |key: &str| {
        format!(
            "file-system-id={},newFileSystem=true,Encrypted=true,KmsKeyId={key},PerformanceMode=generalPurpose,CreationToken=lifeboat-{}",
            x.file_system_id, x.file_system_id
        )
    };
    match path {
        EfsPath::Unaffected => vec![act(
            "Nothing to do: a Regional file system keeps data in several Availability Zones. Clients in the lost AZ remount through a mount target in another AZ:",
            &[&format!(
                "aws efs describe-mount-targets --region \"$PRIMARY\" --file-system-id {fs} \\\n  --query 'MountTargets[].{{az:AvailabilityZoneName,state:LifeCycleState,ip:IpAddress}}'"
            )],
        )],
        EfsPath::FailoverToReplica => {
            let _ = d;
            vec![
                act(
                    "Find the replica (destination) file system and when it last synced:",
                    &[&format!(
                        "aws efs describe-replication-configurations --region \"$SECONDARY\" \\\n  --query \"Replications[?SourceFileSystemId=='{}'].Destinations[0].{{id:FileSystemId,status:Status,synced:LastReplicatedTimestamp}}\"\nDEST=<id-from-above>",
                        x.file_system_id
                    )],
                ),
                act(
                    "Make the replica writable: delete the replication configuration from the secondary Region (this is one-way; replication must be set up again to fail back):",
                    &[
                        "aws efs delete-replication-configuration --region \"$SECONDARY\" --source-file-system-id \"$DEST\"",
                    ],
                ),
                act(
                    "Wait until the replica's file system protection says writable:",
                    &[
                        "aws efs describe-file-systems --region \"$SECONDARY\" --file-system-id \"$DEST\" \\\n  --query 'FileSystems[0].FileSystemProtection.ReplicationOverwriteProtection'",
                    ],
                ),
                act(
                    mount,
                    &[
                        "aws efs create-mount-target --region \"$SECONDARY\" --file-system-id \"$DEST\" --subnet-id <subnet> --security-groups <sg>",
                    ],
                ),
            ]
        }
        EfsPath::RestoreCopy => vec![
            act(
                "Find the newest recovery point of the file system in the secondary vault:",
                &[&newest_copy(&arn, n)],
            ),
            act(
                "Restore it into a new file system in the secondary Region, encrypted with the secondary vault's key:",
                &[&format!(
                    "KEY=$(aws kms describe-key --region \"$SECONDARY\" --key-id {} --query KeyMetadata.Arn --output text)\naws backup start-restore-job --region \"$SECONDARY\" --recovery-point-arn \"$RP\" \\\n  --iam-role-arn {role} --resource-type EFS \\\n  --metadata {}",
                    n.vault_secondary_key_alias(),
                    metadata("\"$KEY\"")
                )],
            ),
            act(
                format!("Follow the job until it is COMPLETED. {mount}"),
                &[
                    "aws backup list-restore-jobs --region \"$SECONDARY\" --max-results 5 --query 'RestoreJobs[].{id:RestoreJobId,status:Status,created:CreatedResourceArn}'",
                ],
            ),
        ],
        EfsPath::RestoreBackup => vec![
            stop_the_damage(),
            act(
                "List the file system's AWS Backup recovery points and choose the newest one before the corruption:",
                &[&format!(
                    "aws backup list-recovery-points-by-resource --region \"$PRIMARY\" --resource-arn {arn} \\\n  --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
                )],
            ),
            act(
                "Restore it into a new file system (never over the damaged one):",
                &[&format!(
                    "KEY=$(aws efs describe-file-systems --region \"$PRIMARY\" --file-system-id {fs} --query 'FileSystems[0].KmsKeyId' --output text)\naws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn {role} --resource-type EFS \\\n  --metadata {}",
                    metadata("\"$KEY\"")
                )],
            ),
            act(
                format!(
                    "Check the files, then copy them back or switch clients to the restored file system. {mount}"
                ),
                &[],
            ),
        ],
    }
}

fn endpoint_steps(
    e: &Endpoint,
    d: &EndpointDeployment,
    path: EndpointPath,
    deps: &[String],
) -> Vec<Action> {
    let zone = sq(&e.zone_id);
    // The record set names its health check: no Terraform state needed.
    let check = |role: &str, set: &str| {
        format!(
            "HC_{role}=$(aws route53 list-resource-record-sets --hosted-zone-id {zone} \\\n  --query \"ResourceRecordSets[?SetIdentifier=='{set}'].HealthCheckId | [0]\" --output text)\naws route53 get-health-check-status --health-check-id \"$HC_{role}\" \\\n  --query 'HealthCheckObservations[].{{region:Region,status:StatusReport.Status}}'"
        )
    };
    match path {
        EndpointPath::DnsFailover => vec![
            act(
                "Route 53 fails over by itself once the primary health check fails. Confirm the checks' state:",
                &[
                    &check("PRIMARY", &d.primary_set_identifier),
                    &check("SECONDARY", &d.secondary_set_identifier),
                ],
            ),
            act(
                "Confirm resolvers now answer with the secondary target (allow for the record TTL):",
                &[&format!("dig +short {}", sq(&e.domain))],
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
        EndpointPath::PlanDns => vec![
            act(
                "The records follow ARC's Route 53 health checks, which the Region switch plan switches once the data this endpoint needs is promoted (it does not fail over on its own target's health). Confirm which health check each record uses and their state:",
                &[
                    &check("PRIMARY", &d.primary_set_identifier),
                    &check("SECONDARY", &d.secondary_set_identifier),
                ],
            ),
            act(
                "Confirm resolvers now answer with the secondary target (allow for the record TTL):",
                &[&format!("dig +short {}", sq(&e.domain))],
            ),
            act(
                "If the records still use lifeboat's own health checks (the one-time step of \"Once, after the first apply\" was not done), Route 53 has failed over by itself already; check the service answers once its dependencies serve. If the plan's DNS step failed, retry the step from the plan execution; do NOT edit the DNS records by hand.",
                &[],
            ),
        ],
        EndpointPath::Unaffected | EndpointPath::NoData => {
            vec![act(
                format!("Not affected itself: {}.", PathKind::Endpoint(path).name()),
                &[],
            )]
        }
    }
}

/// The ARN of what a Region recovery creates in the secondary Region (a shell
/// word), or `None` for paths that stay in the primary Region or create nothing.
fn created_in_secondary(a: &AssetKind, d: &KindDeployment, kind: PathKind) -> Option<String> {
    let rds = |id: &str| format!("\"arn:$PARTITION:rds:$SECONDARY:$ACCOUNT:db:{id}\"");
    let cluster = |id: &str| format!("\"arn:$PARTITION:rds:$SECONDARY:$ACCOUNT:cluster:{id}\"");
    let table = |t: &str| format!("\"arn:$PARTITION:dynamodb:$SECONDARY:$ACCOUNT:table/{t}\"");
    match (a, d, kind) {
        (AssetKind::Rds(x), KindDeployment::Rds(r), PathKind::Rds(p)) => match p {
            RdsPath::PromoteReplica => Some(rds(r.replica.as_deref().unwrap_or_default())),
            RdsPath::PitrFromReplicatedBackups | RdsPath::RestoreCopy => {
                Some(rds(&format!("{}-dr", x.identifier)))
            }
            RdsPath::MultiAzFailover
            | RdsPath::PitrInRegion
            | RdsPath::BackupPitr
            | RdsPath::RestoreSnapshot => None,
        },
        (AssetKind::S3(x), KindDeployment::S3(r), PathKind::S3(p)) => match p {
            S3Path::SwitchToReplica => r
                .replication
                .as_ref()
                .map(|rep| format!("\"arn:$PARTITION:s3:::{}\"", rep.destination_bucket)),
            S3Path::RestoreCopy => Some(format!(
                "\"arn:$PARTITION:s3:::{}-restored\"",
                x.bucket.chars().take(54).collect::<String>()
            )),
            S3Path::Unaffected | S3Path::BackupPitr | S3Path::RestoreLatest => None,
        },
        (AssetKind::Aurora(x), KindDeployment::Aurora(r), PathKind::Aurora(p)) => match p {
            AuroraPath::GlobalFailover => {
                Some(cluster(r.secondary_cluster.as_deref().unwrap_or_default()))
            }
            AuroraPath::RestoreCopy => Some(cluster(&format!("{}-dr", x.cluster_identifier))),
            AuroraPath::ReaderFailover
            | AuroraPath::NewWriter
            | AuroraPath::BackupPitr
            | AuroraPath::RestoreSnapshot => None,
        },
        (AssetKind::Dynamodb(x), KindDeployment::Dynamodb(_), PathKind::Dynamodb(p)) => match p {
            DynamodbPath::SwitchToReplica | DynamodbPath::RestoreCopy => Some(table(&x.table)),
            DynamodbPath::Unaffected | DynamodbPath::Pitr | DynamodbPath::RestoreBackup => None,
        },
        (AssetKind::Efs(_), KindDeployment::Efs(_), PathKind::Efs(p)) => match p {
            EfsPath::FailoverToReplica => Some(
                "\"arn:$PARTITION:elasticfilesystem:$SECONDARY:$ACCOUNT:file-system/$DEST\""
                    .to_owned(),
            ),
            EfsPath::RestoreCopy => Some("<CreatedResourceArn-of-the-restore-job>".to_owned()),
            EfsPath::Unaffected | EfsPath::RestoreBackup => None,
        },
        (_, _, PathKind::Endpoint(_) | PathKind::IsolatedCopy) => None,
        _ => unreachable!("a path and a deployment of the asset's own kind"),
    }
}

/// Restore from the logically air-gapped vault, from the recovery account: the
/// corruption path of a tier whose corruption includes a compromised account.
fn isolated_steps(a: &AssetKind, n: &Names) -> Vec<Action> {
    let vault = n.dep.backup.as_ref().and_then(|b| b.isolated.as_ref());
    let name = vault.map_or("<isolated-vault>", |v| v.name.as_str());
    let recovery_id = vault
        .and_then(|v| v.recovery_account_id.as_deref())
        .unwrap_or("<recovery-account-id>");
    let recovery = vault
        .and_then(|v| v.recovery_account_id.as_deref())
        .map_or("<recovery-account-id>".to_owned(), sq);
    let (arn, kind) = match a {
        AssetKind::Rds(x) => (
            format!(
                "\"arn:$PARTITION:rds:$PRIMARY:$ACCOUNT:db:{}\"",
                x.identifier
            ),
            "RDS",
        ),
        AssetKind::S3(x) => (format!("\"arn:$PARTITION:s3:::{}\"", x.bucket), "S3"),
        AssetKind::Aurora(x) => (
            format!(
                "\"arn:$PARTITION:rds:$PRIMARY:$ACCOUNT:cluster:{}\"",
                x.cluster_identifier
            ),
            "Aurora",
        ),
        AssetKind::Dynamodb(x) => (
            format!(
                "\"arn:$PARTITION:dynamodb:$PRIMARY:$ACCOUNT:table/{}\"",
                x.table
            ),
            "DynamoDB",
        ),
        AssetKind::Efs(x) => (
            format!(
                "\"arn:$PARTITION:elasticfilesystem:$PRIMARY:$ACCOUNT:file-system/{}\"",
                x.file_system_id
            ),
            "EFS",
        ),
        AssetKind::Endpoint(_) => return Vec::new(),
    };
    let vault_args = format!(
        "--backup-vault-name {} --backup-vault-account-id \"$ACCOUNT\"",
        sq(name)
    );
    vec![
        act_owned(
            "Treat this account as compromised: do not use its credentials. Work from the recovery account, with its own credentials. `$ACCOUNT` below is the compromised account, which owns the vault: set it by hand (the caller identity is now the recovery account):",
            vec![format!(
                "export ACCOUNT=<id-of-the-compromised-account>  # not $(aws sts get-caller-identity): that is {recovery} now"
            )],
        ),
        act_owned(
            "In the recovery account, accept the AWS RAM share of the logically air-gapped vault if it is still pending (accounts outside the organization must accept it):",
            vec![
                format!(
                    "aws ram get-resource-share-invitations --region \"$PRIMARY\" \\\n  --query 'resourceShareInvitations[?senderAccountId==`'\"$ACCOUNT\"'`].{{arn:resourceShareInvitationArn,status:status}}'  # as {recovery}"
                ),
                "aws ram accept-resource-share-invitation --region \"$PRIMARY\" --resource-share-invitation-arn <invitation-arn>".to_owned(),
            ],
        ),
        act_owned(
            "List the asset's copies in the vault and choose the newest one from before the compromise:",
            vec![format!(
                "aws backup list-recovery-points-by-backup-vault --region \"$PRIMARY\" {vault_args} \\\n  --by-resource-arn {arn} --query 'RecoveryPoints[].{{arn:RecoveryPointArn,created:CreationDate,status:Status}}'"
            )],
        ),
        act_owned(
            "Read its restore metadata, edit it for the recovery account (names, network, keys of that account), and restore it there with a role of the recovery account that AWS Backup can assume:",
            vec![
                format!(
                    "aws backup get-recovery-point-restore-metadata --region \"$PRIMARY\" {vault_args} \\\n  --recovery-point-arn <recovery-point-arn> --query RestoreMetadata > restore-metadata.json"
                ),
                format!(
                    "aws backup start-restore-job --region \"$PRIMARY\" --recovery-point-arn <recovery-point-arn> \\\n  --iam-role-arn \"arn:$PARTITION:iam::{recovery_id}:role/<restore-role>\" --resource-type {kind} \\\n  --metadata file://restore-metadata.json"
                ),
            ],
        ),
        act(
            "Wait for the restore job, check the data, then point clients at the restored copy in the recovery account:",
            &["aws backup describe-restore-job --region \"$PRIMARY\" --restore-job-id <restore-job-id> --query '{status:Status,created:CreatedResourceArn}'"],
        ),
        act(
            "These commands and their options are checked against the AWS CLI reference; the restore from a shared logically air-gapped vault itself is not tested by lifeboat. Rehearse it before you need it (restore testing can run in the recovery account) and time it: the estimate assumes `isolated_restore_access` for the steps before the restore job.",
            &[],
        ),
    ]
}

/// The last step of a Region recovery that creates a resource in the secondary
/// Region: tag it, so that the twin of the asset's backup plan there backs it up.
fn dr_backup_step(arn: &str, plan_key: &str, plan_name: &str) -> Action {
    act_owned(
        format!(
            "Put the new primary copy under backup in the secondary Region: tag it `{DR_TAG_KEY} = {plan_key}`, which the backup plan `{plan_name}` there selects (its restore testing too), then check the tag. Without it nothing backs the new copy up."
        ),
        vec![
            format!(
                "aws resourcegroupstaggingapi tag-resources --region \"$SECONDARY\" \\\n  --resource-arn-list {arn} --tags {DR_TAG_KEY}={}",
                sq(plan_key)
            ),
            format!(
                "aws resourcegroupstaggingapi get-resources --region \"$SECONDARY\" \\\n  --tag-filters Key={DR_TAG_KEY},Values={} --query 'ResourceTagMappingList[].ResourceARN'",
                sq(plan_key)
            ),
        ],
    )
}

fn objective(d: Option<Dur>) -> String {
    d.map_or("—".into(), |d| d.to_string())
}

fn verdict_text(s: &ScenarioResult) -> &'static str {
    match (s.rpo_verdict, s.rto_verdict) {
        _ if s.accepted() => "**BREACHED** (accepted risk)",
        (Verdict::Breached, _) | (_, Verdict::Breached) => "**BREACHED**",
        (Verdict::NoObjective, Verdict::NoObjective) => "no objective",
        _ => "met",
    }
}

/// Lines written so far, with the runbook's layout rules applied as text arrives:
/// trailing whitespace is dropped and runs of blank lines become one. Text is
/// pushed in pieces (the template's frame, then each generated section) and
/// handed to the sink about a MiB at a time, so the document is never held whole.
struct Lines<'a, 's> {
    out: String,
    sink: &'a mut Sink<'s>,
    /// The first error of the sink; later text is dropped.
    error: Option<std::io::Error>,
    /// The end of a line not finished by the last push.
    carry: String,
    blank: usize,
}

impl<'a, 's> Lines<'a, 's> {
    const FLUSH: usize = 1 << 20;

    fn new(sink: &'a mut Sink<'s>) -> Self {
        Self {
            out: String::new(),
            sink,
            error: None,
            carry: String::new(),
            blank: 0,
        }
    }

    fn line(&mut self, line: &str) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            self.blank += 1;
            if self.blank > 1 {
                return;
            }
        } else {
            self.blank = 0;
        }
        self.out.push_str(line.trim_end());
        self.out.push('\n');
    }

    fn push(&mut self, mut text: &str) {
        if !self.carry.is_empty() {
            let Some(end) = text.find('\n') else {
                self.carry.push_str(text);
                return;
            };
            let mut first = std::mem::take(&mut self.carry);
            first.push_str(&text[..end]);
            self.line(&first);
            text = &text[end + 1..];
        }
        let mut rest = text;
        while let Some(end) = rest.find('\n') {
            self.line(&rest[..end]);
            rest = &rest[end + 1..];
        }
        self.carry.push_str(rest);
        if self.out.len() >= Self::FLUSH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_none()
            && !self.out.is_empty()
            && let Err(e) = (self.sink)(&self.out)
        {
            self.error = Some(e);
        }
        self.out.clear();
    }

    fn finish(mut self) -> std::io::Result<()> {
        if !self.carry.is_empty() {
            let last = std::mem::take(&mut self.carry);
            self.line(&last);
        }
        self.flush();
        self.error.map_or(Ok(()), Err)
    }
}

/// Append `s` made safe for Markdown text (as [`markdown_text`] does).
fn md(buf: &mut String, s: &str) {
    buf.push_str(&markdown_text(s));
}

/// `{{slot "name"}}` in the runbook template marks where a generated section goes.
/// It renders as a marker no inventory string can contain (control characters are
/// rejected at check and removed by the Markdown escape).
fn slot_marker(name: &str) -> String {
    format!("\u{0}slot:{name}\u{0}\n")
}

fn slot_helper(
    h: &handlebars::Helper,
    _: &Handlebars,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let name = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("slot", 0))?;
    // The marker's own newline replaces the one after `{{slot}}` in the template.
    out.write(slot_marker(name).trim_end_matches('\n'))?;
    Ok(())
}

/// The runbook's prose, from `templates/runbook/RUNBOOK.md.hbs`, cut at its slots.
fn frame(inv: &Inventory, dep: &Deployment, header: &str) -> Vec<(String, Option<String>)> {
    let p = &inv.project;
    let ctx = json!({
        "header": header.trim_start(),
        "project": p.name,
        "primary": p.primary_region,
        "secondary": p.secondary_region,
        "alert_topic": dep.alerts.topic,
        "emails": p.alert_emails.join(", "),
        "restore_testing": RESTORE_TESTING.describe(),
    });
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(markdown_text);
    hb.register_helper("slot", Box::new(slot_helper));
    hb.register_template_string("runbook", TEMPLATE)
        .expect("runbook template parses");
    let mut text = hb.render("runbook", &ctx).expect("runbook renders");
    let mut parts = Vec::new();
    while let Some(start) = text.find("\u{0}slot:") {
        let rest = &text[start + 6..];
        let end = rest.find('\u{0}').expect("slot marker is closed");
        let name = rest[..end].to_owned();
        let mut after = start + 6 + end + 1;
        if text[after..].starts_with('\n') {
            after += 1;
        }
        let tail = text.split_off(after);
        text.truncate(start);
        parts.push((std::mem::replace(&mut text, tail), Some(name)));
    }
    parts.push((text, None));
    parts
}

/// The whole runbook in memory; `header` is the generated-file header line.
pub fn render(inv: &Inventory, rec: &Recovery, dep: &Deployment, header: &str) -> String {
    let mut out = String::new();
    write(inv, rec, dep, header, &mut |text: &str| {
        out.push_str(text);
        Ok(())
    })
    .expect("writing into memory cannot fail");
    out
}

/// Write the runbook into `sink`, in pieces. The frame comes from the template; the sections
/// that repeat per asset (tables, waves, steps) are written here, a piece at a
/// time, because a template engine costs a lookup per value and a copy of the
/// whole context, which at 10,000 assets took over a second and hundreds of MB.
pub fn write(
    inv: &Inventory,
    rec: &Recovery,
    dep: &Deployment,
    header: &str,
    sink: &mut Sink,
) -> std::io::Result<()> {
    let names = Names { dep, asset: None };
    let mut lines = Lines::new(sink);
    let mut buf = String::new();
    for (text, slot) in frame(inv, dep, header) {
        lines.push(&text);
        match slot.as_deref() {
            None => {}
            Some("region_switch") => {
                if let Some(rs) = &dep.region_switch {
                    region_switch_section(inv, rs, &mut lines, &mut buf);
                }
            }
            Some("owners") => {
                for a in &inv.assets {
                    buf.clear();
                    buf.push_str("| `");
                    md(&mut buf, &a.id);
                    buf.push_str("` | ");
                    md(&mut buf, a.kind_name());
                    buf.push_str(" | ");
                    md(&mut buf, &a.tier);
                    buf.push_str(" | ");
                    md(&mut buf, a.owner.as_deref().unwrap_or("—"));
                    buf.push_str(" | ");
                    md(&mut buf, a.description.as_deref().unwrap_or_default());
                    buf.push_str(" |\n");
                    lines.push(&buf);
                }
            }
            Some("objectives") => {
                for (a, r) in inv.assets.iter().zip(&rec.assets) {
                    for s in &r.scenarios {
                        if s.objective.rpo.is_none() && s.objective.rto.is_none() {
                            continue;
                        }
                        let cells = [
                            s.scenario.as_str().to_owned(),
                            s.objective.rpo.map_or("—".into(), |d| d.to_string()),
                            opt(s.rpo),
                            s.objective.rto.map_or("—".into(), |d| d.to_string()),
                            opt(s.effective_rto),
                        ];
                        buf.clear();
                        buf.push_str("| `");
                        md(&mut buf, &a.id);
                        buf.push('`');
                        for c in &cells {
                            buf.push_str(" | ");
                            md(&mut buf, c);
                        }
                        // Markdown of lifeboat's own, not escaped.
                        buf.push_str(" | ");
                        buf.push_str(verdict_text(s));
                        buf.push_str(" |\n");
                        lines.push(&buf);
                    }
                }
            }
            Some("risks") => {
                let mut first = true;
                for (a, r) in inv.assets.iter().zip(&rec.assets) {
                    for s in r.scenarios.iter().filter(|s| s.accepted()) {
                        let risk = s.accepted_risk.as_ref().expect("accepted");
                        buf.clear();
                        if first {
                            first = false;
                            buf.push_str("## Known gaps: accepted risks\n\n");
                            buf.push_str("These objectives are **not met**, and the inventory accepts the gap until the date\nshown. Plan with the estimate, not the objective.\n\n");
                            buf.push_str("| asset | scenario | RPO objective / estimate | RTO objective / estimate | accepted by | until | reason |\n|---|---|---|---|---|---|---|\n");
                        }
                        buf.push_str("| `");
                        md(&mut buf, &a.id);
                        buf.push_str("` | ");
                        md(&mut buf, s.scenario.as_str());
                        buf.push_str(" | ");
                        md(
                            &mut buf,
                            &format!("{} / {}", objective(s.objective.rpo), opt(s.rpo)),
                        );
                        buf.push_str(" | ");
                        md(
                            &mut buf,
                            &format!("{} / {}", objective(s.objective.rto), opt(s.effective_rto)),
                        );
                        buf.push_str(" | ");
                        md(&mut buf, risk.owner.trim());
                        buf.push_str(" | ");
                        md(&mut buf, &risk.expires.to_string());
                        buf.push_str(" | ");
                        md(&mut buf, risk.reason.trim());
                        buf.push_str(" |\n");
                        lines.push(&buf);
                    }
                }
                if !first {
                    lines.push("\n");
                }
            }
            Some("once") => {
                let mut first = true;
                for (a, d) in inv.assets.iter().zip(&dep.assets) {
                    let (AssetKind::S3(x), KindDeployment::S3(d)) = (&a.kind, &d.kind) else {
                        continue;
                    };
                    let Some(rep) = &d.replication else { continue };
                    buf.clear();
                    if first {
                        first = false;
                        buf.push_str(ONCE_INTRO);
                    }
                    once_s3(x, rep, &mut buf);
                    lines.push(&buf);
                }
                if let Some(rs) = &dep.region_switch {
                    buf.clear();
                    once_dns(inv, rs, &mut buf);
                    lines.push(&buf);
                }
            }
            Some("drills") => {
                if let Some(d) = &dep.drills {
                    buf.clear();
                    fis_drills(d, &mut buf);
                    lines.push(&buf);
                }
            }
            Some("measurements") => {
                let mut first = true;
                for a in &inv.assets {
                    let (Some(restore), Some(dated)) =
                        (a.measured.restore, a.measured.restore_dated)
                    else {
                        continue;
                    };
                    buf.clear();
                    if first {
                        first = false;
                        buf.push_str(
                            "- The restore times the model uses, as AWS Backup restore jobs measured them:\n\n",
                        );
                        buf.push_str("  | asset | measured restore | newest job completed | restore jobs |\n  |---|---|---|---|\n");
                    }
                    buf.push_str("  | `");
                    md(&mut buf, &a.id);
                    buf.push_str("` | ");
                    md(&mut buf, &restore.to_string());
                    buf.push_str(" | ");
                    md(&mut buf, &dated.date.to_string());
                    buf.push_str(" | ");
                    md(&mut buf, &dated.jobs.to_string());
                    buf.push_str(" |\n");
                    lines.push(&buf);
                }
                if !first {
                    lines.push("\n");
                }
            }
            Some("audit") => {
                buf.clear();
                audit_section(dep, &mut buf);
                lines.push(&buf);
            }
            Some("scenarios") => {
                for scenario in Scenario::ALL {
                    scenario_section(inv, rec, scenario, &names, &mut lines, &mut buf);
                }
            }
            Some(other) => unreachable!("the runbook template has an unknown slot `{other}`"),
        }
    }
    lines.finish()
}

/// What the "once" section says before its per-bucket steps.
const ONCE_INTRO: &str = "## Once, after the first apply: copy the objects that existed before replication\n\n\
S3 replication copies only objects written after its rule exists. Until the objects that\n\
were already in a bucket are copied once with S3 Batch Replication, a Region failover finds\n\
only the newer ones in the replica, and the replication RPO above holds only for objects\n\
written since the rule was applied. Run these once after the first `terraform apply`, and\n\
again whenever the bucket's `OperationsFailedReplication` alarm has fired (the job picks\n\
the objects whose replication status is `NONE` or `FAILED`). AWS recommends pausing the\n\
bucket's S3 Lifecycle rules while the job runs. Your credentials need `s3:CreateJob`\n\
and `iam:PassRole` on the job's role.\n\n";

/// The one-time S3 Batch Replication job of a replicated bucket, and how to watch it.
fn once_s3(x: &S3, rep: &crate::deploy::S3Replication, buf: &mut String) {
    let bucket = &x.bucket;
    buf.push_str("### `");
    md(buf, bucket);
    buf.push_str(
        "`

",
    );
    let generator = format!(
        "{{\"S3JobManifestGenerator\":{{\"ExpectedBucketOwner\":\"'\"$ACCOUNT\"'\",\"SourceBucket\":\"arn:'\"$PARTITION\"':s3:::{bucket}\",\"EnableManifestOutput\":false,\"Filter\":{{\"EligibleForReplication\":true,\"ObjectReplicationStatuses\":[\"NONE\",\"FAILED\"]}}}}}}"
    );
    let commands = [
        format!(
            "JOB=$(aws s3control create-job --region \"$PRIMARY\" --account-id \"$ACCOUNT\" \\\n  --operation '{{\"S3ReplicateObject\":{{}}}}' \\\n  --manifest-generator '{generator}' \\\n  --report '{{\"Enabled\":false}}' --priority 10 --no-confirmation-required \\\n  --role-arn \"arn:$PARTITION:iam::$ACCOUNT:role/{}\" --query JobId --output text)\necho \"$JOB\"",
            rep.batch_role
        ),
        "aws s3control describe-job --region \"$PRIMARY\" --account-id \"$ACCOUNT\" --job-id \"$JOB\" \\\n  --query 'Job.{status:Status,progress:ProgressSummary}'".to_owned(),
    ];
    let actions = [act_owned(
        "Start the job (S3 builds its list of objects from the replication rule), then watch it until its status is `Complete` with no failed tasks:",
        commands.to_vec(),
    )];
    write_actions(&actions, buf);
    buf.push('\n');
}

/// With `region_switch_dns`: read the ids of the Route 53 health checks that the
/// plan's DNS steps created and hand them to the tree, so that the failover
/// records follow the plan. Nothing here runs during a disaster.
fn once_dns(inv: &Inventory, rs: &RegionSwitch, buf: &mut String) {
    use std::fmt::Write as _;
    let steps: Vec<(&str, &str, &str)> = rs
        .waves
        .iter()
        .flatten()
        .filter_map(|s| match &s.action {
            StepAction::Route53 {
                hosted_zone_id,
                record_name,
                ..
            } => Some((
                s.asset.as_str(),
                hosted_zone_id.as_str(),
                record_name.as_str(),
            )),
            _ => None,
        })
        .collect();
    if steps.is_empty() {
        return;
    }
    let (primary, secondary) = (&inv.project.primary_region, &inv.project.secondary_region);
    buf.push_str(
        "## Once, after the first apply: let the Region switch plan move the endpoints' DNS\n\n",
    );
    buf.push_str("The plan's DNS steps (`region_switch_dns`) created Route 53 health checks of their own for the\nfailover records of ");
    for (k, (id, _, _)) in steps.iter().enumerate() {
        if k > 0 {
            buf.push_str(", ");
        }
        buf.push('`');
        md(buf, id);
        buf.push('`');
    }
    buf.push_str(
        r#". Until the records use them, the plan switches health checks that no record
reads, and Route 53 fails each of these endpoints over by itself on its own health checks,
possibly before the data it needs is promoted. Their ids exist only once the plan does: after
the first `terraform apply` (and after any change of the plan's DNS steps), run in the
generated folder:

```sh
export PLAN_ARN=$(terraform output -raw region_switch_plan_arn)
hc() { aws arc-region-switch list-route53-health-checks --region us-east-1 --arn "$PLAN_ARN" \
  --hosted-zone-id "$1" --record-name "$2" --query "healthChecks[?region=='$3'].healthCheckId | [0]" --output text; }
cat > region-switch-dns.auto.tfvars.json <<JSON
{"region_switch_dns_health_checks": {
"#,
    );
    for (k, (id, zone, record)) in steps.iter().enumerate() {
        let key = serde_json::to_string(id).unwrap_or_default();
        let _ = writeln!(
            buf,
            r#"  {key}: {{"primary": "$(hc {z} {r} {primary})", "secondary": "$(hc {z} {r} {secondary})"}}{}"#,
            if k + 1 < steps.len() { "," } else { "" },
            z = sq(zone),
            r = sq(record),
        );
    }
    buf.push_str(
        r#"}}
JSON
cat region-switch-dns.auto.tfvars.json   # every id set, none "None"
terraform plan    # only the failover records' health_check_id changes
terraform apply
```

From then on these records answer with the Region the plan last activated: a failed target
alone no longer moves its traffic (its alarm still tells you); the plan does, once the data
is promoted. Removing the file and applying gives the records their own health checks back.

"#,
    );
}

/// `## Run-time checks`: the Backup Audit Manager framework and the Resilience
/// Hub policies, what each control holds the deployment to, and what to do when
/// one fails. Names and numbers from the deployment.
fn audit_section(dep: &Deployment, buf: &mut String) {
    use std::fmt::Write as _;
    let r = &dep.resilience;
    if dep.audit.is_none()
        && dep.audit_omitted.is_none()
        && r.policies.is_empty()
        && r.omitted.is_empty()
    {
        return;
    }
    buf.push_str("## Run-time checks: are the objectives still met?\n\n");
    buf.push_str("`lifeboat check` proves that the design can meet the objectives; AWS checks the deployed\nresources against the same numbers (docs/audit.md). Look here before a game day, after\nevery change to the backups, and when an auditor asks.\n\n");
    if let Some(why) = &dep.audit_omitted {
        buf.push_str("**No Backup Audit Manager framework:** ");
        md(buf, why);
        buf.push_str(". Split the inventory into projects, or audit with AWS Config rules.\n\n");
    }
    if let Some(a) = &dep.audit {
        let _ = write!(
            buf,
            "### Backup Audit Manager: framework `{}`\n\nAWS Config must record the resource types below in {} (AWS Backup Developer Guide,\n\"Turning on resource tracking\"); the controls are evaluated every 24 hours and on\nconfiguration changes. Reports land in `s3://{}-$ACCOUNT/` every day.\n\n",
            a.framework, dep.primary_region, a.report_bucket_prefix
        );
        let _ = write!(
            buf,
            "```sh\naws backup describe-framework --region \"$PRIMARY\" --framework-name {fw} \\\n  --query '{{status:FrameworkStatus,deployment:DeploymentStatus}}'\naws backup list-report-jobs --region \"$PRIMARY\" --by-report-plan-name {cc} \\\n  --query 'ReportJobs[].{{created:CreationTime,status:Status,where:ReportDestination}}'\naws s3 ls \"s3://{bucket}-$ACCOUNT/control_compliance/\" --recursive | tail\naws s3 ls \"s3://{bucket}-$ACCOUNT/restore_jobs/\" --recursive | tail\n```\n\n",
            fw = a.framework,
            cc = a.report_plans.control_compliance,
            bucket = a.report_bucket_prefix
        );
        buf.push_str("| control | scope | holds it to |\n|---|---|---|\n");
        for p in &a.plans {
            let _ = writeln!(
                buf,
                "| `BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK` | plan `{}` | a backup every {} {}, kept {} days |",
                p.name, p.frequency_value, p.frequency_unit, p.retention_days
            );
            let _ = writeln!(
                buf,
                "| `BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK` | recovery points of `{}` | kept at least {} days |",
                p.name, p.recovery_point_retention_days
            );
        }
        for c in &a.controls {
            let _ = write!(buf, "| `{}` | {} ", c.control.name(), c.resource_type);
            let mut first = true;
            for id in &c.assets {
                buf.push_str(if first { "`" } else { ", `" });
                first = false;
                md(buf, id);
                buf.push('`');
            }
            buf.push_str(" | ");
            buf.push_str(c.control.describe());
            if let Some(t) = c.target {
                let _ = write!(buf, " {t}");
            }
            if c.control == Control::ProtectedByVaultLock {
                for (k, v) in &c.parameters {
                    let _ = write!(buf, ", {k} {v}");
                }
            }
            buf.push_str(" |\n");
        }
        buf.push_str(concat!(
            "\nWhen a control is `NON_COMPLIANT`:\n\n",
            "- **Last recovery point** or **plan frequency and retention**: the RPO is at risk now.\n",
            "  Find the failed jobs (`aws backup list-backup-jobs --region \"$PRIMARY\" --by-state FAILED`),\n",
            "  fix the cause and start an on-demand backup (`aws backup start-backup-job`) of the resource.\n",
            "  A plan edited by hand: run `lifeboat compile` and `terraform apply` to restore it.\n",
            "- **Restore time**: a restore (restore testing included) took longer than the RTO. Put the\n",
            "  measured time into the asset (`measured { restore = \"...\" }`) and run `lifeboat check`:\n",
            "  the model then shows which objective breaks and what would meet it.\n",
            "- **Protected by a plan, a copy or a locked vault**: the resource left a selection, a copy\n",
            "  rule or the locked vault. Run `lifeboat compile --check` to see the drift and apply.\n\n",
        ));
    }
    if !r.policies.is_empty() || !r.omitted.is_empty() {
        let _ = write!(
            buf,
            "### Resilience Hub: one resiliency policy per tier ({})\n\n",
            dep.primary_region
        );
        if !r.policies.is_empty() {
            buf.push_str("| tier | policy | Resilience Hub tier | Software (corruption) RPO / RTO | Hardware and AZ (az) RPO / RTO | Region RPO / RTO |\n|---|---|---|---|---|---|\n");
        }
        for p in &r.policies {
            buf.push_str("| `");
            md(buf, &p.tier);
            let region = match p.region {
                None => "—".to_owned(),
                Some((rpo, rto)) => format!("{} / {}", objective(rpo), objective(rto)),
            };
            let _ = writeln!(
                buf,
                "` | `{}` | {} | {} / {} | {} / {} | {} |",
                p.name, p.hub_tier, p.software.rpo, p.software.rto, p.az.rpo, p.az.rto, region
            );
        }
        for (tier, why) in &r.omitted {
            buf.push_str("\nNo policy for tier `");
            md(buf, tier);
            buf.push_str("`: ");
            md(buf, why);
            buf.push_str(".\n");
        }
        if let Some(p) = r.policies.first() {
            let _ = write!(
                buf,
                concat!(
                    "\nAttach a policy to the Resilience Hub application of the workload and assess it (the\n",
                    "application lists the workload's resources: CloudFormation stacks, Terraform state files\n",
                    "in S3, resource groups):\n\n",
                    "```sh\n",
                    "POLICY=$(aws resiliencehub list-resiliency-policies --region \"$PRIMARY\" --policy-name {name} \\\n",
                    "  --query 'resiliencyPolicies[0].policyArn' --output text)\n",
                    "APP=$(aws resiliencehub create-app --region \"$PRIMARY\" --name <app> --policy-arn \"$POLICY\" \\\n",
                    "  --query app.appArn --output text)\n",
                    "aws resiliencehub import-resources-to-draft-app-version --region \"$PRIMARY\" --app-arn \"$APP\" \\\n",
                    "  --terraform-sources s3StateFileUrl=s3://<state-bucket>/<key>\n",
                    "aws resiliencehub publish-app-version --region \"$PRIMARY\" --app-arn \"$APP\"\n",
                    "aws resiliencehub start-app-assessment --region \"$PRIMARY\" --app-arn \"$APP\" \\\n",
                    "  --app-version release --assessment-name lifeboat-check\n",
                    "```\n\n",
                    "A `PolicyBreached` assessment names the disruption type whose estimate exceeds the\n",
                    "policy: compare it with `lifeboat explain <asset>` for that scenario.\n\n",
                ),
                name = p.name
            );
        }
    }
}

/// Find the plan's ARN in the secondary Region (its data plane: no API of the
/// lost Region, no Terraform state), into `$PLAN_ARN`.
fn plan_arn_lookup(rs: &RegionSwitch) -> String {
    format!(
        "export PLAN_ARN=$(aws arc-region-switch list-plans-in-region --region \"$SECONDARY\" \\\n  --query \"plans[?name=='{}'].arn\" --output text)",
        rs.plan
    )
}

/// The command that runs the plan by hand: the activate workflow of the
/// secondary Region, ungraceful (the primary is lost), at the secondary Region's
/// endpoint; the same command as the module's `start_command` output.
pub fn start_command(rs_secondary: &str) -> String {
    format!(
        "aws arc-region-switch start-plan-execution --region {rs_secondary} --plan-arn \"$PLAN_ARN\" \\\n  --target-region {rs_secondary} --action activate --mode ungraceful"
    )
}

/// `## Primary Region lost: the Region switch plan`, before everything else.
fn region_switch_section(
    inv: &Inventory,
    rs: &RegionSwitch,
    lines: &mut Lines<'_, '_>,
    buf: &mut String,
) {
    use std::fmt::Write as _;
    let secondary = &inv.project.secondary_region;
    buf.clear();
    let _ = write!(
        buf,
        "## Primary Region lost: the Region switch plan runs first\n\nThe ARC Region switch plan `{}` promotes the read replicas and fails the Global\nDatabases over in {secondary}, in the recovery waves below; the steps it cannot do\n(restores) are marked **manual** in the Region scenario further down. ",
        rs.plan
    );
    if rs.trigger_alarms.is_empty() {
        buf.push_str("Nothing starts it by itself (the project has no endpoint whose alarm could): **start it** as soon as the primary Region is declared lost.\n\n");
    } else {
        let _ = write!(
            buf,
            "Its trigger **starts it by itself** once all {} primary health-check alarm{} (us-east-1) are in ALARM: ",
            rs.trigger_alarms.len(),
            if rs.trigger_alarms.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        for (k, a) in rs.trigger_alarms.iter().enumerate() {
            if k > 0 {
                buf.push_str(", ");
            }
            buf.push('`');
            md(buf, &a.name);
            buf.push('`');
        }
        buf.push_str(". Check whether it is running before you start it.\n\n");
    }
    lines.push(buf);
    buf.clear();
    let _ = writeln!(
        buf,
        "1. Find the plan (from {secondary}: nothing here calls the lost Region), and its executions:\n\n   ```sh"
    );
    for l in plan_arn_lookup(rs).lines() {
        let _ = writeln!(buf, "   {l}");
    }
    let _ = writeln!(
        buf,
        "   aws arc-region-switch list-plan-executions --region \"$SECONDARY\" --plan-arn \"$PLAN_ARN\" \\\n     --query 'items[].{{id:executionId,state:executionState,action:executionAction,started:startTime}}'\n   ```\n\n   The ARN is also the Terraform output `region_switch_plan_arn` (recorded at apply time)."
    );
    let _ = writeln!(
        buf,
        "2. If no execution is in progress, start the plan (ungraceful: the primary Region is lost):\n\n   ```sh"
    );
    for l in start_command(secondary).lines() {
        let _ = writeln!(buf, "   {l}");
    }
    buf.push_str("   ```\n");
    let mut n = 3;
    if let Some(step) = &rs.approval_step {
        let _ = writeln!(
            buf,
            "{n}. The plan waits for approval (`{step}`) before it promotes anything. The incident lead confirms the primary Region is lost, assumes the role `{}`, and approves:\n\n   ```sh\n   aws arc-region-switch approve-plan-execution-step --region \"$SECONDARY\" --plan-arn \"$PLAN_ARN\" \\\n     --execution-id <execution-id> --step-name {} --approval approve\n   ```",
            rs.approval_role.as_deref().unwrap_or_default(),
            sq(step)
        );
        n += 1;
    }
    let _ = writeln!(
        buf,
        "{n}. Follow it until it completes; a failed step pauses the execution (`pausedByFailedStep`):\n\n   ```sh\n   aws arc-region-switch get-plan-execution --region \"$SECONDARY\" --plan-arn \"$PLAN_ARN\" --execution-id <execution-id>\n   ```"
    );
    n += 1;
    let _ = writeln!(
        buf,
        "{n}. **Fallback.** If the plan cannot start, or a step fails, do that asset's manual steps\n   in the Region scenario below; they do what the step does.\n\nThe plan's steps:\n"
    );
    lines.push(buf);
    for (k, wave) in rs.waves.iter().enumerate() {
        buf.clear();
        let _ = write!(
            buf,
            "- step {} (recovery wave {}{}): ",
            k + 1 + usize::from(rs.approval_step.is_some()),
            wave[0].wave,
            if wave.len() > 1 { ", in parallel" } else { "" }
        );
        for (j, s) in wave.iter().enumerate() {
            if j > 0 {
                buf.push_str(", ");
            }
            let what = match s.action {
                StepAction::RdsPromote { .. } => "promote the read replica",
                StepAction::AuroraGlobal { .. } => "fail the Global Database over",
                StepAction::Route53 { .. } => "move DNS to the secondary target",
            };
            let _ = write!(buf, "`{}` ({what}: `{}`)", s.name, s.asset);
        }
        buf.push('\n');
        lines.push(buf);
    }
    buf.clear();
    if rs.return_steps.is_empty() {
        buf.push_str("\nThe plan has no way back: a promoted replica is a standalone instance (see *After the\ndisaster: failback*).\n\n");
    } else {
        let _ = write!(
            buf,
            "\nThe way back, once {} is healthy again, is the plan's other workflow (Aurora switchovers, no\ndata loss{}): `aws arc-region-switch start-plan-execution --region {} --plan-arn \"$PLAN_ARN\" --target-region {} --action activate --mode graceful`.\n\n",
            inv.project.primary_region,
            if rs
                .return_steps
                .iter()
                .any(|s| matches!(s.action, StepAction::Route53 { .. }))
            {
                ", then the DNS steps move the records back"
            } else {
                ""
            },
            inv.project.primary_region,
            inv.project.primary_region
        );
    }
    // DNS steps the way back does not undo (a plan with an RDS promotion).
    let dns =
        |s: &crate::deploy::region_switch::Step| matches!(s.action, StepAction::Route53 { .. });
    if rs.waves.iter().flatten().any(dns) && !rs.return_steps.iter().any(dns) {
        buf.push_str("Its DNS steps leave the endpoints' records on the secondary Region: once the failback\nhas made the primary Region's databases the writers again, delete\n`region-switch-dns.auto.tfvars.json` and apply, so that the records use their own health\nchecks (and the primary targets) again. Write the file again only once ARC's health checks\nreport the primary Region healthy (`status` in `list-route53-health-checks`, see \"Once, after\nthe first apply\"): they report the Region the plan last activated.\n\n");
    }
    lines.push(buf);
}

/// One `## Scenario` section: waves, then every asset's steps in wave order.
fn scenario_section(
    inv: &Inventory,
    rec: &Recovery,
    scenario: Scenario,
    names: &Names,
    lines: &mut Lines<'_, '_>,
    buf: &mut String,
) {
    use std::fmt::Write as _;
    let drill = super::drill::run(inv, rec, scenario);
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
    buf.clear();
    buf.push_str("## Scenario: ");
    md(buf, title);
    buf.push_str("\n\n");
    buf.push_str(intro);
    buf.push_str("\n\n**Recovery waves.** Assets in one wave can be recovered in parallel; a wave starts when\nthe assets of the waves before it serve again.\n\n");
    lines.push(buf);
    // Each wave's ids written once, in order.
    let mut k = 0;
    while k < drill.rows.len() {
        let wave = drill.rows[k].wave;
        buf.clear();
        let _ = write!(buf, "- **Wave {}**: ", markdown_text(&wave.to_string()));
        let mut first = true;
        while k < drill.rows.len() && drill.rows[k].wave == wave {
            if !first {
                buf.push_str(", ");
            }
            first = false;
            buf.push('`');
            buf.push_str(&drill.rows[k].id);
            buf.push('`');
            k += 1;
        }
        buf.push('\n');
        lines.push(buf);
    }
    buf.clear();
    buf.push_str("\nEstimated time to full service: **");
    md(buf, &opt(drill.total));
    buf.push_str("**.\n\n");
    lines.push(buf);
    // The Region switch plan's step of each asset, looked up by id: a scan of the
    // waves per asset was quadratic (a fifth of compile at 100,000 assets).
    let plan_steps: std::collections::HashMap<&str, &crate::deploy::region_switch::Step> =
        match (&names.dep.region_switch, scenario) {
            (Some(rs), Scenario::Region) => {
                let mut m = std::collections::HashMap::new();
                for x in rs.waves.iter().flatten() {
                    // The first step of an asset, as the scan found it.
                    m.entry(x.asset.as_str()).or_insert(x);
                }
                m
            }
            _ => std::collections::HashMap::new(),
        };
    for row in &drill.rows {
        let i = inv
            .assets
            .binary_search_by(|a| a.id.as_str().cmp(&row.id))
            .expect("asset");
        let a = &inv.assets[i];
        let s = &rec.assets[i].scenarios[scenario.index()];
        buf.clear();
        buf.push_str("### ");
        md(buf, scenario.as_str());
        buf.push_str(" · `");
        md(buf, &a.id);
        buf.push_str("` (");
        md(buf, a.kind_name());
        buf.push_str(", tier ");
        md(buf, &a.tier);
        buf.push_str(")\n\n");
        if !row.hit {
            buf.push_str("_Not affected itself._ ");
            if a.depends_on.is_empty() {
                buf.push_str("Nothing to do.");
            } else {
                buf.push_str("It serves again once its dependencies do (");
                for (k, d) in a.depends_on.iter().enumerate() {
                    if k > 0 {
                        buf.push_str(", ");
                    }
                    let _ = write!(buf, "`{d}`");
                }
                buf.push_str(").");
            }
            buf.push('\n');
        } else {
            let path = s.path.as_ref().map_or("no recovery path", |p| p.name());
            let rpo = if matches!(a.kind, AssetKind::Endpoint(_)) {
                "none (an endpoint holds no data)".to_owned()
            } else {
                opt(s.rpo)
            };
            let _ = write!(
                buf,
                "Recovery path: **{path}**. Data loss up to **{rpo}**; serves again after about\n**"
            );
            md(buf, &opt(s.effective_rto));
            buf.push_str("** (own recovery ");
            md(buf, &opt(s.own_rto));
            buf.push_str(").");
            let plan_step = names
                .dep
                .region_switch
                .as_ref()
                .and_then(|rs| plan_steps.get(a.id.as_str()).map(|x| (rs, *x)));
            if let Some(path) = &s.path
                && path.start() > Dur::ZERO
            {
                buf.push_str(" The estimate counts ");
                md(buf, &path.start().to_string());
                if plan_step.is_some() {
                    buf.push_str(" before the work starts: see the terms in `lifeboat explain`.");
                } else {
                    buf.push_str(
                        " for the alarm to reach people and their decision before the work starts.",
                    );
                }
            }
            buf.push_str("\n\n");
            if let Some((rs, step)) = plan_step {
                let _ = write!(
                    buf,
                    "**Automated:** the Region switch plan `{}` does this (step `{}`, recovery wave {}). The steps below are the **manual fallback**, for when the plan's step fails or the plan cannot start.\n\n",
                    rs.plan, step.name, step.wave
                );
            } else if scenario == Scenario::Region
                && names.dep.region_switch.is_some()
                && s.path.as_ref().is_some_and(|p| !p.kind.automated())
            {
                buf.push_str("**Manual:** the Region switch plan cannot do this; a person starts it once the\nincident is declared.\n\n");
            }
            if let Some(t) = s
                .path
                .as_ref()
                .and_then(|p| crate::check::estimate::warm_up(a, p.kind, &inv.params))
            {
                buf.push_str("Once it serves, expect slower queries for about **");
                md(buf, &t.value.to_string());
                buf.push_str("** more while its storage loads from S3 as blocks are first read (lazy loading); reading the busiest tables once (for example with `pg_prewarm` on PostgreSQL) shortens it.\n\n");
            }
            if let Some(risk) = s.accepted_risk.as_ref().filter(|_| s.accepted()) {
                buf.push_str(
                    "**Known gap:** this is slower or loses more than the tier's objective (RPO ",
                );
                md(buf, &objective(s.objective.rpo));
                buf.push_str(", RTO ");
                md(buf, &objective(s.objective.rto));
                buf.push_str("); ");
                md(buf, risk.owner.trim());
                buf.push_str(" accepted it until ");
                md(buf, &risk.expires.to_string());
                buf.push_str(": ");
                md(buf, risk.reason.trim());
                buf.push_str("\n\n");
            }
            let names = &Names {
                dep: names.dep,
                asset: Some(i),
            };
            let actions = match s.path.as_ref().map(|p| p.kind) {
                None => vec![act(
                    "Nothing lifeboat generates can recover this asset in this scenario (its tier sets no objective for it). Rebuild it, or accept its loss.",
                    &[],
                )],
                Some(kind) => match (&a.kind, &names.dep.assets[i].kind, kind) {
                    (AssetKind::Rds(x), KindDeployment::Rds(d), PathKind::Rds(p)) => {
                        rds_steps(x, d, p, names)
                    }
                    (AssetKind::S3(x), KindDeployment::S3(d), PathKind::S3(p)) => {
                        s3_steps(x, d, p, names)
                    }
                    (
                        AssetKind::Endpoint(e),
                        KindDeployment::Endpoint(d),
                        PathKind::Endpoint(p),
                    ) => endpoint_steps(e, d, p, &a.depends_on),
                    (AssetKind::Aurora(x), KindDeployment::Aurora(d), PathKind::Aurora(p)) => {
                        aurora_steps(x, d, p, names)
                    }
                    (
                        AssetKind::Dynamodb(x),
                        KindDeployment::Dynamodb(d),
                        PathKind::Dynamodb(p),
                    ) => dynamodb_steps(x, d, p, names),
                    (AssetKind::Efs(x), KindDeployment::Efs(d), PathKind::Efs(p)) => {
                        efs_steps(x, d, p, names)
                    }
                    (kind, _, PathKind::IsolatedCopy) => isolated_steps(kind, names),
                    _ => unreachable!("a path and a deployment of the asset's own kind"),
                },
            };
            let mut actions = actions;
            let dep = names.dep;
            if let (Some(kind), Some(key), Some(b)) = (
                s.path.as_ref().map(|p| p.kind),
                dep.assets[i].backup_plan.as_ref(),
                dep.backup.as_ref().filter(|b| b.secondary_plans),
            ) && let Some(arn) = created_in_secondary(&a.kind, &dep.assets[i].kind, kind)
            {
                let name = b
                    .plans
                    .iter()
                    .find(|p| &p.key == key)
                    .map_or("", |p| p.name.as_str());
                actions.push(dr_backup_step(&arn, key, name));
            }
            write_actions(&actions, buf);
        }
        buf.push('\n');
        lines.push(buf);
    }
}

/// The AWS FIS experiments of `drills = true`: how to run each, what stops it, and
/// what the model predicts.
fn fis_drills(d: &crate::deploy::drills::Drills, buf: &mut String) {
    use crate::deploy::drills::DrillAction;
    use std::fmt::Write as _;
    buf.push_str("\n### Real drills with AWS FIS\n\n");
    buf.push_str("Each experiment below causes, for real, a disruption the recovery model estimates. Run\none in a planned window, with the owners told, never during an incident. Start it, watch it,\nand compare what happened with the prediction; record what you timed with `measured { }`.\n\n");
    for e in &d.experiments {
        buf.push_str("#### ");
        md(buf, e.scenario.as_str());
        buf.push_str(" · `");
        md(buf, &e.asset);
        buf.push_str("`\n\n");
        md(buf, &e.description);
        buf.push_str(".\n\n");
        let _ = match (e.action, e.predicted, &e.watch_alarm) {
            (DrillAction::RdsRebootFailover | DrillAction::AuroraFailover, Some(p), _) => writeln!(
                buf,
                "- **Prediction:** the writer serves again within **{p}** of the failover starting (the model's failover estimate; detection and decision do not apply, the drill starts it). Time it from the experiment's start to the first successful write."
            ),
            (_, Some(p), Some(alarm)) => writeln!(
                buf,
                "- **Prediction:** the alarm `{}` goes to ALARM about **{p}** into the pause (its threshold), and returns to OK after replication resumes and catches up. If it does not fire, the Region RPO is not watched.",
                markdown_text(alarm)
            ),
            _ => writeln!(
                buf,
                "- **Prediction:** replication falls behind by up to the pause and catches up after it; no latency alarm watches it (replication without RTC), so check the replica by hand afterwards."
            ),
        };
        if e.stop_alarms.is_empty() {
            buf.push_str("- **Stops when:** nothing stops it by itself (no alarm of this tree in the experiment's Region guards it). Watch the application and stop it with `aws fis stop-experiment` if it hurts.\n");
        } else {
            buf.push_str("- **Stops when:** any of ");
            for (k, a) in e.stop_alarms.iter().enumerate() {
                if k > 0 {
                    buf.push_str(", ");
                }
                buf.push('`');
                md(buf, a);
                buf.push('`');
            }
            buf.push_str(" goes to ALARM.\n");
        }
        let commands = vec![
            format!(
                "TEMPLATE=$(aws fis list-experiment-templates --region \"$PRIMARY\" \\\n  --query \"experimentTemplates[?tags.Name=='{}'].id | [0]\" --output text)\nEXPERIMENT=$(aws fis start-experiment --region \"$PRIMARY\" --experiment-template-id \"$TEMPLATE\" \\\n  --query experiment.id --output text)\necho \"$EXPERIMENT\"",
                e.name_tag
            ),
            "aws fis get-experiment --region \"$PRIMARY\" --id \"$EXPERIMENT\" --query 'experiment.state'".to_owned(),
            "# to stop it early:\naws fis stop-experiment --region \"$PRIMARY\" --id \"$EXPERIMENT\"".to_owned(),
        ];
        buf.push('\n');
        write_actions(
            &[act_owned(
                "Start it, then watch its state until it is `completed` (or `stopped`):",
                commands,
            )],
            buf,
        );
        buf.push('\n');
    }
}

/// Numbered steps, each with its commands in a fenced block.
fn write_actions(actions: &[Action], buf: &mut String) {
    use std::fmt::Write as _;
    for (k, x) in actions.iter().enumerate() {
        let _ = writeln!(buf, "{}. {}", k + 1, x.text);
        if !x.commands.is_empty() {
            buf.push_str("\n   ```sh\n");
            for l in x.commands.join("\n").lines() {
                buf.push_str("   ");
                buf.push_str(l);
                buf.push('\n');
            }
            buf.push_str("   ```\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(pieces: &[&str]) -> String {
        let mut out = String::new();
        let mut sink = |t: &str| {
            out.push_str(t);
            Ok(())
        };
        let mut lines = Lines::new(&mut sink);
        for p in pieces {
            lines.push(p);
        }
        lines.finish().unwrap();
        out
    }

    /// The layout rules hold wherever the text is cut into pieces.
    #[test]
    fn lines_do_not_depend_on_how_text_is_cut() {
        let text = "# a  \n\n\n\nb\r\n  \n\t\nc\n\n```sh\n   x \n   ```\nlast";
        let whole = lines_of(&[text]);
        assert_eq!(whole, "# a\n\nb\n\nc\n\n```sh\n   x\n   ```\nlast\n");
        for i in 0..=text.len() {
            for j in i..=text.len() {
                assert_eq!(
                    lines_of(&[&text[..i], &text[i..j], &text[j..]]),
                    whole,
                    "cut at {i} and {j}"
                );
            }
        }
    }

    #[test]
    fn the_template_has_exactly_the_known_slots() {
        let text = include_str!("../../examples/minimal/lifeboat.hcl");
        let sources =
            crate::source::Sources::new(vec![crate::source::SourceFile::new("lifeboat.hcl", text)]);
        let a = crate::analyze(sources);
        let (inv, _, dep) = a.compiled().expect("example compiles");
        let parts = frame(inv, dep, "header");
        let slots: Vec<_> = parts.iter().filter_map(|(_, s)| s.as_deref()).collect();
        assert_eq!(
            slots,
            [
                "region_switch",
                "owners",
                "objectives",
                "risks",
                "once",
                "scenarios",
                "audit",
                "measurements",
                "drills"
            ]
        );
        assert!(parts.iter().all(|(t, _)| !t.contains('\u{0}')));
    }

    /// Every kind of recovery path has steps of its own, with commands wherever
    /// something has to be done (the matches are exhaustive, so a new kind of
    /// path cannot fall back to generic text).
    #[test]
    fn every_path_kind_has_specific_steps() {
        let text = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
asset "db" {
  kind       = "rds"
  tier       = "critical"
  identifier = "db-prod"
  engine     = "postgres"
  storage_gb = 50
  multi_az   = true
  dr {
    read_replica       = true
    backup_replication = true
  }
}
asset "objects" {
  kind        = "s3"
  tier        = "critical"
  bucket      = "p-files"
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"
  dr {
    replication = true
  }
}
asset "cluster" {
  kind               = "aurora"
  tier               = "critical"
  cluster_identifier = "cluster-prod"
  engine             = "aurora-postgresql"
  storage_gb         = 100
  dr {
    global_database = true
  }
}
asset "table" {
  kind  = "dynamodb"
  tier  = "critical"
  table = "orders"
  dr {
    global_table = true
  }
}
asset "files" {
  kind           = "efs"
  tier           = "critical"
  file_system_id = "fs-0123456789abcdef0"
  dr {
    replication = true
  }
}
asset "web" {
  kind    = "endpoint"
  tier    = "critical"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "web.example.com"
  primary {
    hostname = "web-use1.example.com"
  }
  secondary {
    hostname = "web-usw2.example.com"
  }
}
"#;
        let sources =
            crate::source::Sources::new(vec![crate::source::SourceFile::new("t.hcl", text)]);
        let a = crate::analyze(sources);
        let (inv, _, dep) = a.compiled().expect("compiles");
        let names = Names { dep, asset: None };
        for kind in PathKind::ALL {
            let steps = inv
                .assets
                .iter()
                .zip(&dep.assets)
                .find_map(|(asset, d)| match (&asset.kind, &d.kind, kind) {
                    (AssetKind::Rds(x), KindDeployment::Rds(d), PathKind::Rds(p)) => {
                        Some(rds_steps(x, d, p, &names))
                    }
                    (AssetKind::S3(x), KindDeployment::S3(d), PathKind::S3(p)) => {
                        Some(s3_steps(x, d, p, &names))
                    }
                    (
                        AssetKind::Endpoint(e),
                        KindDeployment::Endpoint(d),
                        PathKind::Endpoint(p),
                    ) => Some(endpoint_steps(e, d, p, &[])),
                    (AssetKind::Aurora(x), KindDeployment::Aurora(d), PathKind::Aurora(p)) => {
                        Some(aurora_steps(x, d, p, &names))
                    }
                    (
                        AssetKind::Dynamodb(x),
                        KindDeployment::Dynamodb(d),
                        PathKind::Dynamodb(p),
                    ) => Some(dynamodb_steps(x, d, p, &names)),
                    (AssetKind::Efs(x), KindDeployment::Efs(d), PathKind::Efs(p)) => {
                        Some(efs_steps(x, d, p, &names))
                    }
                    (AssetKind::Rds(_), _, PathKind::IsolatedCopy) => {
                        Some(isolated_steps(&asset.kind, &names))
                    }
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no asset of the kind of {}", kind.name()));
            assert!(!steps.is_empty(), "{}", kind.name());
            let passive = matches!(
                kind,
                PathKind::Endpoint(EndpointPath::Unaffected | EndpointPath::NoData)
            );
            assert!(
                passive || steps.iter().any(|s| !s.commands.is_empty()),
                "{}: no command",
                kind.name()
            );
            // Nothing reads Terraform state during a disaster.
            for s in &steps {
                for c in &s.commands {
                    assert!(!c.contains("terraform"), "{}: {c}", kind.name());
                }
            }
        }
    }
}
