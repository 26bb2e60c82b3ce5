# terraform test suite of modules/dynamodb-dr, against a mocked AWS provider (no credentials,
# nothing is created). Run: tf-validate test modules/dynamodb-dr
#
# Positive runs plan and apply realistic calls and assert what the module builds; one
# negative run per variable validation and per plan-time check proves that each fires.

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

# The live source table: streams with both images, PITR with the default 35-day window.
override_data {
  target = data.aws_dynamodb_table.source
  values = {
    arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    name                   = "orders"
    stream_enabled         = true
    stream_view_type       = "NEW_AND_OLD_IMAGES"
    point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 35 }]
  }
}

override_resource {
  target = aws_kms_key.secondary
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/3b0f7c1d-1111-4222-8333-03b0f7c1d2e4"
    key_id = "3b0f7c1d-1111-4222-8333-03b0f7c1d2e4"
  }
}

variables {
  name                                  = "webshop-orders-table"
  primary_region                        = "us-east-1"
  secondary_region                      = "us-west-2"
  table_name                            = "orders"
  global_table                          = true
  expect_pitr                           = true
  pitr_recovery_period_days             = 35
  replication_latency_threshold_seconds = 2
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
  }
  tags = { team = "orders" }
}

################################################################################
# What the module builds
################################################################################

run "global_table_plan" {
  command = plan

  assert {
    condition     = output.replica.region == "us-west-2" && output.replica.global_table_arn == "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    error_message = "the replica is in us-west-2 and replicates the source table, named by its ARN"
  }

  assert {
    condition     = output.replica.point_in_time_recovery == true && output.replica.deletion_protection_enabled == true
    error_message = "the replica has point-in-time recovery and deletion protection"
  }

  assert {
    condition     = output.replication_latency_alarm.region == "us-east-1" && output.replication_latency_alarm.receiving_region == "us-west-2" && output.replication_latency_alarm.threshold == 2000
    error_message = "the ReplicationLatency alarm is in the sending Region (us-east-1), for ReceivingRegion us-west-2, at 2 s = 2000 ms"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.replication_latency[0].alarm_name == "webshop-orders-table-dynamodb-replication-latency" && aws_cloudwatch_metric_alarm.replication_latency[0].namespace == "AWS/DynamoDB" && aws_cloudwatch_metric_alarm.replication_latency[0].metric_name == "ReplicationLatency" && aws_cloudwatch_metric_alarm.replication_latency[0].dimensions["TableName"] == "orders"
    error_message = "the alarm `webshop-orders-table-dynamodb-replication-latency` watches AWS/DynamoDB ReplicationLatency of table orders"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.replication_latency[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:webshop-alerts"]) && aws_cloudwatch_metric_alarm.replication_latency[0].treat_missing_data == "ignore"
    error_message = "the alarm notifies the primary Region's topic and does not alarm on an idle table"
  }

  assert {
    condition     = aws_kms_alias.secondary[0].name == "alias/lifeboat/webshop-orders-table-dynamodb-replica" && aws_kms_key.secondary[0].region == "us-west-2" && aws_kms_key.secondary[0].enable_key_rotation == true
    error_message = "the replica key is in us-west-2 with rotation and alias `alias/lifeboat/webshop-orders-table-dynamodb-replica`"
  }

  assert {
    condition     = aws_cloudwatch_event_rule.source_changes.name == "webshop-orders-table-dynamodb-guard" && aws_cloudwatch_event_rule.source_changes.region == "us-east-1" && aws_cloudwatch_event_target.source_changes.arn == "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    error_message = "the source-change rule is in us-east-1 and notifies the primary topic"
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.source_changes.event_pattern).detail.requestParameters.tableName == ["orders", "arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
    error_message = "the source-change rule matches the table by name and by ARN"
  }

  assert {
    condition     = output.replica_status_command == "aws dynamodb describe-table --region us-west-2 --table-name orders --query 'Table.{Status:TableStatus,Replicas:Replicas[].{Region:RegionName,Status:ReplicaStatus}}'"
    error_message = "the failover check runs describe-table against the secondary Region"
  }
}

# With every computed value known: the replica is encrypted with the module's key in its
# own Region.
run "global_table_apply" {
  command   = apply
  state_key = "x"

  assert {
    condition     = output.replica.kms_key_arn == output.secondary_kms_key_arn && output.secondary_kms_key_region == "us-west-2" && split(":", output.secondary_kms_key_arn)[3] == "us-west-2"
    error_message = "the replica is encrypted with the module's KMS key in us-west-2"
  }
}

run "release" {
  command   = apply
  state_key = "x"

  module {
    source = "./tests/release"
  }
}

# No replica: only the checks and the source-change rule.
run "no_global_table_plan" {
  command = plan

  variables {
    global_table = false
  }

  assert {
    condition     = output.replica == null && output.replication_latency_alarm == null && output.secondary_kms_key_arn == null && output.secondary_kms_key_region == null && output.replica_status_command == null
    error_message = "global_table = false creates no replica, alarm or key"
  }

  assert {
    condition     = length(aws_kms_alias.secondary) == 0 && aws_cloudwatch_event_rule.source_changes.name == "webshop-orders-table-dynamodb-guard"
    error_message = "global_table = false keeps only the source-change rule"
  }
}

# The model does not rely on PITR: a table without it plans.
run "pitr_not_relied_on_plan" {
  command = plan

  variables {
    expect_pitr               = false
    pitr_recovery_period_days = 7
  }

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = true
      stream_view_type       = "NEW_AND_OLD_IMAGES"
      point_in_time_recovery = [{ enabled = false, recovery_period_in_days = null }]
    }
  }

  assert {
    condition     = output.replica.point_in_time_recovery == true
    error_message = "the replica gets PITR of its own whatever the source has"
  }
}

