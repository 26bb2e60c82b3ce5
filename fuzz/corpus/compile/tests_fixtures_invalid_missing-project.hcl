asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}
