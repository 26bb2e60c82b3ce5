output "primary_vault_arn" {
  description = "ARN of the backup vault in the primary Region."
  value       = aws_backup_vault.this["primary"].arn
}

output "primary_vault_name" {
  description = "Name of the backup vault in the primary Region."
  value       = aws_backup_vault.this["primary"].name
}

output "secondary_vault_arn" {
  description = "ARN of the backup vault in the secondary Region (destination of the cross-Region copies)."
  value       = aws_backup_vault.this["secondary"].arn
}

output "secondary_vault_name" {
  description = "Name of the backup vault in the secondary Region."
  value       = aws_backup_vault.this["secondary"].name
}

output "primary_kms_key_arn" {
  description = "ARN of the customer managed KMS key encrypting the primary vault."
  value       = aws_kms_key.this["primary"].arn
}

output "secondary_kms_key_arn" {
  description = "ARN of the customer managed KMS key encrypting the secondary vault."
  value       = aws_kms_key.this["secondary"].arn
}

output "plan_ids" {
  description = "Backup plan ids keyed by plan key."
  value       = { for k, plan in aws_backup_plan.this : k => plan.id }
}

output "plan_arns" {
  description = "Backup plan ARNs keyed by plan key."
  value       = { for k, plan in aws_backup_plan.this : k => plan.arn }
}

output "role_arn" {
  description = "ARN of the IAM role AWS Backup assumes for backup, copy, restore and restore-testing jobs."
  value       = aws_iam_role.backup.arn
}

output "restore_testing_plan_names" {
  description = "Restore testing plan names keyed by plan key (only plans whose restore_testing is not null)."
  value       = { for k, plan in aws_backup_restore_testing_plan.this : k => plan.name }
}
