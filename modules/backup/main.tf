# AWS Backup for disaster recovery: one KMS-encrypted, Vault-Locked vault in each Region (and, for the plans
# that ask for immutability, a second pair locked in compliance mode), backup plans in the primary Region
# that copy to their secondary vault, resource selections by ARN, vault notifications and restore testing. One provider configuration manages both Regions through the per-resource `region`
# argument of hashicorp/aws 6.x.

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_region" "primary" {
  region = var.primary_region
}

data "aws_region" "secondary" {
  region = var.secondary_region
}

locals {
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  account_id = data.aws_caller_identity.current.account_id

  # The vaults. "primary" / "secondary" always exist, locked in var.lock_mode; with var.immutable_vaults a
  # second pair, "immutable-primary" / "immutable-secondary", is locked in compliance mode for the plans
  # that set immutable = true. Everything regional that exists once per vault (KMS key, alias, vault,
  # lock, notifications) is created with for_each over this map.
  standard_vaults = {
    primary = {
      region              = data.aws_region.primary.region
      name                = "${var.name}-primary"
      lock                = var.primary_lock
      mode                = var.lock_mode
      changeable_for_days = var.changeable_for_days
      topic_arn           = var.alert_topic_arns.primary
    }
    secondary = {
      region              = data.aws_region.secondary.region
      name                = "${var.name}-secondary"
      lock                = var.secondary_lock
      mode                = var.lock_mode
      changeable_for_days = var.changeable_for_days
      topic_arn           = var.alert_topic_arns.secondary
    }
  }
  immutable_vaults = var.immutable_vaults == null ? {} : {
    for k, v in local.standard_vaults : "immutable-${k}" => merge(v, {
      name                = "${var.name}-immutable-${k}"
      lock                = var.immutable_vaults["${k}_lock"]
      mode                = "compliance"
      changeable_for_days = var.immutable_vaults.changeable_for_days
    })
  }
  vaults = merge(local.standard_vaults, local.immutable_vaults)

  # The vault each plan writes to in each Region (keys of local.vaults). An immutable plan without
  # var.immutable_vaults fails its precondition (aws_backup_plan.this); the fallback here only keeps the
  # other references valid so that the precondition is the error Terraform reports.
  plan_vaults = {
    for k, p in var.plans : k => (
      p.immutable && var.immutable_vaults != null
      ? { primary = "immutable-primary", secondary = "immutable-secondary" }
      : { primary = "primary", secondary = "secondary" }
    )
  }

  # Retention of every recovery point that lands in each vault: the rules' own lifecycle in a plan's
  # primary vault, the copy_action lifecycle in its secondary vault (and, with secondary_plans, the rules'
  # own lifecycle there too). Vault Lock fails jobs outside [min, max].
  vault_retention_days = {
    for v in keys(local.vaults) : v => concat(
      flatten([
        for k, p in var.plans : [for r in p.rules : r.delete_after_days] if local.plan_vaults[k].primary == v
      ]),
      flatten([
        for k, p in var.plans : [
          for r in p.rules : r.copy_delete_after_days if r.copy_delete_after_days != null
        ] if local.plan_vaults[k].secondary == v
      ]),
      var.secondary_plans ? flatten([
        for k, p in var.plans : [for r in p.rules : r.delete_after_days] if local.plan_vaults[k].secondary == v
      ]) : [],
    )
  }

  plan_names = { for k in keys(var.plans) : k => "${var.name}-${k}" }

  # ARNs of the protected resources, built from identifiers (all in the primary Region).
  rds_arns = {
    for k, p in var.plans : k => [
      for id in p.rds_instances : format("arn:%s:rds:%s:%s:db:%s", local.partition, var.primary_region, local.account_id, id)
    ]
  }
  s3_arns = {
    for k, p in var.plans : k => [
      for bucket in p.s3_buckets : format("arn:%s:s3:::%s", local.partition, bucket)
    ]
  }
  aurora_arns = {
    for k, p in var.plans : k => [
      for id in p.aurora_clusters : format("arn:%s:rds:%s:%s:cluster:%s", local.partition, var.primary_region, local.account_id, id)
    ]
  }
  dynamodb_arns = {
    for k, p in var.plans : k => [
      for table in p.dynamodb_tables : format("arn:%s:dynamodb:%s:%s:table/%s", local.partition, var.primary_region, local.account_id, table)
    ]
  }
  efs_arns = {
    for k, p in var.plans : k => [
      for fs in p.efs_file_systems : format("arn:%s:elasticfilesystem:%s:%s:file-system/%s", local.partition, var.primary_region, local.account_id, fs)
    ]
  }

  # Every ARN a plan's selection protects, RDS and S3 first (their order is unchanged).
  selection_arns = {
    for k in keys(var.plans) : k => concat(local.rds_arns[k], local.s3_arns[k], local.aurora_arns[k], local.dynamodb_arns[k], local.efs_arns[k])
  }

  # One selection per plan that protects at least one resource (keys depend only on input lengths, so
  # they are known at plan time).
  selection_plan_keys = toset([
    for k, p in var.plans : k if length(local.selection_arns[k]) > 0
  ])

  # SNS events AWS Backup sends for the vault. There is no BACKUP_JOB_FAILED event: BACKUP_JOB_COMPLETED
  # and RESTORE_JOB_COMPLETED are sent for every terminal state and carry a "State" message attribute
  # (COMPLETED, FAILED, EXPIRED, ...), so subscribers filter on it; copy failures have their own event.
  vault_events = [
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_COMPLETED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
  ]
}

################################################################################
# Vaults
################################################################################

