# AWS FIS experiment templates that cause, for real, the disruptions lifeboat's recovery
# model estimates (docs/drill.md, "Real drills with AWS FIS"). Nothing runs until someone
# starts an experiment: the templates only describe it.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # What each action is in AWS FIS: its id, the target key and resource type it takes
  # (AWS FIS User Guide, Actions reference), and the ARN of a target named `resource`.
  actions = {
    rds-reboot-failover = {
      action_id   = "aws:rds:reboot-db-instances"
      target_key  = "DBInstances"
      target_type = "aws:rds:db"
    }
    aurora-failover = {
      action_id   = "aws:rds:failover-db-cluster"
      target_key  = "Clusters"
      target_type = "aws:rds:cluster"
    }
    s3-pause-replication = {
      action_id   = "aws:s3:bucket-pause-replication"
      target_key  = "Buckets"
      target_type = "aws:s3:bucket"
    }
    dynamodb-pause-replication = {
      action_id   = "aws:dynamodb:global-table-pause-replication"
      target_key  = "Tables"
      target_type = "aws:dynamodb:global-table"
    }
  }

  arn = {
    for k, e in var.experiments : k => (
      e.action == "rds-reboot-failover" ? "arn:${local.partition}:rds:${var.region}:${local.account_id}:db:${e.resource}" :
      e.action == "aurora-failover" ? "arn:${local.partition}:rds:${var.region}:${local.account_id}:cluster:${e.resource}" :
      e.action == "s3-pause-replication" ? "arn:${local.partition}:s3:::${e.resource}" :
      "arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${e.resource}"
    )
  }

  # Action parameters, as AWS FIS takes them (strings).
  parameters = {
    for k, e in var.experiments : k => (
      e.action == "rds-reboot-failover" ? { forceFailover = "true" } :
      e.action == "aurora-failover" ? {} :
      e.action == "s3-pause-replication" ? { duration = e.duration, region = var.secondary_region, destinationBuckets = e.destination } :
      { duration = e.duration }
    )
  }

  targets_of = { for a in keys(local.actions) : a => [for k, e in var.experiments : local.arn[k] if e.action == a] }
}

resource "aws_fis_experiment_template" "drill" {
  for_each = var.experiments

  region      = var.region
  description = each.value.description
  role_arn    = aws_iam_role.fis.arn

  action {
    name        = each.value.action
    action_id   = local.actions[each.value.action].action_id
    description = each.value.description

    dynamic "parameter" {
      for_each = local.parameters[each.key]
      content {
        key   = parameter.key
        value = parameter.value
      }
    }

    target {
      key   = local.actions[each.value.action].target_key
      value = "target"
    }
  }

  target {
    name           = "target"
    resource_type  = local.actions[each.value.action].target_type
    resource_arns  = [local.arn[each.key]]
    selection_mode = "ALL"
  }

  # An alarm going to ALARM stops the experiment; without one, a person watches it
  # and stops it with `aws fis stop-experiment` (RUNBOOK.md prints both).
  dynamic "stop_condition" {
    for_each = length(each.value.stop_alarms) > 0 ? each.value.stop_alarms : ["none"]
    content {
      source = length(each.value.stop_alarms) > 0 ? "aws:cloudwatch:alarm" : "none"
      value  = length(each.value.stop_alarms) > 0 ? "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${stop_condition.value}" : null
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
