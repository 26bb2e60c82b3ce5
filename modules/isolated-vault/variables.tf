variable "name" {
  type        = string
  description = "Name of the logically air-gapped vault (2-50 letters, digits, hyphens and underscores); the AWS RAM share is \"<name>-vault\"."

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{2,50}$", var.name))
    error_message = "The name must be 2-50 letters, digits, hyphens or underscores (AWS Backup's pattern for a logically air-gapped vault name)."
  }
}

variable "region" {
  type        = string
  description = "AWS Region of the vault: the Region of the backups copied into it (a copy into it from another Region is not available for Aurora)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region must be an AWS Region code such as us-east-1."
  }
}

variable "min_retention_days" {
  type        = number
  description = "Shortest retention the vault accepts, in days (AWS minimum 7). Every copy's delete_after must be at least this: AWS Backup fails copy jobs outside [min, max]."

  validation {
    condition     = var.min_retention_days >= 7 && var.min_retention_days <= 36500 && floor(var.min_retention_days) == var.min_retention_days
    error_message = "The min_retention_days must be a whole number of days between 7 and 36500 (AWS Backup's minimum for a logically air-gapped vault is 7)."
  }
}

variable "max_retention_days" {
  type        = number
  description = "Longest retention the vault accepts, in days (at most 36500, at least min_retention_days)."

  validation {
    condition     = var.max_retention_days <= 36500 && var.max_retention_days >= var.min_retention_days && floor(var.max_retention_days) == var.max_retention_days
    error_message = "The max_retention_days must be a whole number of days between min_retention_days and 36500."
  }
}

variable "recovery_account_id" {
  type        = string
  description = "12-digit id of the AWS account the vault is shared with through AWS RAM, to restore from when this account is compromised; null: not shared."
  default     = null

  validation {
    condition     = var.recovery_account_id == null ? true : can(regex("^[0-9]{12}$", var.recovery_account_id))
    error_message = "The recovery_account_id must be null or a 12-digit AWS account id."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to the vault and the resource share."
  default     = {}
}
