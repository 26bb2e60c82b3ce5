data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  source_bucket_arn      = format("arn:%s:s3:::%s", local.partition, var.source_bucket)
  destination_bucket_arn = format("arn:%s:s3:::%s", local.partition, var.destination_bucket)

  # Region of an ARN is its 4th field; used by the preconditions below.
  source_kms_key_region        = var.source_kms_key_arn == null ? null : split(":", var.source_kms_key_arn)[3]
  alert_topic_region           = split(":", var.alert_topic_arn)[3]
  secondary_alert_topic_region = var.secondary_alert_topic_arn == null ? null : split(":", var.secondary_alert_topic_arn)[3]

  # <prefix>-<account-id>-<region>-an names live in the account-regional namespace
  # (only this account can ever own them); every other name is global.
  destination_account_regional = can(regex("-[0-9]{12}-${var.secondary_region}-an$", var.destination_bucket))

  # Stable rule ID: it is the RuleId dimension of the replication metrics.
  rule_id = "${var.name}-crr-${var.secondary_region}"

  # The destination is a disaster-recovery copy that must be readable at once
  # during a failover, so replicas are written in STANDARD (Glacier classes
  # would add a restore to the RTO; IA classes add retrieval fees and a
  # minimum storage duration).
  replica_storage_class = "STANDARD"

  # kms:ViaService names the S3 endpoint of the partition (amazonaws.com.cn in China).
  s3_via_primary   = "s3.${var.primary_region}.${local.dns_suffix}"
  s3_via_secondary = "s3.${var.secondary_region}.${local.dns_suffix}"
}
