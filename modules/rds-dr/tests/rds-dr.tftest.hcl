# terraform test suite of the rds-dr module (offline, against a mocked AWS provider):
# `tf-validate test modules/rds-dr`. The positive runs check what the module builds for
# an encrypted PostgreSQL source with a cross-Region replica, a MySQL source with backup
# replication only, Oracle SE2 (no replicas) and the engine-specific replica settings
# of Oracle EE, SQL Server EE and older PostgreSQL; every negative run trips exactly one
# validation or precondition, the data-driven ones through override_data.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/lifeboat-test"
      user_id    = "AIDALIFEBOATTESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/orders-db-rds-dr-monitoring"
    }
  }
}

# The live source instance: encrypted, Multi-AZ PostgreSQL 16 with 7 days of backups.
override_data {
  target = data.aws_db_instance.source
  values = {
    db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
    db_instance_identifier  = "orders-prod"
    engine                  = "postgres"
    engine_version          = "16.4"
    multi_az                = true
    storage_encrypted       = true
    backup_retention_period = 7
    db_cluster_identifier   = null
    db_instance_class       = "db.r6g.large"
    allocated_storage       = 400
    max_allocated_storage   = 1000
    ca_cert_identifier      = "rds-ca-rsa2048-g1"
  }
}

# A Region-correct ARN for the module's key in the secondary Region, known at plan time.
override_resource {
  target          = aws_kms_key.secondary[0]
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-4333-8333-333333333333"
    key_id = "33333333-3333-4333-8333-333333333333"
    id     = "33333333-3333-4333-8333-333333333333"
  }
}

# The replicated backups' ARN (their id), known at plan time.
override_resource {
  target          = aws_db_instance_automated_backups_replication.this[0]
  override_during = plan
  values = {
    id = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-lifeboattest0000000000000000000000"
  }
}

# Valid inputs shared by every run; each run overrides what it tests.
variables {
  name                              = "orders-db"
  primary_region                    = "us-east-1"
  secondary_region                  = "us-west-2"
  source_identifier                 = "orders-prod"
  engine                            = "postgres"
  expect_multi_az                   = true
  expect_encrypted                  = true
  read_replica                      = true
  replica_instance_class            = null
  backup_replication                = false
  backup_replication_retention_days = 14
  replica_lag_threshold_seconds     = 900
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
    secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
  }
  tags = { Project = "shop" }
}

