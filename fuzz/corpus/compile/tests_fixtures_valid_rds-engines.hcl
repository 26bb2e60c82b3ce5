# Every RDS engine family, encrypted and unencrypted sources, replica on and off,
# backup replication on and off; no alert e-mails.
project "engines" {
  primary_region   = "eu-west-1"
  secondary_region = "eu-central-1"
}

tier "replicated" {
  rpo = "15m"
  rto = "1h"
  scenario "corruption" {
    rpo = "1h"
    rto = "4h"
  }
}

asset "pg" {
  kind       = "rds"
  tier       = "replicated"
  identifier = "pg-prod"
  engine     = "postgres"
  storage_gb = 100
  multi_az   = true
}

asset "my" {
  kind       = "rds"
  tier       = "important"
  identifier = "my-prod"
  engine     = "mysql"
  storage_gb = 50
  multi_az   = true
  encrypted  = false
  dr {
    read_replica           = true
    replica_instance_class = "db.r6g.large"
    backup_replication     = false
  }
}

asset "maria" {
  kind       = "rds"
  tier       = "critical"
  identifier = "maria-prod"
  engine     = "mariadb"
  storage_gb = 40
  multi_az   = true
}

asset "ora" {
  kind       = "rds"
  tier       = "replicated"
  identifier = "ora-prod"
  engine     = "oracle-ee"
  storage_gb = 200
  multi_az   = true
}

asset "ora-se" {
  kind       = "rds"
  tier       = "critical"
  identifier = "ora-se-prod"
  engine     = "oracle-se2"
  storage_gb = 60
  multi_az   = true
  encrypted  = false
}

asset "mssql" {
  kind       = "rds"
  tier       = "replicated"
  identifier = "mssql-prod"
  engine     = "sqlserver-ee"
  storage_gb = 150
  multi_az   = true
}

asset "mssql-web" {
  kind       = "rds"
  tier       = "non-critical"
  identifier = "mssql-web-prod"
  engine     = "sqlserver-web"
  storage_gb = 20
}
