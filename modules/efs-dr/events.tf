################################################################################
# Changes to the source file system that undo the DR design (primary Region)
#
# An EventBridge rule on the API calls that would silently break replication: DeleteFileSystem,
# DeleteReplicationConfiguration (in the primary Region: the replica becomes writable and stops
# receiving changes) and UpdateFileSystemProtection, sent to the primary topic. "AWS API Call
# via CloudTrail" events reach EventBridge only in an account with a CloudTrail trail that logs
# management events (EventBridge User Guide, "AWS service events delivered via AWS
# CloudTrail"); without one the rule matches nothing and costs nothing.
#
# Why this resource carries the preconditions: the checks need a resource that every
# configuration creates, with and without replication. An alarm without replication would
# have no metric to watch (TimeSinceLastSync exists only for a replication configuration) and
# would cost money; the rule is free and serves the same concern: keeping the source as the
# inventory describes it.
################################################################################

resource "aws_cloudwatch_event_rule" "source_changes" {
  region = var.primary_region

  name        = "${var.name}-efs-guard"
  description = "lifeboat ${var.name}: API calls that delete ${var.file_system_id}, its replication configuration or change its protection"
  state       = "ENABLED"

  event_pattern = jsonencode({
    source        = ["aws.elasticfilesystem"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["elasticfilesystem.amazonaws.com"]
      eventName   = ["DeleteFileSystem", "DeleteReplicationConfiguration", "UpdateFileSystemProtection"]
      "$or" = [
        { requestParameters = { fileSystemId = [var.file_system_id] } },
        { requestParameters = { sourceFileSystemId = [var.file_system_id] } },
      ]
    }
  })

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "primary_region and secondary_region are both ${var.primary_region}: a disaster-recovery replica must live in another Region. Set a different secondary_region for the project."
    }

    precondition {
      condition     = !local.source_one_zone
      error_message = "EFS file system ${var.file_system_id} in ${var.primary_region} is a One Zone file system (in ${coalesce(local.source.availability_zone_name, "?")}): it does not survive the loss of that Availability Zone, which the recovery model assumes. One Zone cannot be converted in place: create a Regional file system (aws efs create-file-system --region ${var.primary_region} --encrypted --throughput-mode elastic --tags Key=Name,Value=${var.name}), copy the data with AWS DataSync and move the clients, then point the inventory at the new file system."
    }

    precondition {
      condition     = split(":", var.alert_topic_arns.primary)[3] == var.primary_region
      error_message = "alert_topic_arns.primary (${var.alert_topic_arns.primary}) is not in ${var.primary_region}: EventBridge rules and CloudWatch alarms can only notify SNS topics of their own Region."
    }

    precondition {
      condition     = split(":", var.alert_topic_arns.secondary)[3] == var.secondary_region
      error_message = "alert_topic_arns.secondary (${var.alert_topic_arns.secondary}) is not in ${var.secondary_region}: pass the alert topic of the secondary Region (modules/alerts)."
    }
  }
}

resource "aws_cloudwatch_event_target" "source_changes" {
  region = var.primary_region

  rule      = aws_cloudwatch_event_rule.source_changes.name
  target_id = "sns-alerts"
  arn       = var.alert_topic_arns.primary
}
