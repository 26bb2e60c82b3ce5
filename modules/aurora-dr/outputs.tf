################################################################################
# Source (looked up)
################################################################################

output "source_arn" {
  description = "ARN of the existing source Aurora cluster in the primary Region."
  value       = local.source_arn
}

################################################################################
# What is deployed, read from the resources (for reviews and the generated
# `terraform test` suite, which asserts the mechanisms lifeboat chose)
################################################################################

output "global_cluster" {
  description = "The Aurora global database as configured: identifier (`<name>-global`) and the ARN of the cluster it was created from; null when global_database is false."
  value = one([
    for g in aws_rds_global_cluster.this : {
      identifier                   = g.global_cluster_identifier
      source_db_cluster_identifier = g.source_db_cluster_identifier
    }
  ])
}

output "secondary_cluster" {
  description = "The secondary cluster as configured: identifier (`<name>-dr`), Region, global cluster it belongs to, engine, encryption and KMS key; null when global_database is false."
  value = one([
    for c in aws_rds_cluster.secondary : {
      identifier                = c.cluster_identifier
      region                    = c.region
      global_cluster_identifier = c.global_cluster_identifier
      engine                    = c.engine
      storage_encrypted         = c.storage_encrypted
      kms_key_id                = c.kms_key_id
    }
  ])
}

output "secondary_instances" {
  description = "The DB instances of the secondary cluster: identifier (`<name>-dr-<n>`), instance class and Region; empty when global_database is false."
  value = [
    for i in aws_rds_cluster_instance.secondary : {
      identifier     = i.identifier
      instance_class = i.instance_class
      region         = i.region
    }
  ]
}

output "global_lag_alarm" {
  description = "The AuroraGlobalDBReplicationLag alarm as configured: Region and threshold in the metric's unit (milliseconds); null when global_database is false."
  value = one([
    for a in aws_cloudwatch_metric_alarm.global_lag : {
      region    = a.region
      threshold = a.threshold
    }
  ])
}

################################################################################
# Encryption and alerting
################################################################################

output "secondary_kms_key_arn" {
  description = "ARN of the customer managed KMS key in the secondary Region (secondary cluster storage and Performance Insights); null when the source is unencrypted or global_database is false."
  value       = one(aws_kms_key.secondary[*].arn)
}

output "secondary_kms_key_region" {
  description = "Region of the module's KMS key (the secondary Region); null when no key is needed."
  value       = one(aws_kms_key.secondary[*].region)
}

output "event_subscription_arns" {
  description = "ARNs of the RDS event subscriptions: primary (source cluster) and secondary (secondary cluster; null when global_database is false)."
  value = {
    primary   = aws_db_event_subscription.source.arn
    secondary = one(aws_db_event_subscription.secondary[*].arn)
  }
}

################################################################################
# Failover (run by people, never by Terraform)
################################################################################

output "failover_command" {
  description = "AWS CLI command for an UNPLANNED global failover (primary Region lost): promotes the secondary cluster to primary, accepting the loss of what AuroraGlobalDBReplicationLag shows; sent to the secondary Region. null when global_database is false."
  value = var.global_database ? format(
    "aws rds failover-global-cluster --region %s --global-cluster-identifier %s --target-db-cluster-identifier %s --allow-data-loss",
    var.secondary_region,
    local.global_cluster_identifier,
    local.secondary_cluster_arn,
  ) : null
}

output "switchover_command" {
  description = "AWS CLI command for a PLANNED switchover (both Regions healthy, no data loss: Aurora waits until the secondary is in sync): makes the secondary cluster the primary. null when global_database is false."
  value = var.global_database ? format(
    "aws rds failover-global-cluster --region %s --global-cluster-identifier %s --target-db-cluster-identifier %s --switchover",
    var.secondary_region,
    local.global_cluster_identifier,
    local.secondary_cluster_arn,
  ) : null
}
