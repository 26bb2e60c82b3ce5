project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "media" {
  kind   = "s3"
  tier   = "important"
  bucket = "shop-media"
}

asset "web" {
  kind       = "endpoint"
  tier       = "important"
  depends_on = ["medai", "orders"]
  zone_id    = "Z0123456789ABCDEFGHIJ"
  domain     = "shop.example.com"
  primary {
    hostname = "a.example.com"
  }
  secondary {
    hostname = "b.example.com"
  }
}
