variable "name" {
  description = "Prefix for every resource name (topic `<name>-alerts`, key alias `alias/<name>-alerts`, EventBridge rules `<name>-<kind>`). Lowercase letters, digits and hyphens, 1-32 characters, starting and ending with a letter or digit."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of [a-z0-9-], starting and ending with a letter or digit."
  }
}

variable "regions" {
  description = "Every Region that needs an alert topic: the primary and secondary Regions, plus us-east-1 when Route 53 health checks exist (their CloudWatch metrics and alarms live there). Distinct, non-empty; the caller sorts it."
  type        = list(string)

  validation {
    condition     = length(var.regions) > 0
    error_message = "At least one Region is required."
  }

  validation {
    condition     = length(distinct(var.regions)) == length(var.regions)
    error_message = "The regions must not contain duplicates."
  }

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", r))])
    error_message = "Every region must be an AWS Region code such as us-east-1 or eu-west-2."
  }
}

variable "backup_event_regions" {
  description = "Regions where AWS Backup runs jobs (backup, copy or restore). An EventBridge rule set in each forwards failed jobs to that Region's topic, so every entry must also be in `regions`. May be empty."
  type        = list(string)
  default     = []

  validation {
    condition     = length(distinct(var.backup_event_regions)) == length(var.backup_event_regions)
    error_message = "The backup_event_regions must not contain duplicates."
  }

  validation {
    condition     = alltrue([for r in var.backup_event_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", r))])
    error_message = "Every backup event region must be an AWS Region code such as us-east-1 or eu-west-2."
  }
}

variable "kms_event_regions" {
  description = "Regions where a rule alerts when any KMS key of the account is scheduled for deletion or disabled (CloudTrail's ScheduleKeyDeletion and DisableKey calls, which need a trail logging management events). Every entry must also be in `regions`. May be empty."
  type        = list(string)
  default     = []

  validation {
    condition     = length(distinct(var.kms_event_regions)) == length(var.kms_event_regions)
    error_message = "The kms_event_regions must not contain duplicates."
  }

  validation {
    condition     = alltrue([for r in var.kms_event_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", r))])
    error_message = "Every KMS event region must be an AWS Region code such as us-east-1 or eu-west-2."
  }
}

variable "alert_emails" {
  description = "Email addresses subscribed to the topic in every Region. Each subscription must be confirmed from the email AWS sends (one per Region per address). May be empty, e.g. when a chat integration subscribes to the topics instead."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Every alert email must look like local@domain.tld."
  }

  validation {
    condition     = length(distinct(var.alert_emails)) == length(var.alert_emails)
    error_message = "The alert_emails must not contain duplicates."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource."
  type        = map(string)
  default     = {}
}
