# terraform test suite of the backup-audit module (offline, against a mocked AWS provider):
# `tf-validate test modules/backup-audit`. The positive run checks the framework's controls, the
# scopes' resource ids, the report plans and the bucket; every negative run trips exactly one
# validation or precondition.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/lifeboat-test"
      user_id    = "AIDALIFEBOATTESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_backup_framework" {
    defaults = {
      arn = "arn:aws:backup:us-east-1:123456789012:framework:shop_lifeboat-11111111-1111-4111-8111-111111111111"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-4111-8111-111111111111"
      key_id = "11111111-1111-4111-8111-111111111111"
    }
  }
}

override_data {
  target = data.aws_db_instance.audited["orders-db"]
  values = {
    resource_id = "db-ORDERSDBRESOURCEID0000001"
  }
}

override_data {
  target = data.aws_rds_cluster.audited["ledger"]
  values = {
    cluster_resource_id = "cluster-LEDGERRESOURCEID00001"
  }
}

override_resource {
  target = aws_s3_bucket.reports
  values = {
    id  = "shop-backup-reports-123456789012"
    arn = "arn:aws:s3:::shop-backup-reports-123456789012"
  }
}

variables {
  region         = "us-east-1"
  framework_name = "shop_lifeboat"

  plans = {
    "critical-pitr-1h-copy" = {
      name                          = "shop-critical-pitr-1h-copy"
      frequency_unit                = "hours"
      frequency_value               = 1
      retention_days                = 35
      recovery_point_retention_days = 35
    }
    "important-24h" = {
      name                          = "shop-important-24h"
      frequency_unit                = "hours"
      frequency_value               = 24
      retention_days                = 30
      recovery_point_retention_days = 30
    }
  }

  plan_ids = {
    "critical-pitr-1h-copy" = "11111111-aaaa-4bbb-8ccc-000000000001"
    "important-24h"         = "11111111-aaaa-4bbb-8ccc-000000000002"
  }

  resource_controls = [
    {
      name          = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"
      resource_type = "RDS"
      resources     = ["orders-db"]
      parameters    = {}
    },
    {
      name          = "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"
      resource_type = "Aurora"
      resources     = ["ledger"]
      parameters    = { crossRegionList = "us-west-2" }
    },
    {
      name          = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"
      resource_type = "S3"
      resources     = ["shop-media", "shop-uploads"]
      parameters    = { minRetentionDays = "7", maxRetentionDays = "36500" }
    },
    {
      name          = "BACKUP_LAST_RECOVERY_POINT_CREATED"
      resource_type = "DynamoDB"
      resources     = ["carts"]
      parameters    = { recoveryPointAgeUnit = "hours", recoveryPointAgeValue = "24" }
    },
    {
      name          = "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET"
      resource_type = "EFS"
      resources     = ["fs-0123456789abcdef0"]
      parameters    = { maxRestoreTime = "480" }
    },
  ]

  report_bucket_prefix = "shop-backup-reports"
  report_plan_names = {
    backup_jobs        = "shop_backup_jobs"
    restore_jobs       = "shop_restore_jobs"
    control_compliance = "shop_control_compliance"
  }
}

