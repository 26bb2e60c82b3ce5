# terraform test suite of the region-switch module (offline, against a mocked AWS
# provider): `tf-validate test modules/region-switch`. The positive runs check the plan
# the module builds: waves in order, a wave of several steps as one Parallel step, the
# approval step first when asked for, the trigger on the primary health-check alarms,
# the way back only for Aurora, and region_switch_dns's Route 53 health check steps;
# every negative run trips exactly one validation or precondition.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/lifeboat-test"
      user_id    = "AIDALIFEBOATTESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  # Region switch plans are global: no Region in their ARN.
  mock_resource "aws_arcregionswitch_plan" {
    defaults = {
      arn = "arn:aws:arc-region-switch::123456789012:plan/webshop-switch:abc123"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/webshop-region-switch"
    }
  }
}

variables {
  name                = "webshop-switch"
  primary_region      = "us-east-1"
  secondary_region    = "us-west-2"
  execution_role_name = "webshop-region-switch"
  waves = [
    [
      { name = "customers-db-promote-replica", kind = "rds", source = "customers-prod", target = "webshop-customers-db-dr", global_cluster = null },
      { name = "orders-db-promote-replica", kind = "rds", source = "orders-prod", target = "webshop-orders-db-dr", global_cluster = null },
    ],
    [
      { name = "catalog-global-failover", kind = "aurora", source = "catalog-prod", target = "webshop-catalog-dr", global_cluster = "webshop-catalog-global" },
    ],
  ]
  trigger_alarm_names = ["webshop-storefront-primary-endpoint-unhealthy", "webshop-billing-api-primary-endpoint-unhealthy"]
  health_alarms = [
    { name = "webshop-orders-db-dr-replica-lag", region = "us-west-2" },
  ]
  recovery_time_objective_minutes = 60
}

