project "shop" {
  primary_region   = "eu-west-1"
  secondary_region = "eu-west-1"
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
