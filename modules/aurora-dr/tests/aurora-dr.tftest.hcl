# terraform test suite of modules/aurora-dr, against a mocked AWS provider (no credentials,
# nothing is created). Run: tf-validate test modules/aurora-dr
#
# Positive runs plan and apply realistic calls and assert what the module builds; one
# negative run per variable validation and per plan-time check proves that each fires (and
# only it: a run that fails on anything else fails the suite).

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

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

# The live source cluster: encrypted Aurora PostgreSQL, provisioned, a writer and a reader.
override_data {
  target = data.aws_rds_cluster.source
  values = {
    arn                                 = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
    cluster_identifier                  = "orders-aurora"
    engine                              = "aurora-postgresql"
    engine_version                      = "16.4"
    engine_mode                         = "provisioned"
    storage_encrypted                   = true
    backup_retention_period             = 7
    cluster_members                     = ["orders-aurora-2", "orders-aurora-1"]
    port                                = 5432
    iam_database_authentication_enabled = true
  }
}

override_data {
  target = data.aws_db_instance.source_member
  values = {
    db_instance_identifier = "orders-aurora-1"
    db_instance_class      = "db.r6g.large"
  }
}

# The module's key, with a Region-correct ARN.
override_resource {
  target = aws_kms_key.secondary
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/7a1c9d2e-1111-4222-8333-0a1c9d2e3f40"
    key_id = "7a1c9d2e-1111-4222-8333-0a1c9d2e3f40"
  }
}

override_resource {
  target = aws_db_event_subscription.secondary
  values = {
    arn = "arn:aws:rds:us-west-2:123456789012:es:webshop-orders-aurora-dr"
  }
}

variables {
  name                         = "webshop-orders"
  primary_region               = "us-east-1"
  secondary_region             = "us-west-2"
  source_cluster_identifier    = "orders-aurora"
  engine                       = "aurora-postgresql"
  expect_encrypted             = true
  expect_reader                = true
  global_database              = true
  secondary_instance_class     = null
  secondary_instance_count     = 2
  global_lag_threshold_seconds = 60
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
  }
  tags = { team = "orders" }
}

################################################################################
# What the module builds
################################################################################

