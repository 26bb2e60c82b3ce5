################################################################################
# Global table replica (version 2019.11.21) in the secondary Region
#
# Adding a replica turns the existing table into a global table (UpdateTable with
# ReplicaUpdates): DynamoDB copies the existing items, then replicates every write both ways
# (multi-Region, multi-active). The resource lives in the REPLICA's Region and names the
# source by ARN. Deleting it deletes the replica table and its data in the secondary Region,
# hence deletion protection and prevent_destroy.
#
# There is nothing to promote in a failover: the replica is writable all the time; clients
# switch to the secondary Region's endpoint (README, "Failover procedure").
################################################################################

resource "aws_dynamodb_table_replica" "this" {
  count = var.global_table ? 1 : 0

  region = var.secondary_region

  global_table_arn = local.source_arn
  kms_key_arn      = aws_kms_key.secondary[0].arn

  # The replica has its own continuous backups: after a failover it is the table that must be
  # restorable to a point in time.
  point_in_time_recovery      = true
  deletion_protection_enabled = true

  tags = merge(local.tags, {
    "lifeboat:role"   = "dr-global-table-replica"
    "lifeboat:source" = local.source_arn
  })

  # The initial copy of a large table takes hours.
  timeouts {
    create = "24h"
    update = "2h"
    delete = "2h"
  }

  lifecycle {
    prevent_destroy = true
  }
}
