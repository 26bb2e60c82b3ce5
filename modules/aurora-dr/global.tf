################################################################################
# Aurora Global Database from the existing cluster
#
# CreateGlobalCluster with SourceDBClusterIdentifier (its ARN) turns the existing cluster into
# the primary of a new global database without touching its data or endpoints (Aurora User
# Guide, "Adding an AWS Region to an Aurora global database" / "Creating an Aurora global
# database from an existing cluster"). The engine, version and encryption come from that
# cluster. force_destroy = false: destroying this resource never detaches the live primary.
#
# Terraform creates and watches the global database; it does NOT fail over. A failover or
# switchover (failover_command / switchover_command) changes which cluster is the primary;
# the source ARN is ignored after creation so that such a change never plans a replacement.
################################################################################

resource "aws_rds_global_cluster" "this" {
  count = var.global_database ? 1 : 0

  region = var.primary_region

  global_cluster_identifier    = local.global_cluster_identifier
  source_db_cluster_identifier = local.source_arn
  force_destroy                = false
  deletion_protection          = true

  tags = local.tags

  timeouts {
    create = "2h"
    update = "4h"
    delete = "1h"
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [source_db_cluster_identifier]
  }
}

################################################################################
# Secondary cluster (headless until its instances exist) in the secondary Region
#
# A secondary cluster takes no master credentials and no replication_source_identifier: it
# joins through global_cluster_identifier. Aurora fills in replication_source_identifier and
# upgrades the secondary's engine together with the global database, so both are ignored
# after creation (AWS provider docs, aws_rds_cluster "replication_source_identifier" and
# aws_rds_global_cluster "Upgrading Engine Versions"). A failover that detaches the cluster
# (remove-from-global-cluster) must not be undone by the next apply either.
################################################################################

resource "aws_rds_cluster" "secondary" {
  # checkov:skip=CKV2_AWS_8:AWS Backup of the Aurora data is configured on the source cluster by lifeboat's backup module (aurora_clusters); the secondary holds the same data.
  count = var.global_database ? 1 : 0

  region = var.secondary_region

  cluster_identifier        = local.secondary_cluster_identifier
  global_cluster_identifier = aws_rds_global_cluster.this[0].global_cluster_identifier

  engine         = local.source.engine
  engine_version = local.source.engine_version
  engine_mode    = "provisioned"

  storage_encrypted = var.expect_encrypted
  kms_key_id        = var.expect_encrypted ? aws_kms_key.secondary[0].arn : null

  db_subnet_group_name            = var.secondary_db_subnet_group_name
  vpc_security_group_ids          = length(var.secondary_vpc_security_group_ids) > 0 ? var.secondary_vpc_security_group_ids : null
  db_cluster_parameter_group_name = var.secondary_db_cluster_parameter_group_name
  port                            = local.source.port

  # Same retention as the source, so that the promoted cluster is a complete primary (PITR) at
  # once.
  backup_retention_period  = local.source.backup_retention_period
  copy_tags_to_snapshot    = true
  delete_automated_backups = false

  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = local.secondary_final_snapshot_identifier

  iam_database_authentication_enabled = local.source.iam_database_authentication_enabled
  enabled_cloudwatch_logs_exports     = local.log_exports

  dynamic "serverlessv2_scaling_configuration" {
    for_each = local.serverless_v2 && var.secondary_serverless_v2_scaling != null ? [var.secondary_serverless_v2_scaling] : []

    content {
      min_capacity = serverlessv2_scaling_configuration.value.min_capacity
      max_capacity = serverlessv2_scaling_configuration.value.max_capacity
    }
  }

  tags = merge(local.tags, {
    "lifeboat:role"   = "dr-global-secondary"
    "lifeboat:source" = local.source_arn
  })

  # Creating a secondary copies the whole cluster volume across Regions.
  timeouts {
    create = "24h"
    update = "6h"
    delete = "2h"
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [replication_source_identifier, global_cluster_identifier, engine_version]
  }
}

################################################################################
# Secondary instances: the readers that become writer and readers after a failover
################################################################################

resource "aws_rds_cluster_instance" "secondary" {
  # checkov:skip=CKV_AWS_353:Performance Insights is on (with the module's CMK when the cluster is encrypted) except on db.t2.small, db.t2.medium and db.t3.small for Aurora MySQL, which do not support it.
  count = var.global_database ? var.secondary_instance_count : 0

  region = var.secondary_region

  identifier         = "${local.secondary_instance_identifier_prefix}${count.index + 1}"
  cluster_identifier = aws_rds_cluster.secondary[0].id
  engine             = aws_rds_cluster.secondary[0].engine
  instance_class     = local.secondary_instance_class

  db_subnet_group_name       = var.secondary_db_subnet_group_name
  publicly_accessible        = false
  auto_minor_version_upgrade = true
  copy_tags_to_snapshot      = true

  # The first instance is the one Aurora promotes to writer after a failover.
  promotion_tier = count.index

  performance_insights_enabled          = local.performance_insights
  performance_insights_kms_key_id       = local.performance_insights && var.expect_encrypted ? aws_kms_key.secondary[0].arn : null
  performance_insights_retention_period = local.performance_insights ? 7 : null

  monitoring_interval = 60
  monitoring_role_arn = aws_iam_role.monitoring[0].arn

  tags = merge(local.tags, {
    "lifeboat:role"   = "dr-global-secondary-instance"
    "lifeboat:source" = local.source_arn
  })

  # Enhanced Monitoring is validated at creation, so the role must already carry its policy.
  depends_on = [aws_iam_role_policy_attachment.monitoring]

  timeouts {
    create = "4h"
    update = "4h"
    delete = "2h"
  }
}

################################################################################
# Enhanced Monitoring role (IAM is global; one role per asset)
################################################################################

resource "aws_iam_role" "monitoring" {
  count = var.global_database ? 1 : 0

  name        = "${var.name}-aurora-dr-monitoring"
  description = "Enhanced Monitoring of the lifeboat Aurora DR cluster ${local.secondary_cluster_identifier} (${var.secondary_region})"

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
  count = var.global_database ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = format("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", local.partition)
}
