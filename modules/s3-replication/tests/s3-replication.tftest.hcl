# terraform test suite of the s3-replication module (offline, against a mocked AWS
# provider): `tf-validate test modules/s3-replication`. The positive runs check
# replication with RTC and an SSE-KMS source, without RTC from an SSE-S3 source with
# delete markers replicated, an account-regional destination name and the China
# partition; every negative run trips exactly one validation or precondition.

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

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/invoices-s3-replication"
    }
  }
}

# A Region-correct ARN for the replica key, known at plan time.
override_resource {
  target          = aws_kms_key.destination
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/44444444-4444-4444-8444-444444444444"
    key_id = "44444444-4444-4444-8444-444444444444"
    id     = "44444444-4444-4444-8444-444444444444"
  }
}

# Valid inputs shared by every run (RTC, an SSE-KMS source, delete markers kept out of
# the replica); each run overrides what it tests.
variables {
  name                                  = "invoices"
  primary_region                        = "us-east-1"
  secondary_region                      = "us-west-2"
  source_bucket                         = "shop-invoices-prod"
  source_kms_key_arn                    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  destination_bucket                    = "shop-invoices-prod-dr-us-west-2"
  replication_time_control              = true
  replicate_deletes                     = false
  noncurrent_version_retention_days     = 90
  replication_latency_threshold_seconds = 900
  alert_topic_arn                       = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
  secondary_alert_topic_arn             = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
  tags                                  = { Project = "shop" }
}

