# terraform test suite of the route53-failover module (offline, against a mocked AWS
# provider): `tf-validate test modules/route53-failover`. The positive runs check an
# alias pair at the zone apex, a CNAME pair, a mixed pair and a TCP health check; every
# negative run trips exactly one validation or precondition.

mock_provider "aws" {
  mock_data "aws_route53_zone" {
    defaults = {
      name    = "example.com."
      zone_id = "Z0123456789ABCDEFGHIJ"
    }
  }
}

# Valid inputs shared by every run (an alias pair of two ALBs at the zone apex, the
# default HTTPS health check); each run overrides what it tests.
variables {
  name    = "storefront"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "example.com"
  primary = {
    hostname      = null
    alias_name    = "shop-use1-1234567890.us-east-1.elb.amazonaws.com"
    alias_zone_id = "Z35SXDOTRQ7X7K"
  }
  secondary = {
    hostname      = null
    alias_name    = "shop-usw2-0987654321.us-west-2.elb.amazonaws.com"
    alias_zone_id = "Z1H1FL5HABSF5"
  }
  alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
  tags            = { Project = "shop" }
}

# Alias pair: A records with alias blocks, HTTPS health checks with SNI.
run "plan_alias_pair" {
  command = plan

  assert {
    condition     = alltrue([for r in aws_route53_record.this : r.type == "A" && r.name == "example.com" && r.zone_id == "Z0123456789ABCDEFGHIJ"]) && output.record_type == "A"
    error_message = "Two alias targets make an A record pair at example.com."
  }

  assert {
    condition = (
      aws_route53_record.this["primary"].failover_routing_policy[0].type == "PRIMARY" &&
      aws_route53_record.this["primary"].set_identifier == "storefront-primary" &&
      aws_route53_record.this["secondary"].failover_routing_policy[0].type == "SECONDARY" &&
      aws_route53_record.this["secondary"].set_identifier == "storefront-secondary"
    )
    error_message = "A PRIMARY record storefront-primary and a SECONDARY record storefront-secondary."
  }

  assert {
    condition = (
      aws_route53_record.this["primary"].alias[0].name == "shop-use1-1234567890.us-east-1.elb.amazonaws.com" &&
      aws_route53_record.this["primary"].alias[0].zone_id == "Z35SXDOTRQ7X7K" &&
      aws_route53_record.this["secondary"].alias[0].name == "shop-usw2-0987654321.us-west-2.elb.amazonaws.com" &&
      aws_route53_record.this["secondary"].alias[0].zone_id == "Z1H1FL5HABSF5" &&
      alltrue([for r in aws_route53_record.this : r.alias[0].evaluate_target_health && r.ttl == null && r.records == null])
    )
    error_message = "Each record aliases its own target (evaluating target health), without TTL or records."
  }

  assert {
    condition = (
      aws_route53_health_check.this["primary"].fqdn == "shop-use1-1234567890.us-east-1.elb.amazonaws.com" &&
      aws_route53_health_check.this["secondary"].fqdn == "shop-usw2-0987654321.us-west-2.elb.amazonaws.com" &&
      alltrue([for c in aws_route53_health_check.this : c.type == "HTTPS" && c.port == 443 && c.resource_path == "/" && c.request_interval == 30 && c.failure_threshold == 3 && c.enable_sni == true && c.measure_latency])
    )
    error_message = "Each target gets the default HTTPS health check (443, /, 30 s x 3, SNI) on its alias name."
  }

  assert {
    condition     = alltrue([for c in aws_route53_health_check.this : length(c.regions) == 8 && contains(c.regions, "sa-east-1")])
    error_message = "Health checkers probe from all eight Regions by default."
  }

  assert {
    condition     = aws_route53_health_check.this["primary"].tags.Name == "storefront-primary" && aws_route53_health_check.this["primary"].tags.Project == "shop"
    error_message = "Health checks are tagged with their set identifier and the module tags."
  }

  assert {
    condition = alltrue([
      for k, a in aws_cloudwatch_metric_alarm.health :
      a.region == "us-east-1" && a.alarm_name == "storefront-${k}-endpoint-unhealthy" && a.namespace == "AWS/Route53" && a.metric_name == "HealthCheckStatus" &&
      a.comparison_operator == "LessThanThreshold" && a.threshold == 1 && a.treat_missing_data == "breaching" &&
      a.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:shop-alerts"]) && a.ok_actions == toset(["arn:aws:sns:us-east-1:123456789012:shop-alerts"])
    ]) && length(aws_cloudwatch_metric_alarm.health) == 2
    error_message = "One HealthCheckStatus alarm per target in us-east-1, alarming on missing data, notifying the us-east-1 topic."
  }

  assert {
    condition     = output.detection_seconds == 90 && output.set_identifiers == { primary = "storefront-primary", secondary = "storefront-secondary" }
    error_message = "Detection takes 30 s x 3; the set identifiers are reported."
  }
}

