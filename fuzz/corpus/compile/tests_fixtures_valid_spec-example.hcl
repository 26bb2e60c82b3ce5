project "webshop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  alert_emails     = ["oncall@example.com"]
}

tier "gold" {
  rpo       = "15m"
  rto       = "1h"
  retention = "35d"
  scenario "corruption" {
    rpo = "1h"
    rto = "4h"
  }
}

asset "orders-db" {
  kind       = "rds"
  tier       = "gold"
  identifier = "orders-prod"
  engine     = "postgres"
  storage_gb = 400
  multi_az   = true
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "webshop-media"
}

asset "storefront" {
  kind       = "endpoint"
  tier       = "gold"
  depends_on = ["orders-db", "media"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "shop.example.com"
  primary {
    hostname = "shop-use1.example.com"
  }
  secondary {
    hostname = "shop-usw2.example.com"
  }
  health_check {
    path     = "/healthz"
    interval = 10
  }
}
