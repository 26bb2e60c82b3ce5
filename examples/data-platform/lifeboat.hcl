# A data platform on the three kinds added to the language later: an Aurora
# cluster, DynamoDB tables and an EFS file system, behind one API endpoint.
#   lifeboat check examples/data-platform
#   lifeboat explain warehouse examples/data-platform

project "analytics" {
  primary_region   = "eu-west-1"
  secondary_region = "eu-central-1"
  alert_emails     = ["data-oncall@example.com"]
  # Extension: AWS FIS experiment templates for real drills (docs/drill.md).
  drills = true
  tags = {
    team = "data-platform"
  }
}

# Shared files: replicated across Regions within the hour, restored from
# backups after a bad batch job.
tier "files" {
  rpo       = "4h"
  rto       = "12h"
  retention = "35d"
  scenario "region" {
    rpo = "30m"
    rto = "2h"
  }
}

# Kept for audits: a year of recovery points.
tier "audit" {
  rpo       = "24h"
  rto       = "24h"
  retention = "400d"
}

asset "warehouse" {
  kind               = "aurora"
  tier               = "critical"
  cluster_identifier = "warehouse-prod"
  engine             = "aurora-postgresql"
  storage_gb         = 800
  multi_az           = true
  description        = "Reporting warehouse (Aurora PostgreSQL)"
  owner              = "team-data"
}

asset "events" {
  kind        = "dynamodb"
  tier        = "mission-critical"
  table       = "analytics-events"
  size_gb     = 250
  description = "Ingested events"
  owner       = "team-ingest"
}

asset "audit-log" {
  kind    = "dynamodb"
  tier    = "audit"
  table   = "analytics-audit-log"
  size_gb = 40
  dr {
    global_table = false
  }
}

asset "shared-files" {
  kind           = "efs"
  tier           = "files"
  file_system_id = "fs-0a1b2c3d4e5f60718"
  size_gb        = 500
  description    = "Report templates and exports"
  owner          = "team-data"
}

asset "reports-api" {
  kind       = "endpoint"
  tier       = "critical"
  depends_on = ["warehouse", "events", "shared-files"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "reports.example.com"
  primary {
    alias_name    = "dualstack.reports-euw1-123456.eu-west-1.elb.amazonaws.com"
    alias_zone_id = "Z32O12XQLNTSW2"
  }
  secondary {
    alias_name    = "dualstack.reports-euc1-654321.eu-central-1.elb.amazonaws.com"
    alias_zone_id = "Z215JYRZR1TBD5"
  }
  health_check {
    path     = "/healthz"
    interval = 10
  }
}