run "plan_rtc_kms_source" {
  command = plan

  override_resource {
    target          = aws_s3_bucket.destination
    override_during = plan
    values = {
      arn = "arn:aws:s3:::shop-invoices-prod-dr-us-west-2"
      id  = "shop-invoices-prod-dr-us-west-2"
    }
  }

  assert {
    condition     = aws_s3_bucket.destination.region == "us-west-2" && aws_s3_bucket.destination.bucket == "shop-invoices-prod-dr-us-west-2" && !aws_s3_bucket.destination.force_destroy
    error_message = "The replica bucket is created in us-west-2 and never force-destroyed."
  }

  assert {
    condition = (
      aws_s3_bucket_versioning.source.region == "us-east-1" && aws_s3_bucket_versioning.source.bucket == "shop-invoices-prod" &&
      aws_s3_bucket_versioning.source.versioning_configuration[0].status == "Enabled" &&
      aws_s3_bucket_versioning.destination.region == "us-west-2" &&
      aws_s3_bucket_versioning.destination.versioning_configuration[0].status == "Enabled"
    )
    error_message = "Versioning is enabled on the source (us-east-1) and on the replica (us-west-2)."
  }

  assert {
    condition = (
      aws_s3_bucket_replication_configuration.source.region == "us-east-1" &&
      aws_s3_bucket_replication_configuration.source.bucket == "shop-invoices-prod" &&
      length(aws_s3_bucket_replication_configuration.source.rule) == 1 &&
      aws_s3_bucket_replication_configuration.source.rule[0].id == "invoices-crr-us-west-2" &&
      aws_s3_bucket_replication_configuration.source.rule[0].status == "Enabled"
    )
    error_message = "One enabled rule invoices-crr-us-west-2 on the source bucket, in the primary Region."
  }

  assert {
    condition = (
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].bucket == "arn:aws:s3:::shop-invoices-prod-dr-us-west-2" &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].storage_class == "STANDARD" &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].encryption_configuration[0].replica_kms_key_id == "arn:aws:kms:us-west-2:123456789012:key/44444444-4444-4444-8444-444444444444" &&
      aws_s3_bucket_replication_configuration.source.rule[0].source_selection_criteria[0].sse_kms_encrypted_objects[0].status == "Enabled"
    )
    error_message = "SSE-KMS objects replicate into the replica bucket in STANDARD, re-encrypted with the key in us-west-2."
  }

  assert {
    condition = (
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].replication_time[0].status == "Enabled" &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].replication_time[0].time[0].minutes == 15 &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].metrics[0].status == "Enabled" &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].metrics[0].event_threshold[0].minutes == 15
    )
    error_message = "RTC: 15 minutes, with replication metrics and a 15-minute event threshold."
  }

  assert {
    condition     = aws_s3_bucket_replication_configuration.source.rule[0].delete_marker_replication[0].status == "Disabled"
    error_message = "Delete markers are not replicated."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.operations_failed.region == "us-east-1" &&
      aws_cloudwatch_metric_alarm.operations_failed.metric_name == "OperationsFailedReplication" &&
      aws_cloudwatch_metric_alarm.operations_failed.dimensions == tomap({ SourceBucket = "shop-invoices-prod", DestinationBucket = "shop-invoices-prod-dr-us-west-2", RuleId = "invoices-crr-us-west-2" }) &&
      aws_cloudwatch_metric_alarm.operations_failed.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:shop-alerts"])
    )
    error_message = "The failed-operations alarm lives in us-east-1 on the rule's metrics and notifies the us-east-1 topic."
  }

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.replication_latency) == 1 &&
      aws_cloudwatch_metric_alarm.replication_latency[0].region == "us-west-2" &&
      aws_cloudwatch_metric_alarm.replication_latency[0].metric_name == "ReplicationLatency" &&
      aws_cloudwatch_metric_alarm.replication_latency[0].threshold == 900 &&
      aws_cloudwatch_metric_alarm.replication_latency[0].alarm_actions == toset(["arn:aws:sns:us-west-2:123456789012:shop-alerts"])
    )
    error_message = "With RTC, a ReplicationLatency alarm at 900 s in us-west-2 notifies the us-west-2 topic."
  }

  assert {
    condition = (
      aws_kms_key.destination.region == "us-west-2" && aws_kms_key.destination.enable_key_rotation &&
      aws_kms_alias.destination.name == "alias/invoices-s3-replica" && aws_kms_alias.destination.region == "us-west-2"
    )
    error_message = "The replica key rotates and lives, with its alias, in us-west-2."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.destination.block_public_acls && aws_s3_bucket_public_access_block.destination.block_public_policy &&
      aws_s3_bucket_public_access_block.destination.ignore_public_acls && aws_s3_bucket_public_access_block.destination.restrict_public_buckets &&
      aws_s3_bucket_ownership_controls.destination.rule[0].object_ownership == "BucketOwnerEnforced"
    )
    error_message = "The replica blocks all public access and enforces bucket ownership."
  }

  assert {
    condition = (
      aws_s3_bucket_lifecycle_configuration.destination.region == "us-west-2" &&
      aws_s3_bucket_lifecycle_configuration.destination.rule[0].noncurrent_version_expiration[0].noncurrent_days == 90 &&
      aws_s3_bucket_lifecycle_configuration.destination.rule[0].status == "Enabled"
    )
    error_message = "Noncurrent versions are kept 90 days in the replica."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.replication.statement : s
      if s.sid == "DecryptSourceObjectsThroughS3" && s.resources == toset(["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]) &&
      anytrue([for c in s.condition : c.variable == "kms:ViaService" && c.values == tolist(["s3.us-east-1.amazonaws.com"])])
    ]) == 1
    error_message = "The role may decrypt source objects with the source key, only through S3 in us-east-1."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.replication.statement : s
      if s.sid == "EncryptReplicasThroughS3" && anytrue([for c in s.condition : c.variable == "kms:ViaService" && c.values == tolist(["s3.us-west-2.amazonaws.com"])])
    ]) == 1
    error_message = "The role may encrypt replicas only through S3 in us-west-2."
  }

  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.replication.statement : !contains(s.actions, "s3:ReplicateDelete")])
    error_message = "Without delete marker replication the role may not replicate deletes."
  }

  assert {
    condition     = aws_iam_role.replication.name == "invoices-s3-replication"
    error_message = "The replication role is invoices-s3-replication."
  }

  assert {
    condition = (
      aws_iam_role.batch.name == "invoices-s3-batch" &&
      anytrue([for s in data.aws_iam_policy_document.batch_assume_role.statement : contains(flatten([for p in s.principals : p.identifiers]), "batchoperations.s3.amazonaws.com") && anytrue([for c in s.condition : c.variable == "aws:SourceAccount" && c.values == tolist(["123456789012"])])])
    )
    error_message = "The Batch Replication role invoices-s3-batch is assumed by S3 Batch Operations for this account only."
  }

  assert {
    condition = (
      length(data.aws_iam_policy_document.batch.statement) == 2 &&
      anytrue([for s in data.aws_iam_policy_document.batch.statement : s.actions == toset(["s3:InitiateReplication"]) && s.resources == toset(["arn:aws:s3:::shop-invoices-prod/*"])]) &&
      anytrue([for s in data.aws_iam_policy_document.batch.statement : s.actions == toset(["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"]) && s.resources == toset(["arn:aws:s3:::shop-invoices-prod"])])
    )
    error_message = "The Batch Replication role may only initiate replication of the source's objects and generate the manifest from its replication configuration."
  }
}

