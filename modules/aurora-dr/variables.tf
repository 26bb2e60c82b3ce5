################################################################################
# Identity and placement
################################################################################

variable "name" {
  description = "Prefix for every name this module creates (the lifeboat asset id). Lowercase letters, digits and single hyphens, 1-40 characters, starting with a letter: it becomes part of the global cluster (`<name>-global`), secondary cluster (`<name>-dr`) and instance (`<name>-dr-<n>`) identifiers (63-character RDS limit), the IAM role name (`<name>-aurora-dr-monitoring`, 64-character IAM limit) and RDS snapshot names, which forbid `--`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", var.name)) && !can(regex("--", var.name))
    error_message = "The name must be 1-40 characters of lowercase letters, digits and hyphens, start with a letter, not end with a hyphen and not contain two consecutive hyphens (RDS identifiers reject \"--\")."
  }
}

variable "primary_region" {
  description = "AWS Region where the existing source Aurora cluster runs (for example us-east-1)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1 or us-gov-west-1."
  }
}

variable "secondary_region" {
  description = "AWS Region of the global database's secondary cluster (for example us-west-2). Must differ from primary_region."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2 or us-gov-east-1."
  }
}

################################################################################
# The existing source cluster and what the inventory claims about it
################################################################################

variable "source_cluster_identifier" {
  description = "DB cluster identifier of the EXISTING Aurora cluster in primary_region. It is looked up (never managed) by this module."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.source_cluster_identifier)) && !can(regex("--", var.source_cluster_identifier)) && !can(regex("-$", var.source_cluster_identifier))
    error_message = "The source_cluster_identifier must be an RDS DB cluster identifier: 1-63 lowercase letters, digits or hyphens, starting with a letter, without \"--\" and not ending with a hyphen."
  }
}

variable "engine" {
  description = "Engine of the source cluster as declared in the inventory: aurora-postgresql or aurora-mysql. Checked against the live cluster at plan time."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["aurora-postgresql", "aurora-mysql"], var.engine)
    error_message = "The engine must be aurora-postgresql or aurora-mysql."
  }
}

variable "expect_encrypted" {
  description = "The inventory says the source cluster is encrypted at rest. `terraform plan` fails if the live cluster disagrees in either direction, because an encrypted global database needs a KMS key in the secondary Region."
  type        = bool
  nullable    = false
}

variable "expect_reader" {
  description = "The recovery model relies on a reader instance in the source cluster for a fast in-Region failover (instance or AZ loss). When true, `terraform plan` fails if the live cluster has fewer than two DB instances."
  type        = bool
  nullable    = false
}

################################################################################
# DR mechanism
################################################################################

variable "global_database" {
  description = "Turn the source cluster into the primary of an Aurora Global Database (`<name>-global`) and add a secondary cluster (`<name>-dr`) with secondary_instance_count instances in secondary_region. false keeps only the plan-time checks and the source event subscription."
  type        = bool
  nullable    = false
}

variable "secondary_instance_class" {
  description = "Instance class of the secondary instances (for example db.r6g.large, or db.serverless). null uses the class of the source cluster's first member (lexical order), which is what AWS recommends for a secondary that must take over the write load."
  type        = string
  default     = null

  validation {
    condition     = var.secondary_instance_class == null || can(regex("^db\\.(serverless|[a-z0-9]+\\.[a-z0-9]+)$", var.secondary_instance_class))
    error_message = "The secondary_instance_class must be null, db.serverless or an RDS instance class such as db.r6g.large."
  }
}

variable "secondary_instance_count" {
  description = "Number of DB instances in the secondary cluster (1-15). The first one becomes the writer after a failover; more keep a reader for in-Region failover after the promotion."
  type        = number
  nullable    = false
  default     = 1

  validation {
    condition     = var.secondary_instance_count >= 1 && var.secondary_instance_count <= 15 && floor(var.secondary_instance_count) == var.secondary_instance_count
    error_message = "The secondary_instance_count must be a whole number from 1 to 15 (an Aurora cluster has at most 15 readers)."
  }
}

