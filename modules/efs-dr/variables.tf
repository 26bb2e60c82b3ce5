################################################################################
# Identity and placement
################################################################################

variable "name" {
  description = "Prefix for every name this module creates (the lifeboat asset id): 1-48 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen. It names the EventBridge rule `<name>-efs-guard` (64-character limit), the alarm and the KMS alias."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens and must not start or end with a hyphen."
  }
}

variable "primary_region" {
  description = "AWS Region of the existing source file system (for example us-east-1)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1 or us-gov-west-1."
  }
}

variable "secondary_region" {
  description = "AWS Region of the replica file system (for example us-west-2). Must differ from primary_region."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2 or us-gov-east-1."
  }
}

################################################################################
# The existing source file system
################################################################################

variable "file_system_id" {
  description = "ID of the EXISTING EFS file system in primary_region (fs- followed by 8 or 17 hex digits). It is looked up (never managed) by this module."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^fs-[0-9a-f]{8}([0-9a-f]{9})?$", var.file_system_id))
    error_message = "The file_system_id must be an EFS file system ID such as fs-0123456789abcdef0 (fs- followed by 8 or 17 lowercase hex digits)."
  }
}

################################################################################
# DR mechanism
################################################################################

variable "replication" {
  description = "Replicate the file system to a new, read-only, Regional file system in secondary_region (EFS replication), encrypted with a customer managed key there, and alarm on its TimeSinceLastSync."
  type        = bool
  nullable    = false
}

variable "sync_threshold_seconds" {
  description = "Threshold, in seconds, of the TimeSinceLastSync alarm (derived from the tier's Region RPO). TimeSinceLastSync is published in seconds, so no conversion applies. EFS replicates most changes within minutes and targets a 15-minute RPO for most file systems: thresholds below 900 s may alarm during bursts."
  type        = number
  nullable    = false

  validation {
    condition     = var.sync_threshold_seconds > 0 && var.sync_threshold_seconds <= 604800
    error_message = "The sync_threshold_seconds must be greater than 0 and at most 604800 (one week)."
  }
}

################################################################################
# Alerting and tags
################################################################################

variable "alert_topic_arns" {
  description = "SNS topics that receive alerts, one per Region (from modules/alerts): primary (the TimeSinceLastSync alarm, published in the source Region, and the source-change rule) and secondary. Each topic must live in its Region and be a standard (non-FIFO) topic."
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
  description = "Tags added to every taggable resource this module creates. (EFS names the replica file system itself; tag it after a failover if needed.)"
  type        = map(string)
  nullable    = false
  default     = {}
}
