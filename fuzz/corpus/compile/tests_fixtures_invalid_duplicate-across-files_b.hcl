asset "media" {
  kind   = "s3"
  tier   = "critical"
  bucket = "shop-media-2"
}
