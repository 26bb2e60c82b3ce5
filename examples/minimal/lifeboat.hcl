# The smallest useful inventory: one rds, one s3 and one endpoint asset, built-in tiers only.

project "minimal" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "app-db" {
  kind       = "rds"
  tier       = "critical"
  identifier = "app-prod"
  engine     = "postgres"
  storage_gb = 50
  multi_az   = true
}

asset "assets" {
  kind    = "s3"
  tier    = "important"
  bucket  = "minimal-app-assets"
  size_gb = 20
}

asset "app" {
  kind       = "endpoint"
  tier       = "critical"
  depends_on = ["app-db", "assets"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "app.example.com"
  primary {
    hostname = "app-use1.example.com"
  }
  secondary {
    hostname = "app-usw2.example.com"
  }
}
