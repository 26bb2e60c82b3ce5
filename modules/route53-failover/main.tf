# Failover is decided by Route 53's data plane: health checkers probe both targets and DNS
# answers change without any API call. Nothing here needs to be applied during a disaster
# (the Route 53 control plane, which applies record changes, lives in us-east-1).

data "aws_route53_zone" "this" {
  zone_id = var.zone_id
}

locals {
  # Records of one failover pair must share name and type, and an alias to an ELB or
  # CloudFront target must be an A record, while a hostname target can only be a CNAME.
  # So the pair is an A alias pair when both targets are alias targets, and a CNAME pair
  # otherwise (an alias target is then written as a CNAME to its alias_name).
  alias_pair  = var.primary.hostname == null && var.secondary.hostname == null
  record_type = local.alias_pair ? "A" : "CNAME"

  endpoints = {
    for role, target in { primary = var.primary, secondary = var.secondary } :
    role => {
      failover       = upper(role)
      set_identifier = "${var.name}-${role}"
      # What the health checkers probe and, for a CNAME pair, what the record points to.
      fqdn          = target.hostname != null ? target.hostname : target.alias_name
      alias_name    = target.alias_name
      alias_zone_id = target.alias_zone_id
    }
  }

  resource_path = var.health_check.protocol == "TCP" ? null : coalesce(var.health_check.path, "/")

  zone_name = trimsuffix(lower(data.aws_route53_zone.this.name), ".")
}

resource "aws_route53_health_check" "this" {
  for_each = local.endpoints

  type              = var.health_check.protocol
  fqdn              = each.value.fqdn
  port              = var.health_check.port
  resource_path     = local.resource_path
  request_interval  = var.health_check.request_interval
  failure_threshold = var.health_check.failure_threshold
  regions           = var.checker_regions
  enable_sni        = var.health_check.protocol == "HTTPS" ? true : null
  measure_latency   = true

  tags = merge(var.tags, { Name = each.value.set_identifier })

  lifecycle {
    # request_interval and measure_latency cannot change in place: create the new check and
    # move the record to it before the old check goes away.
    create_before_destroy = true
  }
}

resource "aws_route53_record" "this" {
  for_each = local.endpoints

  zone_id        = var.zone_id
  name           = var.domain
  type           = local.record_type
  set_identifier = each.value.set_identifier

  # The record's own health check, or (region_switch_dns, once their ids are known) the
  # health check an ARC Region switch plan created for it: the record then follows the
  # plan, not its target's health. The module's health checks stay either way: their
  # alarms tell people and start the plan.
  health_check_id = var.record_health_check_ids == null ? aws_route53_health_check.this[each.key].id : var.record_health_check_ids[each.key]

  ttl     = local.alias_pair ? null : var.ttl
  records = local.alias_pair ? null : [each.value.fqdn]

  failover_routing_policy {
    type = each.value.failover
  }

  dynamic "alias" {
    for_each = local.alias_pair ? [each.value] : []

    content {
      name                   = alias.value.alias_name
      zone_id                = alias.value.alias_zone_id
      evaluate_target_health = true
    }
  }

  lifecycle {
    precondition {
      condition     = local.record_type != "CNAME" || trimsuffix(var.domain, ".") != local.zone_name
      error_message = "A CNAME cannot sit at the zone apex (${var.domain}): give both targets as alias targets, or use a subdomain."
    }

    precondition {
      condition     = local.endpoints.primary.fqdn != local.endpoints.secondary.fqdn
      error_message = "The primary and secondary targets are the same name; failover between them would change nothing."
    }

    precondition {
      condition     = each.value.fqdn != var.domain
      error_message = "The ${each.key} target is ${var.domain} itself; a failover record cannot point at its own name."
    }
  }
}
