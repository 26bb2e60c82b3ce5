variable "name" {
  description = "Prefix of every resource name (role `<name>-fis-drills`, experiment templates tagged `Name = <name>-<key>`). Lowercase letters, digits and hyphens, 1-32 characters, starting and ending with a letter or digit."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of [a-z0-9-], starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "The Region the experiments run in: the primary Region, where the targets live."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", var.region))
    error_message = "The region must be an AWS Region code such as us-east-1 or eu-west-2."
  }
}

variable "secondary_region" {
  description = "The recovery Region: where replicas live (the pause-replication actions' destination)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2."
  }
}

variable "experiments" {
  description = <<-EOT
    One AWS FIS experiment template per key (lowercase letters, digits and hyphens). `action` is one of
    `rds-reboot-failover` (aws:rds:reboot-db-instances with forceFailover on the DB instance `resource`),
    `aurora-failover` (aws:rds:failover-db-cluster on the Aurora cluster `resource`),
    `s3-pause-replication` (aws:s3:bucket-pause-replication on the source bucket `resource`, towards
    `destination`, for `duration`) and `dynamodb-pause-replication` (aws:dynamodb:global-table-pause-replication
    on the global table `resource`, for `duration`). `duration` is an ISO 8601 duration (PT30M), only for the
    pause actions. `stop_alarms` are names of CloudWatch alarms in `region` that stop the experiment when they
    go to ALARM; an empty list means no stop condition.
  EOT
  type = map(object({
    description = string
    action      = string
    resource    = string
    destination = optional(string)
    duration    = optional(string)
    stop_alarms = list(string)
  }))

  validation {
    condition     = length(var.experiments) > 0
    error_message = "At least one experiment is required (do not call the module without drills)."
  }

  validation {
    condition     = alltrue([for k, e in var.experiments : can(regex("^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", k))])
    error_message = "Every experiment key must be 1-64 characters of [a-z0-9-], starting and ending with a letter or digit."
  }

  validation {
    condition     = alltrue([for e in var.experiments : contains(["rds-reboot-failover", "aurora-failover", "s3-pause-replication", "dynamodb-pause-replication"], e.action)])
    error_message = "Every action must be rds-reboot-failover, aurora-failover, s3-pause-replication or dynamodb-pause-replication."
  }

  validation {
    condition     = alltrue([for e in var.experiments : (e.duration != null) == contains(["s3-pause-replication", "dynamodb-pause-replication"], e.action)])
    error_message = "A duration is required for the pause actions and not allowed for the failovers."
  }

  validation {
    condition     = alltrue([for e in var.experiments : e.duration == null || can(regex("^PT([1-9][0-9]*H)?([1-9][0-9]*M)?$", e.duration)) && e.duration != "PT"])
    error_message = "Every duration must be an ISO 8601 duration of hours and minutes, such as PT30M or PT1H15M."
  }

  validation {
    condition     = alltrue([for e in var.experiments : (e.destination != null) == (e.action == "s3-pause-replication")])
    error_message = "The destination bucket is required for s3-pause-replication and not allowed otherwise."
  }

  validation {
    condition     = alltrue([for e in var.experiments : length(e.stop_alarms) <= 5 && length(distinct(e.stop_alarms)) == length(e.stop_alarms)])
    error_message = "At most five distinct stop alarms per experiment (the AWS FIS quota on stop conditions per template)."
  }

  validation {
    condition     = alltrue([for e in var.experiments : length(e.description) > 0 && length(e.description) <= 512])
    error_message = "Every description must be 1-512 characters (AWS FIS's limit)."
  }
}

variable "tags" {
  description = "Tags on every resource (besides the provider's default_tags)."
  type        = map(string)
  default     = {}
}