resource "aws_backup_vault" "this" {
  for_each = local.vaults

  region        = each.value.region
  name          = each.value.name
  kms_key_arn   = aws_kms_key.this[each.key].arn
  force_destroy = false

  tags = var.tags

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = length(each.value.name) <= 50
      error_message = "The vault name \"${each.value.name}\" is longer than AWS Backup's 50 characters; shorten var.name (at most 32 characters with immutable_vaults)."
    }

    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "The primary_region and secondary_region must differ: a disaster recovery copy in the same Region does not survive a Regional outage."
    }
  }
}

# Vault Lock. The provider has no in-place update for this resource (every argument forces replacement),
# and deleting a lock removes the protection, so it is guarded by prevent_destroy like the vault itself.
resource "aws_backup_vault_lock_configuration" "this" {
  for_each = local.vaults

  region              = each.value.region
  backup_vault_name   = aws_backup_vault.this[each.key].name
  min_retention_days  = each.value.lock.min_retention_days
  max_retention_days  = each.value.lock.max_retention_days
  changeable_for_days = each.value.mode == "compliance" ? each.value.changeable_for_days : null

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = each.value.mode == "compliance" ? each.value.changeable_for_days != null : each.value.changeable_for_days == null
      error_message = "In compliance mode changeable_for_days is required (>= 3); in governance mode it must be null."
    }

    precondition {
      condition = alltrue([
        for days in local.vault_retention_days[each.key] :
        days >= each.value.lock.min_retention_days && days <= each.value.lock.max_retention_days
      ])
      error_message = "A retention period written to the ${each.key} vault lies outside its Vault Lock range [${each.value.lock.min_retention_days}, ${each.value.lock.max_retention_days}] days (a plan's primary vault: every rule's delete_after_days; its secondary vault: every copy_delete_after_days, and every delete_after_days with secondary_plans). AWS Backup would fail those jobs."
    }
  }
}

resource "aws_backup_vault_notifications" "this" {
  for_each = local.vaults

  region              = each.value.region
  backup_vault_name   = aws_backup_vault.this[each.key].name
  sns_topic_arn       = each.value.topic_arn
  backup_vault_events = local.vault_events

  lifecycle {
    precondition {
      condition     = split(":", each.value.topic_arn)[3] == each.value.region
      error_message = "The ${each.key} alert topic must be in the ${each.key} vault's Region (${each.value.region})."
    }

    precondition {
      condition     = split(":", each.value.topic_arn)[4] == local.account_id
      error_message = "The ${each.key} alert topic must be in this account: AWS Backup does not support cross-account vault notifications."
    }
  }
}

################################################################################
# Backup plans and selections (primary Region)
################################################################################

resource "aws_backup_plan" "this" {
  for_each = var.plans

  region = var.primary_region
  name   = local.plan_names[each.key]

  dynamic "rule" {
    for_each = each.value.rules

    content {
      rule_name                = rule.value.name
      target_vault_name        = aws_backup_vault.this[local.plan_vaults[each.key].primary].name
      schedule                 = rule.value.schedule
      start_window             = rule.value.start_window_minutes
      completion_window        = rule.value.completion_window_minutes
      enable_continuous_backup = rule.value.continuous

      # Recovery point tags say where a recovery point came from (useful during a restore under stress).
      recovery_point_tags = merge(var.tags, {
        "lifeboat:backup-plan" = local.plan_names[each.key]
        "lifeboat:backup-rule" = rule.value.name
      })

      lifecycle {
        delete_after       = rule.value.delete_after_days
        cold_storage_after = rule.value.cold_storage_after_days
      }

      # Cross-Region copy. A copy of a continuous backup is a snapshot (no point-in-time restore in the
      # secondary Region); it keeps its own retention in the secondary vault.
      dynamic "copy_action" {
        for_each = rule.value.copy_delete_after_days == null ? [] : [rule.value.copy_delete_after_days]

        content {
          destination_vault_arn = aws_backup_vault.this[local.plan_vaults[each.key].secondary].arn

          lifecycle {
            delete_after = copy_action.value
          }
        }
      }

      # Isolated copy (ransomware isolation): into the logically air-gapped vault in this Region, which an
      # administrator of this account cannot empty. Its retention is at least the vault's 7-day minimum.
      dynamic "copy_action" {
        for_each = try(rule.value.isolated_copy_delete_after_days, null) == null ? [] : [rule.value.isolated_copy_delete_after_days]

        content {
          destination_vault_arn = var.isolated_vault_arn

          lifecycle {
            delete_after = copy_action.value
          }
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !each.value.immutable || var.immutable_vaults != null
      error_message = "Plan \"${each.key}\" sets immutable = true, which writes to the compliance-mode vaults: set var.immutable_vaults."
    }

    precondition {
      condition     = length(local.plan_names[each.key]) <= 50
      error_message = "The backup plan name \"${local.plan_names[each.key]}\" is longer than 50 characters; shorten var.name or the plan key."
    }

    precondition {
      condition     = var.isolated_vault_arn != null || alltrue([for r in each.value.rules : try(r.isolated_copy_delete_after_days, null) == null])
      error_message = "The plan \"${each.key}\" has a rule with isolated_copy_delete_after_days but isolated_vault_arn is null: there is no vault to copy to."
    }
  }

  # The locks must be in place before the first job runs, so that retention is enforced from the start.
  depends_on = [aws_backup_vault_lock_configuration.this]
}

resource "aws_backup_selection" "this" {
  for_each = local.selection_plan_keys

  region       = var.primary_region
  name         = local.plan_names[each.key]
  plan_id      = aws_backup_plan.this[each.key].id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = local.selection_arns[each.key]

  # The role must hold its policies before AWS Backup assumes it for the first job.
  depends_on = [aws_iam_role_policy_attachment.backup]
}
