# lifeboat inventory: the data assets and services that matter, how critical each
# is, and what depends on what. `lifeboat check` verifies that every recovery
# objective can be met; docs/inventory.md describes every attribute.

project "my-app" {
  primary_region   = "us-east-1" # where the assets live today
  secondary_region = "us-west-2" # where they are recovered after a Region loss
  alert_emails     = ["oncall@example.com"]
}

# Built-in tiers: mission-critical, critical, important, non-critical.
# Declare your own (or override a built-in one) like this:
tier "gold" {
  rpo       = "15m" # data you can afford to lose
  rto       = "1h"  # time until it serves again
  retention = "35d" # how long recovery points are kept
  scenario "corruption" {
    rpo = "1h"
    rto = "4h"
  }
}

asset "app-db" {
  kind        = "rds"
  tier        = "gold"
  identifier  = "app-prod" # the existing DB instance
  engine      = "postgres"
  storage_gb  = 100
  multi_az    = true
  description = "Orders and customers"
  owner       = "team-data"
}

asset "uploads" {
  kind   = "s3"
  tier   = "important"
  bucket = "my-app-uploads-example" # the existing bucket
}

asset "web" {
  kind       = "endpoint"
  tier       = "gold"
  depends_on = ["app-db", "uploads"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "app.example.com"
  primary {
    hostname = "app-use1.example.com"
  }
  secondary {
    hostname = "app-usw2.example.com"
  }
  health_check {
    path = "/healthz"
  }
}
