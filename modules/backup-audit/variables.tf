variable "region" {
  type        = string
  description = "AWS Region of the backup plans the framework audits (the backup module's primary_region): the framework, the report plans, the report bucket and its KMS key are created here. Backup Audit Manager evaluates the resources of its own Region."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region must be an AWS Region code such as us-east-1."
  }
}

variable "framework_name" {
  type        = string
  description = "Name of the aws_backup_framework: 1-256 letters, digits and underscores, starting with a letter (AWS Backup CreateFramework)."

  validation {
    condition     = can(regex("^[a-zA-Z][_a-zA-Z0-9]{0,255}$", var.framework_name))
    error_message = "The framework_name must be 1-256 letters, digits and underscores and start with a letter."
  }
}

variable "plans" {
  type = map(object({
    name                          = string
    frequency_unit                = string
    frequency_value               = number
    retention_days                = number
    recovery_point_retention_days = number
  }))
  description = <<-EOT
    The backup plans to audit, keyed by plan key (the backup module's `plans` keys). Each gets two controls:
    - BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK scoped to the plan (its id from plan_ids):
      requiredFrequencyUnit = frequency_unit ("hours" or "days"), requiredFrequencyValue = frequency_value
      (1-24 hours or 1-31 days), requiredRetentionDays = retention_days.
    - BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK scoped to the recovery points tagged
      `lifeboat:backup-plan = <name>` (the tag the backup module writes on every recovery point of the plan):
      requiredRetentionDays = recovery_point_retention_days.
  EOT

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      contains(["hours", "days"], p.frequency_unit) &&
      p.frequency_value >= 1 && floor(p.frequency_value) == p.frequency_value &&
      p.frequency_value <= (p.frequency_unit == "hours" ? 24 : 31)
    ])
    error_message = "Each plan's frequency_unit must be \"hours\" (frequency_value 1-24) or \"days\" (frequency_value 1-31), in whole numbers (AWS Config backup-plan-min-frequency-and-min-retention-check)."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      p.retention_days >= 1 && p.retention_days <= 36500 && floor(p.retention_days) == p.retention_days &&
      p.recovery_point_retention_days >= 1 && p.recovery_point_retention_days <= p.retention_days &&
      floor(p.recovery_point_retention_days) == p.recovery_point_retention_days
    ])
    error_message = "Each plan needs whole numbers 1 <= recovery_point_retention_days <= retention_days <= 36500."
  }

  validation {
    condition     = alltrue([for p in values(var.plans) : can(regex("^[a-zA-Z0-9._-]{1,50}$", p.name))])
    error_message = "Each plan name must be the AWS Backup plan name: 1-50 letters, digits, '.', '_' or '-'."
  }
}

variable "plan_ids" {
  type        = map(string)
  description = "Backup plan ids keyed by plan key: the backup module's plan_ids output. Every key of plans must be present."
}

