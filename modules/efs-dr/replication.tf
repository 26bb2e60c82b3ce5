################################################################################
# EFS replication to a new, Regional, read-only file system in the secondary Region
#
# The replication configuration is created in the SOURCE Region; EFS creates the destination
# file system, keeps it read-only (replication overwrite protection) and syncs it, with most
# changes replicated within minutes (EFS User Guide, "Replicating file systems").
#
# Deleting the replication configuration is what makes the replica writable: that is the
# failover step, done with the AWS CLI (README, "Failover procedure"), never a Terraform
# change. prevent_destroy keeps a plan from doing it by accident, and from cutting the DR copy
# loose: the destination file system survives the deletion but stops receiving changes.
################################################################################

resource "aws_efs_replication_configuration" "this" {
  count = var.replication ? 1 : 0

  region = var.primary_region

  source_file_system_id = var.file_system_id

  destination {
    region     = var.secondary_region
    kms_key_id = aws_kms_key.secondary[0].arn
  }

  # The initial sync copies the whole file system.
  timeouts {
    create = "24h"
    delete = "2h"
  }

  lifecycle {
    prevent_destroy = true
  }
}
