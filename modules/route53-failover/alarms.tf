# Route 53 publishes HealthCheckStatus (1 healthy, 0 unhealthy, one data point per minute) to
# CloudWatch in us-east-1 only, whatever the Regions of the targets and checkers.

resource "aws_cloudwatch_metric_alarm" "health" {
  for_each = local.endpoints

  region            = "us-east-1"
  alarm_name        = "${var.name}-${each.key}-endpoint-unhealthy"
  alarm_description = "Route 53 health check of the ${each.key} target of ${var.domain} (${each.value.fqdn}) reports unhealthy. DNS failover already happened on its own if this is the primary; nobody needs to edit records."

  namespace   = "AWS/Route53"
  metric_name = "HealthCheckStatus"
  dimensions = {
    HealthCheckId = aws_route53_health_check.this[each.key].id
  }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1

  # Route 53 reports every minute for as long as the check exists. No data means the check
  # was deleted or disabled (a disabled check counts as healthy, so failover would silently
  # stop working) or metrics are not flowing: in every case nobody can tell the target is
  # healthy, so missing data alarms.
  treat_missing_data = "breaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arn]
  ok_actions      = [var.alert_topic_arn]

  tags = var.tags
}
