output "source_arn" {
  description = "ARN of the existing source table in the primary Region (the global table's ARN once it has a replica)."
  value       = local.source_arn
}

# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the mechanisms lifeboat chose).

output "replica" {
  description = "The global table replica as configured: Region, global table ARN it replicates, KMS key, point-in-time recovery and deletion protection; null when global_table is false."
  value = one([
    for r in aws_dynamodb_table_replica.this : {
      region                      = r.region
      global_table_arn            = r.global_table_arn
      kms_key_arn                 = r.kms_key_arn
      point_in_time_recovery      = r.point_in_time_recovery
      deletion_protection_enabled = r.deletion_protection_enabled
    }
  ])
}

output "replication_latency_alarm" {
  description = "The ReplicationLatency alarm as configured: Region (the sending, primary Region), threshold in the metric's unit (milliseconds) and the ReceivingRegion dimension; null when global_table is false."
  value = one([
    for a in aws_cloudwatch_metric_alarm.replication_latency : {
      region           = a.region
      threshold        = a.threshold
      receiving_region = a.dimensions["ReceivingRegion"]
    }
  ])
}

output "secondary_kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the replica in the secondary Region; null when global_table is false."
  value       = one(aws_kms_key.secondary[*].arn)
}

output "secondary_kms_key_region" {
  description = "Region of the replica's KMS key (the secondary Region); null when global_table is false."
  value       = one(aws_kms_key.secondary[*].region)
}

output "source_changes_rule_arn" {
  description = "ARN of the EventBridge rule (primary Region) that reports API calls deleting the table or changing its PITR, streams, replicas or deletion protection."
  value       = aws_cloudwatch_event_rule.source_changes.arn
}

output "replica_status_command" {
  description = "AWS CLI command, run against the secondary Region, that shows whether the replica is ACTIVE and writable before clients are switched to it (a failover promotes nothing); null when global_table is false."
  value       = var.global_table ? format("aws dynamodb describe-table --region %s --table-name %s --query 'Table.{Status:TableStatus,Replicas:Replicas[].{Region:RegionName,Status:ReplicaStatus}}'", var.secondary_region, var.table_name) : null
}

output "point_in_time_recovery" {
  description = "Point-in-time recovery of the source table: whether this configuration requires it (expect_pitr, checked at plan time) and over which window, and what the table has."
  value = {
    required           = var.expect_pitr
    window_days        = var.pitr_recovery_period_days
    source_enabled     = local.source_pitr_enabled
    source_window_days = local.source_pitr_days
  }
}
