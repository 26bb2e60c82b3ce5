project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
