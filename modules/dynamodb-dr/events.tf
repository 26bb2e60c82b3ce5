################################################################################
# Changes to the source table that undo the DR design (primary Region)
#
# An EventBridge rule on the API calls that would silently break what the plan-time checks
# verified: DeleteTable, UpdateContinuousBackups (point-in-time recovery turned off or its
# window shortened) and UpdateTable (streams turned off, the replica removed, deletion
# protection turned off). The checks run at plan time only; this rule reports the same
# changes when they happen between two plans. "AWS API Call via CloudTrail" events reach
# EventBridge only in an account with a CloudTrail trail that logs management events
# (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"); without one the
# rule matches nothing and costs nothing.
#
# Why this resource carries the preconditions: it is the one resource every configuration of
# this module creates (with and without global_table), it is free, and it belongs to the
# same concern - keeping the source table as the inventory describes it.
################################################################################

resource "aws_cloudwatch_event_rule" "source_changes" {
  region = var.primary_region

  name        = "${var.name}-dynamodb-guard"
  description = "lifeboat ${var.name}: API calls that delete ${var.table_name} or change its point-in-time recovery, streams, replicas or deletion protection"
  state       = "ENABLED"

  event_pattern = jsonencode({
    source        = ["aws.dynamodb"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["dynamodb.amazonaws.com"]
      eventName   = ["DeleteTable", "UpdateContinuousBackups", "UpdateTable"]
      requestParameters = {
        tableName = [var.table_name, local.source_arn]
      }
    }
  })

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "primary_region and secondary_region are both ${var.primary_region}: a disaster-recovery replica must live in another Region. Set a different secondary_region for the project."
    }

    precondition {
      condition     = !var.expect_pitr || (local.source_pitr_enabled && local.source_pitr_days >= var.pitr_recovery_period_days)
      error_message = "DynamoDB table ${var.table_name} in ${var.primary_region} has point-in-time recovery ${local.source_pitr_enabled ? "with a ${local.source_pitr_days}-day window" : "DISABLED"}, but the recovery model relies on a ${var.pitr_recovery_period_days}-day window. Enable it: aws dynamodb update-continuous-backups --region ${var.primary_region} --table-name ${var.table_name} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays=${var.pitr_recovery_period_days} ; if the table is managed by Terraform, add to its aws_dynamodb_table: point_in_time_recovery { enabled = true  recovery_period_in_days = ${var.pitr_recovery_period_days} }"
    }

    precondition {
      condition     = !var.global_table || (local.source_stream_enabled && local.source_stream_view_type == "NEW_AND_OLD_IMAGES")
      error_message = "DynamoDB table ${var.table_name} in ${var.primary_region} has DynamoDB Streams ${local.source_stream_enabled ? "with view type ${local.source_stream_view_type}" : "DISABLED"}: a global table replica needs a stream with NEW_AND_OLD_IMAGES. ${local.source_stream_enabled ? "A stream's view type cannot be changed, so turn it off first (aws dynamodb update-table --region ${var.primary_region} --table-name ${var.table_name} --stream-specification StreamEnabled=false; consumers of the old stream must move to the new one), then enable it" : "Enable it"}: aws dynamodb update-table --region ${var.primary_region} --table-name ${var.table_name} --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES ; in the table's own Terraform: stream_enabled = true, stream_view_type = \"NEW_AND_OLD_IMAGES\"."
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
