output "source_arn" {
  description = "ARN of the existing source file system in the primary Region."
  value       = local.source_arn
}

# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the mechanisms lifeboat chose).

output "replication" {
  description = "The replication configuration as configured: source file system ID, destination Region, destination (replica) file system ID and its KMS key; null when replication is false."
  value = one([
    for r in aws_efs_replication_configuration.this : {
      source_file_system_id      = r.source_file_system_id
      destination_region         = r.destination[0].region
      destination_file_system_id = r.destination[0].file_system_id
      destination_kms_key_id     = r.destination[0].kms_key_id
    }
  ])
}

output "sync_alarm" {
  description = "The TimeSinceLastSync alarm as configured: Region (the source Region) and threshold in the metric's unit (seconds); null when replication is false."
  value = one([
    for a in aws_cloudwatch_metric_alarm.time_since_last_sync : {
      region    = a.region
      threshold = a.threshold
    }
  ])
}

output "secondary_kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the replica file system in the secondary Region; null when replication is false."
  value       = one(aws_kms_key.secondary[*].arn)
}

output "secondary_kms_key_region" {
  description = "Region of the replica's KMS key (the secondary Region); null when replication is false."
  value       = one(aws_kms_key.secondary[*].region)
}

output "source_changes_rule_arn" {
  description = "ARN of the EventBridge rule (primary Region) that reports API calls deleting the file system or its replication configuration, or changing its protection."
  value       = aws_cloudwatch_event_rule.source_changes.arn
}
