################################################################################
# Customer managed key in the secondary Region
#
# The replica (destination file system) is created by EFS in the secondary Region and
# encrypted at rest with this key (a KMS key never leaves its Region). The key policy has the
# root-account administration statement and lets any principal of this account use the key
# only through Amazon EFS in the secondary Region (kms:ViaService), which is how EFS and its
# service-linked role encrypt the replica and create their grants.
################################################################################

resource "aws_kms_key" "secondary" {
  count = var.replication ? 1 : 0

  region = var.secondary_region

  description             = "lifeboat ${var.name}: EFS replica of ${var.file_system_id} in ${var.secondary_region}"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = false

  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "lifeboat-efs-dr"
    Statement = [
      {
        Sid       = "EnableRootAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = format("arn:%s:iam::%s:root", local.partition, local.account_id) }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowUseThroughEFSInSecondaryRegion"
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
            "kms:ViaService"    = format("elasticfilesystem.%s.%s", var.secondary_region, local.dns_suffix)
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
  count = var.replication ? 1 : 0

  region = var.secondary_region

  name          = "alias/lifeboat/${var.name}-efs-replica"
  target_key_id = aws_kms_key.secondary[0].key_id
}
