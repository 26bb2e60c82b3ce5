# Test root for modules/route53-failover:
#   - storefront: hostname (CNAME) primary + ALB alias secondary, HTTPS /healthz every 10 s,
#     so the pair is written as CNAMEs;
#   - api: two alias targets (A alias pair) with the module defaults (HTTPS /, 30 s x 3,
#     all eight checker regions, TTL 60);
#   - ledger_proxy: two hostname targets checked over TCP.

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

locals {
  # Literal on purpose: in a lifeboat root this is module.alerts.topic_arns["us-east-1"].
  alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:webshop-alerts"
  tags = {
    Project   = "webshop"
    ManagedBy = "lifeboat"
  }
}

module "endpoint_storefront" {
  source = "../../../modules/route53-failover"

  name    = "storefront"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "shop.example.com"
  primary = {
    hostname      = "shop-use1.example.com"
    alias_name    = null
    alias_zone_id = null
  }
  secondary = {
    hostname      = null
    alias_name    = "dualstack.my-alb-123.us-west-2.elb.amazonaws.com"
    alias_zone_id = "Z1H1FL5HABSF5"
  }
  health_check = {
    protocol          = "HTTPS"
    port              = 443
    path              = "/healthz"
    request_interval  = 10
    failure_threshold = 3
  }
  ttl             = 60
  checker_regions = ["us-east-1", "us-west-2", "eu-west-1"]
  alert_topic_arn = local.alert_topic_arn
  tags            = local.tags
}

module "endpoint_api" {
  source = "../../../modules/route53-failover"

  name    = "api"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "api.example.com"
  primary = {
    hostname      = null
    alias_name    = "dualstack.api-alb-456.us-east-1.elb.amazonaws.com"
    alias_zone_id = "Z35SXDOTRQ7X7K"
  }
  secondary = {
    hostname      = null
    alias_name    = "dualstack.api-alb-789.us-west-2.elb.amazonaws.com"
    alias_zone_id = "Z1H1FL5HABSF5"
  }
  alert_topic_arn = local.alert_topic_arn
  tags            = local.tags
}

module "endpoint_ledger_proxy" {
  source = "../../../modules/route53-failover"

  name    = "ledger-proxy"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "ledger-db.internal.example.com"
  primary = {
    hostname      = "ledger-proxy-use1.example.com"
    alias_name    = null
    alias_zone_id = null
  }
  secondary = {
    hostname      = "ledger-proxy-usw2.example.com"
    alias_name    = null
    alias_zone_id = null
  }
  health_check = {
    protocol          = "TCP"
    port              = 5432
    path              = null
    request_interval  = 30
    failure_threshold = 2
  }
  ttl             = 30
  checker_regions = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1"]
  alert_topic_arn = local.alert_topic_arn
  tags            = local.tags
}

output "storefront_detection_seconds" {
  description = "Detection time of the storefront pair (10 s x 3)."
  value       = module.endpoint_storefront.detection_seconds
}

output "record_types" {
  description = "Record type chosen for each pair."
  value = {
    storefront   = module.endpoint_storefront.record_type
    api          = module.endpoint_api.record_type
    ledger_proxy = module.endpoint_ledger_proxy.record_type
  }
}
