# terraform test suite of the fis-drills module (offline, against a mocked AWS provider):
# `tf-validate test modules/fis-drills`. The apply run checks each action's template,
# target, parameters, stop conditions and the role's permissions; every negative run trips
# exactly one validation.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/lifeboat-test"
      user_id    = "AIDALIFEBOATTESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shop-fis-drills"
    }
  }
}

variables {
  name             = "shop"
  region           = "eu-west-1"
  secondary_region = "eu-central-1"
  experiments = {
    az-orders = {
      description = "az drill of orders"
      action      = "rds-reboot-failover"
      resource    = "orders-prod"
      stop_alarms = ["shop-storefront-primary-health"]
    }
    az-ledger = {
      description = "az drill of ledger"
      action      = "aurora-failover"
      resource    = "ledger-cluster"
      stop_alarms = []
    }
    region-media = {
      description = "region drill of media"
      action      = "s3-pause-replication"
      resource    = "shop-media"
      destination = "shop-media-dr"
      duration    = "PT25M"
      stop_alarms = ["shop-media-s3-replication-failed-operations"]
    }
    region-carts = {
      description = "region drill of carts"
      action      = "dynamodb-pause-replication"
      resource    = "carts"
      duration    = "PT1H10M"
      stop_alarms = []
    }
  }
  tags = { Project = "shop" }
}

