variable "name" {
  type        = string
  description = "Prefix for every name this module creates (vaults \"<name>-primary\" / \"<name>-secondary\", plans \"<name>-<plan key>\", IAM role \"<name>-aws-backup\", KMS aliases). Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters (a backup vault name is limited to 50)."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 40
    error_message = "The name must be 1-40 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (lifeboat's project names can be one letter)."
  }
}

variable "primary_region" {
  type        = string
  description = "AWS Region of the protected resources, of the primary backup vault, of the backup plans and of the restore tests (e.g. us-east-1)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1."
  }
}

variable "secondary_region" {
  type        = string
  description = "AWS Region of the secondary (disaster recovery) backup vault that cross-Region copies are written to (e.g. us-west-2). Must differ from primary_region."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2."
  }
}

variable "lock_mode" {
  type        = string
  description = "AWS Backup Vault Lock mode of the primary and secondary vaults (the immutable_vaults pair is always in compliance mode): \"governance\" (lock can be changed or removed by sufficiently privileged principals; changeable_for_days must be null) or \"compliance\" (lock becomes immutable once changeable_for_days have passed; changeable_for_days is then required and >= 3)."

  validation {
    condition     = contains(["governance", "compliance"], var.lock_mode)
    error_message = "The lock_mode must be \"governance\" or \"compliance\"."
  }
}

variable "changeable_for_days" {
  type        = number
  description = "Compliance mode only: grace period in days (>= 3, AWS enforces a 72-hour cooling-off period) after which the vault lock can no longer be changed or deleted. Must be null in governance mode."

  validation {
    condition     = var.changeable_for_days == null ? true : (var.changeable_for_days >= 3 && var.changeable_for_days <= 36500 && floor(var.changeable_for_days) == var.changeable_for_days)
    error_message = "The changeable_for_days must be null or a whole number of days between 3 and 36500."
  }
}

variable "primary_lock" {
  type = object({
    min_retention_days = number
    max_retention_days = number
  })
  description = "Vault Lock retention range of the primary vault. Every rule's delete_after_days must lie within [min_retention_days, max_retention_days]; AWS Backup fails backup jobs whose retention falls outside the range."

  validation {
    condition = (
      var.primary_lock.min_retention_days != null && var.primary_lock.max_retention_days != null
      ? (
        var.primary_lock.min_retention_days >= 1 &&
        var.primary_lock.max_retention_days <= 36500 &&
        var.primary_lock.min_retention_days <= var.primary_lock.max_retention_days &&
        floor(var.primary_lock.min_retention_days) == var.primary_lock.min_retention_days &&
        floor(var.primary_lock.max_retention_days) == var.primary_lock.max_retention_days
      )
      : false
    )
    error_message = "The primary_lock needs whole numbers with 1 <= min_retention_days <= max_retention_days <= 36500."
  }
}

variable "secondary_lock" {
  type = object({
    min_retention_days = number
    max_retention_days = number
  })
  description = "Vault Lock retention range of the secondary (copy) vault. Every non-null copy_delete_after_days must lie within [min_retention_days, max_retention_days]; AWS Backup fails copy jobs whose retention falls outside the range."

  validation {
    condition = (
      var.secondary_lock.min_retention_days != null && var.secondary_lock.max_retention_days != null
      ? (
        var.secondary_lock.min_retention_days >= 1 &&
        var.secondary_lock.max_retention_days <= 36500 &&
        var.secondary_lock.min_retention_days <= var.secondary_lock.max_retention_days &&
        floor(var.secondary_lock.min_retention_days) == var.secondary_lock.min_retention_days &&
        floor(var.secondary_lock.max_retention_days) == var.secondary_lock.max_retention_days
      )
      : false
    )
    error_message = "The secondary_lock needs whole numbers with 1 <= min_retention_days <= max_retention_days <= 36500."
  }
}

