terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# (a) Replication Time Control on, delete markers replicated, SSE-KMS source.
module "s3_media" {
  source = "../../../modules/s3-replication"

  name                                  = "webshop-media"
  primary_region                        = "us-east-1"
  secondary_region                      = "us-west-2"
  source_bucket                         = "webshop-media"
  source_kms_key_arn                    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  destination_bucket                    = "webshop-media-dr-usw2"
  replication_time_control              = true
  replicate_deletes                     = true
  noncurrent_version_retention_days     = 35
  replication_latency_threshold_seconds = 900
  alert_topic_arn                       = "arn:aws:sns:us-east-1:123456789012:lifeboat-alerts"
  secondary_alert_topic_arn             = "arn:aws:sns:us-west-2:123456789012:lifeboat-alerts"
  tags = {
    Application = "webshop"
    ManagedBy   = "lifeboat"
  }
}

# (b) No RTC, delete markers not replicated, SSE-S3 source, replica bucket in
# the account-regional namespace.
module "s3_invoices" {
  source = "../../../modules/s3-replication"

  name                                  = "webshop-invoices"
  primary_region                        = "us-east-1"
  secondary_region                      = "us-west-2"
  source_bucket                         = "webshop-invoices"
  source_kms_key_arn                    = null
  destination_bucket                    = "webshop-invoices-dr-123456789012-us-west-2-an"
  replication_time_control              = false
  replicate_deletes                     = false
  noncurrent_version_retention_days     = 90
  replication_latency_threshold_seconds = 900
  alert_topic_arn                       = "arn:aws:sns:us-east-1:123456789012:lifeboat-alerts"
  secondary_alert_topic_arn             = null
  tags = {
    Application = "webshop"
    ManagedBy   = "lifeboat"
  }
}

output "media_destination_bucket_arn" {
  description = "Replica bucket of webshop-media."
  value       = module.s3_media.destination_bucket_arn
}

output "media_alarm_arns" {
  description = "Alarms watching the webshop-media replication."
  value       = module.s3_media.alarm_arns
}

output "invoices_replication_latency_alarm_arn" {
  description = "Null: RTC is off for webshop-invoices."
  value       = module.s3_invoices.replication_latency_alarm_arn
}
