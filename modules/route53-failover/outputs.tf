output "health_check_ids" {
  description = "Route 53 health check ID per target (map with keys primary and secondary)."
  value       = { for role, check in aws_route53_health_check.this : role => check.id }
}

output "record_fqdns" {
  description = "FQDN of the failover record per target (map with keys primary and secondary; both records share the name)."
  value       = { for role, record in aws_route53_record.this : role => record.fqdn }
}

output "record_type" {
  description = "Type of the failover record pair: A (alias) when both targets are alias targets, CNAME otherwise."
  value       = local.record_type
}

output "set_identifiers" {
  description = "Set identifier per target (map with keys primary and secondary): `<name>-primary` and `<name>-secondary`."
  value       = { for role, endpoint in local.endpoints : role => endpoint.set_identifier }
}

output "alarm_arns" {
  description = "ARN of the us-east-1 CloudWatch alarm on HealthCheckStatus per target (map with keys primary and secondary)."
  value       = { for role, alarm in aws_cloudwatch_metric_alarm.health : role => alarm.arn }
}

output "detection_seconds" {
  description = "Seconds for Route 53 to declare a failed target unhealthy: request_interval x failure_threshold. For information; failover as seen by clients also takes up to 60 s of propagation plus the DNS TTL (see README)."
  value       = var.health_check.request_interval * var.health_check.failure_threshold
}

# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the failover lifeboat chose).

output "uses_region_switch_health_checks" {
  description = "True when the records use the ARC Region switch plan's health checks (record_health_check_ids): DNS then fails over when the plan runs; false when each record fails over on its own target's health check."
  value       = var.record_health_check_ids != null
}

output "records" {
  description = "The failover records as configured (keys primary and secondary): name, set identifier, failover type and the health check each one uses."
  value = {
    for role, record in aws_route53_record.this : role => {
      name            = record.name
      set_identifier  = record.set_identifier
      failover        = one(record.failover_routing_policy[*].type)
      health_check_id = record.health_check_id
    }
  }
}

output "health_checks" {
  description = "The health checks as configured (keys primary and secondary): id, request interval and failure threshold."
  value = {
    for role, check in aws_route53_health_check.this : role => {
      id                = check.id
      request_interval  = check.request_interval
      failure_threshold = check.failure_threshold
    }
  }
}
