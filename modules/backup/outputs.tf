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

output "immutable_vault_arns" {
  description = "ARNs of the compliance-mode vaults for the plans with immutable = true ({ primary, secondary }), or null without immutable_vaults."
  value = var.immutable_vaults == null ? null : {
    primary   = aws_backup_vault.this["immutable-primary"].arn
    secondary = aws_backup_vault.this["immutable-secondary"].arn
  }
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

# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the backup design lifeboat chose).

output "plans" {
  description = "Each backup plan as configured, keyed by plan key: its name, its rules (name, schedule, start and completion windows, continuous or not, retention, and the copies: destination vault ARN and retention), and the ARNs its selection protects (RDS instances, S3 buckets, Aurora clusters, DynamoDB tables, EFS file systems, in that order)."
  value = {
    for k, plan in aws_backup_plan.this : k => {
      name = plan.name
      rules = [
        for r in plan.rule : {
          name              = r.rule_name
          target_vault      = r.target_vault_name
          schedule          = r.schedule
          start_window      = r.start_window
          completion_window = r.completion_window
          continuous        = r.enable_continuous_backup
          delete_after      = one(r.lifecycle[*].delete_after)
          copies = [
            for c in r.copy_action : {
              destination_vault_arn = c.destination_vault_arn
              delete_after          = one(c.lifecycle[*].delete_after)
            }
          ]
        }
      ]
      resources = try(aws_backup_selection.this[k].resources, [])
    }
  }
}

output "vault_locks" {
  description = "The Vault Lock of each vault as configured (keys primary and secondary, and immutable-primary and immutable-secondary with immutable_vaults): minimum and maximum retention in days, and the grace period (null: governance mode)."
  value = {
    for v, lock in aws_backup_vault_lock_configuration.this : v => {
      min_retention_days  = lock.min_retention_days
      max_retention_days  = lock.max_retention_days
      changeable_for_days = lock.changeable_for_days
    }
  }
}

output "secondary_plans" {
  description = "The secondary Region's plans (secondary_plans = true), keyed by plan key: name, Region, the vault each rule writes to, the rules' names and schedules, and the tag the selection selects by."
  value = {
    for k, plan in aws_backup_plan.secondary : k => {
      name   = plan.name
      region = plan.region
      rules = [
        for r in plan.rule : {
          name         = r.rule_name
          schedule     = r.schedule
          target_vault = r.target_vault_name
          copies       = length(r.copy_action)
        }
      ]
      selection_tag = [for t in aws_backup_selection.secondary[k].selection_tag : { key = t.key, value = t.value }]
    }
  }
}

output "secondary_restore_testing_plan_names" {
  description = "Restore testing plan names in the secondary Region keyed by plan key (secondary_plans = true)."
  value       = { for k, plan in aws_backup_restore_testing_plan.secondary : k => plan.name }
}
