variable "name" {
  description = "Prefix for resource names. The failover records get the stable set identifiers `<name>-primary` and `<name>-secondary`; health checks are tagged `Name = <name>-<role>`; alarms are named `<name>-<role>-endpoint-unhealthy`. Lowercase letters, digits and hyphens, 1-48 characters, starting and ending with a letter or digit. Changing it replaces the records."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of [a-z0-9-], starting and ending with a letter or digit."
  }
}

variable "zone_id" {
  description = "ID of the Route 53 hosted zone that holds `domain` (for example Z0123456789ABCDEFGHIJ)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{1,31}$", var.zone_id))
    error_message = "The zone_id must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)."
  }
}

variable "domain" {
  description = "Name of the failover record pair, lowercase, without a trailing dot (for example shop.example.com). When either target is a hostname the records are CNAMEs, which cannot sit at the zone apex."
  type        = string

  validation {
    condition     = length(var.domain) <= 253 && can(regex("^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.domain))
    error_message = "The domain must be a lowercase DNS name without a trailing dot, at most 253 characters."
  }
}

variable "primary" {
  description = "Target that serves traffic while it is healthy. Set exactly one of `hostname` (a DNS name, written as a CNAME) or `alias_name` + `alias_zone_id` (an AWS alias target such as an ALB, NLB or CloudFront distribution, with that target's canonical hosted zone ID); the others are null. Its health check probes `hostname`, or `alias_name` for alias targets."
  type = object({
    hostname      = string
    alias_name    = string
    alias_zone_id = string
  })

  validation {
    condition = (
      (var.primary.hostname != null && var.primary.alias_name == null && var.primary.alias_zone_id == null) ||
      (var.primary.hostname == null && var.primary.alias_name != null && var.primary.alias_zone_id != null)
    )
    error_message = "The primary target must set exactly one of hostname, or alias_name together with alias_zone_id (the others null)."
  }

  validation {
    condition = alltrue([
      for n in [var.primary.hostname, var.primary.alias_name] :
      n == null || (length(coalesce(n, "-")) <= 253 && can(regex("^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n)))
    ])
    error_message = "The primary hostname / alias_name must be a lowercase DNS name without a trailing dot."
  }

  validation {
    condition     = var.primary.alias_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.primary.alias_zone_id))
    error_message = "The primary alias_zone_id must be a hosted zone ID such as Z1H1FL5HABSF5."
  }
}

variable "secondary" {
  description = "Target that serves traffic while the primary is unhealthy. Same shape and rules as `primary`. It gets its own health check, so Route 53 answers with the primary when both are unhealthy."
  type = object({
    hostname      = string
    alias_name    = string
    alias_zone_id = string
  })

  validation {
    condition = (
      (var.secondary.hostname != null && var.secondary.alias_name == null && var.secondary.alias_zone_id == null) ||
      (var.secondary.hostname == null && var.secondary.alias_name != null && var.secondary.alias_zone_id != null)
    )
    error_message = "The secondary target must set exactly one of hostname, or alias_name together with alias_zone_id (the others null)."
  }

  validation {
    condition = alltrue([
      for n in [var.secondary.hostname, var.secondary.alias_name] :
      n == null || (length(coalesce(n, "-")) <= 253 && can(regex("^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n)))
    ])
    error_message = "The secondary hostname / alias_name must be a lowercase DNS name without a trailing dot."
  }

  validation {
    condition     = var.secondary.alias_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.secondary.alias_zone_id))
    error_message = "The secondary alias_zone_id must be a hosted zone ID such as Z1H1FL5HABSF5."
  }
}

variable "health_check" {
  description = "Health check applied to both targets. `protocol` HTTP, HTTPS (with SNI) or TCP; `port` 1-65535; `path` starts with \"/\" (null means \"/\") and must be null for TCP; `request_interval` 10 or 30 seconds (cannot be changed in place: a change replaces the checks); `failure_threshold` 1-10 consecutive failures. Detection takes about request_interval x failure_threshold seconds. The default is Route 53's own default (HTTPS 443, \"/\", 30 s, 3)."
  type = object({
    protocol          = string
    port              = number
    path              = string
    request_interval  = number
    failure_threshold = number
  })
  default = {
    protocol          = "HTTPS"
    port              = 443
    path              = "/"
    request_interval  = 30
    failure_threshold = 3
  }

  validation {
    condition     = contains(["HTTP", "HTTPS", "TCP"], var.health_check.protocol)
    error_message = "The health_check protocol must be HTTP, HTTPS or TCP."
  }

  validation {
    condition     = var.health_check.port >= 1 && var.health_check.port <= 65535 && floor(var.health_check.port) == var.health_check.port
    error_message = "The health_check port must be a whole number from 1 to 65535."
  }

  validation {
    condition     = contains([10, 30], var.health_check.request_interval)
    error_message = "The health_check request_interval must be 10 or 30 (seconds): Route 53 supports no other value."
  }

  validation {
    condition     = var.health_check.failure_threshold >= 1 && var.health_check.failure_threshold <= 10 && floor(var.health_check.failure_threshold) == var.health_check.failure_threshold
    error_message = "The health_check failure_threshold must be a whole number from 1 to 10."
  }

  validation {
    condition = (
      var.health_check.protocol == "TCP"
      ? var.health_check.path == null
      : (var.health_check.path == null || (length(coalesce(var.health_check.path, "/")) <= 255 && can(regex("^/", var.health_check.path))))
    )
    error_message = "The health_check path must start with \"/\" and be at most 255 characters for HTTP/HTTPS, and must be null for TCP."
  }
}

variable "ttl" {
  description = "TTL in seconds of the CNAME records (used only when a target is a hostname; alias records take the target's TTL). Resolvers may keep answering with the failed target for up to this long after failover, so keep it low (60 is a common choice). 0-86400."
  type        = number
  default     = 60

  validation {
    condition     = var.ttl >= 0 && var.ttl <= 86400 && floor(var.ttl) == var.ttl
    error_message = "The ttl must be a whole number of seconds from 0 to 86400."
  }
}

variable "checker_regions" {
  description = "Regions from which Route 53 health checkers probe the targets: at least 3, distinct, from us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1. The default is all eight, which is also Route 53's default."
  type        = list(string)
  default     = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"]

  validation {
    condition     = length(var.checker_regions) >= 3
    error_message = "Route 53 needs at least 3 health checker regions."
  }

  validation {
    condition     = length(distinct(var.checker_regions)) == length(var.checker_regions)
    error_message = "The checker_regions must not contain duplicates."
  }

  validation {
    condition = alltrue([
      for r in var.checker_regions :
      contains(["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"], r)
    ])
    error_message = "Every checker region must be one of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1 (Route 53 HealthCheckRegion)."
  }
}

variable "alert_topic_arn" {
  description = "ARN of the SNS topic in us-east-1 that receives the health check alarms (ALARM and OK). Route 53 publishes HealthCheckStatus only in us-east-1, and an alarm can notify only a topic of its own Region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-[a-z]+)*:sns:us-east-1:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alert_topic_arn))
    error_message = "The alert_topic_arn must be the ARN of a standard SNS topic in us-east-1."
  }
}

variable "record_health_check_ids" {
  description = "Health check ids the failover records use instead of the module's own (keys primary and secondary): the health checks an ARC Region switch plan's Route 53 health check step created for these records (aws arc-region-switch list-route53-health-checks), so that DNS fails over when the plan runs, not when a target fails. Null (the default): each record uses its own target's health check. The module's health checks and alarms exist either way."
  type = object({
    primary   = string
    secondary = string
  })
  default = null

  validation {
    condition = var.record_health_check_ids == null || alltrue([
      for id in values(coalesce(var.record_health_check_ids, { primary = "-", secondary = "-" })) : can(regex("^[A-Za-z0-9-]{1,64}$", id))
    ])
    error_message = "The record_health_check_ids must be null or give both primary and secondary as Route 53 health check ids (1-64 letters, digits and hyphens)."
  }

  validation {
    condition     = var.record_health_check_ids == null || try(var.record_health_check_ids.primary != var.record_health_check_ids.secondary, false)
    error_message = "The primary and secondary records need two distinct health checks."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource (health checks and alarms; Route 53 records cannot be tagged)."
  type        = map(string)
  default     = {}
}
