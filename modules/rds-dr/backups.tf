################################################################################
# Cross-Region automated backup replication
#
# RDS copies every snapshot and the transaction logs of the source into the secondary Region,
# so a point-in-time restore is possible there (RPO ~ the 5-minute log cadence plus the copy
# delay; RDS publishes no bound). The resource lives in the DESTINATION Region and names the
# source by ARN. Stopping replication (destroying this resource) keeps the already replicated
# backups until their retention ends, but no new ones arrive: it is protected like data.
################################################################################

resource "aws_db_instance_automated_backups_replication" "this" {
  count = var.backup_replication ? 1 : 0

  region = var.secondary_region

  source_db_instance_arn = local.source_arn
  retention_period       = var.backup_replication_retention_days
  kms_key_id             = var.expect_encrypted ? aws_kms_key.secondary[0].arn : null

  timeouts {
    create = "2h"
    delete = "2h"
  }

  lifecycle {
    prevent_destroy = true
  }
}
