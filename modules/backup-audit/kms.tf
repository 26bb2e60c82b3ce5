# The report bucket's customer managed key. Backup Audit Manager's service-linked role must be able to
# generate data keys and decrypt with it (AWS Backup Developer Guide, "Creating report plans using the
# AWS Backup API").

data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109:This is a KMS key policy: Resource "*" means the key the policy is attached to, and the kms:* statement is the account-root administration statement of AWS's default key policy (access is still governed by IAM).
  # checkov:skip=CKV_AWS_111:This is a KMS key policy: Resource "*" means only the key the policy is attached to; the reports role's statement is constrained by kms:ViaService and kms:CallerAccount.
  # checkov:skip=CKV_AWS_356:This is a KMS key policy: a key policy cannot name other resources, Resource "*" is the documented form and means the key itself.
  statement {
    sid       = "EnableAccountAdministration"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AllowBackupAuditManagerReportsThroughS3"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.reports_role_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.${data.aws_partition.current.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "reports" {
  region = var.region

  description             = "lifeboat: AWS Backup Audit Manager reports (${local.report_bucket})"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "reports" {
  region = var.region

  name          = "alias/${var.report_bucket_prefix}"
  target_key_id = aws_kms_key.reports.key_id
}
