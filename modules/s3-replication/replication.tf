# Versioning on the EXISTING source bucket (replication requires it on both
# buckets). Destroying this resource would suspend versioning on a bucket this
# module does not own, hence prevent_destroy.
resource "aws_s3_bucket_versioning" "source" {
  region = var.primary_region

  bucket = var.source_bucket

  versioning_configuration {
    status = "Enabled"
  }

  lifecycle {
    prevent_destroy = true
  }
}

# One V2 rule (filter {}) replicating the whole source bucket. This resource
# owns the bucket's ENTIRE replication configuration.
resource "aws_s3_bucket_replication_configuration" "source" {
  region = var.primary_region

  bucket = var.source_bucket
  role   = aws_iam_role.replication.arn

  rule {
    id       = local.rule_id
    priority = 1
    status   = "Enabled"

    filter {}

    delete_marker_replication {
      status = var.replicate_deletes ? "Enabled" : "Disabled"
    }

    # Opt in to replicating SSE-KMS / DSSE-KMS objects. Objects under a key the
    # role cannot decrypt fail replication and raise the failure alarm rather
    # than being skipped silently. replica_modifications is not enabled: the
    # source holds no replicas in this one-way setup (see README, failback).
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    # No existing_object_replication: the API rejects it with MalformedXML
    # (terraform-provider-aws #43746). Existing objects: S3 Batch Replication.

    destination {
      bucket        = aws_s3_bucket.destination.arn
      storage_class = local.replica_storage_class

      encryption_configuration {
        replica_kms_key_id = aws_kms_key.destination.arn
      }

      dynamic "replication_time" {
        for_each = var.replication_time_control ? [15] : []

        content {
          status = "Enabled"
          time {
            minutes = replication_time.value
          }
        }
      }

      # Replication metrics are always on: OperationsFailedReplication is only
      # published when they are. event_threshold is only accepted with RTC
      # ("Metrics cannot contain an event threshold when ReplicationTime is
      # not specified or Disabled").
      metrics {
        status = "Enabled"

        dynamic "event_threshold" {
          for_each = var.replication_time_control ? [15] : []

          content {
            minutes = event_threshold.value
          }
        }
      }
    }
  }

  depends_on = [
    aws_s3_bucket_versioning.source,
    aws_s3_bucket_versioning.destination,
    aws_s3_bucket_server_side_encryption_configuration.destination,
    aws_iam_role_policy.replication,
  ]

  lifecycle {
    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "primary_region and secondary_region must differ: this module sets up Cross-Region Replication."
    }

    precondition {
      condition     = var.source_bucket != var.destination_bucket
      error_message = "source_bucket and destination_bucket must differ."
    }

    precondition {
      condition     = var.source_kms_key_arn == null || local.source_kms_key_region == var.primary_region
      error_message = "source_kms_key_arn must be a key in primary_region (the source bucket's Region)."
    }
  }
}