# Encrypted PostgreSQL 16 with a cross-Region read replica.
run "plan_replica_encrypted" {
  command = plan

  assert {
    condition     = length(aws_db_instance.replica) == 1 && length(aws_db_instance_automated_backups_replication.this) == 0
    error_message = "A replica and no backup replication."
  }

  assert {
    condition = (
      aws_db_instance.replica[0].region == "us-west-2" &&
      aws_db_instance.replica[0].identifier == "orders-db-dr" &&
      aws_db_instance.replica[0].replicate_source_db == "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
    )
    error_message = "The replica orders-db-dr is in the secondary Region and names its source by ARN."
  }

  assert {
    condition = (
      aws_db_instance.replica[0].storage_encrypted &&
      aws_db_instance.replica[0].kms_key_id == "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-4333-8333-333333333333" &&
      aws_kms_key.secondary[0].region == "us-west-2" && aws_kms_key.secondary[0].enable_key_rotation &&
      aws_kms_alias.secondary[0].name == "alias/lifeboat/orders-db-rds-dr" && aws_kms_alias.secondary[0].region == "us-west-2"
    )
    error_message = "The replica of an encrypted source is encrypted with the module's rotating key in the secondary Region."
  }

  assert {
    condition = (
      aws_db_instance.replica[0].instance_class == "db.r6g.large" &&
      aws_db_instance.replica[0].multi_az &&
      aws_db_instance.replica[0].backup_retention_period == 7 &&
      aws_db_instance.replica[0].allocated_storage == 400 &&
      aws_db_instance.replica[0].max_allocated_storage == 1000 &&
      aws_db_instance.replica[0].ca_cert_identifier == "rds-ca-rsa2048-g1"
    )
    error_message = "The replica follows the source: its class, storage and CA, Multi-AZ, and the source's 7-day backup retention."
  }

  assert {
    condition = (
      aws_db_instance.replica[0].deletion_protection && !aws_db_instance.replica[0].skip_final_snapshot &&
      aws_db_instance.replica[0].final_snapshot_identifier == "orders-db-dr-final" &&
      !aws_db_instance.replica[0].publicly_accessible
    )
    error_message = "The replica is protected from deletion, keeps a final snapshot and is not public."
  }

  assert {
    condition = (
      aws_db_instance.replica[0].performance_insights_enabled &&
      aws_db_instance.replica[0].performance_insights_kms_key_id == aws_kms_key.secondary[0].arn &&
      aws_db_instance.replica[0].iam_database_authentication_enabled == true &&
      aws_db_instance.replica[0].enabled_cloudwatch_logs_exports == toset(["postgresql", "upgrade"]) &&
      aws_db_instance.replica[0].monitoring_interval == 60
    )
    error_message = "PostgreSQL replica: Performance Insights under the module key, IAM auth, PostgreSQL logs, Enhanced Monitoring."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.replica_lag[0].region == "us-west-2" &&
      aws_cloudwatch_metric_alarm.replica_lag[0].threshold == 900 &&
      aws_cloudwatch_metric_alarm.replica_lag[0].metric_name == "ReplicaLag" &&
      aws_cloudwatch_metric_alarm.replica_lag[0].dimensions.DBInstanceIdentifier == "orders-db-dr" &&
      aws_cloudwatch_metric_alarm.replica_lag[0].treat_missing_data == "breaching" &&
      aws_cloudwatch_metric_alarm.replica_lag[0].alarm_actions == toset(["arn:aws:sns:us-west-2:123456789012:shop-alerts"])
    )
    error_message = "The ReplicaLag alarm watches the replica in the secondary Region at 900 s and notifies that Region's topic."
  }

  assert {
    condition = (
      aws_db_event_subscription.source.region == "us-east-1" &&
      aws_db_event_subscription.source.sns_topic == "arn:aws:sns:us-east-1:123456789012:shop-alerts" &&
      aws_db_event_subscription.source.source_ids == toset(["orders-prod"]) &&
      aws_db_event_subscription.replica[0].region == "us-west-2" &&
      aws_db_event_subscription.replica[0].sns_topic == "arn:aws:sns:us-west-2:123456789012:shop-alerts" &&
      aws_db_event_subscription.replica[0].source_ids == toset(["orders-db-dr"]) &&
      contains(aws_db_event_subscription.replica[0].event_categories, "read replica")
    )
    error_message = "Source events go to the primary topic, replica events (with read replica) to the secondary topic."
  }

  assert {
    condition     = aws_iam_role.monitoring[0].name == "orders-db-rds-dr-monitoring" && aws_iam_role_policy_attachment.monitoring[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "The replica gets an Enhanced Monitoring role with the AWS managed policy."
  }

  assert {
    condition     = output.promote_command == "aws rds promote-read-replica --region us-west-2 --db-instance-identifier orders-db-dr --backup-retention-period 7"
    error_message = "promote_command promotes orders-db-dr in us-west-2 with the source's retention."
  }

  assert {
    condition     = output.restore_command == null && output.backup_replication == null
    error_message = "No backup replication, no restore command."
  }
}