# No RTC, an SSE-S3 source, delete markers replicated, no secondary topic.
run "plan_no_rtc_sse_s3_source" {
  command = plan

  variables {
    replication_time_control  = false
    source_kms_key_arn        = null
    replicate_deletes         = true
    secondary_alert_topic_arn = null
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.replication_latency) == 0
    error_message = "Without RTC there is no ReplicationLatency alarm."
  }

  assert {
    condition = (
      length(aws_s3_bucket_replication_configuration.source.rule[0].destination[0].replication_time) == 0 &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].metrics[0].status == "Enabled" &&
      length(aws_s3_bucket_replication_configuration.source.rule[0].destination[0].metrics[0].event_threshold) == 0
    )
    error_message = "Without RTC: no replication_time and no event threshold, but metrics stay on (the failure alarm needs them)."
  }

  assert {
    condition     = aws_s3_bucket_replication_configuration.source.rule[0].delete_marker_replication[0].status == "Enabled"
    error_message = "Delete markers are replicated."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.replication.statement : s if s.sid == "DecryptSourceObjectsThroughS3"]) == 0
    error_message = "An SSE-S3 source needs no decrypt statement."
  }

  assert {
    condition     = anytrue([for s in data.aws_iam_policy_document.replication.statement : s.sid == "WriteReplicasToDestination" && contains(s.actions, "s3:ReplicateDelete")])
    error_message = "Replicating delete markers needs s3:ReplicateDelete."
  }

  assert {
    condition     = output.replication_latency_alarm == null && output.replication_latency_alarm_arn == null
    error_message = "No latency alarm outputs without RTC."
  }
}

# A destination name of the account-regional namespace.
run "plan_account_regional_destination" {
  command = plan

  variables {
    destination_bucket = "shop-invoices-dr-123456789012-us-west-2-an"
  }

  assert {
    condition     = aws_s3_bucket.destination.bucket_namespace == "account-regional" && aws_s3_bucket.destination.bucket == "shop-invoices-dr-123456789012-us-west-2-an"
    error_message = "<prefix>-<account>-<secondary region>-an is created in the account-regional namespace."
  }
}

# The China partition: KMS conditions name the partition's S3 endpoints.
run "plan_china_partition" {
  command = plan

  variables {
    primary_region            = "cn-north-1"
    secondary_region          = "cn-northwest-1"
    source_kms_key_arn        = "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    destination_bucket        = "shop-invoices-prod-dr-cn-northwest-1"
    alert_topic_arn           = "arn:aws-cn:sns:cn-north-1:123456789012:shop-alerts"
    secondary_alert_topic_arn = "arn:aws-cn:sns:cn-northwest-1:123456789012:shop-alerts"
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition  = "aws-cn"
      dns_suffix = "amazonaws.com.cn"
    }
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.replication.statement : s
      if anytrue([for c in s.condition : c.variable == "kms:ViaService" && c.values == tolist(["s3.cn-north-1.amazonaws.com.cn"])])
    ]) == 1
    error_message = "Source objects are decrypted through S3 of cn-north-1 (s3.cn-north-1.amazonaws.com.cn)."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.replication.statement : s
      if anytrue([for c in s.condition : c.variable == "kms:ViaService" && c.values == tolist(["s3.cn-northwest-1.amazonaws.com.cn"])])
    ]) == 1
    error_message = "Replicas are encrypted through S3 of cn-northwest-1 (s3.cn-northwest-1.amazonaws.com.cn)."
  }

  assert {
    condition     = data.aws_iam_policy_document.replication.statement[0].resources == toset(["arn:aws-cn:s3:::shop-invoices-prod"])
    error_message = "Bucket ARNs use the aws-cn partition."
  }
}

