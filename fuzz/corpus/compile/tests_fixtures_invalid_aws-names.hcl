project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  tags = {
    "aws:owner" = "x"
  }
  alert_emails = ["not-an-email"]
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "Shop_Media"
}

asset "db" {
  kind       = "rds"
  tier       = "critical"
  identifier = "db--prod"
  engine     = "postgres"
  storage_gb = 0
}
