asset "orders-db" {
  kind        = "rds"
  tier        = "gold"
  identifier  = "orders-prod"
  engine      = "postgres"
  storage_gb  = 400
  multi_az    = true
  description = "Orders, payments and invoices"
  owner       = "team-checkout"
}

asset "customers-db" {
  kind        = "rds"
  tier        = "gold"
  identifier  = "customers-prod"
  engine      = "mysql"
  storage_gb  = 120
  multi_az    = true
  description = "Accounts and addresses"
  owner       = "team-identity"
  dr {
    replica_instance_class = "db.r6g.large"
  }
}

asset "catalog-db" {
  kind        = "rds"
  tier        = "silver"
  identifier  = "catalog-prod"
  engine      = "mariadb"
  storage_gb  = 80
  multi_az    = true
  description = "Products, prices and stock"
  owner       = "team-catalog"
}

asset "media" {
  kind        = "s3"
  tier        = "silver"
  bucket      = "webshop-media-prod"
  size_gb     = 900
  description = "Product images and videos"
  owner       = "team-catalog"
  # AWS Backup restore testing measured this restore at 2h40m (2026-10-12).
  measured {
    restore = "2h40m"
  }
  dr {
    replication       = true
    replicate_deletes = true
  }
}

asset "invoices" {
  kind        = "s3"
  tier        = "gold"
  bucket      = "webshop-invoices-prod"
  size_gb     = 50
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  description = "Invoice PDFs (kept 10 years by the finance archive)"
  owner       = "team-checkout"
}

asset "ledger-db" {
  kind        = "rds"
  tier        = "critical"
  identifier  = "ledger-prod"
  engine      = "sqlserver-se"
  storage_gb  = 200
  multi_az    = true
  description = "Finance ledger (SQL Server Standard: no cross-Region replica possible)"
  owner       = "team-finance"
}
# A web shop split over several files: lifeboat reads every *.hcl and *.json file
# of a directory as one inventory.

project "webshop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  alert_emails     = ["oncall@example.com", "dr-team@example.com"]
  tags = {
    cost-center = "4711"
    managed-by  = "lifeboat"
  }
}

# Checkout must survive a Region loss within the hour and lose almost nothing.
tier "gold" {
  rpo       = "15m"
  rto       = "1h"
  retention = "35d"
  scenario "corruption" {
    rpo = "1h"
    rto = "4h"
  }
}

# Catalogue data can be a few hours stale after a disaster.
tier "silver" {
  rpo       = "4h"
  rto       = "8h"
  retention = "30d"
  scenario "az" {
    rpo = "15m"
    rto = "1h"
  }
}

assumptions {
  # Measured in last quarter's game day for our instance sizes.
  rds_replica_promotion = "10m"
}
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
