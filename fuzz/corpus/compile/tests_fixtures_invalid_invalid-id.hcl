project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "Media_Files" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
