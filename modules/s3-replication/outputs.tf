output "destination_bucket_name" {
  description = "Name of the replica bucket in the secondary Region."
  value       = aws_s3_bucket.destination.id
}

output "destination_bucket_arn" {
  description = "ARN of the replica bucket in the secondary Region."
  value       = aws_s3_bucket.destination.arn
}

output "destination_bucket_region" {
  description = "Region of the replica bucket (the secondary Region)."
  value       = var.secondary_region
}

output "destination_kms_key_arn" {
  description = "ARN of the customer managed KMS key (secondary Region) that encrypts replicas of SSE-KMS objects and is the replica bucket's default key. Readers of the replica during a failover need kms:Decrypt on it."
  value       = aws_kms_key.destination.arn
}

output "destination_kms_key_alias" {
  description = "Alias name of the replica bucket's KMS key."
  value       = aws_kms_alias.destination.name
}

output "replication_role_arn" {
  description = "ARN of the IAM role that Amazon S3 assumes to replicate the source bucket."
  value       = aws_iam_role.replication.arn
}

output "replication_rule_id" {
  description = "ID of the replication rule; the RuleId dimension of the AWS/S3 replication metrics."
  value       = local.rule_id
}

output "operations_failed_alarm_arn" {
  description = "ARN of the OperationsFailedReplication alarm (primary Region)."
  value       = aws_cloudwatch_metric_alarm.operations_failed.arn
}

output "replication_latency_alarm_arn" {
  description = "ARN of the ReplicationLatency alarm (secondary Region), or null when replication_time_control is false."
  value       = one(aws_cloudwatch_metric_alarm.replication_latency[*].arn)
}

output "alarm_arns" {
  description = "ARNs of all CloudWatch alarms created by the module."
  value       = concat([aws_cloudwatch_metric_alarm.operations_failed.arn], aws_cloudwatch_metric_alarm.replication_latency[*].arn)
}

# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the mechanisms lifeboat chose).

output "destination_bucket" {
  description = "The replica bucket as configured: name and Region."
  value = {
    name   = aws_s3_bucket.destination.bucket
    region = aws_s3_bucket.destination.region
  }
}

output "replication_rule" {
  description = "The replication rule as configured: id, status, destination bucket ARN and KMS key, Replication Time Control minutes (null without RTC), metrics status and event threshold minutes (null without RTC), delete-marker replication status."
  value = one([
    for rule in aws_s3_bucket_replication_configuration.source.rule : {
      id                        = rule.id
      status                    = rule.status
      destination_bucket_arn    = rule.destination[0].bucket
      replica_kms_key_id        = rule.destination[0].encryption_configuration[0].replica_kms_key_id
      replication_time_minutes  = one([for t in rule.destination[0].replication_time : t.time[0].minutes if t.status == "Enabled"])
      metrics_status            = one(rule.destination[0].metrics[*].status)
      event_threshold_minutes   = one(flatten([for m in rule.destination[0].metrics : [for e in m.event_threshold : e.minutes]]))
      delete_marker_replication = one(rule.delete_marker_replication[*].status)
    }
  ])
}

output "replication_latency_alarm" {
  description = "The ReplicationLatency alarm as configured: Region and threshold in seconds; null when replication_time_control is false."
  value = one([
    for a in aws_cloudwatch_metric_alarm.replication_latency : {
      region    = a.region
      threshold = a.threshold
    }
  ])
}

output "batch_replication_role_arn" {
  description = "ARN of the IAM role for the one-time S3 Batch Replication job that copies the objects that existed before replication was set up."
  value       = aws_iam_role.batch.arn
}
