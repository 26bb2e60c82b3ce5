project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "alpha" {
  kind       = "s3"
  tier       = "important"
  bucket     = "shop-alpha"
  depends_on = ["bravo"]
}

asset "bravo" {
  kind       = "s3"
  tier       = "important"
  bucket     = "shop-bravo"
  depends_on = ["charlie"]
}

asset "charlie" {
  kind       = "s3"
  tier       = "important"
  bucket     = "shop-charlie"
  depends_on = ["alpha"]
}
