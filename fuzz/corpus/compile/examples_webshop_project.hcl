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
