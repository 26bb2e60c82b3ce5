# One customer managed key per vault, in the vault's Region. Recovery points of resources that AWS Backup
# fully manages (S3, EFS, DynamoDB with the advanced backup features) are encrypted with the vault key;
# RDS and Aurora snapshots keep the source key in the primary Region and are re-encrypted with the
# secondary vault's key when copied across Regions.

data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109:This is a KMS key policy: Resource "*" means the key the policy is attached to, and the kms:* statement is the account-root administration statement of AWS's default key policy (access is still governed by IAM).
  # checkov:skip=CKV_AWS_111:This is a KMS key policy: Resource "*" means only the key the policy is attached to; the backup role's statements are constrained by kms:ViaService, kms:CallerAccount and kms:GrantIsForAWSResource.
  # checkov:skip=CKV_AWS_356:This is a KMS key policy: a key policy cannot name other resources, Resource "*" is the documented form and means the key itself.
  for_each = local.vaults

  # Key administration stays with the account, so IAM policies (break-glass admins, the DR operator)
  # can use the key during a restore even if this module's role is gone.
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

  # AWS Backup (and RDS, for cross-Region snapshot copies and restores started by AWS Backup) use the
  # key on behalf of the backup role, and only through those services in this Region.
  statement {
    sid    = "AllowAWSBackupRoleUseThroughBackupAndRDS"
    effect = "Allow"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.backup.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "backup.${each.value.region}.${local.dns_suffix}",
        "rds.${each.value.region}.${local.dns_suffix}",
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }
  }

  # Grants let the services attach the key to the resources they create (recovery points, restored
  # DB instances); only grants for AWS resources are allowed.
  statement {
    sid    = "AllowAWSBackupRoleGrantsForAWSResources"
    effect = "Allow"
    actions = [
      "kms:CreateGrant",
      "kms:ListGrants",
      "kms:RevokeGrant",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.backup.arn]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = local.vaults

  region                  = each.value.region
  description             = "Encrypts the AWS Backup vault ${each.value.name} (${each.key} Region of ${var.name})."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms[each.key].json

  tags = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  for_each = local.vaults

  region        = each.value.region
  name          = "alias/${var.name}-backup-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
