# KMS keys scheduled for deletion or disabled. Every recovery point, replica and alert topic lifeboat
# builds is encrypted under a KMS key: RDS and Aurora snapshots in the primary vault stay under the
# source database's own key, and a key that is deleted (after its 7-30 day waiting period) makes what it
# encrypts unrecoverable (KMS Developer Guide, "Deleting AWS KMS keys"). The waiting period is the time
# to notice and cancel (`aws kms cancel-key-deletion`); these rules raise the alarm when it starts.
#
# The events are CloudTrail's records of the KMS API calls ("AWS API Call via CloudTrail"), which reach
# EventBridge only from a trail that logs management events (EventBridge User Guide, "AWS service
# events delivered via AWS CloudTrail"); this module does not create the trail. The rules match every
# key of the account in the Region, not a list of ARNs: CloudTrail records `keyId` as the caller passed
# it (key ID or key ARN), and the source keys of the databases and buckets lifeboat protects are not
# all known to the tree.

locals {
  kms_event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
      eventName   = ["ScheduleKeyDeletion", "DisableKey"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "kms" {
  for_each = toset(var.kms_event_regions)

  region        = each.key
  name          = "${var.name}-kms-key-deletion"
  description   = "A KMS key of this account in ${each.key} was scheduled for deletion or disabled: recovery points, replicas or alerts it encrypts become unusable. Cancel with aws kms cancel-key-deletion / enable-key."
  event_pattern = local.kms_event_pattern
  state         = "ENABLED"

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(var.regions, each.key)
      error_message = "KMS event region ${each.key} has no alert topic: add it to var.regions."
    }
  }
}

resource "aws_cloudwatch_event_target" "kms" {
  for_each = toset(var.kms_event_regions)

  region    = each.key
  rule      = aws_cloudwatch_event_rule.kms[each.key].name
  target_id = "sns-alerts"
  arn       = aws_sns_topic.this[each.key].arn

  # The topic policy must allow EventBridge before the first event is delivered.
  depends_on = [aws_sns_topic_policy.this]
}
