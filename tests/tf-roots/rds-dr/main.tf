# Test root for modules/rds-dr: one call per supported shape, written the way lifeboat's
# emitter calls the module. Validated offline (tf-validate) and scanned by checkov; never
# applied.

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

locals {
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:111122223333:webshop-dr-alerts"
    secondary = "arn:aws:sns:us-west-2:111122223333:webshop-dr-alerts"
  }

  tags = {
    "lifeboat:project" = "webshop"
    "owner"            = "platform-team"
  }
}

# (a) Encrypted PostgreSQL, Multi-AZ: cross-Region replica of the same class plus replicated
# automated backups, both encrypted with the module's key in us-west-2.
module "rds_orders_db" {
  source = "../../../modules/rds-dr"

  name                              = "orders-db"
  primary_region                    = "us-east-1"
  secondary_region                  = "us-west-2"
  source_identifier                 = "orders-prod"
  engine                            = "postgres"
  expect_multi_az                   = true
  expect_encrypted                  = true
  read_replica                      = true
  replica_instance_class            = null
  backup_replication                = true
  backup_replication_retention_days = 7
  replica_lag_threshold_seconds     = 300
  alert_topic_arns                  = local.alert_topic_arns
  tags                              = local.tags
}

# (b) Unencrypted MySQL: replica only, on a smaller class than the source.
module "rds_catalog_db" {
  source = "../../../modules/rds-dr"

  name                              = "catalog-db"
  primary_region                    = "us-east-1"
  secondary_region                  = "us-west-2"
  source_identifier                 = "catalog-prod"
  engine                            = "mysql"
  expect_multi_az                   = false
  expect_encrypted                  = false
  read_replica                      = true
  replica_instance_class            = "db.r6g.large"
  backup_replication                = false
  backup_replication_retention_days = 7
  replica_lag_threshold_seconds     = 900
  alert_topic_arns                  = local.alert_topic_arns
  tags                              = local.tags

  # Optional networking of the replica (not part of the lifeboat interface).
  replica_db_subnet_group_name   = "catalog-dr-usw2"
  replica_vpc_security_group_ids = ["sg-0123456789abcdef0"]
}

# (c) SQL Server Standard Edition: no read replica is possible (Enterprise Edition only), so
# the DR copy is backup replication for point-in-time restore in us-west-2.
module "rds_billing_db" {
  source = "../../../modules/rds-dr"

  name                              = "billing-db"
  primary_region                    = "us-east-1"
  secondary_region                  = "us-west-2"
  source_identifier                 = "billing-prod"
  engine                            = "sqlserver-se"
  expect_multi_az                   = true
  expect_encrypted                  = true
  read_replica                      = false
  replica_instance_class            = null
  backup_replication                = true
  backup_replication_retention_days = 14
  replica_lag_threshold_seconds     = 3600
  alert_topic_arns                  = local.alert_topic_arns
  tags                              = local.tags
}

# (d) Neither mechanism: only the plan-time checks of the inventory against the live instance
# and the source event subscription.
module "rds_reporting_db" {
  source = "../../../modules/rds-dr"

  name                              = "reporting-db"
  primary_region                    = "us-east-1"
  secondary_region                  = "us-west-2"
  source_identifier                 = "reporting-prod"
  engine                            = "mariadb"
  expect_multi_az                   = false
  expect_encrypted                  = true
  read_replica                      = false
  replica_instance_class            = null
  backup_replication                = false
  backup_replication_retention_days = 7
  replica_lag_threshold_seconds     = 3600
  alert_topic_arns                  = local.alert_topic_arns
  tags                              = {}
}

output "orders_db" {
  description = "Everything the runbook needs for orders-db."
  value = {
    replica_arn            = module.rds_orders_db.replica_arn
    replica_endpoint       = module.rds_orders_db.replica_endpoint
    promote_command        = module.rds_orders_db.promote_command
    backup_replication_arn = module.rds_orders_db.backup_replication_arn
    restore_command        = module.rds_orders_db.restore_command
    kms_key_arn            = module.rds_orders_db.secondary_kms_key_arn
    alarm_arns             = module.rds_orders_db.alarm_arns
  }
}

output "catalog_db_replica_identifier" {
  description = "Identifier of the catalog-db replica."
  value       = module.rds_catalog_db.replica_identifier
}

output "billing_db_backup_replication_arn" {
  description = "Replicated automated backups of billing-db."
  value       = module.rds_billing_db.backup_replication_arn
}

output "reporting_db_source_arn" {
  description = "Source ARN of reporting-db (checks only)."
  value       = module.rds_reporting_db.source_arn
}
