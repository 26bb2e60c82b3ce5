################################################################################
# Identity and placement
################################################################################

variable "name" {
  description = "Prefix for every name this module creates (the lifeboat asset id): 1-48 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen. It names the EventBridge rule `<name>-dynamodb-guard` (64-character limit), the alarm and the KMS alias."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens and must not start or end with a hyphen."
  }
}

variable "primary_region" {
  description = "AWS Region of the existing source table (for example us-east-1)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1 or us-gov-west-1."
  }
}

variable "secondary_region" {
  description = "AWS Region of the global table replica (for example us-west-2). Must differ from primary_region."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2 or us-gov-east-1."
  }
}

################################################################################
# The existing source table and what the inventory claims about it
################################################################################

variable "table_name" {
  description = "Name of the EXISTING DynamoDB table in primary_region. It is looked up (never managed) by this module."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "The table_name must be a DynamoDB table name: 3-255 letters, digits, underscores, hyphens or periods."
  }
}

variable "expect_pitr" {
  description = "The recovery model relies on the source table's point-in-time recovery (for corruption and deletion). When true, `terraform plan` fails if PITR is off or its window is shorter than pitr_recovery_period_days."
  type        = bool
  nullable    = false
}

variable "pitr_recovery_period_days" {
  description = "Point-in-time recovery window, in days (1-35), that the recovery model assumes for the source table. Only checked when expect_pitr is true."
  type        = number
  nullable    = false

  validation {
    condition     = var.pitr_recovery_period_days >= 1 && var.pitr_recovery_period_days <= 35 && floor(var.pitr_recovery_period_days) == var.pitr_recovery_period_days
    error_message = "The pitr_recovery_period_days must be a whole number from 1 to 35 (DynamoDB's RecoveryPeriodInDays range)."
  }
}

################################################################################
# DR mechanism
################################################################################

variable "global_table" {
  description = "Add a replica of the table in secondary_region (global tables version 2019.11.21), encrypted with a customer managed key there, with point-in-time recovery and deletion protection, and alarm on its ReplicationLatency."
  type        = bool
  nullable    = false
}

variable "replication_latency_threshold_seconds" {
  description = "Threshold, in seconds, of the ReplicationLatency alarm (primary -> secondary; derived from the tier's Region RPO). The alarm compares in the metric's unit, milliseconds (threshold x 1000)."
  type        = number
  nullable    = false

  validation {
    condition     = var.replication_latency_threshold_seconds > 0 && var.replication_latency_threshold_seconds <= 86400
    error_message = "The replication_latency_threshold_seconds must be greater than 0 and at most 86400 (one day)."
  }
}

################################################################################
# Alerting and tags
################################################################################

variable "alert_topic_arns" {
  description = "SNS topics that receive alerts, one per Region (from modules/alerts): primary (the ReplicationLatency alarm, which DynamoDB publishes in the sending Region, and the source-change rule) and secondary. Each topic must live in its Region and be a standard (non-FIFO) topic."
  type = object({
    primary   = string
    secondary = string
  })
  nullable = false

  validation {
    condition = alltrue([
      for arn in [var.alert_topic_arns.primary, var.alert_topic_arns.secondary] :
      arn != null && can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", arn))
    ])
    error_message = "Both alert_topic_arns.primary and alert_topic_arns.secondary must be ARNs of standard SNS topics (arn:<partition>:sns:<region>:<account>:<name>)."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource this module creates."
  type        = map(string)
  nullable    = false
  default     = {}
}