# CNAME pair with a fast HTTP health check from three checker Regions.
run "plan_cname_pair" {
  command = plan

  variables {
    name   = "billing-api"
    domain = "billing.example.com"
    primary = {
      hostname      = "billing-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    secondary = {
      hostname      = "billing-usw2.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    health_check = {
      protocol          = "HTTP"
      port              = 8080
      path              = "/healthz"
      request_interval  = 10
      failure_threshold = 2
    }
    ttl             = 30
    checker_regions = ["us-east-1", "us-west-2", "eu-west-1"]
  }

  assert {
    condition     = alltrue([for r in aws_route53_record.this : r.type == "CNAME" && r.name == "billing.example.com" && r.ttl == 30 && length(r.alias) == 0])
    error_message = "Hostname targets make a CNAME pair with the given TTL and no alias."
  }

  assert {
    condition     = aws_route53_record.this["primary"].records == toset(["billing-use1.example.net"]) && aws_route53_record.this["secondary"].records == toset(["billing-usw2.example.net"])
    error_message = "Each CNAME points at its own target."
  }

  assert {
    condition     = aws_route53_record.this["primary"].failover_routing_policy[0].type == "PRIMARY" && aws_route53_record.this["secondary"].failover_routing_policy[0].type == "SECONDARY"
    error_message = "The primary target is PRIMARY, the secondary SECONDARY."
  }

  assert {
    condition = alltrue([
      for c in aws_route53_health_check.this :
      c.type == "HTTP" && c.port == 8080 && c.resource_path == "/healthz" && c.request_interval == 10 && c.failure_threshold == 2 &&
      c.regions == toset(["us-east-1", "us-west-2", "eu-west-1"])
    ]) && aws_route53_health_check.this["secondary"].fqdn == "billing-usw2.example.net"
    error_message = "Each target is probed over HTTP on 8080 /healthz every 10 s, 2 failures, from three Regions."
  }

  assert {
    condition     = output.detection_seconds == 20 && output.record_type == "CNAME"
    error_message = "Detection takes 10 s x 2."
  }
}

# Mixed pair (hostname primary, alias secondary): a CNAME pair, the alias target
# written as a CNAME to its name; TCP health check (no path).
run "plan_mixed_pair_tcp" {
  command = plan

  variables {
    name   = "catalog-api"
    domain = "catalog.api.example.com"
    primary = {
      hostname      = "catalog-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    health_check = {
      protocol          = "TCP"
      port              = 443
      path              = null
      request_interval  = 30
      failure_threshold = 3
    }
  }

  assert {
    condition     = output.record_type == "CNAME" && alltrue([for r in aws_route53_record.this : r.type == "CNAME" && length(r.alias) == 0 && r.ttl == 60])
    error_message = "One hostname target makes the pair CNAMEs (default TTL 60)."
  }

  assert {
    condition     = aws_route53_record.this["secondary"].records == toset(["shop-usw2-0987654321.us-west-2.elb.amazonaws.com"]) && aws_route53_health_check.this["secondary"].fqdn == "shop-usw2-0987654321.us-west-2.elb.amazonaws.com"
    error_message = "The alias target is written as a CNAME to its alias name, and probed there."
  }

  assert {
    condition     = alltrue([for c in aws_route53_health_check.this : c.type == "TCP" && c.port == 443 && c.resource_path == null])
    error_message = "A TCP health check has no resource path."
  }
}

# The records use an ARC Region switch plan's health checks (region_switch_dns): DNS
# follows the plan; the module's own health checks and alarms stay.
run "plan_region_switch_health_checks" {
  command = plan

  variables {
    record_health_check_ids = {
      primary   = "11111111-2222-3333-4444-555555555555"
      secondary = "66666666-7777-8888-9999-000000000000"
    }
  }

  assert {
    condition = (
      aws_route53_record.this["primary"].health_check_id == "11111111-2222-3333-4444-555555555555" &&
      aws_route53_record.this["secondary"].health_check_id == "66666666-7777-8888-9999-000000000000" &&
      aws_route53_record.this["primary"].failover_routing_policy[0].type == "PRIMARY"
    )
    error_message = "Each record uses the Region switch plan's health check of its role."
  }

  assert {
    condition     = length(aws_route53_health_check.this) == 2 && length(aws_cloudwatch_metric_alarm.health) == 2 && output.uses_region_switch_health_checks
    error_message = "The module's health checks and their alarms stay (they start the plan)."
  }
}

