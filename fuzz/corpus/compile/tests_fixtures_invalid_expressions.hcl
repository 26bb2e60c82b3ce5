project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "db" {
  kind       = "rds"
  tier       = "critical"
  identifier = var.db_id
  engine     = "postgres"
  storage_gb = 10
  multi_az   = true
  description = "${local.x}"
}