run "global_database_plan" {
  command = plan

  assert {
    condition     = output.global_cluster.identifier == "webshop-orders-global" && output.global_cluster.source_db_cluster_identifier == "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
    error_message = "the global database `webshop-orders-global` is created from the existing cluster, named by its ARN"
  }

  assert {
    condition     = aws_rds_global_cluster.this[0].region == "us-east-1" && aws_rds_global_cluster.this[0].force_destroy == false && aws_rds_global_cluster.this[0].deletion_protection == true
    error_message = "the global database lives in the primary Region, with deletion protection and without force_destroy"
  }

  assert {
    condition     = output.secondary_cluster.identifier == "webshop-orders-dr" && output.secondary_cluster.region == "us-west-2" && output.secondary_cluster.global_cluster_identifier == "webshop-orders-global"
    error_message = "the secondary cluster `webshop-orders-dr` is in us-west-2 and a member of `webshop-orders-global`"
  }

  assert {
    condition     = output.secondary_cluster.engine == "aurora-postgresql" && aws_rds_cluster.secondary[0].engine_version == "16.4" && output.secondary_cluster.storage_encrypted == true
    error_message = "the secondary runs the source's engine and version and is encrypted like the source"
  }

  assert {
    condition     = aws_rds_cluster.secondary[0].deletion_protection == true && aws_rds_cluster.secondary[0].skip_final_snapshot == false && aws_rds_cluster.secondary[0].final_snapshot_identifier == "webshop-orders-dr-final" && aws_rds_cluster.secondary[0].backup_retention_period == 7
    error_message = "the secondary has deletion protection, a final snapshot `webshop-orders-dr-final` and the source's 7-day backups"
  }

  assert {
    condition     = toset(aws_rds_cluster.secondary[0].enabled_cloudwatch_logs_exports) == toset(["postgresql"]) && aws_rds_cluster.secondary[0].iam_database_authentication_enabled == true
    error_message = "the secondary exports the PostgreSQL log and keeps the source's IAM authentication"
  }

  assert {
    condition     = length(output.secondary_instances) == 2 && output.secondary_instances[0].identifier == "webshop-orders-dr-1" && output.secondary_instances[1].identifier == "webshop-orders-dr-2"
    error_message = "two secondary instances `webshop-orders-dr-1` and `webshop-orders-dr-2`"
  }

  assert {
    condition     = alltrue([for i in output.secondary_instances : i.instance_class == "db.r6g.large" && i.region == "us-west-2"])
    error_message = "the secondary instances are in us-west-2 with the class of the source's first member (db.r6g.large)"
  }

  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.secondary : i.performance_insights_enabled && i.monitoring_interval == 60 && i.publicly_accessible == false])
    error_message = "the secondary instances have Performance Insights and Enhanced Monitoring and are not public"
  }

  assert {
    condition     = aws_iam_role.monitoring[0].name == "webshop-orders-aurora-dr-monitoring"
    error_message = "the Enhanced Monitoring role is `webshop-orders-aurora-dr-monitoring`"
  }

  assert {
    condition     = output.global_lag_alarm.region == "us-west-2" && output.global_lag_alarm.threshold == 60000
    error_message = "the AuroraGlobalDBReplicationLag alarm is in us-west-2 at 60 s = 60000 ms"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.global_lag[0].alarm_name == "webshop-orders-aurora-global-lag" && aws_cloudwatch_metric_alarm.global_lag[0].namespace == "AWS/RDS" && aws_cloudwatch_metric_alarm.global_lag[0].metric_name == "AuroraGlobalDBReplicationLag" && aws_cloudwatch_metric_alarm.global_lag[0].dimensions["DBClusterIdentifier"] == "webshop-orders-dr"
    error_message = "the alarm `webshop-orders-aurora-global-lag` watches AWS/RDS AuroraGlobalDBReplicationLag of the secondary cluster"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.global_lag[0].treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.global_lag[0].alarm_actions == toset(["arn:aws:sns:us-west-2:123456789012:webshop-alerts"])
    error_message = "missing lag data is breaching, and the alarm notifies the secondary Region's topic"
  }

  assert {
    condition     = aws_db_event_subscription.source.name == "webshop-orders-aurora-source" && aws_db_event_subscription.source.region == "us-east-1" && aws_db_event_subscription.source.source_type == "db-cluster" && aws_db_event_subscription.source.source_ids == toset(["orders-aurora"])
    error_message = "the source subscription `webshop-orders-aurora-source` watches the source cluster in us-east-1"
  }

  assert {
    condition     = aws_db_event_subscription.secondary[0].name == "webshop-orders-aurora-dr" && aws_db_event_subscription.secondary[0].region == "us-west-2" && aws_db_event_subscription.secondary[0].source_ids == toset(["webshop-orders-dr"])
    error_message = "the secondary subscription `webshop-orders-aurora-dr` watches the secondary cluster in us-west-2"
  }

  assert {
    condition     = aws_kms_alias.secondary[0].name == "alias/lifeboat/webshop-orders-aurora-dr" && aws_kms_key.secondary[0].region == "us-west-2" && aws_kms_key.secondary[0].enable_key_rotation == true
    error_message = "the secondary key is in us-west-2 with rotation and alias `alias/lifeboat/webshop-orders-aurora-dr`"
  }

  assert {
    condition     = output.failover_command == "aws rds failover-global-cluster --region us-west-2 --global-cluster-identifier webshop-orders-global --target-db-cluster-identifier arn:aws:rds:us-west-2:123456789012:cluster:webshop-orders-dr --allow-data-loss"
    error_message = "the unplanned failover command targets the secondary cluster's ARN with --allow-data-loss"
  }

  assert {
    condition     = output.switchover_command == "aws rds failover-global-cluster --region us-west-2 --global-cluster-identifier webshop-orders-global --target-db-cluster-identifier arn:aws:rds:us-west-2:123456789012:cluster:webshop-orders-dr --switchover"
    error_message = "the planned switchover command targets the secondary cluster's ARN with --switchover"
  }

  assert {
    condition     = output.source_arn == "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
    error_message = "source_arn is the looked-up cluster's ARN"
  }
}

# The same with every computed value known: the secondary is encrypted with the module's key
# in its own Region.
run "global_database_apply" {
  command   = apply
  state_key = "x"

  assert {
    condition     = output.secondary_cluster.kms_key_id == output.secondary_kms_key_arn && output.secondary_kms_key_region == "us-west-2" && split(":", output.secondary_kms_key_arn)[3] == "us-west-2"
    error_message = "the secondary cluster is encrypted with the module's KMS key in us-west-2"
  }

  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.secondary : i.performance_insights_kms_key_id == output.secondary_kms_key_arn])
    error_message = "Performance Insights of the secondary instances is encrypted with the module's key"
  }

  assert {
    condition     = output.event_subscription_arns.secondary == "arn:aws:rds:us-west-2:123456789012:es:webshop-orders-aurora-dr" && output.event_subscription_arns.primary != null
    error_message = "both event subscriptions exist"
  }
}