run "apply" {
  command   = apply
  state_key = "apply"

  assert {
    condition     = alltrue([for k, r in aws_route53_record.this : r.health_check_id == aws_route53_health_check.this[k].id]) && !output.uses_region_switch_health_checks
    error_message = "Each record fails over on its own target's health check."
  }

  assert {
    condition     = aws_route53_health_check.this["primary"].id != aws_route53_health_check.this["secondary"].id
    error_message = "The two targets have two distinct health checks."
  }

  assert {
    condition     = alltrue([for k, a in aws_cloudwatch_metric_alarm.health : a.dimensions.HealthCheckId == aws_route53_health_check.this[k].id])
    error_message = "Each alarm watches its own target's health check."
  }

  assert {
    condition     = output.records.primary.health_check_id == output.health_checks.primary.id && output.records.secondary.failover == "SECONDARY" && output.health_check_ids == { for k, c in aws_route53_health_check.this : k => c.id }
    error_message = "The records and health_checks outputs describe the pair."
  }

  assert {
    condition     = output.alarm_arns == { for k, a in aws_cloudwatch_metric_alarm.health : k => a.arn }
    error_message = "alarm_arns gives the alarm of each target."
  }
}

# Releases the applied mocks (see tests/release/main.tf).
run "release" {
  command   = apply
  state_key = "apply"

  module {
    source = "./tests/release"
  }
}

################################################################################
# Negative runs: one per validation block or precondition, each with otherwise
# valid inputs.
################################################################################

# var.name: ends with a hyphen.
run "name_invalid" {
  command = plan

  variables {
    name = "storefront-"
  }

  expect_failures = [var.name]
}

