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
