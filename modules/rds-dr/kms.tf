################################################################################
# Customer managed key in the secondary Region
#
# A KMS key never leaves its Region, so an encrypted source needs a key in the DR Region for
# its cross-Region replica (kms_key_id) and for its replicated automated backups. The same key
# encrypts the replica's Performance Insights data (also for unencrypted sources, so that no
# AWS managed key is involved).
#
# The RDS statement mirrors the AWS managed aws/rds key policy: any principal of this account
# may use the key, but only through Amazon RDS in the secondary Region (kms:ViaService) -
# which is how RDS, acting for the caller, creates the replica, its grants and the replicated
# backups.
################################################################################

resource "aws_kms_key" "secondary" {
  count = local.create_kms_key ? 1 : 0

  region = var.secondary_region

  description             = "lifeboat ${var.name}: RDS disaster-recovery copies of ${var.source_identifier} in ${var.secondary_region}"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = false

  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "lifeboat-rds-dr"
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

  name          = "alias/lifeboat/${var.name}-rds-dr"
  target_key_id = aws_kms_key.secondary[0].key_id
}
