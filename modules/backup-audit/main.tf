# AWS Backup Audit Manager for lifeboat: one framework whose controls hold the deployed backups to the
# objectives lifeboat checked at compile time (backup plans' frequency and retention, recovery point
# retention, protection by a plan, by a cross-Region copy and by a locked vault, the age of the latest
# recovery point and the time a restore took), and report plans that deliver backup-job, restore-job and
# control-compliance reports to an encrypted, versioned bucket of its own.

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # Backup Audit Manager counts every control of every framework of the account against 50 per Region.
  control_count = 2 * length(var.plans) + length(var.resource_controls)

  # Resource ids as AWS Config records them: RDS instances and Aurora clusters by their resource id
  # (db-..., cluster-...), the other kinds by their name or id.
  rds_identifiers    = toset(flatten([for c in var.resource_controls : c.resources if c.resource_type == "RDS"]))
  aurora_identifiers = toset(flatten([for c in var.resource_controls : c.resources if c.resource_type == "Aurora"]))

  resource_ids = [
    for c in var.resource_controls : [
      for r in c.resources :
      c.resource_type == "RDS" ? data.aws_db_instance.audited[r].resource_id :
      c.resource_type == "Aurora" ? data.aws_rds_cluster.audited[r].cluster_resource_id :
      r
    ]
  ]
}

data "aws_db_instance" "audited" {
  for_each = local.rds_identifiers

  region                 = var.region
  db_instance_identifier = each.key
}

data "aws_rds_cluster" "audited" {
  for_each = local.aurora_identifiers

  region             = var.region
  cluster_identifier = each.key
}

################################################################################
# Framework
################################################################################

resource "aws_backup_framework" "this" {
  region      = var.region
  name        = var.framework_name
  description = "lifeboat: the recovery objectives of the inventory, checked on the deployed backups."

  # Per backup plan: the plan runs at least as often as the tier needs and keeps its recovery points for
  # the tier's retention.
  dynamic "control" {
    for_each = var.plans

    content {
      name = "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"

      input_parameter {
        name  = "requiredFrequencyUnit"
        value = control.value.frequency_unit
      }

      input_parameter {
        name  = "requiredFrequencyValue"
        value = tostring(control.value.frequency_value)
      }

      input_parameter {
        name  = "requiredRetentionDays"
        value = tostring(control.value.retention_days)
      }

      scope {
        compliance_resource_ids   = [var.plan_ids[control.key]]
        compliance_resource_types = ["AWS::Backup::BackupPlan"]
      }
    }
  }

  # Per backup plan: every recovery point it created is kept at least as long as its shortest rule says.
  dynamic "control" {
    for_each = var.plans

    content {
      name = "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"

      input_parameter {
        name  = "requiredRetentionDays"
        value = tostring(control.value.recovery_point_retention_days)
      }

      scope {
        tags = { "lifeboat:backup-plan" = control.value.name }
      }
    }
  }

  # Per resource type and requirement: the protected resources.
  dynamic "control" {
    for_each = { for i, c in var.resource_controls : format("%03d", i) => merge(c, { ids = local.resource_ids[i] }) }

    content {
      name = control.value.name

      dynamic "input_parameter" {
        for_each = control.value.parameters

        content {
          name  = input_parameter.key
          value = input_parameter.value
        }
      }

      scope {
        compliance_resource_ids   = control.value.ids
        compliance_resource_types = [control.value.resource_type]
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.control_count >= 1 && local.control_count <= 50
      error_message = "The framework would have ${local.control_count} controls; AWS Backup Audit Manager allows at most 50 controls per account and Region (all frameworks together)."
    }

    precondition {
      condition     = alltrue([for k in keys(var.plans) : contains(keys(var.plan_ids), k)])
      error_message = "Every key of plans needs its backup plan id in plan_ids (the backup module's plan_ids output)."
    }
  }
}

################################################################################
# Report plans
################################################################################

locals {
  report_plans = {
    backup_jobs = {
      name        = var.report_plan_names.backup_jobs
      template    = "BACKUP_JOB_REPORT"
      description = "lifeboat: backup jobs of the last 24 hours."
    }
    restore_jobs = {
      name        = var.report_plan_names.restore_jobs
      template    = "RESTORE_JOB_REPORT"
      description = "lifeboat: restore jobs of the last 24 hours, restore tests included (their durations are the measured restore times)."
    }
    control_compliance = {
      name        = var.report_plan_names.control_compliance
      template    = "CONTROL_COMPLIANCE_REPORT"
      description = "lifeboat: compliance of the framework's controls."
    }
  }
}

resource "aws_backup_report_plan" "this" {
  for_each = local.report_plans

  region      = var.region
  name        = each.value.name
  description = each.value.description

  report_delivery_channel {
    s3_bucket_name = aws_s3_bucket.reports.id
    s3_key_prefix  = each.key
    formats        = ["CSV", "JSON"]
  }

  report_setting {
    report_template      = each.value.template
    framework_arns       = each.value.template == "CONTROL_COMPLIANCE_REPORT" ? [aws_backup_framework.this.arn] : null
    number_of_frameworks = each.value.template == "CONTROL_COMPLIANCE_REPORT" ? 1 : null
  }

  tags = var.tags

  # The reports are written by Backup Audit Manager's service-linked role, which the bucket policy and
  # the key policy allow.
  depends_on = [aws_s3_bucket_policy.reports]
}
