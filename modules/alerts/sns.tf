resource "aws_sns_topic" "this" {
  for_each = local.regions

  region            = each.key
  name              = local.topic_name
  display_name      = "${var.name} DR alerts"
  kms_master_key_id = aws_kms_key.this[each.key].arn
  signature_version = 2

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  for_each = local.regions

  # Any alarm of this account in this Region (Route 53 health check alarms, replication lag,
  # ...). SNS guide, "Example cases for Amazon SNS access control".
  statement {
    sid       = "AllowCloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${each.key}:${local.account_id}:alarm:*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # EventBridge rules of this account in this Region (the AWS Backup job rules below, and any
  # rule another module adds).
  statement {
    sid       = "AllowEventBridgeRulesOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:events:${each.key}:${local.account_id}:rule/*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # RDS event subscriptions (failover, replica lag, backup events). RDS user guide,
  # "Granting permissions to publish notifications to an Amazon SNS topic".
  statement {
    sid       = "AllowRdsEventSubscriptionsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "Service"
      identifiers = ["events.rds.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:rds:${each.key}:${local.account_id}:*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # AWS Backup vault notifications. The AWS Backup guide ("Using Amazon SNS to track AWS
  # Backup events") documents the principal without a source condition.
  statement {
    sid       = "AllowAwsBackupVaultNotifications"
    actions   = ["sns:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyPublishWithoutTls"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  for_each = local.regions

  region = each.key
  arn    = aws_sns_topic.this[each.key].arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = local.email_subscriptions

  region    = each.value.region
  topic_arn = aws_sns_topic.this[each.value.region].arn
  protocol  = "email"
  endpoint  = each.value.email
}
