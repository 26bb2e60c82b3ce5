# Customer managed key for the replica bucket, in the secondary Region.
resource "aws_kms_key" "destination" {
  region = var.secondary_region

  description             = "Encrypts S3 replicas in ${var.destination_bucket} (${var.name} cross-Region replication)"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableRootAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = format("arn:%s:iam::%s:root", local.partition, local.account_id) }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # S3 encrypts replicas with this key using the replication role's
        # credentials; Decrypt is needed because the bucket uses an S3 Bucket Key.
        Sid       = "AllowS3ReplicationRoleThroughS3"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.replication.arn }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:GenerateDataKey",
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"    = local.s3_via_secondary
            "kms:CallerAccount" = local.account_id
          }
        }
      },
    ]
  })

  tags = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "destination" {
  region = var.secondary_region

  name          = "alias/${var.name}-s3-replica"
  target_key_id = aws_kms_key.destination.key_id
}
