project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "db" {
  kind       = "rds"
  tier       = "critical"
  identifier = "db-prod"
  storage_gb = 10
}
