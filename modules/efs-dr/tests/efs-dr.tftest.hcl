# terraform test suite of modules/efs-dr, against a mocked AWS provider (no credentials,
# nothing is created). Run: tf-validate test modules/efs-dr
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

# The live source: a Regional (not One Zone) file system.
override_data {
  target = data.aws_efs_file_system.source
  values = {
    arn                    = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
    file_system_id         = "fs-0123456789abcdef0"
    availability_zone_name = ""
    encrypted              = true
  }
}

override_resource {
  target = aws_kms_key.secondary
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/5d2e8f3a-1111-4222-8333-05d2e8f3a4b6"
    key_id = "5d2e8f3a-1111-4222-8333-05d2e8f3a4b6"
  }
}

variables {
  name                   = "webshop-uploads"
  primary_region         = "us-east-1"
  secondary_region       = "us-west-2"
  file_system_id         = "fs-0123456789abcdef0"
  replication            = true
  sync_threshold_seconds = 1800
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
  }
  tags = { team = "media" }
}

################################################################################
# What the module builds
################################################################################

run "replication_plan" {
  command = plan

  assert {
    condition     = output.replication.source_file_system_id == "fs-0123456789abcdef0" && output.replication.destination_region == "us-west-2" && aws_efs_replication_configuration.this[0].region == "us-east-1"
    error_message = "the replication configuration is created in the source Region us-east-1 and replicates fs-0123456789abcdef0 to us-west-2"
  }

  assert {
    condition     = aws_efs_replication_configuration.this[0].destination[0].availability_zone_name == null
    error_message = "the replica is a Regional file system, like the source"
  }

  assert {
    condition     = output.sync_alarm.region == "us-east-1" && output.sync_alarm.threshold == 1800
    error_message = "the TimeSinceLastSync alarm is in the source Region at 1800 s (the metric's unit is seconds)"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.time_since_last_sync[0].alarm_name == "webshop-uploads-efs-time-since-last-sync" && aws_cloudwatch_metric_alarm.time_since_last_sync[0].namespace == "AWS/EFS" && aws_cloudwatch_metric_alarm.time_since_last_sync[0].metric_name == "TimeSinceLastSync" && aws_cloudwatch_metric_alarm.time_since_last_sync[0].dimensions["FileSystemId"] == "fs-0123456789abcdef0"
    error_message = "the alarm `webshop-uploads-efs-time-since-last-sync` watches AWS/EFS TimeSinceLastSync of the source file system"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.time_since_last_sync[0].treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.time_since_last_sync[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:webshop-alerts"])
    error_message = "missing sync data is breaching, and the alarm notifies the primary Region's topic"
  }

  assert {
    condition     = aws_kms_alias.secondary[0].name == "alias/lifeboat/webshop-uploads-efs-replica" && aws_kms_key.secondary[0].region == "us-west-2" && aws_kms_key.secondary[0].enable_key_rotation == true
    error_message = "the replica key is in us-west-2 with rotation and alias `alias/lifeboat/webshop-uploads-efs-replica`"
  }

  assert {
    condition     = aws_cloudwatch_event_rule.source_changes.name == "webshop-uploads-efs-guard" && aws_cloudwatch_event_rule.source_changes.region == "us-east-1" && aws_cloudwatch_event_target.source_changes.arn == "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
    error_message = "the source-change rule is in us-east-1 and notifies the primary topic"
  }

  assert {
    condition     = output.source_arn == "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
    error_message = "source_arn is the looked-up file system's ARN"
  }
}

# With every computed value known: the replica is encrypted with the module's key in its own
# Region, and the alarm watches that replica.
run "replication_apply" {
  command   = apply
  state_key = "x"

  override_resource {
    target = aws_efs_replication_configuration.this[0]
    values = {
      destination = {
        file_system_id = "fs-0fedcba9876543210"
        status         = "ENABLED"
      }
    }
  }

  assert {
    condition     = output.replication.destination_kms_key_id == output.secondary_kms_key_arn && output.secondary_kms_key_region == "us-west-2" && split(":", output.secondary_kms_key_arn)[3] == "us-west-2"
    error_message = "the replica is encrypted with the module's KMS key in us-west-2"
  }

  assert {
    condition     = output.replication.destination_file_system_id == "fs-0fedcba9876543210" && aws_cloudwatch_metric_alarm.time_since_last_sync[0].dimensions["DestinationFileSystemId"] == "fs-0fedcba9876543210"
    error_message = "the alarm's DestinationFileSystemId is the replica EFS created"
  }
}

run "release" {
  command   = apply
  state_key = "x"

  module {
    source = "./tests/release"
  }
}

# No replication: only the checks and the source-change rule.
run "no_replication_plan" {
  command = plan

  variables {
    replication = false
  }

  assert {
    condition     = output.replication == null && output.sync_alarm == null && output.secondary_kms_key_arn == null && output.secondary_kms_key_region == null
    error_message = "replication = false creates no replication, alarm or key"
  }

  assert {
    condition     = length(aws_kms_alias.secondary) == 0 && aws_cloudwatch_event_rule.source_changes.name == "webshop-uploads-efs-guard"
    error_message = "replication = false keeps only the source-change rule"
  }
}

# An 8-digit (older) file system ID is accepted.
run "short_file_system_id_plan" {
  command = plan

  variables {
    file_system_id = "fs-01234567"
  }

  override_data {
    target = data.aws_efs_file_system.source
    values = {
      arn                    = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-01234567"
      availability_zone_name = null
    }
  }

  assert {
    condition     = output.replication.source_file_system_id == "fs-01234567"
    error_message = "fs- with 8 hex digits is a valid file system ID"
  }
}

################################################################################
# Variable validations
################################################################################

run "invalid_name" {
  command = plan

  variables {
    name = "webshop_uploads"
  }

  expect_failures = [var.name]
}

run "invalid_primary_region" {
  command = plan

  variables {
    primary_region = "us-east"
  }

  expect_failures = [var.primary_region]
}

run "invalid_secondary_region" {
  command = plan

  variables {
    secondary_region = "west-2"
  }

  expect_failures = [var.secondary_region]
}

run "invalid_file_system_id" {
  command = plan

  variables {
    file_system_id = "fs-0123456789ABCDEF0"
  }

  expect_failures = [var.file_system_id]
}

run "invalid_sync_threshold_seconds" {
  command = plan

  variables {
    sync_threshold_seconds = 0
  }

  expect_failures = [var.sync_threshold_seconds]
}

run "invalid_alert_topic_arns" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sqs:us-east-1:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [var.alert_topic_arns]
}

################################################################################
# Plan-time checks of the inventory against the live file system
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

run "guard_one_zone" {
  command = plan

  override_data {
    target = data.aws_efs_file_system.source
    values = {
      arn                    = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
      availability_zone_name = "us-east-1a"
      availability_zone_id   = "use1-az4"
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

run "guard_primary_topic_region_without_replication" {
  command = plan

  variables {
    replication = false
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:webshop-alerts"
    }
  }

  expect_failures = [aws_cloudwatch_event_rule.source_changes]
}

# With replication the sync alarm refuses the topic too.
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
    aws_cloudwatch_metric_alarm.time_since_last_sync,
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
