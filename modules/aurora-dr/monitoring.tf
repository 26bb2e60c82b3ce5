################################################################################
# AuroraGlobalDBReplicationLag alarm (secondary Region)
#
# AWS/RDS AuroraGlobalDBReplicationLag, dimension DBClusterIdentifier = the SECONDARY cluster,
# unit Milliseconds, reported by the secondary cluster in the secondary Region (Aurora User
# Guide, "Cluster-level metrics for Amazon Aurora"). It is the data a global failover would lose
# right now, so the
# threshold is the Region RPO converted to milliseconds. Missing data counts as breaching: a
# secondary that reports no lag (still being created, detached, or already promoted) is not
# protecting anything.
################################################################################

resource "aws_cloudwatch_metric_alarm" "global_lag" {
  count = var.global_database ? 1 : 0

  region = var.secondary_region

  alarm_name        = "${var.name}-aurora-global-lag"
  alarm_description = "lifeboat ${var.name}: Aurora global database secondary ${local.secondary_cluster_identifier} (${var.secondary_region}) of ${var.source_cluster_identifier} (${var.primary_region}) lags more than ${var.global_lag_threshold_seconds} s (${local.global_lag_threshold_milliseconds} ms), or reports no lag at all: the Region RPO is at risk."

  namespace   = "AWS/RDS"
  metric_name = "AuroraGlobalDBReplicationLag"
  dimensions = {
    DBClusterIdentifier = aws_rds_cluster.secondary[0].cluster_identifier
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.global_lag_threshold_milliseconds
  unit                = "Milliseconds"
  treat_missing_data  = "breaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns.secondary]
  ok_actions      = [var.alert_topic_arns.secondary]

  tags = local.tags

  lifecycle {
    precondition {
      condition     = split(":", var.alert_topic_arns.secondary)[3] == var.secondary_region
      error_message = "alert_topic_arns.secondary (${var.alert_topic_arns.secondary}) is not in ${var.secondary_region}: CloudWatch alarms can only notify SNS topics of their own Region."
    }
  }
}

################################################################################
# RDS event subscriptions (db-cluster events)
#
# Source (primary Region): failover, global failover/switchover, failure, deletion,
# configuration change, maintenance, notification of the existing cluster.
# Secondary (secondary Region): the same for the secondary cluster.
################################################################################

locals {
  cluster_event_categories = [
    "configuration change",
    "deletion",
    "failover",
    "failure",
    "global-failover",
    "maintenance",
    "notification",
  ]
}

resource "aws_db_event_subscription" "source" {
  region = var.primary_region

  name             = "${var.name}-aurora-source"
  sns_topic        = var.alert_topic_arns.primary
  source_type      = "db-cluster"
  source_ids       = [var.source_cluster_identifier]
  event_categories = local.cluster_event_categories
  enabled          = true

  tags = local.tags

  # Every configuration creates this subscription, so its preconditions are where the
  # inventory is checked against the live source cluster: a failing check stops the plan.
  lifecycle {
    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "primary_region and secondary_region are both ${var.primary_region}: a disaster-recovery copy must live in another Region. Set a different secondary_region for the project."
    }

    precondition {
      condition     = local.source.engine == var.engine
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} runs engine \"${local.source.engine}\", but the inventory says \"${var.engine}\". Correct the asset's engine in the inventory (engine = \"${local.source.engine}\")."
    }

    precondition {
      condition     = !var.global_database || local.source.engine_mode == "provisioned"
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} has engine mode \"${local.source.engine_mode}\": only provisioned clusters (including Aurora Serverless v2) can join an Aurora global database, Aurora Serverless v1 cannot. Convert it first: aws rds modify-db-cluster --region ${var.primary_region} --db-cluster-identifier ${var.source_cluster_identifier} --engine-mode provisioned --allow-engine-mode-change --apply-immediately ; or set global_database = false on the asset."
    }

    precondition {
      condition     = !var.expect_encrypted || local.source.storage_encrypted
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} is NOT encrypted at rest, but the inventory says encrypted = true. Aurora cannot encrypt a cluster in place: snapshot it (aws rds create-db-cluster-snapshot), restore the snapshot with --kms-key-id (aws rds restore-db-cluster-from-snapshot) and cut over. Until then set encrypted = false on the asset."
    }

    precondition {
      condition     = var.expect_encrypted || !local.source.storage_encrypted
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} IS encrypted at rest, but the inventory says encrypted = false. Set encrypted = true on the asset: the secondary cluster needs a KMS key in ${var.secondary_region}, which lifeboat only creates for encrypted sources."
    }

    precondition {
      condition     = !var.expect_reader || length(local.source_members) >= 2
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} has ${length(local.source_members)} DB instance(s), but the inventory relies on a reader for a fast in-Region failover (a writer-only cluster recovers from an instance or AZ failure by replacing the instance, which takes about 10 minutes). Add a reader: aws rds create-db-instance --region ${var.primary_region} --db-cluster-identifier ${var.source_cluster_identifier} --db-instance-identifier ${var.source_cluster_identifier}-reader-1 --engine ${local.source.engine} --db-instance-class <class of the writer> ; or stop relying on a reader for this asset in the inventory (expect_reader = false)."
    }

    precondition {
      condition     = local.source.backup_retention_period > 0
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} reports backup retention ${local.source.backup_retention_period}: there is no point-in-time recovery. Set it: aws rds modify-db-cluster --region ${var.primary_region} --db-cluster-identifier ${var.source_cluster_identifier} --backup-retention-period 7 --apply-immediately"
    }

    precondition {
      condition     = !(var.global_database && var.secondary_instance_class == null && length(local.source_members) == 0)
      error_message = "DB cluster ${var.source_cluster_identifier} in ${var.primary_region} has no DB instance, so the class of the secondary instances cannot be taken from it. Add an instance to the cluster (aws rds create-db-instance --region ${var.primary_region} --db-cluster-identifier ${var.source_cluster_identifier} --db-instance-identifier ${var.source_cluster_identifier}-1 --engine ${local.source.engine} --db-instance-class <class>), or set the secondary instance class explicitly."
    }

    precondition {
      condition     = !(var.global_database && local.serverless_v2 && var.secondary_serverless_v2_scaling == null)
      error_message = "The secondary instances of ${var.source_cluster_identifier} would be Aurora Serverless v2 (db.serverless, the class of ${try(local.source_members[0], "the source")}), which needs a capacity range on the secondary cluster. Set secondary_serverless_v2_scaling = { min_capacity = ..., max_capacity = ... } (the source's range: aws rds describe-db-clusters --region ${var.primary_region} --db-cluster-identifier ${var.source_cluster_identifier} --query 'DBClusters[0].ServerlessV2ScalingConfiguration'), or set a provisioned secondary instance class."
    }

    precondition {
      condition     = split(":", var.alert_topic_arns.primary)[3] == var.primary_region
      error_message = "alert_topic_arns.primary (${var.alert_topic_arns.primary}) is not in ${var.primary_region}: RDS event subscriptions can only publish to SNS topics of their own Region."
    }

    precondition {
      condition     = split(":", var.alert_topic_arns.secondary)[3] == var.secondary_region
      error_message = "alert_topic_arns.secondary (${var.alert_topic_arns.secondary}) is not in ${var.secondary_region}: the Aurora DR alarm and events of the secondary Region can only notify an SNS topic of that Region."
    }
  }
}

resource "aws_db_event_subscription" "secondary" {
  count = var.global_database ? 1 : 0

  region = var.secondary_region

  name             = "${var.name}-aurora-dr"
  sns_topic        = var.alert_topic_arns.secondary
  source_type      = "db-cluster"
  source_ids       = [aws_rds_cluster.secondary[0].cluster_identifier]
  event_categories = local.cluster_event_categories
  enabled          = true

  tags = local.tags

  lifecycle {
    precondition {
      condition     = split(":", var.alert_topic_arns.secondary)[3] == var.secondary_region
      error_message = "alert_topic_arns.secondary (${var.alert_topic_arns.secondary}) is not in ${var.secondary_region}: RDS event subscriptions can only publish to SNS topics of their own Region."
    }
  }
}
