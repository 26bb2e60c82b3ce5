variable "name" {
  description = "Prefix for the names of the resources this module creates (IAM role, KMS alias, CloudWatch alarms, replication rule ID). Lowercase letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name variable must be 1-48 characters of [a-z0-9-] and must not start or end with a hyphen (the IAM role is named \"<name>-s3-replication\", max 64 characters)."
  }
}

variable "primary_region" {
  description = "Region of the existing source bucket (for example us-east-1). The replication configuration, the source versioning and the OperationsFailedReplication alarm are created here."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", var.primary_region))
    error_message = "The primary_region variable must be an AWS Region code such as us-east-1."
  }
}

variable "secondary_region" {
  description = "Disaster-recovery Region (for example us-west-2). The destination bucket, its KMS key and the ReplicationLatency alarm are created here. Must differ from primary_region (this module does Cross-Region Replication)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", var.secondary_region))
    error_message = "The secondary_region variable must be an AWS Region code such as us-west-2."
  }
}

variable "source_bucket" {
  description = "Name of the EXISTING source bucket in primary_region. The module does not create or import it: it only manages its versioning and its replication configuration."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.source_bucket)) && length(regexall("\\.\\.", var.source_bucket)) == 0
    error_message = "The source_bucket variable must be a valid S3 bucket name (3-63 characters of [a-z0-9.-], starting and ending with a letter or digit)."
  }
}

variable "source_kms_key_arn" {
  description = "ARN of the KMS key (key ARN, not alias ARN) that encrypts the source bucket's objects (SSE-KMS), or null when the source bucket uses SSE-S3. Used to grant the replication role kms:Decrypt through S3 in primary_region."
  type        = string
  default     = null

  validation {
    condition     = var.source_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.source_kms_key_arn))
    error_message = "The source_kms_key_arn variable must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>); alias ARNs cannot be used in IAM policies to grant kms:Decrypt."
  }
}

variable "destination_bucket" {
  description = "Name of the bucket to CREATE in secondary_region as the replica. Global namespace by default; a name of the form <prefix>-<account-id>-<secondary_region>-an is created in the account-regional namespace."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.destination_bucket))
    error_message = "The destination_bucket variable must be 3-63 characters of [a-z0-9-] starting and ending with a letter or digit (periods are refused: they break virtual-hosted-style HTTPS)."
  }

  validation {
    condition     = length(regexall("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$", var.destination_bucket)) == 0
    error_message = "The destination_bucket variable uses a prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, --x-s3, --table-s3) that S3 reserves."
  }

  validation {
    condition     = length(regexall("-an$", var.destination_bucket)) == 0 || can(regex("-[0-9]{12}-[a-z0-9-]+-an$", var.destination_bucket))
    error_message = "The -an suffix is reserved for the account-regional namespace: use <prefix>-<12-digit-account-id>-<secondary_region>-an or another name."
  }
}

variable "replication_time_control" {
  description = "Enable S3 Replication Time Control (15-minute replication SLA, billed per GB) and the ReplicationLatency alarm. Replication metrics are enabled in both cases."
  type        = bool
}

variable "replicate_deletes" {
  description = "Replicate delete markers (delete_marker_replication). Keep false to keep objects readable in the replica after a (possibly malicious) delete in the source. Deletions of specific object versions are never replicated."
  type        = bool
}

variable "noncurrent_version_retention_days" {
  description = "Days a noncurrent object version is kept in the destination bucket before S3 Lifecycle expires it."
  type        = number

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && var.noncurrent_version_retention_days <= 36500 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "The noncurrent_version_retention_days variable must be a whole number between 1 and 36500."
  }
}

variable "replication_latency_threshold_seconds" {
  description = "ReplicationLatency (Maximum) above which the latency alarm fires. Only used when replication_time_control is true; 900 is the RTC threshold."
  type        = number

  validation {
    condition     = var.replication_latency_threshold_seconds >= 60 && var.replication_latency_threshold_seconds <= 86400 && floor(var.replication_latency_threshold_seconds) == var.replication_latency_threshold_seconds
    error_message = "The replication_latency_threshold_seconds variable must be a whole number of seconds between 60 and 86400."
  }
}

variable "alert_topic_arn" {
  description = "ARN of the SNS topic in primary_region that receives ALARM and OK notifications of the OperationsFailedReplication alarm (CloudWatch alarms can only notify topics in their own Region)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alert_topic_arn))
    error_message = "The alert_topic_arn variable must be a standard (non-FIFO) SNS topic ARN."
  }
}

variable "secondary_alert_topic_arn" {
  description = "ARN of an SNS topic in secondary_region for the ReplicationLatency alarm. S3 publishes ReplicationLatency in the destination bucket's Region and an alarm cannot notify a topic in another Region. Required when replication_time_control is true; ignored otherwise."
  type        = string
  default     = null

  validation {
    condition     = var.secondary_alert_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.secondary_alert_topic_arn))
    error_message = "The secondary_alert_topic_arn variable must be null or a standard (non-FIFO) SNS topic ARN."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource the module creates."
  type        = map(string)
  default     = {}
}
