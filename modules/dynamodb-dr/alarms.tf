################################################################################
# ReplicationLatency alarm (primary Region)
#
# AWS/DynamoDB ReplicationLatency: the time between an item being written to one replica and
# appearing in another, in MILLISECONDS, emitted for every source/destination Region pair with
# the dimensions TableName and ReceivingRegion (DynamoDB Developer Guide, "Monitoring global
# tables" and "DynamoDB metrics and dimensions"). It is published in the Region of the replica
# that SENDS the writes, so primary -> secondary replication (the RPO of a primary-Region loss)
# is measured in the primary Region with ReceivingRegion = the secondary Region, and the alarm
# notifies the primary Region's topic (an alarm can only notify a topic of its own Region).
#
# The metric has no datapoints while nothing is written, so missing data keeps the last state
# ("ignore") instead of alarming on an idle table.
################################################################################

resource "aws_cloudwatch_metric_alarm" "replication_latency" {
  count = var.global_table ? 1 : 0

  region = var.primary_region

  alarm_name        = "${var.name}-dynamodb-replication-latency"
  alarm_description = "lifeboat ${var.name}: DynamoDB global table ${var.table_name} replicates from ${var.primary_region} to ${var.secondary_region} more than ${var.replication_latency_threshold_seconds} s (${local.replication_latency_threshold_milliseconds} ms) late: the Region RPO is at risk."

  namespace   = "AWS/DynamoDB"
  metric_name = "ReplicationLatency"
  dimensions = {
    TableName       = var.table_name
    ReceivingRegion = aws_dynamodb_table_replica.this[0].region
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.replication_latency_threshold_milliseconds
  unit                = "Milliseconds"
  treat_missing_data  = "ignore"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns.primary]
  ok_actions      = [var.alert_topic_arns.primary]

  tags = local.tags

  lifecycle {
    precondition {
      condition     = split(":", var.alert_topic_arns.primary)[3] == var.primary_region
      error_message = "alert_topic_arns.primary (${var.alert_topic_arns.primary}) is not in ${var.primary_region}: CloudWatch alarms can only notify SNS topics of their own Region, and ReplicationLatency of ${var.primary_region} -> ${var.secondary_region} is published in ${var.primary_region}."
    }
  }
}
