project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

tier "gold" {
  rpo = "0s"
  rto = "1h"
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
