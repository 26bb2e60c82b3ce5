data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  tags = merge(var.tags, { "lifeboat:asset" = var.name })

  source     = data.aws_dynamodb_table.source
  source_arn = local.source.arn

  # Point-in-time recovery of the source as DynamoDB reports it (DescribeContinuousBackups):
  # enabled, and the recovery period, 1-35 days (35 when it was never set).
  source_pitr_enabled = try(local.source.point_in_time_recovery[0].enabled, false) == true
  source_pitr_days    = local.source_pitr_enabled ? coalesce(try(local.source.point_in_time_recovery[0].recovery_period_in_days, null), 35) : 0

  source_stream_enabled   = local.source.stream_enabled == true
  source_stream_view_type = coalesce(local.source.stream_view_type, "NONE")

  # ReplicationLatency is published in milliseconds.
  replication_latency_threshold_milliseconds = var.replication_latency_threshold_seconds * 1000
}

################################################################################
# The existing source table: looked up, never managed.
#
# The checks that make `terraform plan` fail when the inventory contradicts reality are
# preconditions on aws_cloudwatch_event_rule.source_changes (events.tf), the one resource
# every configuration creates.
################################################################################

data "aws_dynamodb_table" "source" {
  region = var.primary_region
  name   = var.table_name
}
