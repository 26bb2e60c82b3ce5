# Restore testing: on schedule, AWS Backup restores the latest recovery point (within the selection
# window) of each protected resource from its plan's primary vault, keeps the restored copy for the validation
# window, deletes it, and records how long the restore took. That duration is lifeboat's measured RTO
# for a backup-and-restore recovery.

locals {
  restore_testing_plans = {
    for k, p in var.plans : k => {
      # Restore testing plan names allow only letters, digits and underscores (max 50). var.name and the
      # plan keys are [a-z0-9-], so replacing "-" with "_" is safe and cannot make two names collide.
      name                    = replace("${var.name}_${k}", "-", "_")
      schedule                = p.restore_testing.schedule
      selection_window_days   = p.restore_testing.selection_window_days
      validation_window_hours = p.restore_testing.validation_window_hours
      # Continuous recovery points are restored to a point in time; include them when the plan has any.
      vault                = local.plan_vaults[k].primary
      recovery_point_types = concat(anytrue([for r in p.rules : r.continuous]) ? ["CONTINUOUS"] : [], ["SNAPSHOT"])
    } if p.restore_testing != null
  }

  # One selection per protected resource type and plan ("each protected resource type can have one single
  # value" per restore testing plan), listing the resources by ARN (at most 30 per selection). The types
  # are the ProtectedResourceType values of the AWS Backup API: RDS, S3, Aurora, DynamoDB, EFS.
  restore_testing_selections = merge(
    {
      for k, p in var.plans : "${k}-rds" => {
        plan_key = k
        name     = "rds_instances"
        type     = "RDS"
        arns     = local.rds_arns[k]
      } if p.restore_testing != null && length(p.rds_instances) > 0
    },
    {
      for k, p in var.plans : "${k}-s3" => {
        plan_key = k
        name     = "s3_buckets"
        type     = "S3"
        arns     = local.s3_arns[k]
      } if p.restore_testing != null && length(p.s3_buckets) > 0
    },
    {
      for k, p in var.plans : "${k}-aurora" => {
        plan_key = k
        name     = "aurora_clusters"
        type     = "Aurora"
        arns     = local.aurora_arns[k]
      } if p.restore_testing != null && length(p.aurora_clusters) > 0
    },
    {
      for k, p in var.plans : "${k}-dynamodb" => {
        plan_key = k
        name     = "dynamodb_tables"
        type     = "DynamoDB"
        arns     = local.dynamodb_arns[k]
      } if p.restore_testing != null && length(p.dynamodb_tables) > 0
    },
    {
      for k, p in var.plans : "${k}-efs" => {
        plan_key = k
        name     = "efs_file_systems"
        type     = "EFS"
        arns     = local.efs_arns[k]
      } if p.restore_testing != null && length(p.efs_file_systems) > 0
    },
  )
}

resource "aws_backup_restore_testing_plan" "this" {
  for_each = local.restore_testing_plans

  region              = var.primary_region
  name                = each.value.name
  schedule_expression = each.value.schedule

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.this[each.value.vault].arn]
    recovery_point_types  = each.value.recovery_point_types
    selection_window_days = each.value.selection_window_days
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = can(regex("^[A-Za-z0-9_]{1,50}$", each.value.name))
      error_message = "The restore testing plan name \"${each.value.name}\" must be 1-50 letters, digits or underscores; shorten var.name or the plan key."
    }
  }
}

resource "aws_backup_restore_testing_selection" "this" {
  for_each = local.restore_testing_selections

  region                    = var.primary_region
  name                      = each.value.name
  restore_testing_plan_name = aws_backup_restore_testing_plan.this[each.value.plan_key].name
  protected_resource_type   = each.value.type
  protected_resource_arns   = each.value.arns
  iam_role_arn              = aws_iam_role.backup.arn
  validation_window_hours   = local.restore_testing_plans[each.value.plan_key].validation_window_hours

  depends_on = [aws_iam_role_policy_attachment.backup]
}
