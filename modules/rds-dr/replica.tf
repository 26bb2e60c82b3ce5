################################################################################
# Cross-Region read replica
#
# Terraform creates and watches the replica; it does NOT fail over. Promotion is one-way and is
# done with `aws rds promote-read-replica` in the secondary Region (see README, "Failover
# procedure"): during a Region outage this root cannot even be planned, because the source
# lookup in the primary Region fails. Removing `replicate_source_db` would make the provider
# promote the replica, so the argument is ignored after creation: a changed source ARN or a
# promotion done outside Terraform never turns into an accidental promotion or an API error.
################################################################################

resource "aws_db_instance" "replica" {
  # These settings follow the source or an AWS engine limitation, so they are off only where
  # AWS offers no "on" (each is documented in the README, "Engine caveats"):
  # checkov:skip=CKV_AWS_16:A replica's encryption must equal its source's: RDS cannot create an encrypted replica of an unencrypted instance. Encrypted sources always get an encrypted replica under the module's CMK, and the plan fails when the inventory and the live instance disagree.
  # checkov:skip=CKV_AWS_133:Backup retention copies the source's (>0, enforced by a plan-time check) except where RDS forbids backups on replicas: SQL Server, and PostgreSQL before 14.1. Promotion sets retention explicitly (promote_command output).
  # checkov:skip=CKV_AWS_157:Multi-AZ is on for every engine except SQL Server, whose read replicas cannot be Multi-AZ; convert after promotion (README, Failover procedure).
  # checkov:skip=CKV_AWS_161:IAM database authentication is enabled for MySQL, MariaDB and PostgreSQL; Oracle and SQL Server do not support it.
  # checkov:skip=CKV_AWS_353:Performance Insights is on (with the module's CMK) except on db.t2/t3/t4g micro and small classes, which do not support it, and on Oracle replicas, which run mounted and have no sessions to sample.
  count = var.read_replica ? 1 : 0

  region = var.secondary_region

  identifier = local.replica_identifier

  # Cross-Region replicas must name their source by ARN, not identifier.
  replicate_source_db = local.source_arn

  # Oracle replicas in mounted mode are the AWS-intended cross-Region DR shape and need no
  # Active Data Guard licence (read-only mode does).
  replica_mode = local.engine_family == "oracle" ? "mounted" : null

  instance_class = local.replica_instance_class
  multi_az       = local.replica_multi_az

  # An encrypted source can only have an encrypted replica and vice versa; a cross-Region
  # replica of an encrypted source must use a key of the destination Region.
  storage_encrypted = var.expect_encrypted
  kms_key_id        = var.expect_encrypted ? aws_kms_key.secondary[0].arn : null

  # Keep the replica's storage in step with the source: RDS does not propagate storage
  # increases to replicas, and a full replica stops replicating.
  allocated_storage     = local.source.allocated_storage
  max_allocated_storage = local.source.max_allocated_storage

  db_subnet_group_name   = var.replica_db_subnet_group_name
  vpc_security_group_ids = length(var.replica_vpc_security_group_ids) > 0 ? var.replica_vpc_security_group_ids : null
  parameter_group_name   = var.replica_parameter_group_name
  publicly_accessible    = false

  # Same CA as the source, so clients that pin it keep connecting after a failover.
  ca_cert_identifier = local.source.ca_cert_identifier

  backup_retention_period    = local.replica_backup_retention_period
  copy_tags_to_snapshot      = true
  delete_automated_backups   = false
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = local.replica_final_snapshot_identifier
  auto_minor_version_upgrade = true

  performance_insights_enabled          = local.replica_performance_insights
  performance_insights_kms_key_id       = local.replica_performance_insights ? aws_kms_key.secondary[0].arn : null
  performance_insights_retention_period = local.replica_performance_insights ? 7 : null

  monitoring_interval = 60
  monitoring_role_arn = aws_iam_role.monitoring[0].arn

  iam_database_authentication_enabled = local.iam_auth_supported ? true : null
  enabled_cloudwatch_logs_exports     = local.log_exports[local.engine_family]

  tags = merge(local.tags, {
    "lifeboat:role"   = "dr-read-replica"
    "lifeboat:source" = local.source_arn
  })

  # Enhanced Monitoring is validated at creation, so the role must already carry its policy.
  # Backup replication (minutes) goes first: it protects the data sooner than the replica
  # (hours for large instances), and the two never modify the source at the same time.
  depends_on = [
    aws_iam_role_policy_attachment.monitoring,
    aws_db_instance_automated_backups_replication.this,
  ]

  timeouts {
    create = "24h"
    update = "6h"
    delete = "2h"
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [replicate_source_db]
  }
}

################################################################################
# Enhanced Monitoring role (IAM is global; one role per asset)
################################################################################

resource "aws_iam_role" "monitoring" {
  count = var.read_replica ? 1 : 0

  name        = "${var.name}-rds-dr-monitoring"
  description = "Enhanced Monitoring of the lifeboat DR replica ${local.replica_identifier} (${var.secondary_region})"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowRDSEnhancedMonitoring"
        Effect    = "Allow"
        Principal = { Service = "monitoring.rds.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
    ]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.read_replica ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = format("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", local.partition)
}