variable "resource_controls" {
  type = list(object({
    name          = string
    resource_type = string
    resources     = list(string)
    parameters    = map(string)
  }))
  description = <<-EOT
    Controls evaluated per protected resource. Each is scoped to one resource type and the resources listed
    (ComplianceResourceTypes and ComplianceResourceIds; at most 100 ids). `resources` are the names lifeboat
    knows: RDS DB instance identifiers (type "RDS") and Aurora DB cluster identifiers (type "Aurora"), which
    the module turns into their resource ids (db-..., cluster-...: the ids AWS Config records them by), S3
    bucket names ("S3"), DynamoDB table names ("DynamoDB") and EFS file system ids ("EFS"), all in region.
    `name` is one of BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN (no parameters),
    BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION (crossRegionList), BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK
    (minRetentionDays, maxRetentionDays), BACKUP_LAST_RECOVERY_POINT_CREATED (recoveryPointAgeUnit,
    recoveryPointAgeValue) and RESTORE_TIME_FOR_RESOURCES_MEET_TARGET (maxRestoreTime, in minutes).
  EOT

  validation {
    condition = alltrue([
      for c in var.resource_controls : contains([
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
        "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
        "BACKUP_LAST_RECOVERY_POINT_CREATED",
        "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
      ], c.name)
    ])
    error_message = "A resource control's name must be one of the AWS Backup Audit Manager controls this module scopes to resources (see the variable's description)."
  }

  validation {
    condition = alltrue([
      for c in var.resource_controls :
      contains(["RDS", "Aurora", "S3", "DynamoDB", "EFS"], c.resource_type) &&
      length(c.resources) >= 1 && length(c.resources) <= 100 &&
      length(distinct(c.resources)) == length(c.resources)
    ])
    error_message = "Each resource control needs a resource_type of RDS, Aurora, S3, DynamoDB or EFS and 1-100 distinct resources (ControlScope.ComplianceResourceIds holds at most 100)."
  }

  validation {
    condition = alltrue([
      for c in var.resource_controls : (
        c.name == "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" ? length(c.parameters) == 0 :
        c.name == "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION" ? (
          toset(keys(c.parameters)) == toset(["crossRegionList"]) &&
          alltrue([for r in split(",", c.parameters["crossRegionList"]) : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", r))])
        ) :
        c.name == "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK" ? (
          toset(keys(c.parameters)) == toset(["minRetentionDays", "maxRetentionDays"]) &&
          can(tonumber(c.parameters["minRetentionDays"])) && can(tonumber(c.parameters["maxRetentionDays"])) &&
          try(tonumber(c.parameters["minRetentionDays"]) >= 1 && tonumber(c.parameters["minRetentionDays"]) <= tonumber(c.parameters["maxRetentionDays"]), false)
        ) :
        c.name == "BACKUP_LAST_RECOVERY_POINT_CREATED" ? (
          toset(keys(c.parameters)) == toset(["recoveryPointAgeUnit", "recoveryPointAgeValue"]) &&
          contains(["hours", "days"], c.parameters["recoveryPointAgeUnit"]) &&
          can(regex("^[1-9][0-9]*$", c.parameters["recoveryPointAgeValue"])) &&
          try(tonumber(c.parameters["recoveryPointAgeValue"]) <= (c.parameters["recoveryPointAgeUnit"] == "hours" ? 744 : 31), false)
        ) :
        (
          toset(keys(c.parameters)) == toset(["maxRestoreTime"]) &&
          can(regex("^[1-9][0-9]*$", c.parameters["maxRestoreTime"]))
        )
      )
    ])
    error_message = "A resource control's parameters do not fit its control: none for BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN; crossRegionList (comma-separated Regions); minRetentionDays <= maxRetentionDays; recoveryPointAgeUnit hours (value 1-744) or days (1-31); maxRestoreTime in whole minutes."
  }
}

variable "report_bucket_prefix" {
  type        = string
  description = "The report bucket is named \"<report_bucket_prefix>-<account id>\" (S3 bucket names are global; the account id keeps it unique). Lowercase letters, digits and hyphens, starting with a letter, at most 50 characters."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,48}[a-z0-9]$", var.report_bucket_prefix)) && !strcontains(var.report_bucket_prefix, "--")
    error_message = "The report_bucket_prefix must be 2-50 lowercase letters, digits and single hyphens, start with a letter and end with a letter or digit."
  }
}

variable "report_plan_names" {
  type = object({
    backup_jobs        = string
    restore_jobs       = string
    control_compliance = string
  })
  description = "Names of the three report plans (BACKUP_JOB_REPORT, RESTORE_JOB_REPORT and CONTROL_COMPLIANCE_REPORT of the framework): 1-256 letters, digits and underscores, starting with a letter."

  validation {
    condition = alltrue([
      for n in [var.report_plan_names.backup_jobs, var.report_plan_names.restore_jobs, var.report_plan_names.control_compliance] :
      can(regex("^[a-zA-Z][_a-zA-Z0-9]{0,255}$", n))
    ]) && length(distinct([var.report_plan_names.backup_jobs, var.report_plan_names.restore_jobs, var.report_plan_names.control_compliance])) == 3
    error_message = "The three report plan names must differ and be 1-256 letters, digits and underscores starting with a letter."
  }
}

variable "report_retention_days" {
  type        = number
  description = "Days a report object is kept in the bucket (current and noncurrent versions) before S3 Lifecycle deletes it."
  default     = 365

  validation {
    condition     = var.report_retention_days >= 1 && var.report_retention_days <= 36500 && floor(var.report_retention_days) == var.report_retention_days
    error_message = "The report_retention_days must be a whole number between 1 and 36500."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource of the module (on top of the provider's default_tags)."
  default     = {}
}
