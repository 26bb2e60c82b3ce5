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

  steps         = flatten(var.waves)
  rds_steps     = [for s in local.steps : s if s.kind == "rds"]
  aurora_steps  = [for s in local.steps : s if s.kind == "aurora"]
  route53_steps = [for s in local.steps : s if s.kind == "route53"]

  # The execution block of each kind of step.
  block_type = {
    rds     = "RdsPromoteReadReplica"
    aurora  = "AuroraGlobalDatabase"
    route53 = "Route53HealthCheck"
  }

  # The way back (with Aurora steps): the switchovers and, when no step is an RDS
  # promotion (a promoted replica has no way back but a new one), the DNS steps, in
  # wave order.
  return_steps = length(local.aurora_steps) == 0 ? [] : [
    for s in local.steps : s if s.kind == "aurora" || (s.kind == "route53" && length(local.rds_steps) == 0)
  ]
  hosted_zones = distinct([for s in local.route53_steps : s.hosted_zone_id])

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
  description                     = "lifeboat: activates ${var.secondary_region} when ${var.primary_region} is lost (RDS replica promotion, Aurora Global Database failover${length(local.route53_steps) > 0 ? ", then DNS" : ""}), in recovery waves."
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
        execution_block_type = length(step.value) == 1 ? local.block_type[step.value[0].kind] : "Parallel"
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

        dynamic "route53_health_check_config" {
          for_each = length(step.value) == 1 && step.value[0].kind == "route53" ? step.value : []
          content {
            # The records' set identifiers name no Region: map each to its Region.
            hosted_zone_id = route53_health_check_config.value.hosted_zone_id
            record_name    = route53_health_check_config.value.record_name

            record_set {
              record_set_identifier = route53_health_check_config.value.source
              region                = var.primary_region
            }

            record_set {
              record_set_identifier = route53_health_check_config.value.target
              region                = var.secondary_region
            }
          }
        }

        dynamic "parallel_config" {
          for_each = length(step.value) > 1 ? [step.value] : []
          content {
            dynamic "step" {
              for_each = parallel_config.value
              content {
                name                 = step.value.name
                execution_block_type = local.block_type[step.value.kind]

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

                dynamic "route53_health_check_config" {
                  for_each = step.value.kind == "route53" ? [step.value] : []
                  content {
                    hosted_zone_id = route53_health_check_config.value.hosted_zone_id
                    record_name    = route53_health_check_config.value.record_name

                    record_set {
                      record_set_identifier = route53_health_check_config.value.source
                      region                = var.primary_region
                    }

                    record_set {
                      record_set_identifier = route53_health_check_config.value.target
                      region                = var.secondary_region
                    }
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
  # switches each Global Database back without data loss, then (without RDS steps) the
  # DNS steps move the records back. A promoted RDS replica is a standalone instance;
  # going back needs a new replica (see the runbook).
  dynamic "workflow" {
    for_each = length(local.return_steps) > 0 ? [local.return_steps] : []
    content {
      workflow_target_action = "activate"
      workflow_target_region = var.primary_region
      workflow_description   = "Return to ${var.primary_region}: switch the Global Databases back (no data loss; both Regions must be healthy)${length(local.route53_steps) > 0 && length(local.rds_steps) == 0 ? ", then move DNS back" : ""}."

      dynamic "step" {
        for_each = workflow.value
        content {
          name                 = step.value.kind == "aurora" ? replace(step.value.name, "/-global-failover$/", "-global-switchover") : replace(step.value.name, "/-switch-dns$/", "-switch-dns-back")
          execution_block_type = local.block_type[step.value.kind]

          dynamic "global_aurora_config" {
            for_each = step.value.kind == "aurora" ? [step.value] : []
            content {
              behavior                  = "switchoverOnly"
              global_cluster_identifier = global_aurora_config.value.global_cluster
              database_cluster_arns     = local.clusters[global_aurora_config.value.name]
            }
          }

          dynamic "route53_health_check_config" {
            for_each = step.value.kind == "route53" ? [step.value] : []
            content {
              hosted_zone_id = route53_health_check_config.value.hosted_zone_id
              record_name    = route53_health_check_config.value.record_name

              record_set {
                record_set_identifier = route53_health_check_config.value.source
                region                = var.primary_region
              }

              record_set {
                record_set_identifier = route53_health_check_config.value.target
                region                = var.secondary_region
              }
            }
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
