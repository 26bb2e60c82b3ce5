################################################################################
# Identity and placement
################################################################################

variable "name" {
  description = "Prefix for every name this module creates (the lifeboat asset id). Lowercase letters, digits and single hyphens, 1-40 characters, starting with a letter: it becomes part of the replica identifier (`<name>-dr`, 63-character RDS limit), the IAM role name (`<name>-rds-dr-monitoring`, 64-character IAM limit) and RDS snapshot names, which forbid `--`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", var.name)) && !can(regex("--", var.name))
    error_message = "The name must be 1-40 characters of lowercase letters, digits and hyphens, start with a letter, not end with a hyphen and not contain two consecutive hyphens (RDS identifiers reject \"--\")."
  }
}

variable "primary_region" {
  description = "AWS Region where the existing source DB instance runs (for example us-east-1)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.primary_region))
    error_message = "The primary_region must be an AWS Region code such as us-east-1 or us-gov-west-1."
  }
}

variable "secondary_region" {
  description = "AWS Region that receives the read replica and/or the replicated automated backups (for example us-west-2). Must differ from primary_region."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", var.secondary_region))
    error_message = "The secondary_region must be an AWS Region code such as us-west-2 or us-gov-east-1."
  }
}

################################################################################
# The existing source DB instance and what the inventory claims about it
################################################################################

variable "source_identifier" {
  description = "DB instance identifier of the EXISTING source instance in primary_region. It is looked up (never managed) by this module."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.source_identifier)) && !can(regex("--", var.source_identifier)) && !can(regex("-$", var.source_identifier))
    error_message = "The source_identifier must be an RDS DB instance identifier: 1-63 lowercase letters, digits or hyphens, starting with a letter, without \"--\" and not ending with a hyphen."
  }
}

variable "engine" {
  description = "Engine of the source instance as declared in the inventory: postgres, mysql, mariadb, oracle-ee, oracle-se2, sqlserver-ee, sqlserver-se, sqlserver-ex or sqlserver-web. Checked against the live instance at plan time."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["postgres", "mysql", "mariadb", "oracle-ee", "oracle-se2", "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web"], var.engine)
    error_message = "The engine must be one of: postgres, mysql, mariadb, oracle-ee, oracle-se2, sqlserver-ee, sqlserver-se, sqlserver-ex, sqlserver-web."
  }
}

variable "expect_multi_az" {
  description = "The inventory (or the tier's AZ objective) relies on the source being a Multi-AZ deployment. When true, `terraform plan` fails if the live instance is Single-AZ."
  type        = bool
  nullable    = false
}

variable "expect_encrypted" {
  description = "The inventory says the source storage is encrypted. `terraform plan` fails if the live instance disagrees in either direction, because an encrypted source needs a KMS key in the secondary Region for its replica and backups."
  type        = bool
  nullable    = false
}

################################################################################
# DR mechanisms
################################################################################

variable "read_replica" {
  description = "Create a cross-Region read replica of the source in secondary_region. Not available for oracle-se2, sqlserver-se, sqlserver-ex and sqlserver-web (AWS supports Oracle and SQL Server replicas on Enterprise Edition only); plan fails for those."
  type        = bool
  nullable    = false
}

variable "replica_instance_class" {
  description = "Instance class of the read replica (for example db.r6g.large). null uses the source's current class, which is what AWS recommends for a replica that must take over the write load."
  type        = string

  validation {
    condition     = var.replica_instance_class == null || can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+(\\.[a-z0-9]+)*$", var.replica_instance_class))
    error_message = "The replica_instance_class must be null or an RDS instance class such as db.r6g.large or db.r5.2xlarge.tpc2.mem4x."
  }
}

variable "backup_replication" {
  description = "Replicate the source's automated backups (snapshots and transaction logs) into secondary_region with aws_db_instance_automated_backups_replication, enabling point-in-time restore there."
  type        = bool
  nullable    = false
}

variable "backup_replication_retention_days" {
  description = "Days the replicated automated backups are kept in secondary_region (1-35). Only used when backup_replication is true."
  type        = number
  nullable    = false

  validation {
    condition     = var.backup_replication_retention_days >= 1 && var.backup_replication_retention_days <= 35 && floor(var.backup_replication_retention_days) == var.backup_replication_retention_days
    error_message = "The backup_replication_retention_days must be a whole number from 1 to 35 (the RDS backup retention range)."
  }
}

variable "replica_lag_threshold_seconds" {
  description = "Threshold, in seconds, of the ReplicaLag alarm on the read replica (derived from the tier's Region RPO). Note: an idle PostgreSQL source makes its replica report up to 300 s of lag, so values below 300 alarm on idle PostgreSQL databases."
  type        = number
  nullable    = false

  validation {
    condition     = var.replica_lag_threshold_seconds > 0 && var.replica_lag_threshold_seconds <= 86400
    error_message = "The replica_lag_threshold_seconds must be greater than 0 and at most 86400 (one day)."
  }
}

################################################################################
# Alerting and tags
################################################################################

variable "alert_topic_arns" {
  description = "SNS topics that receive alerts, one per Region (from modules/alerts): primary (source events) and secondary (replica events and the ReplicaLag alarm). Each topic must live in its Region and must be a standard (non-FIFO) topic."
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
# Replica networking (not part of the lifeboat interface; defaults keep it optional)
################################################################################

variable "replica_db_subnet_group_name" {
  description = "DB subnet group in secondary_region for the read replica. null lets RDS place the replica in the secondary Region's default VPC (creation fails where no default VPC exists). Not yet expressible in the lifeboat inventory."
  type        = string
  default     = null

  validation {
    condition     = var.replica_db_subnet_group_name == null || can(regex("^[A-Za-z0-9 ._-]{1,255}$", var.replica_db_subnet_group_name))
    error_message = "The replica_db_subnet_group_name must be null or a DB subnet group name (1-255 letters, digits, spaces, periods, underscores or hyphens)."
  }
}

variable "replica_vpc_security_group_ids" {
  description = "VPC security groups (in secondary_region) attached to the read replica. Empty uses the VPC's default security group."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for id in var.replica_vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Each replica_vpc_security_group_ids entry must be a security group id such as sg-0123456789abcdef0."
  }
}

variable "replica_parameter_group_name" {
  description = "DB parameter group in secondary_region for the read replica. null uses the engine's default group: custom parameters of the source (for example rds.force_ssl or shared_preload_libraries) are NOT copied to a cross-Region replica."
  type        = string
  default     = null

  validation {
    condition     = var.replica_parameter_group_name == null || can(regex("^[A-Za-z][A-Za-z0-9-]{0,254}$", var.replica_parameter_group_name))
    error_message = "The replica_parameter_group_name must be null or a DB parameter group name (starts with a letter; letters, digits and hyphens; at most 255 characters)."
  }
}
