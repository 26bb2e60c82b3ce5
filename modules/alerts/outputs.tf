output "topic_arns" {
  description = "ARN of the alert topic per Region (map region => ARN). Alarms and EventBridge rules must use the topic of their own Region."
  value       = { for region, topic in aws_sns_topic.this : region => topic.arn }
}

output "kms_key_arns" {
  description = "ARN of the customer managed key that encrypts the alert topic, per Region (map region => ARN)."
  value       = { for region, key in aws_kms_key.this : region => key.arn }
}

output "backup_event_rule_arns" {
  description = "ARN of each AWS Backup failure rule, keyed `<region>/<kind>` (kinds: backup-job-failed, copy-job-failed, restore-job-failed)."
  value       = { for key, rule in aws_cloudwatch_event_rule.backup : key => rule.arn }
}

output "kms_event_rule_arns" {
  description = "ARN of the rule that alerts on KMS keys scheduled for deletion or disabled, per Region (map region => ARN)."
  value       = { for region, rule in aws_cloudwatch_event_rule.kms : region => rule.arn }
}