# var.zone_id: with the /hostedzone/ prefix.
run "zone_id_with_prefix" {
  command = plan

  variables {
    zone_id = "/hostedzone/Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.zone_id]
}

# var.domain: a trailing dot.
run "domain_trailing_dot" {
  command = plan

  variables {
    domain = "example.com."
  }

  expect_failures = [var.domain]
}

# var.primary: both a hostname and an alias target.
run "primary_hostname_and_alias" {
  command = plan

  variables {
    primary = {
      hostname      = "shop-use1.example.net"
      alias_name    = "shop-use1-1234567890.us-east-1.elb.amazonaws.com"
      alias_zone_id = "Z35SXDOTRQ7X7K"
    }
  }

  expect_failures = [var.primary]
}

# var.primary: an uppercase alias name.
run "primary_name_invalid" {
  command = plan

  variables {
    primary = {
      hostname      = null
      alias_name    = "Shop-USE1.us-east-1.elb.amazonaws.com"
      alias_zone_id = "Z35SXDOTRQ7X7K"
    }
  }

  expect_failures = [var.primary]
}

# var.primary: an alias zone id that is not one.
run "primary_alias_zone_id_invalid" {
  command = plan

  variables {
    primary = {
      hostname      = null
      alias_name    = "shop-use1-1234567890.us-east-1.elb.amazonaws.com"
      alias_zone_id = "z35sxdotrq7x7k"
    }
  }

  expect_failures = [var.primary]
}

# var.secondary: an alias name without its zone id.
run "secondary_alias_without_zone" {
  command = plan

  variables {
    secondary = {
      hostname      = null
      alias_name    = "shop-usw2-0987654321.us-west-2.elb.amazonaws.com"
      alias_zone_id = null
    }
  }

  expect_failures = [var.secondary]
}

# var.secondary: a hostname with a trailing dot.
run "secondary_name_invalid" {
  command = plan

  variables {
    primary = {
      hostname      = "shop-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    secondary = {
      hostname      = "shop-usw2.example.net."
      alias_name    = null
      alias_zone_id = null
    }
    domain = "shop.example.com"
  }

  expect_failures = [var.secondary]
}

# var.secondary: an alias zone id with the /hostedzone/ prefix.
run "secondary_alias_zone_id_invalid" {
  command = plan

  variables {
    secondary = {
      hostname      = null
      alias_name    = "shop-usw2-0987654321.us-west-2.elb.amazonaws.com"
      alias_zone_id = "/hostedzone/Z1H1FL5HABSF5"
    }
  }

  expect_failures = [var.secondary]
}

# var.health_check: a protocol Route 53 failover does not use here.
run "health_check_protocol_invalid" {
  command = plan

  variables {
    health_check = {
      protocol          = "HTTP_STR_MATCH"
      port              = 443
      path              = "/"
      request_interval  = 30
      failure_threshold = 3
    }
  }

  expect_failures = [var.health_check]
}

# var.health_check: port 0.
run "health_check_port_invalid" {
  command = plan

  variables {
    health_check = {
      protocol          = "HTTPS"
      port              = 0
      path              = "/"
      request_interval  = 30
      failure_threshold = 3
    }
  }

  expect_failures = [var.health_check]
}

# var.health_check: a 15-second interval.
run "health_check_interval_invalid" {
  command = plan

  variables {
    health_check = {
      protocol          = "HTTPS"
      port              = 443
      path              = "/"
      request_interval  = 15
      failure_threshold = 3
    }
  }

  expect_failures = [var.health_check]
}

# var.health_check: 11 failures.
run "health_check_threshold_invalid" {
  command = plan

  variables {
    health_check = {
      protocol          = "HTTPS"
      port              = 443
      path              = "/"
      request_interval  = 30
      failure_threshold = 11
    }
  }

  expect_failures = [var.health_check]
}

# var.health_check: a TCP check with a path.
run "health_check_tcp_with_path" {
  command = plan

  variables {
    health_check = {
      protocol          = "TCP"
      port              = 443
      path              = "/health"
      request_interval  = 30
      failure_threshold = 3
    }
  }

  expect_failures = [var.health_check]
}

# var.ttl: negative.
run "ttl_invalid" {
  command = plan

  variables {
    ttl = -1
  }

  expect_failures = [var.ttl]
}

# var.checker_regions: only two.
run "checker_regions_too_few" {
  command = plan

  variables {
    checker_regions = ["us-east-1", "us-west-2"]
  }

  expect_failures = [var.checker_regions]
}

# var.checker_regions: a duplicate.
run "checker_regions_duplicate" {
  command = plan

  variables {
    checker_regions = ["us-east-1", "us-west-2", "eu-west-1", "us-east-1"]
  }

  expect_failures = [var.checker_regions]
}

# var.checker_regions: a Region without Route 53 health checkers.
run "checker_regions_unsupported" {
  command = plan

  variables {
    checker_regions = ["us-east-1", "us-west-2", "eu-central-1"]
  }

  expect_failures = [var.checker_regions]
}

# var.alert_topic_arn: a topic outside us-east-1 (HealthCheckStatus exists only there).
run "alert_topic_not_in_us_east_1" {
  command = plan

  variables {
    alert_topic_arn = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
  }

  expect_failures = [var.alert_topic_arn]
}

# var.record_health_check_ids: one health check for both records.
run "record_health_check_ids_same" {
  command = plan

  variables {
    record_health_check_ids = {
      primary   = "11111111-2222-3333-4444-555555555555"
      secondary = "11111111-2222-3333-4444-555555555555"
    }
  }

  expect_failures = [var.record_health_check_ids]
}

# var.record_health_check_ids: not a health check id.
run "record_health_check_ids_invalid" {
  command = plan

  variables {
    record_health_check_ids = {
      primary   = "11111111-2222-3333-4444-555555555555"
      secondary = "not an id"
    }
  }

  expect_failures = [var.record_health_check_ids]
}

# Precondition: a CNAME pair at the zone apex.
run "cname_at_zone_apex" {
  command = plan

  variables {
    primary = {
      hostname      = "shop-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    secondary = {
      hostname      = "shop-usw2.example.net"
      alias_name    = null
      alias_zone_id = null
    }
  }

  expect_failures = [aws_route53_record.this]
}

# Precondition: the same target twice.
run "same_primary_and_secondary" {
  command = plan

  variables {
    domain = "shop.example.com"
    primary = {
      hostname      = "shop-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
    secondary = {
      hostname      = "shop-use1.example.net"
      alias_name    = null
      alias_zone_id = null
    }
  }

  expect_failures = [aws_route53_record.this]
}

# Precondition: the primary target is the record's own name.
run "target_is_the_record_itself" {
  command = plan

  variables {
    domain = "shop.example.com"
    primary = {
      hostname      = "shop.example.com"
      alias_name    = null
      alias_zone_id = null
    }
    secondary = {
      hostname      = "shop-usw2.example.net"
      alias_name    = null
      alias_zone_id = null
    }
  }

  expect_failures = [aws_route53_record.this]
}