variable "global_lag_threshold_seconds" {
  description = "Threshold, in seconds, of the AuroraGlobalDBReplicationLag alarm on the secondary cluster (derived from the tier's Region RPO). The alarm compares in the metric's unit, milliseconds (threshold x 1000)."
  type        = number
  nullable    = false

  validation {
    condition     = var.global_lag_threshold_seconds > 0 && var.global_lag_threshold_seconds <= 86400
    error_message = "The global_lag_threshold_seconds must be greater than 0 and at most 86400 (one day)."
  }
}

################################################################################
# Alerting and tags
################################################################################

variable "alert_topic_arns" {
  description = "SNS topics that receive alerts, one per Region (from modules/alerts): primary (source cluster events) and secondary (secondary cluster events and the AuroraGlobalDBReplicationLag alarm). Each topic must live in its Region and must be a standard (non-FIFO) topic."
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
    error_message = "Both alert_topic_arns.primary and alert_topic_arns.secondary must be ARNs of standard SNS topics (arn:<partition>:sns:<region>:<account>:<name>); FIFO topics are not accepted by RDS event subscriptions."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource this module creates."
  type        = map(string)
  nullable    = false
  default     = {}
}

################################################################################
# Secondary placement (not part of the lifeboat interface; defaults keep it optional)
################################################################################

variable "secondary_db_subnet_group_name" {
  description = "DB subnet group in secondary_region for the secondary cluster and its instances. null lets RDS use the secondary Region's default VPC (creation fails where no default VPC exists). Not yet expressible in the lifeboat inventory."
  type        = string
  default     = null

  validation {
    condition     = var.secondary_db_subnet_group_name == null || can(regex("^[A-Za-z0-9 ._-]{1,255}$", var.secondary_db_subnet_group_name))
    error_message = "The secondary_db_subnet_group_name must be null or a DB subnet group name (1-255 letters, digits, spaces, periods, underscores or hyphens)."
  }
}

variable "secondary_vpc_security_group_ids" {
  description = "VPC security groups (in secondary_region) attached to the secondary cluster. Empty uses the VPC's default security group."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for id in var.secondary_vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Each secondary_vpc_security_group_ids entry must be a security group id such as sg-0123456789abcdef0."
  }
}

variable "secondary_db_cluster_parameter_group_name" {
  description = "DB cluster parameter group in secondary_region for the secondary cluster. null uses the engine's default group: custom cluster parameters of the source are NOT copied to a secondary cluster."
  type        = string
  default     = null

  validation {
    condition     = var.secondary_db_cluster_parameter_group_name == null || can(regex("^[A-Za-z][A-Za-z0-9-]{0,254}$", var.secondary_db_cluster_parameter_group_name))
    error_message = "The secondary_db_cluster_parameter_group_name must be null or a DB cluster parameter group name (starts with a letter; letters, digits and hyphens; at most 255 characters)."
  }
}

variable "secondary_serverless_v2_scaling" {
  description = "Aurora Serverless v2 capacity range (ACUs) of the secondary cluster; needed only when the secondary instances are db.serverless (the plan fails without it then). Use the source's range so that the promoted cluster can carry the load."
  type = object({
    min_capacity = number
    max_capacity = number
  })
  default = null

  validation {
    condition = var.secondary_serverless_v2_scaling == null ? true : (
      var.secondary_serverless_v2_scaling.min_capacity >= 0 &&
      var.secondary_serverless_v2_scaling.max_capacity >= 1 &&
      var.secondary_serverless_v2_scaling.max_capacity <= 256 &&
      var.secondary_serverless_v2_scaling.min_capacity <= var.secondary_serverless_v2_scaling.max_capacity
    )
    error_message = "The secondary_serverless_v2_scaling needs 0 <= min_capacity <= max_capacity, with max_capacity between 1 and 256 ACUs."
  }
}