variable "immutable_vaults" {
  type = object({
    changeable_for_days = number
    primary_lock = object({
      min_retention_days = number
      max_retention_days = number
    })
    secondary_lock = object({
      min_retention_days = number
      max_retention_days = number
    })
  })
  default     = null
  description = "A second pair of vaults, \"<name>-immutable-primary\" and \"<name>-immutable-secondary\", locked in compliance mode for the plans that set immutable = true (whatever lock_mode says of the first pair). changeable_for_days (>= 3) is the grace period after which the locks can no longer be changed or removed; each lock range must hold the retentions written to that vault. null: no such vaults (and no plan may set immutable)."

  validation {
    condition = var.immutable_vaults == null ? true : alltrue([
      var.immutable_vaults.changeable_for_days != null,
      try(var.immutable_vaults.changeable_for_days >= 3 && var.immutable_vaults.changeable_for_days <= 36500 && floor(var.immutable_vaults.changeable_for_days) == var.immutable_vaults.changeable_for_days, false),
      alltrue([
        for l in [var.immutable_vaults.primary_lock, var.immutable_vaults.secondary_lock] :
        try(
          l.min_retention_days >= 1 && l.max_retention_days <= 36500 && l.min_retention_days <= l.max_retention_days &&
          floor(l.min_retention_days) == l.min_retention_days && floor(l.max_retention_days) == l.max_retention_days,
          false
        )
      ]),
    ])
    error_message = "The immutable_vaults need changeable_for_days as a whole number between 3 and 36500, and lock ranges of whole numbers with 1 <= min_retention_days <= max_retention_days <= 36500."
  }
}

variable "alert_topic_arns" {
  type = object({
    primary   = string
    secondary = string
  })
  description = "ARNs of the standard (not FIFO) SNS topics that receive vault notifications: primary in primary_region, secondary in secondary_region, same account. Their topic policies must allow backup.amazonaws.com to SNS:Publish (and their KMS keys, if any, must let backup.amazonaws.com use them)."

  validation {
    condition = alltrue([
      for arn in [var.alert_topic_arns.primary, var.alert_topic_arns.secondary] :
      can(regex("^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", arn))
    ])
    error_message = "Each alert topic ARN must be a standard SNS topic ARN (arn:PARTITION:sns:REGION:ACCOUNT:NAME); AWS Backup does not support FIFO topics."
  }
}