run "apply" {
  command = apply

  assert {
    condition     = length(aws_fis_experiment_template.drill) == 4 && alltrue([for t in aws_fis_experiment_template.drill : t.region == "eu-west-1" && t.role_arn == "arn:aws:iam::123456789012:role/shop-fis-drills"])
    error_message = "Four templates, all in the primary Region, run as the module's role."
  }

  assert {
    condition = (
      one(aws_fis_experiment_template.drill["az-orders"].action).action_id == "aws:rds:reboot-db-instances" &&
      one(one(aws_fis_experiment_template.drill["az-orders"].action).target).key == "DBInstances" &&
      one(one(aws_fis_experiment_template.drill["az-orders"].action).parameter).key == "forceFailover" &&
      one(one(aws_fis_experiment_template.drill["az-orders"].action).parameter).value == "true" &&
      one(aws_fis_experiment_template.drill["az-orders"].target).resource_type == "aws:rds:db" &&
      one(aws_fis_experiment_template.drill["az-orders"].target).resource_arns == toset(["arn:aws:rds:eu-west-1:123456789012:db:orders-prod"])
    )
    error_message = "The RDS drill reboots orders-prod with a forced Multi-AZ failover."
  }

  assert {
    condition = (
      one(aws_fis_experiment_template.drill["az-orders"].stop_condition).source == "aws:cloudwatch:alarm" &&
      one(aws_fis_experiment_template.drill["az-orders"].stop_condition).value == "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-storefront-primary-health"
    )
    error_message = "The RDS drill stops when the storefront's health alarm fires."
  }

  assert {
    condition = (
      one(aws_fis_experiment_template.drill["az-ledger"].action).action_id == "aws:rds:failover-db-cluster" &&
      length(one(aws_fis_experiment_template.drill["az-ledger"].action).parameter) == 0 &&
      one(aws_fis_experiment_template.drill["az-ledger"].target).resource_arns == toset(["arn:aws:rds:eu-west-1:123456789012:cluster:ledger-cluster"]) &&
      one(aws_fis_experiment_template.drill["az-ledger"].stop_condition).source == "none"
    )
    error_message = "The Aurora drill fails the cluster over, with no stop condition when no alarm is given."
  }

  assert {
    condition = (
      one(aws_fis_experiment_template.drill["region-media"].action).action_id == "aws:s3:bucket-pause-replication" &&
      tomap({ for p in one(aws_fis_experiment_template.drill["region-media"].action).parameter : p.key => p.value }) == tomap({ duration = "PT25M", region = "eu-central-1", destinationBuckets = "shop-media-dr" }) &&
      one(aws_fis_experiment_template.drill["region-media"].target).resource_arns == toset(["arn:aws:s3:::shop-media"])
    )
    error_message = "The S3 drill pauses replication of shop-media towards shop-media-dr in eu-central-1 for 25 minutes."
  }

  assert {
    condition = (
      one(aws_fis_experiment_template.drill["region-carts"].action).action_id == "aws:dynamodb:global-table-pause-replication" &&
      one(aws_fis_experiment_template.drill["region-carts"].target).resource_type == "aws:dynamodb:global-table" &&
      one(aws_fis_experiment_template.drill["region-carts"].target).resource_arns == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/carts"])
    )
    error_message = "The DynamoDB drill pauses the global table carts."
  }

  assert {
    condition     = aws_fis_experiment_template.drill["region-carts"].tags["Name"] == "shop-region-carts" && aws_fis_experiment_template.drill["region-carts"].tags["Project"] == "shop"
    error_message = "Each template is tagged Name = <name>-<key>, which RUNBOOK.md looks it up by."
  }

  assert {
    condition = (
      aws_iam_role.fis.name == "shop-fis-drills" &&
      anytrue([for s in data.aws_iam_policy_document.assume_role.statement : contains(flatten([for p in s.principals : p.identifiers]), "fis.amazonaws.com") && anytrue([for c in s.condition : c.variable == "aws:SourceArn" && c.values == tolist(["arn:aws:fis:eu-west-1:123456789012:experiment/*"])])])
    )
    error_message = "The role is assumed only by FIS experiments of this account in the primary Region."
  }

  assert {
    condition = (
      anytrue([for s in data.aws_iam_policy_document.fis.statement : s.sid == "RebootWithFailover" && s.resources == toset(["arn:aws:rds:eu-west-1:123456789012:db:orders-prod"])]) &&
      anytrue([for s in data.aws_iam_policy_document.fis.statement : s.sid == "FailoverAuroraClusters" && s.resources == toset(["arn:aws:rds:eu-west-1:123456789012:cluster:ledger-cluster"])]) &&
      anytrue([for s in data.aws_iam_policy_document.fis.statement : s.sid == "PauseS3Replication" && s.resources == toset(["arn:aws:s3:::shop-media"])]) &&
      anytrue([for s in data.aws_iam_policy_document.fis.statement : s.sid == "PauseGlobalTableReplication" && s.resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/carts", "arn:aws:dynamodb:eu-central-1:123456789012:table/carts"])])
    )
    error_message = "Each action's permissions reach only its own targets (and the global table's replica)."
  }
}

run "only_the_actions_used_get_permissions" {
  command = plan

  variables {
    experiments = {
      az-orders = {
        description = "az drill of orders"
        action      = "rds-reboot-failover"
        resource    = "orders-prod"
        stop_alarms = []
      }
    }
  }

  assert {
    condition     = length(data.aws_iam_policy_document.fis.statement) == 2 && !anytrue([for s in data.aws_iam_policy_document.fis.statement : contains(s.actions, "s3:PauseReplication")])
    error_message = "With only an RDS drill, the role may only resolve targets and reboot that instance."
  }
}

run "rejects_an_unknown_action" {
  command = plan

  variables {
    experiments = {
      az-orders = {
        description = "x"
        action      = "ec2-terminate"
        resource    = "i-123"
        stop_alarms = []
      }
    }
  }

  expect_failures = [var.experiments]
}

run "rejects_a_pause_without_duration" {
  command = plan

  variables {
    experiments = {
      region-carts = {
        description = "x"
        action      = "dynamodb-pause-replication"
        resource    = "carts"
        stop_alarms = []
      }
    }
  }

  expect_failures = [var.experiments]
}

run "rejects_a_malformed_duration" {
  command = plan

  variables {
    experiments = {
      region-carts = {
        description = "x"
        action      = "dynamodb-pause-replication"
        resource    = "carts"
        duration    = "30 minutes"
        stop_alarms = []
      }
    }
  }

  expect_failures = [var.experiments]
}

run "rejects_more_than_five_stop_alarms" {
  command = plan

  variables {
    experiments = {
      az-orders = {
        description = "x"
        action      = "rds-reboot-failover"
        resource    = "orders-prod"
        stop_alarms = ["a", "b", "c", "d", "e", "f"]
      }
    }
  }

  expect_failures = [var.experiments]
}

run "rejects_no_experiments" {
  command = plan

  variables {
    experiments = {}
  }

  expect_failures = [var.experiments]
}
