project "shop" {
  primary_region   = "us-east1"
  secondary_region = "mars-north-1"
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