run "apply" {
  command   = apply
  state_key = "apply"

  override_resource {
    target = aws_s3_bucket.destination
    values = {
      arn = "arn:aws:s3:::shop-invoices-prod-dr-us-west-2"
      id  = "shop-invoices-prod-dr-us-west-2"
    }
  }

  assert {
    condition = (
      aws_s3_bucket_replication_configuration.source.role == aws_iam_role.replication.arn &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].bucket == aws_s3_bucket.destination.arn &&
      aws_s3_bucket_replication_configuration.source.rule[0].destination[0].encryption_configuration[0].replica_kms_key_id == aws_kms_key.destination.arn
    )
    error_message = "S3 replicates with the module's role into the replica bucket under the replica key."
  }

  assert {
    condition = alltrue([
      for r in aws_s3_bucket_server_side_encryption_configuration.destination.rule :
      r.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      r.apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.destination.arn &&
      r.bucket_key_enabled && r.blocked_encryption_types == tolist(["SSE-C"])
    ]) && length(aws_s3_bucket_server_side_encryption_configuration.destination.rule) == 1
    error_message = "The replica bucket encrypts with the replica key (S3 Bucket Key) and refuses SSE-C."
  }

  assert {
    condition = alltrue([
      for b in [
        aws_s3_bucket_versioning.destination.bucket, aws_s3_bucket_server_side_encryption_configuration.destination.bucket,
        aws_s3_bucket_public_access_block.destination.bucket, aws_s3_bucket_ownership_controls.destination.bucket,
        aws_s3_bucket_policy.destination.bucket, aws_s3_bucket_lifecycle_configuration.destination.bucket,
        aws_s3_bucket_notification.destination.bucket,
      ] : b == aws_s3_bucket.destination.id
    ]) && aws_s3_bucket_notification.destination.eventbridge
    error_message = "Every replica bucket setting is on the replica bucket; its events go to EventBridge."
  }

  assert {
    condition = (
      jsondecode(aws_s3_bucket_policy.destination.policy).Statement[0].Effect == "Deny" &&
      jsondecode(aws_s3_bucket_policy.destination.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" &&
      jsondecode(aws_s3_bucket_policy.destination.policy).Statement[1].Condition.NumericLessThan["s3:TlsVersion"] == "1.2" &&
      contains(jsondecode(aws_s3_bucket_policy.destination.policy).Statement[0].Resource, "arn:aws:s3:::shop-invoices-prod-dr-us-west-2/*")
    )
    error_message = "The replica bucket denies requests without TLS or with TLS below 1.2."
  }

  assert {
    condition = (
      jsondecode(aws_kms_key.destination.policy).Statement[1].Principal.AWS == aws_iam_role.replication.arn &&
      jsondecode(aws_kms_key.destination.policy).Statement[1].Condition.StringEquals["kms:ViaService"] == "s3.us-west-2.amazonaws.com"
    )
    error_message = "The replica key admits the replication role through S3 in us-west-2."
  }

  assert {
    condition     = aws_iam_role_policy.replication.role == aws_iam_role.replication.id && aws_kms_alias.destination.target_key_id == aws_kms_key.destination.key_id
    error_message = "The policy is on the replication role; the alias points at the replica key."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.replication_latency[0].dimensions.DestinationBucket == aws_s3_bucket.destination.id && aws_cloudwatch_metric_alarm.operations_failed.dimensions.RuleId == output.replication_rule_id
    error_message = "The alarms watch the metrics of this rule and replica bucket."
  }

  assert {
    condition = output.replication_rule == {
      id                        = "invoices-crr-us-west-2"
      status                    = "Enabled"
      destination_bucket_arn    = aws_s3_bucket.destination.arn
      replica_kms_key_id        = aws_kms_key.destination.arn
      replication_time_minutes  = 15
      metrics_status            = "Enabled"
      event_threshold_minutes   = 15
      delete_marker_replication = "Disabled"
    }
    error_message = "The replication_rule output describes the rule."
  }

  assert {
    condition     = output.alarm_arns == [aws_cloudwatch_metric_alarm.operations_failed.arn, aws_cloudwatch_metric_alarm.replication_latency[0].arn] && output.destination_bucket == { name = "shop-invoices-prod-dr-us-west-2", region = "us-west-2" }
    error_message = "The outputs list both alarms and the replica bucket."
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

# var.name: an underscore.
run "name_invalid" {
  command = plan

  variables {
    name = "in_voices"
  }

  expect_failures = [var.name]
}

# var.primary_region: not a Region code.
run "primary_region_invalid" {
  command = plan

  variables {
    primary_region = "virginia"
  }

  expect_failures = [var.primary_region]
}

# var.secondary_region: not a Region code.
run "secondary_region_invalid" {
  command = plan

  variables {
    secondary_region = "us-west-two"
  }

  expect_failures = [var.secondary_region]
}

# var.source_bucket: two adjacent periods.
run "source_bucket_invalid" {
  command = plan

  variables {
    source_bucket = "shop..invoices"
  }

  expect_failures = [var.source_bucket]
}

# var.source_kms_key_arn: an alias ARN (IAM policies need the key ARN).
run "source_kms_key_alias" {
  command = plan

  variables {
    source_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/invoices"
  }

  expect_failures = [var.source_kms_key_arn]
}

# var.destination_bucket: periods.
run "destination_bucket_with_periods" {
  command = plan

  variables {
    destination_bucket = "shop.invoices.dr"
  }

  expect_failures = [var.destination_bucket]
}

# var.destination_bucket: a suffix S3 reserves.
run "destination_bucket_reserved_suffix" {
  command = plan

  variables {
    destination_bucket = "shop-invoices-s3alias"
  }

  expect_failures = [var.destination_bucket]
}

# var.destination_bucket: the -an suffix without account and Region.
run "destination_bucket_malformed_an" {
  command = plan

  variables {
    destination_bucket = "shop-invoices-dr-an"
  }

  expect_failures = [var.destination_bucket]
}

# var.noncurrent_version_retention_days: zero.
run "noncurrent_retention_zero" {
  command = plan

  variables {
    noncurrent_version_retention_days = 0
  }

  expect_failures = [var.noncurrent_version_retention_days]
}

# var.replication_latency_threshold_seconds: below 60.
run "latency_threshold_too_low" {
  command = plan

  variables {
    replication_latency_threshold_seconds = 30
  }

  expect_failures = [var.replication_latency_threshold_seconds]
}

# var.alert_topic_arn: a FIFO topic.
run "alert_topic_fifo" {
  command = plan

  variables {
    alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:shop-alerts.fifo"
  }

  expect_failures = [var.alert_topic_arn]
}

# var.secondary_alert_topic_arn: a FIFO topic.
run "secondary_alert_topic_fifo" {
  command = plan

  variables {
    secondary_alert_topic_arn = "arn:aws:sns:us-west-2:123456789012:shop-alerts.fifo"
  }

  expect_failures = [var.secondary_alert_topic_arn]
}

# Precondition: secondary_region equals primary_region.
run "same_regions" {
  command = plan

  variables {
    secondary_region          = "us-east-1"
    destination_bucket        = "shop-invoices-prod-dr"
    secondary_alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
  }

  expect_failures = [aws_s3_bucket_replication_configuration.source]
}

# Precondition: the source bucket is the destination.
run "source_is_destination" {
  command = plan

  variables {
    source_bucket = "shop-invoices-prod-dr-us-west-2"
  }

  expect_failures = [aws_s3_bucket_replication_configuration.source]
}

# Precondition: the source key is not in the source bucket's Region.
run "source_kms_key_in_other_region" {
  command = plan

  variables {
    source_kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  expect_failures = [aws_s3_bucket_replication_configuration.source]
}

# Precondition: an account-regional name with another account's ID.
run "account_regional_name_of_other_account" {
  command = plan

  variables {
    destination_bucket = "shop-invoices-dr-210987654321-us-west-2-an"
  }

  expect_failures = [aws_s3_bucket.destination]
}

# Precondition: an account-regional name with another Region (it must name the replica's Region).
run "account_regional_name_of_other_region" {
  command = plan

  variables {
    destination_bucket = "shop-invoices-dr-123456789012-us-east-1-an"
  }

  expect_failures = [aws_s3_bucket.destination]
}

# Precondition: the failed-operations alarm's topic is not in the primary Region.
run "alert_topic_in_other_region" {
  command = plan

  variables {
    alert_topic_arn = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
  }

  expect_failures = [aws_cloudwatch_metric_alarm.operations_failed]
}

# Precondition: RTC without a secondary topic (the Region check of the missing topic fails with it).
run "rtc_without_secondary_topic" {
  command = plan

  variables {
    secondary_alert_topic_arn = null
  }

  expect_failures = [aws_cloudwatch_metric_alarm.replication_latency]
}

# Precondition: the latency alarm's topic is not in the secondary Region.
run "secondary_topic_in_other_region" {
  command = plan

  variables {
    secondary_alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
  }

  expect_failures = [aws_cloudwatch_metric_alarm.replication_latency]
}
