# AWS Backup job failures, from the events AWS Backup sends to the default event bus of the
# Region that runs the job (AWS Backup developer guide, "Monitoring AWS Backup events using
# Amazon EventBridge"; EventBridge events reference, "AWS Backup events"). Delivery is best
# effort, every 5 minutes. Backup and copy jobs report `detail.state`; restore jobs report
# `detail.status`.

locals {
  backup_event_kinds = {
    "backup-job-failed" = {
      description = "AWS Backup backup job ended FAILED, ABORTED, EXPIRED or PARTIAL"
      pattern = jsonencode({
        source        = ["aws.backup"]
        "detail-type" = ["Backup Job State Change"]
        detail        = { state = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] }
      })
    }
    "copy-job-failed" = {
      description = "AWS Backup copy job (cross-Region copy) ended FAILED or PARTIAL"
      pattern = jsonencode({
        source        = ["aws.backup"]
        "detail-type" = ["Copy Job State Change"]
        detail        = { state = ["FAILED", "PARTIAL"] }
      })
    }
    "restore-job-failed" = {
      description = "AWS Backup restore job (including restore tests) ended FAILED or ABORTED"
      pattern = jsonencode({
        source        = ["aws.backup"]
        "detail-type" = ["Restore Job State Change"]
        detail        = { status = ["FAILED", "ABORTED"] }
      })
    }
  }

  backup_rules = {
    for pair in setproduct(var.backup_event_regions, keys(local.backup_event_kinds)) :
    "${pair[0]}/${pair[1]}" => { region = pair[0], kind = pair[1] }
  }
}

resource "aws_cloudwatch_event_rule" "backup" {
  for_each = local.backup_rules

  region        = each.value.region
  name          = "${var.name}-${each.value.kind}"
  description   = local.backup_event_kinds[each.value.kind].description
  event_pattern = local.backup_event_kinds[each.value.kind].pattern
  state         = "ENABLED"

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(var.regions, each.value.region)
      error_message = "Backup event region ${each.value.region} has no alert topic: add it to var.regions."
    }
  }
}

resource "aws_cloudwatch_event_target" "backup" {
  for_each = local.backup_rules

  region    = each.value.region
  rule      = aws_cloudwatch_event_rule.backup[each.key].name
  target_id = "sns-alerts"
  arn       = aws_sns_topic.this[each.value.region].arn

  # The topic policy must allow EventBridge before the first event is delivered.
  depends_on = [aws_sns_topic_policy.this]
}
