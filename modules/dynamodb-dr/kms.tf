################################################################################
# Customer managed key in the secondary Region
#
# A replica of a global table is encrypted with a key of its own Region (DynamoDB Developer
# Guide, "Global tables - encryption at rest": each replica can use its own key). The key
# policy has the root-account administration statement and lets any principal of this
# account use the key only through DynamoDB in the secondary Region (kms:ViaService), which is
# how DynamoDB and its replication service-linked role (AWSServiceRoleForDynamoDBReplication)
# encrypt the replica and create their grants.
################################################################################

resource "aws_kms_key" "secondary" {
  count = var.global_table ? 1 : 0

  region = var.secondary_region

  description             = "lifeboat ${var.name}: DynamoDB global table replica of ${var.table_name} in ${var.secondary_region}"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = false

  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "lifeboat-dynamodb-dr"
    Statement = [
      {
        Sid       = "EnableRootAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = format("arn:%s:iam::%s:root", local.partition, local.account_id) }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowUseThroughDynamoDBInSecondaryRegion"
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
            "kms:ViaService"    = format("dynamodb.%s.%s", var.secondary_region, local.dns_suffix)
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
  count = var.global_table ? 1 : 0

  region = var.secondary_region

  name          = "alias/lifeboat/${var.name}-dynamodb-replica"
  target_key_id = aws_kms_key.secondary[0].key_id
}
