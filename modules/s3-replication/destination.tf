# The replica bucket in the secondary Region.
resource "aws_s3_bucket" "destination" {
  # checkov:skip=CKV_AWS_144:This bucket IS the cross-Region replica of the source bucket; replicating the replica again adds a third copy and is not part of this DR design.
  # checkov:skip=CKV_AWS_18:Write-only replication target written by the S3 replication service; server access logs would need a further log bucket in the DR Region (which itself needs logging). Audit with CloudTrail S3 data events; enable access logging in the failover runbook when the replica starts serving traffic (see README).
  region = var.secondary_region

  bucket           = var.destination_bucket
  bucket_namespace = local.destination_account_regional ? "account-regional" : null
  force_destroy    = false

  tags = var.tags

  lifecycle {
    prevent_destroy = true

    precondition {
      # Every -an name, not only those naming secondary_region: S3 reserves the suffix for the
      # account-regional namespace, whose names must end with the bucket's own account and Region.
      condition     = length(regexall("-an$", var.destination_bucket)) == 0 || can(regex("-${local.account_id}-${var.secondary_region}-an$", var.destination_bucket))
      error_message = "A destination_bucket name ending in -an is an account-regional name and must end with this account's ID and the secondary Region: <prefix>-${local.account_id}-${var.secondary_region}-an."
    }
  }
}

resource "aws_s3_bucket_versioning" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id

  versioning_configuration {
    status = "Enabled"
  }

  lifecycle {
    # Suspending versioning on the replica breaks replication.
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.destination.arn
    }
    bucket_key_enabled = true

    # Refuse SSE-C writes, replicated ones included (S3 default for new
    # buckets, stated explicitly). SSE-C objects of the source therefore fail
    # replication and raise the OperationsFailedReplication alarm instead of
    # landing in the replica encrypted with keys that AWS does not hold.
    blocked_encryption_types = ["SSE-C"]
  }
}

resource "aws_s3_bucket_public_access_block" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.destination_bucket_arn, "${local.destination_bucket_arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      {
        Sid       = "DenyOutdatedTls"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.destination_bucket_arn, "${local.destination_bucket_arn}/*"]
        Condition = {
          NumericLessThan = { "s3:TlsVersion" = "1.2" }
        }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.destination]
}

resource "aws_s3_bucket_lifecycle_configuration" "destination" {
  region = var.secondary_region

  bucket = aws_s3_bucket.destination.id

  rule {
    id     = "noncurrent-version-retention"
    status = "Enabled"

    filter {}

    # Older versions of replicated objects (and versions hidden by a
    # replicated delete marker) are kept this long, then removed.
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    # A delete marker left with no versions behind it is removed.
    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.destination]
}

# Object-level events of the replica go to the default EventBridge bus of the
# secondary Region (no cost until a rule matches). During a failover the replica
# becomes the live bucket: consumers that reacted to the source bucket's events
# are re-created as EventBridge rules instead of editing the bucket mid-incident,
# and unexpected deletes in the replica can be alerted on.
resource "aws_s3_bucket_notification" "destination" {
  region = var.secondary_region

  bucket      = aws_s3_bucket.destination.id
  eventbridge = true
}