# A 7-day window is enough for a model that assumes 7 days.
run "pitr_window_plan" {
  command = plan

  variables {
    pitr_recovery_period_days = 7
  }

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = true
      stream_view_type       = "NEW_AND_OLD_IMAGES"
      point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 7 }]
    }
  }

  assert {
    condition     = output.source_arn == "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    error_message = "source_arn is the looked-up table's ARN"
  }
}

################################################################################
# Variable validations
################################################################################

run "invalid_name" {
  command = plan

  variables {
    name = "-orders"
  }

  expect_failures = [var.name]
}

run "invalid_primary_region" {
  command = plan

  variables {
    primary_region = "virginia"
  }

  expect_failures = [var.primary_region]
}

run "invalid_secondary_region" {
  command = plan

  variables {
    secondary_region = "us_west_2"
  }

  expect_failures = [var.secondary_region]
}

run "invalid_table_name" {
  command = plan

  variables {
    table_name = "or"
  }

  expect_failures = [var.table_name]
}

run "invalid_pitr_recovery_period_days" {
  command = plan

  variables {
    pitr_recovery_period_days = 36
  }

  expect_failures = [var.pitr_recovery_period_days]
}

run "invalid_replication_latency_threshold_seconds" {
  command = plan

  variables {
    replication_latency_threshold_seconds = -1
  }

  expect_failures = [var.replication_latency_threshold_seconds]
}

run "invalid_alert_topic_arns" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
      secondary = "webshop-alerts"
    }
  }

  expect_failures = [var.alert_topic_arns]
}

################################################################################
# Plan-time checks of the inventory against the live table
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

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_pitr_off" {
  command = plan

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = true
      stream_view_type       = "NEW_AND_OLD_IMAGES"
      point_in_time_recovery = [{ enabled = false, recovery_period_in_days = null }]
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_pitr_window_too_short" {
  command = plan

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = true
      stream_view_type       = "NEW_AND_OLD_IMAGES"
      point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 14 }]
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_stream_off" {
  command = plan

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = false
      stream_view_type       = null
      point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 35 }]
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_stream_view_type" {
  command = plan

  override_data {
    target = data.aws_dynamodb_table.source
    values = {
      arn                    = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      stream_enabled         = true
      stream_view_type       = "KEYS_ONLY"
      point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 35 }]
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_primary_topic_region_without_global_table" {
  command = plan

  variables {
    global_table = false
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

# With a replica the latency alarm refuses the topic too.
run "guard_primary_topic_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [
    aws_cloudwatch_event_rule.source_changes,
    aws_cloudwatch_metric_alarm.replication_latency,
  ]
}

run "guard_secondary_topic_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}
