# terraform test suite of the alerts module (offline, against a mocked AWS provider):
# `tf-validate test modules/alerts`. The positive runs check what the module builds for
# a three-Region deployment; every negative run trips exactly one validation or
# precondition.

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

# Valid inputs shared by every run; each run overrides what it tests. Primary eu-west-1,
# secondary eu-central-1, plus us-east-1 for Route 53 health check alarms.
variables {
  name                 = "shop"
  regions              = ["eu-central-1", "eu-west-1", "us-east-1"]
  backup_event_regions = ["eu-central-1", "eu-west-1"]
  kms_event_regions    = ["eu-central-1", "eu-west-1"]
  alert_emails         = ["oncall@example.com", "dba@example.com"]
  tags                 = { Project = "shop" }
}

run "plan" {
  command = plan

  assert {
    condition     = length(aws_sns_topic.this) == 3 && alltrue([for r, t in aws_sns_topic.this : t.region == r && t.name == "shop-alerts" && t.signature_version == 2])
    error_message = "One topic shop-alerts per Region, each in its own Region, signing with SHA256."
  }

  assert {
    condition     = length(aws_kms_key.this) == 3 && alltrue([for r, k in aws_kms_key.this : k.region == r && k.enable_key_rotation && k.deletion_window_in_days == 30])
    error_message = "One rotating KMS key per Region, in that Region."
  }

  assert {
    condition     = alltrue([for r, a in aws_kms_alias.this : a.region == r && a.name == "alias/shop-alerts"]) && length(aws_kms_alias.this) == 3
    error_message = "Each key has the alias alias/shop-alerts in its Region."
  }

  assert {
    condition     = alltrue([for r, p in aws_sns_topic_policy.this : p.region == r]) && length(aws_sns_topic_policy.this) == 3
    error_message = "Each topic has a topic policy in its Region."
  }

  assert {
    condition = toset(keys(aws_sns_topic_subscription.email)) == toset([
      "eu-central-1/oncall@example.com", "eu-central-1/dba@example.com",
      "eu-west-1/oncall@example.com", "eu-west-1/dba@example.com",
      "us-east-1/oncall@example.com", "us-east-1/dba@example.com",
    ])
    error_message = "Every address is subscribed in every Region (3 Regions x 2 addresses)."
  }

  assert {
    condition     = alltrue([for k, s in aws_sns_topic_subscription.email : s.protocol == "email" && s.region == split("/", k)[0] && s.endpoint == split("/", k)[1]])
    error_message = "Each subscription is an email subscription of its address, in its Region."
  }

  assert {
    condition = toset(keys(aws_cloudwatch_event_rule.backup)) == toset([
      "eu-central-1/backup-job-failed", "eu-central-1/copy-job-failed", "eu-central-1/restore-job-failed",
      "eu-west-1/backup-job-failed", "eu-west-1/copy-job-failed", "eu-west-1/restore-job-failed",
    ])
    error_message = "Three AWS Backup failure rules in each backup event Region, none in us-east-1."
  }

  assert {
    condition     = alltrue([for k, r in aws_cloudwatch_event_rule.backup : r.region == split("/", k)[0] && r.name == "shop-${split("/", k)[1]}" && r.state == "ENABLED"])
    error_message = "Each rule is named shop-<kind>, enabled, in its Region."
  }

  assert {
    condition = (
      jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/backup-job-failed"].event_pattern).detail-type == ["Backup Job State Change"] &&
      contains(jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/backup-job-failed"].event_pattern).detail.state, "FAILED") &&
      jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/copy-job-failed"].event_pattern).detail-type == ["Copy Job State Change"] &&
      contains(jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/copy-job-failed"].event_pattern).detail.state, "FAILED") &&
      jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/restore-job-failed"].event_pattern).detail-type == ["Restore Job State Change"] &&
      contains(jsondecode(aws_cloudwatch_event_rule.backup["eu-west-1/restore-job-failed"].event_pattern).detail.status, "FAILED")
    )
    error_message = "The rules match failed backup and copy jobs on detail.state and failed restore jobs on detail.status."
  }

  assert {
    condition     = alltrue([for k, t in aws_cloudwatch_event_target.backup : t.region == split("/", k)[0] && t.target_id == "sns-alerts"]) && length(aws_cloudwatch_event_target.backup) == 6
    error_message = "Each rule has one target in its own Region."
  }

  assert {
    condition = (
      toset(keys(aws_cloudwatch_event_rule.kms)) == toset(["eu-central-1", "eu-west-1"]) &&
      alltrue([for r, rule in aws_cloudwatch_event_rule.kms : rule.region == r && rule.name == "shop-kms-key-deletion" && rule.state == "ENABLED"])
    )
    error_message = "One KMS key-deletion rule shop-kms-key-deletion in each KMS event Region, none in us-east-1."
  }

  assert {
    condition = (
      jsondecode(aws_cloudwatch_event_rule.kms["eu-west-1"].event_pattern).source == ["aws.kms"] &&
      jsondecode(aws_cloudwatch_event_rule.kms["eu-west-1"].event_pattern).detail-type == ["AWS API Call via CloudTrail"] &&
      jsondecode(aws_cloudwatch_event_rule.kms["eu-west-1"].event_pattern).detail.eventSource == ["kms.amazonaws.com"] &&
      toset(jsondecode(aws_cloudwatch_event_rule.kms["eu-west-1"].event_pattern).detail.eventName) == toset(["ScheduleKeyDeletion", "DisableKey"])
    )
    error_message = "The KMS rule matches CloudTrail's ScheduleKeyDeletion and DisableKey calls of KMS."
  }

  assert {
    condition     = alltrue([for r, t in aws_cloudwatch_event_target.kms : t.region == r && t.target_id == "sns-alerts"]) && length(aws_cloudwatch_event_target.kms) == 2
    error_message = "Each KMS rule has one target in its own Region."
  }

  assert {
    condition = alltrue([
      for r, d in data.aws_iam_policy_document.topic :
      alltrue([for s in d.statement : s.resources == toset(["arn:aws:sns:${r}:123456789012:shop-alerts"])])
    ])
    error_message = "Every topic policy statement is scoped to the topic of its own Region and account."
  }

  assert {
    condition = alltrue([
      for r, d in data.aws_iam_policy_document.topic :
      alltrue([for s in d.statement : alltrue([for c in s.condition : c.values == tolist(["arn:aws:cloudwatch:${r}:123456789012:alarm:*"]) if c.variable == "aws:SourceArn" && contains(tolist(s.principals)[0].identifiers, "cloudwatch.amazonaws.com")])])
    ])
    error_message = "CloudWatch may publish only from alarms of this account in the topic's Region."
  }

  assert {
    condition = alltrue([
      for r, d in data.aws_iam_policy_document.key :
      alltrue([for s in d.statement : alltrue([for c in s.condition : c.values == tolist(["arn:aws:sns:${r}:123456789012:shop-alerts"]) if c.variable == "kms:EncryptionContext:aws:sns:topicArn"])]) &&
      length([for s in d.statement : s if length([for c in s.condition : c if c.variable == "kms:EncryptionContext:aws:sns:topicArn"]) > 0]) == 2
    ])
    error_message = "Both service statements of each key policy are bound to the topic of the key's Region."
  }
}

# The minimal shape: one Region, no addresses, no AWS Backup rules.
run "plan_minimal" {
  command = plan

  variables {
    regions              = ["us-east-1"]
    backup_event_regions = []
    kms_event_regions    = []
    alert_emails         = []
  }

  assert {
    condition     = toset(keys(aws_sns_topic.this)) == toset(["us-east-1"]) && toset(keys(aws_kms_key.this)) == toset(["us-east-1"])
    error_message = "Only the us-east-1 topic and key."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0 && length(aws_cloudwatch_event_rule.backup) == 0 && length(aws_cloudwatch_event_target.backup) == 0 && length(aws_cloudwatch_event_rule.kms) == 0
    error_message = "No subscriptions and no EventBridge rules without addresses and backup event Regions."
  }
}

# Applied against mocks, with Region-correct topic ARNs: every consumer of a topic uses
# the topic of its own Region.
run "apply" {
  command   = apply
  state_key = "apply"

  override_resource {
    target = aws_sns_topic.this["eu-central-1"]
    values = { arn = "arn:aws:sns:eu-central-1:123456789012:shop-alerts" }
  }

  override_resource {
    target = aws_sns_topic.this["eu-west-1"]
    values = { arn = "arn:aws:sns:eu-west-1:123456789012:shop-alerts" }
  }

  override_resource {
    target = aws_sns_topic.this["us-east-1"]
    values = { arn = "arn:aws:sns:us-east-1:123456789012:shop-alerts" }
  }

  assert {
    condition     = alltrue([for r, t in aws_sns_topic.this : t.kms_master_key_id == aws_kms_key.this[r].arn])
    error_message = "Each topic is encrypted with the key of its own Region."
  }

  assert {
    condition     = length(distinct([for k in aws_kms_key.this : k.arn])) == 3
    error_message = "The three Regions have three distinct keys."
  }

  assert {
    condition     = alltrue([for r, a in aws_kms_alias.this : a.target_key_id == aws_kms_key.this[r].key_id])
    error_message = "Each alias points at the key of its own Region."
  }

  assert {
    condition     = alltrue([for r, p in aws_sns_topic_policy.this : p.arn == aws_sns_topic.this[r].arn])
    error_message = "Each topic policy is attached to the topic of its own Region."
  }

  assert {
    condition     = alltrue([for r, d in data.aws_iam_policy_document.topic : alltrue([for s in d.statement : contains(s.resources, aws_sns_topic.this[r].arn)])])
    error_message = "The topic ARN the policies are built from is the ARN of the topic itself."
  }

  assert {
    condition     = alltrue([for k, s in aws_sns_topic_subscription.email : s.topic_arn == aws_sns_topic.this[split("/", k)[0]].arn])
    error_message = "Each subscription is on the topic of its own Region."
  }

  assert {
    condition     = alltrue([for k, t in aws_cloudwatch_event_target.backup : t.arn == aws_sns_topic.this[split("/", k)[0]].arn && t.rule == aws_cloudwatch_event_rule.backup[k].name])
    error_message = "Each AWS Backup rule targets the topic of its own Region."
  }

  assert {
    condition     = output.topic_arns == { for r, t in aws_sns_topic.this : r => t.arn } && output.kms_key_arns == { for r, k in aws_kms_key.this : r => k.arn }
    error_message = "The outputs give the topic and key of each Region."
  }

  assert {
    condition     = toset(keys(output.backup_event_rule_arns)) == toset(keys(aws_cloudwatch_event_rule.backup))
    error_message = "backup_event_rule_arns lists every AWS Backup rule."
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
# Negative runs: one per validation block or precondition.
################################################################################

run "name_invalid" {
  command = plan

  variables {
    name = "Shop-"
  }

  expect_failures = [var.name]
}

run "regions_empty" {
  command = plan

  variables {
    regions              = []
    backup_event_regions = []
  }

  expect_failures = [var.regions]
}

run "regions_duplicate" {
  command = plan

  variables {
    regions              = ["eu-west-1", "us-east-1", "eu-west-1"]
    backup_event_regions = []
    alert_emails         = []
  }

  expect_failures = [var.regions]
}

run "regions_not_a_region" {
  command = plan

  variables {
    regions              = ["eu-west-1", "europe"]
    backup_event_regions = []
  }

  expect_failures = [var.regions]
}

run "backup_event_regions_duplicate" {
  command = plan

  variables {
    backup_event_regions = ["eu-west-1", "eu-west-1"]
  }

  expect_failures = [var.backup_event_regions]
}

run "backup_event_regions_not_a_region" {
  command = plan

  variables {
    backup_event_regions = ["eu-west-1", "EU-WEST-1"]
  }

  expect_failures = [var.backup_event_regions]
}

run "alert_emails_invalid" {
  command = plan

  variables {
    alert_emails = ["oncall@example.com", "oncall.example.com"]
  }

  expect_failures = [var.alert_emails]
}

run "alert_emails_duplicate" {
  command = plan

  variables {
    alert_emails = ["oncall@example.com", "oncall@example.com"]
  }

  expect_failures = [var.alert_emails]
}

# A backup event Region without a topic of its own.
run "backup_event_region_without_topic" {
  command = plan

  variables {
    backup_event_regions = ["eu-west-1", "us-west-2"]
  }

  expect_failures = [aws_cloudwatch_event_rule.backup]
}

# A KMS event Region without a topic of its own.
run "kms_event_region_without_topic" {
  command = plan

  variables {
    kms_event_regions = ["eu-west-1", "us-west-2"]
  }

  expect_failures = [aws_cloudwatch_event_rule.kms]
}

run "kms_event_regions_duplicate" {
  command = plan

  variables {
    kms_event_regions = ["eu-west-1", "eu-west-1"]
  }

  expect_failures = [var.kms_event_regions]
}
