################################################################################
# TimeSinceLastSync alarm
#
# AWS/EFS TimeSinceLastSync: the time since the last successful sync to the destination, in
# SECONDS, with the dimensions FileSystemId (the SOURCE file system) and
# DestinationFileSystemId (EFS User Guide, "CloudWatch metrics for Amazon EFS"; "Viewing
# replication details"). Changes made after the last sync may not be in the replica, so the
# metric is the data a failover would lose right now. Like every AWS/EFS metric of a file
# system it is published in that file system's Region, the source (primary) Region, so the
# alarm lives there and notifies the primary topic.
#
# Missing data counts as breaching: a replication that reports nothing (still doing its first
# sync, paused, in error, or deleted) protects nothing.
################################################################################

resource "aws_cloudwatch_metric_alarm" "time_since_last_sync" {
  count = var.replication ? 1 : 0

  region = var.primary_region

  alarm_name        = "${var.name}-efs-time-since-last-sync"
  alarm_description = "lifeboat ${var.name}: the EFS replica of ${var.file_system_id} (${var.primary_region}) in ${var.secondary_region} was last synced more than ${var.sync_threshold_seconds} s ago, or replication reports nothing: the Region RPO is at risk."

  namespace   = "AWS/EFS"
  metric_name = "TimeSinceLastSync"
  dimensions = {
    FileSystemId            = aws_efs_replication_configuration.this[0].source_file_system_id
    DestinationFileSystemId = aws_efs_replication_configuration.this[0].destination[0].file_system_id
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.sync_threshold_seconds
  unit                = "Seconds"
  treat_missing_data  = "breaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns.primary]
  ok_actions      = [var.alert_topic_arns.primary]

  tags = local.tags

  lifecycle {
    precondition {
      condition     = split(":", var.alert_topic_arns.primary)[3] == var.primary_region
      error_message = "alert_topic_arns.primary (${var.alert_topic_arns.primary}) is not in ${var.primary_region}: CloudWatch alarms can only notify SNS topics of their own Region, and TimeSinceLastSync is published in the source Region ${var.primary_region}."
    }
  }
}
