# One customer managed key per Region: SNS server-side encryption needs a key in the topic's
# Region, and an AWS managed key (alias/aws/sns) cannot be used by AWS service publishers
# because its key policy cannot be edited.

data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_109:This is a KMS key policy, not an identity policy: "*" as Resource means this key only, and kms:* goes to the account root (the AWS default key policy, which delegates key access to IAM).
  # checkov:skip=CKV_AWS_111:This is a KMS key policy: "*" as Resource means this key only; the service statements are bound to this Region's topic by kms:EncryptionContext:aws:sns:topicArn.
  # checkov:skip=CKV_AWS_356:This is a KMS key policy: a key policy can only name its own key, and AWS documents Resource "*" for it.
  for_each = local.regions

  statement {
    sid       = "EnableRootAccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # SNS guide, "Enable compatibility between event sources from AWS services and encrypted
  # topics": the publishing service needs kms:GenerateDataKey* and kms:Decrypt. SNS always
  # sets the topic ARN as encryption context, which ties the key to this Region's topic; the
  # source account keeps other accounts' alarms, rules and RDS subscriptions out.
  statement {
    sid       = "AllowAwsServicePublishersOfThisAccount"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type = "Service"
      identifiers = [
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "events.rds.amazonaws.com",
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arns[each.key]]
    }
  }

  # AWS Backup documents no source condition for its SNS notifications, so only the
  # encryption context scopes this statement (see README, "Caveats").
  statement {
    sid       = "AllowAwsBackupNotifications"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arns[each.key]]
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = local.regions

  region                  = each.key
  description             = "Encrypts the ${local.topic_name} SNS topic (disaster-recovery alerts) in ${each.key}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key[each.key].json

  tags = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  for_each = local.regions

  region        = each.key
  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
