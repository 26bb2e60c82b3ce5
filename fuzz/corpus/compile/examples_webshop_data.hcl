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
