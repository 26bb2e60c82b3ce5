data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  tags = merge(var.tags, { "lifeboat:asset" = var.name })

  source         = data.aws_rds_cluster.source
  source_arn     = local.source.arn
  source_members = try(sort(tolist(local.source.cluster_members)), [])

  global_cluster_identifier            = "${var.name}-global"
  secondary_cluster_identifier         = "${var.name}-dr"
  secondary_final_snapshot_identifier  = "${var.name}-dr-final"
  secondary_instance_identifier_prefix = "${var.name}-dr-"

  # Known at plan time (no resource attribute), so the failover commands are in the plan.
  secondary_cluster_arn = format("arn:%s:rds:%s:%s:cluster:%s", local.partition, var.secondary_region, local.account_id, local.secondary_cluster_identifier)

  # The class of the secondary instances: the variable, else the class of the source cluster's
  # first member (lexical order of cluster_members), which AWS recommends so that the promoted
  # cluster can take the write load.
  lookup_member_class      = var.global_database && var.secondary_instance_class == null && length(local.source_members) > 0
  secondary_instance_class = var.secondary_instance_class != null ? var.secondary_instance_class : one(data.aws_db_instance.source_member[*].db_instance_class)
  serverless_v2            = local.secondary_instance_class == "db.serverless"

  # Log types each Aurora engine can publish to CloudWatch Logs (Aurora User Guide, "Publishing
  # database logs to Amazon CloudWatch Logs").
  log_exports = {
    "aurora-postgresql" = ["postgresql"]
    "aurora-mysql"      = ["audit", "error", "general", "slowquery"]
  }[var.engine]

  # Performance Insights (Database Insights standard mode) is not offered on these classes for
  # Aurora MySQL (RDS User Guide, "DB engine, Region, and instance class support for Database
  # Insights"); Aurora PostgreSQL supports every class Aurora offers.
  performance_insights_unsupported_classes = var.engine == "aurora-mysql" ? ["db.t2.small", "db.t2.medium", "db.t3.small"] : []
  performance_insights                     = !contains(local.performance_insights_unsupported_classes, coalesce(local.secondary_instance_class, "unknown"))

  # One CMK in the secondary Region encrypts the secondary cluster (a KMS key never leaves its
  # Region) and its Performance Insights data. Unencrypted clusters get no key.
  create_kms_key = var.global_database && var.expect_encrypted

  # AuroraGlobalDBReplicationLag is published in milliseconds.
  global_lag_threshold_milliseconds = var.global_lag_threshold_seconds * 1000
}

################################################################################
# The existing source cluster: looked up, never managed.
#
# The checks that make `terraform plan` fail when the inventory contradicts reality are
# preconditions on aws_db_event_subscription.source (monitoring.tf), the one resource every
# configuration creates (a lifecycle block in a data source needs Terraform 1.2, which
# lifeboat's offline validator does not assume).
################################################################################

data "aws_rds_cluster" "source" {
  region             = var.primary_region
  cluster_identifier = var.source_cluster_identifier
}

# The first member of the source cluster, only to learn its instance class when
# secondary_instance_class is null.
data "aws_db_instance" "source_member" {
  count = local.lookup_member_class ? 1 : 0

  region                 = var.primary_region
  db_instance_identifier = local.source_members[0]
}
