asset "storefront" {
  kind        = "endpoint"
  tier        = "gold"
  depends_on  = ["orders-db", "customers-db", "catalog-api", "media"]
  zone_id     = "Z0123456789ABCDEFGHIJ"
  domain      = "shop.example.com"
  description = "The customer-facing web shop"
  owner       = "team-web"
  primary {
    alias_name    = "dualstack.shop-use1-123456.us-east-1.elb.amazonaws.com"
    alias_zone_id = "Z35SXDOTRQ7X7K"
  }
  secondary {
    alias_name    = "dualstack.shop-usw2-654321.us-west-2.elb.amazonaws.com"
    alias_zone_id = "Z1H1FL5HABSF5"
  }
  health_check {
    path              = "/healthz"
    interval          = 10
    failure_threshold = 3
  }
}

asset "catalog-api" {
  kind        = "endpoint"
  tier        = "silver"
  depends_on  = ["catalog-db"]
  zone_id     = "Z0123456789ABCDEFGHIJ"
  domain      = "catalog.api.example.com"
  description = "Internal catalogue API used by the storefront"
  owner       = "team-catalog"
  primary {
    hostname = "catalog-use1.internal.example.com"
  }
  secondary {
    hostname = "catalog-usw2.internal.example.com"
  }
  health_check {
    protocol = "HTTPS"
    path     = "/ready"
  }
  ttl = 30
}
