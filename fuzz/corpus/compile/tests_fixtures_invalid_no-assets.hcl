project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