variable "plans" {
  type = map(object({
    rules = list(object({
      name                      = string
      schedule                  = string
      start_window_minutes      = number
      completion_window_minutes = number
      delete_after_days         = number
      cold_storage_after_days   = number
      continuous                = bool
      copy_delete_after_days    = number
      # Extension (isolated copies): retention of the copy into isolated_vault_arn; null or absent: none.
      isolated_copy_delete_after_days = optional(number)
    }))
    rds_instances    = list(string)
    s3_buckets       = list(string)
    aurora_clusters  = optional(list(string), [])
    dynamodb_tables  = optional(list(string), [])
    efs_file_systems = optional(list(string), [])
    immutable        = optional(bool, false)
    restore_testing = object({
      schedule                = string
      selection_window_days   = number
      validation_window_hours = number
    })
  }))
  description = <<-EOT
    Backup plans keyed by a short plan key (lowercase letters, digits, hyphens). Each plan becomes the
    aws_backup_plan "<name>-<key>" in primary_region. Every attribute must be given (null where absent):
    - rules: schedule (AWS Backup cron, UTC), start_window_minutes (>= 60), completion_window_minutes
      (>= start + 60), delete_after_days, cold_storage_after_days (null = no cold storage; never with
      continuous; delete_after_days >= cold_storage_after_days + 90), continuous (enable_continuous_backup,
      delete_after_days 1-35), copy_delete_after_days (null = no cross-Region copy, else a copy_action to the
      secondary vault with this retention).
    - rds_instances: DB instance identifiers in primary_region; s3_buckets: bucket names in primary_region
      (S3 backup requires versioning on the bucket).
    - aurora_clusters, dynamodb_tables, efs_file_systems (optional, default []): Aurora DB cluster
      identifiers, DynamoDB table names and EFS file system IDs in primary_region. Cross-Region copies of
      DynamoDB need AWS Backup's advanced DynamoDB backup features turned on for the account (README).
    - immutable (optional, default false): write to the compliance-mode vaults of var.immutable_vaults
      (and copy to the immutable secondary vault) instead of the primary / secondary pair.
    - restore_testing: null, or { schedule (cron), selection_window_days (1-365), validation_window_hours
      (0-168) } to have AWS Backup restore the latest recovery point of each protected resource on schedule.
  EOT

  validation {
    condition     = alltrue([for k in keys(var.plans) : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", k))])
    error_message = "Plan keys must be lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      length(p.rules) > 0 &&
      length(distinct([for r in p.rules : r.name])) == length(p.rules) &&
      alltrue([for r in p.rules : can(regex("^[a-zA-Z0-9._-]{1,50}$", r.name))])
    ])
    error_message = "Every plan needs at least one rule; rule names must be unique within the plan and consist of 1-50 letters, digits, '.', '_' or '-'."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules : can(regex("^cron\\(.+\\)$", r.schedule))
      ]
    ]))
    error_message = "Every rule schedule must be an AWS Backup cron expression such as cron(0 5 ? * * *)."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.start_window_minutes != null && r.completion_window_minutes != null
        ? (r.start_window_minutes >= 60 && r.completion_window_minutes >= r.start_window_minutes + 60)
        : false
      ]
    ]))
    error_message = "Every rule needs start_window_minutes >= 60 and completion_window_minutes at least 60 minutes longer than start_window_minutes."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.delete_after_days != null && r.continuous != null
        ? (r.delete_after_days >= 1 && r.delete_after_days <= 36500 && floor(r.delete_after_days) == r.delete_after_days)
        : false
      ]
    ]))
    error_message = "Every rule needs continuous (true or false) and delete_after_days as a whole number between 1 and 36500."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.continuous == true ? (r.cold_storage_after_days == null && r.delete_after_days <= 35) : true
      ]
    ]))
    error_message = "A continuous rule must have cold_storage_after_days = null (AWS Backup rejects cold storage for continuous backups) and delete_after_days <= 35."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.cold_storage_after_days == null ? true : (
          r.cold_storage_after_days >= 1 &&
          floor(r.cold_storage_after_days) == r.cold_storage_after_days &&
          r.delete_after_days >= r.cold_storage_after_days + 90
        )
      ]
    ]))
    error_message = "When cold_storage_after_days is set it must be a whole number >= 1 and delete_after_days must be at least cold_storage_after_days + 90 (recovery points stay in cold storage for at least 90 days)."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.copy_delete_after_days == null ? true : (
          r.copy_delete_after_days >= 1 &&
          r.copy_delete_after_days <= 36500 &&
          floor(r.copy_delete_after_days) == r.copy_delete_after_days
        )
      ]
    ]))
    error_message = "Every copy_delete_after_days must be null or a whole number between 1 and 36500."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.plans) : [
        for r in p.rules :
        r.isolated_copy_delete_after_days == null ? true : (
          r.isolated_copy_delete_after_days >= 7 &&
          r.isolated_copy_delete_after_days <= 36500 &&
          floor(r.isolated_copy_delete_after_days) == r.isolated_copy_delete_after_days
        )
      ]
    ]))
    error_message = "Every isolated_copy_delete_after_days must be null or a whole number between 7 (a logically air-gapped vault's minimum retention) and 36500."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      p.rds_instances != null && p.s3_buckets != null
      ? (
        length(distinct(p.rds_instances)) == length(p.rds_instances) &&
        length(distinct(p.s3_buckets)) == length(p.s3_buckets) &&
        alltrue([for id in p.rds_instances : can(regex("^[a-zA-Z](-?[a-zA-Z0-9])*$", id)) && length(id) <= 63]) &&
        alltrue([for b in p.s3_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
      )
      : false
    ])
    error_message = "The rds_instances and s3_buckets lists must be given (possibly empty), without duplicates, with valid DB instance identifiers (letter first, letters, digits, single hyphens, <= 63) and S3 bucket names."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      p.aurora_clusters != null && p.dynamodb_tables != null && p.efs_file_systems != null
      ? (
        length(distinct(p.aurora_clusters)) == length(p.aurora_clusters) &&
        length(distinct(p.dynamodb_tables)) == length(p.dynamodb_tables) &&
        length(distinct(p.efs_file_systems)) == length(p.efs_file_systems) &&
        alltrue([for id in p.aurora_clusters : can(regex("^[a-zA-Z](-?[a-zA-Z0-9])*$", id)) && length(id) <= 63]) &&
        alltrue([for t in p.dynamodb_tables : can(regex("^[A-Za-z0-9_.-]{3,255}$", t))]) &&
        alltrue([for fs in p.efs_file_systems : can(regex("^fs-[0-9a-f]{8}([0-9a-f]{9})?$", fs))])
      )
      : false
    ])
    error_message = "The aurora_clusters, dynamodb_tables and efs_file_systems lists must not be null and must have no duplicates, with valid Aurora DB cluster identifiers (letter first, letters, digits, single hyphens, <= 63), DynamoDB table names (3-255 of [A-Za-z0-9_.-]) and EFS file system IDs (fs- and 8 or 17 lowercase hex digits)."
  }

  validation {
    condition = (
      length(flatten([for p in values(var.plans) : p.s3_buckets if anytrue([for r in p.rules : r.continuous])])) ==
      length(distinct(flatten([for p in values(var.plans) : p.s3_buckets if anytrue([for r in p.rules : r.continuous])])))
    )
    error_message = "An S3 bucket may be in at most one plan with a continuous rule (AWS Backup: continuous backups for an S3 bucket should only be configured in one backup plan)."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      p.restore_testing == null ? true : (
        can(regex("^cron\\(.+\\)$", p.restore_testing.schedule)) &&
        p.restore_testing.selection_window_days >= 1 &&
        p.restore_testing.selection_window_days <= 365 &&
        p.restore_testing.validation_window_hours >= 0 &&
        p.restore_testing.validation_window_hours <= 168
      )
    ])
    error_message = "A restore_testing block needs a cron() schedule, selection_window_days between 1 and 365 and validation_window_hours between 0 and 168."
  }

  validation {
    condition = alltrue([
      for p in values(var.plans) :
      p.restore_testing == null ? true : (
        length(p.rds_instances) + length(p.s3_buckets) + length(p.aurora_clusters) + length(p.dynamodb_tables) + length(p.efs_file_systems) > 0 &&
        length(p.rds_instances) <= 30 &&
        length(p.s3_buckets) <= 30 &&
        length(p.aurora_clusters) <= 30 &&
        length(p.dynamodb_tables) <= 30 &&
        length(p.efs_file_systems) <= 30
      )
    ])
    error_message = "A plan with restore_testing must protect at least one resource, and at most 30 of each type (RDS instances, S3 buckets, Aurora clusters, DynamoDB tables, EFS file systems): a restore testing selection takes at most 30 ARNs."
  }
}

variable "isolated_vault_arn" {
  type        = string
  description = "ARN of a logically air-gapped vault in primary_region (modules/isolated-vault) that the rules with isolated_copy_delete_after_days also copy to; null: no isolated copies (every rule's isolated_copy_delete_after_days must then be null)."
  default     = null

  validation {
    condition     = var.isolated_vault_arn == null ? true : can(regex("^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:backup-vault:[a-zA-Z0-9_-]{2,50}$", var.isolated_vault_arn))
    error_message = "The isolated_vault_arn must be null or a backup vault ARN (arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME)."
  }
}

variable "secondary_plans" {
  type        = bool
  description = "Also create, in secondary_region, a twin of every plan (same rules, no copies, secondary vault) that selects the resources tagged lifeboat:dr-backup-plan = <plan key>, and restore testing of the secondary vault for them: the backups of what a failover creates there. The secondary_lock range must then hold every rule's delete_after_days too."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every taggable resource (vaults, KMS keys, plans, IAM role, restore testing plans) and, with the plan and rule names, to every recovery point."
  default     = {}
}