# Releases the applied mocks: Terraform before 1.14 cannot clean up resources with
# prevent_destroy (hashicorp/terraform#34960).
run "release" {
  command   = apply
  state_key = "x"

  module {
    source = "./tests/release"
  }
}

# No global database: only the checks and the source subscription.
run "monitor_only_plan" {
  command = plan

  variables {
    global_database = false
  }

  assert {
    condition     = output.global_cluster == null && output.secondary_cluster == null && length(output.secondary_instances) == 0
    error_message = "global_database = false creates no global database, secondary cluster or instances"
  }

  assert {
    condition     = output.global_lag_alarm == null && output.secondary_kms_key_arn == null && output.secondary_kms_key_region == null && output.failover_command == null && output.switchover_command == null
    error_message = "global_database = false creates no alarm and no key, and there is nothing to fail over"
  }

  assert {
    condition     = length(aws_iam_role.monitoring) == 0 && length(aws_db_event_subscription.secondary) == 0 && aws_db_event_subscription.source.name == "webshop-orders-aurora-source"
    error_message = "global_database = false keeps only the source subscription"
  }
}

# An unencrypted Aurora MySQL cluster with an explicit class and one secondary instance.
run "unencrypted_mysql_plan" {
  command = plan

  variables {
    engine                       = "aurora-mysql"
    expect_encrypted             = false
    expect_reader                = false
    secondary_instance_class     = "db.r7g.xlarge"
    secondary_instance_count     = 1
    global_lag_threshold_seconds = 1.5
  }

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                                 = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                              = "aurora-mysql"
      engine_version                      = "8.0.mysql_aurora.3.08.0"
      engine_mode                         = "provisioned"
      storage_encrypted                   = false
      backup_retention_period             = 1
      cluster_members                     = ["orders-aurora-1"]
      port                                = 3306
      iam_database_authentication_enabled = false
    }
  }

  assert {
    condition     = output.secondary_cluster.storage_encrypted == false && output.secondary_cluster.kms_key_id == null && output.secondary_kms_key_arn == null && length(aws_kms_key.secondary) == 0
    error_message = "an unencrypted source gets an unencrypted secondary and no key"
  }

  assert {
    condition     = length(output.secondary_instances) == 1 && output.secondary_instances[0].instance_class == "db.r7g.xlarge" && length(data.aws_db_instance.source_member) == 0
    error_message = "an explicit class is used as is, without looking up the source's members"
  }

  assert {
    condition     = toset(aws_rds_cluster.secondary[0].enabled_cloudwatch_logs_exports) == toset(["audit", "error", "general", "slowquery"]) && aws_rds_cluster.secondary[0].engine_version == "8.0.mysql_aurora.3.08.0"
    error_message = "an Aurora MySQL secondary exports the MySQL logs and runs the source's version"
  }

  assert {
    condition     = output.global_lag_alarm.threshold == 1500
    error_message = "1.5 s is 1500 ms in the alarm's unit"
  }
}

# Serverless v2 source: the secondary gets a capacity range.
run "serverless_v2_plan" {
  command = plan

  variables {
    secondary_serverless_v2_scaling = { min_capacity = 0.5, max_capacity = 16 }
  }

  override_data {
    target = data.aws_db_instance.source_member
    values = {
      db_instance_class = "db.serverless"
    }
  }

  assert {
    condition     = alltrue([for i in output.secondary_instances : i.instance_class == "db.serverless"]) && aws_rds_cluster.secondary[0].serverlessv2_scaling_configuration[0].min_capacity == 0.5 && aws_rds_cluster.secondary[0].serverlessv2_scaling_configuration[0].max_capacity == 16
    error_message = "a Serverless v2 source gets db.serverless secondary instances with the given capacity range"
  }
}

################################################################################
# Variable validations
################################################################################

run "invalid_name" {
  command = plan

  variables {
    name = "Webshop--orders"
  }

  expect_failures = [var.name]
}

run "invalid_primary_region" {
  command = plan

  variables {
    primary_region = "useast1"
  }

  expect_failures = [var.primary_region]
}

run "invalid_secondary_region" {
  command = plan

  variables {
    secondary_region = "US-WEST-2"
  }

  expect_failures = [var.secondary_region]
}

run "invalid_source_cluster_identifier" {
  command = plan

  variables {
    source_cluster_identifier = "orders-"
  }

  expect_failures = [var.source_cluster_identifier]
}