run "plan_waves_parallel_and_trigger" {
  command = plan

  assert {
    condition     = output.workflows[0].action == "activate" && output.workflows[0].region == "us-west-2"
    error_message = "The first workflow must activate the secondary Region."
  }

  assert {
    condition     = [for s in output.workflows[0].steps : s.type] == ["Parallel", "AuroraGlobalDatabase"] && output.workflows[0].steps[0].name == "wave-1"
    error_message = "Wave 1 (two replicas) must be one Parallel step, then wave 2 the Aurora failover."
  }

  assert {
    condition     = output.workflows[0].steps[0].parallel == ["customers-db-promote-replica", "orders-db-promote-replica"]
    error_message = "The Parallel step must run both promotions."
  }

  assert {
    condition     = one(aws_arcregionswitch_plan.this.workflow[0].step[0].parallel_config[0].step[1].rds_promote_read_replica_config).db_instance_arn_map["us-east-1"] == "arn:aws:rds:us-east-1:123456789012:db:orders-prod" && one(aws_arcregionswitch_plan.this.workflow[0].step[0].parallel_config[0].step[1].rds_promote_read_replica_config).db_instance_arn_map["us-west-2"] == "arn:aws:rds:us-west-2:123456789012:db:webshop-orders-db-dr"
    error_message = "A promotion must name the instance of each Region."
  }

  assert {
    condition     = one(aws_arcregionswitch_plan.this.workflow[0].step[1].global_aurora_config).behavior == "failover"
    error_message = "Activating the secondary Region must fail the Global Database over (the primary is lost)."
  }

  assert {
    condition     = length(output.workflows) == 2 && output.workflows[1].region == "us-east-1" && [for s in output.workflows[1].steps : s.name] == ["catalog-global-switchover"]
    error_message = "The way back must switch the Global Database over to the primary Region, and only it."
  }

  assert {
    condition     = one(aws_arcregionswitch_plan.this.workflow[1].step[0].global_aurora_config).behavior == "switchoverOnly"
    error_message = "The way back must be a switchover (no data loss)."
  }

  assert {
    condition     = output.trigger.action == "activate" && output.trigger.region == "us-west-2" && length(output.trigger.alarms) == 2
    error_message = "The trigger must activate the secondary Region when both primary alarms are red."
  }

  assert {
    condition     = alltrue([for c in one(aws_arcregionswitch_plan.this.triggers).conditions : c.condition == "red"])
    error_message = "Every trigger condition must be the alarm in ALARM (red)."
  }

  assert {
    condition     = length([for a in aws_arcregionswitch_plan.this.associated_alarms : a if a.alarm_type == "trigger" && startswith(a.resource_identifier, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:")]) == 2
    error_message = "The trigger alarms must be associated by their us-east-1 ARNs."
  }

  assert {
    condition     = length([for a in aws_arcregionswitch_plan.this.associated_alarms : a if a.alarm_type == "applicationHealth" && a.resource_identifier == "arn:aws:cloudwatch:us-west-2:123456789012:alarm:webshop-orders-db-dr-replica-lag"]) == 1
    error_message = "The replica-lag alarm must be an application health alarm, in the secondary Region."
  }

  assert {
    condition     = output.recovery_time_objective_minutes == 60
    error_message = "The plan's RTO must be the one given."
  }

  assert {
    condition     = length(aws_iam_role.approval) == 0
    error_message = "No approval role without approval_role_name."
  }
}

run "plan_single_step_with_approval_no_trigger" {
  command = plan

  variables {
    waves = [[
      { name = "orders-db-promote-replica", kind = "rds", source = "orders-prod", target = "webshop-orders-db-dr", global_cluster = null },
    ]]
    trigger_alarm_names = []
    health_alarms       = []
    approval_role_name  = "webshop-region-switch-approver"
  }

  assert {
    condition     = [for s in output.workflows[0].steps : s.type] == ["ManualApproval", "RdsPromoteReadReplica"]
    error_message = "The approval step must come first, then the one promotion as a step of its own."
  }

  assert {
    condition     = output.workflows[0].steps[1].name == "orders-db-promote-replica"
    error_message = "A wave of one step runs under the step's own name."
  }

  assert {
    condition     = length(output.workflows) == 1
    error_message = "No way back without an Aurora step."
  }

  assert {
    condition     = output.trigger == null && output.return_command == null
    error_message = "No trigger without trigger alarms, no return command without a way back."
  }

  assert {
    condition     = length(aws_iam_role.approval) == 1 && aws_iam_role.approval[0].name == "webshop-region-switch-approver"
    error_message = "The approval role must exist with the given name."
  }
}

# region_switch_dns: the DNS step of an endpoint in the wave after its Global Database;
# without RDS steps the way back moves DNS back after the switchover.
run "plan_dns_step_after_its_data" {
  command = plan

  variables {
    waves = [
      [
        { name = "catalog-global-failover", kind = "aurora", source = "catalog-prod", target = "webshop-catalog-dr", global_cluster = "webshop-catalog-global" },
      ],
      [
        { name = "storefront-switch-dns", kind = "route53", source = "webshop-storefront-primary", target = "webshop-storefront-secondary", global_cluster = null, hosted_zone_id = "Z0123456789ABCDEFGHIJ", record_name = "shop.example.com" },
      ],
    ]
  }

  assert {
    condition     = [for s in output.workflows[0].steps : s.type] == ["AuroraGlobalDatabase", "Route53HealthCheck"] && output.workflows[0].steps[1].name == "storefront-switch-dns"
    error_message = "The DNS step must come after the Global Database failover, as a Route53HealthCheck step."
  }

  assert {
    condition = (
      one(aws_arcregionswitch_plan.this.workflow[0].step[1].route53_health_check_config).hosted_zone_id == "Z0123456789ABCDEFGHIJ" &&
      one(aws_arcregionswitch_plan.this.workflow[0].step[1].route53_health_check_config).record_name == "shop.example.com" &&
      [for r in one(aws_arcregionswitch_plan.this.workflow[0].step[1].route53_health_check_config).record_set : [r.record_set_identifier, r.region]] == [["webshop-storefront-primary", "us-east-1"], ["webshop-storefront-secondary", "us-west-2"]]
    )
    error_message = "The DNS step must name the zone, the record and each record set with its Region (the set identifiers name no Region)."
  }

  assert {
    condition     = [for s in output.workflows[1].steps : s.name] == ["catalog-global-switchover", "storefront-switch-dns-back"] && [for s in output.workflows[1].steps : s.type] == ["AuroraGlobalDatabase", "Route53HealthCheck"]
    error_message = "Without RDS steps, the way back must switch the Global Database back, then DNS."
  }

  assert {
    condition     = contains([for st in data.aws_iam_policy_document.execution.statement : st.sid], "ReadFailoverRecords") && one([for st in data.aws_iam_policy_document.execution.statement : st.resources if st.sid == "ReadFailoverRecords"]) == toset(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"])
    error_message = "The execution role must read the records of the DNS step's zone, and only it."
  }
}

# A DNS step in parallel with a Global Database failover, after an RDS promotion: the
# way back leaves DNS alone (the promoted replica has no way back).
run "plan_dns_step_in_parallel_with_rds_before" {
  command = plan

  variables {
    waves = [
      [
        { name = "orders-db-promote-replica", kind = "rds", source = "orders-prod", target = "webshop-orders-db-dr", global_cluster = null },
      ],
      [
        { name = "catalog-global-failover", kind = "aurora", source = "catalog-prod", target = "webshop-catalog-dr", global_cluster = "webshop-catalog-global" },
        { name = "storefront-switch-dns", kind = "route53", source = "webshop-storefront-primary", target = "webshop-storefront-secondary", global_cluster = null, hosted_zone_id = "Z0123456789ABCDEFGHIJ", record_name = "shop.example.com" },
      ],
    ]
  }

  assert {
    condition     = [for s in output.workflows[0].steps : s.type] == ["RdsPromoteReadReplica", "Parallel"] && output.workflows[0].steps[1].parallel == ["catalog-global-failover", "storefront-switch-dns"]
    error_message = "Wave 2 must run the failover and the DNS step in parallel."
  }

  assert {
    condition     = one(aws_arcregionswitch_plan.this.workflow[0].step[1].parallel_config[0].step[1].route53_health_check_config).record_set[1].region == "us-west-2" && aws_arcregionswitch_plan.this.workflow[0].step[1].parallel_config[0].step[1].execution_block_type == "Route53HealthCheck"
    error_message = "A DNS step inside a Parallel step must be a Route53HealthCheck block with its record sets."
  }

  assert {
    condition     = [for s in output.workflows[1].steps : s.name] == ["catalog-global-switchover"]
    error_message = "With an RDS step the way back must not move DNS back."
  }
}

run "apply" {
  command = apply

  assert {
    condition     = output.plan_arn == "arn:aws:arc-region-switch::123456789012:plan/webshop-switch:abc123"
    error_message = "The plan ARN must be the plan's."
  }

  assert {
    condition     = output.start_command == "aws arc-region-switch start-plan-execution --region us-west-2 --plan-arn arn:aws:arc-region-switch::123456789012:plan/webshop-switch:abc123 --target-region us-west-2 --action activate --mode ungraceful"
    error_message = "The start command must run the activate workflow of the secondary Region, ungracefully, at the secondary Region's endpoint."
  }
}

run "name_invalid" {
  command = plan

  variables {
    name = "-webshop"
  }

  expect_failures = [var.name]
}

run "name_too_long" {
  command = plan

  variables {
    name = "a-region-switch-plan-name-too-long"
  }

  expect_failures = [var.name]
}

run "no_waves" {
  command = plan

  variables {
    waves = []
  }

  expect_failures = [var.waves]
}

run "unknown_kind" {
  command = plan

  variables {
    waves = [[{ name = "x", kind = "dynamodb", source = "a", target = "b", global_cluster = null }]]
  }

  expect_failures = [var.waves]
}

run "route53_without_zone" {
  command = plan

  variables {
    waves = [[
      { name = "storefront-switch-dns", kind = "route53", source = "webshop-storefront-primary", target = "webshop-storefront-secondary", global_cluster = null, record_name = "shop.example.com" },
    ]]
  }

  expect_failures = [var.waves]
}

run "aurora_without_global_cluster" {
  command = plan

  variables {
    waves = [[{ name = "x", kind = "aurora", source = "a", target = "b", global_cluster = null }]]
  }

  expect_failures = [var.waves]
}

run "duplicate_step_names" {
  command = plan

  variables {
    waves = [
      [{ name = "x", kind = "rds", source = "a", target = "b", global_cluster = null }],
      [{ name = "x", kind = "rds", source = "c", target = "d", global_cluster = null }],
    ]
  }

  expect_failures = [var.waves]
}

run "too_many_trigger_alarms" {
  command = plan

  variables {
    trigger_alarm_names = [for i in range(11) : "alarm-${i}"]
  }

  expect_failures = [var.trigger_alarm_names]
}

run "rto_not_whole" {
  command = plan

  variables {
    recovery_time_objective_minutes = 0.5
  }

  expect_failures = [var.recovery_time_objective_minutes]
}

run "same_regions" {
  command = plan

  variables {
    secondary_region = "us-east-1"
  }

  expect_failures = [aws_arcregionswitch_plan.this]
}
