# The secondary Region after a failover. What recovery creates there (a promoted read replica, a
# database or bucket restored from a cross-Region copy, a failed-over Aurora cluster, DynamoDB replica
# or EFS replica) is the new primary copy of the data, and nothing backs it up unless a plan selects
# it. With `secondary_plans`, every plan gets a twin in the secondary Region, with the same rules and
# no copies (the primary Region is the one that was lost), writing to the plan's secondary vault. It selects
# the resources tagged `lifeboat:dr-backup-plan = <plan key>`, the tag the runbook's failover steps put
# on what they create, and restore testing in the secondary Region tests its recovery points.

locals {
  dr_tag_key = "lifeboat:dr-backup-plan"

  secondary_plans = var.secondary_plans ? var.plans : {}

  secondary_restore_testing_plans = var.secondary_plans ? local.restore_testing_plans : {}

  # One selection per resource type the primary plan protects: what recovery can create from it.
  secondary_restore_testing_selections = {
    for k, s in local.restore_testing_selections : k => s if var.secondary_plans
  }
}

resource "aws_backup_plan" "secondary" {
  for_each = local.secondary_plans

  region = var.secondary_region
  name   = local.plan_names[each.key]

  dynamic "rule" {
    for_each = each.value.rules

    content {
      rule_name                = rule.value.name
      target_vault_name        = aws_backup_vault.this[local.plan_vaults[each.key].secondary].name
      schedule                 = rule.value.schedule
      start_window             = rule.value.start_window_minutes
      completion_window        = rule.value.completion_window_minutes
      enable_continuous_backup = rule.value.continuous

      recovery_point_tags = merge(var.tags, {
        "lifeboat:backup-plan" = local.plan_names[each.key]
        "lifeboat:backup-rule" = rule.value.name
        "lifeboat:region"      = "secondary"
      })

      lifecycle {
        delete_after       = rule.value.delete_after_days
        cold_storage_after = rule.value.cold_storage_after_days
      }
    }
  }

  tags = var.tags

  # The secondary lock must be in place before the first job writes to the vault.
  depends_on = [aws_backup_vault_lock_configuration.this]
}

# Selected by tag, not by ARN: the resources do not exist until a failover creates them.
resource "aws_backup_selection" "secondary" {
  for_each = local.secondary_plans

  region       = var.secondary_region
  name         = local.plan_names[each.key]
  plan_id      = aws_backup_plan.secondary[each.key].id
  iam_role_arn = aws_iam_role.backup.arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = local.dr_tag_key
    value = each.key
  }

  depends_on = [aws_iam_role_policy_attachment.backup]
}

resource "aws_backup_restore_testing_plan" "secondary" {
  for_each = local.secondary_restore_testing_plans

  region              = var.secondary_region
  name                = each.value.name
  schedule_expression = each.value.schedule

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.this[local.plan_vaults[each.key].secondary].arn]
    recovery_point_types  = each.value.recovery_point_types
    selection_window_days = each.value.selection_window_days
  }

  tags = var.tags
}

resource "aws_backup_restore_testing_selection" "secondary" {
  for_each = local.secondary_restore_testing_selections

  region                    = var.secondary_region
  name                      = each.value.name
  restore_testing_plan_name = aws_backup_restore_testing_plan.secondary[each.value.plan_key].name
  protected_resource_type   = each.value.type
  protected_resource_arns   = ["*"]
  iam_role_arn              = aws_iam_role.backup.arn
  validation_window_hours   = local.restore_testing_plans[each.value.plan_key].validation_window_hours

  protected_resource_conditions {
    string_equals {
      key   = "aws:ResourceTag/${local.dr_tag_key}"
      value = each.value.plan_key
    }
  }

  depends_on = [aws_iam_role_policy_attachment.backup]
}
