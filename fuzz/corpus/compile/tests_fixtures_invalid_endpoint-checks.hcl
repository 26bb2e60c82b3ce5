project "shop" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}

asset "web" {
  kind    = "endpoint"
  tier    = "important"
  zone_id = "Z0123456789ABCDEFGHIJ"
  domain  = "shop.example.com"
  primary {
    hostname = "a.example.com"
  }
  secondary {
    hostname = "a.example.com"
  }
  health_check {
    interval          = 15
    failure_threshold = 11
  }
}