run "invalid_engine" {
  command = plan

  variables {
    engine = "postgres"
  }

  expect_failures = [var.engine]
}

run "invalid_secondary_instance_class" {
  command = plan

  variables {
    secondary_instance_class = "r6g.large"
  }

  expect_failures = [var.secondary_instance_class]
}

run "invalid_secondary_instance_count" {
  command = plan

  variables {
    secondary_instance_count = 16
  }

  expect_failures = [var.secondary_instance_count]
}

run "invalid_global_lag_threshold_seconds" {
  command = plan

  variables {
    global_lag_threshold_seconds = 0
  }

  expect_failures = [var.global_lag_threshold_seconds]
}

run "invalid_alert_topic_arns" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts.fifo"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [var.alert_topic_arns]
}

run "invalid_secondary_db_subnet_group_name" {
  command = plan

  variables {
    secondary_db_subnet_group_name = "orders/dr"
  }

  expect_failures = [var.secondary_db_subnet_group_name]
}

run "invalid_secondary_vpc_security_group_ids" {
  command = plan

  variables {
    secondary_vpc_security_group_ids = ["default"]
  }

  expect_failures = [var.secondary_vpc_security_group_ids]
}

run "invalid_secondary_db_cluster_parameter_group_name" {
  command = plan

  variables {
    secondary_db_cluster_parameter_group_name = "1-orders"
  }

  expect_failures = [var.secondary_db_cluster_parameter_group_name]
}

run "invalid_secondary_serverless_v2_scaling" {
  command = plan

  variables {
    secondary_serverless_v2_scaling = { min_capacity = 8, max_capacity = 4 }
  }

  expect_failures = [var.secondary_serverless_v2_scaling]
}

################################################################################
# Plan-time checks of the inventory against the live cluster
################################################################################

run "guard_same_region" {
  command = plan

  variables {
    secondary_region = "us-east-1"
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_engine_mismatch" {
  command = plan

  variables {
    engine = "aurora-mysql"
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_serverless_v1" {
  command = plan

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                     = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                  = "aurora-postgresql"
      engine_version          = "13.12"
      engine_mode             = "serverless"
      storage_encrypted       = true
      backup_retention_period = 7
      cluster_members         = []
      port                    = 5432
    }
  }

  variables {
    expect_reader            = false
    secondary_instance_class = "db.r6g.large"
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_expected_encrypted" {
  command = plan

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                     = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                  = "aurora-postgresql"
      engine_version          = "16.4"
      engine_mode             = "provisioned"
      storage_encrypted       = false
      backup_retention_period = 7
      cluster_members         = ["orders-aurora-1", "orders-aurora-2"]
      port                    = 5432
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_unexpected_encrypted" {
  command = plan

  variables {
    expect_encrypted = false
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_reader_missing" {
  command = plan

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                     = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                  = "aurora-postgresql"
      engine_version          = "16.4"
      engine_mode             = "provisioned"
      storage_encrypted       = true
      backup_retention_period = 7
      cluster_members         = ["orders-aurora-1"]
      port                    = 5432
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_backups_off" {
  command = plan

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                     = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                  = "aurora-postgresql"
      engine_version          = "16.4"
      engine_mode             = "provisioned"
      storage_encrypted       = true
      backup_retention_period = 0
      cluster_members         = ["orders-aurora-1", "orders-aurora-2"]
      port                    = 5432
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_no_member_for_class" {
  command = plan

  override_data {
    target = data.aws_rds_cluster.source
    values = {
      arn                     = "arn:aws:rds:us-east-1:123456789012:cluster:orders-aurora"
      engine                  = "aurora-postgresql"
      engine_version          = "16.4"
      engine_mode             = "provisioned"
      storage_encrypted       = true
      backup_retention_period = 7
      cluster_members         = []
      port                    = 5432
    }
  }

  variables {
    expect_reader = false
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_serverless_v2_without_scaling" {
  command = plan

  override_data {
    target = data.aws_db_instance.source_member
    values = {
      db_instance_class = "db.serverless"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_primary_topic_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:eu-west-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

run "guard_secondary_topic_region_without_global_database" {
  command = plan

  variables {
    global_database = false
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_db_event_subscription.source]
}

# With a global database the alarm and the secondary subscription refuse the topic too.
run "guard_secondary_topic_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    }
  }

  expect_failures = [
    aws_db_event_subscription.source,
    aws_db_event_subscription.secondary,
    aws_cloudwatch_metric_alarm.global_lag,
  ]
}
