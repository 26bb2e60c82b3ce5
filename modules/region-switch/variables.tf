variable "name" {
  description = "Name of the Region switch plan. ARC allows 1-32 letters, digits and hyphens, starting and ending with a letter or digit."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of [a-zA-Z0-9-], starting and ending with a letter or digit (ARC Region switch plan names)."
  }
}

variable "primary_region" {
  description = "Region the application runs in today (the plan's primary Region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1."
  }
}

variable "secondary_region" {
  description = "Region the plan activates when the primary Region is lost."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2."
  }
}

variable "execution_role_name" {
  description = "Name of the IAM role Region switch assumes to run the plan (created here, with only what the plan's steps need)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.execution_role_name))
    error_message = "The execution_role_name must be a valid IAM role name (1-64 characters of A-Za-z0-9+=,.@_-)."
  }
}

variable "approval_role_name" {
  description = "Name of the IAM role whose holders approve the plan's approval step, which then runs first; null for no approval step (the plan runs its steps as soon as it starts)."
  type        = string
  default     = null

  validation {
    condition     = var.approval_role_name == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", coalesce(var.approval_role_name, "-")))
    error_message = "The approval_role_name must be null or a valid IAM role name (1-64 characters of A-Za-z0-9+=,.@_-)."
  }
}

variable "approval_step_name" {
  description = "Name of the approval step (used only with approval_role_name)."
  type        = string
  default     = "approve-region-switch"
}

variable "approval_timeout_minutes" {
  description = "How long the approval step waits for a person before the execution fails (ARC's default is 60)."
  type        = number
  default     = 60

  validation {
    condition     = var.approval_timeout_minutes >= 1 && floor(var.approval_timeout_minutes) == var.approval_timeout_minutes
    error_message = "The approval_timeout_minutes must be a whole number of at least 1."
  }
}

variable "recovery_time_objective_minutes" {
  description = "The plan's recovery time objective in minutes (the tightest Region RTO of what it recovers); null for none."
  type        = number
  default     = null

  validation {
    condition     = var.recovery_time_objective_minutes == null || try(var.recovery_time_objective_minutes >= 1 && floor(var.recovery_time_objective_minutes) == var.recovery_time_objective_minutes, false)
    error_message = "The recovery_time_objective_minutes must be null or a whole number of at least 1."
  }
}

variable "waves" {
  description = <<-EOT
    The steps that activate the secondary Region, in recovery waves: the waves run in
    order, the steps of one wave in parallel. Each step has a `name` (unique in the
    plan), a `kind` and the resources it acts on:
    - `rds`: promote the read replica `target` (secondary Region) of the instance `source`
      (primary Region); `global_cluster` is null.
    - `aurora`: fail the Global Database `global_cluster` over from the cluster `source`
      (primary Region) to the cluster `target` (secondary Region).
    - `route53`: switch the Route 53 health checks that Region switch creates for the
      failover records `record_name` in the hosted zone `hosted_zone_id`: `source` is the
      set identifier of the record in the primary Region, `target` of the one in the
      secondary Region; `global_cluster` is null. The records follow the plan only once
      they use those health checks (their ids exist once the plan does: output
      `route53_health_checks_command`).
  EOT
  type = list(list(object({
    name           = string
    kind           = string
    source         = string
    target         = string
    global_cluster = string
    hosted_zone_id = optional(string)
    record_name    = optional(string)
  })))

  validation {
    condition     = length(var.waves) > 0 && alltrue([for w in var.waves : length(w) > 0])
    error_message = "The waves must hold at least one wave, and every wave at least one step."
  }

  validation {
    condition     = alltrue(flatten([for w in var.waves : [for s in w : contains(["rds", "aurora", "route53"], s.kind)]]))
    error_message = "Every step's kind must be rds, aurora or route53."
  }

  validation {
    condition = alltrue(flatten([for w in var.waves : [
      for s in w : (s.kind == "route53") == (s.hosted_zone_id != null && s.record_name != null) &&
      (s.hosted_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", coalesce(s.hosted_zone_id, "-"))))
    ]]))
    error_message = "A route53 step needs its hosted_zone_id (such as Z0123456789ABCDEFGHIJ) and record_name; other steps have neither (null)."
  }

  validation {
    condition     = alltrue(flatten([for w in var.waves : [for s in w : (s.kind == "aurora") == (s.global_cluster != null)]]))
    error_message = "An aurora step needs its global_cluster; an rds step has none (null)."
  }

  validation {
    condition = length(distinct(flatten([for w in var.waves : [for s in w : s.name]]))) == length(flatten(var.waves)) && alltrue(flatten([
      for w in var.waves : [for s in w : can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$", s.name))]
    ]))
    error_message = "Step names must be unique, 1-63 characters of [a-zA-Z0-9-] starting with a letter or digit."
  }
}

variable "trigger_alarm_names" {
  description = "Names of CloudWatch alarms in us-east-1 (the primary targets' Route 53 HealthCheckStatus alarms). When all are in ALARM, the plan's trigger activates the secondary Region by itself. Empty for no trigger: people start the plan. At most 10 (ARC's limit of conditions per trigger)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.trigger_alarm_names) <= 10 && length(distinct(var.trigger_alarm_names)) == length(var.trigger_alarm_names)
    error_message = "At most 10 distinct trigger alarm names (ARC allows 10 conditions per trigger)."
  }
}

variable "health_alarms" {
  description = "CloudWatch alarms that tell the application's health to the plan (alarm type applicationHealth): the lag alarms of the copies it promotes, each with its Region."
  type = list(object({
    name   = string
    region = string
  }))
  default = []
}

variable "min_delay_minutes_between_executions" {
  description = "Least time between two executions the trigger starts: a flapping alarm cannot switch Regions back and forth."
  type        = number
  default     = 60

  validation {
    condition     = var.min_delay_minutes_between_executions >= 1 && floor(var.min_delay_minutes_between_executions) == var.min_delay_minutes_between_executions
    error_message = "The min_delay_minutes_between_executions must be a whole number of at least 1."
  }
}

variable "tags" {
  description = "Tags for the plan and the roles (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