run "builds_the_framework_and_reports" {
  command = apply

  assert {
    condition     = length(output.controls) == 9
    error_message = "Two controls per plan and one per resource control."
  }

  assert {
    condition = anytrue([
      for c in output.controls :
      c.name == "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK" &&
      c.parameters == { requiredFrequencyUnit = "hours", requiredFrequencyValue = "1", requiredRetentionDays = "35" } &&
      c.ids == tolist(["11111111-aaaa-4bbb-8ccc-000000000001"]) && c.types == tolist(["AWS::Backup::BackupPlan"])
    ])
    error_message = "The hourly plan's frequency and retention control is scoped to that plan's id."
  }

  assert {
    condition = anytrue([
      for c in output.controls :
      c.name == "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK" &&
      c.parameters == { requiredRetentionDays = "30" } &&
      c.tags == tomap({ "lifeboat:backup-plan" = "shop-important-24h" })
    ])
    error_message = "The recovery point retention control of a plan is scoped to the recovery points tagged with the plan's name."
  }

  assert {
    condition = anytrue([
      for c in output.controls :
      c.name == "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" && c.types == tolist(["RDS"]) && c.ids == tolist(["db-ORDERSDBRESOURCEID0000001"])
    ])
    error_message = "An RDS instance is scoped by its resource id (db-...), looked up from its identifier."
  }

  assert {
    condition = anytrue([
      for c in output.controls :
      c.name == "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION" && c.types == tolist(["Aurora"]) &&
      c.ids == tolist(["cluster-LEDGERRESOURCEID00001"]) && c.parameters == { crossRegionList = "us-west-2" }
    ])
    error_message = "An Aurora cluster is scoped by its cluster resource id; the copy Region is the parameter."
  }

  assert {
    condition = anytrue([
      for c in output.controls :
      c.name == "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET" && c.types == tolist(["EFS"]) &&
      c.ids == tolist(["fs-0123456789abcdef0"]) && c.parameters == { maxRestoreTime = "480" }
    ])
    error_message = "The restore-time target is passed through in minutes, scoped to the file system."
  }

  assert {
    condition = (
      output.report_plans.backup_jobs.template == "BACKUP_JOB_REPORT" &&
      output.report_plans.restore_jobs.template == "RESTORE_JOB_REPORT" &&
      output.report_plans.control_compliance.template == "CONTROL_COMPLIANCE_REPORT" &&
      alltrue([for r in values(output.report_plans) : r.bucket == "shop-backup-reports-123456789012" && r.formats == tolist(["CSV", "JSON"])])
    )
    error_message = "Three report plans deliver CSV and JSON to the module's bucket."
  }

  assert {
    condition     = one(aws_backup_report_plan.this["control_compliance"].report_setting[*].framework_arns) == toset([aws_backup_framework.this.arn])
    error_message = "The control compliance report covers the framework."
  }

  assert {
    condition     = aws_s3_bucket.reports.bucket == "shop-backup-reports-123456789012"
    error_message = "The report bucket is named after the prefix and the account."
  }

  assert {
    condition     = one(flatten([for r in aws_s3_bucket_server_side_encryption_configuration.reports.rule : [for d in r.apply_server_side_encryption_by_default : d.kms_master_key_id]])) == aws_kms_key.reports.arn
    error_message = "The reports are encrypted with the module's key."
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.reports.block_public_policy && aws_s3_bucket_public_access_block.reports.restrict_public_buckets
    error_message = "The report bucket is never public."
  }

  assert {
    condition     = aws_backup_framework.this.region == "us-east-1" && alltrue([for r in values(aws_backup_report_plan.this) : r.region == "us-east-1"])
    error_message = "The framework and the report plans are in the Region of the backup plans."
  }
}

run "refuses_more_than_50_controls" {
  command = plan

  variables {
    plans = { for i in range(26) : "p${i}" => {
      name                          = "shop-p${i}"
      frequency_unit                = "hours"
      frequency_value               = 24
      retention_days                = 30
      recovery_point_retention_days = 30
    } }
    plan_ids          = { for i in range(26) : "p${i}" => "id-${i}" }
    resource_controls = []
  }

  expect_failures = [aws_backup_framework.this]
}

run "refuses_a_plan_without_its_id" {
  command = plan

  variables {
    plan_ids = { "important-24h" = "11111111-aaaa-4bbb-8ccc-000000000002" }
  }

  expect_failures = [aws_backup_framework.this]
}

run "refuses_hourly_frequencies_above_24" {
  command = plan

  variables {
    plans = {
      "slow" = {
        name                          = "shop-slow"
        frequency_unit                = "hours"
        frequency_value               = 48
        retention_days                = 30
        recovery_point_retention_days = 30
      }
    }
    plan_ids = { "slow" = "id" }
  }

  expect_failures = [var.plans]
}

run "refuses_an_unknown_control" {
  command = plan

  variables {
    resource_controls = [{
      name          = "BACKUP_RECOVERY_POINT_ENCRYPTED"
      resource_type = "RDS"
      resources     = ["orders-db"]
      parameters    = {}
    }]
  }

  expect_failures = [var.resource_controls]
}

run "refuses_a_vault_lock_range_upside_down" {
  command = plan

  variables {
    resource_controls = [{
      name          = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"
      resource_type = "S3"
      resources     = ["shop-media"]
      parameters    = { minRetentionDays = "40", maxRetentionDays = "35" }
    }]
  }

  expect_failures = [var.resource_controls]
}

run "refuses_a_recovery_point_age_above_744_hours" {
  command = plan

  variables {
    resource_controls = [{
      name          = "BACKUP_LAST_RECOVERY_POINT_CREATED"
      resource_type = "S3"
      resources     = ["shop-media"]
      parameters    = { recoveryPointAgeUnit = "hours", recoveryPointAgeValue = "745" }
    }]
  }

  expect_failures = [var.resource_controls]
}

run "refuses_more_than_100_resources_in_a_scope" {
  command = plan

  variables {
    resource_controls = [{
      name          = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"
      resource_type = "S3"
      resources     = [for i in range(101) : "shop-bucket-${i}"]
      parameters    = {}
    }]
  }

  expect_failures = [var.resource_controls]
}

run "refuses_a_framework_name_with_hyphens" {
  command = plan

  variables {
    framework_name = "shop-lifeboat"
  }

  expect_failures = [var.framework_name]
}
