output "plan_arn" {
  description = "ARN of the Region switch plan (arn:<partition>:arc-region-switch::<account>:plan/<name>:<suffix>)."
  value       = aws_arcregionswitch_plan.this.arn
}

output "plan_name" {
  description = "Name of the Region switch plan."
  value       = aws_arcregionswitch_plan.this.name
}

output "execution_role_arn" {
  description = "ARN of the role Region switch assumes to run the plan."
  value       = aws_iam_role.execution.arn
}

output "approval_role_arn" {
  description = "ARN of the role that approves the plan's approval step; null without one."
  value       = one(aws_iam_role.approval[*].arn)
}

output "start_command" {
  description = "AWS CLI command that fails over to the secondary Region: starts the plan's activate workflow in ungraceful mode (the primary Region is lost), sent to the secondary Region's endpoint."
  value = format(
    "aws arc-region-switch start-plan-execution --region %s --plan-arn %s --target-region %s --action activate --mode ungraceful",
    var.secondary_region,
    aws_arcregionswitch_plan.this.arn,
    var.secondary_region,
  )
}

output "route53_health_checks_command" {
  description = "AWS CLI command that lists the Route 53 health checks Region switch created for the plan's DNS steps (per record name and Region, with their ids): the ids the failover records must use (route53-failover's record_health_check_ids) before DNS follows the plan. Null without DNS steps."
  value = length(local.route53_steps) > 0 ? format(
    "aws arc-region-switch list-route53-health-checks --region us-east-1 --arn %s --query 'healthChecks[].{record:recordName,region:region,id:healthCheckId,status:status}'",
    aws_arcregionswitch_plan.this.arn,
  ) : null
}

output "return_command" {
  description = "AWS CLI command that activates the primary Region again (graceful: Aurora switchovers), once it is healthy; null when the plan has no way back."
  value = length(local.return_steps) > 0 ? format(
    "aws arc-region-switch start-plan-execution --region %s --plan-arn %s --target-region %s --action activate --mode graceful",
    var.primary_region,
    aws_arcregionswitch_plan.this.arn,
    var.primary_region,
  ) : null
}

# What is configured, read from the resource (for reviews and the generated
# `terraform test` suite, which asserts the plan lifeboat designed).
output "workflows" {
  description = "The plan's workflows: target Region and, in order, each step's name and execution block type (a Parallel step lists the steps it runs)."
  value = [
    for w in aws_arcregionswitch_plan.this.workflow : {
      action = w.workflow_target_action
      region = w.workflow_target_region
      steps = [
        for s in w.step : {
          name     = s.name
          type     = s.execution_block_type
          parallel = flatten([for p in s.parallel_config : [for ps in p.step : ps.name]])
        }
      ]
    }
  ]
}

output "trigger" {
  description = "The plan's trigger: target Region and the alarms that must all be red; null without one."
  value = one([
    for t in aws_arcregionswitch_plan.this.triggers : {
      action = t.action
      region = t.target_region
      alarms = [for c in t.conditions : c.associated_alarm_name]
    }
  ])
}

output "recovery_time_objective_minutes" {
  description = "The plan's recovery time objective in minutes."
  value       = aws_arcregionswitch_plan.this.recovery_time_objective_minutes
}
