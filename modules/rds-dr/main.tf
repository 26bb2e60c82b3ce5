data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  tags = merge(var.tags, { "lifeboat:asset" = var.name })

  engine_family = {
    "postgres"      = "postgres"
    "mysql"         = "mysql"
    "mariadb"       = "mariadb"
    "oracle-ee"     = "oracle"
    "oracle-se2"    = "oracle"
    "sqlserver-ee"  = "sqlserver"
    "sqlserver-se"  = "sqlserver"
    "sqlserver-ex"  = "sqlserver"
    "sqlserver-web" = "sqlserver"
  }[var.engine]

  # Cross-Region read replicas exist for Oracle and SQL Server on Enterprise Edition only
  # (RDS User Guide: "Supported Regions and DB engines for cross-Region read replicas",
  # "Requirements and considerations for RDS for Oracle replicas",
  # "Read replica limitations with SQL Server").
  engines_without_read_replica = ["oracle-se2", "sqlserver-se", "sqlserver-ex", "sqlserver-web"]

  # Log types each engine family can publish to CloudWatch Logs.
  log_exports = {
    postgres  = ["postgresql", "upgrade"]
    mysql     = ["audit", "error", "general", "slowquery"]
    mariadb   = ["audit", "error", "general", "slowquery"]
    oracle    = ["alert", "audit", "listener", "trace"]
    sqlserver = ["agent", "error"]
  }

  # IAM database authentication exists for MariaDB, MySQL and PostgreSQL only.
  iam_auth_supported = contains(["postgres", "mysql", "mariadb"], local.engine_family)

  # Performance Insights (Database Insights standard mode) is not offered on these burstable
  # classes (RDS User Guide, "DB engine, Region, and instance class support for Database
  # Insights"); it is also off for Oracle replicas, which this module creates in mounted mode
  # (no user sessions to sample).
  performance_insights_unsupported_classes = ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"]

  source                = data.aws_db_instance.source
  source_arn            = local.source.db_instance_arn
  source_engine_version = local.source.engine_version
  source_major_version  = try(tonumber(split(".", local.source_engine_version)[0]), 0)

  replica_identifier                = "${var.name}-dr"
  replica_final_snapshot_identifier = "${var.name}-dr-final"
  replica_instance_class            = coalesce(var.replica_instance_class, local.source.db_instance_class)

  # SQL Server replicas can be neither Multi-AZ nor backed up; PostgreSQL replicas can be backed
  # up from 14.1 on. Everywhere else the replica keeps the source's retention so that it is a
  # complete primary (PITR, new replicas) the moment it is promoted.
  replica_multi_az = local.engine_family != "sqlserver"
  replica_backup_retention_period = (
    local.engine_family == "sqlserver" ? 0 :
    local.engine_family == "postgres" && local.source_major_version < 14 ? 0 :
    local.source.backup_retention_period
  )

  replica_performance_insights = local.engine_family != "oracle" && !contains(local.performance_insights_unsupported_classes, local.replica_instance_class)

  # One CMK in the secondary Region serves the encrypted replica, its Performance Insights data
  # and the encrypted replicated backups.
  create_kms_key = var.read_replica || (var.backup_replication && var.expect_encrypted)
}

################################################################################
# The existing source instance: looked up, never managed.
#
# The checks that make `terraform plan` fail when the inventory contradicts reality live as
# preconditions on aws_db_event_subscription.source (monitoring.tf), the one resource every
# configuration creates, rather than as postconditions here: lifeboat's offline validator runs
# Terraform 1.0 core, which rejects a `lifecycle` block in a data source (postconditions on
# data sources need Terraform 1.2). They are evaluated at plan time all the same.
################################################################################

data "aws_db_instance" "source" {
  region                 = var.primary_region
  db_instance_identifier = var.source_identifier
}
