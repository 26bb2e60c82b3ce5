# Test root for modules/alerts: one call with email subscribers and AWS Backup rules in two
# Regions, one call without subscribers or Backup rules.

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

module "alerts" {
  source = "../../../modules/alerts"

  name                 = "webshop"
  regions              = ["eu-west-1", "us-east-1", "us-west-2"]
  backup_event_regions = ["eu-west-1", "us-west-2"]
  kms_event_regions    = ["eu-west-1", "us-west-2"]
  alert_emails         = ["oncall@example.com", "dba-team@example.com"]
  tags = {
    Project   = "webshop"
    ManagedBy = "lifeboat"
  }
}

module "alerts_quiet" {
  source = "../../../modules/alerts"

  name                 = "reports"
  regions              = ["us-east-1"]
  backup_event_regions = []
  alert_emails         = []
  tags                 = {}
}

output "topic_arns" {
  description = "Alert topics of the webshop call."
  value       = module.alerts.topic_arns
}

output "kms_key_arns" {
  description = "Alert topic keys of the webshop call."
  value       = module.alerts.kms_key_arns
}
