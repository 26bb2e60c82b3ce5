data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  tags = merge(var.tags, { "lifeboat:asset" = var.name })

  source     = data.aws_efs_file_system.source
  source_arn = local.source.arn

  # One Zone file systems report the Availability Zone they live in; Regional ones report none.
  source_one_zone = try(length(local.source.availability_zone_name), 0) > 0
}

################################################################################
# The existing source file system: looked up, never managed.
#
# The checks that make `terraform plan` fail when the inventory contradicts reality are
# preconditions on aws_cloudwatch_event_rule.source_changes (events.tf), the one resource
# every configuration creates.
################################################################################

data "aws_efs_file_system" "source" {
  region         = var.primary_region
  file_system_id = var.file_system_id
}