# Encrypted MySQL with backup replication only.
run "plan_backup_replication_only" {
  command = plan

  variables {
    name                              = "customers-db"
    source_identifier                 = "customers-prod"
    engine                            = "mysql"
    read_replica                      = false
    backup_replication                = true
    backup_replication_retention_days = 14
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:customers-prod"
      db_instance_identifier  = "customers-prod"
      engine                  = "mysql"
      engine_version          = "8.0.39"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 120
      max_allocated_storage   = 0
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  assert {
    condition     = length(aws_db_instance.replica) == 0 && length(aws_cloudwatch_metric_alarm.replica_lag) == 0 && length(aws_db_event_subscription.replica) == 0 && length(aws_iam_role.monitoring) == 0
    error_message = "No replica, so no lag alarm, replica subscription or monitoring role."
  }

  assert {
    condition = (
      aws_db_instance_automated_backups_replication.this[0].region == "us-west-2" &&
      aws_db_instance_automated_backups_replication.this[0].retention_period == 14 &&
      aws_db_instance_automated_backups_replication.this[0].source_db_instance_arn == "arn:aws:rds:us-east-1:123456789012:db:customers-prod" &&
      aws_db_instance_automated_backups_replication.this[0].kms_key_id == aws_kms_key.secondary[0].arn
    )
    error_message = "Automated backups of customers-prod replicate to us-west-2 for 14 days under the module's key."
  }

  assert {
    condition     = length(aws_kms_key.secondary) == 1 && aws_kms_key.secondary[0].region == "us-west-2"
    error_message = "Encrypted replicated backups need the key in the secondary Region."
  }

  assert {
    condition     = output.promote_command == null && output.replica == null
    error_message = "No replica, no promote command."
  }

  assert {
    condition     = startswith(output.restore_command, "aws rds restore-db-instance-to-point-in-time --region us-west-2 ") && strcontains(output.restore_command, "--source-db-instance-automated-backups-arn arn:aws:rds:us-west-2:123456789012:auto-backup:ab-lifeboattest0000000000000000000000 --target-db-instance-identifier customers-db-restored") && endswith(output.restore_command, "--kms-key-id arn:aws:kms:us-west-2:123456789012:key/33333333-3333-4333-8333-333333333333")
    error_message = "restore_command restores into us-west-2 as customers-db-restored with the module's key."
  }
}

# Unencrypted Oracle SE2 (no cross-Region replicas on this edition): backup replication only.
run "plan_oracle_se2_backup_replication" {
  command = plan

  variables {
    name                              = "ledger-db"
    source_identifier                 = "ledger-prod"
    engine                            = "oracle-se2"
    expect_encrypted                  = false
    read_replica                      = false
    backup_replication                = true
    backup_replication_retention_days = 35
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:ledger-prod"
      db_instance_identifier  = "ledger-prod"
      engine                  = "oracle-se2-cdb"
      engine_version          = "19.0.0.0.ru-2024-10.rur-2024-10.r1"
      multi_az                = true
      storage_encrypted       = false
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 200
      max_allocated_storage   = 0
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  assert {
    condition     = length(aws_kms_key.secondary) == 0 && length(aws_kms_alias.secondary) == 0
    error_message = "Nothing to encrypt: no key for unencrypted backups without a replica."
  }

  assert {
    condition     = length(aws_db_instance.replica) == 0 && aws_db_instance_automated_backups_replication.this[0].retention_period == 35 && aws_db_instance_automated_backups_replication.this[0].region == "us-west-2"
    error_message = "Backups replicate to us-west-2 for 35 days; no replica."
  }

  assert {
    condition     = !strcontains(output.restore_command, "--kms-key-id")
    error_message = "The restore command of unencrypted backups names no key."
  }

  assert {
    condition     = output.source_engine == "oracle-se2-cdb"
    error_message = "source_engine reports the live engine."
  }
}

# Oracle EE replica: mounted mode, no Performance Insights, Oracle logs, no IAM auth.
run "plan_oracle_ee_replica" {
  command = plan

  variables {
    name              = "erp-db"
    source_identifier = "erp-prod"
    engine            = "oracle-ee"
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:erp-prod"
      db_instance_identifier  = "erp-prod"
      engine                  = "oracle-ee-cdb"
      engine_version          = "19.0.0.0.ru-2024-10.rur-2024-10.r1"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 500
      max_allocated_storage   = 0
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  assert {
    condition     = aws_db_instance.replica[0].replica_mode == "mounted"
    error_message = "Oracle replicas run mounted (no Active Data Guard licence)."
  }

  assert {
    condition     = !aws_db_instance.replica[0].performance_insights_enabled && aws_db_instance.replica[0].iam_database_authentication_enabled == null
    error_message = "No Performance Insights on a mounted replica and no IAM auth on Oracle."
  }

  assert {
    condition     = aws_db_instance.replica[0].enabled_cloudwatch_logs_exports == toset(["alert", "audit", "listener", "trace"]) && aws_db_instance.replica[0].multi_az && aws_db_instance.replica[0].backup_retention_period == 7
    error_message = "Oracle replica: Oracle logs, Multi-AZ, the source's backup retention."
  }
}

# Unencrypted SQL Server EE replica: no Multi-AZ and no backups on the replica; the key
# exists for Performance Insights only.
run "plan_sqlserver_ee_replica_unencrypted" {
  command = plan

  variables {
    name                   = "billing-db"
    source_identifier      = "billing-prod"
    engine                 = "sqlserver-ee"
    expect_encrypted       = false
    replica_instance_class = "db.r6i.xlarge"
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:billing-prod"
      db_instance_identifier  = "billing-prod"
      engine                  = "sqlserver-ee"
      engine_version          = "16.00.4150.1.v1"
      multi_az                = true
      storage_encrypted       = false
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6i.2xlarge"
      allocated_storage       = 200
      max_allocated_storage   = 0
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  assert {
    condition     = !aws_db_instance.replica[0].multi_az && aws_db_instance.replica[0].backup_retention_period == 0
    error_message = "SQL Server replicas can be neither Multi-AZ nor backed up."
  }

  assert {
    condition     = !aws_db_instance.replica[0].storage_encrypted && aws_db_instance.replica[0].instance_class == "db.r6i.xlarge"
    error_message = "An unencrypted source gets an unencrypted replica of the requested class."
  }

  assert {
    condition     = length(aws_kms_key.secondary) == 1 && aws_db_instance.replica[0].performance_insights_kms_key_id == aws_kms_key.secondary[0].arn
    error_message = "The key in the secondary Region still encrypts Performance Insights."
  }

  assert {
    condition     = aws_db_instance.replica[0].enabled_cloudwatch_logs_exports == toset(["agent", "error"]) && aws_db_instance.replica[0].iam_database_authentication_enabled == null
    error_message = "SQL Server replica: agent and error logs, no IAM auth."
  }
}

# PostgreSQL 13 on a small class: no backups on the replica, no Performance Insights.
run "plan_postgres13_small_replica" {
  command = plan

  variables {
    replica_instance_class = "db.t3.micro"
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "13.15"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  assert {
    condition     = aws_db_instance.replica[0].backup_retention_period == 0
    error_message = "PostgreSQL replicas before 14 cannot be backed up."
  }

  assert {
    condition     = !aws_db_instance.replica[0].performance_insights_enabled && aws_db_instance.replica[0].instance_class == "db.t3.micro"
    error_message = "No Performance Insights on db.t3.micro."
  }
}

# Replica and backup replication together, applied: every reference resolves to the
# right object.
run "apply" {
  command   = apply
  state_key = "apply"

  variables {
    backup_replication = true
  }

  assert {
    condition     = aws_db_instance.replica[0].kms_key_id == aws_kms_key.secondary[0].arn && aws_db_instance_automated_backups_replication.this[0].kms_key_id == aws_kms_key.secondary[0].arn
    error_message = "The replica and the replicated backups use the module's key."
  }

  assert {
    condition     = aws_db_instance.replica[0].monitoring_role_arn == aws_iam_role.monitoring[0].arn && aws_iam_role_policy_attachment.monitoring[0].role == aws_iam_role.monitoring[0].name
    error_message = "Enhanced Monitoring uses the module's role, which holds the managed policy."
  }

  assert {
    condition     = aws_kms_alias.secondary[0].target_key_id == aws_kms_key.secondary[0].key_id
    error_message = "The alias points at the module's key."
  }

  assert {
    condition     = jsondecode(aws_kms_key.secondary[0].policy).Statement[1].Condition.StringEquals["kms:ViaService"] == "rds.us-west-2.amazonaws.com" && jsondecode(aws_kms_key.secondary[0].policy).Statement[1].Condition.StringEquals["kms:CallerAccount"] == "123456789012"
    error_message = "The key can be used only through RDS in the secondary Region, by this account."
  }

  assert {
    condition     = jsondecode(aws_iam_role.monitoring[0].assume_role_policy).Statement[0].Principal.Service == "monitoring.rds.amazonaws.com"
    error_message = "The monitoring role is assumed by RDS Enhanced Monitoring."
  }

  assert {
    condition = output.replica == {
      identifier          = "orders-db-dr"
      region              = "us-west-2"
      replicate_source_db = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      storage_encrypted   = true
      kms_key_id          = aws_kms_key.secondary[0].arn
      multi_az            = true
    }
    error_message = "The replica output describes the replica."
  }

  assert {
    condition     = output.backup_replication.region == "us-west-2" && output.backup_replication.retention_period == 14 && output.backup_replication_arn == aws_db_instance_automated_backups_replication.this[0].id
    error_message = "The backup_replication outputs describe the replicated backups."
  }

  assert {
    condition     = output.alarm_arns == [aws_cloudwatch_metric_alarm.replica_lag[0].arn] && output.event_subscription_arns.secondary == aws_db_event_subscription.replica[0].arn && output.secondary_kms_key_region == "us-west-2"
    error_message = "The outputs list the alarm, the subscriptions and the key's Region."
  }
}

# Releases the applied mocks (see tests/release/main.tf).
run "release" {
  command   = apply
  state_key = "apply"

  module {
    source = "./tests/release"
  }
}

################################################################################
# Negative runs: one per validation block or precondition, each with otherwise
# valid inputs.
################################################################################

# var.name: "--" (RDS identifiers reject it).
run "name_with_double_hyphen" {
  command = plan

  variables {
    name = "orders--db"
  }

  expect_failures = [var.name]
}

# var.primary_region: not a Region code.
run "primary_region_invalid" {
  command = plan

  variables {
    primary_region = "useast1"
  }

  expect_failures = [var.primary_region]
}

# var.secondary_region: not a Region code.
run "secondary_region_invalid" {
  command = plan

  variables {
    secondary_region = "US-WEST-2"
  }

  expect_failures = [var.secondary_region]
}

# var.source_identifier: an underscore.
run "source_identifier_invalid" {
  command = plan

  variables {
    source_identifier = "orders_prod"
  }

  expect_failures = [var.source_identifier]
}

# var.engine: an Aurora engine (not a DB instance engine).
run "engine_invalid" {
  command = plan

  variables {
    engine = "aurora-postgresql"
  }

  expect_failures = [var.engine]
}

# var.replica_instance_class: no db. prefix.
run "replica_instance_class_invalid" {
  command = plan

  variables {
    replica_instance_class = "r6g.large"
  }

  expect_failures = [var.replica_instance_class]
}

# var.backup_replication_retention_days: above 35.
run "backup_replication_retention_too_long" {
  command = plan

  variables {
    backup_replication                = true
    backup_replication_retention_days = 36
  }

  expect_failures = [var.backup_replication_retention_days]
}

# var.replica_lag_threshold_seconds: zero.
run "replica_lag_threshold_zero" {
  command = plan

  variables {
    replica_lag_threshold_seconds = 0
  }

  expect_failures = [var.replica_lag_threshold_seconds]
}

# var.alert_topic_arns: a FIFO topic (RDS event subscriptions refuse them).
run "alert_topic_fifo" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts.fifo"
    }
  }

  expect_failures = [var.alert_topic_arns]
}

# var.replica_db_subnet_group_name: a slash.
run "replica_db_subnet_group_invalid" {
  command = plan

  variables {
    replica_db_subnet_group_name = "dr/private"
  }

  expect_failures = [var.replica_db_subnet_group_name]
}

# var.replica_vpc_security_group_ids: not a security group id.
run "replica_security_group_invalid" {
  command = plan

  variables {
    replica_vpc_security_group_ids = ["sg-123"]
  }

  expect_failures = [var.replica_vpc_security_group_ids]
}

# var.replica_parameter_group_name: starts with a digit.
run "replica_parameter_group_invalid" {
  command = plan

  variables {
    replica_parameter_group_name = "16-force-ssl"
  }

  expect_failures = [var.replica_parameter_group_name]
}

# Precondition: secondary_region equals primary_region.
run "same_regions" {
  command = plan

  variables {
    secondary_region = "us-east-1"
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition: read_replica = true for SQL Server Standard Edition.
run "replica_for_engine_without_replicas" {
  command = plan

  variables {
    engine = "sqlserver-se"
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "sqlserver-se"
      engine_version          = "16.00.4150.1.v1"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): the source belongs to a DB cluster.
run "source_cluster_member" {
  command = plan
  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "16.4"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = "orders-cluster"
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): the source runs MySQL, the inventory says PostgreSQL.
run "source_engine_mismatch" {
  command = plan
  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "mysql"
      engine_version          = "8.0.39"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): automated backups disabled.
run "source_backups_disabled" {
  command = plan
  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "16.4"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 0
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): Single-AZ, the inventory relies on Multi-AZ.
run "source_single_az" {
  command = plan
  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "16.4"
      multi_az                = false
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): unencrypted, the inventory says encrypted.
run "source_unencrypted" {
  command = plan
  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "16.4"
      multi_az                = true
      storage_encrypted       = false
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition (live instance): encrypted, the inventory says unencrypted.
run "source_encrypted_unexpectedly" {
  command = plan

  variables {
    expect_encrypted = false
  }

  override_data {
    target = data.aws_db_instance.source
    values = {
      db_instance_arn         = "arn:aws:rds:us-east-1:123456789012:db:orders-prod"
      db_instance_identifier  = "orders-prod"
      engine                  = "postgres"
      engine_version          = "16.4"
      multi_az                = true
      storage_encrypted       = true
      backup_retention_period = 7
      db_cluster_identifier   = null
      db_instance_class       = "db.r6g.large"
      allocated_storage       = 400
      max_allocated_storage   = 1000
      ca_cert_identifier      = "rds-ca-rsa2048-g1"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Precondition: the source subscription's topic is in the secondary Region.
run "primary_topic_in_other_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# Preconditions: the lag alarm's and the replica subscription's topic is in the primary Region.
run "secondary_topic_in_other_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
    }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.replica_lag, aws_db_event_subscription.replica]
}
