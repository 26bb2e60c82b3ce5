# Role that Amazon S3 assumes to replicate objects from the source bucket.
data "aws_iam_policy_document" "replication_assume_role" {
  statement {
    sid     = "AllowS3ToAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    # Confused-deputy protection: only S3 acting for this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "replication" {
  name                 = "${var.name}-s3-replication"
  description          = "Assumed by Amazon S3 to replicate ${var.source_bucket} (${var.primary_region}) to ${var.destination_bucket} (${var.secondary_region})"
  assume_role_policy   = data.aws_iam_policy_document.replication_assume_role.json
  max_session_duration = 3600

  tags = var.tags
}

data "aws_iam_policy_document" "replication" {
  statement {
    sid    = "ReadSourceBucketConfiguration"
    effect = "Allow"
    actions = [
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
    ]
    resources = [local.source_bucket_arn]
  }

  statement {
    sid    = "ReadSourceObjectVersions"
    effect = "Allow"
    actions = [
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
    ]
    resources = ["${local.source_bucket_arn}/*"]
  }

  statement {
    sid    = "WriteReplicasToDestination"
    effect = "Allow"
    # ReplicateDelete (delete markers) only when delete markers are replicated.
    actions = concat(
      ["s3:ReplicateObject", "s3:ReplicateTags"],
      var.replicate_deletes ? ["s3:ReplicateDelete"] : [],
    )
    resources = ["${local.destination_bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = var.source_kms_key_arn == null ? [] : [var.source_kms_key_arn]

    content {
      sid       = "DecryptSourceObjectsThroughS3"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local.s3_via_primary]
      }

      # Object ARN without an S3 Bucket Key, bucket ARN with one.
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:aws:s3:arn"
        values   = [local.source_bucket_arn, "${local.source_bucket_arn}/*"]
      }
    }
  }

  statement {
    sid    = "EncryptReplicasThroughS3"
    effect = "Allow"
    # Decrypt: S3 verifies the destination S3 Bucket Key with it.
    actions = [
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:Decrypt",
    ]
    resources = [aws_kms_key.destination.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_via_secondary]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.destination_bucket_arn, "${local.destination_bucket_arn}/*"]
    }
  }
}

resource "aws_iam_role_policy" "replication" {
  name   = "s3-replication"
  role   = aws_iam_role.replication.id
  policy = data.aws_iam_policy_document.replication.json
}

# Live replication copies only what is written after the rule exists. S3 Batch
# Replication copies the objects that were already in the bucket; this is the role
# its job runs as (RUNBOOK.md: "Copy the objects that existed before replication").
# With a manifest S3 generates from the replication configuration and no report,
# the job needs only these permissions (S3 User Guide, s3-batch-replication-policies).
data "aws_iam_policy_document" "batch_assume_role" {
  statement {
    sid     = "AllowS3BatchOperationsToAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["batchoperations.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "batch" {
  name                 = "${var.name}-s3-batch"
  description          = "Assumed by S3 Batch Operations to replicate the objects of ${var.source_bucket} that existed before its replication rule"
  assume_role_policy   = data.aws_iam_policy_document.batch_assume_role.json
  max_session_duration = 3600

  tags = var.tags
}

data "aws_iam_policy_document" "batch" {
  statement {
    sid       = "InitiateReplicationOfExistingObjects"
    effect    = "Allow"
    actions   = ["s3:InitiateReplication"]
    resources = ["${local.source_bucket_arn}/*"]
  }

  statement {
    sid    = "GenerateTheManifestFromTheReplicationConfiguration"
    effect = "Allow"
    actions = [
      "s3:GetReplicationConfiguration",
      "s3:PutInventoryConfiguration",
    ]
    resources = [local.source_bucket_arn]
  }
}

resource "aws_iam_role_policy" "batch" {
  name   = "s3-batch-replication"
  role   = aws_iam_role.batch.id
  policy = data.aws_iam_policy_document.batch.json
}
