# An ARC Region switch plan (active/passive): the workflow that activates the secondary
# Region promotes each RDS read replica and fails each Aurora Global Database over, in
# the recovery waves lifeboat computed (dependencies first, one wave's steps in
# parallel); where AWS has a way back (an Aurora switchover), a second workflow
# activates the primary Region again. Region switch runs the plan from the Region it
# activates: starting it needs no API of the lost Region.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  steps        = flatten(var.waves)
  rds_steps    = [for s in local.steps : s if s.kind == "rds"]
  aurora_steps = [for s in local.steps : s if s.kind == "aurora"]

  rds_arn     = "arn:${local.partition}:rds:%s:${local.account}:db:%s"
  cluster_arn = "arn:${local.partition}:rds:%s:${local.account}:cluster:%s"
  alarm_arn   = "arn:${local.partition}:cloudwatch:%s:${local.account}:alarm:%s"

  # Per step, the resources it acts on in each Region of the plan.
  instances = {
    for s in local.rds_steps : s.name => {
      (var.primary_region)   = format(local.rds_arn, var.primary_region, s.source)
      (var.secondary_region) = format(local.rds_arn, var.secondary_region, s.target)
    }
  }
  clusters = {
    for s in local.aurora_steps : s.name => [
      format(local.cluster_arn, var.primary_region, s.source),
      format(local.cluster_arn, var.secondary_region, s.target),
    ]
  }

  # Route 53 publishes HealthCheckStatus to CloudWatch in us-east-1 only.
  trigger_alarms = {
    for n in var.trigger_alarm_names : n => format(local.alarm_arn, "us-east-1", n)
  }
  health_alarms = {
    for a in var.health_alarms : a.name => format(local.alarm_arn, a.region, a.name)
  }

  approval = var.approval_role_name != null
}

resource "aws_arcregionswitch_plan" "this" {
  name                            = var.name
  description                     = "lifeboat: activates ${var.secondary_region} when ${var.primary_region} is lost (RDS replica promotion, Aurora Global Database failover), in recovery waves."
  execution_role                  = aws_iam_role.execution.arn
  recovery_approach               = "activePassive"
  regions                         = [var.primary_region, var.secondary_region]
  primary_region                  = var.primary_region
  recovery_time_objective_minutes = var.recovery_time_objective_minutes

  dynamic "associated_alarms" {
    for_each = local.trigger_alarms
    content {
      map_block_key       = associated_alarms.key
      alarm_type          = "trigger"
      resource_identifier = associated_alarms.value
    }
  }

  dynamic "associated_alarms" {
    for_each = local.health_alarms
    content {
      map_block_key       = associated_alarms.key
      alarm_type          = "applicationHealth"
      resource_identifier = associated_alarms.value
    }
  }

  # Activate the secondary Region: the approval step (if any), then the waves.
  workflow {
    workflow_target_action = "activate"
    workflow_target_region = var.secondary_region
    workflow_description   = "Fail over to ${var.secondary_region}: promote the read replicas and fail the Global Databases over, dependencies first."

    dynamic "step" {
      for_each = local.approval ? [var.approval_step_name] : []
      content {
        name                 = step.value
        execution_block_type = "ManualApproval"
        description          = "A person confirms that ${var.primary_region} is lost before any database is promoted (promotion is one-way and loses up to the replica lag)."

        execution_approval_config {
          approval_role   = one(aws_iam_role.approval[*].arn)
          timeout_minutes = var.approval_timeout_minutes
        }
      }
    }

    dynamic "step" {
      for_each = var.waves
      content {
        # One step alone runs as itself; several run in one Parallel step.
        name                 = length(step.value) == 1 ? step.value[0].name : "wave-${step.key + 1}"
        execution_block_type = length(step.value) == 1 ? (step.value[0].kind == "rds" ? "RdsPromoteReadReplica" : "AuroraGlobalDatabase") : "Parallel"
        description          = "Recovery wave ${step.key + 1}: ${join(", ", [for s in step.value : s.name])}."

        dynamic "rds_promote_read_replica_config" {
          for_each = length(step.value) == 1 && step.value[0].kind == "rds" ? step.value : []
          content {
            db_instance_arn_map = local.instances[rds_promote_read_replica_config.value.name]
          }
        }

        dynamic "global_aurora_config" {
          for_each = length(step.value) == 1 && step.value[0].kind == "aurora" ? step.value : []
          content {
            # A lost primary cannot switch over: fail over, accepting the replication lag.
            behavior                  = "failover"
            global_cluster_identifier = global_aurora_config.value.global_cluster
            database_cluster_arns     = local.clusters[global_aurora_config.value.name]
          }
        }

        dynamic "parallel_config" {
          for_each = length(step.value) > 1 ? [step.value] : []
          content {
            dynamic "step" {
              for_each = parallel_config.value
              content {
                name                 = step.value.name
                execution_block_type = step.value.kind == "rds" ? "RdsPromoteReadReplica" : "AuroraGlobalDatabase"

                dynamic "rds_promote_read_replica_config" {
                  for_each = step.value.kind == "rds" ? [step.value] : []
                  content {
                    db_instance_arn_map = local.instances[rds_promote_read_replica_config.value.name]
                  }
                }

                dynamic "global_aurora_config" {
                  for_each = step.value.kind == "aurora" ? [step.value] : []
                  content {
                    behavior                  = "failover"
                    global_cluster_identifier = global_aurora_config.value.global_cluster
                    database_cluster_arns     = local.clusters[global_aurora_config.value.name]
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  # The way back, where AWS has one: once the primary Region is healthy again, Aurora
  # switches each Global Database back without data loss. A promoted RDS replica is a
  # standalone instance; going back needs a new replica (see the runbook).
  dynamic "workflow" {
    for_each = length(local.aurora_steps) > 0 ? [local.aurora_steps] : []
    content {
      workflow_target_action = "activate"
      workflow_target_region = var.primary_region
      workflow_description   = "Return to ${var.primary_region}: switch the Global Databases back (no data loss; both Regions must be healthy)."

      dynamic "step" {
        for_each = workflow.value
        content {
          name                 = replace(step.value.name, "/-global-failover$/", "-global-switchover")
          execution_block_type = "AuroraGlobalDatabase"

          global_aurora_config {
            behavior                  = "switchoverOnly"
            global_cluster_identifier = step.value.global_cluster
            database_cluster_arns     = local.clusters[step.value.name]
          }
        }
      }
    }
  }

  # Activate the secondary Region by itself once every primary target is unhealthy.
  dynamic "triggers" {
    for_each = length(var.trigger_alarm_names) > 0 ? [var.trigger_alarm_names] : []
    content {
      action                               = "activate"
      target_region                        = var.secondary_region
      min_delay_minutes_between_executions = var.min_delay_minutes_between_executions
      description                          = "Every primary endpoint's Route 53 health check is unhealthy: ${var.primary_region} is taken as lost."

      dynamic "conditions" {
        for_each = triggers.value
        content {
          associated_alarm_name = conditions.value
          condition             = "red"
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "The primary and secondary Regions must differ."
    }
  }
}
