# The report bucket: Backup Audit Manager's service-linked role writes the reports; nobody else writes,
# nothing is public, every object is encrypted with the module's key and kept report_retention_days.

locals {
  report_bucket     = "${var.report_bucket_prefix}-${local.account_id}"
  report_bucket_arn = "arn:${local.partition}:s3:::${local.report_bucket}"
  # The service-linked role of Backup Audit Manager (AWS Backup Developer Guide, "Using service-linked
  # roles": AWSServiceRoleForBackupReports).
  reports_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports"
}

resource "aws_s3_bucket" "reports" {
  # checkov:skip=CKV_AWS_144:The reports are evidence that AWS Backup writes again every day; a cross-Region replica of them adds nothing a Regional outage would need (the framework audits the primary Region only).
  # checkov:skip=CKV_AWS_18:Server access logs would need a further log bucket (which itself needs logging); reads of the reports are audited with CloudTrail S3 data events, and only AWS Backup writes (bucket policy).
  region = var.region

  bucket        = local.report_bucket
  force_destroy = false

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.report_bucket) <= 63
      error_message = "The report bucket name \"${local.report_bucket}\" is longer than 63 characters; shorten report_bucket_prefix."
    }
  }
}

resource "aws_s3_bucket_versioning" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.reports.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowBackupAuditManagerReports"
        Effect    = "Allow"
        Principal = { AWS = local.reports_role_arn }
        Action    = "s3:PutObject"
        Resource  = "${local.report_bucket_arn}/*"
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.report_bucket_arn, "${local.report_bucket_arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      {
        Sid       = "DenyOutdatedTls"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.report_bucket_arn, "${local.report_bucket_arn}/*"]
        Condition = {
          NumericLessThan = { "s3:TlsVersion" = "1.2" }
        }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.reports]
}

resource "aws_s3_bucket_lifecycle_configuration" "reports" {
  region = var.region

  bucket = aws_s3_bucket.reports.id

  rule {
    id     = "report-retention"
    status = "Enabled"

    filter {}

    expiration {
      days = var.report_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.report_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.reports]
}

# Object-level events go to the default EventBridge bus (no cost until a rule matches): a rule can pick
# up each new compliance report, and unexpected deletes can be alerted on.
resource "aws_s3_bucket_notification" "reports" {
  region = var.region

  bucket      = aws_s3_bucket.reports.id
  eventbridge = true
}
