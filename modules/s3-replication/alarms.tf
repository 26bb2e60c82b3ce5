locals {
  replication_metric_dimensions = {
    SourceBucket      = var.source_bucket
    DestinationBucket = aws_s3_bucket.destination.id
    RuleId            = local.rule_id
  }
}

# OperationsFailedReplication is published in the SOURCE bucket's Region, and
# only while replication metrics are enabled on the rule (they always are here).
# It is emitted per replication operation (0 or 1), so Sum is the number of
# failed operations. No datapoints are published while nothing replicates:
# treat_missing_data = "ignore" keeps the last state, as the S3 User Guide
# recommends for replication-metric alarms. A failed object is not retried by
# S3, so the alarm stays in ALARM until successful replications report 0 again.
resource "aws_cloudwatch_metric_alarm" "operations_failed" {
  region = var.primary_region

  alarm_name        = "${var.name}-s3-replication-failed-operations"
  alarm_description = "S3 replication of ${var.source_bucket} (${var.primary_region}) to ${var.destination_bucket} (${var.secondary_region}), rule ${local.rule_id}: at least one operation FAILED and will not be retried. Find the objects with S3 Inventory / the s3:Replication:OperationFailedReplication event, fix the cause (KMS key, permissions, SSE-C, Object Lock) and re-replicate them with S3 Batch Replication."

  namespace   = "AWS/S3"
  metric_name = "OperationsFailedReplication"
  dimensions  = local.replication_metric_dimensions
  statistic   = "Sum"
  period      = 300

  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "ignore"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arn]
  ok_actions      = [var.alert_topic_arn]

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.alert_topic_region == var.primary_region
      error_message = "alert_topic_arn must be a topic in primary_region: CloudWatch alarms only notify SNS topics in their own Region."
    }
  }
}

# ReplicationLatency is published in the DESTINATION bucket's Region (S3 User
# Guide, "Using S3 Replication metrics"), so this alarm lives in the secondary
# Region and notifies a topic there. It is published even when nothing is
# replicating; a gap means delayed/missing CloudWatch data, hence "ignore".
# Created only with RTC: without it replication has no time bound and a fixed
# threshold would be noise.
resource "aws_cloudwatch_metric_alarm" "replication_latency" {
  count = var.replication_time_control ? 1 : 0

  region = var.secondary_region

  alarm_name        = "${var.name}-s3-replication-latency"
  alarm_description = "S3 replication of ${var.source_bucket} (${var.primary_region}) to ${var.destination_bucket} (${var.secondary_region}), rule ${local.rule_id}: the replica is more than ${var.replication_latency_threshold_seconds} s behind the source (RTC target: 15 min). The effective RPO of this data set is currently at least this lag."

  namespace   = "AWS/S3"
  metric_name = "ReplicationLatency"
  dimensions  = local.replication_metric_dimensions
  statistic   = "Maximum"
  period      = 300

  comparison_operator = "GreaterThanThreshold"
  threshold           = var.replication_latency_threshold_seconds
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "ignore"

  actions_enabled = true
  alarm_actions   = [var.secondary_alert_topic_arn]
  ok_actions      = [var.secondary_alert_topic_arn]

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.secondary_alert_topic_arn != null
      error_message = "replication_time_control = true needs secondary_alert_topic_arn: S3 publishes ReplicationLatency in the secondary Region and a CloudWatch alarm can only notify an SNS topic in its own Region."
    }

    precondition {
      condition     = local.secondary_alert_topic_region == var.secondary_region
      error_message = "secondary_alert_topic_arn must be a topic in secondary_region."
    }
  }
}
