data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  regions    = toset(var.regions)
  topic_name = "${var.name}-alerts"

  # Topic ARNs are built from their parts (not read from aws_sns_topic) so that the key
  # policy, which must exist before the topic that uses the key, can name its topic.
  topic_arns = {
    for region in var.regions :
    region => format("arn:%s:sns:%s:%s:%s", local.partition, region, local.account_id, local.topic_name)
  }

  # One subscription per Region per address.
  email_subscriptions = {
    for pair in setproduct(var.regions, var.alert_emails) :
    "${pair[0]}/${pair[1]}" => { region = pair[0], email = pair[1] }
  }
}
