################################################################################
# Source (looked up)
################################################################################

output "source_arn" {
  description = "ARN of the existing source DB instance in the primary Region."
  value       = local.source_arn
}

output "source_engine" {
  description = "Engine reported by AWS for the source instance (for example postgres or oracle-ee-cdb)."
  value       = local.source.engine
}

output "source_engine_version" {
  description = "Engine version reported by AWS for the source instance."
  value       = local.source_engine_version
}

output "source_backup_retention_period" {
  description = "Automated backup retention of the source instance, in days (the in-Region PITR window)."
  value       = local.source.backup_retention_period
}

################################################################################
# Read replica
################################################################################

output "replica_arn" {
  description = "ARN of the cross-Region read replica; null when read_replica is false."
  value       = one(aws_db_instance.replica[*].arn)
}

output "replica_identifier" {
  description = "DB instance identifier of the read replica (`<name>-dr`); null when read_replica is false."
  value       = one(aws_db_instance.replica[*].identifier)
}

output "replica_endpoint" {
  description = "Connection endpoint (host:port) of the read replica; null when read_replica is false."
  value       = one(aws_db_instance.replica[*].endpoint)
}

output "replica_address" {
  description = "Hostname of the read replica (what DNS should point at after promotion); null when read_replica is false."
  value       = one(aws_db_instance.replica[*].address)
}

output "promote_command" {
  description = "AWS CLI command that promotes the read replica to a standalone, writable instance (one-way); null when read_replica is false."
  value = var.read_replica ? format(
    "aws rds promote-read-replica --region %s --db-instance-identifier %s --backup-retention-period %d",
    var.secondary_region,
    local.replica_identifier,
    local.source.backup_retention_period,
  ) : null
}

################################################################################
# Backup replication
################################################################################

output "backup_replication_arn" {
  description = "ARN of the replicated automated backups in the secondary Region (restore source for point-in-time recovery there); null when backup_replication is false."
  value       = one(aws_db_instance_automated_backups_replication.this[*].id)
}

output "restore_command" {
  description = "AWS CLI command that restores the replicated backups to the latest restorable time as a new instance `<name>-restored` in the secondary Region (add --db-subnet-group-name, --vpc-security-group-ids and --multi-az as needed); null when backup_replication is false."
  value = var.backup_replication ? format(
    "aws rds restore-db-instance-to-point-in-time --region %s --source-db-instance-automated-backups-arn %s --target-db-instance-identifier %s-restored --use-latest-restorable-time%s",
    var.secondary_region,
    one(aws_db_instance_automated_backups_replication.this[*].id),
    var.name,
    var.expect_encrypted ? format(" --kms-key-id %s", one(aws_kms_key.secondary[*].arn)) : "",
  ) : null
}

################################################################################
# Encryption, monitoring, alerting
################################################################################

output "secondary_kms_key_arn" {
  description = "ARN of the customer managed KMS key in the secondary Region (replica storage, Performance Insights, replicated backups); null when no key is needed."
  value       = one(aws_kms_key.secondary[*].arn)
}

output "secondary_kms_key_alias" {
  description = "Alias of the secondary-Region KMS key; null when no key is needed."
  value       = one(aws_kms_alias.secondary[*].name)
}

output "monitoring_role_arn" {
  description = "ARN of the Enhanced Monitoring IAM role of the replica; null when read_replica is false."
  value       = one(aws_iam_role.monitoring[*].arn)
}

output "replica_lag_alarm_arn" {
  description = "ARN of the ReplicaLag CloudWatch alarm in the secondary Region; null when read_replica is false."
  value       = one(aws_cloudwatch_metric_alarm.replica_lag[*].arn)
}

output "alarm_arns" {
  description = "ARNs of every CloudWatch alarm this module created (empty when read_replica is false)."
  value       = aws_cloudwatch_metric_alarm.replica_lag[*].arn
}

output "event_subscription_arns" {
  description = "ARNs of the RDS event subscriptions: primary (source instance) and secondary (replica; null when read_replica is false)."
  value = {
    primary   = aws_db_event_subscription.source.arn
    secondary = one(aws_db_event_subscription.replica[*].arn)
  }
}

################################################################################
# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the mechanisms lifeboat chose)
################################################################################

output "replica" {
  description = "The cross-Region read replica as configured: identifier, Region, source ARN, encryption and KMS key; null when read_replica is false."
  value = one([
    for r in aws_db_instance.replica : {
      identifier          = r.identifier
      region              = r.region
      replicate_source_db = r.replicate_source_db
      storage_encrypted   = r.storage_encrypted
      kms_key_id          = r.kms_key_id
      multi_az            = r.multi_az
    }
  ])
}

output "backup_replication" {
  description = "The automated backup replication as configured: Region, retention, source ARN and KMS key; null when backup_replication is false."
  value = one([
    for b in aws_db_instance_automated_backups_replication.this : {
      region                 = b.region
      retention_period       = b.retention_period
      source_db_instance_arn = b.source_db_instance_arn
      kms_key_id             = b.kms_key_id
    }
  ])
}

output "replica_lag_alarm" {
  description = "The ReplicaLag alarm as configured: Region and threshold in seconds; null when read_replica is false."
  value = one([
    for a in aws_cloudwatch_metric_alarm.replica_lag : {
      region    = a.region
      threshold = a.threshold
    }
  ])
}

output "secondary_kms_key_region" {
  description = "Region of the module's KMS key (the secondary Region); null when no key is needed."
  value       = one(aws_kms_key.secondary[*].region)
}
