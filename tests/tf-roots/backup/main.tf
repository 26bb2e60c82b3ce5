# Test root for modules/backup: the two shapes lifeboat emits.
#   webshop - governance lock, two plans: continuous + cross-Region copy + restore testing on RDS and S3,
#             and a daily snapshot plan with cold storage, no copy, no restore testing, RDS only.
#   ledger  - compliance lock (immutable after 3 days), S3 only, copies and restore testing.
# The alert topics are created by modules/alerts in a real root; here their ARNs are built from the
# account and partition of the caller.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  sns_arn_prefix = "arn:${data.aws_partition.current.partition}:sns"
  account_id     = data.aws_caller_identity.current.account_id

  tags = {
    ManagedBy = "lifeboat"
    Project   = "lifeboat-backup-test"
  }
}

module "backup_webshop" {
  source = "../../../modules/backup"

  name                = "webshop"
  primary_region      = "us-east-1"
  secondary_region    = "us-west-2"
  lock_mode           = "governance"
  changeable_for_days = null
  primary_lock        = { min_retention_days = 7, max_retention_days = 400 }
  secondary_lock      = { min_retention_days = 7, max_retention_days = 35 }

  alert_topic_arns = {
    primary   = "${local.sns_arn_prefix}:us-east-1:${local.account_id}:webshop-dr-alerts"
    secondary = "${local.sns_arn_prefix}:us-west-2:${local.account_id}:webshop-dr-alerts"
  }

  plans = {
    "mission-critical" = {
      rules = [
        {
          name                      = "continuous"
          schedule                  = "cron(0 * ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 120
          delete_after_days         = 35
          cold_storage_after_days   = null
          continuous                = true
          copy_delete_after_days    = 35
        }
      ]
      rds_instances = ["orders-prod"]
      s3_buckets    = ["webshop-media"]
      restore_testing = {
        schedule                = "cron(0 5 ? * MON *)"
        selection_window_days   = 7
        validation_window_hours = 4
      }
    }
    "daily" = {
      rules = [
        {
          name                      = "daily-snapshot"
          schedule                  = "cron(0 3 ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 480
          delete_after_days         = 365
          cold_storage_after_days   = 30
          continuous                = false
          copy_delete_after_days    = null
        }
      ]
      rds_instances   = ["catalog-prod", "accounts-prod"]
      s3_buckets      = []
      restore_testing = null
    }
  }

  tags = local.tags
}

module "backup_ledger" {
  source = "../../../modules/backup"

  name                = "ledger"
  primary_region      = "eu-west-1"
  secondary_region    = "eu-central-1"
  lock_mode           = "compliance"
  changeable_for_days = 3
  primary_lock        = { min_retention_days = 7, max_retention_days = 35 }
  secondary_lock      = { min_retention_days = 30, max_retention_days = 365 }

  alert_topic_arns = {
    primary   = "${local.sns_arn_prefix}:eu-west-1:${local.account_id}:ledger-dr-alerts"
    secondary = "${local.sns_arn_prefix}:eu-central-1:${local.account_id}:ledger-dr-alerts"
  }

  plans = {
    "records" = {
      rules = [
        {
          name                      = "continuous"
          schedule                  = "cron(0 */6 ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 180
          delete_after_days         = 14
          cold_storage_after_days   = null
          continuous                = true
          copy_delete_after_days    = null
        },
        {
          name                      = "daily-copy"
          schedule                  = "cron(30 2 ? * * *)"
          start_window_minutes      = 120
          completion_window_minutes = 720
          delete_after_days         = 30
          cold_storage_after_days   = null
          continuous                = false
          copy_delete_after_days    = 90
        }
      ]
      rds_instances = []
      s3_buckets    = ["ledger-statements", "ledger-audit-exports"]
      restore_testing = {
        schedule                = "cron(0 6 ? * SUN *)"
        selection_window_days   = 3
        validation_window_hours = 0
      }
    }
  }

  tags = local.tags
}

output "webshop_primary_vault_arn" {
  description = "Primary vault of the webshop call."
  value       = module.backup_webshop.primary_vault_arn
}

output "webshop_restore_testing_plan_names" {
  description = "Restore testing plans of the webshop call."
  value       = module.backup_webshop.restore_testing_plan_names
}

output "ledger_plan_ids" {
  description = "Backup plan ids of the ledger call."
  value       = module.backup_ledger.plan_ids
}

output "ledger_secondary_vault_arn" {
  description = "Secondary vault of the ledger call."
  value       = module.backup_ledger.secondary_vault_arn
}
