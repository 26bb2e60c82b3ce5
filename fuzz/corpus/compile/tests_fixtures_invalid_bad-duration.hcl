project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

tier "gold" {
  rpo = "15 minutes"
  rto = "1h"
  scenario "corruption" {
    rpo = "90"
    rto = "1h1h"
  }
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
