################################################################################
# Customer managed key in the secondary Region
#
# A KMS key never leaves its Region: the secondary cluster of an encrypted global database must
# be encrypted with a key of the secondary Region (Aurora User Guide, "Creating an Amazon Aurora
# global database": "kms_key_id ... for each secondary cluster in its own Region"). The same key
# encrypts the secondary instances' Performance Insights data.
#
# The RDS statement mirrors the AWS managed aws/rds key policy: any principal of this account
# may use the key, but only through Amazon RDS in the secondary Region (kms:ViaService).
################################################################################

resource "aws_kms_key" "secondary" {
  count = local.create_kms_key ? 1 : 0

  region = var.secondary_region

  description             = "lifeboat ${var.name}: Aurora global database secondary of ${var.source_cluster_identifier} in ${var.secondary_region}"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = false

  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "lifeboat-aurora-dr"
    Statement = [
      {
        Sid       = "EnableRootAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = format("arn:%s:iam::%s:root", local.partition, local.account_id) }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowUseThroughRDSInSecondaryRegion"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:CreateGrant",
          "kms:ListGrants",
          "kms:DescribeKey",
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService"    = format("rds.%s.%s", var.secondary_region, local.dns_suffix)
          }
        }
      },
    ]
  })

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "secondary" {
  count = local.create_kms_key ? 1 : 0

  region = var.secondary_region

  name          = "alias/lifeboat/${var.name}-aurora-dr"
  target_key_id = aws_kms_key.secondary[0].key_id
}
